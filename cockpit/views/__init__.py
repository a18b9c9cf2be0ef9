"""The data behind each page, as plain values: the pages, the JSON API and the tests use the
same functions, so what a leader sees is what a test checks."""
from __future__ import annotations

import datetime as dt

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
    """Measures of the units at `level` under `prefix`, per period of `grain` (queries/rollup.sql):
    from unit_daily for the levels it stores, else summed from the grids' days."""
    stored = set(runner.run("stored_levels").unit_level)
    return runner.run("rollup" if level in stored else "rollup_grids",
                      level=level, prefix=prefix, start=start, end=end, grain=grain)


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
