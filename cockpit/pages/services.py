"""Government services (/services): volumes, online and on-time rates, satisfaction, by unit,
channel, applicant type, department and item; drillable to the records."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc

from cockpit import figures, runtime, views
from cockpit.components.cards import chart_card
from cockpit.components.drill import drill_section
from cockpit.components.page import card_context, page_frame, records_section, tiles_grid
from cockpit.i18n import fmt_value, t
from cockpit.units import level_of
from cockpit.views import services

dash.register_page(__name__, path="/services", name="services", title="一网通办 · 城市数据驾驶舱")
SOURCE = "一网通办"


def layout(**params):
    resolved = runtime.resolve(params)
    s, lang = resolved.state, resolved.state.lang
    run, scope = runtime.runner(), runtime.current_scope()
    ctx = card_context(resolved)
    tiles = views.kpi_tiles(run, s, scope, services.TILE_KPIS)

    channel = services.breakdown(run, s, "channel", scope)
    channel["name"] = [t(f"channel.{k}", lang) for k in channel.key]
    applicant = services.breakdown(run, s, "applicant_type", scope)
    applicant["name"] = [t(f"applicant.{k}", lang) for k in applicant.key]
    dept = services.breakdown(run, s, "dept_code", scope)
    hist, stats = services.handling_distribution(run, s, scope)
    worst = services.worst_items(run, s, scope)
    apps = t("col.apps", lang)
    p90 = t("col.p90", lang, hours=stats["p90_hours"] if stats["p90_hours"] is not None else "—")
    rate = lambda v: fmt_value(v, "percent", lang) + "%"  # noqa: E731

    cards = dbc.Row([
        dbc.Col(chart_card("channel", t("chart.channel", lang), figures.bars(
            list(channel.name), list(channel.apps), apps, [f"{v:,}" for v in channel.apps]),
            channel, ctx, SOURCE, t("unit.apps", lang)), lg=6),
        dbc.Col(chart_card("applicant", t("chart.applicant", lang), figures.bars(
            list(applicant.name), list(applicant.apps), apps, [f"{v:,}" for v in applicant.apps]),
            applicant, ctx, SOURCE, t("unit.apps", lang)), lg=6),
        dbc.Col(chart_card("dept", t("chart.dept", lang), figures.bars(
            list(dept.name), list(dept.apps), apps,
            secondary=(t("chart.on_time", lang), [round(v, 1) if v == v else None for v in dept.on_time_completion_rate]),
            height=340), dept, ctx, SOURCE, t("unit.apps", lang)), lg=12),
        dbc.Col(chart_card("handling", f"{t('chart.handling', lang)} · {p90}", figures.bars(
            [str(d) for d in hist.handling_days], list(hist.apps), apps),
            hist.assign(p90_hours=stats["p90_hours"]), ctx, SOURCE, t("unit.apps", lang)), lg=6),
        dbc.Col(chart_card("worst-items", t("chart.worst_items", lang), figures.bars(
            list(worst.name), [round(v, 1) for v in worst.satisfaction_rate], t("chart.satisfaction", lang),
            [f"{rate(v)} · {r}" if isinstance(r, str) else rate(v) for v, r in zip(worst.satisfaction_rate, worst.top_reason)], horizontal=True,
            height=360), worst, ctx, SOURCE, "%"), lg=6),
    ], className="g-3 mt-1")
    unit_name = ctx.unit_name
    content = [tiles_grid(tiles, s),
               *drill_section(ctx, [k for k in services.TILE_KPIS], "online_rate"),
               cards,
               *records_section("/services", s, params, level_of(s.unit) == 5)]
    return page_frame("/services", resolved, t("services.heading", lang, unit=unit_name), content)
