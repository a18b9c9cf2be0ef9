"""Cards of the trend page (/trends): a KPI's series with moving average, last year, forecast
band, target and anomaly markers; its seasonal decomposition; and what drove the change of
the period against its comparison period, by sub-unit and by each dimension of its domain."""
from __future__ import annotations

import pandas as pd

from cockpit import background, figures, kpis
from cockpit.cards import ACROSS, KPI_PARAMS, Card, register
from cockpit.i18n import t
from cockpit.state import comparison_range
from cockpit.views import trends
from cockpit.views.services import reference_names

DEFAULT_KPI = "online_rate"
LAG = {"day": 364, "week": 52, "month": 12, "quarter": 4, "year": 1}
ATTRIBUTION = ("unit", "channel", "applicant_type", "dept_code", "source", "category")
LABEL_KEYS = {"channel": "channel", "applicant_type": "applicant", "source": "source"}


def kpi_of(view) -> kpis.Kpi:
    return kpis.by_id(view.state.kpi or DEFAULT_KPI)


def grain_of(state) -> str:
    return state.grain if state.grain != "day" else "week"  # daily series are too noisy to forecast


def _series(view):
    kpi, grain = kpi_of(view), grain_of(view.state)
    return kpi, grain, trends.series(view.run, view.state.unit, kpi, grain, view.last_day)


def _models(view):
    """The series with its forecast and decomposition: from the cache, or fitted in the
    background while the page shows the series alone (`waited`: seconds so far, else None).
    A request never fits a model: a forecast with its calibration takes seconds."""
    kpi, grain, series = _series(view)
    run, key = view.run, {"unit": view.state.unit, "kpi": kpi.id, "grain": grain}

    def fit():
        run.memo("forecast", key, lambda: trends.forecast_to_year_end(series, grain))
        run.memo("decomposition", key, lambda: trends.decomposition(series, grain))

    (have_forecast, forecast), (have_parts, parts) = run.cached("forecast", key), run.cached("decomposition", key)
    waited = None
    if not (have_forecast and have_parts):
        waited = background.need(f"fit:{run.scope}:{run.version()}:{sorted(key.items())}", fit)
        if waited is None:
            (_, forecast), (_, parts) = run.cached("forecast", key), run.cached("decomposition", key)
    return kpi, series, forecast, parts, waited


def _waiting(frame: pd.DataFrame, waited: float | None) -> pd.DataFrame:
    """Rows without their model yet say so (they are not cached, and the page polls)."""
    frame.attrs["pending"] = None if waited is None else round(waited, 1)
    return frame


def _analysis(view) -> pd.DataFrame:
    """One row per period: the value, its 3-period moving average, last year's value, the
    anomaly judged in it (start, end, z of the strongest), then the forecast periods (mean
    and 80% band); the unit's target on every row."""
    kpi, series, forecast, _, waited = _models(view)
    grain = grain_of(view.state)
    frame = series.assign(moving_average=series.value.rolling(3, min_periods=1).mean(),
                          last_year=series.value.shift(LAG[grain]),
                          anomaly_start=None, anomaly_end=None, anomaly_z=float("nan"))
    marked = trends.alerts_by_period(trends.alerts(view.run, unit=view.state.unit, kpi_id=kpi.id), grain)
    for i, start in enumerate(frame.period_start.dt.date):
        if start in marked:
            a = marked[start]
            frame.loc[i, ["anomaly_start", "anomaly_end", "anomaly_z"]] = [str(a.start)[:10], str(a.end)[:10], a.z]
    if forecast is not None:
        frame = pd.concat([frame, forecast.rename(columns={"mean": "forecast"})], ignore_index=True)
    return _waiting(frame.assign(target=kpi.target_for(view.state.unit)), waited)


def _analysis_figure(rows: pd.DataFrame, view) -> dict:
    labels = {k: t(f"trend.{k}", view.lang) for k in ("value", "moving", "previous", "band", "forecast", "anomaly")}
    return figures.trend_analysis(rows, labels)


def _decomposition(view):
    """The STL parts (None: the series is too short to have a season)."""
    *_, parts, waited = _models(view)
    if waited is not None:
        return _waiting(pd.DataFrame(columns=["period_start", "observed", "trend", "seasonal", "resid"]), waited)
    return parts


def _decomposition_figure(rows, view) -> dict:
    return figures.decomposition(rows, {k: t(f"trend.{k}", view.lang) for k in ("observed", "trend", "seasonal", "resid")})


def _names(view, by: str, keys) -> dict:
    if by == "unit":
        return dict(view.children)
    if by in LABEL_KEYS:
        return {k: t(f"{LABEL_KEYS[by]}.{k}", view.lang) for k in keys}
    if by == "dept_code":
        return reference_names(view.run, "dept_code", view.lang)
    return {}


def _attribution(view, by: str):
    """Contributions of each sub-unit or dimension value to the change, with the total change;
    None where the KPI has no such dimension or the unit no sub-units."""
    kpi, s = kpi_of(view), view.state
    if by not in ("unit", *trends.DIMENSIONS.get(kpi.domain, ())) or (by == "unit" and not view.children):
        return None
    frame, total = trends.attribution(view.run, s.unit, kpi, (s.start, s.end),
                                      comparison_range(s.start, s.end, s.cmp), by)
    names = _names(view, by, frame.key)
    return frame.assign(name=[names.get(k, k) for k in frame.key], total_change=total)


def _attribution_figure(rows, view) -> dict:
    figure = figures.contributions(rows, dict(zip(rows.key, rows.name)), kpi_of(view).name(view.lang))
    total = rows.total_change.dropna()
    figure["layout"]["annotations"] = [{
        "xref": "paper", "yref": "paper", "x": 1, "y": 1.02, "xanchor": "right", "yanchor": "bottom",
        "showarrow": False, "text": t("trend.total", view.lang, total=f"{total.iloc[0]:+.2f}" if len(total) else "—")}]
    return figure


def _attribution_title(view, by: str) -> str:
    s = view.state
    before = comparison_range(s.start, s.end, s.cmp)
    return (f"{t('trend.attribution', view.lang, by=t(f'trend.by.{by}', view.lang))} · "
            + t("trend.against", view.lang, period=f"{s.start}~{s.end}", before=f"{before[0]}~{before[1]}"))


def _card(card_id, title, data, figure, width=6, params=KPI_PARAMS) -> Card:
    kpi = kpi_of
    return Card("trends", card_id, title, data, figure, source=lambda v: kpi(v).source,
                unit_label=lambda v: kpi(v).unit(v.lang), kpi=lambda v: kpi(v).id, params=params, width=width)


register(
    _card("trend-analysis", lambda v: f"{kpi_of(v).name(v.lang)} · "
          f"{t('trend.title', v.lang, grain=t(f'grain.{grain_of(v.state)}', v.lang))}",
          _analysis, _analysis_figure, width=12),
    _card("decomposition", lambda v: t("trend.decomposition", v.lang), _decomposition, _decomposition_figure,
          width=12),
    *(_card(f"attribution-{by}", lambda v, by=by: _attribution_title(v, by), lambda v, by=by: _attribution(v, by),
            _attribution_figure, params=ACROSS) for by in ATTRIBUTION),
)
