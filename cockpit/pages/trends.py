"""Trend analysis (/trends): any KPI of any unit over time, with moving average, last year,
seasonal decomposition, forecast to the year's end with its band, anomaly markers, and what
drove the change of the chosen period against its comparison period."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, ctx, html, no_update

from cockpit import figures, kpis, runtime
from cockpit.components.cards import chart_card
from cockpit.components.page import card_context, page_frame
from cockpit.i18n import t
from cockpit.state import comparison_range, query_params, with_params
from cockpit.views import trends
from cockpit.views.services import reference_names

dash.register_page(__name__, path="/trends", name="trends", title="趋势研判 · 城市数据驾驶舱")
LAG = {"day": 364, "week": 52, "month": 12, "quarter": 4, "year": 1}


def layout(**params):
    resolved = runtime.resolve(params)
    s, lang = resolved.state, resolved.state.lang
    run, scope = runtime.runner(), runtime.current_scope()
    ctx_ = card_context(resolved)
    kpi = kpis.by_id(s.kpi or "online_rate")
    grain = s.grain if s.grain != "day" else "week"  # daily series are too noisy to forecast here
    series = trends.series(run, s.unit, kpi, grain, resolved.last_day, scope)
    key = {"unit": s.unit, "kpi": kpi.id, "grain": grain, "scope": scope}
    fc = run.memo("forecast", key, lambda: trends.forecast_to_year_end(series, grain))
    marks = trends.alerts(run, scope, unit=s.unit, kpi_id=kpi.id)
    labels = {k: t(f"trend.{k}", lang) for k in ("value", "moving", "previous", "band", "forecast", "anomaly")}
    moving = series.value.rolling(3, min_periods=1).mean()
    previous = series.value.shift(LAG[grain])
    chart = figures.trend_analysis(series, moving, previous, fc, marks, kpi.target, labels)
    data = series.assign(moving_average=moving, last_year=previous)
    if fc is not None:
        data = pd.concat([data, fc.rename(columns={"mean": "forecast"})], ignore_index=True)
    title = f"{kpi.name(lang)} · {t('trend.title', lang, grain=t(f'grain.{grain}', lang))}"
    cards = [dbc.Col(chart_card("trend-analysis", title, chart, data, ctx_, kpi.source, kpi.unit(lang), kpi_id=kpi.id), lg=12)]
    parts = run.memo("decomposition", key, lambda: trends.decomposition(series, grain))
    if parts is not None:
        names = {k: t(f"trend.{k}", lang) for k in ("observed", "trend", "seasonal", "resid")}
        cards.append(dbc.Col(chart_card("decomposition", t("trend.decomposition", lang),
                                        figures.decomposition(parts, names), parts, ctx_, kpi.source,
                                        kpi.unit(lang), kpi_id=kpi.id), lg=12))
    cards += _attribution(s, kpi, ctx_, lang, run, scope)
    picker = html.Div([
        html.Label(t("chart.kpi_select", lang), htmlFor="trend-kpi", className="filter-label"),
        dash.dcc.Dropdown(id="trend-kpi", value=kpi.id, clearable=False, className="kpi-select",
                          options=[{"label": k.name(lang), "value": k.id} for k in kpis.catalogue()]),
        dash.dcc.Store(id="trend-kpi-current", data=kpi.id),
    ], className="kpi-picker")
    heading = t("trend.heading", lang, unit=ctx_.unit_name)
    return page_frame("/trends", resolved, heading, [picker, dbc.Row(cards, className="g-3")])


def _attribution(s, kpi, ctx_, lang, run, scope) -> list:
    before = comparison_range(s.start, s.end, s.cmp)
    period_text = f"{s.start}~{s.end} vs {before[0]}~{before[1]}"
    cards = []
    children = run.run("children", scope, unit=s.unit)
    label_keys = {"channel": "channel", "applicant_type": "applicant", "source": "source"}
    for by in ["unit", *trends.DIMENSIONS.get(kpi.domain, ())]:
        if by == "unit" and children.empty:
            continue
        frame, total = trends.attribution(run, s.unit, kpi, (s.start, s.end), before, by, scope)
        if by == "unit":
            names = dict(zip(children.unit_code, children.unit_name))
        elif by in label_keys:
            names = {k: t(f"{label_keys[by]}.{k}", lang) for k in frame.key}
        elif by == "dept_code":
            names = reference_names(run, "dept_code", lang)
        else:
            names = {}
        title = t("trend.attribution", lang, by=t(f"trend.by.{by}", lang), total=f"{total:+.2f}")
        cards.append(dbc.Col(chart_card(f"attribution-{by}", f"{title} · {period_text}",
                                        figures.contributions(frame, names, kpi.name(lang)),
                                        frame.assign(name=frame.key.map(names)), ctx_, kpi.source, kpi.unit(lang),
                                        kpi_id=kpi.id),
                             lg=6))
    return [dbc.Col(html.H2(t("trend.attribution_heading", lang), id="attribution", className="section-heading"), lg=12),
            *cards]


@callback(
    Output("_pages_location", "search", allow_duplicate=True),
    Input("trend-kpi", "value"), Input({"type": "chart", "card": "trend-analysis"}, "clickData"),
    State("trend-kpi-current", "data"), State("f-state", "data"),
    prevent_initial_call=True,
)
def _navigate(kpi_id, click, shown, current):
    """Pick a KPI; or click an anomaly marker to see what drove it (its period against the
    period just before)."""
    try:
        query = current["query"]
        unit = query_params(query).get("unit", "")
    except (TypeError, KeyError):
        return no_update
    if ctx.triggered_id == "trend-kpi":
        if kpi_id == shown or kpi_id not in {k.id for k in kpis.catalogue()}:
            return no_update
        return with_params(query, kpi=kpi_id)
    period = _clicked_alert(click, unit, shown)
    if period is None:
        return no_update
    return with_params(query, start=period[0], end=period[1], cmp="pop", kpi=shown)


def _clicked_alert(click, unit: str, kpi_id: str):
    """The (start, end) of the anomaly clicked: its marker carries them; a click on the actual
    value under the marker finds the alert whose period holds that date."""
    try:
        point = click["points"][0]
        custom = point.get("customdata")
        if isinstance(custom, list) and len(custom) == 2:
            return str(custom[0])[:10], str(custom[1])[:10]
        x = pd.Timestamp(str(point["x"])[:10])
    except (TypeError, KeyError, IndexError, ValueError):
        return None
    alerts = trends.alerts(runtime.runner(), runtime.current_scope(), unit=unit, kpi_id=kpi_id)
    for a in alerts.itertuples():
        if pd.Timestamp(a.start) - pd.Timedelta(days=6) <= x <= pd.Timestamp(a.end):
            return str(a.start)[:10], str(a.end)[:10]
    return None
