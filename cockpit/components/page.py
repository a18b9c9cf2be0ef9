"""Pieces every page shares: the header with unit, period and freshness, and refusal messages."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from cockpit import runtime
from cockpit.components.filters import filter_bar
from cockpit.i18n import t
from cockpit.views import freshness


def freshness_stamp(lang: str) -> html.Div:
    info = freshness(runtime.runner())
    text = t("freshness.label", lang, latest=info["latest_record"].strftime("%Y-%m-%d %H:%M"),
             built=info["built_at"].strftime("%Y-%m-%d %H:%M"))
    return html.Div(text, id="freshness", className="freshness", title=f"marts {info['version']}")


def messages(resolved: runtime.Resolved) -> list:
    return [dbc.Alert(t(key, resolved.state.lang, **args), color="warning", className="py-2 mb-2 param-error",
                      dismissable=True) for key, args in resolved.messages]


NAV = [("/", "nav.overview")]


def navbar(path: str, state) -> dbc.Navbar:
    """Top bar; its links keep the current unit, period and language."""
    links = [dbc.NavItem(dcc.Link(t(key, state.lang), href=href + state.query(),
                                  className="nav-link" + (" active" if href == path else "")))
             for href, key in NAV]
    return dbc.Navbar(dbc.Container([
        dcc.Link([html.Span("数据驾驶舱", className="brand-zh"), html.Span("City Data Cockpit", className="brand-en")],
                 href="/" + state.query(), className="navbar-brand"),
        dbc.Nav(links, navbar=True, className="ms-auto"),
    ], fluid=True), color="dark", dark=True, className="mb-3 cockpit-navbar")


def page_frame(path: str, resolved: runtime.Resolved, heading: str, content: list) -> html.Div:
    """A whole page: navbar, heading with period and freshness, filter bar, messages, content."""
    s = resolved.state
    return html.Div([
        navbar(path, s),
        html.Div([
            html.Div([
                html.H1(heading, className="page-heading"),
                html.Div(t("overview.period", s.lang, start=s.start.isoformat(), end=s.end.isoformat()),
                         className="page-period", id="page-period"),
                freshness_stamp(s.lang),
            ], className="page-head"),
            filter_bar(path, s, resolved.first_day, resolved.last_day, resolved.crumbs, resolved.children),
            *messages(resolved),
            *content,
        ], className="page-body"),
    ], lang="en" if s.lang == "en" else "zh-CN")
