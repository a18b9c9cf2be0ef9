"""Chart card: title, unit, period, source and refresh time around a figure, with PNG and SVG
downloads at print resolution and a CSV of exactly the data plotted. Clicking a point that
carries a unit code drills down to that unit."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
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

from cockpit import runtime, units
from cockpit.components.issue import issue_button
from cockpit.components.verify import verify_controls
from cockpit.export.charts import ChartError, clean_query
from cockpit.export.charts import render as render_chart
from cockpit.figures import present
from cockpit.i18n import SOURCE_NAMES_EN, t
from cockpit.ops import briefing
from cockpit.ops.instructions import FormError
from cockpit.state import ViewState, query_params, with_params
from cockpit.views.verify import for_source

PRINT_SIZE = {"width": 1600, "height": 900, "scale": 2}  # 3200×1800 px PNG, ~300 dpi at A4 width


@dataclass(frozen=True)
class CardContext:
    """What every card on a page says about where its numbers come from."""

    state: ViewState
    unit_name: str
    refreshed: str
    theme: str = "light"  # figures.TEMPLATES: "dark" on the wall screen

    @property
    def period(self) -> str:
        return f"{self.state.start:%Y-%m-%d} ~ {self.state.end:%Y-%m-%d}"


def file_name(*parts: str) -> str:
    """A download name that says what the file holds, safe on every system."""
    return re.sub(r"[\\/:*?\"<>|\s]+", "_", "_".join(p for p in parts if p)).strip("_")[:120]


def chart_card(card_id: str, title: str, figure: dict, data: pd.DataFrame, ctx_: CardContext, source: str,
               unit_label: str = "", extra: list | None = None, kpi_id: str | None = None) -> html.Div:
    lang = ctx_.state.lang
    kpi_id = kpi_id or ctx_.state.kpi or getattr(for_source(source), "id", None)
    name = file_name(title, ctx_.unit_name, f"{ctx_.state.start:%Y%m%d}-{ctx_.state.end:%Y%m%d}")
    source_text = SOURCE_NAMES_EN.get(source, source) if lang == "en" else source
    config = {"displaylogo": False, "responsive": True,
              "toImageButtonOptions": {"format": "png", "filename": name, **PRINT_SIZE},
              "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"]}
    empty = data is None or len(data) == 0
    figure = present(figure, lang, ctx_.theme)
    return html.Div([
        html.Div([
            html.H2(title, className="card-title-text"),
            html.Div([html.Span(ctx_.unit_name), html.Span(" · " + ctx_.period),
                      html.Span(" · " + t("card.unit", lang, unit=unit_label) if unit_label else "")],
                     className="card-subtitle-text"),
        ], className="chart-card-head"),
        html.Div(t("card.no_data", lang), className="chart-empty") if empty else None,
        dcc.Graph(id={"type": "chart", "card": card_id}, figure=figure, config=config, className="chart-graph",
                  style={"display": "none"} if empty else {}),
        *(extra or []),
        html.Div([
            html.Span(f"{t('source.label', lang, source=source_text)} · {t('card.refreshed', lang, time=ctx_.refreshed)}",
                      className="chart-source"),
            html.Div([
                html.Button(t("card.png", lang), id={"type": "card-png", "card": card_id}, className="btn btn-sm btn-outline-secondary"),
                html.Button(t("card.svg", lang), id={"type": "card-svg", "card": card_id}, className="btn btn-sm btn-outline-secondary"),
                html.Button(t("card.csv", lang), id={"type": "card-csv", "card": card_id}, className="btn btn-sm btn-outline-secondary"),
            ], className="btn-group chart-actions"),
            verify_controls(ctx_.state, lang, kpi_id),
            issue_button(title, ctx_.state, lang, kpi_id),
            html.Button(t("briefing.add", lang), id={"type": "brief-add", "card": card_id},
                        className="btn btn-sm btn-outline-primary brief-add"),
        ], className="chart-card-foot"),
        # What the card says about itself: the CSV download and the briefing export read it.
        dcc.Store(id={"type": "card-data", "card": card_id},
                  data={"name": name, "rows": [] if empty else data.to_dict("records"), "title": title,
                        "unit_name": ctx_.unit_name, "period": ctx_.period, "unit_label": unit_label,
                        "source": source_text, "refreshed": ctx_.refreshed, "kpi": kpi_id}),
        dcc.Download(id={"type": "card-download", "card": card_id}),
    ], className="card chart-card", id=f"card-{card_id}")


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
    if not n_clicks:
        return no_update
    lang = "en" if query_params(search or "").get("lang") == "en" else "zh"
    actor = runtime.current_actor()
    query = clean_query(search or "")
    try:
        chart = render_chart(str(path), query, str(ctx.triggered_id["card"]))
        briefing.add(runtime.store(), actor.username, str(path), query, ctx.triggered_id["card"], chart.title,
                     chart.unit_name, chart.period)
    except ChartError:
        return "⚠ " + t("briefing.error.card", lang)
    except FormError as exc:
        return "⚠ " + t(exc.key, lang, **exc.params)
    return "✓ " + t("briefing.added", lang, n=len(briefing.items(runtime.store(), actor.username)))


@callback(
    Output({"type": "card-download", "card": MATCH}, "data"),
    Input({"type": "card-csv", "card": MATCH}, "n_clicks"),
    State({"type": "card-data", "card": MATCH}, "data"),
    prevent_initial_call=True,
)
def _download_csv(n_clicks, stored):
    """The CSV of exactly the rows the card plotted (UTF-8 with BOM so Excel reads Chinese)."""
    if not n_clicks or not isinstance(stored, dict) or not isinstance(stored.get("rows"), list):
        return no_update
    frame = pd.DataFrame(stored["rows"])
    return dcc.send_data_frame(frame.to_csv, f"{file_name(str(stored.get('name', 'chart')))}.csv",
                               index=False, encoding="utf-8-sig")


for fmt in ("png", "svg"):
    clientside_callback(
        f"""
        function(n, stored) {{
            if (!n) {{ return window.dash_clientside.no_update; }}
            const id = window.dash_clientside.callback_context.triggered_id;
            const graph = document.querySelector('#card-' + id.card + ' .js-plotly-plot');
            if (graph && window.Plotly) {{
                window.Plotly.downloadImage(graph, {{format: '{fmt}', filename: stored.name,
                    width: {PRINT_SIZE['width']}, height: {PRINT_SIZE['height']}, scale: {PRINT_SIZE['scale']}}});
            }}
            return window.dash_clientside.no_update;
        }}
        """,
        Output({"type": f"card-{fmt}", "card": MATCH}, "title"),
        Input({"type": f"card-{fmt}", "card": MATCH}, "n_clicks"),
        State({"type": "card-data", "card": MATCH}, "data"),
        prevent_initial_call=True,
    )


@callback(
    Output("_pages_location", "search", allow_duplicate=True),
    Input({"type": "chart", "card": ALL}, "clickData"),
    State("f-state", "data"),
    prevent_initial_call=True,
)
def _drill(clicks, current):
    """A click on a point carrying a unit code makes that unit the current one."""
    click = ctx.triggered[0]["value"] if ctx.triggered else None
    try:
        code = click["points"][0]["customdata"][0]
        query = current["query"]
    except (TypeError, KeyError, IndexError):
        return no_update
    if not units.is_code(code):
        return no_update
    return with_params(query, unit=code)
