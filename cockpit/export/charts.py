"""A chart card rendered again, server-side, from its page, filters and card id: the same
layout function the browser's page calls, for the same user scope, so a briefing shows exactly
what the page shows. No figure or number is taken from the browser."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import dash
from dash import dcc

from cockpit import runtime
from cockpit.state import ViewState, query_params

# Pages whose cards make no sense in a briefing (or have none).
NOT_BRIEFED = ("/briefing", "/instructions", "/audit", "/screen")
# URL parameters that change how a page looks, not what it shows.
DISPLAY_PARAMS = ("screen", "playlist", "rotate", "every", "refresh", "step", "records", "page")


class ChartError(ValueError):
    """The page or card cannot be rendered (gone, or never existed)."""


@dataclass(frozen=True)
class Chart:
    title: str
    unit_name: str
    period: str
    unit_label: str
    source: str
    refreshed: str
    kpi_id: str | None
    figure: dict
    rows: list[dict]
    state: ViewState


def clean_query(query: str) -> str:
    """The filters of a page URL, without display-only parameters, as a query string."""
    params = {k: v for k, v in query_params(query).items() if k not in DISPLAY_PARAMS}
    return "?" + urlencode(params) if params else ""


def render(path: str, query: str, card_id: str) -> Chart:
    page = next((p for p in dash.page_registry.values() if p["path"] == path), None)
    if page is None or path in NOT_BRIEFED or not callable(page.get("layout")):
        raise ChartError(f"no page {path}")
    params = query_params(query)
    layout = page["layout"](**params)
    card = _find(layout, lambda c: getattr(c, "id", None) == f"card-{card_id}")
    if card is None:
        raise ChartError(f"no chart {card_id} on {path}")
    graph = _find(card, lambda c: isinstance(c, dcc.Graph))
    store = _find(card, lambda c: isinstance(c, dcc.Store) and isinstance(getattr(c, "id", None), dict)
                  and c.id.get("type") == "card-data")
    meta = store.data
    state = runtime.resolve(params).state
    return Chart(meta["title"], meta["unit_name"], meta["period"], meta["unit_label"], meta["source"],
                 meta["refreshed"], meta.get("kpi"), graph.figure, meta["rows"], state)


def _find(component, match):
    """The first component of a layout tree (depth first) that matches."""
    stack = [component]
    while stack:
        c = stack.pop()
        if c is None or isinstance(c, (str, int, float)):
            continue
        if match(c):
            return c
        children = getattr(c, "children", None)
        if isinstance(children, (list, tuple)):
            stack.extend(reversed(children))
        elif children is not None:
            stack.append(children)
    return None
