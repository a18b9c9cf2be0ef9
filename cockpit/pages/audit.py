"""Audit log verification (/audit): recompute the instruction log's hash chain and show the
latest links, and the access log (who saw which unit's personal data). City-wide roles only:
both name every unit's users."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import sqlalchemy as sa
from dash import dcc, html

from cockpit import runtime
from cockpit import kpis
from cockpit.components.instructions import local_time, person, unit_name
from cockpit.components.page import AUDIT_ROLES, page_frame
from cockpit.i18n import t
from cockpit.ops import access, chain
from cockpit.ops.store import log
from cockpit.ops.users import display_names

dash.register_page(__name__, path="/audit", name="audit", title="留痕核验 · 城市数据驾驶舱")
ACCESS_SHOWN = 100


def layout(**params):
    resolved = runtime.resolve(params)
    lang = resolved.state.lang
    actor = runtime.current_actor()
    if actor.role not in AUDIT_ROLES:
        return page_frame("/audit", resolved, t("log.heading", lang),
                          [dbc.Alert(t("log.only_city", lang), color="warning")], periodic=False)
    with runtime.store().reading() as conn:
        verdict = chain.verify(conn)
        recent = conn.execute(sa.select(log).order_by(log.c.seq.desc()).limit(30)).mappings().all()
    names = display_names(runtime.store())
    rows = [html.Tr([html.Td(r["seq"]), html.Td(local_time(r["at"])), html.Td(person(r["actor"], names)),
                     html.Td(t(f"action.{r['action']}", lang)),
                     html.Td(dcc.Link(f"#{r['instruction_id']}", href=f"/instructions?id={r['instruction_id']}&lang={lang}")),
                     html.Td(html.Code(r["hash"][:16]))]) for r in recent]
    if verdict.ok:
        message = t("log.ok", lang, links=verdict.links)
    else:
        reason = t(f"log.reason.{verdict.reason_key}", lang, **dict(verdict.reason_args))
        message = t("log.broken", lang, seq=verdict.broken_seq, reason=reason)
    head = ["#"] + [t(f"log.col.{c}", lang) for c in ("time", "actor", "action", "instruction", "hash")]
    return page_frame("/audit", resolved, t("log.heading", lang), [
        dbc.Alert(message, color="success" if verdict.ok else "danger", id="log-verdict"),
        html.Div([html.H2(t("log.recent", lang), className="card-title-text"),
                  dbc.Table([html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(rows)], size="sm")],
                 className="card chart-card"),
        _access(names, lang),
    ], periodic=False)


def _what(row: dict, lang: str) -> str:
    """The record kind or KPI in words; a card or file as it is named."""
    if row["action"] == "records":
        return t(f"records.{row['what']}", lang)
    if row["action"] == "verify":
        try:
            return kpis.by_id(row["what"]).name(lang)
        except KeyError:  # a KPI since removed from the catalogue
            return row["what"]
    return row["what"]


def _access(people: dict, lang: str) -> html.Div:
    notes = access.recent(runtime.store(), ACCESS_SHOWN)
    head = [t(f"log.col.{c}", lang) for c in ("time", "actor")] + [t(f"access.col.{c}", lang) for c in ("role", "unit")] \
        + [t("log.col.action", lang), t("access.col.what", lang), t("access.col.rows", lang)]
    names = {code: unit_name(code) for code in {n["unit_code"] for n in notes}}
    rows = [html.Tr([html.Td(local_time(n["at"])), html.Td(person(n["username"], people)), html.Td(t(f"role.{n['role']}", lang)),
                     html.Td(names[n["unit_code"]]), html.Td(t(f"access.action.{n['action']}", lang)),
                     html.Td(_what(n, lang), className="" if n["action"] in ("records", "verify") else "as-written"),
                     html.Td("" if n["rows"] is None else n["rows"])]) for n in notes]
    body = (dbc.Table([html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(rows)], size="sm", responsive=True)
            if rows else html.P(t("access.empty", lang), className="text-muted"))
    return html.Div([html.H2(t("access.heading", lang), className="card-title-text"),
                     html.P(t("access.note", lang, n=ACCESS_SHOWN), className="small text-muted"), body],
                    className="card chart-card", id="access-log")
