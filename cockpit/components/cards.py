"""Chart card: a registered card (cockpit.cards) as the page shows it: title, unit, period,
source and refresh time around its figure, with PNG and SVG downloads at print resolution and
the CSV of exactly the rows plotted. Clicking a point that carries a unit code drills down to
that unit."""
from __future__ import annotations

import re

import dash_bootstrap_components as dbc
from dash import (
    ALL,
    MATCH,
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    ctx,
    dcc,
    html,
    no_update,
)

from cockpit import cards, runtime, units
from cockpit.components.issue import issue_button
from cockpit.components.verify import verify_controls
from cockpit.export.charts import ChartError, clean_query
from cockpit.export.charts import render as render_chart
from cockpit.i18n import source_name, t
from cockpit.ops import briefing
from cockpit.ops.instructions import FormError
from cockpit.state import query_params, with_params

PRINT_SIZE = {"width": 1600, "height": 900, "scale": 2}  # 3200×1800 px PNG, ~300 dpi at A4 width


def file_name(*parts: str) -> str:
    """A download name that says what the file holds, safe on every system."""
    return re.sub(r"[\\/:*?\"<>|\s]+", "_", "_".join(p for p in parts if p)).strip("_")[:120]


def card_file_name(title: str, view) -> str:
    return file_name(title, view.unit_name, f"{view.state.start:%Y%m%d}-{view.state.end:%Y%m%d}")


def card_grid(view, page: str, card_ids: list[str]) -> dbc.Row:
    """The page's cards, in this order, each as wide as it says; cards with nothing to show for
    the view are left out."""
    shown = [cards.show(cards.get(page, card_id), view) for card_id in card_ids]
    return dbc.Row([dbc.Col(chart_card(s, view), lg=s.card.width) for s in shown if s.shown],
                   className=f"g-3 mt-1 {page}-grid")


def chart_card(shown: cards.Shown, view) -> html.Div:
    """Title, unit, period, source and refresh time around a card's figure; PNG and SVG at print
    resolution; the CSV is the card's API answer (the same bytes by construction)."""
    card, lang, title = shown.card, view.lang, shown.title
    kpi_id = shown.kpi
    name = card_file_name(title, view)
    source_text = source_name(shown.source, lang)
    config = {"displaylogo": False, "responsive": True,
              "toImageButtonOptions": {"format": "png", "filename": name, **PRINT_SIZE},
              "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"]}
    empty = not shown.data["rows"] or draws_nothing(shown.figure)
    return html.Div([
        html.Div([
            html.H2([title, html.Span(t("card.drill_hint", lang), className="card-hint") if card.drills else None],
                    className="card-title-text"),
            html.Div([html.Span(view.unit_name), html.Span(" · " + view.period),
                      html.Span(" · " + t("card.unit", lang, unit=shown.unit_label) if shown.unit_label else "")],
                     className="card-subtitle-text"),
        ], className="chart-card-head"),
        _waiting(shown, view) if shown.data["pending"] is not None else
        html.Div(t("card.no_data", lang), className="chart-empty") if empty else None,
        # as high as the figure says (a responsive graph otherwise fills a card stretched by its row)
        dcc.Graph(id={"type": "chart", "card": card.id}, figure=shown.figure, config=config, className="chart-graph",
                  style={"display": "none"} if empty else {"height": f"{_height(shown.figure)}px"}),
        *(card.extra(view) if card.extra else []),
        html.Div([
            html.Span(f"{t('source.label', lang, source=source_text)} · {t('card.refreshed', lang, time=view.refreshed)}",
                      className="chart-source"),
            html.Div([
                html.Button(t("card.png", lang), id={"type": "card-png", "card": card.id}, className="btn btn-sm btn-outline-secondary"),
                html.Button(t("card.svg", lang), id={"type": "card-svg", "card": card.id}, className="btn btn-sm btn-outline-secondary"),
                html.A(t("card.csv", lang), href=card.url("csv") + view.state.query(), download=f"{name}.csv",
                       className="btn btn-sm btn-outline-secondary card-csv"),
            ], className="btn-group chart-actions"),
            verify_controls(view, kpi_id),
            issue_button(title, view.state, lang, kpi_id),
            html.Button(t("briefing.add", lang), id={"type": "brief-add", "card": card.id},
                        className="btn btn-sm btn-outline-primary brief-add"),
        ], className="chart-card-foot"),
        dcc.Store(id={"type": "card-name", "card": card.id}, data=name),  # the PNG and SVG file name
    ], className="card chart-card", id=f"card-{card.id}")


def draws_nothing(figure) -> bool:
    """No trace has a number to draw (every value missing): the card says "no data in this
    range" instead of showing empty axes."""
    for trace in (figure.get("data") or []) if isinstance(figure, dict) else []:
        if trace.get("fill") == "toself" or trace.get("type") not in ("scatter", "bar"):
            return False  # an area or another kind of chart: drawn as it is
        values = trace.get("x" if trace.get("orientation") == "h" else "y") or []
        if any(isinstance(v, (int, float)) and v == v for v in values):
            return False
    return True


def _height(figure) -> int:
    return (figure.get("layout") or {}).get("height") or 320 if isinstance(figure, dict) else 320


def _waiting(shown: cards.Shown, view) -> html.Div:
    """A card whose model is being fitted in the background says so, and asks its API every
    few seconds; when the rows are complete the page loads again with them."""
    card, waited = shown.card, shown.data["pending"]
    return html.Div([
        html.Span(t("card.pending", view.lang, seconds=f"{waited:.0f}"), id={"type": "card-wait-text", "card": card.id}),
        dcc.Interval(id={"type": "card-wait", "card": card.id}, interval=2000, max_intervals=150),
        dcc.Store(id={"type": "card-wait-url", "card": card.id},
                  data={"url": card.url("json") + view.state.query(), "since": waited,
                        "text": t("card.pending", view.lang, seconds="{s}")}),
    ], className="chart-pending")


clientside_callback(
    """
    async function(n, wait) {
        const answer = await fetch(wait.url, {credentials: 'same-origin'}).then(r => r.json()).catch(() => null);
        if (answer && answer.pending === null) { window.location.reload(); }
        return wait.text.replace('{s}', Math.round(wait.since + 2 * n));
    }
    """,
    Output({"type": "card-wait-text", "card": MATCH}, "children"),
    Input({"type": "card-wait", "card": MATCH}, "n_intervals"),
    State({"type": "card-wait-url", "card": MATCH}, "data"),
    prevent_initial_call=True,
)


@callback(
    Output({"type": "brief-add", "card": MATCH}, "children"),
    Input({"type": "brief-add", "card": MATCH}, "n_clicks"),
    State("_pages_location", "pathname"),
    State("_pages_location", "search"),
    prevent_initial_call=True,
)
def _add_to_briefing(n_clicks, path, search):
    """Put this card, with the page's current filters, into the user's briefing basket. The
    page is rendered again here, so only a card the page really shows can be added."""
    if not n_clicks or not ctx.triggered_id:  # (a crafted request may name no button)
        return no_update
    lang = "en" if query_params(search or "").get("lang") == "en" else "zh"
    actor = runtime.current_actor()
    query = clean_query(search or "")
    try:
        chart = render_chart(str(path), query, str(ctx.triggered_id["card"]))
        briefing.add(runtime.store(), actor.username, str(path), chart.state, ctx.triggered_id["card"], chart.title,
                     chart.unit_name, chart.period)
    except ChartError:
        return "⚠ " + t("briefing.error.card", lang)
    except FormError as exc:
        return "⚠ " + t(exc.key, lang, **exc.params)
    return "✓ " + t("briefing.added", lang, n=len(briefing.items(runtime.store(), actor.username)))


for fmt in ("png", "svg"):
    clientside_callback(
        f"""
        function(n, name) {{
            if (!n) {{ return window.dash_clientside.no_update; }}
            const id = window.dash_clientside.callback_context.triggered_id;
            const graph = document.querySelector('#card-' + id.card + ' .js-plotly-plot');
            if (graph && window.Plotly) {{
                window.Plotly.downloadImage(graph, {{format: '{fmt}', filename: name,
                    width: {PRINT_SIZE['width']}, height: {PRINT_SIZE['height']}, scale: {PRINT_SIZE['scale']}}});
            }}
            return window.dash_clientside.no_update;
        }}
        """,
        Output({"type": f"card-{fmt}", "card": MATCH}, "title"),
        Input({"type": f"card-{fmt}", "card": MATCH}, "n_clicks"),
        State({"type": "card-name", "card": MATCH}, "data"),
        prevent_initial_call=True,
    )


@callback(
    Output("_pages_location", "search", allow_duplicate=True),
    Input({"type": "chart", "card": ALL}, "clickData"),
    State("f-state", "data"),
    prevent_initial_call=True,
)
def _drill(clicks, current):
    """A click on a point carrying a unit code, or inside a map's area, makes that unit the
    current one."""
    click = ctx.triggered[0]["value"] if ctx.triggered else None
    try:
        code = click["points"][0]["customdata"][0]
        # a click inside an area (a filled trace) comes with the whole trace's customdata: every
        # item of it is the area's unit
        code = code[0] if isinstance(code, list) and code else code
        query = current["query"]
    except (TypeError, KeyError, IndexError):
        return no_update
    if not units.is_code(code):
        return no_update
    return with_params(query, unit=code)
