"""The mart build: atomic swap, refusal without raw data, exact roll-up across levels."""
from __future__ import annotations

import shutil

import duckdb
import pytest

from cockpit.config import load_settings
from cockpit.marts.build import SQL_DIR, BuildError, build, current_version, mart_path
from cockpit.queries import QueryRunner


def numbers(marts_dir):
    runner = QueryRunner(marts_dir)
    frame = runner.run("rollup", level=2, prefix="31", start="2025-01-01", end="2025-12-31", grain="total")
    return frame.sort_values("unit_code").reset_index(drop=True)


@pytest.fixture
def own_data(tiny, tmp_path):
    """Settings of a new data dir holding a copy of the tiny raw data and no marts."""
    shutil.copytree(tiny[0].raw_dir, tmp_path / "data" / "raw")
    return load_settings({"COCKPIT_DATA_DIR": str(tmp_path / "data")})


def test_failed_build_leaves_the_previous_version_serving(own_data, tmp_path):
    ok = own_data
    old = build(ok, progress=lambda _: None)
    before = numbers(ok.marts_dir)

    broken = tmp_path / "sql"
    shutil.copytree(SQL_DIR, broken, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    with open(broken / "030_stg_events.sql", "a", encoding="utf-8") as f:
        f.write("\nCREATE TABLE broken AS SELECT no_such_column FROM stg_events;\n")
    lines = []
    with pytest.raises(BuildError, match="030_stg_events.sql"):
        build(ok, sql_dir=broken, progress=lines.append)
    assert any("020_stg_applications.sql" in line for line in lines), "the build failed midway, not at once"

    assert current_version(ok.marts_dir) == old
    assert not list(ok.marts_dir.glob("*.building*"))
    assert len(list(ok.marts_dir.glob("*.duckdb"))) == 1
    with duckdb.connect(str(mart_path(ok.marts_dir, old)), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM unit_daily").fetchone()[0] > 0
    assert numbers(ok.marts_dir).equals(before)


def test_new_build_swaps_the_version_and_the_cache(own_data):
    s = own_data
    first = build(s, progress=lambda _: None)
    runner = QueryRunner(s.marts_dir)
    runner.run("data_range")
    runner.run("data_range")
    assert [hit for name, _, hit in runner.timings] == [False, True]
    second = build(s, progress=lambda _: None)
    assert second != first and current_version(s.marts_dir) == second
    runner.run("data_range")
    assert runner.timings[-1][2] is False, "a new marts version must not be answered from the old cache"


def test_build_refuses_without_raw_data(tmp_path):
    s = load_settings({"COCKPIT_DATA_DIR": str(tmp_path)})
    with pytest.raises(BuildError, match="raw data missing"):
        build(s, progress=lambda _: None)
    assert current_version(s.marts_dir) is None


def test_every_level_sums_to_its_parent(runner):
    con = runner._cursor(runner.version())
    mismatches = con.execute("""
        WITH child AS (
            SELECT u.parent_code AS unit_code, d.day, sum(d.apps) AS apps, sum(d.events_closed_on_time) AS ot,
                   sum(d.events_close_seconds) AS secs
            FROM unit_daily d JOIN units u USING (unit_code) WHERE d.unit_level > 1 GROUP BY ALL)
        SELECT count(*) FROM child c JOIN unit_daily p USING (unit_code, day)
        WHERE c.apps <> p.apps OR c.ot <> p.events_closed_on_time OR c.secs <> p.events_close_seconds
    """).fetchone()[0]
    parents = con.execute("SELECT count(*) FROM unit_daily WHERE unit_level < 5").fetchone()[0]
    assert parents > 0 and mismatches == 0


def test_marts_built_by_older_models_are_rebuilt_on_start(own_data):
    from cockpit.web import ensure_data

    s = own_data
    first = build(s, progress=lambda _: None)
    ensure_data(s)
    assert current_version(s.marts_dir) == first, "up-to-date marts are kept"
    with duckdb.connect(str(mart_path(s.marts_dir, first))) as con:
        con.execute("UPDATE build_info SET models_hash = 'older'")
    ensure_data(s)
    assert current_version(s.marts_dir) != first
