"""The build's data-quality checks find exactly the faults the demo generator injected (its
manifest counts them), check every raw record, and report nothing where nothing was injected."""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from cockpit.marts.build import mart_path
from cockpit.state import ViewState
from cockpit.views import quality

RAW = {"applications": "applications/*.parquet", "events": "events/*.parquet",
       "readings": "readings/*.parquet"}


@pytest.fixture(scope="module")
def checks(tiny):
    with duckdb.connect(str(mart_path(tiny.settings.marts_dir, tiny.version)), read_only=True) as con:
        return con.execute("SELECT source, check_id, sum(failed)::BIGINT, sum(checked)::BIGINT "
                           "FROM quality_checks GROUP BY ALL").fetchall()


def test_each_injected_fault_is_found_as_often_as_injected(tiny, checks):
    found = {(source, check): failed for source, check, failed, _ in checks}
    injected = [(source, fault, n) for source, faults in tiny.manifest["faults"].items()
                for fault, n in faults.items()]
    assert injected and all(n > 0 for *_, n in injected)  # the tiny data does carry every fault
    for source, fault, n in injected:
        assert found[(source, fault)] == n, (source, fault)


def test_checks_without_injected_faults_find_none(tiny, checks):
    clean = [(source, check, failed) for source, check, failed, _ in checks
             if check not in tiny.manifest["faults"][source]]
    assert {check for _, check, _ in clean} >= {"missing_category", "missing_timestamp", "unknown_unit",
                                                "unknown_item", "unknown_dept", "unknown_sensor"}
    assert [c for c in clean if c[2]] == []


def test_every_raw_record_is_checked(tiny, checks):
    for source, pattern in RAW.items():
        rows = duckdb.execute(f"SELECT count(*) FROM read_parquet('{tiny.settings.raw_dir / pattern}')").fetchone()[0]
        checked = {check: n for s, check, _, n in checks if s == source}
        assert checked and set(checked.values()) == {rows}, source


def test_a_district_sees_its_own_faults_and_the_unplaced_ones(tiny, runner):
    """The unplaced records (no grid) count for every unit; a district's placed faults are the
    raw records of its grids that carry them (here: events closed before they were reported)."""
    full = ViewState(unit="310115", start=first_day(tiny), end=tiny.anchor, grain="month", cmp="yoy", lang="zh")
    frame = quality.checks(runner, full)
    row = frame[(frame.source == "events") & (frame.check_id == "closed_before_created")]
    raw = duckdb.execute(
        f"SELECT count(*) FROM read_parquet('{tiny.settings.raw_dir / RAW['events']}') "
        "WHERE close_time < report_time AND report_time <= ingested_at AND starts_with(grid_code, '310115')"
    ).fetchone()[0]
    assert int(row.failed.iloc[0]) == raw
    unplaced = frame[(frame.source == "events") & (frame.check_id == "missing_unit")]
    assert int(unplaced.failed.iloc[0]) == tiny.manifest["faults"]["events"]["missing_unit"]


def first_day(tiny) -> dt.date:
    return duckdb.execute(f"SELECT min(report_time)::DATE FROM "
                      f"read_parquet('{tiny.settings.raw_dir / RAW['events']}')").fetchone()[0]
