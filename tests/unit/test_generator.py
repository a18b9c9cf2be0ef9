"""The demo generator: deterministic, its manifest counts what it wrote, places are real."""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from cockpit.demo import geo
from cockpit.demo.generate import generate
from cockpit.demo.reference import DISTRICT_POPULATION

ANCHOR = dt.date(2026, 11, 22)
TABLES = ("units.parquet", "sensors.parquet", "applications", "events", "readings")


@pytest.fixture(scope="module")
def twice(tmp_path_factory):
    root = tmp_path_factory.mktemp("gen")
    quiet = lambda _: None  # noqa: E731
    m1 = generate(root / "a", "tiny", 5, ANCHOR, quiet)
    m2 = generate(root / "b", "tiny", 5, ANCHOR, quiet)
    m3 = generate(root / "c", "tiny", 6, ANCHOR, quiet)
    return root, m1, m2, m3


def read(root, name):
    return pd.read_parquet(root / name)


def test_same_seed_same_data_other_seed_other_data(twice):
    root, m1, m2, m3 = twice
    assert m1 == m2
    for name in TABLES:
        pd.testing.assert_frame_equal(read(root / "a", name), read(root / "b", name))
    assert not read(root / "a", "applications").equals(read(root / "c", "applications"))
    assert m1["anomalies"] != m3["anomalies"]


def test_manifest_counts_match_the_files(twice):
    root, manifest, *_ = twice
    raw = root / "a"
    assert json.loads((raw / "manifest.json").read_text("utf-8")) == manifest
    apps, events, readings = read(raw, "applications"), read(raw, "events"), read(raw, "readings")
    sensors = read(raw, "sensors.parquet")
    assert manifest["rows"]["applications"] == len(apps)
    assert manifest["rows"]["events"] == len(events)
    assert manifest["rows"]["readings"] == len(readings)
    for frame, table, id_col, time_col in ((apps, "applications", "app_id", "submit_time"),
                                           (events, "events", "event_id", "report_time")):
        faults = manifest["faults"][table]
        assert faults["duplicate_records"] == frame[id_col].duplicated().sum() > 0
        assert faults["missing_unit"] == frame.grid_code.isna().sum() > 0
        assert faults["future_dates"] == (frame[time_col] > frame.ingested_at).sum() > 0
        assert faults["late_arrivals"] > 0
    # Applications arrive within two hours of their last change, late ones 3-15 days after.
    last_change = apps.complete_time.fillna(apps.accept_time)
    late = (apps.ingested_at - last_change > pd.Timedelta(days=2)) & (apps.submit_time <= apps.ingested_at)
    assert manifest["faults"]["applications"]["late_arrivals"] == late.sum()
    # Each record carries at most one fault: a future-dated record's other times are not judged.
    judged = events[events.report_time <= events.ingested_at]
    assert manifest["faults"]["events"]["closed_before_created"] == (judged.close_time < judged.report_time).sum() > 0
    valid = readings.merge(sensors, on="sensor_id")
    outside = ~valid.value.between(valid.valid_min, valid.valid_max)
    assert manifest["faults"]["readings"]["out_of_range"] == outside.sum() > 0


def test_anomalies_are_listed_with_unit_metric_and_period(twice):
    _, manifest, *_ = twice
    anomalies = manifest["anomalies"]
    assert len(anomalies) >= 7 and any(a["kind"] == "typhoon" for a in anomalies)
    for a in anomalies:
        assert {"unit_code", "metric", "start", "end", "direction"} <= set(a)
        assert dt.date.fromisoformat(a["start"]) <= dt.date.fromisoformat(a["end"]) < ANCHOR
    surges = [a for a in anomalies if a["kind"].endswith("surge")]
    assert surges and all(a["size"] > 0 for a in surges)


def test_places_are_real_and_codes_nest(twice):
    root, *_ = twice
    units = read(root / "a", "units.parquet")
    districts = units[units.unit_level == 2]
    assert set(districts.unit_code) == set(DISTRICT_POPULATION)
    assert "浦东新区" in set(districts.unit_name)
    assert 200 <= (units.unit_level == 3).sum() <= 230
    child = units[units.unit_level > 2]
    assert child.apply(lambda r: r.unit_code.startswith(r.parent_code), axis=1).all()
    assert (districts.parent_code == "310000").all()
    assert units[units.unit_level == 5].unit_code.str.len().eq(15).all()


def test_event_points_lie_inside_their_district(twice):
    root, *_ = twice
    events = read(root / "a", "events").dropna(subset=["grid_code"])
    for code, rows in events.groupby(events.grid_code.str[:6]):
        assert geo.contains(code, rows.lon.to_numpy(), rows.lat.to_numpy()).all(), code


def test_unknown_scale_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown scale"):
        generate(tmp_path / "raw", "huge", 1, ANCHOR, lambda _: None)
    assert not (tmp_path / "raw").exists()
