"""Instructions (/instructions): the list a user may see, by box (all, issued by me, for me to
handle), and one instruction (?id=N) with its frozen data, history and the actions open to them."""
from __future__ import annotations

import dash
from dash import dcc, html

from cockpit import runtime
from cockpit.components.instructions import detail, instruction_table
from cockpit.components.page import page_frame
from cockpit.i18n import t
from cockpit.ops import instructions
from cockpit.ops.loop import is_handler
from cockpit.params import ID_MAX, flat, whole

dash.register_page(__name__, path="/instructions", name="instructions", title="指令督办 · 城市数据驾驶舱")

BOXES = ("all", "issued", "todo")


def layout(**params):
    params = flat(params)
    id, box = params.pop("id", None), params.pop("box", "all")
    resolved = runtime.resolve(params)
    lang = resolved.state.lang
    actor = runtime.current_actor()
    store = runtime.store()
    heading = t("instr.heading", lang)
    if id is not None:
        number = whole(id, 1, ID_MAX)
        row = instructions.get(store, actor, number) if number else None
        body = detail(row, lang) if row else html.Div(t("loop.not_found", lang, id=str(id)[:12]),
                                                      className="alert alert-warning", id="instr-missing")
        content = [dcc.Link(t("instr.back", lang), href=f"/instructions?lang={lang}", className="d-block mb-2"),
                   html.Div(id="instr-message"), dcc.Store(id="instr-id", data=row["id"] if row else None),
                   dcc.Store(id="instr-lang", data=lang), html.Div(body, id="instr-detail")]
        return page_frame("/instructions", resolved, heading, content, periodic=False)
    box = box if box in BOXES else "all"
    rows = instructions.visible(store, actor)
    if box == "issued":
        rows = [r for r in rows if r["issuer"] == actor.username]
    if box == "todo":
        rows = [r for r in rows if is_handler(actor, r) and r["state"] != "closed"]
    tabs = html.Div([dcc.Link(t(f"instr.box.{b}", lang), href=f"/instructions?box={b}&lang={lang}",
                              className="btn btn-sm me-2 " + ("btn-dark" if b == box else "btn-outline-dark"),
                              id=f"instr-box-{b}") for b in BOXES], className="mb-2")
    return page_frame("/instructions", resolved, heading, [tabs, instruction_table(rows, lang)], periodic=False)
