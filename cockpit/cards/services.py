"""Cards of the government-services page (/services): applications by channel, applicant type
and department, the handling-time distribution, and the worst-rated items."""
from __future__ import annotations

from cockpit import figures
from cockpit.cards import OF_A_PERIOD, Card, register
from cockpit.i18n import fmt_value, label, t
from cockpit.views import services

SOURCE = "一网通办"


def _named(view, dim: str, key: str):
    frame = services.breakdown(view.run, view.state, dim)
    frame["name"] = [t(f"{key}.{k}", view.lang) for k in frame.key]
    return frame


def _counts(rows, view) -> dict:
    return figures.bars(list(rows.name), list(rows.apps), t("col.apps", view.lang), [f"{v:,}" for v in rows.apps])


def _dept(rows, view) -> dict:
    rates = [round(v, 1) if v == v and v is not None else None for v in rows.on_time_completion_rate]
    return figures.bars(list(rows.name), list(rows.apps), t("col.apps", view.lang),
                        secondary=(t("chart.on_time", view.lang), rates), height=340)


def _handling(view):
    hist, stats = services.handling_distribution(view.run, view.state)
    return hist.assign(p90_hours=stats["p90_hours"])


def _handling_figure(rows, view) -> dict:
    figure = figures.bars([str(d) for d in rows.handling_days], list(rows.apps), t("col.apps", view.lang))
    p90 = rows.p90_hours.dropna()
    figure["layout"]["annotations"] = [{
        "xref": "paper", "yref": "paper", "x": 1, "y": 1, "xanchor": "right", "yanchor": "top", "showarrow": False,
        "text": t("col.p90", view.lang, hours=int(p90.iloc[0]) if len(p90) else "—")}]
    return figure


def _worst_figure(rows, view) -> dict:
    def rate(v):
        return fmt_value(v, "percent", view.lang) + "%"
    text = [f"{rate(v)} · {label('reason', r, view.lang)}" if isinstance(r, str) else rate(v)
            for v, r in zip(rows.satisfaction_rate, rows.top_reason)]
    return figures.bars(list(rows.name), [round(v, 1) for v in rows.satisfaction_rate], t("chart.satisfaction", view.lang),
                        text, horizontal=True, height=360)


def _card(card_id, title_key, data, figure, unit_key="unit.apps", width=6) -> Card:
    return Card("services", card_id, lambda v: t(title_key, v.lang), data, figure, source=lambda v: SOURCE,
                unit_label=lambda v: t(unit_key, v.lang) if unit_key else "%", width=width, params=OF_A_PERIOD)


register(
    _card("channel", "chart.channel", lambda v: _named(v, "channel", "channel"), _counts),
    _card("applicant", "chart.applicant", lambda v: _named(v, "applicant_type", "applicant"), _counts),
    _card("dept", "chart.dept", lambda v: services.breakdown(v.run, v.state, "dept_code"), _dept, width=12),
    _card("handling", "chart.handling", _handling, _handling_figure),
    _card("worst-items", "chart.worst_items", lambda v: services.worst_items(v.run, v.state), _worst_figure,
          unit_key=None),
)
