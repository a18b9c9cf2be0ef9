"""下达指令 from any KPI tile, chart card or alert: a button carrying its context (KPI, unit,
period) and one modal form per page. The numbers the leader saw are computed again on the server
for the snapshot, never taken from the browser."""
from __future__ import annotations

import datetime as dt

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from cockpit import kpis, runtime, views
from cockpit.components.instructions import loop_message
from cockpit.config import city_now
from cockpit.i18n import fmt_change, t
from cockpit.ops import instructions
from cockpit.ops.instructions import FormError
from cockpit.ops.loop import ISSUING_ROLES, PRIORITIES, LoopError
from cockpit.state import parse_state
from cockpit.units import prefix_of


def can_issue() -> bool:
    actor = runtime.current_actor()
    return actor is not None and actor.role in ISSUING_ROLES


def issue_button(source: str, state, lang: str, kpi_id: str | None = None, unit: str | None = None,
                 start: dt.date | None = None, end: dt.date | None = None):
    """The 下达指令 button, or nothing for users who cannot issue."""
    if not can_issue():
        return None
    return html.Button(t("issue.button", lang), className="btn btn-sm btn-outline-danger issue-open",
                       id={"type": "issue-open", "source": source, "kpi": kpi_id or "", "unit": unit or state.unit,
                           "start": (start or state.start).isoformat(), "end": (end or state.end).isoformat()})


def issue_modal(lang: str) -> html.Div:
    if not can_issue():
        return html.Div()
    priorities = [{"label": t(f"priority.{p}", lang), "value": p} for p in PRIORITIES]
    field = lambda label, control: html.Div([html.Label(label, className="form-label"), control], className="mb-2")
    return html.Div([
        dcc.Store(id="issue-context"),
        dbc.Modal([
            dbc.ModalHeader(dbc.ModalTitle(t("issue.title", lang))),
            dbc.ModalBody([
                html.Div(id="issue-summary", className="issue-summary mb-2"),
                field(t("issue.lead", lang), dcc.Dropdown(id="issue-lead", clearable=False)),
                field(t("issue.assist", lang), dcc.Dropdown(id="issue-assist", multi=True)),
                field(t("issue.department", lang), dcc.Dropdown(id="issue-department")),
                dbc.Row([
                    dbc.Col(field(t("issue.deadline", lang), dbc.Input(id="issue-deadline", type="date"))),
                    dbc.Col(field(t("issue.priority", lang), dbc.RadioItems(id="issue-priority", options=priorities,
                                                                            value="normal", inline=True))),
                ]),
                field(t("issue.text", lang), dbc.Textarea(id="issue-text", rows=4, maxLength=instructions.TEXT_MAX)),
                html.Div(id="issue-error", className="text-danger"),
            ]),
            dbc.ModalFooter([
                dbc.Button(t("issue.cancel", lang), id="issue-cancel", color="secondary", outline=True),
                dbc.Button(t("issue.submit", lang), id="issue-submit", color="danger"),
            ]),
        ], id="issue-modal", is_open=False, size="lg"),
        html.Div(id="issue-result"),
    ])


def snapshot(source: str, kpi_id: str, unit: str, start: dt.date, end: dt.date, cmp: str, lang: str) -> dict:
    """What the view showed for this KPI, unit and period: value, comparison value and change,
    target, record counts behind it; recomputed from the marts."""
    run = runtime.scoped()
    crumbs = run.run("unit", unit=unit)
    out = {"source": source, "unit_code": unit, "unit_name": crumbs.unit_name.iloc[-1],
           "period_start": start.isoformat(), "period_end": end.isoformat(), "cmp": cmp,
           "marts_version": views.freshness(run)["version"]}
    if kpi_id:
        kpi = kpis.by_id(kpi_id)
        state = parse_state({"unit": unit, "start": start.isoformat(), "end": end.isoformat(), "cmp": cmp},
                            *views.data_range(run))[0]
        tile = views.kpi_tiles(run, state, [kpi_id])["tiles"][0]
        out.update({k: tile[k] for k in ("kpi_id", "value", "previous", "change", "target", "numerator", "denominator")})
        out.update(kpi_name=kpi.name("zh"), unit_label=kpi.unit("zh"), kind=kpi.kind)
    return out


def _context(trigger: dict, current: dict | None, path: str | None) -> dict:
    """Validate a button's id (a crafted one is refused like bad URL parameters)."""
    run = runtime.scoped()
    first, last = views.data_range(run)
    start, end = dt.date.fromisoformat(trigger["start"]), dt.date.fromisoformat(trigger["end"])
    if not first <= start <= end <= last:
        raise ValueError("period outside the data")
    kpi_id = trigger.get("kpi") or ""
    if kpi_id and kpi_id not in {k.id for k in kpis.catalogue()}:
        raise ValueError("unknown KPI")
    unit = trigger["unit"]
    if run.run("unit", unit=unit).empty:  # raises ScopeError outside the scope
        raise ValueError("unknown unit")
    query = (current or {}).get("query", "")
    state = parse_state(dict(p.split("=", 1) for p in query.lstrip("?").split("&") if "=" in p), first, last)[0]
    return {"kpi_id": kpi_id or None, "unit_code": unit, "period_start": start.isoformat(),
            "period_end": end.isoformat(), "view_url": f"{path or '/'}{query}", "lang": state.lang,
            "snapshot": snapshot(str(trigger.get("source", ""))[:40], kpi_id, unit, start, end, state.cmp, state.lang)}


def _summary(context: dict, lang: str) -> list:
    snap = context["snapshot"]
    kpi_name = kpis.by_id(snap["kpi_id"]).name(lang) if snap.get("kpi_id") else snap.get("source", "")
    lines = [html.Div(t("issue.context", lang, kpi=kpi_name, unit=snap["unit_name"],
                        period=f"{snap['period_start']} ~ {snap['period_end']}"))]
    if snap.get("kpi_id"):
        kind = snap["kind"]
        value = kpis.by_id(snap["kpi_id"]).show(snap["value"], lang)
        lines.append(html.Div(t("issue.value", lang, value=value, cmp=t(f"cmp.{snap['cmp']}", lang),
                                change=fmt_change(snap["change"], kind, lang)), id="issue-value"))
    return lines


def _unit_options(unit: str) -> list[dict]:
    """The viewed unit and the units under it (within the caller's scope)."""
    run = runtime.scoped()
    own = run.run("unit", unit=unit).iloc[-1]
    children = run.run("children", unit=unit)
    return [{"label": f"{own.unit_name} ({unit})", "value": unit}] + [
        {"label": f"{n} ({c})", "value": c} for c, n in zip(children.unit_code, children.unit_name)]


@callback(
    Output("issue-modal", "is_open"),
    Output("issue-context", "data"),
    Output("issue-summary", "children"),
    Output("issue-lead", "options"),
    Output("issue-lead", "value"),
    Output("issue-assist", "options"),
    Output("issue-department", "options"),
    Output("issue-deadline", "value"),
    Output("issue-error", "children"),
    Input({"type": "issue-open", "source": ALL, "kpi": ALL, "unit": ALL, "start": ALL, "end": ALL}, "n_clicks"),
    State("f-state", "data"),
    State("_pages_location", "pathname"),
    prevent_initial_call=True,
)
def _open(clicks, current, path):
    trigger = ctx.triggered_id
    if not trigger or not any(clicks or []) or not can_issue():
        return (no_update,) * 9
    try:
        context = _context(dict(trigger), current, path)
    except (ValueError, KeyError, TypeError, runtime.ScopeError):
        return (no_update,) * 9
    lang = context["lang"]
    units = _unit_options(context["unit_code"])
    # the unit the tile, chart or alert is about; the first below it when that is the issuer's own
    own = context["unit_code"] == runtime.current_actor().unit_code
    lead = units[1]["value"] if own and len(units) > 1 else units[0]["value"]
    names = runtime.runner().run("reference")
    departments = [{"label": (r.name_en if lang == "en" else r.name_zh), "value": r.key}
                   for r in names[names.kind == "dept_code"].itertuples()]
    deadline = (city_now().date() + dt.timedelta(days=7)).isoformat()
    return True, context, _summary(context, lang), units, lead, units, departments, deadline, ""


@callback(
    Output("issue-modal", "is_open", allow_duplicate=True),
    Input("issue-cancel", "n_clicks"),
    prevent_initial_call=True,
)
def _cancel(n):
    return False if n else no_update


@callback(
    Output("issue-modal", "is_open", allow_duplicate=True),
    Output("issue-error", "children", allow_duplicate=True),
    Output("issue-result", "children"),
    Input("issue-submit", "n_clicks"),
    State("issue-context", "data"),
    State("issue-lead", "value"),
    State("issue-assist", "value"),
    State("issue-department", "value"),
    State("issue-deadline", "value"),
    State("issue-priority", "value"),
    State("issue-text", "value"),
    prevent_initial_call=True,
)
def _submit(n, context, lead, assist, department, deadline, priority, text):
    if not n or not isinstance(context, dict):
        return no_update, no_update, no_update
    actor = runtime.current_actor()
    lang = context.get("lang", "zh")
    try:
        # The context is checked again: a crafted request cannot freeze numbers it did not see.
        trigger = {"source": context["snapshot"]["source"], "kpi": context.get("kpi_id") or "",
                   "unit": context["unit_code"], "start": context["period_start"], "end": context["period_end"]}
        view_url = str(context.get("view_url", "/"))
        fresh = _context(trigger, {"query": view_url[view_url.find("?"):] if "?" in view_url else ""},
                         view_url.split("?")[0])
        run = runtime.runner()
        names = run.run("reference")
        form = {"lead_unit": lead, "assist_units": assist or [], "department": department, "deadline": deadline,
                "priority": priority, "text": text}
        iid = instructions.issue(runtime.store(), actor, form, fresh,
                                 known_unit=lambda code: not run.run("unit", prefix_of(code), unit=code).empty,
                                 departments=set(names[names.kind == "dept_code"].key))
    except (FormError, LoopError) as exc:
        return True, loop_message(exc, lang), no_update
    except (ValueError, KeyError, TypeError, runtime.ScopeError):
        return True, t("loop.not_found", lang, id="—"), no_update
    done = dbc.Alert([t("issue.done", lang, id=iid), " ",
                      dcc.Link(t("issue.open_list", lang), href=f"/instructions?id={iid}&lang={lang}")],
                     color="success", dismissable=True, id="issue-done", className="mt-2")
    return False, "", done
