"""City vital signs (/vitals): one panel per sensor type with the latest value, thresholds,
breaches in the period and the series; breach days link to the events raised nearby."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dash_table, html

from cockpit import figures, runtime
from cockpit.components.cards import chart_card
from cockpit.components.page import card_context, page_frame
from cockpit.i18n import t
from cockpit.views import vitals

dash.register_page(__name__, path="/vitals", name="vitals", title="城市生命体征 · 城市数据驾驶舱")
SOURCE = "城市生命体征"


def _series_figure(panel: dict, lang: str) -> dict:
    series = panel["series"]
    x = [p.strftime("%Y-%m-%d %H:%M") for p in series.period_start]
    fig = {"data": [
        {"type": "scatter", "mode": "lines", "x": x, "y": list(series.max_value), "name": t("vitals.max", lang),
         "line": {"color": figures.COLORS["line"], "width": 1.8}},
        {"type": "scatter", "mode": "lines", "x": x, "y": list(series.mean_value), "name": t("vitals.mean", lang),
         "line": {"color": "#8c959f", "width": 1.2}},
    ], "layout": figures.base_layout(240, hovermode="x unified")}
    fig["layout"]["xaxis"] = {"type": "date"}
    fig["layout"]["shapes"] = [
        {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": v, "y1": v,
         "line": {"color": figures.COLORS["bad"], "dash": "dash", "width": 1.2}}
        for v in (panel["warn_low"], panel["warn_high"]) if v is not None]
    return fig


def _panel(panel: dict, ctx, lang: str):
    name = t(f"sensor.{panel['sensor_type']}", lang)
    if not panel["sensors"]:
        return html.Div([html.H2(name, className="card-title-text"), html.Div(t("vitals.none", lang), className="chart-empty")],
                        className="card chart-card")
    low = f"< {panel['warn_low']:g} / " if panel["warn_low"] is not None else ""
    facts = html.Div([
        html.Span(t("vitals.latest", lang, value=f"{panel['latest_value']:,.1f}", uom=panel["uom"],
                    time=panel["latest_time"].strftime("%m-%d %H:%M")), className="vital-latest"),
        html.Span(t("vitals.thresholds", lang, low=low, high=f"> {panel['warn_high']:,.1f}"), className="vital-threshold"),
        html.Span(t("vitals.breaches", lang, n=panel["breaches"]),
                  className="vital-breaches" + (" kpi-bad" if panel["breaches"] else " kpi-good")),
    ], className="vital-facts")
    title = t("chart.sensor", lang, sensor=name, uom=panel["uom"])
    return chart_card(f"vital-{panel['sensor_type']}", title, _series_figure(panel, lang), panel["series"], ctx,
                      SOURCE, panel["uom"], extra=[facts])


def layout(**params):
    resolved = runtime.resolve(params)
    s, lang = resolved.state, resolved.state.lang
    run, scope = runtime.runner(), runtime.current_scope()
    ctx = card_context(resolved)
    panels = vitals.panels(run, s, scope)
    breaches = vitals.breach_days(run, s, scope)
    rows = []
    for r in breaches.itertuples():
        day = r.day.strftime("%Y-%m-%d")
        link = f"/operations{s.query(unit=r.street_code, start=r.day.date(), end=r.day.date())}&records=events"
        rows.append({"day": day, "sensor": f"{t(f'sensor.{r.sensor_type}', lang)} {r.sensor_id}",
                     "breaches": r.breaches, "max": round(r.max_value, 2), "category": r.category,
                     "events": f"[{r.related_events}]({link})"})
    table = html.Div([
        html.H2(t("vitals.events_nearby", lang), className="card-title-text"),
        dash_table.DataTable(
            id="breach-table", data=rows, markdown_options={"link_target": "_self"},
            columns=[{"name": t(f"vitals.col.{c}", lang), "id": c, **({"presentation": "markdown"} if c == "events" else {})}
                     for c in ("day", "sensor", "breaches", "max", "category", "events")],
            page_size=10, style_cell={"fontFamily": "inherit", "fontSize": 13, "padding": "4px 8px"},
            style_header={"fontWeight": 600, "backgroundColor": "#f6f8fa"}),
    ], className="card chart-card mt-3")
    content = [dbc.Row([dbc.Col(_panel(p, ctx, lang), lg=6, xxl=4) for p in panels], className="g-3"), table]
    return page_frame("/vitals", resolved, t("vitals.heading", lang, unit=ctx.unit_name), content)
