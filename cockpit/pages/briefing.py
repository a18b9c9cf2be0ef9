"""Briefing (/briefing): the user's basket of chart cards — reorder, retitle, a note per chart —
and exports to PPTX, PDF and a ZIP of images and data, run in the background with progress;
below, the export log."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from cockpit import runtime
from cockpit.components.instructions import local_time, person
from cockpit.components.page import AUDIT_ROLES, page_frame
from cockpit.export import jobs
from cockpit.i18n import t
from cockpit.ops import briefing
from cockpit.ops.instructions import FormError
from cockpit.ops.users import display_names, get_user

dash.register_page(__name__, path="/briefing", name="briefing", title="简报 · 城市数据驾驶舱")


def layout(**params):
    resolved = runtime.resolve(params)
    lang = resolved.state.lang
    actor = runtime.current_actor()
    store = runtime.store()
    basket = briefing.items(store, actor.username)
    exports = [dbc.Button(t(f"briefing.export_{fmt}", lang), id=f"brief-export-{fmt}", color="primary",
                          outline=fmt != "pptx", className="me-2") for fmt in briefing.FORMATS]
    content = [
        dcc.Store(id="brief-lang", data=lang), dcc.Store(id="brief-job"),
        dcc.Interval(id="brief-poll", interval=800, disabled=True),
        html.Div([
            dbc.Label(t("briefing.title", lang), html_for="brief-title"),
            dbc.Input(id="brief-title", maxLength=briefing.TITLE_MAX, className="mb-2",
                      placeholder=t("briefing.title_default", lang, unit=basket[0]["unit_name"] if basket else "")),
            html.Div(exports, className="mb-2"),
            html.Div(id="brief-progress"),
        ], className="card chart-card"),
        html.Div(id="brief-message"),
        html.Div(item_list(basket, lang), id="brief-items"),
        html.Div(export_log(actor, lang), id="brief-log", className="card chart-card"),
    ]
    user = get_user(store, actor.username)["display_name"]
    return page_frame("/briefing", resolved, t("briefing.heading", lang, user=user), content)


def item_list(items: list[dict], lang: str) -> list:
    if not items:
        return [dbc.Alert(t("briefing.empty", lang), color="secondary", id="brief-empty")]
    rows = []
    for n, item in enumerate(items, start=1):
        key = {"item": item["id"]}
        rows.append(html.Div([
            html.Div([html.Span(f"{n}. ", className="brief-no"),
                      html.Strong(briefing.title_of(item), className="brief-card-title"),
                      html.Span(f" · {item['unit_name']} · {item['period']}", className="text-muted small"),
                      dcc.Link(t("briefing.open", lang) + " ›", href=item["path"] + item["query"],
                               className="ms-2 small")]),
            dbc.Row([
                dbc.Col(dbc.Input(id={"type": "brief-title", **key}, value=item["title"] or "",
                                  placeholder=item["card_title"], maxLength=briefing.TITLE_MAX), md=4),
                dbc.Col(dbc.Input(id={"type": "brief-note", **key}, value=item["note"], maxLength=briefing.NOTE_MAX,
                                  placeholder=t("briefing.item_note", lang)), md=5),
                dbc.Col(html.Div([
                    dbc.Button(t("briefing.save", lang), id={"type": "brief-save", **key}, size="sm", color="primary"),
                    dbc.Button("↑", id={"type": "brief-up", **key}, size="sm", color="secondary", outline=True,
                               title=t("briefing.up", lang), disabled=n == 1),
                    dbc.Button("↓", id={"type": "brief-down", **key}, size="sm", color="secondary", outline=True,
                               title=t("briefing.down", lang), disabled=n == len(items)),
                    dbc.Button(t("briefing.remove", lang), id={"type": "brief-remove", **key}, size="sm",
                               color="danger", outline=True),
                ], className="d-flex gap-1"), md=3),
            ], className="g-2 mt-1"),
        ], className="card chart-card brief-item", id=f"brief-item-{item['id']}"))
    return rows


def export_log(actor, lang: str) -> list:
    everyone = actor.role in AUDIT_ROLES
    rows = briefing.export_log(runtime.store(), None if everyone else actor.username)
    cols = ["time", "user", "format", "charts", "status"]
    body, names = [], display_names(runtime.store())
    for r in rows:
        status = t(f"briefing.status.{r['status']}", lang)
        if r["status"] == "done" and r["username"] == actor.username:
            status = html.A(t("briefing.download", lang), href=f"/briefing/download/{r['id']}",
                            id=f"brief-download-{r['id']}")
        body.append(html.Tr([html.Td(local_time(r["created_at"])), html.Td(person(r["username"], names)),
                             html.Td(r["format"].upper()), html.Td(len(r["items"])), html.Td(status)]))
    return [html.H2(t("briefing.log", lang), className="card-title-text"),
            dbc.Table([html.Thead(html.Tr([html.Th(t(f"briefing.col.{c}", lang)) for c in cols])),
                       html.Tbody(body)], size="sm", className="mb-0", id="brief-log-table")]


@callback(
    Output("brief-items", "children"),
    Output("brief-message", "children"),
    Input({"type": "brief-save", "item": ALL}, "n_clicks"),
    Input({"type": "brief-up", "item": ALL}, "n_clicks"),
    Input({"type": "brief-down", "item": ALL}, "n_clicks"),
    Input({"type": "brief-remove", "item": ALL}, "n_clicks"),
    State({"type": "brief-title", "item": ALL}, "value"),
    State({"type": "brief-note", "item": ALL}, "value"),
    State({"type": "brief-title", "item": ALL}, "id"),
    State("brief-lang", "data"),
    prevent_initial_call=True,
)
def _change(_save, _up, _down, _remove, titles, notes, ids, lang):
    trigger = ctx.triggered_id
    if not isinstance(trigger, dict) or not ctx.triggered or not ctx.triggered[0]["value"]:
        return no_update, no_update
    lang = "en" if lang == "en" else "zh"
    actor, store = runtime.current_actor(), runtime.store()
    item_id, kind = trigger.get("item"), trigger.get("type")
    message = None
    try:
        if not isinstance(item_id, int):
            raise FormError("item", "briefing.error.item")
        if kind == "brief-save":
            fields = {i["item"]: (title, note) for i, title, note in zip(ids, titles, notes)}
            title, note = fields.get(item_id, (None, None))
            briefing.edit(store, actor.username, item_id, title, note)
            message = dbc.Alert(t("briefing.saved", lang), color="success", duration=2500, className="py-1")
        elif kind in ("brief-up", "brief-down"):
            briefing.move(store, actor.username, item_id, -1 if kind == "brief-up" else 1)
        elif kind == "brief-remove":
            briefing.remove(store, actor.username, item_id)
    except FormError as exc:
        message = dbc.Alert(t(exc.key, lang, **exc.params), color="danger", className="py-1", id="brief-error")
    return item_list(briefing.items(store, actor.username), lang), message


@callback(
    Output("brief-job", "data"),
    Output("brief-poll", "disabled", allow_duplicate=True),
    Output("brief-progress", "children", allow_duplicate=True),
    [Input(f"brief-export-{fmt}", "n_clicks") for fmt in briefing.FORMATS],
    State("brief-title", "value"),
    State("brief-lang", "data"),
    prevent_initial_call=True,
)
def _export(*args):
    *_, title, lang = args
    lang = "en" if lang == "en" else "zh"
    fmt = str(ctx.triggered_id or "").removeprefix("brief-export-")
    try:
        export_id = jobs.request(runtime.current_actor(), fmt, title or "", lang)
    except FormError as exc:
        return None, True, dbc.Alert(t(exc.key, lang, **exc.params), color="danger", className="py-1",
                                     id="brief-error")
    return export_id, False, html.Div(t("briefing.queued", lang, id=export_id), id="brief-status")


@callback(
    Output("brief-progress", "children", allow_duplicate=True),
    Output("brief-poll", "disabled", allow_duplicate=True),
    Output("brief-log", "children"),
    Input("brief-poll", "n_intervals"),
    State("brief-job", "data"),
    State("brief-lang", "data"),
    prevent_initial_call=True,
)
def _poll(_n, export_id, lang):
    lang = "en" if lang == "en" else "zh"
    actor = runtime.current_actor()
    row = briefing.get_export(runtime.store(), export_id) if isinstance(export_id, int) else None
    if row is None or row["username"] != actor.username:
        return no_update, True, no_update
    if row["status"] == "done":
        link = html.A(t("briefing.download", lang) + f" · {row['file_name']}",
                      href=f"/briefing/download/{row['id']}", id="brief-download", className="btn btn-success btn-sm")
        return html.Div([html.Span(t("briefing.done", lang, id=row["id"]) + " ", id="brief-status"), link]), True, \
            export_log(actor, lang)
    if row["status"] == "failed":
        return dbc.Alert(t("briefing.failed", lang, id=row["id"], error=row["error"]), color="danger",
                         id="brief-status"), True, export_log(actor, lang)
    done, total = row["done_steps"], row["total_steps"]
    return html.Div([
        html.Div(t("briefing.progress", lang, id=row["id"], format=row["format"].upper(), done=done, total=total),
                 id="brief-status"),
        dbc.Progress(value=done, max=total, striped=True, animated=True, className="mt-1", id="brief-bar"),
    ]), False, no_update
