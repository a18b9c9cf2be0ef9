"""Trend analysis (趋势研判): a KPI's series with forecast and decomposition, its alerts, what
drove a change, and early warnings of targets about to be missed."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from cockpit.analysis.attribution import attribute, total_change
from cockpit.analysis.forecast import decompose, forecast
from cockpit.kpis import KINDS, Kpi
from cockpit.queries import Runner
from cockpit.units import level_of, prefix_of
from cockpit.views import by_dimension, data_range, like_for_like, maturity_cutoff, period_of, rollup, unit_series

SERIES_START = dt.date(2000, 1, 1)  # all the data the marts hold
DIMENSIONS = {"services": ("channel", "applicant_type", "dept_code"), "operations": ("source", "category", "dept_code")}


def series(runner: Runner, unit: str, kpi: Kpi, grain: str, last_day: dt.date) -> pd.DataFrame:
    """The KPI over all complete periods of the grain: the first period when the data starts
    inside it, and a period still running, are left out (they would look like a fall)."""
    frame = unit_series(runner, unit, SERIES_START, last_day, grain)
    frame.index = pd.to_datetime(frame.index)
    frame = frame[frame.index >= pd.Timestamp(data_range(runner)[0])]
    period = {"day": "D", "week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}[grain]
    ends = frame.index.to_period(period).end_time.normalize()
    frame = frame[ends <= pd.Timestamp(last_day)]
    out = pd.DataFrame({"period_start": frame.index, "value": kpi.value(frame).to_numpy() if len(frame) else []})
    if kpi.denominator:
        out["numerator"], out["denominator"] = frame[kpi.numerator].to_numpy(), frame[kpi.denominator].to_numpy()
    return out


def forecast_to_year_end(frame: pd.DataFrame, grain: str, min_periods: int = 3) -> pd.DataFrame | None:
    if len(frame) < min_periods or frame.value.isna().all():
        return None
    last = frame.period_start.iloc[-1]
    per_year = {"month": 12, "quarter": 4, "week": 52, "day": 365, "year": 1}[grain]
    step = {"month": pd.DateOffset(months=1), "quarter": pd.DateOffset(months=3), "week": pd.DateOffset(weeks=1),
            "day": pd.DateOffset(days=1), "year": pd.DateOffset(years=1)}[grain]
    horizon = 0
    while last + step * (horizon + 1) <= pd.Timestamp(last.year, 12, 31):
        horizon += 1
    horizon = horizon or per_year  # at the year's end: the whole next year
    return forecast(frame.set_index("period_start").value, horizon, grain)


def decomposition(frame: pd.DataFrame, grain: str) -> pd.DataFrame | None:
    return decompose(frame.set_index("period_start").value, grain)


def alerts(runner: Runner, unit: str = "", kpi_id: str = "", limit: int = 50) -> pd.DataFrame:
    return runner.run("alerts", unit=unit, kpi=kpi_id, limit=limit)


def alerts_in(runner: Runner, unit: str, start: dt.date, end: dt.date, limit: int = 50) -> pd.DataFrame:
    """The alerts of the unit and the units below it whose span meets the period."""
    return runner.run("alerts_in_period", prefix=prefix_of(unit), start=start, end=end, limit=limit)


def alerts_by_period(alerts: pd.DataFrame, grain: str) -> dict:
    """Period start -> the strongest alert (largest |z|) starting in that period of `grain`: the
    one its marker stands for, and the one a click on that period of the series opens."""
    out = {}
    for a in alerts.sort_values("z", key=abs).itertuples():  # the strongest written last
        out[period_of(a.start, grain)] = a
    return out


def attribution(runner: Runner, unit: str, kpi: Kpi, period: tuple, before: tuple, by: str) -> tuple[pd.DataFrame, float]:
    """Contributions to the KPI's change from `before` (like for like) to `period`, by child
    unit (by='unit') or by a dimension of the KPI's domain; and the total change."""
    level, prefix = level_of(unit) + 1, prefix_of(unit)
    query = "services_breakdown" if kpi.domain == "services" else "events_breakdown"
    cutoff = maturity_cutoff(runner, period[1], before[1])

    def parts(frame: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame({"key": frame.unit_code if by == "unit" else frame.key, "num": frame[kpi.numerator]})
        if kpi.denominator:
            out["den"] = frame[kpi.denominator]
        return out

    if by == "unit":
        new = rollup(runner, level, prefix, *period, "total")
        old = like_for_like(runner, level, prefix, before, "total", cutoff)
    else:
        new = by_dimension(runner, query, prefix, *period, by)
        old = by_dimension(runner, query, prefix, *before, by, cutoff)
    old, new = parts(old), parts(new)
    return (attribute(old, new, KINDS[kpi.kind], kpi.is_rate),
            total_change(old, new, KINDS[kpi.kind], kpi.is_rate))


def early_warnings(runner: Runner) -> pd.DataFrame:
    """KPIs of the city and districts whose year-end forecast misses the target (built with
    the marts), worst gap first."""
    return runner.run("early_warnings")
