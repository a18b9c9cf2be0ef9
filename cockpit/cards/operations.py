"""Cards of the city-operations page (/operations): events by source and category, the
lifecycle and where time is lost, open and overdue events."""
from __future__ import annotations

import pandas as pd

from cockpit import figures
from cockpit.cards import OF_A_PERIOD, Card, register
from cockpit.i18n import label, t
from cockpit.views import operations

SOURCE = "一网统管"


def _rate(values) -> list:
    return [None if v is None or v != v else round(v, 1) for v in values]


def _sources(view):
    frame = operations.breakdown(view.run, view.state, "source")
    frame["name"] = [label("source", k, view.lang) for k in frame.key]
    return frame


def _sources_figure(rows, view) -> dict:
    return figures.bars(list(rows.name), list(rows.events), t("col.events", view.lang), [f"{v:,}" for v in rows.events])


def _lifecycle(view):
    frame = operations.lifecycle(view.run, view.state)
    frame["name"] = [t(f"stage.{k}", view.lang) for k in frame.stage]
    return frame


def _lifecycle_figure(rows, view) -> dict:
    """Events reaching each stage, the mean hours to get there, and the slowest stage marked."""
    hours = pd.to_numeric(rows.mean_hours)
    figure = figures.bars(list(rows.name), list(rows.events), t("col.events", view.lang),
                          secondary=(t("col.mean_hours", view.lang), _rate(hours)))
    if hours.notna().any():
        slowest = hours.idxmax()
        figure["layout"]["annotations"] = [{
            "x": rows.name[slowest], "y": float(hours[slowest]), "yref": "y2",
            "text": t("chart.slowest", view.lang, hours=f"{hours[slowest]:.1f}"), "showarrow": True, "arrowhead": 2,
            "font": {"color": figures.COLORS["bad"]}}]
    return figure


def _categories_figure(rows, view) -> dict:
    return figures.bars([label("category", k, view.lang) for k in rows.key], list(rows.events), t("col.events", view.lang),
                        secondary=(t("chart.closure", view.lang), _rate(rows.on_time_closure_rate)), height=340)


def _open_figure(rows, view) -> dict:
    return figures.bars([label("category", k, view.lang) for k in rows.category], list(rows.overdue_events),
                        t("chart.overdue", view.lang),
                        [f"{o:,} / {n:,}" for o, n in zip(rows.overdue_events, rows.open_events)])


def _card(card_id, title_key, data, figure, width=6) -> Card:
    return Card("operations", card_id, lambda v: t(title_key, v.lang), data, figure, source=lambda v: SOURCE,
                unit_label=lambda v: t("unit.events", v.lang), width=width, params=OF_A_PERIOD)


register(
    _card("sources", "chart.sources", _sources, _sources_figure),
    _card("lifecycle", "chart.lifecycle", _lifecycle, _lifecycle_figure),
    _card("categories", "chart.categories", lambda v: operations.breakdown(v.run, v.state, "category"),
          _categories_figure, width=12),
    _card("open", "chart.open", lambda v: operations.open_events(v.run, v.state), _open_figure, width=12),
)
