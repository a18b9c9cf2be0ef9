"""A chart card made again, server-side, from its page, filters and card id: the same card
functions (cockpit.cards) the page calls, for the same user scope, so a briefing shows exactly
what the page shows. No figure or number is taken from the browser."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from cockpit import cards, runtime
from cockpit.i18n import source_name
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
    narrative: str | None = None  # the card's own sentence (else the KPI's is written)


def clean_query(query: str) -> str:
    """The filters of a page URL, without display-only parameters, as a query string."""
    params = {k: v for k, v in query_params(query).items() if k not in DISPLAY_PARAMS}
    return "?" + urlencode(params) if params else ""


def render(path: str, query: str, card_id: str) -> Chart:
    """The card as the page at `path` with these filters shows it, for the current user."""
    card = cards.get(cards.page_of(path), card_id) if path not in NOT_BRIEFED else None
    if card is None:
        raise ChartError(f"no chart {card_id} on {path}")
    view = runtime.resolve(query_params(clean_query(query)))
    shown = cards.show(card, view)
    if not shown.shown:
        raise ChartError(f"chart {card_id} on {path} shows nothing for {query}")
    source = source_name(shown.source, view.lang)
    return Chart(shown.title, view.unit_name, view.period, shown.unit_label, source, view.refreshed,
                 shown.kpi, shown.figure, shown.data["rows"], view.state, card.narrative(view) if card.narrative else None)
