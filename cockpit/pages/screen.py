"""Wall screen (/screen): one 16:9 screen, dark, readable from across the room — headline KPIs,
the map and trend of the screen's KPI (?kpi=, default events), anomaly alerts and the overdue
instructions the user can see; a clock and the data's freshness; reloads at the refresh
interval, or moves through a playlist (?playlist=NAME or ?rotate=/screen:310115,...&every=30)."""
from __future__ import annotations

import dash
from dash import dcc, html

from cockpit import figures, kpis, runtime, units, views
from cockpit.components.alerts import alert_list
from cockpit.components.instructions import unit_name
from cockpit.components.page import page_frame
from cockpit.i18n import fmt_change, fmt_value, t
from cockpit.ops import instructions
from cockpit.views import drill, trends

dash.register_page(__name__, path="/screen", name="screen", title="大屏 · 城市数据驾驶舱")
DEFAULT_KPI = "events"


def layout(**params):
    resolved = runtime.resolve({**params, "screen": "1"})
    state, lang = resolved.state, resolved.state.lang
    run, scope = runtime.runner(), runtime.current_scope()
    kpi = kpis.by_id(state.kpi or DEFAULT_KPI)
    unit = resolved.crumbs[-1][1] if resolved.crumbs else state.unit
    tiles = views.overview(run, state, scope)["tiles"]
    content = [
        html.Div([_tile(tile, lang) for tile in tiles], className="screen-tiles", id="screen-tiles"),
        html.Div([
            _panel("screen-map", t("chart.map", lang, kpi=kpi.name(lang)), _map(run, state, kpi, scope, lang)),
            _panel("screen-trend", t("chart.trend", lang, kpi=kpi.name(lang), grain=t(f"grain.{state.grain}", lang)),
                   _trend(run, state, kpi, scope, lang)),
            html.Div([
                alert_list(trends.alerts(run, scope), state, lang, limit=4),
                _overdue(lang),
            ], className="screen-side"),
        ], className="screen-main", id="screen-main"),
    ]
    return page_frame("/screen", resolved, t("screen.heading", lang, unit=unit), content, fill=True)


def _tile(tile: dict, lang: str) -> html.Div:
    kpi = kpis.by_id(tile["kpi_id"])
    value = fmt_value(tile["value"], kpi.kind, lang) if tile["value"] is not None else "—"
    return html.Div([
        html.Div(kpi.name(lang), className="screen-tile-name"),
        html.Div([html.Span(value, className="screen-tile-value"), html.Span(kpi.unit(lang), className="screen-tile-unit")]),
        html.Div(f"{_arrow(tile['change'])} {fmt_change(tile['change'], kpi.kind, lang)}",
                 className=f"screen-tile-change kpi-{tile['judgement']}"),
    ], className="screen-tile", id=f"screen-tile-{kpi.id}")


def _arrow(change: float | None) -> str:
    """The way the number moved; its colour says whether that is good."""
    return "▲" if (change or 0) > 0 else "▼" if (change or 0) < 0 else "■"


def _graph(figure: dict, lang: str) -> dcc.Graph:
    figure = figures.present(figure, lang, "dark")
    layout = {k: v for k, v in figure["layout"].items() if k != "height"}
    return dcc.Graph(figure={**figure, "layout": {**layout, "autosize": True}}, className="screen-graph",
                     config={"displayModeBar": False, "responsive": True}, style={"height": "100%"})


def _panel(panel_id: str, title: str, body) -> html.Div:
    return html.Div([html.H2(title, className="card-title-text"), html.Div(body, className="screen-panel-body")],
                    className="card chart-card screen-panel", id=panel_id)


def _map(run, state, kpi, scope, lang):
    children = drill.children_values(run, state, kpi, scope)
    if children.empty:
        return html.Div(t("card.no_data", lang), className="chart-empty")
    values = dict(zip(children.unit_code, children.value))
    names = dict(zip(children.unit_code, children.unit_name))
    texts = {c: "—" if v != v else f"{fmt_value(v, kpi.kind, lang)}{kpi.unit(lang)}" for c, v in values.items()}
    points = None if units.is_city(state.unit) else drill.child_points(run, state, scope)
    figure = figures.area_map(drill.map_shapes(state), points, values, names, texts, kpi.direction == "lower",
                              kpi.name(lang))
    for trace in figure["data"]:  # district names stay readable on the dark ground
        if trace.get("mode") == "text":
            trace["textfont"] = {"size": 14, "color": "#e6edf3"}
    return _graph(figure, lang)


def _trend(run, state, kpi, scope, lang):
    series = drill.kpi_trend(run, state, kpi, scope)
    figure = figures.trend(series, t("chart.current", lang), t("chart.compare", lang) + f" ({t('cmp.' + state.cmp, lang)})",
                           kpi.target_for(state.unit), t("chart.target", lang))
    return _graph(figure, lang)


def _overdue(lang: str) -> html.Div:
    """The overdue instructions the user can see, oldest deadline first."""
    rows = sorted((r for r in instructions.visible(runtime.store(), runtime.current_actor()) if r["overdue"]),
                  key=lambda r: r["deadline"])
    items = [html.Li(dcc.Link(t("screen.overdue_item", lang, id=r["id"], text=r["text"][:28],
                                unit=unit_name(r["lead_unit"]), deadline=r["deadline"]),
                              href=f"/instructions?id={r['id']}&lang={lang}"), className="alert-item alert-bad")
             for r in rows[:4]]
    more = [html.Div(t("screen.more", lang, n=len(rows) - 4), className="screen-more")] if len(rows) > 4 else []
    body = html.Ul(items, className="alert-list") if items else html.Div(t("screen.no_overdue", lang),
                                                                           className="chart-empty")
    return html.Div([html.H2(t("screen.overdue", lang, n=len(rows)), className="card-title-text"), body, *more],
                    className="card chart-card", id="screen-overdue")
