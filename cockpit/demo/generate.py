"""Deterministic demo data for the cockpit, written as Parquet under data/raw/.

Everything is drawn from numpy generators seeded by (seed, part), so the same seed, scale and
anchor date give the same files. Facts are written one calendar month at a time, which bounds
memory at every scale. `manifest.json` lists every injected anomaly and data-quality fault.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from cockpit.demo import geo, reference as ref
from cockpit.demo.calendar import day_calendar
from cockpit.units import level_of

DEFAULT_SEED = 20240601
YEARS = 3
HOUR = np.timedelta64(3600, "s")


@dataclass(frozen=True)
class Scale:
    applications: int
    events: int
    sensors: int


SCALES = {
    "tiny": Scale(applications=30_000, events=12_000, sensors=12),
    "small": Scale(applications=200_000, events=70_000, sensors=30),
    "default": Scale(applications=1_100_000, events=340_000, sensors=120),
    "large": Scale(applications=52_000_000, events=10_500_000, sensors=600),
}

# Data-quality faults, as a share of the rows of each fact table.
FAULT_RATES = {
    "duplicate_records": 0.002,
    "missing_unit": 0.001,
    "late_arrivals": 0.003,
    "future_dates": 0.0002,
}
CLOSED_BEFORE_CREATED_RATE = 0.0005  # events only
OUT_OF_RANGE_RATE = 0.0005  # sensor readings

CATEGORY_DEPT = {
    "市容环境": "D13", "违法建设": "D16", "交通秩序": "D03", "噪声扰民": "D12", "排水防汛": "D14",
    "物业管理": "D15", "安全隐患": "D17", "绿化养护": "D13", "环境污染": "D12", "公共设施": "D05",
    "市场监管": "D01", "社区服务": "D06",
}

APP_MONTH = np.array([0.85, 0.7, 1.1, 1.05, 1.0, 1.05, 1.0, 0.95, 1.1, 0.9, 1.05, 1.05])
EVENT_MONTH = np.array([0.85, 0.8, 0.95, 1.0, 1.05, 1.15, 1.25, 1.25, 1.1, 1.0, 0.95, 0.9])
APP_HOURS = np.array([1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 3, 6, 10, 10, 9, 6, 8, 10, 10, 9, 7, 5, 5, 5, 4, 3, 2], float)
COUNTER_HOURS = np.array([0] * 9 + [10, 12, 11, 5, 9, 12, 11, 9, 4] + [0] * 6, float)
EVENT_HOURS = np.array([1, 0.6, 0.4, 0.3, 0.3, 0.6, 2, 5, 8, 9, 9, 8, 6, 7, 8, 8, 8, 7, 6, 6, 5, 4, 3, 2], float)


@dataclass
class World:
    """Everything the monthly fact generators need, fixed before the first month."""

    seed: int
    start: dt.date
    end: dt.date  # last day with data (the day before the anchor)
    extracted_at: np.datetime64
    units: pd.DataFrame
    grids: pd.DataFrame
    grid_xy: np.ndarray
    items: pd.DataFrame
    item_weight: np.ndarray
    bundle_of_item: dict
    calendar: pd.DataFrame
    app_lambda: np.ndarray
    event_lambda: np.ndarray
    district_offset: dict
    anomalies: list
    typhoon: dict
    sensors: pd.DataFrame


def generate(out_dir: Path, scale: str = "default", seed: int = DEFAULT_SEED,
             anchor: dt.date | None = None, progress: Callable[[str], None] = print) -> dict:
    """Write demo raw data to `out_dir` (replaced atomically) and return the manifest."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    anchor = anchor or dt.date.today()
    out_dir = Path(out_dir)
    tmp = out_dir.with_name(out_dir.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "applications").mkdir(parents=True)
    (tmp / "events").mkdir()
    (tmp / "readings").mkdir()

    world = _world(scale, seed, anchor)
    progress(f"[demo] scale={scale} seed={seed} days={world.start}..{world.end} "
             f"units={len(world.units):,} grids={len(world.grids):,}")
    _write(tmp / "units.parquet", world.units)
    _write(tmp / "departments.parquet", ref.departments_frame())
    _write(tmp / "items.parquet", world.items.drop(columns=["enterprise_share"]))
    _write(tmp / "bundles.parquet", ref.bundles_frame(world.items))
    _write(tmp / "sensors.parquet", world.sensors)
    _write(tmp / "calendar.parquet", world.calendar)

    counts = {"applications": 0, "events": 0, "readings": 0}
    faults = {table: dict.fromkeys(FAULT_RATES, 0) for table in ("applications", "events")}
    faults["events"]["closed_before_created"] = 0
    faults["readings"] = {"out_of_range": 0}
    months = pd.period_range(world.start, world.end, freq="M")
    for part, month in enumerate(months, start=1):
        lo = max(month.start_time.date(), world.start)
        hi = min(month.end_time.date(), world.end)
        day_index = np.arange((lo - world.start).days, (hi - world.start).days + 1)
        rng = np.random.default_rng([seed, part])
        apps = _applications(world, day_index, rng)
        apps, f_apps = _inject_faults(apps, "app_id", "submit_time", "grid_code", world, rng)
        events = _events(world, day_index, rng)
        events, f_events = _inject_faults(events, "event_id", "report_time", "grid_code", world, rng)
        f_events["closed_before_created"] = _close_before_create(events, rng)
        readings = _readings(world, lo, hi, rng)
        faults["readings"]["out_of_range"] += _out_of_range(readings, world.sensors, rng)
        for table, frame, found in (("applications", apps, f_apps), ("events", events, f_events)):
            counts[table] += len(frame)
            for kind, n in found.items():
                faults[table][kind] += n
        counts["readings"] += len(readings)
        name = f"{month.year}-{month.month:02d}.parquet"
        _write(tmp / "applications" / name, apps)
        _write(tmp / "events" / name, events)
        _write(tmp / "readings" / name, readings)
        progress(f"[demo] {part}/{len(months)} {month}: applications {counts['applications']:,} "
                 f"events {counts['events']:,} readings {counts['readings']:,}")

    manifest = {
        "seed": seed, "scale": scale, "anchor": anchor.isoformat(),
        "start": world.start.isoformat(), "end": world.end.isoformat(),
        "extracted_at": str(world.extracted_at),
        "rows": {**counts, "units": len(world.units), "grids": len(world.grids),
                 "sensors": len(world.sensors), "items": len(world.items)},
        "anomalies": world.anomalies + [world.typhoon],
        "faults": faults,
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), "utf-8")
    if out_dir.exists():
        old = out_dir.with_name(out_dir.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        out_dir.rename(old)
        tmp.rename(out_dir)
        shutil.rmtree(old)
    else:
        tmp.rename(out_dir)
    progress(f"[demo] wrote {out_dir}")
    return manifest


# ---------------------------------------------------------------- the fixed world

def _world(scale: str, seed: int, anchor: dt.date) -> World:
    rng = np.random.default_rng([seed, 0])
    size = SCALES[scale]
    hierarchy = ref.build_hierarchy(scale, rng)
    units, grids = hierarchy.units, hierarchy.grids
    end = anchor - dt.timedelta(days=1)
    start = anchor.replace(year=anchor.year - YEARS) if not (anchor.month == 2 and anchor.day == 29) \
        else dt.date(anchor.year - YEARS, 2, 28)
    days = pd.date_range(start, end, freq="D")
    calendar = day_calendar(days)

    grid_xy = _grid_points(units, rng)
    is_grid = (units.unit_level == 5).to_numpy()
    units["lon"], units["lat"] = np.nan, np.nan
    units.loc[is_grid, "lon"], units.loc[is_grid, "lat"] = grid_xy[:, 0].round(6), grid_xy[:, 1].round(6)
    items = ref.items_frame()
    item_weight = rng.lognormal(0, 0.9, len(items))
    item_weight /= item_weight.sum()
    bundle_of_item = {}
    for bundle_id, _, members in ref.BUNDLES:
        for name in members:
            bundle_of_item.setdefault(name, bundle_id)

    years_in = np.arange(len(days)) / 365.25
    workday = calendar.is_workday.to_numpy()
    holiday = calendar.holiday_name.notna().to_numpy()
    month = days.month.to_numpy() - 1
    app_f = APP_MONTH[month] * np.where(workday, 1.0, np.where(holiday, 0.2, 0.3)) * 1.08 ** years_in
    event_f = EVENT_MONTH[month] * np.where(workday, 1.0, np.where(holiday, 0.75, 0.85)) * 1.03 ** years_in
    typhoon = _typhoon(start, end, rng)
    t0 = (dt.date.fromisoformat(typhoon["start"]) - start).days
    event_f[t0:t0 + 7] *= np.array([1.4, 2.2, 2.6, 2.0, 1.5, 1.2, 1.1])

    districts = sorted(ref.DISTRICT_POPULATION)
    central = {"310101", "310104", "310105", "310106", "310107", "310109", "310110"}
    district_offset = {d: (0.05 if d in central else -0.03) + rng.normal(0, 0.02) for d in districts}
    world = World(
        seed=seed, start=start, end=end,
        extracted_at=np.datetime64(anchor.isoformat() + "T00:00:00", "s"),
        units=units, grids=grids, grid_xy=grid_xy, items=items, item_weight=item_weight,
        bundle_of_item=bundle_of_item, calendar=calendar,
        app_lambda=app_f * size.applications / app_f.sum(),
        event_lambda=event_f * size.events / event_f.sum(),
        district_offset=district_offset, anomalies=[], typhoon=typhoon,
        sensors=_sensors(size.sensors, units, grid_xy, rng),
    )
    world.anomalies = _plan_anomalies(world, rng)
    return world


def _grid_points(units: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """One (lon, lat) per grid, clustered by street and community, inside the district."""
    points = {}
    children = units.groupby("parent_code")["unit_code"].apply(list).to_dict()
    for district in children[ref.CITY_CODE]:
        streets = children.get(district, [])
        street_xy = geo.points_inside(district, len(streets), rng)
        for street, sxy in zip(streets, street_xy):
            comms = children.get(street, [])
            comm_xy = geo.points_inside(district, len(comms), rng, around=tuple(sxy), spread=0.012)
            for comm, cxy in zip(comms, comm_xy):
                gs = children.get(comm, [])
                for grid, gxy in zip(gs, geo.points_inside(district, len(gs), rng, around=tuple(cxy), spread=0.003)):
                    points[grid] = gxy
    grid_codes = units.loc[units.unit_level == 5, "unit_code"]
    return np.array([points[c] for c in grid_codes])


def _typhoon(start: dt.date, end: dt.date, rng: np.random.Generator) -> dict:
    """A typhoon week in the most recent complete July–September inside the data."""
    year = end.year if end >= dt.date(end.year, 10, 1) else end.year - 1
    first = dt.date(year, 7, 15) + dt.timedelta(days=int(rng.integers(0, 60)))
    return {"id": "typhoon", "kind": "typhoon", "metric": "events", "category": ref.DRAINAGE_CATEGORY,
            "unit_code": ref.CITY_CODE, "unit_level": 1, "start": first.isoformat(),
            "end": (first + dt.timedelta(days=6)).isoformat(), "direction": "up",
            "size": "drainage events x8, all events up to x2.6, water levels +2.5 m"}


def _plan_anomalies(world: World, rng: np.random.Generator) -> list[dict]:
    """Anomalies in distinct units and periods of the last two years, sized to stand out at
    their unit's level at every scale (the detector is judged against this list)."""
    streets = world.units[world.units.unit_level == 3].unit_code.to_numpy()
    districts = np.array(sorted(ref.DISTRICT_POPULATION))
    n_days = (world.end - world.start).days + 1
    typhoon_day = (dt.date.fromisoformat(world.typhoon["start"]) - world.start).days
    picked_streets = rng.choice(streets, 3, replace=False)
    picked_districts = rng.choice(districts, 4, replace=False)
    street_share = world.grids.groupby("street_code")["weight"].sum()
    specs = [
        ("events_surge", "events", picked_streets[0], 7, {"category": "噪声扰民"}),
        ("events_surge", "events", picked_streets[1], 5, {"category": "市容环境"}),
        ("applications_surge", "applications", picked_streets[2], 7, {"item_name": "企业设立登记"}),
        ("online_rate_drop", "online_rate", picked_districts[0], 10, {"factor": 0.4}),
        ("on_time_closure_drop", "on_time_closure_rate", picked_districts[1], 28, {"on_time": 0.45}),
        ("satisfaction_drop", "satisfaction_rate", picked_districts[2], 28, {"good": 0.45}),
        ("on_time_completion_drop", "on_time_completion_rate", picked_districts[3], 21, {"on_time": 0.55}),
    ]
    slots = np.linspace(n_days - 720, n_days - 45, len(specs)).astype(int)
    anomalies = []
    for i, ((kind, metric, unit, length, extra), slot) in enumerate(zip(specs, slots)):
        first = int(slot + rng.integers(-20, 20))
        if abs(first - typhoon_day) < 21:
            first += 35
        first = min(first, n_days - length - 1)
        a = {"id": f"A{i + 1}", "kind": kind, "metric": metric, "unit_code": str(unit),
             "unit_level": level_of(str(unit)),
             "start": (world.start + dt.timedelta(days=first)).isoformat(),
             "end": (world.start + dt.timedelta(days=first + length - 1)).isoformat(),
             "direction": "up" if kind.endswith("surge") else "down", **extra}
        if kind.endswith("surge"):
            lam = world.event_lambda if metric == "events" else world.app_lambda
            baseline = float(lam[first:first + length].mean() * street_share[unit])
            a["extra_per_day"] = round(max(6.0, 4.0 * baseline), 2)
            a["size"] = 0  # filled with the rows actually added
        anomalies.append(a)
    return anomalies


def _sensors(n: int, units: pd.DataFrame, grid_xy: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    grid_codes = units.loc[units.unit_level == 5, "unit_code"].to_numpy()
    rows = []
    for i in range(n):
        stype = ref.SENSOR_TYPES[i % len(ref.SENSOR_TYPES)]
        g = int(rng.integers(0, len(grid_codes)))
        capacity = float(rng.uniform(0.8, 1.25))  # sites differ in size; thresholds scale with it
        rows.append({
            "sensor_id": f"S{i + 1:04d}", "sensor_type": stype[0], "grid_code": grid_codes[g],
            "lon": grid_xy[g, 0], "lat": grid_xy[g, 1], "uom": stype[1],
            "baseline": stype[2] * (capacity if stype[0] in ("power_load", "metro_flow") else 1.0),
            "warn_low": stype[5], "warn_high": stype[6] * (capacity if stype[0] in ("power_load", "metro_flow") else 1.0),
            "valid_min": stype[7], "valid_max": stype[8],
        })
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- monthly facts

def _draw_days(lam: np.ndarray, day_index: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return np.repeat(day_index, rng.poisson(lam[day_index]))


def _timestamps(world: World, day_idx: np.ndarray, hour_weights: np.ndarray, rng) -> np.ndarray:
    base = np.datetime64(world.start.isoformat(), "s")
    hours = rng.choice(24, len(day_idx), p=hour_weights / hour_weights.sum())
    secs = day_idx.astype("int64") * 86400 + hours * 3600 + rng.integers(0, 3600, len(day_idx))
    return base + secs.astype("timedelta64[s]")


def _surge_rows(world: World, metric: str, day_index: np.ndarray, rng):
    """Extra rows of the count anomalies falling in these days: (day, grid index, anomaly)."""
    days, grid_idx, which = [], [], []
    for a in world.anomalies:
        if a["metric"] != metric or "extra_per_day" not in a:
            continue
        lo = (dt.date.fromisoformat(a["start"]) - world.start).days
        hi = (dt.date.fromisoformat(a["end"]) - world.start).days
        in_range = day_index[(day_index >= lo) & (day_index <= hi)]
        d = np.repeat(in_range, rng.poisson(a["extra_per_day"], len(in_range)))
        pool = np.flatnonzero(world.grids.street_code.to_numpy() == a["unit_code"])
        days.append(d)
        grid_idx.append(rng.choice(pool, len(d)))
        which.append(np.full(len(d), a["id"]))
        a["size"] += len(d)
    if not days:
        return np.array([], int), np.array([], int), np.array([], str)
    return np.concatenate(days), np.concatenate(grid_idx), np.concatenate(which)


def _rate_mask(world: World, kind: str, day_idx: np.ndarray, district: np.ndarray):
    """Rows inside a rate anomaly of this kind, and the anomaly (or None)."""
    for a in world.anomalies:
        if a["kind"] == kind:
            lo = (dt.date.fromisoformat(a["start"]) - world.start).days
            hi = (dt.date.fromisoformat(a["end"]) - world.start).days
            return (day_idx >= lo) & (day_idx <= hi) & (district == a["unit_code"]), a
    return np.zeros(len(day_idx), bool), None


def _applications(world: World, day_index: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    grids, items = world.grids, world.items
    day_idx = _draw_days(world.app_lambda, day_index, rng)
    grid_idx = rng.choice(len(grids), len(day_idx), p=grids.weight.to_numpy())
    item_idx = rng.choice(len(items), len(day_idx), p=world.item_weight)
    s_day, s_grid, s_which = _surge_rows(world, "applications", day_index, rng)
    if len(s_day):
        surge_item = {a["id"]: int(np.flatnonzero(items.item_name == a["item_name"])[0])
                      for a in world.anomalies if "item_name" in a}
        day_idx = np.concatenate([day_idx, s_day])
        grid_idx = np.concatenate([grid_idx, s_grid])
        item_idx = np.concatenate([item_idx, [surge_item[w] for w in s_which]])
    n = len(day_idx)
    district = grids.district_code.to_numpy()[grid_idx]
    t = day_idx / 365.25
    offset = np.vectorize(world.district_offset.get, otypes=[float])(district) if n else np.zeros(0)

    p_online = np.clip(0.52 + 0.09 * t + offset, 0.05, 0.97)
    mask, a = _rate_mask(world, "online_rate_drop", day_idx, district)
    if a:
        p_online[mask] *= a["factor"]
    online = rng.random(n) < p_online
    channel = np.where(online, np.where(rng.random(n) < 0.4, "online", "mobile"),
                       np.where(rng.random(n) < 0.85, "counter", "kiosk"))
    capable = items.full_online_capable.to_numpy()[item_idx]
    full_online = online & capable & (rng.random(n) < 0.85 + 0.03 * t)
    cross = ~online & (rng.random(n) < 0.05 + 0.02 * t)
    enterprise = rng.random(n) < items.enterprise_share.to_numpy()[item_idx]
    bundle = np.array([world.bundle_of_item.get(x) for x in items.item_name.to_numpy()], dtype=object)[item_idx]
    bundle = np.where(rng.random(n) < 0.2, bundle, None)

    counter = channel == "counter"
    submit = np.where(counter | (channel == "kiosk"),
                      _timestamps(world, day_idx, COUNTER_HOURS, rng),
                      _timestamps(world, day_idx, APP_HOURS, rng))
    accept_lag = np.where(counter, rng.exponential(900, n), rng.exponential(3 * 3600, n)).astype("int64")
    accept = submit + accept_lag.astype("timedelta64[s]")
    promised = items.promised_days.to_numpy()[item_idx]
    p_on_time = np.clip(0.955 + offset * 0.3, 0.5, 0.995)
    mask, a = _rate_mask(world, "on_time_completion_drop", day_idx, district)
    if a:
        p_on_time[mask] = a["on_time"]
    on_time = rng.random(n) < p_on_time
    frac = np.where(on_time, rng.beta(2.0, 2.5, n) * 0.97, 1.02 + rng.exponential(0.5, n))
    complete = submit + (promised * frac * 86400).astype("int64").astype("timedelta64[s]")
    rejected = rng.random(n) < 0.02
    finished = ~rejected & (complete < world.extracted_at)
    status = np.where(rejected, "rejected", np.where(finished, "completed", "processing"))
    complete = np.where(finished, complete, np.datetime64("NaT"))

    rated = finished & (rng.random(n) < 0.6)
    p_good = np.where(on_time, 0.94, 0.62)
    mask, a = _rate_mask(world, "satisfaction_drop", day_idx, district)
    if a:
        p_good = np.where(mask, a["good"], p_good)
    good = rng.random(n) < p_good
    rating = np.where(good, np.where(rng.random(n) < 0.75, 5, 4), rng.integers(1, 4, n))
    reasons = np.where(good, np.array(ref.RATING_REASONS_GOOD)[rng.integers(0, 5, n)],
                       np.array(ref.RATING_REASONS_BAD)[rng.integers(0, 5, n)])
    last = np.where(finished, complete, accept)
    ingested = last + rng.integers(60, 7200, n).astype("timedelta64[s]")
    ingested = np.minimum(ingested, world.extracted_at)
    names, phones = _people(n, enterprise, rng)
    return pd.DataFrame({
        "app_id": _ids(world, day_index, n, 1),
        "item_id": items.item_id.to_numpy()[item_idx],
        "dept_code": items.dept_code.to_numpy()[item_idx],
        "grid_code": grids.unit_code.to_numpy()[grid_idx],
        "applicant_name": names, "applicant_phone": phones,
        "channel": pd.Categorical(channel, categories=ref.CHANNELS),
        "applicant_type": pd.Categorical(np.where(enterprise, "enterprise", "person"),
                                         categories=["person", "enterprise"]),
        "bundle_id": bundle,
        "is_full_online": full_online,
        "is_cross_district": cross,
        "promised_days": promised.astype("int16"),
        "submit_time": submit, "accept_time": accept, "complete_time": complete,
        "status": pd.Categorical(status, categories=["processing", "completed", "rejected"]),
        "rating": pd.Series(rating, dtype="Int8").where(rated),
        "rating_reason": np.where(rated, reasons, None),
        "ingested_at": ingested,
    })


def _events(world: World, day_index: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    grids = world.grids
    cats = ref.EVENT_CATEGORIES
    day_idx = _draw_days(world.event_lambda, day_index, rng)
    n0 = len(day_idx)
    t = day_idx / 365.25
    share = np.array(ref.EVENT_SOURCE_SHARE)
    proactive = np.isin(ref.EVENT_SOURCES, ref.PROACTIVE_SOURCES)
    # Proactive discovery grows over the years: draw with a time-dependent share per row.
    weights = share[None, :] * np.where(proactive, 1 + 0.22 * t[:, None], 1.0)
    source_idx = (rng.random(n0)[:, None] > np.cumsum(weights / weights.sum(1, keepdims=True), 1)).sum(1)
    cat_share = np.array([c[3] for c in cats])  # categories x sources
    cat_share = cat_share / cat_share.sum(0, keepdims=True)
    cat_idx = np.empty(n0, int)
    for s in range(len(ref.EVENT_SOURCES)):
        rows = source_idx == s
        cat_idx[rows] = rng.choice(len(cats), rows.sum(), p=cat_share[:, s])
    grid_idx = rng.choice(len(grids), n0, p=grids.weight.to_numpy())

    # Typhoon: most extra events are drainage reports from hotline and sensors.
    ty_lo = (dt.date.fromisoformat(world.typhoon["start"]) - world.start).days
    in_typhoon = (day_idx >= ty_lo) & (day_idx < ty_lo + 7)
    to_drain = in_typhoon & (rng.random(n0) < 0.45)
    cat_idx[to_drain] = [c[0] for c in cats].index(ref.DRAINAGE_CATEGORY)

    s_day, s_grid, s_which = _surge_rows(world, "events", day_index, rng)
    if len(s_day):
        cat_of = {a["id"]: [c[0] for c in cats].index(a["category"]) for a in world.anomalies if "category" in a}
        day_idx = np.concatenate([day_idx, s_day])
        grid_idx = np.concatenate([grid_idx, s_grid])
        cat_idx = np.concatenate([cat_idx, [cat_of[w] for w in s_which]])
        source_idx = np.concatenate([source_idx, np.zeros(len(s_day), int)])  # citizens call 12345
    n = len(day_idx)
    source = np.array(ref.EVENT_SOURCES)[source_idx]
    district = grids.district_code.to_numpy()[grid_idx]
    offset = np.vectorize(world.district_offset.get, otypes=[float])(district) if n else np.zeros(0)

    report = _timestamps(world, day_idx, EVENT_HOURS, rng)
    deadline_days = np.array([c[1] for c in cats])[cat_idx]
    deadline = report + (deadline_days * 86400).astype("timedelta64[s]")
    p_on_time = np.clip(0.9 + offset * 0.5, 0.5, 0.99)
    mask, a = _rate_mask(world, "on_time_closure_drop", day_idx, district)
    if a:
        p_on_time[mask] = a["on_time"]
    on_time = rng.random(n) < p_on_time
    frac = np.where(on_time, rng.beta(1.6, 3.0, n) * 0.97, 1.03 + rng.exponential(0.6, n))
    total = deadline_days * 86400 * frac
    # Stage shares: register, dispatch, dispose, check, close. Disposal takes most of the time.
    stages = rng.dirichlet([0.4, 0.8, 6.0, 1.6, 0.6], n) * total[:, None]
    stamps = report[:, None] + np.cumsum(stages, 1).astype("int64").astype("timedelta64[s]")
    stamps = np.where(stamps < world.extracted_at, stamps, np.datetime64("NaT"))
    reached = (~np.isnat(stamps)).sum(1)
    status = np.array(["reported", "registered", "dispatched", "disposed", "checked", "closed"])[reached]
    closed = reached == 5

    hotline = source == "hotline"
    rated = hotline & closed & (rng.random(n) < 0.7)
    satisfied = rng.random(n) < np.where(on_time, 0.9, 0.55)
    rating = np.where(satisfied, np.where(rng.random(n) < 0.7, 5, 4), rng.integers(1, 4, n))
    xy = world.grid_xy[grid_idx] + rng.normal(0, 0.0015, (n, 2))
    for code in np.unique(district):
        rows = np.flatnonzero(district == code)
        outside = rows[~geo.contains(code, xy[rows, 0], xy[rows, 1])]
        xy[outside] = world.grid_xy[grid_idx[outside]]
    last = np.where(closed, stamps[:, 4], report)
    ingested = np.minimum(last + rng.integers(60, 3600, n).astype("timedelta64[s]"), world.extracted_at)
    _, phones = _people(n, np.zeros(n, bool), rng)
    return pd.DataFrame({
        "event_id": _ids(world, day_index, n, 2),
        "source": pd.Categorical(source, categories=ref.EVENT_SOURCES),
        "category": np.array([c[0] for c in cats])[cat_idx],
        "dept_code": np.vectorize(CATEGORY_DEPT.get)(np.array([c[0] for c in cats])[cat_idx]) if n else [],
        "grid_code": grids.unit_code.to_numpy()[grid_idx],
        "reporter_phone": np.where(hotline, phones, None),
        "lon": xy[:, 0].round(6), "lat": xy[:, 1].round(6),
        "report_time": report,
        "register_time": stamps[:, 0], "dispatch_time": stamps[:, 1], "dispose_time": stamps[:, 2],
        "check_time": stamps[:, 3], "close_time": stamps[:, 4],
        "deadline": deadline,
        "status": pd.Categorical(status, categories=["reported", "registered", "dispatched", "disposed", "checked", "closed"]),
        "is_repeat": hotline & (rng.random(n) < 0.08),
        "rating": pd.Series(rating, dtype="Int8").where(rated),
        "ingested_at": ingested,
    })


def _readings(world: World, lo: dt.date, hi: dt.date, rng: np.random.Generator) -> pd.DataFrame:
    hours = pd.date_range(lo, pd.Timestamp(hi) + pd.Timedelta(hours=23), freq="h")
    sensors = world.sensors
    h = hours.hour.to_numpy()
    doy = hours.day_of_year.to_numpy()
    typ = {t[0]: t for t in ref.SENSOR_TYPES}
    values = np.empty((len(sensors), len(hours)))
    ty_start = pd.Timestamp(world.typhoon["start"])
    ty_hours = ((hours - ty_start) / pd.Timedelta(hours=1)).to_numpy()
    storm = np.exp(-((ty_hours - 72) / 40) ** 2)  # peaks on the typhoon's fourth day
    summer = np.exp(-((doy - 205) / 35) ** 2)
    winter = np.exp(-((np.minimum(doy, 366 - doy)) / 45) ** 2)
    for i, s in enumerate(sensors.itertuples()):
        _, _, _, amp, sd, *_ = typ[s.sensor_type]
        base = s.baseline
        if s.sensor_type == "air_pm25":
            v = base * (1 + 0.8 * winter) + amp * np.sin((h - 8) / 24 * 2 * np.pi)
        elif s.sensor_type == "water_level":
            v = base + amp * np.sin(np.arange(len(hours)) * 2 * np.pi / 12.42 + i) + 2.5 * storm
        elif s.sensor_type == "power_load":
            v = base * (1 + 0.25 * summer) + amp * np.clip(np.sin((h - 6) / 24 * 2 * np.pi), -0.6, 1)
        elif s.sensor_type == "road_congestion":
            v = base + amp * (np.exp(-((h - 8.5) / 1.5) ** 2) + np.exp(-((h - 18) / 1.8) ** 2))
        elif s.sensor_type == "metro_flow":
            v = base * 0.3 + amp * (np.exp(-((h - 8.5) / 1.2) ** 2) + 0.9 * np.exp(-((h - 18) / 1.5) ** 2))
            v = v * base / 9000.0
        else:
            v = base + amp * np.sin((h - 19) / 24 * 2 * np.pi) * -1
        values[i] = v + rng.normal(0, sd * (base / typ[s.sensor_type][2]), len(hours))
    values[:, :] = np.clip(values, sensors.valid_min.to_numpy()[:, None], sensors.valid_max.to_numpy()[:, None])
    return pd.DataFrame({
        "sensor_id": np.repeat(sensors.sensor_id.to_numpy(), len(hours)),
        "ts": np.tile(hours.to_numpy().astype("datetime64[s]"), len(sensors)),
        "value": values.ravel().round(3),
    })


def _people(n: int, enterprise: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Fictitious applicant names (a company name for enterprises) and mobile numbers."""
    given = np.array(ref.GIVEN_CHARS)
    names = np.char.add(np.array(ref.SURNAMES)[rng.integers(0, len(ref.SURNAMES), n)], given[rng.integers(0, len(given), n)])
    names = np.char.add(names, np.where(rng.random(n) < 0.6, given[rng.integers(0, len(given), n)], ""))
    company = np.char.add(np.array(ref.ENTERPRISE_WORDS)[rng.integers(0, len(ref.ENTERPRISE_WORDS), n)],
                          np.array(ref.ENTERPRISE_KINDS)[rng.integers(0, len(ref.ENTERPRISE_KINDS), n)])
    names = np.where(enterprise, np.char.add("上海", company), names)
    phones = (rng.choice([13, 15, 17, 18, 19], n) * 10**9 + rng.integers(0, 10**9, n)).astype(str)
    return names.astype(object), phones.astype(object)


def _ids(world: World, day_index: np.ndarray, n: int, table: int) -> np.ndarray:
    """Unique ids: table digit, first day of the month's chunk, serial."""
    return table * 10**15 + int(day_index[0]) * 10**9 + np.arange(n, dtype="int64")


# ---------------------------------------------------------------- data-quality faults

def _inject_faults(frame: pd.DataFrame, id_col: str, time_col: str, unit_col: str,
                   world: World, rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    n = len(frame)
    counts = {}
    pick = lambda rate, pool=None: rng.choice(np.arange(n) if pool is None else pool,
                                              min(rng.binomial(n, rate), n if pool is None else len(pool)),
                                              replace=False)
    missing = pick(FAULT_RATES["missing_unit"])
    frame.loc[missing, unit_col] = None
    counts["missing_unit"] = len(missing)

    # Late arrivals: ingested 3-15 days after their last change, only where that is not past extraction.
    lag = rng.integers(3 * 86400, 15 * 86400, n).astype("timedelta64[s]")
    ingested = frame["ingested_at"].to_numpy().astype("datetime64[s]")
    room = np.setdiff1d(np.flatnonzero(ingested + lag < world.extracted_at), missing)
    late = pick(FAULT_RATES["late_arrivals"], room)
    frame.loc[late, "ingested_at"] = ingested[late] + lag[late]
    counts["late_arrivals"] = len(late)

    # Future-dated: a clock error puts the record's own time after the moment it arrived.
    taken = np.union1d(missing, late)
    future = pick(FAULT_RATES["future_dates"], np.setdiff1d(np.arange(n), taken))
    frame.loc[future, time_col] = frame.loc[future, "ingested_at"] + pd.to_timedelta(
        rng.integers(2, 40, len(future)), unit="D")
    counts["future_dates"] = len(future)

    clean = np.setdiff1d(np.arange(n), np.union1d(taken, future))
    dup = pick(FAULT_RATES["duplicate_records"], clean)
    counts["duplicate_records"] = len(dup)
    frame = pd.concat([frame, frame.iloc[dup]], ignore_index=True)
    return frame, counts


def _close_before_create(events: pd.DataFrame, rng: np.random.Generator) -> int:
    """Set close_time before report_time on some closed events (a typing error at closure)."""
    # Only rows carrying no other fault, so each fault is counted once by the quality checks.
    closed = np.flatnonzero(events["close_time"].notna().to_numpy()
                            & events["grid_code"].notna().to_numpy()
                            & (events["report_time"] <= events["ingested_at"]).to_numpy()
                            & ~events["event_id"].duplicated(keep=False).to_numpy())
    rows = rng.choice(closed, min(rng.binomial(len(events), CLOSED_BEFORE_CREATED_RATE), len(closed)), replace=False)
    events.loc[rows, "close_time"] = events.loc[rows, "report_time"] - pd.to_timedelta(
        rng.integers(1, 72, len(rows)), unit="h")
    return len(rows)


def _out_of_range(readings: pd.DataFrame, sensors: pd.DataFrame, rng: np.random.Generator) -> int:
    """Device faults: a reading far outside its sensor's valid range (-9999, or 10x the maximum)."""
    rows = rng.choice(len(readings), rng.binomial(len(readings), OUT_OF_RANGE_RATE), replace=False)
    top = readings.loc[rows, "sensor_id"].map(sensors.set_index("sensor_id").valid_max).to_numpy()
    readings.loc[rows, "value"] = np.where(rng.random(len(rows)) < 0.5, -9999.0, top * 10)
    return len(rows)


def _write(path: Path, frame: pd.DataFrame) -> None:
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path, compression="zstd")
