"""City operations (/operations): events by source and category, the lifecycle and where time
is lost, on-time closure, proactive discovery, repeat complaints, open and overdue events. The
cards are in cockpit/cards/ (drill.py, operations.py)."""
from __future__ import annotations

import dash

from cockpit import runtime, views
from cockpit.components.cards import card_grid
from cockpit.components.drill import drill_section
from cockpit.components.page import from_marts, page_frame, records_section, tiles_grid
from cockpit.i18n import t
from cockpit.views import operations

dash.register_page(__name__, path="/operations", name="operations", title="一网统管 · 城市数据驾驶舱")


def layout(**params):
    view = runtime.resolve(params)
    content = [*from_marts(view, "operations", lambda: [
                   tiles_grid(views.kpi_tiles(view.run, view.state, operations.TILE_KPIS), view),
                   *drill_section(view, "operations", operations.TILE_KPIS, "events"),
                   card_grid(view, "operations", ["sources", "lifecycle", "categories", "open"])]),
               *records_section("/operations", view, params, "events")]
    return page_frame("/operations", view, t("operations.heading", view.lang, unit=view.unit_name), content)
