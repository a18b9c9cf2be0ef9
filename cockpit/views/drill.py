"""Data every working page shares: a KPI across the children of a unit, a KPI over time with
its comparison, map shapes and points, and the records behind a number."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace

import numpy as np
import pandas as pd
import shapely
import shapely.geometry

from cockpit.analysis.cells import approximate_cells
from cockpit.analysis.compare import change, judgement
from cockpit.demo import geo
from cockpit.kpis import Kpi
from cockpit.ops.loop import Actor
from cockpit.queries import Runner
from cockpit.units import district_of, is_city, level_of, parent_of, prefix_of
from cockpit.state import ViewState, comparison_range
from cockpit.views import (data_range, like_for_like, maturity_cutoff, period_bounds, rollup, unit_series,
                           with_coverage)

RECORD_KINDS = ("applications", "events")
EVERY_RECORD = {"applications": "apps", "events": "events"}  # the measure every record adds 1 to
PAGE_SIZE = 20
# A record's place (lon, lat) as recorded for the roles that go there (a handler disposes of an
# event on the ground); everyone else sees it to 3 decimals, about 100 m: enough to see where
# events gather, not which door a caller lives behind.
EXACT_PLACE_ROLES = ("handler",)
PLACE_DECIMALS = 3


def children_values(runner: Runner, state: ViewState, kpi: Kpi) -> pd.DataFrame:
    """The KPI for every child of the unit (children without activity included, value None),
    with the comparison period's value (like for like) and the change, best first."""
    children = runner.run("children", unit=state.unit)
    if children.empty:
        return pd.DataFrame(columns=["unit_code", "unit_name", "value", "numerator", "denominator",
                                     "previous", "change", "judgement"])
    level, prefix = level_of(state.unit) + 1, prefix_of(state.unit)
    cmp_start, cmp_end = comparison_range(state.start, state.end, state.cmp)
    now = rollup(runner, level, prefix, state.start, state.end, "total")
    before = like_for_like(runner, level, prefix, (cmp_start, cmp_end), "total",
                           maturity_cutoff(runner, state.end, cmp_end))
    frame = children[["unit_code", "unit_name"]].copy()
    now, before = now.set_index("unit_code"), before.set_index("unit_code")
    frame["numerator"] = frame.unit_code.map(now[kpi.numerator]).fillna(0).astype("int64")
    frame["denominator"] = (frame.unit_code.map(now[kpi.denominator]).fillna(0).astype("int64")
                            if kpi.denominator else None)
    frame["value"] = frame.unit_code.map(kpi.value(now)) if len(now) else None
    frame["previous"] = frame.unit_code.map(kpi.value(before)) if len(before) else None
    if not kpi.is_rate:
        frame["value"] = frame["value"].fillna(0.0)
    frame["value"] = frame["value"].astype("float64")
    frame["previous"] = frame["previous"].astype("float64")
    frame["change"] = [change(v, p, kpi.kind) for v, p in zip(frame.value, frame.previous)]
    frame["judgement"] = [judgement(c, kpi.direction) for c in frame.change]
    ascending = kpi.direction == "lower"
    return frame.sort_values("value", ascending=ascending, na_position="last").reset_index(drop=True)


TREND_WINDOW = {"day": pd.DateOffset(days=29), "week": pd.DateOffset(weeks=11), "month": pd.DateOffset(months=11),
                "quarter": pd.DateOffset(months=21), "year": pd.DateOffset(years=2)}


def trend_start(state: ViewState) -> dt.date:
    """A trend shows at least a dozen periods (three years, eight quarters) ending at the
    period's end, or the whole period when it is longer."""
    floor = (pd.Timestamp(state.end) - TREND_WINDOW[state.grain]).to_period(
        {"day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}[state.grain]).start_time.date()
    return min(state.start, floor)


def kpi_trend(runner: Runner, state: ViewState, kpi: Kpi) -> pd.DataFrame:
    """The KPI per period at the state's grain over the trend window, with the comparison
    period's value for each period (same period last year, or the period before), like for
    like: as it stood at the age its period has now. `days` and `period_days` (`with_coverage`)
    mark the partial periods; `previous_partial`, a comparison period with data for part of it."""
    state = replace(state, start=trend_start(state))
    unit, level = state.unit, level_of(state.unit)
    cur = unit_series(runner, unit, state.start, state.end, state.grain)
    frame = pd.DataFrame({"period_start": pd.to_datetime(cur.index)})
    frame["value"] = kpi.value(cur).to_numpy(dtype="float64") if len(cur) else np.array([], dtype="float64")

    def values(before: tuple, cutoff: dt.date) -> pd.Series:  # the KPI per period of `before`, at cutoff
        old = like_for_like(runner, level, unit, before, state.grain, cutoff)
        old = old[old.unit_code == unit]
        return pd.Series(kpi.value(old).to_numpy(dtype="float64") if len(old) else [],
                         index=pd.to_datetime(old.period_start), dtype="float64")

    first_day, last_day = data_range(runner)
    frame = with_coverage(frame, state.grain, max(state.start, first_day), min(state.end, last_day))
    if state.cmp == "yoy":
        s, e = comparison_range(state.start, state.end, "yoy")
        old = values((s, e), maturity_cutoff(runner, state.end, e))
        base = with_coverage(pd.DataFrame({"period_start": old.index}), state.grain, max(s, first_day), min(e, last_day))
        # the same period a year on: a week 52 weeks on (a Monday again), other periods the same dates
        on = pd.Timedelta(weeks=52) if state.grain == "week" else pd.DateOffset(years=1)
        old.index = old.index + on
        frame["previous"] = frame.period_start.map(old)
        frame["previous_partial"] = frame.period_start.map(
            pd.Series((base.days < base.period_days).to_numpy(), index=old.index)).fillna(False).astype(bool)
    else:  # each period against the one before it, at its age: one read per distinct cutoff (a month 28-31 days)
        bounds = period_bounds(state.start, state.end, state.grain)
        by_cutoff = defaultdict(list)
        for (s0, e0), (s1, e1) in zip(bounds, bounds[1:]):
            by_cutoff[maturity_cutoff(runner, e1, e0)].append((s0, e0, s1))
        previous = {}
        for cutoff, pairs in by_cutoff.items():
            old = values((max(pairs[0][0], state.start), pairs[-1][1]), cutoff)
            previous.update({pd.Timestamp(s1): old.get(pd.Timestamp(s0)) for s0, _, s1 in pairs})
        frame["previous"] = frame.period_start.map(previous).astype("float64")
        frame["previous_partial"] = (frame.days < frame.period_days).shift(1, fill_value=False)
    return frame


def map_shapes(runner: Runner, state: ViewState, outlines: bool = True) -> dict:
    """The areas the map shades, one per sub-unit (GeoJSON features, id = unit code): the
    districts' own boundaries at city level; below, approximate cells (analysis.cells) inside
    the unit's own area; `approximate` says which. None without `outlines` (a city's imported
    data brings no boundaries: the map shows its units as points)."""
    if not outlines:
        return {"type": "FeatureCollection", "features": [], "approximate": False, "bounds": None}
    if is_city(state.unit):
        data = geo.district_geojson()
        bounds = shapely.total_bounds([shapely.geometry.shape(f["geometry"]) for f in data["features"]])
        return {**data, "approximate": False, "bounds": tuple(bounds)}
    area = unit_area(runner, state.unit)
    cells = child_areas(runner, state.unit)
    return {"type": "FeatureCollection", "approximate": True, "bounds": area.bounds,
            "features": [{"type": "Feature", "id": code, "properties": {},
                          "geometry": shapely.geometry.mapping(cell)} for code, cell in cells.items()]}


def unit_area(runner: Runner, unit: str) -> shapely.Geometry:
    """A district's boundary; below, the union of the approximate cells of its grids."""
    if level_of(unit) <= 2:
        return geo.district_shapes()[district_of(unit)]
    return child_areas(runner, parent_of(unit))[unit]


def child_areas(runner: Runner, unit: str) -> dict:
    """The approximate areas of the unit's sub-units: each the union of its grids' cells within
    the district (so sub-units tile their unit and each holds its own grids). Kept per marts
    version in this process: the same for every view."""
    def compute():
        cells = _grid_cells(runner, district_of(unit))
        children = runner.run("children", unit=unit).unit_code
        # cells share their edges exactly: a coverage union (ten times faster than a general one)
        return {c: shapely.coverage_union_all([cell for grid, cell in cells.items() if grid.startswith(c)])
                for c in children}
    return runner.memo("child_areas", {"unit": unit}, compute, local=True)


def _grid_cells(runner: Runner, district: str) -> dict:
    def compute():
        points = runner.run("leaf_points", prefix=district)
        return approximate_cells({c: (x, y) for c, x, y in zip(points.unit_code, points.lon, points.lat)},
                                 geo.district_shapes()[district])
    return runner.memo("grid_cells", {"district": district}, compute, local=True)


def child_points(runner: Runner, state: ViewState) -> pd.DataFrame:
    return runner.run("unit_points", unit=state.unit)


def records(runner: Runner, state: ViewState, kind: str, page: int = 0,
            start: dt.date | None = None, end: dt.date | None = None, *, viewer: Actor | None = None,
            kpi: Kpi | None = None, size: int = PAGE_SIZE) -> pd.DataFrame:
    """One page of the records under the unit in the period, newest first, personal data masked,
    places rounded unless the viewer's role is one of EXACT_PLACE_ROLES (no viewer, as on the
    command line: rounded). With a KPI: only the records behind its value (those its denominator
    counts, or its numerator when it has none), each with what it adds to the numerator
    (`counted`)."""
    if kind not in RECORD_KINDS:
        raise ValueError(f"record kind must be one of {RECORD_KINDS}")
    every = EVERY_RECORD[kind]
    behind, counted = (kpi.denominator or kpi.numerator, kpi.numerator) if kpi else (every, every)
    frame = runner.run(f"records_{kind}", prefix=prefix_of(state.unit), start=start or state.start,
                       end=end or state.end, behind=behind, counted=counted, limit=size,
                       offset=max(0, int(page)) * size)
    if counted == behind:  # each row adds what it is counted by: nothing to show
        frame = frame.drop(columns="counted")
    places = [c for c in ("lon", "lat") if c in frame.columns]
    if places and (viewer is None or viewer.role not in EXACT_PLACE_ROLES):
        frame[places] = frame[places].round(PLACE_DECIMALS)  # the runner's frame is this call's own copy
    return frame
