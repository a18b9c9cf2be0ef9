"""City vital signs (/vitals): one panel per sensor type with the latest value, thresholds,
breaches in the period and the series (cockpit/cards/vitals.py); breach days link to the events
raised nearby."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dash_table, html

from cockpit import cards, runtime
from cockpit.components.cards import card_grid
from cockpit.components.page import from_marts, page_frame
from cockpit.i18n import label, t
from cockpit.views import vitals

dash.register_page(__name__, path="/vitals", name="vitals", title="城市生命体征 · 城市数据驾驶舱")


def layout(**params):
    view = runtime.resolve(params)
    return page_frame("/vitals", view, t("vitals.heading", view.lang, unit=view.unit_name),
                      from_marts(view, "vitals", lambda: _content(view)))


def _content(view) -> list:
    s, lang = view.state, view.lang
    breaches = vitals.breach_days(view.run, s)
    rows = []
    for r in breaches.itertuples():
        day = r.day.strftime("%Y-%m-%d")
        link = f"/operations{s.query(unit=r.street_code, start=r.day.date(), end=r.day.date())}&records=events"
        rows.append({"day": day, "sensor": f"{t(f'sensor.{r.sensor_type}', lang)} {r.sensor_id}",
                     "breaches": r.breaches, "max": round(r.max_value, 2), "category": label("category", r.category, lang),
                     "events": f"[{r.related_events}]({link})"})
    table = html.Div([
        html.H2(t("vitals.events_nearby", lang), className="card-title-text"),
        dash_table.DataTable(
            id="breach-table", data=rows, markdown_options={"link_target": "_self"},
            columns=[{"name": t(f"vitals.col.{c}", lang), "id": c, **({"presentation": "markdown"} if c == "events" else {})}
                     for c in ("day", "sensor", "breaches", "max", "category", "events")],
            page_size=10, style_table={"overflowX": "auto"},
            style_cell={"fontFamily": "inherit", "fontSize": 13, "padding": "4px 8px"},
            style_header={"fontWeight": 600, "backgroundColor": "#f6f8fa"}),
    ], className="card chart-card mt-3 breach-card")
    absent = [html.Div([html.H2(t(f"sensor.{c.id.removeprefix('vital-')}", lang), className="card-title-text"),
                        html.Div(t("vitals.none", lang), className="chart-empty")], className="card chart-card")
              for c in cards.of_page("vitals") if not cards.rows(c, view)["shown"]]
    return [card_grid(view, "vitals", [c.id for c in cards.of_page("vitals")]),
            dbc.Row([dbc.Col(a, lg=4) for a in absent], className="g-3 mt-1"), table]
