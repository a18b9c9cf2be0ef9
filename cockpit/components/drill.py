"""The drill-down section of a working page: a KPI picker, a map of the sub-units and their
ranking, both clickable; and the KPI's trend with its comparison and target."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from cockpit import figures, kpis, runtime, units
from cockpit.components.cards import CardContext, chart_card
from cockpit.i18n import fmt_value, t
from cockpit.state import with_params
from cockpit.views import drill


def _text(kpi, value, lang):
    return "—" if value is None or value != value else f"{fmt_value(value, kpi.kind, lang)}{kpi.unit(lang)}"


def drill_section(ctx_: CardContext, kpi_ids: list[str], default_kpi: str) -> list:
    state, lang = ctx_.state, ctx_.state.lang
    kpi = kpis.by_id(state.kpi if state.kpi in kpi_ids else default_kpi)
    run, scope = runtime.runner(), runtime.current_scope()
    children = drill.children_values(run, state, kpi, scope)
    values = dict(zip(children.unit_code, children.value))
    names = dict(zip(children.unit_code, children.unit_name))
    texts = {c: _text(kpi, v, lang) for c, v in values.items()}
    points = None if units.is_city(state.unit) else drill.child_points(run, state, scope)
    picker = html.Div([
        dcc.Store(id="kpi-current", data=kpi.id),
        html.Label(t("chart.kpi_select", lang), htmlFor="kpi-select", className="filter-label"),
        dcc.Dropdown(id="kpi-select", value=kpi.id, clearable=False, className="kpi-select",
                     options=[{"label": kpis.by_id(k).name(lang), "value": k} for k in kpi_ids]),
    ], className="kpi-picker")
    table = children[["unit_code", "unit_name", "value", "numerator", "denominator", "previous", "change"]]
    cards = []
    if len(children):
        cards.append(dbc.Col(chart_card(
            "map", t("chart.map", lang, kpi=kpi.name(lang)),
            figures.area_map(drill.map_shapes(state), points, values, names, texts,
                             kpi.direction == "lower", kpi.name(lang)),
            table, ctx_, kpi.source, kpi.unit(lang), kpi_id=kpi.id), lg=6))
        cards.append(dbc.Col(chart_card(
            "ranking", t("chart.ranking", lang, kpi=kpi.name(lang)),
            figures.ranking(children, kpi.name(lang), [texts[c] for c in children.unit_code]),
            table, ctx_, kpi.source, kpi.unit(lang), kpi_id=kpi.id), lg=6))
    series = drill.kpi_trend(run, state, kpi, scope)
    cmp_label = t(f"cmp.{state.cmp}", lang)
    cards.append(dbc.Col(chart_card(
        "trend", t("chart.trend", lang, kpi=kpi.name(lang), grain=t(f"grain.{state.grain}", lang)),
        figures.trend(series, t("chart.current", lang), f"{t('chart.compare', lang)} ({cmp_label})",
                      kpi.target, t("chart.target", lang)),
        series, ctx_, kpi.source, kpi.unit(lang), kpi_id=kpi.id), lg=12))
    return [picker, dbc.Row(cards, className="g-3")]


@callback(
    Output("_pages_location", "search", allow_duplicate=True),
    Input("kpi-select", "value"), State("kpi-current", "data"), State("f-state", "data"),
    prevent_initial_call=True,
)
def _pick_kpi(kpi_id, shown, current):
    # The drop-down reports its value when it mounts; only a change is a new view.
    if kpi_id == shown or kpi_id not in {k.id for k in kpis.catalogue()}:
        return no_update
    try:
        return with_params(current["query"], kpi=kpi_id)
    except (TypeError, KeyError):
        return no_update
