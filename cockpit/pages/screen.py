"""Wall screen (/screen): one 16:9 screen, dark, readable from across the room — headline KPIs,
the map and trend of the screen's KPI (?kpi=, default events), anomaly alerts and the overdue
instructions the user can see; a clock and the data's freshness; reloads at the refresh
interval, or moves through a playlist (?playlist=NAME or ?rotate=/screen:310115,...&every=30)."""
from __future__ import annotations

import dash
from dash import dcc, html

from cockpit import cards, kpis, runtime, views
from cockpit.components.alerts import alert_list
from cockpit.components.cards import draws_nothing
from cockpit.components.instructions import unit_name
from cockpit.components.page import page_frame
from cockpit.i18n import fmt_change, fmt_value, t
from cockpit.ops import instructions
from cockpit.views import trends

dash.register_page(__name__, path="/screen", name="screen", title="大屏 · 城市数据驾驶舱")


def layout(**params):
    view = runtime.resolve({**params, "screen": "1"})
    lang = view.lang
    content = [
        html.Div([_tile(tile, lang) for tile in views.overview(view.run, view.state)["tiles"]],
                 className="screen-tiles", id="screen-tiles"),
        html.Div([
            _panel(view, "map"),
            _panel(view, "trend"),
            html.Div([
                # three fit the panel at 16:9 with their details; the rest are counted
                alert_list(trends.alerts_in(view.run, view.state.unit, view.state.start, view.state.end), view.state, lang,
                           limit=3),
                _overdue(lang),
            ], className="screen-side"),
        ], className="screen-main", id="screen-main"),
    ]
    return page_frame("/screen", view, t("screen.heading", lang, unit=view.unit_name), content, fill=True)


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


def _panel(view, card_id: str) -> html.Div:
    """A card of the screen (cockpit/cards/drill.py) in the dark theme, filling its panel."""
    shown = cards.show(cards.get("screen", card_id), view)
    if not shown.shown or draws_nothing(shown.figure):
        body = html.Div(t("card.no_data", view.lang), className="chart-empty")
    else:
        layout = {k: v for k, v in shown.figure["layout"].items() if k != "height"}
        body = dcc.Graph(figure={**shown.figure, "layout": {**layout, "autosize": True}}, className="screen-graph",
                         config={"displayModeBar": False, "responsive": True}, style={"height": "100%"})
    return html.Div([html.H2(shown.title, className="card-title-text"), html.Div(body, className="screen-panel-body")],
                    className="card chart-card screen-panel", id=f"screen-{card_id}")


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
