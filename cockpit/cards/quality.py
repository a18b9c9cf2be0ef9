"""Cards of the data-quality page (/quality): each source's checks for the unit and period,
their monthly trend, and failing records per sub-unit. Marts built before the checks existed
have none of these cards."""
from __future__ import annotations

from cockpit import figures
from cockpit.cards import Card, partial_notes, register
from cockpit.i18n import t
from cockpit.views import quality
from cockpit.views.verify import check_name

SOURCE = "数据质量检查"


def _checks(view, source: str):
    frame = quality.checks(view.run, view.state)
    if frame is None or source not in set(frame.source):
        return None
    return frame[frame.source == source].reset_index(drop=True)


def _checks_figure(rows, view) -> dict:
    lang = view.lang
    return figures.bars([check_name(c, lang) for c in rows.check_id], list(rows.failed), t("verify.col.failed", lang),
                        [f"{f:,} / {c:,}" for f, c in zip(rows.failed, rows.checked)], horizontal=True)


def _trend(view):
    frame = quality.trend(view.run, view.state)
    return frame if frame is not None and len(frame) else None


def _trend_figure(rows, view) -> dict:
    lang = view.lang
    series = rows.assign(key=rows.source + ":" + rows.check_id, value=rows.failed)
    names = {k: f"{t('records.' + k.split(':')[0], lang)} · {check_name(k.split(':')[1], lang)}" for k in series.key}
    return figures.lines(series, "key", names, t("verify.col.failed", lang), notes=partial_notes(rows, lang))


def _units(view):
    frame = quality.by_unit(view.run, view.state)
    return frame if frame is not None and len(frame) > 1 else None


def _units_figure(rows, view) -> dict:
    ranked = rows.assign(value=rows.failed, judgement="flat")
    return figures.ranking(ranked, t("verify.col.failed", view.lang), [f"{v:,}" for v in rows.failed])


def _card(card_id, title, data, figure, width=12) -> Card:
    return Card("quality", card_id, title, data, figure, source=lambda v: SOURCE,
                unit_label=lambda v: t("quality.unit", v.lang), width=width)


register(
    *(_card(f"checks-{source}", lambda v, s=source: t("quality.checks", v.lang, source=t(f"records.{s}", v.lang)),
            lambda v, s=source: _checks(v, s), _checks_figure, width=4) for source in quality.SOURCES),
    _card("quality-trend", lambda v: t("quality.trend", v.lang), _trend, _trend_figure),
    _card("quality-units", lambda v: t("quality.by_unit", v.lang), _units, _units_figure),
)
