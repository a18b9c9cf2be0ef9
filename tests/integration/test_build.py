"""The mart build: a failed build leaves the previous version serving (atomic swap of the
CURRENT pointer, nothing partial left behind), a build without raw data is refused with a
clear error, every level of unit_daily is exactly the sum of the level below, and the data
checks beside the models (`NNN_name.checks.sql`) fail a build whose tables break them."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from cockpit import views
from cockpit.config import load_settings
from cockpit.marts import build as build_module
from cockpit.marts.build import (CHECKS, POINTER, SQL_DIR, BuildError, build, current_version, mart_path,
                                  model_files, models_hash, parse_checks, run_checks)
from cockpit.queries import QueryRunner

QUIET = lambda _: None  # noqa: E731
MEASURES = ["apps", "apps_online", "apps_on_time", "apps_rated_good", "apps_handling_seconds", "events",
            "events_closed", "events_closed_on_time", "events_close_seconds", "hotline_rated", "vital_breaches"]


def copy_data(tiny, dest: Path, marts: bool = True):
    """Settings of a new data dir holding a copy of the session's raw data (and its marts)."""
    shutil.copytree(tiny.settings.raw_dir, dest / "raw")
    if marts:
        shutil.copytree(tiny.settings.marts_dir, dest / "marts", ignore=shutil.ignore_patterns("tmp"))
    return load_settings({"COCKPIT_DATA_DIR": str(dest)})


def numbers(runner: QueryRunner) -> pd.DataFrame:
    """Some numbers a page shows: the districts' measures for a year."""
    frame = views.rollup(runner, 2, "31", "2025-01-01", "2025-12-31", "total")
    return frame.sort_values("unit_code").reset_index(drop=True)


def copy_models(tmp_path: Path) -> Path:
    """A copy of the mart models and their checks, to break one of them."""
    folder = tmp_path / "sql"
    folder.mkdir()
    for path in SQL_DIR.glob("*.sql"):
        shutil.copy(path, folder / path.name)
    return folder


def broken_models(tmp_path: Path) -> Path:
    """A copy of the mart models where a file in the middle of the order fails."""
    folder = copy_models(tmp_path)
    names = [p.name for p in model_files(folder)]
    assert 0 < names.index("030_stg_events.sql") < len(names) - 1
    with open(folder / "030_stg_events.sql", "a", encoding="utf-8") as f:
        f.write("\nCREATE TABLE broken AS SELECT no_such_column FROM stg_events;\n")
    return folder


def assert_still_serving(settings, old: str, before: pd.DataFrame, old_runner: QueryRunner) -> None:
    marts = settings.marts_dir
    assert (marts / POINTER).read_text().strip() == old
    assert current_version(marts) == old
    assert not list(marts.glob("*.building*")), "a partial build file was left behind"
    assert sorted(p.name for p in marts.glob("*.duckdb")) == [f"{old}.duckdb"]
    with duckdb.connect(str(mart_path(marts, old)), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM unit_daily").fetchone()[0] > 0
        assert con.execute("SELECT version FROM build_info").fetchone()[0] == old
    pd.testing.assert_frame_equal(numbers(old_runner), before)
    fresh = QueryRunner(marts)
    pd.testing.assert_frame_equal(numbers(fresh), before)
    assert fresh.timings[-1][2] is False, "the fresh runner read the marts, not a cache"


def test_failed_sql_model_leaves_the_previous_version_serving(tiny, tmp_path):
    settings = copy_data(tiny, tmp_path / "data")
    old = current_version(settings.marts_dir)
    assert old == tiny.version
    old_runner = QueryRunner(settings.marts_dir)
    before = numbers(old_runner)
    assert len(before) == 16 and before.apps.sum() > 0

    lines = []
    with pytest.raises(BuildError, match="030_stg_events.sql"):
        build(settings, sql_dir=broken_models(tmp_path), progress=lines.append)
    assert any("020_stg_applications.sql" in line for line in lines), "the build failed midway, not at once"
    assert_still_serving(settings, old, before, old_runner)


def test_failure_after_the_last_model_leaves_the_previous_version_serving(tiny, tmp_path, monkeypatch):
    """A failure in the Python steps that run after every SQL model (all tables written)."""
    settings = copy_data(tiny, tmp_path / "data")
    old = current_version(settings.marts_dir)
    old_runner = QueryRunner(settings.marts_dir)
    before = numbers(old_runner)

    def boom(con):
        raise RuntimeError("disk full")

    monkeypatch.setattr(build_module, "PYTHON_STEPS", [("alerts", boom)])
    lines = []
    with pytest.raises(BuildError, match="alerts: disk full"):
        build(settings, progress=lines.append)
    assert any("100_unit_daily.sql" in line for line in lines)
    assert_still_serving(settings, old, before, old_runner)


def test_build_refuses_without_raw_data(tmp_path):
    settings = load_settings({"COCKPIT_DATA_DIR": str(tmp_path / "empty")})
    with pytest.raises(BuildError, match=r"raw data missing.*units\.parquet.*python -m cockpit demo"):
        build(settings, progress=QUIET)
    assert current_version(settings.marts_dir) is None
    assert not settings.marts_dir.exists(), "a refused build writes nothing"


def test_build_refuses_when_a_raw_table_is_missing_and_keeps_serving(tiny, tmp_path):
    settings = copy_data(tiny, tmp_path / "data")
    old = current_version(settings.marts_dir)
    old_runner = QueryRunner(settings.marts_dir)
    before = numbers(old_runner)
    shutil.rmtree(settings.raw_dir / "events")
    with pytest.raises(BuildError, match=r"raw data missing.*events/\*\.parquet") as err:
        build(settings, progress=QUIET)
    assert "applications" not in str(err.value), "only the missing table is named"
    assert_still_serving(settings, old, before, old_runner)


# ------------------------------------------------------------ levels add up

@pytest.fixture(scope="module")
def unit_daily(tiny) -> pd.DataFrame:
    """Every unit's daily measures at every level, as the pages read them (views.rollup: stored in
    unit_daily for the upper levels, summed from the grids' days below)."""
    runner = QueryRunner(tiny.settings.marts_dir)
    first, last = views.data_range(runner)
    stored = set(runner.run("stored_levels").unit_level)
    assert {1, 2} <= stored and stored != {1, 2, 3, 4, 5}, stored  # both paths are exercised
    levels = [views.rollup(runner, level, "31", first, last, "day").assign(unit_level=level) for level in range(1, 6)]
    runner.close()
    return pd.concat(levels).rename(columns={"period_start": "day"})[["unit_level", "unit_code", "day", *MEASURES]]


def parent_of(codes: pd.Series, level: int) -> pd.Series:
    return pd.Series("310000", index=codes.index) if level == 2 else codes.str[:-3]


@pytest.mark.parametrize("child_level", [2, 3, 4, 5], ids=["district->city", "street->district",
                                                         "community->street", "grid->community"])
def test_every_level_is_the_exact_sum_of_the_level_below(unit_daily, child_level):
    """Per parent and day, for every measure: sum of the children == the parent's row, with no
    parent row missing and no child without its parent."""
    children = unit_daily[unit_daily.unit_level == child_level]
    parents = unit_daily[unit_daily.unit_level == child_level - 1].set_index(["unit_code", "day"])[MEASURES]
    summed = (children.assign(unit_code=parent_of(children.unit_code, child_level))
              .groupby(["unit_code", "day"])[MEASURES].sum())
    assert len(parents) > 0 and len(summed) > 0
    assert summed.index.sort_values().equals(parents.index.sort_values()), "parent and child days differ"
    diff = summed.sort_index() - parents.sort_index()
    assert (diff == 0).all().all(), diff[(diff != 0).any(axis=1)].head()


def test_units_sum_over_districts_and_streets(unit_daily, raw):
    """The brief's two checks written plainly: the districts' total equals the city's, and one
    street's communities' total equals the street's, for the whole data range."""
    totals = unit_daily.groupby(["unit_level", "unit_code"])[MEASURES].sum()
    city = totals.loc[1].loc["310000"]
    districts = totals.loc[2]
    assert len(districts) == 16
    assert (districts.sum() == city).all()

    street = totals.loc[3].apps.idxmax()
    communities = totals.loc[4]
    communities = communities[communities.index.str.startswith(street)]
    known = raw["units"].query("unit_level == 4 and parent_code == @street").unit_code
    assert set(communities.index) <= set(known) and len(communities) >= 1
    assert (communities.sum() == totals.loc[3].loc[street]).all()
    assert city.apps > 0 and city.events > 0 and city.vital_breaches > 0


def test_marts_built_by_older_models_are_rebuilt_on_start(tiny, tmp_path, monkeypatch):
    from cockpit.web import ensure_data

    # The year-end forecast step takes most of a tiny build and is not what this checks.
    monkeypatch.setattr(build_module, "PYTHON_STEPS",
                        [s for s in build_module.PYTHON_STEPS if s[0] != "early_warnings"])
    settings = copy_data(tiny, tmp_path / "data")
    first = current_version(settings.marts_dir)
    ensure_data(settings)
    assert current_version(settings.marts_dir) == first, "up-to-date marts are kept"
    with duckdb.connect(str(mart_path(settings.marts_dir, first))) as con:
        con.execute("UPDATE build_info SET models_hash = 'older'")
    ensure_data(settings)
    assert current_version(settings.marts_dir) not in (None, first)


# ------------------------------------------------------------ data checks

def test_a_broken_grain_fails_its_check_and_the_previous_version_keeps_serving(tiny, tmp_path):
    settings = copy_data(tiny, tmp_path / "data")
    old = current_version(settings.marts_dir)
    old_runner = QueryRunner(settings.marts_dir)
    before = numbers(old_runner)
    with duckdb.connect(str(mart_path(settings.marts_dir, old)), read_only=True) as con:
        apps = con.execute("SELECT count(*) FROM stg_applications").fetchone()[0]
    sql = copy_models(tmp_path)
    with open(sql / "020_stg_applications.sql", "a", encoding="utf-8") as f:
        f.write("\nINSERT INTO stg_applications SELECT * FROM stg_applications;\n")  # every row twice

    lines = []
    with pytest.raises(BuildError) as err:
        build(settings, sql_dir=sql, progress=lines.append)
    message = str(err.value)
    assert "check stg_applications_grain_unique (020_stg_applications.checks.sql) failed" in message
    assert f"{apps:,} failing rows" in message, message[:300]
    assert message.count("'n': 2}") == 5, "a sample of five failing rows"
    # The models before it ran and passed their checks; the failing model's line never came.
    for model in ("010_units", "015_reference"):
        passed = len(parse_checks(sql / f"{model}{CHECKS}"))
        assert any(f"{model}.sql:" in line and f"; {passed} checks passed" in line for line in lines), lines
    assert not any("020_stg_applications.sql" in line for line in lines)
    assert_still_serving(settings, old, before, old_runner)


def test_the_shipped_checks_cover_every_table_and_pass_on_the_tiny_marts(tiny):
    steps = [p.stem for p in model_files()] + [name for name, _ in build_module.PYTHON_STEPS]
    shipped = sorted(SQL_DIR.glob(f"*{CHECKS}"))
    assert sorted(p.name.removesuffix(CHECKS) for p in shipped) == sorted(steps), "a model or step without checks"
    for path in model_files():
        tables = re.findall(r"CREATE TABLE (\w+)", path.read_text("utf-8"))
        checked = " ".join(query for _, query in parse_checks(SQL_DIR / f"{path.stem}{CHECKS}"))
        assert tables and all(re.search(rf"\b{t}\b", checked) for t in tables), (path.name, tables)
    # The session build ran these checks already; run them again here, where a failure is shown.
    with duckdb.connect(str(mart_path(tiny.settings.marts_dir, tiny.version)), read_only=True) as con:
        passed = {p.name: run_checks(con, p) for p in shipped}
    assert passed == {p.name: len(parse_checks(p)) for p in shipped}
    assert sum(passed.values()) >= 55  # none lost unnoticed (58 when the breakdown tables became views)


def test_a_malformed_check_fails_the_build_naming_it(tiny, tmp_path):
    settings = copy_data(tiny, tmp_path / "data")
    old = current_version(settings.marts_dir)
    old_runner = QueryRunner(settings.marts_dir)
    before = numbers(old_runner)
    sql = copy_models(tmp_path)
    with open(sql / f"015_reference{CHECKS}", "a", encoding="utf-8") as f:
        f.write("\n-- check: calendar_typo\nSELEC * FROM calendar;\n")
    with pytest.raises(BuildError, match=r"check calendar_typo \(015_reference\.checks\.sql\) could not run: .*syntax"):
        build(settings, sql_dir=sql, progress=QUIET)
    assert_still_serving(settings, old, before, old_runner)


@pytest.mark.parametrize("text, error", [
    ("-- no check named here\nSELECT 1;\n", "no `-- check: NAME` line"),
    ("SELECT 1;\n-- check: late_name\nSELECT 1 WHERE false;\n", "SQL before the first"),
    ("-- check: twice\nSELECT 1 WHERE false;\n-- check: twice\nSELECT 2 WHERE false;\n", "check twice is named twice"),
    ("-- check: empty\n-- only a comment\n", "check empty has no query"),
], ids=["no name", "unnamed sql", "duplicate", "empty"])
def test_a_malformed_checks_file_fails_before_anything_is_built(tiny, tmp_path, text, error):
    settings = copy_data(tiny, tmp_path / "data", marts=False)
    sql = copy_models(tmp_path)
    (sql / f"070_vitals{CHECKS}").write_text(text, encoding="utf-8")
    with pytest.raises(BuildError, match=re.escape(f"070_vitals{CHECKS}: {error}")):
        build(settings, sql_dir=sql, progress=QUIET)
    assert not settings.marts_dir.exists(), "nothing written"


def test_checks_files_are_not_models_and_are_part_of_the_models_hash(tmp_path):
    sql = copy_models(tmp_path)
    models = [p.name for p in model_files(sql)]
    assert "100_unit_daily.sql" in models and not any(name.endswith(CHECKS) for name in models)
    before = models_hash(sql)
    with open(sql / f"100_unit_daily{CHECKS}", "a", encoding="utf-8") as f:
        f.write("\n-- check: one_more\nSELECT 1 WHERE false;\n")
    assert models_hash(sql) != before, "a changed check rebuilds the marts"


def test_a_killed_build_leaves_nothing_the_next_one_does_not_clear(tiny, tmp_path):
    """`kill -9` during a build leaves its `*.building` file (and WAL); the next build removes
    what a dead process left, never a running build's."""
    import os
    import signal
    import subprocess
    import sys
    import time

    settings = copy_data(tiny, tmp_path / "data")
    env = {**os.environ, "COCKPIT_DATA_DIR": str(settings.data_dir)}
    child = subprocess.Popen([sys.executable, "-m", "cockpit", "build"], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, cwd=Path(__file__).resolve().parents[2])
    deadline = time.time() + 60
    while not list(settings.marts_dir.glob("*.building")) and time.time() < deadline:
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    left = list(settings.marts_dir.glob("*.building*"))
    assert left and all(f"-{child.pid}.building" in p.name for p in left)
    running = settings.marts_dir / f"20990101T000000.000000-{os.getpid()}.building"  # this process: alive
    running.write_bytes(b"")
    build(settings, progress=lambda _: None)
    assert sorted(settings.marts_dir.glob("*.building*")) == [running]
