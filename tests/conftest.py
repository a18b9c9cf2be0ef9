"""Shared fixtures: `tiny` demo data generated once per test session (fixed seed and anchor
date) into a temporary data dir, one marts version built from it, a query runner on it, and
the raw Parquet read back with pandas alone (the independent side of every number test).

Session-scoped objects are shared by many tests: treat the frames of `raw` as read-only."""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import pytest

ANCHOR = dt.date(2026, 11, 22)
SEED = 11
QUIET = lambda _: None  # noqa: E731 - progress callback that prints nothing


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (8, 8), mode: str = "RGB") -> bytes:
    """A real image file (Pillow), for evidence uploads."""
    from PIL import Image

    out = io.BytesIO()
    Image.new(mode, size, "white" if mode == "RGB" else 0).save(out, kind)
    return out.getvalue()


def pdf_bytes(script: bool = False, password: str | None = None) -> bytes:
    """A real one-page PDF (pypdf); with `script`, one that runs JavaScript when opened."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if script:
        from pypdf.actions import JavaScript

        writer.add_open_action(JavaScript("app.alert('x');"))
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def app_server(env: dict, log_path: Path, wait: float = 60):
    """`python app.py` in a subprocess, exactly as a user starts it, until it answers /health;
    yields (base URL, process) and stops it afterwards. Its output goes to a file: a pipe
    nobody reads fills up and stalls the server."""
    port = free_port()
    root = Path(__file__).resolve().parents[1]
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, "app.py"], cwd=root, env={**os.environ, **env, "COCKPIT_PORT": str(port)},
                                stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + wait
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(base + "/health", timeout=2).status == 200:
                    break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError("cockpit server exited:\n" + log_path.read_text()) from None
                time.sleep(0.3)
        else:
            proc.kill()
            raise RuntimeError(f"cockpit server did not answer /health within {wait:.0f} s")
        try:
            yield base, proc
        finally:
            proc.terminate()
            proc.wait(timeout=20)


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
