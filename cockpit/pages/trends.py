"""Trend analysis (/trends): any KPI of any unit over time, with moving average, last year,
seasonal decomposition, forecast to the year's end with its band, anomaly markers, and what
drove the change of the chosen period against its comparison period. The cards are in
cockpit/cards/trends.py."""
from __future__ import annotations

import datetime as dt

import dash
from dash import Input, Output, State, callback, ctx, dcc, html, no_update

from cockpit import kpis, runtime
from cockpit.cards import trends as trend_cards
from cockpit.components.cards import card_grid
from cockpit.components.page import from_marts, page_frame
from cockpit.i18n import t
from cockpit.state import parse_state, query_params, with_params
from cockpit.views import trends

dash.register_page(__name__, path="/trends", name="trends", title="趋势研判 · 城市数据驾驶舱")


def layout(**params):
    view = runtime.resolve(params)
    return page_frame("/trends", view, t("trend.heading", view.lang, unit=view.unit_name),
                      from_marts(view, "trends", lambda: _content(view)))


def _content(view) -> list:
    lang, kpi = view.lang, trend_cards.kpi_of(view)
    picker = html.Div([
        html.Label(t("chart.kpi_select", lang), htmlFor="trend-kpi", className="filter-label"),
        dcc.Dropdown(id="trend-kpi", value=kpi.id, clearable=False, className="kpi-select",
                     options=[{"label": k.name(lang), "value": k.id} for k in kpis.catalogue()]),
        dcc.Store(id="trend-kpi-current", data=kpi.id),
    ], className="kpi-picker")
    attribution = [f"attribution-{by}" for by in trend_cards.ATTRIBUTION]
    return [picker, card_grid(view, "trends", ["trend-analysis", "decomposition"]),
            html.H2(t("trend.attribution_heading", lang), id="attribution", className="section-heading mt-3"),
            card_grid(view, "trends", attribution)]


@callback(
    Output("_pages_location", "search", allow_duplicate=True),
    Input("trend-kpi", "value"), Input({"type": "chart", "card": "trend-analysis"}, "clickData"),
    State("trend-kpi-current", "data"), State("f-state", "data"),
    prevent_initial_call=True,
)
def _navigate(kpi_id, click, shown, current):
    """Pick a KPI; or click an anomaly marker to see what drove it (its period against the
    period just before)."""
    try:
        query = current["query"]
        unit = query_params(query).get("unit", "")
    except (TypeError, KeyError):
        return no_update
    if ctx.triggered_id == "trend-kpi":
        if kpi_id == shown or kpi_id not in {k.id for k in kpis.catalogue()}:
            return no_update
        return with_params(query, kpi=kpi_id)
    period = _clicked_alert(click, unit, shown, current)
    if period is None:
        return no_update
    return with_params(query, start=period[0], end=period[1], cmp="pop", kpi=shown)


def _clicked_alert(click, unit: str, kpi_id: str, current: dict):
    """The (start, end) of the anomaly clicked: its marker carries them; a click on the series
    under it (the period's point) finds the alert drawn in that period."""
    try:
        point = click["points"][0]
        custom = point.get("customdata")
        if isinstance(custom, list) and len(custom) == 2:
            return str(custom[0])[:10], str(custom[1])[:10]
        x = dt.date.fromisoformat(str(point["x"])[:10])
        first, last = dt.date.fromisoformat(current["first"]), dt.date.fromisoformat(current["last"])
    except (TypeError, KeyError, IndexError, ValueError):
        return None
    state, _ = parse_state(query_params(current["query"]), first, last)
    try:
        alerts = trends.alerts(runtime.scoped(), unit=unit, kpi_id=kpi_id)
    except runtime.ScopeError:  # (a crafted request naming a unit outside the caller's scope)
        return None
    found = trends.alerts_by_period(alerts, trend_cards.grain_of(state)).get(x)
    return (str(found.start)[:10], str(found.end)[:10]) if found is not None else None
