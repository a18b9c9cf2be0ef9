"""Government services (/services): volumes, online and on-time rates, satisfaction, by unit,
channel, applicant type, department and item; drillable to the records. The cards are in
cockpit/cards/ (drill.py, services.py)."""
from __future__ import annotations

import dash

from cockpit import runtime, views
from cockpit.components.cards import card_grid
from cockpit.components.drill import drill_section
from cockpit.components.page import from_marts, page_frame, records_section, tiles_grid
from cockpit.i18n import t
from cockpit.views import services

dash.register_page(__name__, path="/services", name="services", title="一网通办 · 城市数据驾驶舱")


def layout(**params):
    view = runtime.resolve(params)
    content = [*from_marts(view, "services", lambda: [
                   tiles_grid(views.kpi_tiles(view.run, view.state, services.TILE_KPIS), view),
                   *drill_section(view, "services", services.TILE_KPIS, "online_rate"),
                   card_grid(view, "services", ["channel", "applicant", "dept", "handling", "worst-items"])]),
               *records_section("/services", view, params, "applications")]
    return page_frame("/services", view, t("services.heading", view.lang, unit=view.unit_name), content)
