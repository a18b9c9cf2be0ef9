"""Build the marts: run the ordered SQL files of this folder into a NEW DuckDB file, then
swap the `CURRENT` pointer to it. A failed build deletes its file and leaves the pointer, so the
previous marts keep serving."""
from __future__ import annotations

import datetime
import hashlib
import os
import time
from pathlib import Path
from typing import Callable

import duckdb

from cockpit.config import Settings

SQL_DIR = Path(__file__).parent
POINTER = "CURRENT"
KEEP_VERSIONS = 2  # the current one and the one before, which readers may still hold open

# Raw inputs: view name -> path under data/raw (a file, or a folder of monthly parts).
RAW_SOURCES = {
    "raw_units": "units.parquet",
    "raw_departments": "departments.parquet",
    "raw_items": "items.parquet",
    "raw_bundles": "bundles.parquet",
    "raw_sensors": "sensors.parquet",
    "raw_calendar": "calendar.parquet",
    "raw_applications": "applications/*.parquet",
    "raw_events": "events/*.parquet",
    "raw_readings": "readings/*.parquet",
}


def _alerts(con):
    from cockpit.marts.alerts import build_alerts

    build_alerts(con)


def _warnings(con):
    from cockpit.marts.alerts import build_warnings

    build_warnings(con)


# Steps in Python after the SQL models: (table they create, function of the connection).
PYTHON_STEPS = [("alerts", _alerts), ("early_warnings", _warnings)]


class BuildError(RuntimeError):
    pass


def sql_string(text: str) -> str:
    """A SQL string literal (for trusted paths from settings, never user input)."""
    return "'" + text.replace("'", "''") + "'"


def models_hash(sql_dir: Path = SQL_DIR) -> str:
    """A fingerprint of the mart models, stored with each build, so marts built by older code
    are recognised and rebuilt."""
    digest = hashlib.sha256()
    for path in sorted(sql_dir.glob("*.sql")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def built_models_hash(marts_dir: Path) -> str | None:
    version = current_version(marts_dir)
    if version is None:
        return None
    try:
        with duckdb.connect(str(mart_path(marts_dir, version)), read_only=True) as con:
            return con.execute("SELECT models_hash FROM build_info").fetchone()[0]
    except duckdb.Error:
        return None


def current_version(marts_dir: Path) -> str | None:
    try:
        version = (Path(marts_dir) / POINTER).read_text().strip()
    except FileNotFoundError:
        return None
    return version if (Path(marts_dir) / f"{version}.duckdb").exists() else None


def mart_path(marts_dir: Path, version: str) -> Path:
    return Path(marts_dir) / f"{version}.duckdb"


def build(settings: Settings, sql_dir: Path = SQL_DIR, progress: Callable[[str], None] = print) -> str:
    """Build a new marts version from data/raw; return its version id."""
    raw, marts = settings.raw_dir, settings.marts_dir
    missing = [p for p in RAW_SOURCES.values() if not list(raw.glob(p))]
    if missing:
        raise BuildError(f"raw data missing in {raw}: {', '.join(missing)} (run `python -m cockpit demo`)")
    marts.mkdir(parents=True, exist_ok=True)
    # Sortable and unique even for two builds in one second.
    version = datetime.datetime.now().strftime("%Y%m%dT%H%M%S.%f") + f"-{os.getpid()}"
    target = mart_path(marts, version)
    building = target.with_suffix(".building")
    files = sorted(sql_dir.glob("*.sql"))
    started = time.perf_counter()
    try:
        with duckdb.connect(str(building)) as con:
            con.execute("SET threads = 2")
            # Bounded memory at every scale: DuckDB spills sorts and joins to temp files past this.
            con.execute(f"SET memory_limit = {sql_string(settings.build_memory)}")
            con.execute("SET preserve_insertion_order = false")
            con.execute(f"SET temp_directory = {sql_string(str(marts / 'tmp'))}")
            for view, pattern in RAW_SOURCES.items():
                con.execute(f"CREATE TEMP VIEW {view} AS SELECT * FROM read_parquet({sql_string(str(raw / pattern))})")
            for step, path in enumerate(files, start=1):
                before = _tables(con)
                t0 = time.perf_counter()
                try:
                    con.execute(path.read_text("utf-8"))
                except duckdb.Error as exc:
                    raise BuildError(f"{path.name}: {exc}") from exc
                made = [t for t in _tables(con) if t not in before]
                counts = ", ".join(f"{t} {con.execute(f'SELECT count(*) FROM {t}').fetchone()[0]:,} rows" for t in made)
                progress(f"[build] {step}/{len(files) + len(PYTHON_STEPS)} {path.name}: {counts or 'no new table'} "
                         f"({time.perf_counter() - t0:.1f} s)")
            for step, (name, run) in enumerate(PYTHON_STEPS, start=len(files) + 1):
                t0 = time.perf_counter()
                try:
                    run(con)
                except Exception as exc:
                    raise BuildError(f"{name}: {exc}") from exc
                progress(f"[build] {step}/{len(files) + len(PYTHON_STEPS)} {name}: "
                         f"{con.execute(f'SELECT count(*) FROM {name}').fetchone()[0]:,} rows "
                         f"({time.perf_counter() - t0:.1f} s)")
            con.execute("CREATE TABLE build_info AS SELECT ?::VARCHAR AS version, ?::TIMESTAMP AS built_at, "
                        "?::VARCHAR AS models_hash",
                        [version, datetime.datetime.now().replace(microsecond=0), models_hash(sql_dir)])
            con.execute("CHECKPOINT")
        building.rename(target)
    except BaseException:
        building.unlink(missing_ok=True)
        Path(str(building) + ".wal").unlink(missing_ok=True)
        raise
    _swap_pointer(marts, version)
    _prune(marts, keep=version)
    progress(f"[build] version {version} serving ({time.perf_counter() - started:.1f} s)")
    return version


def _tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY table_name").fetchall()]


def _swap_pointer(marts: Path, version: str) -> None:
    tmp = marts / f".{POINTER}.{os.getpid()}"
    tmp.write_text(version + "\n")
    os.replace(tmp, marts / POINTER)


def _prune(marts: Path, keep: str) -> None:
    versions = sorted(p for p in marts.glob("*.duckdb"))
    for old in versions[:-KEEP_VERSIONS]:
        if old.stem != keep:
            old.unlink(missing_ok=True)
