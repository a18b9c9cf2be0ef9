"""Cards of the KPI catalogue page (/kpis): composite scores of the sub-units (click to drill)
and their monthly history, and the composite of each owner department."""
from __future__ import annotations

from cockpit import figures
from cockpit.cards import Card, partial_notes, register
from cockpit.i18n import t
from cockpit.views import scores

SOURCE = "一网通办 / 一网统管 / 12345热线 / 城市生命体征"


def score_text(value) -> str:
    return "—" if value is None or value != value else f"{value:.2f}"


def _units(view):
    frame = scores.unit_scores(view.run, view.state)
    return frame[["unit_code", "unit_name", "score"]] if len(frame) else None


def _units_figure(rows, view) -> dict:
    ranked = rows.assign(value=rows.score, judgement=["good" if s >= 1 else "bad" if s == s else "flat"
                                                      for s in rows.score.astype(float)])
    return figures.ranking(ranked, t("kpis.score", view.lang), [score_text(s) for s in rows.score])


def _history(view):
    if not view.children:
        return None
    frame = scores.score_history(view.run, view.state)
    return frame.assign(unit_name=frame.unit_code.map(dict(view.children)))


def _history_figure(rows, view) -> dict:
    return figures.lines(rows.rename(columns={"score": "value"}), "unit_code", dict(zip(rows.unit_code, rows.unit_name)),
                         t("kpis.score", view.lang), reference=1.0, notes=partial_notes(rows, view.lang))


def _depts(view):
    return scores.department_scores(scores.catalogue_rows(view.run, view.state))


def _depts_figure(rows, view) -> dict:
    return figures.bars(list(rows.owner), [round(s, 3) if s == s and s is not None else None for s in rows.score],
                        t("kpis.score", view.lang), [score_text(s) for s in rows.score], horizontal=True)


def _card(card_id, title_key, data, figure) -> Card:
    return Card("kpis", card_id, lambda v: t(title_key, v.lang), data, figure, source=lambda v: SOURCE)


register(
    _card("unit-scores", "kpis.unit_scores", _units, _units_figure),
    _card("score-history", "kpis.history", _history, _history_figure),
    _card("dept-scores", "kpis.dept_scores", _depts, _depts_figure),
)
