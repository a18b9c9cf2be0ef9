"""The data behind each page, as plain values: the pages, the JSON API and the tests use the
same functions, so what a leader sees is what a test checks."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from cockpit import kpis
from cockpit.analysis.compare import change, judgement
from cockpit.queries import Runner
from cockpit.units import level_of, prefix_of
from cockpit.state import ViewState, comparison_range, shift_months


def data_range(runner: Runner) -> tuple[dt.date, dt.date]:
    row = runner.run("data_range").iloc[0]
    return pd.Timestamp(row.first_day).date(), pd.Timestamp(row.last_day).date()


def rollup(runner: Runner, level: int, prefix: str, start: dt.date, end: dt.date, grain: str) -> pd.DataFrame:
    """Measures of the units at `level` under `prefix`, per period of `grain` from `start` to
    `end`: the units' days summed by `Days.periods`. For the levels unit_daily stores, every day
    of those units is read once and kept in this process for all periods and grains; for the
    others, the period's days are summed from the grids."""
    if level in set(runner.run("stored_levels").unit_level):
        days = runner.memo("unit_days", {"level": level, "prefix": prefix},
                           lambda: Days.of(runner.run("unit_days", level=level, prefix=prefix, arrow=True)),
                           local=True)
    else:
        days = Days.of(runner.run("unit_days_from_grids", level=level, prefix=prefix, start=start, end=end, arrow=True))
    return unknown_as_missing(runner, days.periods(start, end, grain))


def unknown_as_missing(runner: Runner, frame: pd.DataFrame) -> pd.DataFrame:
    """The measures the data cannot give (a city's export without a field) as NaN, not 0: their
    KPIs say "no data" wherever they are shown."""
    unknown = [m for m in runner.run("unknown_measures").measure if m in frame.columns]
    if unknown:
        frame[unknown] = np.nan
    return frame


@dataclass(frozen=True)
class Days:
    """Units' daily measures as arrays, rows ordered by unit code then day: a few hundred KB
    per unit, summed to any period without a query."""
    names: np.ndarray  # the units' codes, sorted
    unit: np.ndarray  # each row's unit: its index in `names`
    day: np.ndarray  # datetime64[D]
    values: np.ndarray  # measures x rows, int64 (a column's days side by side)
    measures: pd.Index

    @classmethod
    def of(cls, table: pa.Table) -> Days:
        """From rows of unit_code, day and the measures in any order (sorting here is cheaper
        than an ORDER BY, and Arrow than a pandas frame: a district's streets, 39k rows, take
        ~25 ms instead of ~45)."""
        codes = table["unit_code"].combine_chunks().dictionary_encode()
        names = codes.dictionary.to_numpy(zero_copy_only=False).astype(object)
        rank = np.empty(len(names), dtype=np.int64)
        rank[np.argsort(names)] = np.arange(len(names))
        unit, day = rank[codes.indices.to_numpy(zero_copy_only=False)], table["day"].to_numpy().astype("datetime64[D]")
        order = np.argsort(unit << 32 | day.astype(np.int64), kind="stable")  # by unit, then day
        measures = pd.Index([c for c in table.column_names if c not in ("unit_code", "day")])
        values = np.array([table[m].to_numpy()[order] for m in measures], dtype=np.int64).reshape(len(measures), -1)
        arrays = (np.sort(names), unit[order], day[order], values)
        for a in arrays:
            a.flags.writeable = False  # shared by every view that reads these units
        return cls(*arrays, measures)

    def periods(self, start, end, grain: str) -> pd.DataFrame:
        """The measures summed per unit and period of `grain` (day, week from Monday, month,
        quarter, year, or total: one row per unit dated `start`) over the days from `start` to
        `end`: unit_code, period_start, measures."""
        start, end = np.datetime64(pd.Timestamp(start).date(), "D"), np.datetime64(pd.Timestamp(end).date(), "D")
        rows = np.flatnonzero((self.day >= start) & (self.day <= end))
        unit, period = self.unit[rows], _period_start(self.day[rows], grain, start)
        # Rows run by unit then day, so each (unit, period) is one run of rows: sum each run.
        first = np.flatnonzero(np.r_[True, (unit[1:] != unit[:-1]) | (period[1:] != period[:-1])]) \
            if len(rows) else np.array([], dtype=int)
        values = self.values[:, rows]
        frame = pd.DataFrame((np.add.reduceat(values, first, axis=1) if len(first) else values).T, columns=self.measures)
        frame.insert(0, "period_start", period[first].astype("datetime64[us]"))
        frame.insert(0, "unit_code", pd.Series(self.names[unit[first]], dtype="str"))
        return frame


def period_bounds(start: dt.date, end: dt.date, grain: str) -> list[tuple[dt.date, dt.date]]:
    """The periods of `grain` from `start` to `end`: (start as `Days.periods` dates it, the
    period's last day within the range)."""
    days = np.arange(np.datetime64(start, "D"), np.datetime64(end, "D") + 1)
    starts = _period_start(days, grain, days[0])
    first = np.flatnonzero(np.r_[True, starts[1:] != starts[:-1]])
    last = np.r_[first[1:] - 1, len(days) - 1]
    return [(starts[i].astype(object), days[j].astype(object)) for i, j in zip(first, last)]


def with_coverage(frame: pd.DataFrame, grain: str, first: dt.date, last: dt.date) -> pd.DataFrame:
    """Rows by period_start with the days each period has between `first` and `last` (the
    range asked for within the data) and the days of the whole period: a period with fewer is
    partial (the running month, a week cut by the filter, a year the data starts inside) and is
    drawn and read as such."""
    starts = pd.to_datetime(frame.period_start).to_numpy().astype("datetime64[D]")
    ends = _period_end(starts, grain)
    lo, hi = np.maximum(starts, np.datetime64(first, "D")), np.minimum(ends, np.datetime64(last, "D"))
    return frame.assign(days=np.maximum((hi - lo).astype("int64") + 1, 0), period_days=(ends - starts).astype("int64") + 1)


def _period_end(start: np.ndarray, grain: str) -> np.ndarray:
    """The last day of the periods of `grain` starting on `start` (datetime64[D])."""
    if grain == "day":
        return start
    if grain == "week":
        return start + 6
    months = {"month": 1, "quarter": 3, "year": 12}[grain]
    return (start.astype("datetime64[M]") + months).astype("datetime64[D]") - 1


def period_of(day: dt.date | str, grain: str) -> dt.date:
    """The first day of the period of `grain` holding `day`."""
    return _period_start(np.array([np.datetime64(str(day)[:10], "D")]), grain, None)[0].astype(object)


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


def by_dimension(runner: Runner, query: str, prefix: str, start, end, dim: str, cutoff: dt.date | None = None) -> pd.DataFrame:
    """Records' measures under a code prefix summed by one dimension: key, measures (as they
    stood at the end of `cutoff`, if given). The query (services_breakdown, events_breakdown)
    answers every dimension at once, so a page's breakdowns read the records once."""
    frame = runner.run(query, prefix=prefix, start=start, end=end, cutoff=cutoff)
    return unknown_as_missing(runner, frame[frame.dim == dim].drop(columns="dim").reset_index(drop=True))


def like_for_like(runner: Runner, level: int, prefix: str, before: tuple, grain: str, cutoff: dt.date) -> pd.DataFrame:
    """`rollup` of a comparison period as it stood at the end of `cutoff` (`maturity_cutoff`:
    the age the period it is compared with has now): its maturing measures (kpis.MATURING:
    completions, on-time counts, durations, ratings) count only what was done by then. In a
    running month only the quick cases have closed; a year ago's month has had a year."""
    frame = rollup(runner, level, prefix, *before, grain)
    stored = level in set(runner.run("done_levels").unit_level)  # else read from the records
    days = runner.run("matured_days" if stored else "matured_days_from_records", level=level,
                      prefix=prefix_of(prefix), start=before[0], end=before[1], cutoff=cutoff, arrow=True)
    grown = Days.of(days).periods(*before, grain).set_index(["unit_code", "period_start"])
    keys = pd.MultiIndex.from_frame(frame[["unit_code", "period_start"]])
    for measure in kpis.MATURING:
        frame[measure] = grown[measure].reindex(keys).fillna(0).to_numpy(dtype="int64") if len(grown) else 0
    return frame


def maturity_cutoff(runner: Runner, end, before_end) -> dt.date:
    """The last day whose outcomes count in a comparison period ending `before_end` compared
    with one ending `end`: as many days after it as the data's last day is after `end`."""
    return data_range(runner)[1] - (pd.Timestamp(end).date() - pd.Timestamp(before_end).date())


def unit_totals(runner: Runner, unit: str, start: dt.date, end: dt.date, matured_by: tuple | None = None) -> pd.Series:
    """Summed measures of one unit over a date range (zeros where it had no activity); with
    `matured_by` (the current period) like for like with it (`like_for_like`)."""
    frame = (like_for_like(runner, level_of(unit), unit, (start, end), "total",
                           maturity_cutoff(runner, matured_by[1], end)) if matured_by
             else rollup(runner, level_of(unit), unit, start, end, "total"))
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
    previous = unit_totals(runner, state.unit, cmp_start, cmp_end, matured_by=(state.start, state.end))
    matured = unit_totals(runner, state.unit, cmp_start, cmp_end)  # the comparison period as it stands now
    spark_start = shift_months(state.end, -11).replace(day=1)
    series = unit_series(runner, state.unit, spark_start, state.end, "month")
    first_day, last_day = data_range(runner)
    cover = with_coverage(pd.DataFrame({"period_start": series.index}), "month", max(spark_start, first_day),
                          min(state.end, last_day))
    partial = (cover.days < cover.period_days).tolist()  # the running month, a month the data starts inside
    tiles = []
    for kpi in map(kpis.by_id, kpi_ids):
        value = kpi.value(current)
        reference = kpi.value(previous)  # like for like: as it stood at the current period's age
        delta = change(value, reference, kpi.kind)
        whole = kpi.value(matured) if kpi.matures else reference
        points = kpi.value(series) if len(series) else pd.Series(dtype=float)
        tiles.append({
            "kpi_id": kpi.id, "kind": kpi.kind, "direction": kpi.direction, "source": kpi.source,
            "value": value, "previous": reference, "change": delta,
            # a maturing KPI: the comparison period as it stands now, and the current period's open records
            "previous_matured": whole, "change_matured": change(value, whole, kpi.kind),
            "open": int(current[kpis.OPEN[kpi.domain]]) if kpi.matures else None,
            "judgement": judgement(delta, kpi.direction),
            "target": kpi.target_for(state.unit), "target_status": kpi.status(value, state.unit),
            "score": kpi.score(value, state.unit),
            "numerator": None if pd.isna(current[kpi.numerator]) else int(current[kpi.numerator]),  # None: unknown
            "denominator": int(current[kpi.denominator]) if kpi.denominator else None,
            "series": [(p.date().isoformat() if hasattr(p, "date") else str(p), None if pd.isna(v) else float(v))
                       for p, v in points.items()],
            "series_partial": partial,
        })
    return {"unit": state.unit, "start": state.start.isoformat(), "end": state.end.isoformat(),
            "cmp": state.cmp, "cmp_start": cmp_start.isoformat(), "cmp_end": cmp_end.isoformat(),
            "cutoff": maturity_cutoff(runner, state.end, cmp_end).isoformat(), "tiles": tiles}


def freshness(runner: Runner) -> dict:
    frame = runner.run("freshness")
    return {"latest_record": pd.Timestamp(frame.latest_record.max()).to_pydatetime(),
            "built_at": pd.Timestamp(frame.built_at.iloc[0]).to_pydatetime(),
            "version": frame.version.iloc[0],
            "sources": {r.source: pd.Timestamp(r.latest_record).isoformat() for r in frame.itertuples()},
            "empty": [r.source for r in frame.itertuples() if not r.rows]}  # e.g. a city that imported events only
