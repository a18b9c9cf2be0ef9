"""Shared fixtures: `tiny` demo data generated once per test session (fixed seed and anchor
date) into a temporary data dir, one marts version built from it, a query runner on it, and
the raw Parquet read back with pandas alone (the independent side of every number test).

Session-scoped objects are shared by many tests: treat the frames of `raw` as read-only."""
from __future__ import annotations

import os
import datetime as dt
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import pytest

ANCHOR = dt.date(2026, 11, 22)
SEED = 11
QUIET = lambda _: None  # noqa: E731 - progress callback that prints nothing


class Tiny(NamedTuple):
    settings: object  # cockpit.config.Settings
    manifest: dict
    version: str  # the marts version the session build made
    seed: int
    anchor: dt.date


@pytest.fixture(scope="session")
def tiny(tmp_path_factory) -> Tiny:
    """A data dir holding tiny raw data (seed SEED, anchor ANCHOR) and one marts version."""
    from cockpit.config import load_settings
    from cockpit.demo.generate import generate
    from cockpit.marts.build import build

    data = tmp_path_factory.mktemp("tiny")
    manifest = generate(data / "raw", "tiny", SEED, ANCHOR, progress=QUIET)
    settings = load_settings({"COCKPIT_DATA_DIR": str(data)})
    version = build(settings, progress=QUIET)
    return Tiny(settings, manifest, version, SEED, ANCHOR)


@pytest.fixture(scope="session")
def runner(tiny):
    from cockpit.queries import QueryRunner

    return QueryRunner(tiny.settings.marts_dir)


def read_raw(root: Path) -> dict[str, pd.DataFrame]:
    """Every raw table as a pandas frame, read with pyarrow only (no DuckDB, no project code).
    Fact tables are folders of monthly parts, read in file-name order."""
    frames = {}
    for name in ("applications", "events", "readings"):
        parts = sorted((root / name).glob("*.parquet"))
        frames[name] = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
    for name in ("units", "sensors", "items", "departments", "calendar"):
        frames[name] = pd.read_parquet(root / f"{name}.parquet")
    return frames


@pytest.fixture(scope="session")
def raw(tiny) -> dict[str, pd.DataFrame]:
    """The session's raw Parquet as pandas frames (read-only by convention)."""
    return read_raw(tiny.settings.raw_dir)


PG_URL = os.environ.get("COCKPIT_TEST_PG_URL", "")


@pytest.fixture(params=["sqlite", "postgresql"])
def ops_url(request, tmp_path) -> str:
    """An empty operational store on each backend: a SQLite file, and the PostgreSQL database
    named by COCKPIT_TEST_PG_URL (CI starts one; without it the PostgreSQL runs skip, unless
    COCKPIT_REQUIRE_PG=1 makes that a failure)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ops.sqlite'}"
    if not PG_URL:
        reason = "no PostgreSQL: set COCKPIT_TEST_PG_URL (e.g. postgresql+psycopg://user:pw@127.0.0.1/db)"
        if os.environ.get("COCKPIT_REQUIRE_PG") == "1":
            pytest.fail(reason + " (COCKPIT_REQUIRE_PG=1)")
        pytest.skip(reason)
    import sqlalchemy as sa

    from cockpit.ops.store import metadata

    engine = sa.create_engine(PG_URL)
    metadata.drop_all(engine)
    engine.dispose()
    return PG_URL
