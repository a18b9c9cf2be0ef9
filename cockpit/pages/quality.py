"""Data quality (/quality): freshness per source, the build's quality checks per source for the
unit and period, their monthly trend, and failing records per district (click to drill)."""
from __future__ import annotations

import datetime as dt

import dash
import dash_bootstrap_components as dbc
from dash import html

from cockpit import figures, runtime
from cockpit.components.cards import chart_card
from cockpit.components.page import card_context, page_frame
from cockpit.components.verify import check_name
from cockpit.i18n import t
from cockpit.views import quality

dash.register_page(__name__, path="/quality", name="quality", title="数据质量 · 城市数据驾驶舱")

SOURCE = "数据质量检查"


def layout(**params):
    resolved = runtime.resolve(params)
    state, lang = resolved.state, resolved.state.lang
    run, scope = runtime.runner(), runtime.current_scope()
    unit_name = resolved.crumbs[-1][1] if resolved.crumbs else state.unit
    fresh = quality.freshness(run, dt.datetime.now())
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

    checks = quality.checks(run, state, scope)
    if checks is None:
        content.append(dbc.Alert(t("quality.no_mart", lang), color="warning"))
        return page_frame("/quality", resolved, t("quality.heading", lang, unit=unit_name), content)
    ctx_ = card_context(resolved)
    cards = []
    for source, frame in checks.groupby("source"):
        names = [check_name(c, lang) for c in frame.check_id]
        text = [f"{f:,} / {c:,}" for f, c in zip(frame.failed, frame.checked)]
        cards.append(dbc.Col(chart_card(f"checks-{source}", t("quality.checks", lang, source=t(f"records.{source}", lang)),
                                        figures.bars(names, list(frame.failed), t("verify.col.failed", lang), text,
                                                     horizontal=True),
                                        frame, ctx_, SOURCE, t("quality.unit", lang)), lg=4))
    monthly = quality.trend(run, state, scope)
    if monthly is not None and len(monthly):
        series = monthly.assign(key=monthly.source + ":" + monthly.check_id, value=monthly.failed)
        names = {k: f"{t('records.' + k.split(':')[0], lang)} · {check_name(k.split(':')[1], lang)}" for k in series.key}
        cards.append(dbc.Col(chart_card("quality-trend", t("quality.trend", lang),
                                        figures.lines(series, "key", names, t("verify.col.failed", lang)),
                                        monthly, ctx_, SOURCE, t("quality.unit", lang)), lg=12))
    units = quality.by_unit(run, state, scope)
    if units is not None and len(units) > 1:
        ranked = units.assign(value=units.failed, judgement="flat")
        cards.append(dbc.Col(chart_card("quality-units", t("quality.by_unit", lang),
                                        figures.ranking(ranked, t("verify.col.failed", lang), [f"{v:,}" for v in units.failed]),
                                        units, ctx_, SOURCE, t("quality.unit", lang)), lg=12))
    content.append(dbc.Row(cards, className="g-3 mt-1"))
    return page_frame("/quality", resolved, t("quality.heading", lang, unit=unit_name), content)
