"""Build the marts: run the ordered SQL files of this folder into a NEW DuckDB file, then
swap the `CURRENT` pointer to it. A failed build deletes its file and leaves the pointer, so the
previous marts keep serving.

Each model `NNN_name.sql` (and each Python step) may have a sibling `NNN_name.checks.sql`:
queries, each after a `-- check: NAME` line, that return the failing rows. They run right after
their model; any failing row fails the build, so marts that break their own rules never serve."""
from __future__ import annotations

import datetime
import hashlib
import os
import re
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


# The same views made from a data dir's imports instead (python -m cockpit import).
IMPORTED_RAW = Path(__file__).parents[1] / "imports" / "raw.sql"


def _alerts(con):
    from cockpit.marts.alerts import build_alerts

    build_alerts(con)


def _warnings(con):
    from cockpit.marts.alerts import build_warnings

    build_warnings(con)


# Steps in Python after the SQL models: (table they create, function of the connection).
PYTHON_STEPS = [("alerts", _alerts), ("early_warnings", _warnings)]


CHECKS = ".checks.sql"
CHECK_LINE = re.compile(r"^--[ \t]*check:[ \t]*(.*?)[ \t]*$", re.MULTILINE)
SAMPLE_ROWS = 5


class BuildError(RuntimeError):
    pass


def sql_string(text: str) -> str:
    """A SQL string literal (for trusted paths from settings, never user input)."""
    return "'" + text.replace("'", "''") + "'"


def models_hash(sql_dir: Path = SQL_DIR) -> str:
    """A fingerprint of the mart models and their checks (every *.sql), stored with each build, so
    marts built by older code, or checked by older checks, are recognised and rebuilt."""
    digest = hashlib.sha256()
    for path in sorted(sql_dir.glob("*.sql")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def model_files(sql_dir: Path = SQL_DIR) -> list[Path]:
    return sorted(p for p in sql_dir.glob("*.sql") if not p.name.endswith(CHECKS))


def _code(text: str) -> str:
    """The text without its whole-line comments, stripped."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--")).strip()


def parse_checks(path: Path) -> list[tuple[str, str]]:
    """The checks of a checks file as [(name, query without its final `;`)], in file order."""
    head, *rest = CHECK_LINE.split(path.read_text("utf-8"))
    pairs = list(zip(rest[::2], rest[1::2]))
    if not pairs:
        raise BuildError(f"{path.name}: no `-- check: NAME` line")
    if _code(head):
        raise BuildError(f"{path.name}: SQL before the first `-- check: NAME` line")
    names = [name for name, _ in pairs]
    for name, body in pairs:
        if not re.fullmatch(r"\w+", name):
            raise BuildError(f"{path.name}: check name {name!r} is not a word")
        if names.count(name) > 1:
            raise BuildError(f"{path.name}: check {name} is named twice")
        if not _code(body):
            raise BuildError(f"{path.name}: check {name} has no query")
    return [(name, _code(body).rstrip(";").rstrip()) for name, body in pairs]


def run_checks(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Run the checks of a checks file; raise BuildError at the first one returning rows.
    Return how many passed."""
    checks = parse_checks(path)
    for name, query in checks:
        # Wrapped as a subquery: a check can only read, and counting its rows costs no transfer.
        try:
            failing = con.execute(f"SELECT count(*) FROM (\n{query}\n)").fetchone()[0]
            if failing:
                cur = con.execute(f"SELECT * FROM (\n{query}\n) LIMIT {SAMPLE_ROWS}")
                columns = [d[0] for d in cur.description]
                sample = [dict(zip(columns, row)) for row in cur.fetchall()]
        except duckdb.Error as exc:
            raise BuildError(f"check {name} ({path.name}) could not run: {exc}") from exc
        if failing:
            raise BuildError(f"check {name} ({path.name}) failed: {failing:,} failing rows, "
                             f"first {len(sample)}: {sample}")
    return len(checks)


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
    imports = settings.imports_dir
    if settings.imported and raw.exists() and any(raw.iterdir()):
        raise BuildError(f"{settings.data_dir} holds both demo data ({raw}) and imported data ({imports}): "
                         f"import into a data dir of its own (COCKPIT_DATA_DIR)")
    missing = [] if settings.imported else [p for p in RAW_SOURCES.values() if not list(raw.glob(p))]
    if missing:
        raise BuildError(f"raw data missing in {raw}: {', '.join(missing)} (run `python -m cockpit demo`, "
                         f"or `python -m cockpit import`)")
    files = model_files(sql_dir)
    paths = {step: sql_dir / f"{step}{CHECKS}" for step in [p.stem for p in files] + [n for n, _ in PYTHON_STEPS]}
    checks = {step: path for step, path in paths.items() if path.exists()}
    for path in checks.values():  # parsed before anything is written: a malformed file fails at once
        parse_checks(path)
    marts.mkdir(parents=True, exist_ok=True)
    # Sortable and unique even for two builds in one second.
    version = datetime.datetime.now().strftime("%Y%m%dT%H%M%S.%f") + f"-{os.getpid()}"
    target = mart_path(marts, version)
    building = target.with_suffix(".building")
    started = time.perf_counter()
    try:
        with duckdb.connect(str(building)) as con:
            con.execute("SET threads = 2")
            # Bounded memory at every scale: DuckDB spills sorts and joins to temp files past this.
            con.execute(f"SET memory_limit = {sql_string(settings.build_memory)}")
            con.execute("SET preserve_insertion_order = false")
            con.execute(f"SET temp_directory = {sql_string(str(marts / 'tmp'))}")
            if settings.imported:
                from cockpit.imports import imported_views

                imported_views(con, imports)
                con.execute(f"SET VARIABLE imports = {sql_string(str(imports))}")
                con.execute(IMPORTED_RAW.read_text("utf-8"))
            else:
                for view, pattern in RAW_SOURCES.items():
                    con.execute(f"CREATE TEMP VIEW {view} AS SELECT * FROM read_parquet({sql_string(str(raw / pattern))})")
            for step, path in enumerate(files, start=1):
                before, views_before = _tables(con), _views(con)
                t0 = time.perf_counter()
                try:
                    con.execute(path.read_text("utf-8"))
                except duckdb.Error as exc:
                    raise BuildError(f"{path.name}: {exc}") from exc
                made = [t for t in _tables(con) if t not in before]
                counts = ", ".join([f"{t} {con.execute(f'SELECT count(*) FROM {t}').fetchone()[0]:,} rows" for t in made]
                                   + [f"view {v}" for v in _views(con) if v not in views_before])
                progress(f"[build] {step}/{len(files) + len(PYTHON_STEPS)} {path.name}: {counts or 'no new table'}; "
                         f"{_checked(con, checks.get(path.stem))} ({time.perf_counter() - t0:.1f} s)")
            for step, (name, run) in enumerate(PYTHON_STEPS, start=len(files) + 1):
                t0 = time.perf_counter()
                try:
                    run(con)
                except Exception as exc:
                    raise BuildError(f"{name}: {exc}") from exc
                progress(f"[build] {step}/{len(files) + len(PYTHON_STEPS)} {name}: "
                         f"{con.execute(f'SELECT count(*) FROM {name}').fetchone()[0]:,} rows; "
                         f"{_checked(con, checks.get(name))} ({time.perf_counter() - t0:.1f} s)")
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


def _checked(con: duckdb.DuckDBPyConnection, path: Path | None) -> str:
    if path is None:
        return "no checks"
    t0 = time.perf_counter()
    passed = run_checks(con, path)
    return f"{passed} checks passed in {time.perf_counter() - t0:.1f} s"


def _tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY table_name").fetchall()]


def _views(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT temporary AND NOT internal ORDER BY view_name").fetchall()]


def _swap_pointer(marts: Path, version: str) -> None:
    tmp = marts / f".{POINTER}.{os.getpid()}"
    tmp.write_text(version + "\n")
    os.replace(tmp, marts / POINTER)


def _prune(marts: Path, keep: str) -> None:
    """Old versions past KEEP_VERSIONS, and what builds that were killed left (`*.building`,
    `*.building.wal`: their process, named in the version, is gone)."""
    versions = sorted(p for p in marts.glob("*.duckdb"))
    for old in versions[:-KEEP_VERSIONS]:
        if old.stem != keep:
            old.unlink(missing_ok=True)
    for left in [*marts.glob("*.building"), *marts.glob("*.building.wal")]:
        pid = left.name.split(".building")[0].rsplit("-", 1)[-1]
        if pid.isdigit() and not _running(int(pid)):
            left.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # no signal: only whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process: alive
    return True
