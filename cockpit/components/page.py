"""Pieces every page shares: the header with unit, period and freshness, and refusal messages."""
from __future__ import annotations

import datetime as dt

import dash_bootstrap_components as dbc
from dash import Input, Output, State, clientside_callback, dcc, html
from dash.development.base_component import Component
from flask import has_request_context
from flask_login import current_user

from cockpit import runtime
from cockpit.components.filters import filter_bar
from cockpit.components.issue import can_issue, issue_button, issue_modal
from cockpit.components.records import records_panel
from cockpit.components.tiles import kpi_tile
from cockpit.components.timers import clock, screen_timers
from cockpit.components.verify import verify_controls, verify_modal
from cockpit.config import city_now
from cockpit.i18n import t
from cockpit.state import comparison_range
from cockpit.views.drill import RECORD_KINDS
from cockpit.views.verify import fresh_marks


def freshness_stamp(view) -> html.Div:
    info, lang = view.freshness, view.lang
    text = t("freshness.label", lang, latest=info["latest_record"].strftime("%Y-%m-%d %H:%M"),
             built=info["built_at"].strftime("%Y-%m-%d %H:%M"))
    return html.Div(text, id="freshness", className="freshness", title=f"marts {info['version']}")


def messages(view: runtime.View) -> list:
    """What the URL asked for and was refused; and the sources the data has no records of."""
    return [dbc.Alert(t(key, view.lang, **args), color="warning", className="py-2 mb-2 param-error",
                      dismissable=True) for key, args in view.messages] + [
            dbc.Alert(t("data.none", view.lang, source=t(f"data.kind.{kind}", view.lang)), color="info",
                      className="py-2 mb-2 source-none", dismissable=True) for kind in view.freshness["empty"]]


NAV = [("/", "nav.overview"), ("/services", "nav.services"), ("/operations", "nav.operations"),
       ("/vitals", "nav.vitals"), ("/trends", "nav.trends"), ("/kpis", "nav.kpis"),
       ("/quality", "nav.quality"), ("/instructions", "nav.instructions"), ("/briefing", "nav.briefing")]


def navbar(path: str, state) -> dbc.Navbar:
    """Top bar; its links keep the current unit, period and language."""
    nav = NAV + ([("/audit", "nav.log")] if _role() in AUDIT_ROLES else [])
    links = [dbc.NavItem(dcc.Link(t(key, state.lang), href=href + state.query(),
                                  className="nav-link" + (" active" if href == path else "")))
             for href, key in nav]
    return dbc.Navbar(dbc.Container([
        dcc.Link([html.Span("数据驾驶舱", className="brand-zh"), html.Span("City Data Cockpit", className="brand-en")],
                 href="/" + state.query(), className="navbar-brand"),
        html.Button(html.Span(className="navbar-toggler-icon"), id="nav-toggle", className="navbar-toggler",
                    type="button", title=t("nav.menu", state.lang), **{"aria-label": t("nav.menu", state.lang)}),
        dbc.Collapse([dbc.Nav(links, navbar=True, className="ms-auto"), _user_badge(state.lang)],
                     id="nav-collapse", navbar=True, is_open=False),
    ], fluid=True), color="dark", dark=True, expand="xl", className="mb-3 cockpit-navbar")


# Below the navbar's breakpoint its links fold behind the toggler (in the browser: no request).
clientside_callback("function (n, open) { return !open; }", Output("nav-collapse", "is_open"),
                    Input("nav-toggle", "n_clicks"), State("nav-collapse", "is_open"), prevent_initial_call=True)


AUDIT_ROLES = ("admin", "cdo", "city_leader")  # the log names every unit's actions


def _role() -> str | None:
    return current_user.row["role"] if has_request_context() and current_user.is_authenticated else None


def _user_badge(lang: str):
    """Who is logged in, their role, and the way out."""
    if not has_request_context() or not current_user.is_authenticated:
        return None
    row = current_user.row
    return html.Div([
        html.Span(f"{row['display_name']} · {t('role.' + row['role'], lang)}", id="user-name", className="me-2"),
        html.Form(html.Button(t("nav.logout", lang), type="submit", id="logout", className="btn btn-link link-light p-0 small"),
                  method="post", action="/logout", className="d-inline"),
    ], className="navbar-user ms-3 small text-light")


def plain(node):
    """A component tree as plain JSON values. A callback answer made only of these is written by
    orjson in one call; with component objects in it, plotly walks every value in Python first
    (two thirds of a warm page's time went there). A component already made plain (a dict with
    type, namespace and props) is not walked again."""
    if isinstance(node, Component):  # its props are the attributes set on it (as to_plotly_json finds them)
        return {"props": {k: plain(v) for k, v in vars(node).items() if k not in _COMPONENT_OWN},
                "type": node._type, "namespace": node._namespace}
    if isinstance(node, dict):
        return node if node.keys() >= {"type", "namespace", "props"} else {k: plain(v) for k, v in node.items()}
    if isinstance(node, (list, tuple)):
        if all(type(v) in _SCALARS for v in node):  # a figure's values: nothing to walk
            return node
        return [plain(v) for v in node]
    return node


_SCALARS = frozenset({str, int, float, bool, type(None)})
# What a Dash component keeps on itself besides its props.
_COMPONENT_OWN = frozenset({"_prop_names", "_valid_wildcard_attributes", "available_properties",
                            "available_wildcard_properties"})


def from_marts(view: runtime.View, part: str, build) -> list:
    """Page content made from the marts alone (no user, no instruction), as plain JSON, cached
    like a query: per part, URL state, scope, wall-screen settings, whether the user may issue
    instructions (the cards' buttons) and the KPIs' fresh-or-stale marks (which change with the
    clock), for the marts version. A warm view builds none of it again. Not kept while one of
    its cards waits for its model."""
    key = {"part": part, "query": view.state.query(), "screen": repr(view.screen), "issue": can_issue(),
           "fresh": fresh_marks(view.freshness, city_now())}
    return view.run.memo("content", key, lambda: plain(build()), keep=lambda _: not view.waiting)


def page_frame(path: str, view: runtime.View, heading: str, content: list, fill: bool = False,
               periodic: bool = True) -> dict:
    """A whole page: navbar, heading with period and freshness, filter bar, messages, content.
    On the wall screen (?screen=1): dark, no navbar or filters, a clock; `fill` makes the page
    exactly one screen high (the /screen layout). A page that is not about a period of the
    data (`periodic=False`: instructions, logs) has neither its heading's period nor its filters."""
    s = view.state
    head = [html.H1(heading, className="page-heading")]
    if periodic:
        head += [html.Div(t("overview.period", s.lang, start=s.start.isoformat(), end=s.end.isoformat()),
                          className="page-period", id="page-period"),
                 html.Div(compared_with(s, view.first_day), className="page-period page-compare", id="page-compare")]
    bar = filter_bar(path, s, view.first_day, view.last_day, view.crumbs, view.children, periodic)
    if view.screen is not None:
        return plain(html.Div([
            html.Div([*head, clock(), freshness_stamp(view)], className="page-head screen-head"),
            *messages(view),
            html.Div(content, className="screen-body"),
            html.Div(bar, hidden=True),  # its stores serve the pages' callbacks; on the wall it is not shown
            screen_timers(view.screen),
            issue_modal(s.lang),
            verify_modal(),
        ], className="screen-mode" + (" screen-fill" if fill else ""), lang="en" if s.lang == "en" else "zh-CN"))
    return plain(html.Div([
        navbar(path, s),
        html.Div([
            html.Div([*head, freshness_stamp(view)], className="page-head"),
            bar,
            *messages(view),
            *content,
        ], className="page-body"),
        issue_modal(s.lang),
        verify_modal(),
    ], lang="en" if s.lang == "en" else "zh-CN"))


def compared_with(state, first_day: dt.date) -> str:
    """The comparison period every change on the page is against, in words, and whether the
    data starts inside it (a change against days with no data is no change at all)."""
    start, end = comparison_range(state.start, state.end, state.cmp)
    text = t("overview.compare", state.lang, cmp=t(f"cmp.{state.cmp}", state.lang), start=start.isoformat(),
             end=end.isoformat(), days=(end - start).days + 1)
    if start < first_day:
        text += t("overview.compare_partial" if end >= first_day else "overview.compare_empty", state.lang,
                  first=first_day.isoformat())
    return text


def tiles_grid(data: dict, view: runtime.View) -> html.Div:
    state = view.state
    period_text = f"{state.start:%Y-%m-%d}~{state.end:%m-%d}"
    cmp_start, cmp_end = (dt.date.fromisoformat(data[k]) for k in ("cmp_start", "cmp_end"))
    compare = {"label": t(f"cmp.{state.cmp}", state.lang), "period": f"{cmp_start:%Y-%m-%d}~{cmp_end:%m-%d}",
               "cutoff": data["cutoff"]}
    return html.Div([kpi_tile(tile, state.lang, period_text, compare,
                              issue_button(f"tile-{tile['kpi_id']}", state, state.lang, tile["kpi_id"]),
                              verify_controls(view, tile["kpi_id"]))
                     for tile in data["tiles"]],
                    id="kpi-tiles", className="kpi-grid")


def records_section(path: str, view: runtime.View, params: dict, kind: str) -> list:
    """The records panel when asked for (?records=applications|events) or at the lowest level
    (a unit with no units below it); otherwise a link to the page's own kind of records."""
    state, asked = view.state, params.get("records")
    if asked in RECORD_KINDS or not view.children:
        return [records_panel(state, asked if asked in RECORD_KINDS else kind)]
    return [html.Div(dcc.Link(t("card.records", state.lang) + " ›", id="records-link",
                              href=f"{path}{state.query()}&records={kind}"), className="records-link")]
