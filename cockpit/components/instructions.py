"""Instruction views: the list, one instruction with its snapshot, history and actions, and the
loop's KPIs per unit. All text a user wrote is rendered as text (React escapes it): inert."""
from __future__ import annotations

import base64
import datetime as dt

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from cockpit import kpis, runtime
from cockpit.config import city_zone
from cockpit.i18n import MESSAGES, fmt_change, fmt_value, t
from cockpit.ops import instructions
from cockpit.ops.instructions import FormError, loop_kpis
from cockpit.ops.loop import LoopError, allowed_actions
from cockpit.ops.users import display_names
from cockpit.params import is_site_path
from cockpit.units import CITY_PREFIX, prefix_of

STATE_COLOURS = {"pending_ack": "warning", "in_progress": "primary", "pending_verify": "info", "returned": "danger",
                 "closed": "success"}


def person(username: str, names: dict) -> html.Span:
    """A user as people know them (`names`: ops.users.display_names, read once per render): the
    display name, the username on hover."""
    return html.Span(names.get(username, username), title=username, className="person")


def unit_name(code: str | None) -> str:
    if not code:
        return ""
    frame = runtime.runner().run("unit", CITY_PREFIX, unit=code)
    return frame.unit_name.iloc[-1] if len(frame) else code


def local_time(stamp: str | None) -> str:
    if not stamp:
        return ""
    moment = dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
    return moment.astimezone(city_zone()).strftime("%Y-%m-%d %H:%M")


def loop_message(exc: Exception, lang: str) -> str:
    """The message of a refused action or form field, with action and state names filled in."""
    args = dict(exc.params)
    if "action" in args:
        known = f"action.{args['action']}" in MESSAGES["zh"]
        args["action_name"] = t(f"action.{args['action']}", lang) if known else str(args["action"])[:20]
    if "state" in args:
        args["state_name"] = t(f"state.{args['state']}", lang)
    return t(exc.key, lang, **args)


def state_badges(row: dict, lang: str) -> list:
    out = [dbc.Badge(t(f"state.{row['state']}", lang), color=STATE_COLOURS[row["state"]], className="me-1 instr-state")]
    if row["overdue"]:
        out.append(dbc.Badge(t("state.overdue", lang), color="danger", className="me-1 instr-overdue"))
    return out


def instruction_table(rows: list[dict], lang: str) -> html.Div:
    if not rows:
        return html.Div(t("instr.none", lang), className="chart-empty", id="instr-list")
    cols = ["id", "text", "lead", "priority", "deadline", "state", "issuer"]
    head = html.Thead(html.Tr([html.Th(t(f"instr.col.{c}", lang)) for c in cols]))
    names = display_names(runtime.store())
    body = html.Tbody([html.Tr([
        html.Td(dcc.Link(f"#{r['id']}", href=f"/instructions?id={r['id']}&lang={lang}")),
        html.Td(dcc.Link(r["text"][:60] + ("…" if len(r["text"]) > 60 else ""),
                         href=f"/instructions?id={r['id']}&lang={lang}", className="instr-text-link as-written")),
        html.Td(unit_name(r["lead_unit"])),
        html.Td(t(f"priority.{r['priority']}", lang)),
        html.Td(r["deadline"]),
        html.Td(state_badges(r, lang)),
        html.Td(person(r["issuer"], names)),
    ], id=f"instr-row-{r['id']}") for r in rows])
    return html.Div(dbc.Table([head, body], hover=True, size="sm", className="instr-table"), id="instr-list")


def _snapshot_block(row: dict, lang: str) -> html.Div:
    snap = row["snapshot_data"]
    lines = [html.Div(f"{snap.get('unit_name', row['unit_code'])} · {row['period_start']} ~ {row['period_end']}")]
    if snap.get("kpi_id"):
        kpi = kpis.by_id(snap["kpi_id"]) if snap["kpi_id"] in {k.id for k in kpis.catalogue()} else None
        name = kpi.name(lang) if kpi else snap.get("kpi_name", snap["kpi_id"])
        shown = kpi.show(snap.get("value"), lang) if kpi else \
            f"{fmt_value(snap.get('value'), snap['kind'], lang)}{snap.get('unit_label', '')}"  # a KPI since removed
        lines.append(html.Div([html.Strong(name), f"  {shown}",
                               f"  ({t('cmp.' + snap.get('cmp', 'yoy'), lang)} {fmt_change(snap.get('change'), snap['kind'], lang)})"],
                              id="instr-snapshot-value"))
    url = row["view_url"] if is_site_path(row["view_url"]) else "/"  # (a row stored before issue() checked it)
    lines.append(dcc.Link(t("instr.view", lang) + " ›", href=url))
    return html.Div([html.H3(t("instr.snapshot", lang), className="h6")] + lines, className="instr-snapshot mb-3")


def _timeline(rows: list[dict], names: dict, lang: str) -> html.Div:
    items = []
    for link in rows:
        payload = link["payload"]
        note = payload.get("text", "") if link["action"] != "issue" else ""
        files = [html.A(f["name"], href=f"/evidence/{f['sha256']}", target="_blank", className="me-2 as-written")
                 for f in payload.get("evidence", [])]
        items.append(html.Li([
            html.Span(local_time(link["at"]), className="text-muted me-2"),
            html.Strong(t(f"action.{link['action']}", lang), className="me-2"),
            html.Span(person(link["actor"], names), className="me-2"),
            html.Span(f"→ {t('state.' + link['to_state'], lang)}", className="text-muted"),
            html.Div(note, className="instr-note as-written") if note else None,
            html.Div(files) if files else None,
        ], className="instr-link"))
    return html.Div([html.H3(t("instr.timeline", lang), className="h6"), html.Ol(items, className="instr-timeline")])


def detail(row: dict, lang: str) -> html.Div:
    actor = runtime.current_actor()
    now = dt.datetime.now(dt.UTC)
    actions = allowed_actions(actor, row, now)
    history = instructions.history(runtime.store(), actor, row["id"])
    names = display_names(runtime.store())
    panel = html.Div(t("instr.no_actions", lang), className="text-muted", id="instr-actions")
    if actions:
        panel = html.Div([
            dbc.Textarea(id="instr-note", rows=3, placeholder=t("instr.note", lang), maxLength=instructions.TEXT_MAX,
                         className="mb-2"),
            dcc.Upload(html.Div(t("instr.evidence", lang)), id="instr-upload", multiple=True,
                       className="instr-upload mb-2", max_size=instructions.EVIDENCE_MAX_BYTES),
            html.Div(id="instr-files", className="small text-muted mb-2"),
            html.Div([dbc.Button(t(f"action.{a}", lang), id={"type": "instr-act", "action": a},
                                 color="danger" if a in ("return", "escalate") else "primary", className="me-2 mb-1",
                                 size="sm") for a in actions]),
        ], id="instr-actions")
    assist = ", ".join(unit_name(u) for u in row["assist_list"])
    return html.Div([
        html.H2([f"#{row['id']} ", *state_badges(row, lang)], className="card-title-text"),
        html.P(row["text"], className="instr-text as-written", id="instr-text"),
        html.Div([
            html.Span(f"{t('instr.col.lead', lang)}：{unit_name(row['lead_unit'])}", className="me-3", id="instr-lead"),
            html.Span(f"{t('issue.assist', lang)}：{assist}", className="me-3") if assist else None,
            html.Span(f"{t('action.escalate', lang)}：{unit_name(row['escalated_to'])}", className="me-3") if row["escalated_to"] else None,
            html.Span(f"{t('instr.col.priority', lang)}：{t('priority.' + row['priority'], lang)}", className="me-3"),
            html.Span(t("instr.deadline_left", lang, deadline=row["deadline"]), className="me-3"),
            html.Span([f"{t('instr.col.issuer', lang)}：", person(row["issuer"], names)]),
        ], className="small mb-3"),
        _snapshot_block(row, lang),
        _timeline(history, names, lang),
        panel,
    ], className="card chart-card", id="instr-detail-card")


@callback(
    Output("instr-files", "children"),
    Input("instr-upload", "filename"),
    prevent_initial_call=True,
)
def _files(names):
    return ", ".join(names or [])


@callback(
    Output("instr-detail", "children"),
    Output("instr-message", "children"),
    Input({"type": "instr-act", "action": ALL}, "n_clicks"),
    State("instr-id", "data"),
    State("instr-note", "value"),
    State("instr-upload", "contents"),
    State("instr-upload", "filename"),
    State("instr-lang", "data"),
    prevent_initial_call=True,
)
def _act(clicks, iid, note, contents, names, lang):
    trigger = ctx.triggered_id
    if not trigger or not any(clicks or []):
        return no_update, no_update
    lang = lang if lang in ("zh", "en") else "zh"
    action = trigger.get("action") if isinstance(trigger, dict) else None
    try:
        files = [(str(n), base64.b64decode(c.split(",", 1)[1], validate=True)) for n, c in zip(names or [], contents or [])]
    except (ValueError, IndexError, AttributeError):
        return no_update, dbc.Alert(t("form.evidence_type", lang, name="?"), color="danger")
    try:
        row = instructions.act(runtime.store(), runtime.current_actor(), iid if isinstance(iid, int) else -1, str(action),
                               text=note or "", evidence=files, evidence_dir=runtime.settings().data_dir / "evidence")
    except (LoopError, FormError) as exc:
        return no_update, dbc.Alert(loop_message(exc, lang), color="danger", className="py-2", id="instr-refused")
    done = dbc.Alert(t("loop.done", lang, action_name=t(f"action.{action}", lang)), color="success",
                     className="py-2", id="instr-done", duration=6000)
    return detail(row, lang), done


def loop_card(state, lang: str) -> html.Div:
    """The loop's KPIs for the current unit and each unit under it (live from the store); unit
    names drill down like any other view."""
    actor = runtime.current_actor()
    rows = instructions.visible(runtime.store(), actor) if actor else []
    children = runtime.scoped().run("children", unit=state.unit)
    units = [(state.unit, unit_name(state.unit))] + list(zip(children.unit_code, children.unit_name))
    cols = ["issued", "open", "overdue", "on_time", "close_hours"]

    def cells(k: dict):
        rate = "—" if k["on_time_rate"] is None else f"{k['on_time_rate']:.1f}%"
        hours = "—" if k["avg_close_hours"] is None else f"{k['avg_close_hours']:.1f}{kpis.by_id('avg_close_hours').unit(lang)}"
        return [k["issued"], k["open"], k["overdue"], rate, hours]

    body = []
    for i, (code, name) in enumerate(units):
        k = loop_kpis(rows, prefix_of(code))
        if i and not k["issued"]:
            continue
        label = html.Strong(name) if i == 0 else dcc.Link(name, href="/" + state.query(unit=code))
        body.append(html.Tr([html.Td(label)] + [html.Td(v, className=f"loop-{c}") for c, v in zip(cols, cells(k))],
                            id=f"loop-{code}"))
    table = dbc.Table([html.Thead(html.Tr([html.Th(t("instr.kpi.unit", lang))] +
                                          [html.Th(t(f"instr.kpi.{c}", lang)) for c in cols])), html.Tbody(body)],
                      size="sm", className="mb-1")
    return html.Div([
        html.H2([t("instr.kpis", lang), " ", dcc.Link("›", href=f"/instructions?lang={lang}")], className="card-title-text"),
        table,
        html.Div(t("instr.kpi.source", lang), className="chart-source"),
    ], className="card chart-card", id="loop-kpis")
