"""KPI catalogue and scores (/kpis) for CDOs: every catalogue KPI for the unit and period with
target, status light, score, sparkline and owner (searchable); composite scores of the sub-units
(click to drill) and of the owner departments, and their history."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, clientside_callback, dcc, html

from cockpit import figures, runtime
from cockpit.analysis.scores import composite
from cockpit.cards.kpis import score_text
from cockpit.components.cards import card_grid
from cockpit.components.page import from_marts, page_frame
from cockpit.i18n import fmt_change, t
from cockpit.views import scores

dash.register_page(__name__, path="/kpis", name="kpis", title="指标目录 · 城市数据驾驶舱")


def _row(row: dict, state, lang: str) -> html.Tr:
    kpi = row["kpi"]
    status = row["target_status"] or ("nodata" if row["target"] is not None else "none")  # a target, no value
    value, target = kpi.show(row["value"], lang), kpi.show(row["target"], lang)
    search = " ".join([kpi.name_zh, kpi.name_en, kpi.definition_zh, kpi.definition_en, kpi.owner, kpi.id]).lower()
    return html.Tr([
        html.Td([dcc.Link(kpi.name(lang), href="/trends" + state.query(kpi=kpi.id), className="fw-semibold"),
                 html.Div(kpi.definition_en if lang == "en" else kpi.definition_zh, className="kpi-definition")]),
        html.Td(value, className="text-nowrap"),
        html.Td(fmt_change(row["change"], kpi.kind, lang), className=f"kpi-{row['judgement']} text-nowrap"),
        html.Td(target, className="text-nowrap"),
        html.Td([html.Span("●", className=f"status-light status-{status}"), " ", t(f"kpis.status.{status}", lang)],
                className="text-nowrap kpi-status"),
        html.Td(score_text(row["score"]), className="kpi-score"),
        html.Td(dcc.Graph(figure=figures.sparkline(row["series"], row.get("series_partial")), config={"displayModeBar": False},
                          style={"height": "34px", "width": "130px"})),
        html.Td(kpi.owner),
        html.Td(f"{kpi.weight:g}"),
        html.Td(t(f"refresh.{kpi.refresh}", lang)),
    ], id=f"kpi-row-{kpi.id}", className="kpi-row", **{"data-search": search})


def layout(**params):
    view = runtime.resolve(params)
    return page_frame("/kpis", view, t("kpis.heading", view.lang, unit=view.unit_name),
                      from_marts(view, "kpis", lambda: _content(view)))


def _content(view) -> list:
    state, lang = view.state, view.lang
    rows = scores.catalogue_rows(view.run, state)
    cols = ["name", "value", None, "target", "status", "score", "trend", "owner", "weight", "refresh"]
    head = html.Thead(html.Tr([html.Th(t(f"kpis.col.{c}", lang) if c else t(f"cmp.{state.cmp}", lang)) for c in cols]))
    table = html.Div([
        dbc.Input(id="kpi-search", type="search", placeholder=t("kpis.search", lang), className="mb-2", debounce=False),
        dbc.Table([head, html.Tbody([_row(r, state, lang) for r in rows])], hover=True, size="sm",
                  id="kpi-table", className="kpi-table mb-0", responsive=True),
        html.Div(t("kpis.score_note", lang), className="chart-source mt-1"),
    ], className="card chart-card")
    overall = composite({r["kpi_id"]: r["score"] for r in rows}, scores.weights())
    summary = html.Div(t("kpis.composite", lang, unit=view.unit_name, score=score_text(overall)), id="kpi-composite",
                       className="kpi-composite mb-2")
    return [summary, table, card_grid(view, "kpis", ["unit-scores", "score-history", "dept-scores"])]


# Search filters the rows in the browser (the catalogue is small): no round trip.
clientside_callback(
    """
    function(text) {
        const needle = (text || '').trim().toLowerCase();
        document.querySelectorAll('#kpi-table tbody tr').forEach(function(row) {
            const hay = row.getAttribute('data-search') || '';
            row.style.display = !needle || hay.indexOf(needle) >= 0 ? '' : 'none';
        });
        return window.dash_clientside.no_update;
    }
    """,
    Output("kpi-search", "title"),
    Input("kpi-search", "value"),
)
