"""Audit log verification (/audit): recompute the instruction log's hash chain and show the
latest links. City-wide roles only: the log names every unit's actions."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import sqlalchemy as sa
from dash import dcc, html

from cockpit import runtime
from cockpit.components.instructions import local_time
from cockpit.components.page import AUDIT_ROLES, page_frame
from cockpit.i18n import t
from cockpit.ops import chain
from cockpit.ops.store import log

dash.register_page(__name__, path="/audit", name="audit", title="留痕核验 · 城市数据驾驶舱")

def layout(**params):
    resolved = runtime.resolve(params)
    lang = resolved.state.lang
    actor = runtime.current_actor()
    if actor.role not in AUDIT_ROLES:
        return page_frame("/audit", resolved, t("log.heading", lang),
                          [dbc.Alert(t("log.only_city", lang), color="warning")])
    with runtime.store().reading() as conn:
        verdict = chain.verify(conn)
        recent = conn.execute(sa.select(log).order_by(log.c.seq.desc()).limit(30)).mappings().all()
    rows = [html.Tr([html.Td(r["seq"]), html.Td(local_time(r["at"])), html.Td(r["actor"]),
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
    ])
