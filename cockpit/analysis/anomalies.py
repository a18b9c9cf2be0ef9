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
NEAR = 2  # weeks each side of a week left out of its baseline (an anomaly lasts up to a month)
PRIOR = 50  # cases of the city's rate a unit's usual offset is weighed against


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


def count_anomalies(weekly: pd.DataFrame, kpi_id: str, min_ratio: float = 2.5, min_excess: float = 22.0,
                    min_z: float = 5.0, min_week_z: float = 2.0) -> list[dict]:
    """weekly: unit_code, week, count (all units of one level, every week). Surges only: a
    count far below usual in a small unit is indistinguishable from chance. Judged over two
    weeks at a time: a surge of a few days often straddles two calendar weeks, and a single
    week's burst of a small unit (a batch of a dozen cases) is common chance; each week of a
    surge must itself lie well above usual."""
    table = weekly.pivot_table(index="week", columns="unit_code", values="count", fill_value=0).sort_index()
    city = table.sum(axis=1)
    share = table.div(city.where(city > 0), axis=0)
    usual = share.rolling(WINDOW_WEEKS, center=True, min_periods=5).median()
    expected = usual.mul(city, axis=0)
    z = (table - expected) / np.sqrt(expected.clip(lower=1.0))
    pair, pair_expected = table + table.shift(1), expected + expected.shift(1)  # this week and the one before
    pair_z = (pair - pair_expected) / np.sqrt(pair_expected.clip(lower=1.0))
    surge = (pair >= min_ratio * pair_expected) & (pair - pair_expected >= min_excess) & (pair_z >= min_z)
    flagged = (surge | surge.shift(-1, fill_value=False)) & (z >= min_week_z)
    rows = flagged.stack()
    rows = rows[rows].index
    flags = pd.DataFrame({"week": rows.get_level_values(0), "unit_code": rows.get_level_values(1)})
    flags["observed"] = [table.at[w, u] for w, u in rows]
    flags["expected"] = [expected.at[w, u] for w, u in rows]
    flags["z"] = [z.at[w, u] for w, u in rows]
    return _runs(flags, kpi_id)


def _around(frame):
    """Sums over the centred window of WINDOW_WEEKS without the NEAR weeks each side of the
    week itself."""
    whole = frame.rolling(WINDOW_WEEKS, center=True, min_periods=5).sum()
    return whole - frame.rolling(2 * NEAR + 1, center=True, min_periods=1).sum()


def rate_anomalies(weekly: pd.DataFrame, kpi_id: str, min_n: int = 20, min_z: float = 5.0, min_gap: float = 0.25,
                   spans: tuple = (1, 2, 4)) -> list[dict]:
    """weekly: unit_code, week, num, den (all units of one level). Flags both directions.
    Judged over runs of 1, 2 and 4 weeks: a small district closes a dozen cases a week, too few
    to judge one week, while a month of them pooled shows a drop plainly. A run's rate must lie
    `min_gap` from usual (a single week 18-22 points off is common chance), and each week of it
    half that on the same side."""
    num = weekly.pivot_table(index="week", columns="unit_code", values="num", fill_value=0).sort_index()
    den = weekly.pivot_table(index="week", columns="unit_code", values="den", fill_value=0).reindex_like(num)
    rate = num / den.where(den > 0)
    city = num.sum(axis=1) / den.sum(axis=1).where(den.sum(axis=1) > 0)
    # The unit's usual offset from the city, pooled (a median of weekly rates of a dozen cases
    # sits at 100 %) over the window around the week but for its nearest weeks (NEAR each
    # side), so a drop of a few weeks does not pull its own baseline down; a second pass also
    # leaves out the weeks the first flagged.
    flagged = pd.DataFrame(False, index=num.index, columns=num.columns)
    for _ in range(2):
        base_num, base_den = num.where(~flagged, 0), den.where(~flagged, 0)
        cases = _around(base_den)
        unit_rate = _around(base_num) / cases.where(cases > 0)
        city_rate = _around(base_num.sum(axis=1)) / _around(base_den.sum(axis=1)).where(lambda x: x > 0)
        # A unit with few cases around the week is taken nearer the city (its offset shrunk by
        # PRIOR cases): twenty satisfied of twenty is luck as often as a better district.
        offset = unit_rate.sub(city_rate, axis=0).fillna(0) * cases / (cases + PRIOR)
        expected = offset.add(city, axis=0).clip(0.02, 0.98)
        gap = rate - expected
        best = pd.DataFrame(0.0, index=num.index, columns=num.columns)  # each flagged week's strongest run z
        for span in spans:  # runs ending at each week
            run_den = den.rolling(span).sum()
            run_rate = num.rolling(span).sum() / run_den.where(run_den > 0)
            usual = (expected * den).rolling(span).sum() / run_den.where(run_den > 0)
            z = (run_rate - usual) / np.sqrt(usual * (1 - usual) / run_den.where(run_den > 0))
            hit = (run_den >= min_n) & ((run_rate - usual).abs() >= min_gap) & (z.abs() >= min_z)
            for back in range(span):  # the weeks of each run
                run_z = z.where(hit).shift(-back)
                same_side = (np.sign(gap) == np.sign(run_z)) & (gap.abs() >= min_gap / 2)
                best = best.mask(same_side & (run_z.abs() > best.abs()), run_z)
        flagged = best != 0
    rows = flagged.stack()
    rows = rows[rows].index
    flags = pd.DataFrame({"week": rows.get_level_values(0), "unit_code": rows.get_level_values(1)})
    flags["observed"] = [rate.at[w, u] * 100 for w, u in rows]
    flags["expected"] = [expected.at[w, u] * 100 for w, u in rows]
    flags["z"] = [best.at[w, u] for w, u in rows]
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
    # Judged over every run of seven days, not calendar weeks: a storm from a Friday to a
    # Thursday is split in two ordinary-looking weeks.
    seven = d[["count", "expected"]].rolling(7).sum()
    log_ratio = np.log((seven["count"] / seven.expected).where(seven["count"] > 0))  # no cases: no ratio
    mad = 1.4826 * (log_ratio - log_ratio.median()).abs().median()
    z = (log_ratio - log_ratio.median()) / max(mad, 1e-6)
    hit = (seven["count"] >= min_ratio * seven.expected) & (z >= min_z)
    run_z = pd.concat([z.where(hit).shift(-back) for back in range(7)], axis=1).max(axis=1)  # its runs' strongest
    d["z"] = run_z.where(d["count"] > d.expected)  # the days of a run that were above usual themselves
    days = d[d.z.notna()]
    weekly = d.groupby("week")[["count", "expected"]].sum()
    flags = days.groupby("week").z.max().rename("z").reset_index().assign(unit_code=unit_code)
    flags["observed"] = weekly["count"].reindex(flags.week).to_numpy()
    flags["expected"] = weekly.expected.reindex(flags.week).to_numpy()
    return _runs(flags, kpi_id)
