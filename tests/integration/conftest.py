"""Tiny demo data generated once per session, and marts built from it."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from cockpit.config import load_settings
from cockpit.demo.generate import generate
from cockpit.marts.build import build
from cockpit.queries import QueryRunner

ANCHOR = dt.date(2026, 11, 22)
SEED = 11


@pytest.fixture(scope="session")
def tiny(tmp_path_factory):
    """(settings, manifest) for a data dir holding tiny raw data and one marts version."""
    data = tmp_path_factory.mktemp("tiny")
    manifest = generate(data / "raw", "tiny", SEED, ANCHOR, progress=lambda _: None)
    settings = load_settings({"COCKPIT_DATA_DIR": str(data)})
    build(settings, progress=lambda _: None)
    return settings, manifest


@pytest.fixture(scope="session")
def runner(tiny):
    return QueryRunner(tiny[0].marts_dir)


@pytest.fixture(scope="session")
def raw(tiny):
    """The raw Parquet as pandas frames, read without any project code."""
    root = tiny[0].raw_dir
    return {name: pd.read_parquet(root / name) for name in ("applications", "events", "readings")} | {
        name: pd.read_parquet(root / f"{name}.parquet") for name in ("units", "sensors")}
