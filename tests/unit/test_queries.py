"""The query runner every page goes through: a query that does not filter by $scope is refused
when the queries load; units outside the caller's scope raise ScopeError and the SQL scope
filter keeps other units' rows out whatever prefix is asked for; parameters are bound, never
formatted; results are cached by (name, parameters, scope, marts version) and timed, so a new
build is never answered from the old version's cache."""
from __future__ import annotations

import shutil

import pandas as pd
import pyarrow.parquet as pq
import pytest

from cockpit import views
from cockpit.config import load_settings
from cockpit.marts import build as build_module
from cockpit.marts.build import build, current_version, mart_path
from cockpit.queries import QUERY_DIR, NoMartsError, QueryRunner, ScopeError, load_queries

YEAR = dict(start="2026-01-01", end="2026-06-30", grain="total")
PUDONG = "310115"


def test_a_query_without_scope_filter_is_refused_at_load(tmp_path):
    (tmp_path / "fine.sql").write_text("SELECT * FROM units WHERE starts_with(unit_code, $scope)")
    (tmp_path / "meta.sql").write_text("-- scope: none (metadata)\nSELECT max(day) FROM unit_daily")
    assert set(load_queries(tmp_path)) == {"fine", "meta"}
    (tmp_path / "leaky.sql").write_text("SELECT * FROM unit_daily WHERE unit_code = $unit")
    with pytest.raises(ValueError, match=r"leaky\.sql.*\$scope"):
        load_queries(tmp_path)
    with pytest.raises(ValueError, match="leaky"):
        QueryRunner(tmp_path / "no-marts", folder=tmp_path)


def test_every_shipped_query_that_reads_units_is_scoped():
    queries = load_queries(QUERY_DIR)
    assert len(queries) >= 10
    for q in queries.values():
        assert q.scoped == ("scope" in q.params), q.name
        if not q.scoped:
            assert "-- scope: none" in q.sql
    assert {"unit_days", "children", "records_applications", "records_events"} <= {
        q.name for q in queries.values() if q.scoped}


@pytest.mark.parametrize("query, params", [
    ("unit_days", dict(level=2, prefix="310104")),
    ("unit_days", dict(level=1, prefix="310000")),
    ("unit_days_from_grids", dict(level=4, prefix="310104", **YEAR)),
    ("unit", dict(unit="310104")),
    ("children", dict(unit="310104")),
    ("records_events", dict(prefix="310104001", start="2026-01-01", end="2026-06-30", behind="events", counted="events",
                            limit=10, offset=0)),
])
def test_units_outside_the_scope_raise(runner, query, params):
    with pytest.raises(ScopeError, match=f"outside scope {PUDONG}"):
        runner.run(query, scope=PUDONG, **params)


def test_the_scope_filter_keeps_other_units_out(runner):
    city = runner.run("unit_days", level=2, prefix="31")
    assert city.unit_code.nunique() == 16
    mine = runner.run("unit_days", scope=PUDONG, level=2, prefix="31")
    assert set(mine.unit_code) == {PUDONG}
    pd.testing.assert_frame_equal(mine.reset_index(drop=True),
                                  city[city.unit_code == PUDONG].reset_index(drop=True))

    all_streets = runner.run("unit_days", level=3, prefix="31")
    pudong_streets = all_streets[all_streets.unit_code.str.startswith(PUDONG)].reset_index(drop=True)
    assert 0 < len(pudong_streets) < len(all_streets)
    # An ancestor prefix is allowed (it is how a page asks for a level), but only the scope's
    # rows come back; a crafted prefix is refused or filtered, it never widens the scope.
    for prefix in ("31", "3", ""):
        streets = runner.run("unit_days", scope=PUDONG, level=3, prefix=prefix)
        pd.testing.assert_frame_equal(streets.reset_index(drop=True), pudong_streets, obj=repr(prefix))
    for prefix in ("%", "31%", "_", "310115%", "3101150"):
        try:
            streets = runner.run("unit_days", scope=PUDONG, level=3, prefix=prefix)
        except ScopeError:
            continue
        assert streets.unit_code.str.startswith(PUDONG).all(), prefix
        assert len(streets) < len(pudong_streets) or prefix.startswith(PUDONG), prefix

    events = runner.run("records_events", scope=PUDONG, prefix="31", start="2026-01-01", end="2026-06-30",
                        behind="events", counted="events", limit=500, offset=0)
    assert len(events) > 0 and events.grid_code.str.startswith(PUDONG).all()
    streets = runner.run("children", scope=PUDONG, unit=PUDONG)
    assert set(streets.unit_code) == set(pudong_streets.unit_code) and streets.unit_code.str.startswith(PUDONG).all()


def test_the_city_children_query_is_filtered_to_a_district_scope(runner):
    assert list(runner.run("children", scope=PUDONG, unit="310000").unit_code) == [PUDONG]


def test_parameters_are_bound_not_formatted(runner):
    assert runner.run("children", unit="310000' OR '1'='1").empty
    assert runner.run("unit_days", level=2, prefix="31' OR '1'='1").empty
    assert runner.run("unit", unit="310115'; DROP TABLE units; --").empty
    assert len(runner.run("children", unit="310000")) == 16, "the units table is still there"


def test_results_are_cached_per_parameters_and_scope_and_timed(tiny):
    runner = QueryRunner(tiny.settings.marts_dir)
    query = "unit_days_from_grids"  # a query with dates among its parameters
    a = runner.run(query, level=2, prefix="31", **YEAR)
    b = runner.run(query, level=2, prefix="31", **YEAR)
    pd.testing.assert_frame_equal(a, b)
    other_dates = runner.run(query, level=2, prefix="31", **{**YEAR, "end": "2026-05-31"})
    scoped = runner.run(query, scope=PUDONG, level=2, prefix="31", **YEAR)
    assert [(name, hit) for name, _, hit in runner.timings] == [(query, False), (query, True), (query, False), (query, False)]
    assert all(ms >= 0 for _, ms, _ in runner.timings)
    assert other_dates.day.max() < a.day.max() and other_dates.apps.sum() < a.apps.sum()
    assert set(scoped.unit_code) == {PUDONG}, "a cached city answer is not given to a district scope"


def test_a_new_build_changes_the_results_and_the_cache_key(tiny, tmp_path, monkeypatch):
    """New raw data, a new build: the same runner, asked the same question, reads the new
    version (not its cache of the old one) and gets the new numbers."""
    # The year-end forecast step takes most of a tiny build and plays no part here.
    monkeypatch.setattr(build_module, "PYTHON_STEPS",
                        [s for s in build_module.PYTHON_STEPS if s[0] != "early_warnings"])
    data = tmp_path / "data"
    shutil.copytree(tiny.settings.raw_dir, data / "raw")
    shutil.copytree(tiny.settings.marts_dir, data / "marts", ignore=shutil.ignore_patterns("tmp"))
    settings = load_settings({"COCKPIT_DATA_DIR": str(data)})
    runner = QueryRunner(settings.marts_dir)
    october = (1, "310000", "2026-10-01", "2026-10-31", "total")
    before = views.rollup(runner, *october)
    assert views.rollup(runner, *october).equals(before) and runner.timings[-1][2] is True

    part = settings.raw_dir / "applications" / "2026-10.parquet"
    table = pq.read_table(part)
    kept = table.slice(0, table.num_rows // 2)
    pq.write_table(kept, part)
    old = current_version(settings.marts_dir)
    new = build(settings, progress=lambda _: None)
    assert new != old and runner.version() == new
    assert mart_path(settings.marts_dir, old).exists(), "the previous version stays for open readers"

    after = views.rollup(runner, *october)
    assert runner.timings[-1][2] is False, "answered from the old version's cache"
    apps = kept.to_pandas()
    apps = apps[apps.grid_code.notna() & (apps.submit_time <= apps.ingested_at)
                & (apps.submit_time >= pd.Timestamp("2026-10-01")) & (apps.submit_time < pd.Timestamp("2026-11-01"))]
    assert after.apps.iloc[0] == apps.app_id.nunique() < before.apps.iloc[0]
    assert after.events.iloc[0] == before.events.iloc[0], "only the applications changed"
    assert views.rollup(runner, *october).equals(after) and runner.timings[-1][2] is True


def test_errors_are_clear(runner, tmp_path):
    with pytest.raises(TypeError, match="needs parameter"):
        runner.run("unit_days", level=1)
    with pytest.raises(KeyError, match="no query named"):
        runner.run("no_such_query")
    with pytest.raises(NoMartsError, match="python -m cockpit build"):
        QueryRunner(tmp_path).run("data_range")



def test_the_maturing_measures_are_the_same_in_the_marts_and_in_python(tiny):
    """kpis.MATURING is written again in SQL (application_measures_at, event_measures_at,
    unit_done_daily): the measures a cutoff changes, and those unit_done_daily keeps, must be
    exactly these, or a like-for-like comparison would count a measure as it stands now."""
    import duckdb

    from cockpit import kpis

    with duckdb.connect(str(mart_path(tiny.settings.marts_dir, tiny.version)), read_only=True) as con:
        cutoff = con.execute("SELECT min(day) + CAST((max(day) - min(day)) // 2 AS INTEGER) FROM application_measures").fetchone()[0]
        changed = set()
        for view in ("application_measures", "event_measures"):
            measures = [c for c, t in con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {view})").fetchall()
                        if t in ("INTEGER", "BIGINT") and c != "done_day"]
            sums = lambda source: con.execute(  # noqa: E731
                f"SELECT {', '.join(f'sum({m})' for m in measures)} FROM {source}").fetchone()
            before, now = sums(f"{view}_at(DATE '{cutoff}')"), sums(view)
            changed |= {m for m, b, n in zip(measures, before, now) if b != n}
        kept = {c for c, in con.execute("SELECT column_name FROM (DESCRIBE unit_done_daily)").fetchall()} \
            - {"unit_level", "unit_code", "day", "done_day"}
    assert changed == kept == set(kpis.MATURING)
