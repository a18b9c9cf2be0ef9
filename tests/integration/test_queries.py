"""The query runner: scope, binding, caching, timing."""
from __future__ import annotations

import pytest

from cockpit.queries import QueryRunner, ScopeError, load_queries

ARGS = dict(start="2026-01-01", end="2026-06-30", grain="total")


def test_a_query_without_scope_filter_is_refused(tmp_path):
    (tmp_path / "leaky.sql").write_text("SELECT * FROM unit_daily WHERE unit_code = $unit")
    with pytest.raises(ValueError, match="leaky.sql.*scope"):
        load_queries(tmp_path)


def test_scope_limits_rows_and_refuses_units_outside(runner):
    city_children = runner.run("rollup", level=2, prefix="31", **ARGS)
    assert len(city_children) == 16
    mine = runner.run("rollup", scope="310115", level=2, prefix="31", **ARGS)
    assert list(mine.unit_code) == ["310115"]
    streets = runner.run("rollup", scope="310115", level=3, prefix="31", **ARGS)
    assert len(streets) > 1 and streets.unit_code.str.startswith("310115").all()
    with pytest.raises(ScopeError):
        runner.run("rollup", scope="310115", level=2, prefix="310104", **ARGS)
    with pytest.raises(ScopeError):
        runner.run("unit", scope="310115", unit="310000")
    assert runner.run("records_events", scope="310115", prefix="31", start="2026-01-01", end="2026-06-30",
                      limit=500, offset=0).grid_code.str.startswith("310115").all()


def test_parameters_are_bound_not_formatted(runner):
    frame = runner.run("children", unit="310000' OR '1'='1")
    assert frame.empty


def test_results_are_cached_and_timed(tiny):
    runner = QueryRunner(tiny[0].marts_dir)
    a = runner.run("rollup", level=1, prefix="310000", **ARGS)
    b = runner.run("rollup", level=1, prefix="310000", **ARGS)
    assert a.equals(b)
    assert [(n, hit) for n, _, hit in runner.timings] == [("rollup", False), ("rollup", True)]
    assert all(ms >= 0 for _, ms, _ in runner.timings)


def test_missing_parameter_is_a_clear_error(runner):
    with pytest.raises(TypeError, match="needs parameter"):
        runner.run("rollup", level=1, prefix="310000")
