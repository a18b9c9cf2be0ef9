"""The drill-down section of a working page: a KPI picker above the page's map, ranking and
trend cards (cockpit/cards/drill.py); a click on the map or ranking drills down."""
from __future__ import annotations

from dash import Input, Output, State, callback, dcc, html, no_update

from cockpit import kpis
from cockpit.cards.drill import kpi_of
from cockpit.components.cards import card_grid
from cockpit.i18n import t
from cockpit.state import with_params


def drill_section(view, page: str, kpi_ids: list[str], default_kpi: str) -> list:
    lang = view.lang
    kpi = kpi_of(view, kpi_ids, default_kpi)
    picker = html.Div([
        dcc.Store(id="kpi-current", data=kpi.id),
        html.Label(t("chart.kpi_select", lang), htmlFor="kpi-select", className="filter-label"),
        dcc.Dropdown(id="kpi-select", value=kpi.id, clearable=False, className="kpi-select",
                     options=[{"label": kpis.by_id(k).name(lang), "value": k} for k in kpi_ids]),
    ], className="kpi-picker")
    return [picker, card_grid(view, page, ["map", "ranking", "trend"])]


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
