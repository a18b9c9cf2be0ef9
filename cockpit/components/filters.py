"""The global filter bar: breadcrumb, period, grain, comparison, drill-down, language.
Every control writes the URL, so the back button and shared links keep the view."""
from __future__ import annotations

import datetime as dt

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html, no_update

from cockpit.i18n import t
from cockpit.state import COMPARISONS, GRAINS, PRESETS, ViewState, parse_state, preset_range, query_params


def breadcrumb(path: str, state: ViewState, crumbs: list) -> html.Nav:
    items = []
    for i, (code, name) in enumerate(crumbs):
        last = i == len(crumbs) - 1
        label = html.Span(name, className="crumb-current") if last else dcc.Link(name, href=path + state.query(unit=code))
        items.append(html.Li(label, className="breadcrumb-item" + (" active" if last else "")))
    return html.Nav(html.Ol(items, className="breadcrumb mb-0"), id="breadcrumb", **{"aria-label": "breadcrumb"})


def _preset_of(state: ViewState, last_day: dt.date) -> str:
    for preset in PRESETS:
        if preset_range(preset, last_day) == (state.start, state.end):
            return preset
    return "custom"


def filter_bar(path: str, state: ViewState, first_day: dt.date, last_day: dt.date,
               crumbs: list, children: list, periodic: bool = True) -> html.Div:
    """Unit, period, grain, comparison and language; on a page that shows no period (the
    instructions, the logs) the language alone."""
    lang = state.lang
    other = "en" if lang == "zh" else "zh"
    store = dcc.Store(id="f-state", data={"query": state.query(), "first": first_day.isoformat(),
                                          "last": last_day.isoformat()})
    switch = dcc.Link(t("lang.switch", lang), href=path + state.query(lang=other), id="lang-switch",
                      className="btn btn-outline-secondary btn-sm ms-2")
    if not periodic:
        return html.Div([store, html.Div(switch, className="filter-controls")], className="filter-bar")
    return html.Div([
        store,
        dbc.Row([
            dbc.Col(breadcrumb(path, state, crumbs), md=12, lg=4, className="d-flex align-items-center"),
            dbc.Col(html.Div([
                html.Label(t("filter.period", lang), htmlFor="f-preset", className="filter-label"),
                dcc.Dropdown(id="f-preset", clearable=False, searchable=False, className="filter-preset",
                             value=_preset_of(state, last_day),
                             options=[{"label": t(f"preset.{p}", lang), "value": p} for p in PRESETS]
                             + [{"label": t("preset.custom", lang), "value": "custom", "disabled": True}]),
                dcc.DatePickerRange(id="f-dates", start_date=state.start.isoformat(), end_date=state.end.isoformat(),
                                    min_date_allowed=first_day.isoformat(), max_date_allowed=last_day.isoformat(),
                                    display_format="YYYY-MM-DD", first_day_of_week=1, className="filter-dates"),
                html.Label(t("filter.grain", lang), htmlFor="f-grain", className="filter-label"),
                dcc.Dropdown(id="f-grain", clearable=False, searchable=False, value=state.grain, className="filter-small",
                             options=[{"label": t(f"grain.{g}", lang), "value": g} for g in GRAINS]),
                html.Label(t("filter.cmp", lang), htmlFor="f-cmp", className="filter-label"),
                dcc.Dropdown(id="f-cmp", clearable=False, searchable=False, value=state.cmp, className="filter-small",
                             options=[{"label": t(f"cmp.{c}", lang), "value": c} for c in COMPARISONS]),
                dcc.Dropdown(id="f-drill", placeholder=t("filter.unit_placeholder", lang), className="filter-drill",
                             options=[{"label": name, "value": code} for code, name in children],
                             disabled=not children),
                switch,
            ], className="filter-controls"), md=12, lg=8),
        ], className="g-2 align-items-center"),
    ], className="filter-bar")


@callback(
    Output("_pages_location", "search"),
    Input("f-preset", "value"), Input("f-dates", "start_date"), Input("f-dates", "end_date"),
    Input("f-grain", "value"), Input("f-cmp", "value"), Input("f-drill", "value"),
    State("f-state", "data"),
    prevent_initial_call=True,
)
def _filters_to_url(preset, start, end, grain, cmp, drill, current):
    """Write a changed control into the URL; the page re-renders from it."""
    try:  # the store comes back from the browser: a crafted one changes nothing
        first, last = dt.date.fromisoformat(current["first"]), dt.date.fromisoformat(current["last"])
        params = query_params(current["query"])
    except (TypeError, KeyError, ValueError):
        return no_update
    state, _ = parse_state(params, first, last)
    changed = ctx.triggered_id
    if changed == "f-preset" and preset in PRESETS:
        start_day, end_day = preset_range(preset, last)
        new = state.query(start=start_day, end=end_day)
    elif changed == "f-dates" and isinstance(start, str) and isinstance(end, str):
        candidate, errors = parse_state({**params, "start": start[:10], "end": end[:10]}, first, last)
        if errors:
            return no_update
        new = candidate.query()
    elif changed == "f-grain" and grain in GRAINS:
        new = state.query(grain=grain)
    elif changed == "f-cmp" and cmp in COMPARISONS:
        new = state.query(cmp=cmp)
    elif changed == "f-drill" and isinstance(drill, str):
        new = state.query(unit=drill[:20])  # the page checks the unit exists and is in scope
    else:
        return no_update
    return new if new != current["query"] else no_update
