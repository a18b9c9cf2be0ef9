"""The last drill step: the records behind the numbers, paged, personal data masked."""
from __future__ import annotations

import datetime as dt

import pandas as pd
from dash import Input, Output, State, callback, ctx, dash_table, dcc, html, no_update

from cockpit import runtime
from cockpit.i18n import label, t
from cockpit.state import parse_state, query_params
from cockpit.views.drill import PAGE_SIZE, RECORD_KINDS, records


# Columns holding a code and the group of its display names (cockpit.i18n.label), and columns
# holding yes or no.
CODED = {"channel": "channel", "applicant_type": "applicant", "source": "source", "category": "category",
         "status": "record_status", "rating_reason": "reason"}
FLAGS = ("is_on_time", "is_closed_on_time", "is_repeat")


def table(frame, lang: str) -> tuple[list[dict], list[dict]]:
    """Records as a DataTable shows them, in the page's language: (columns, rows). Columns are
    named, codes given their names, flags yes or no, times to the minute; the column ids stay
    the fields' own."""
    frame = frame.copy()
    for col in frame.columns:
        if str(frame[col].dtype).startswith("datetime"):
            frame[col] = frame[col].dt.strftime("%Y-%m-%d %H:%M").fillna("")
        elif col in CODED:
            frame[col] = [None if pd.isna(v) else label(CODED[col], v, lang) for v in frame[col]]
        elif col in FLAGS:
            frame[col] = [None if pd.isna(v) else t("verify.yes" if v else "verify.no", lang) for v in frame[col]]
    columns = [{"name": label("col", c, lang), "id": c} for c in frame.columns]
    return columns, frame.astype(object).where(frame.notna(), None).to_dict("records")


def records_panel(state, kind: str) -> html.Div:
    frame = records(runtime.scoped(), state, kind, 0, viewer=runtime.current_actor())
    runtime.note_access("records", state.unit, kind, len(frame))
    lang = state.lang
    columns, rows = table(frame, lang)
    return html.Div([
        html.H2(t("records.title", lang), className="card-title-text"),
        dcc.Tabs(id="records-kind", value=kind, children=[
            dcc.Tab(label=t(f"records.{k}", lang), value=k) for k in RECORD_KINDS]),
        dash_table.DataTable(
            id="records-table", data=rows, columns=columns,
            page_action="custom", page_current=0, page_size=PAGE_SIZE,
            style_table={"overflowX": "auto"}, style_cell={"fontFamily": "inherit", "fontSize": 13, "padding": "4px 8px"},
            style_header={"fontWeight": 600, "backgroundColor": "#f6f8fa"}),
    ], className="card chart-card records-panel", id="records")


@callback(
    Output("records-table", "data"), Output("records-table", "columns"), Output("records-table", "page_current"),
    Input("records-kind", "value"), Input("records-table", "page_current"),
    State("f-state", "data"),
    prevent_initial_call=True,
)
def _page(kind, page, current):
    if ctx.triggered_id == "records-kind":
        page = 0
    if kind not in RECORD_KINDS or not isinstance(page, int) or page < 0:
        return no_update, no_update, 0
    try:
        first, last = dt.date.fromisoformat(current["first"]), dt.date.fromisoformat(current["last"])
        params = query_params(current["query"])
    except (TypeError, KeyError, ValueError):
        return no_update, no_update, no_update
    state, _ = parse_state(params, first, last)
    try:
        frame = records(runtime.scoped(), state, kind, min(page, 10_000), viewer=runtime.current_actor())
    except PermissionError:
        return [], [], 0
    runtime.note_access("records", state.unit, kind, len(frame))
    columns, rows = table(frame, state.lang)
    return rows, columns, page
