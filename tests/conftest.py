"""Shared fixtures: `tiny` demo data generated once per test session (fixed seed and anchor
date) into a temporary data dir, one marts version built from it, a query runner on it, and
the raw Parquet read back with pandas alone (the independent side of every number test).

Session-scoped objects are shared by many tests: treat the frames of `raw` as read-only."""
from __future__ import annotations

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
