"""Overview (/): the headline KPIs of the current unit and period, the instruction loop, alerts
and early warnings."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc

from cockpit import runtime, views
from cockpit.components.alerts import alert_list, warning_list
from cockpit.components.instructions import loop_card
from cockpit.components.page import from_marts, page_frame, tiles_grid
from cockpit.i18n import t
from cockpit.views import trends

dash.register_page(__name__, path="/", name="overview", title="城市数据驾驶舱")


def layout(**params):
    view = runtime.resolve(params)
    state = view.state
    tiles, lists = from_marts(view, "overview", lambda: [
        tiles_grid(views.overview(view.run, state), view),
        dbc.Row([
            dbc.Col(alert_list(trends.alerts_in(view.run, state.unit, state.start, state.end), state, state.lang), lg=7),
            dbc.Col(warning_list(trends.early_warnings(view.run), state, state.lang), lg=5),
        ], className="g-3 mt-2")])
    content = [tiles, loop_card(state, state.lang), lists]  # the loop changes between builds: never kept
    return page_frame("/", view, t("overview.heading", state.lang, unit=view.unit_name), content)
