"""Overview (/): the headline KPIs of the current unit and period."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc

from cockpit import runtime, views
from cockpit.views import trends
from cockpit.components.alerts import alert_list, warning_list
from cockpit.components.instructions import loop_card
from cockpit.components.page import page_frame, tiles_grid
from cockpit.i18n import t

dash.register_page(__name__, path="/", name="overview", title="城市数据驾驶舱")


def layout(**params):
    resolved = runtime.resolve(params)
    state = resolved.state
    data = views.overview(runtime.runner(), state, runtime.current_scope())
    unit_name = resolved.crumbs[-1][1] if resolved.crumbs else state.unit
    heading = t("overview.heading", state.lang, unit=unit_name)
    run, scope = runtime.runner(), runtime.current_scope()
    lists = dbc.Row([
        dbc.Col(alert_list(trends.alerts(run, scope), state, state.lang), lg=7),
        dbc.Col(warning_list(trends.early_warnings(run, scope), state, state.lang), lg=5),
    ], className="g-3 mt-2")
    return page_frame("/", resolved, heading, [tiles_grid(data, state), loop_card(state, state.lang), lists])
