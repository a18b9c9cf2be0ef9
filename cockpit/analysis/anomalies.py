"""Anomaly detection on weekly KPI series: pure functions on DataFrames.

Seasonality, holidays and city-wide events (a typhoon) move every unit together, so a unit is
judged against the city in the same week:
  * counts of a unit: its share of the city's count against its own usual share (rolling
    median), with a Poisson test on the excess;
  * rates of a unit: its rate against the city's rate that week plus its usual offset, with a
    binomial test;
  * counts of the city itself: against a robust daily baseline that knows working days,
    weekends and public holidays.
Consecutive flagged weeks of one unit and KPI become one alert: where, what, since when, how
unusual (z and observed versus expected).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

WINDOW_WEEKS = 17  # rolling window of a unit's usual share or offset, centred


def _runs(flags: pd.DataFrame, kpi_id: str) -> list[dict]:
    """Merge consecutive flagged weeks per unit into alerts."""
    alerts = []
    for unit, rows in flags.sort_values("week").groupby("unit_code"):
        run: list = []
        for row in rows.itertuples():
            if run and (row.week - run[-1].week).days > 7:
                alerts.append(_alert(unit, kpi_id, run))
                run = []
            run.append(row)
        if run:
            alerts.append(_alert(unit, kpi_id, run))
    return alerts


def _alert(unit: str, kpi_id: str, run: list) -> dict:
    worst = max(run, key=lambda r: abs(r.z))
    return {"kpi_id": kpi_id, "unit_code": unit, "start": run[0].week.date(),
            "end": (run[-1].week + pd.Timedelta(days=6)).date(), "weeks": len(run),
            "observed": float(sum(r.observed for r in run)), "expected": float(sum(r.expected for r in run)),
            "z": float(worst.z), "direction": "up" if worst.z > 0 else "down"}


def count_anomalies(weekly: pd.DataFrame, kpi_id: str, min_ratio: float = 3.0, min_excess: float = 12.0,
                    min_z: float = 5.0) -> list[dict]:
    """weekly: unit_code, week, count (all units of one level, every week). Surges only: a
    count far below usual in a small unit is indistinguishable from chance."""
    table = weekly.pivot_table(index="week", columns="unit_code", values="count", fill_value=0).sort_index()
    city = table.sum(axis=1)
    share = table.div(city.where(city > 0), axis=0)
    usual = share.rolling(WINDOW_WEEKS, center=True, min_periods=5).median()
    expected = usual.mul(city, axis=0)
    z = (table - expected) / np.sqrt(expected.clip(lower=1.0))
    flagged = (table >= min_ratio * expected) & (table - expected >= min_excess) & (z >= min_z)
    rows = flagged.stack()
    rows = rows[rows].index
    flags = pd.DataFrame({"week": rows.get_level_values(0), "unit_code": rows.get_level_values(1)})
    flags["observed"] = [table.at[w, u] for w, u in rows]
    flags["expected"] = [expected.at[w, u] for w, u in rows]
    flags["z"] = [z.at[w, u] for w, u in rows]
    return _runs(flags, kpi_id)


def rate_anomalies(weekly: pd.DataFrame, kpi_id: str, min_n: int = 20, min_gap: float = 0.15,
                   min_z: float = 4.5) -> list[dict]:
    """weekly: unit_code, week, num, den (all units of one level). Flags both directions."""
    num = weekly.pivot_table(index="week", columns="unit_code", values="num", fill_value=0).sort_index()
    den = weekly.pivot_table(index="week", columns="unit_code", values="den", fill_value=0).reindex_like(num)
    rate = num / den.where(den > 0)
    city = num.sum(axis=1) / den.sum(axis=1).where(den.sum(axis=1) > 0)
    # The unit's usual offset from the city, pooled over the window (weekly rates of a small
    # unit jump between 0 and 100%; pooled counts do not). Two passes: weeks flagged in the
    # first are left out of the second's baseline, so an anomaly does not shift its neighbours'.
    window = {"window": WINDOW_WEEKS, "center": True, "min_periods": 5}
    flagged = pd.DataFrame(False, index=num.index, columns=num.columns)
    for _ in range(2):
        n, d = num.where(~flagged, 0), den.where(~flagged, 0)
        pooled = n.rolling(**window).sum() / d.rolling(**window).sum().where(lambda x: x > 0)
        city_pooled = n.sum(axis=1).rolling(**window).sum() / d.sum(axis=1).rolling(**window).sum()
        expected = rate * 0 + pooled.sub(city_pooled, axis=0).add(city, axis=0).clip(0.001, 0.999)
        z = (rate - expected) / np.sqrt(expected * (1 - expected) / den.where(den > 0))
        flagged = (den >= min_n) & ((rate - expected).abs() >= min_gap) & (z.abs() >= min_z)
    rows = flagged.stack()
    rows = rows[rows].index
    flags = pd.DataFrame({"week": rows.get_level_values(0), "unit_code": rows.get_level_values(1)})
    flags["observed"] = [rate.at[w, u] * 100 for w, u in rows]
    flags["expected"] = [expected.at[w, u] * 100 for w, u in rows]
    flags["z"] = [z.at[w, u] for w, u in rows]
    alerts = _runs(flags, kpi_id)
    for a in alerts:  # a rate over several weeks is reported as the mean of the weeks
        a["observed"] /= a["weeks"]
        a["expected"] /= a["weeks"]
    return alerts


def city_count_anomalies(daily: pd.DataFrame, kpi_id: str, unit_code: str, min_ratio: float = 1.35,
                         min_z: float = 5.0) -> list[dict]:
    """daily: day, count, day_type (workday | weekend | holiday). Expected = a rolling median
    level times the day type's usual factor, so holidays and weekends are not anomalies."""
    d = daily.sort_values("day").reset_index(drop=True)
    level = d["count"].rolling(29, center=True, min_periods=7).median()
    factor = (d["count"] / level).groupby(d.day_type).median()
    d["factor"] = d.day_type.map(factor)
    d["level"] = (d["count"] / d.factor).rolling(29, center=True, min_periods=7).median()
    d["expected"] = d.level * d.factor
    d["week"] = pd.to_datetime(d.day).dt.to_period("W-SUN").dt.start_time
    weekly = d.groupby("week")[["count", "expected"]].sum()
    log_ratio = np.log(weekly["count"] / weekly.expected)
    mad = 1.4826 * (log_ratio - log_ratio.median()).abs().median()
    z = (log_ratio - log_ratio.median()) / max(mad, 1e-6)
    hit = (weekly["count"] >= min_ratio * weekly.expected) & (z >= min_z)
    flags = pd.DataFrame({"week": weekly.index[hit], "unit_code": unit_code,
                          "observed": weekly["count"][hit].to_numpy(), "expected": weekly.expected[hit].to_numpy(),
                          "z": z[hit].to_numpy()})
    return _runs(flags, kpi_id)
