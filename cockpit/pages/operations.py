"""City operations (/operations): events by source and category, the lifecycle and where time
is lost, on-time closure, proactive discovery, repeat complaints, open and overdue events."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc

from cockpit import figures, runtime, views
from cockpit.components.cards import chart_card
from cockpit.components.drill import drill_section
from cockpit.components.page import card_context, page_frame, records_section, tiles_grid
from cockpit.i18n import t
from cockpit.units import level_of
from cockpit.views import operations

dash.register_page(__name__, path="/operations", name="operations", title="一网统管 · 城市数据驾驶舱")
SOURCE = "一网统管"


def layout(**params):
    resolved = runtime.resolve(params)
    s, lang = resolved.state, resolved.state.lang
    run, scope = runtime.runner(), runtime.current_scope()
    ctx = card_context(resolved)
    tiles = views.kpi_tiles(run, s, scope, operations.TILE_KPIS)
    events = t("col.events", lang)

    sources = operations.breakdown(run, s, "source", scope)
    sources["name"] = [t(f"source.{k}", lang) for k in sources.key]
    categories = operations.breakdown(run, s, "category", scope)
    stages = operations.lifecycle(run, s, scope)
    stages["name"] = [t(f"stage.{k}", lang) for k in stages.stage]
    slowest = stages.mean_hours.idxmax() if stages.mean_hours.notna().any() else None
    open_now = operations.open_events(run, s, scope)
    closure = [round(v, 1) if v == v else None for v in categories.on_time_closure_rate]

    lifecycle_fig = figures.bars(list(stages.name), list(stages.events), events,
                                 secondary=(t("col.mean_hours", lang),
                                            [None if v != v or v is None else round(v, 1) for v in stages.mean_hours]))
    if slowest is not None:
        lifecycle_fig["layout"]["annotations"] = [{
            "x": stages.name[slowest], "y": float(stages.mean_hours[slowest]), "yref": "y2",
            "text": f"⏱ {stages.mean_hours[slowest]:.1f} h", "showarrow": True, "arrowhead": 2,
            "font": {"color": figures.COLORS["bad"]}}]
    cards = dbc.Row([
        dbc.Col(chart_card("sources", t("chart.sources", lang), figures.bars(
            list(sources.name), list(sources.events), events, [f"{v:,}" for v in sources.events]),
            sources, ctx, SOURCE, t("unit.events", lang)), lg=6),
        dbc.Col(chart_card("lifecycle", t("chart.lifecycle", lang), lifecycle_fig, stages, ctx, SOURCE,
                           t("unit.events", lang)), lg=6),
        dbc.Col(chart_card("categories", t("chart.categories", lang), figures.bars(
            list(categories.key), list(categories.events), events,
            secondary=(t("chart.closure", lang), closure), height=340),
            categories, ctx, SOURCE, t("unit.events", lang)), lg=12),
        dbc.Col(chart_card("open", t("chart.open", lang), figures.bars(
            list(open_now.category), list(open_now.overdue_events), t("chart.overdue", lang),
            [f"{o:,} / {n:,}" for o, n in zip(open_now.overdue_events, open_now.open_events)]),
            open_now, ctx, SOURCE, t("unit.events", lang)), lg=12),
    ], className="g-3 mt-1")
    content = [tiles_grid(tiles, s),
               *drill_section(ctx, operations.TILE_KPIS, "events"),
               cards,
               *records_section("/operations", s, params, level_of(s.unit) == 5)]
    return page_frame("/operations", resolved, t("operations.heading", lang, unit=ctx.unit_name), content)
