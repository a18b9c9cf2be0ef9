"""The data behind each page, as plain values: the pages, the JSON API and the tests use the
same functions, so what a leader sees is what a test checks."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from cockpit import kpis
from cockpit.analysis.compare import change, judgement
from cockpit.queries import Runner
from cockpit.units import level_of
from cockpit.state import ViewState, comparison_range, shift_months


def data_range(runner: Runner) -> tuple[dt.date, dt.date]:
    row = runner.run("data_range").iloc[0]
    return pd.Timestamp(row.first_day).date(), pd.Timestamp(row.last_day).date()


def rollup(runner: Runner, level: int, prefix: str, start: dt.date, end: dt.date, grain: str) -> pd.DataFrame:
    """Measures of the units at `level` under `prefix`, per period of `grain` from `start` to
    `end`: the units' days (every day from unit_daily for the levels it stores, read once for
    all periods and grains; else the period's days summed from the grids) summed by `periods`."""
    if level in set(runner.run("stored_levels").unit_level):
        days = runner.run("unit_days", level=level, prefix=prefix)
    else:
        days = runner.run("unit_days_from_grids", level=level, prefix=prefix, start=start, end=end)
    return periods(days, start, end, grain)


def periods(days: pd.DataFrame, start, end, grain: str) -> pd.DataFrame:
    """Daily rows (unit_code, day, measures; ordered by unit and day) summed per unit and period
    of `grain` (day, week from Monday, month, quarter, year, or total: one row per unit dated
    `start`) over the days from `start` to `end`: unit_code, period_start, measures."""
    start, end = np.datetime64(pd.Timestamp(start).date(), "D"), np.datetime64(pd.Timestamp(end).date(), "D")
    day = days["day"].to_numpy(dtype="datetime64[D]")
    inside = (day >= start) & (day <= end)
    day = day[inside]
    units = days["unit_code"].to_numpy()[inside]
    measures = days.columns.drop(["unit_code", "day"])
    values = days[measures].to_numpy(dtype="int64")[inside]
    period = _period_start(day, grain, start)
    # The rows run by unit then day, so each (unit, period) is one run of rows: sum each run.
    unit_id = pd.factorize(units)[0]
    first = np.flatnonzero(np.r_[True, (unit_id[1:] != unit_id[:-1]) | (period[1:] != period[:-1])]) \
        if len(day) else np.array([], dtype=int)
    sums = np.add.reduceat(values, first, axis=0) if len(first) else values
    frame = pd.DataFrame(sums, columns=measures)
    frame.insert(0, "period_start", period[first].astype("datetime64[us]"))
    frame.insert(0, "unit_code", pd.array(units[first], dtype=days["unit_code"].dtype))
    return frame


def _period_start(day: np.ndarray, grain: str, start: np.datetime64) -> np.ndarray:
    if grain == "day":
        return day
    if grain == "week":  # ISO weeks: 1970-01-01 was a Thursday
        return day - (day.astype("int64") + 3) % 7
    if grain == "month":
        return day.astype("datetime64[M]").astype("datetime64[D]")
    if grain == "quarter":
        months = day.astype("datetime64[M]").astype("int64")
        return (months - months % 3).astype("datetime64[M]").astype("datetime64[D]")
    if grain == "year":
        return day.astype("datetime64[Y]").astype("datetime64[D]")
    if grain == "total":
        return np.full(len(day), start)
    raise ValueError(f"unknown grain {grain!r}")


def unit_totals(runner: Runner, unit: str, start: dt.date, end: dt.date) -> pd.Series:
    """Summed measures of one unit over a date range (zeros where it had no activity)."""
    frame = rollup(runner, level_of(unit), unit, start, end, "total")
    frame = frame[frame.unit_code == unit]
    measures = frame.drop(columns=["unit_code", "period_start"])
    return measures.iloc[0] if len(measures) else pd.Series(0, index=measures.columns)


def unit_series(runner: Runner, unit: str, start: dt.date, end: dt.date, grain: str) -> pd.DataFrame:
    frame = rollup(runner, level_of(unit), unit, start, end, grain)
    return frame[frame.unit_code == unit].set_index("period_start")


def overview(runner: Runner, state: ViewState) -> dict:
    """Headline KPI tiles for a unit and period: value, comparison, target, 12-month series."""
    return kpi_tiles(runner, state, [k.id for k in kpis.catalogue() if k.headline])


def kpi_tiles(runner: Runner, state: ViewState, kpi_ids: list[str]) -> dict:
    """KPI tiles of a unit and period: value, comparison, target, 12-month series (cached per
    marts version like the queries under them)."""
    return runner.memo("tiles", {"query": state.query(), "kpis": list(kpi_ids)}, lambda: _tiles(runner, state, kpi_ids))


def _tiles(runner: Runner, state: ViewState, kpi_ids: list[str]) -> dict:
    cmp_start, cmp_end = comparison_range(state.start, state.end, state.cmp)
    current = unit_totals(runner, state.unit, state.start, state.end)
    previous = unit_totals(runner, state.unit, cmp_start, cmp_end)
    spark_start = shift_months(state.end, -11).replace(day=1)
    series = unit_series(runner, state.unit, spark_start, state.end, "month")
    tiles = []
    for kpi in map(kpis.by_id, kpi_ids):
        value = kpi.value(current)
        reference = kpi.value(previous)
        delta = change(value, reference, kpi.kind)
        points = kpi.value(series) if len(series) else pd.Series(dtype=float)
        tiles.append({
            "kpi_id": kpi.id, "kind": kpi.kind, "direction": kpi.direction, "source": kpi.source,
            "value": value, "previous": reference, "change": delta,
            "judgement": judgement(delta, kpi.direction),
            "target": kpi.target_for(state.unit), "target_status": kpi.status(value, state.unit),
            "score": kpi.score(value, state.unit),
            "numerator": int(current[kpi.numerator]),
            "denominator": int(current[kpi.denominator]) if kpi.denominator else None,
            "series": [(p.date().isoformat() if hasattr(p, "date") else str(p), None if pd.isna(v) else float(v))
                       for p, v in points.items()],
        })
    return {"unit": state.unit, "start": state.start.isoformat(), "end": state.end.isoformat(),
            "cmp": state.cmp, "cmp_start": cmp_start.isoformat(), "cmp_end": cmp_end.isoformat(),
            "tiles": tiles}


def freshness(runner: Runner) -> dict:
    frame = runner.run("freshness")
    return {"latest_record": pd.Timestamp(frame.latest_record.max()).to_pydatetime(),
            "built_at": pd.Timestamp(frame.built_at.iloc[0]).to_pydatetime(),
            "version": frame.version.iloc[0],
            "sources": {r.source: pd.Timestamp(r.latest_record).isoformat() for r in frame.itertuples()}}
