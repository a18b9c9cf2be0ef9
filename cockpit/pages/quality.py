"""Data quality (/quality): freshness per source, the build's quality checks per source for the
unit and period, their monthly trend, and failing records per district (click to drill)."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from cockpit import cards, runtime
from cockpit.components.cards import card_grid
from cockpit.components.page import from_marts, page_frame
from cockpit.config import city_now
from cockpit.i18n import t
from cockpit.views import quality

dash.register_page(__name__, path="/quality", name="quality", title="数据质量 · 城市数据驾驶舱")


def layout(**params):
    view = runtime.resolve(params)
    state, lang = view.state, view.lang
    fresh = quality.freshness(view.run, city_now())
    fresh_rows = [html.Tr([html.Td(t(f"records.{r.source}", lang)),
                           html.Td(f"{r.latest_record:%Y-%m-%d %H:%M}"), html.Td(f"{r.latest_ingest:%Y-%m-%d %H:%M}"),
                           html.Td(f"{r.rows:,}"),
                           html.Td(t("verify.fresh" if r.fresh else "verify.stale", lang),
                                   className="text-success" if r.fresh else "text-warning")],
                          id=f"fresh-{r.source}") for r in fresh.itertuples()]
    cols = ("source", "latest_record", "latest_ingest", "rows", "state")
    content = [html.Div([
        html.H2(t("quality.freshness", lang), className="card-title-text"),
        dbc.Table([html.Thead(html.Tr([html.Th(t(f"quality.col.{c}", lang)) for c in cols])), html.Tbody(fresh_rows)],
                  size="sm", className="mb-0"),
    ], className="card chart-card", id="quality-freshness")]

    content.extend(from_marts(view, "quality", lambda: [
        dbc.Alert(t("quality.no_mart", lang), color="warning") if quality.checks(view.run, state) is None
        else card_grid(view, "quality", [c.id for c in cards.of_page("quality")])]))
    return page_frame("/quality", view, t("quality.heading", lang, unit=view.unit_name), content)
