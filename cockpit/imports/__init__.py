"""Importing a city's own records: a file (CSV, TSV, JSON Lines, JSON, Parquet) read by DuckDB,
its columns named by a mapping (TOML), every row either loaded or quarantined with a reason.

A batch is the content of one file (its SHA-256): importing the same file again does nothing.
What a batch writes appears at once or not at all (written beside, then renamed):
  data/imports/<source>/<batch>.parquet      the loaded rows, in the cockpit's field names
  data/quarantine/<batch>/rows.parquet|.csv  the refused rows: original line, reason
  data/imports/log.jsonl                     one line per batch: file, hash, counts by reason
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

MAPPINGS = Path(__file__).with_name("mappings")
SOURCES = ("events",)  # applications and readings: not yet
FIELDS = ("id", "opened", "closed", "deadline", "status", "category", "department", "source", "lat", "lon", "address")
TIMES = ("opened", "closed", "deadline")
FORMATS = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".parquet": "parquet"}
# Why a row is refused, in the order they are judged (a row gets the first that applies).
REASONS = ("malformed_row", "missing_id", "unparseable_time", "closed_before_opened", "bad_coordinates",
           "duplicate_id")


class ImportError_(ValueError):  # noqa: N801 - `ImportError` is Python's own
    """A file or mapping the import refuses as a whole (nothing is written)."""


@dataclass(frozen=True)
class Mapping:
    name: str
    source: str
    columns: dict
    values: dict = field(default_factory=dict)
    missing: tuple = ("",)
    timezone: str = "UTC"
    levels: tuple = ()
    city_name: str = ""


def load_mapping(name_or_path: str) -> Mapping:
    """A shipped mapping by name (boston311) or a TOML file."""
    path = Path(name_or_path)
    if not path.suffix:
        path = MAPPINGS / f"{name_or_path}.toml"
    if not path.is_file():
        raise ImportError_(f"no mapping {name_or_path!r} (shipped: {', '.join(p.stem for p in MAPPINGS.glob('*.toml'))})")
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ImportError_(f"{path.name}: not valid TOML: {exc}") from exc
    columns = data.get("columns", {})
    unknown = set(columns) - set(FIELDS)
    if unknown:
        raise ImportError_(f"{path.name}: [columns] names unknown field(s) {', '.join(sorted(unknown))}; "
                           f"fields: {', '.join(FIELDS)}")
    for required in ("id", "opened"):
        if required not in columns:
            raise ImportError_(f"{path.name}: [columns] must name the source column of '{required}'")
    if data.get("source") not in SOURCES:
        raise ImportError_(f"{path.name}: source must be one of {', '.join(SOURCES)}")
    hierarchy = data.get("hierarchy", {})
    if len(hierarchy.get("levels", [])) > 4:
        raise ImportError_(f"{path.name}: [hierarchy] levels: at most four below the city")
    return Mapping(path.stem, data["source"], columns, data.get("values", {}), tuple(data.get("missing", [""])),
                   data.get("timezone", "UTC"), tuple(hierarchy.get("levels", ())), hierarchy.get("city_name", ""))


@dataclass
class Batch:
    file: Path
    hash: str
    read: int = 0
    loaded: int = 0
    quarantined: dict = field(default_factory=dict)  # reason -> rows
    skipped: bool = False  # the same content was imported before

    def line(self) -> str:
        refused = ", ".join(f"{r} {n}" for r, n in self.quarantined.items() if n) or "none"
        if self.skipped:
            return f"{self.file.name}: imported before as batch {self.hash[:12]}, nothing to do"
        return (f"{self.file.name}: read {self.read} = loaded {self.loaded} + quarantined "
                f"{sum(self.quarantined.values())} ({refused}); batch {self.hash[:12]}")


def content_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _reader(path: Path) -> str:
    """DuckDB's reader of the file, every column as text (the mapping says how to read it)."""
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ImportError_(f"{path.name}: unknown format (known: {', '.join(sorted(FORMATS))})")
    quoted = "'" + str(path).replace("'", "''") + "'"
    if kind in ("csv", "tsv"):
        delim = "\\t" if kind == "tsv" else ","
        return (f"read_csv({quoted}, delim=E'{delim}', header=true, all_varchar=true, store_rejects=true, "
                f"rejects_table='rejects', strict_mode=true)")
    if kind == "jsonl":
        return f"(SELECT COLUMNS(*)::VARCHAR FROM read_json({quoted}, format='newline_delimited'))"
    if kind == "json":
        return f"(SELECT COLUMNS(*)::VARCHAR FROM read_json({quoted}, format='array'))"
    return f"(SELECT COLUMNS(*)::VARCHAR FROM read_parquet({quoted}))"


def _sql_string(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _field(mapping: Mapping, name: str, columns: set) -> str:
    """The source column of a field as trimmed text, the mapping's 'missing' values as NULL and
    its [values] put in the cockpit's words."""
    source = mapping.columns.get(name)
    if source is None:
        return "NULL"
    if source not in columns:
        raise ImportError_(f"the file has no column {source!r} (mapping {mapping.name}, field {name})")
    # Surrounding spaces never mean anything here (one file of a city pads an address, its JSON
    # export does not), so values are trimmed before they are compared with `missing`.
    missing = ", ".join(_sql_string(m.strip()) for m in mapping.missing)
    col = 'trim("' + source.replace('"', '""') + '")'
    value = f"CASE WHEN {col} IN ({missing}) THEN NULL ELSE {col} END"
    if name in mapping.values:
        cases = " ".join(f"WHEN {_sql_string(k)} THEN {_sql_string(v)}" for k, v in mapping.values[name].items())
        value = f"CASE {value} {cases} ELSE {value} END"
    return value


def import_file(data_dir: Path, path: Path, mapping: Mapping, progress=print) -> Batch:
    """Load or quarantine every row of `path` (see the module's docstring)."""
    path = Path(path)
    if not path.is_file():
        raise ImportError_(f"no file {path}")
    batch = Batch(path, content_hash(path))
    log = data_dir / "imports" / "log.jsonl"
    if log.exists() and any(json.loads(line)["hash"] == batch.hash for line in log.read_text("utf-8").splitlines()):
        batch.skipped = True
        return batch
    con = duckdb.connect()
    con.execute(f"CREATE TABLE src AS SELECT row_number() OVER () AS row_no, md5(CAST(r AS VARCHAR)) AS content, r.* "
                f"FROM {_reader(path)} r")
    columns = {c for c, in con.execute("SELECT column_name FROM (DESCRIBE src)").fetchall()} - {"row_no", "content"}
    texts = {name: _field(mapping, name, columns) for name in FIELDS}
    levels = [_field(Mapping(mapping.name, mapping.source, {"id": level}, missing=mapping.missing), "id", columns)
              for level in mapping.levels]
    times = {name: f"try_strptime({texts[name]}, ['%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M', "
                   f"'%Y-%m-%dT%H:%M:%S%z', '%Y-%m-%dT%H:%M:%S.%f'])" for name in TIMES}
    place = ", ".join(f"{expr} AS level{i + 1}" for i, expr in enumerate(levels)) or "NULL AS level1"
    con.execute(f"""
        CREATE TABLE mapped AS
        SELECT row_no, {texts['id']} AS id, {times['opened']} AS opened, {times['closed']} AS closed,
               {times['deadline']} AS deadline, lower({texts['status']}) AS status, {texts['category']} AS category,
               {texts['department']} AS department, {texts['source']} AS source,
               try_cast({texts['lat']} AS DOUBLE) AS lat, try_cast({texts['lon']} AS DOUBLE) AS lon,
               {texts['address']} AS address, {place},
               ({texts['opened']} IS NOT NULL AND {times['opened']} IS NULL)
               OR ({texts['closed']} IS NOT NULL AND {times['closed']} IS NULL)
               OR ({texts['deadline']} IS NOT NULL AND {times['deadline']} IS NULL) AS bad_time,
               ({texts['lat']} IS NOT NULL AND try_cast({texts['lat']} AS DOUBLE) IS NULL)
               OR ({texts['lon']} IS NOT NULL AND try_cast({texts['lon']} AS DOUBLE) IS NULL) AS bad_number,
               content
        FROM src""")
    con.execute("""
        CREATE TABLE judged AS
        SELECT *, CASE
            WHEN id IS NULL THEN 'missing_id'
            WHEN opened IS NULL OR bad_time THEN 'unparseable_time'
            WHEN closed < opened THEN 'closed_before_opened'
            WHEN bad_number OR lat NOT BETWEEN -90 AND 90 OR lon NOT BETWEEN -180 AND 180 OR (lat = 0 AND lon = 0)
                THEN 'bad_coordinates'
            WHEN row_number() OVER (PARTITION BY id, content ORDER BY row_no) > 1 THEN 'duplicate_id'
            END AS reason
        FROM mapped""")
    # (a row repeating an id with other content is a newer state of the same request: kept, the
    # build takes the latest)
    malformed = con.execute("SELECT line, csv_line, error_message FROM rejects").fetchall() \
        if con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'rejects'").fetchone()[0] else []
    counts = dict(con.execute("SELECT reason, count(*) FROM judged WHERE reason IS NOT NULL GROUP BY ALL").fetchall())
    batch.quarantined = {r: (len(malformed) if r == "malformed_row" else counts.get(r, 0)) for r in REASONS}
    batch.loaded = con.execute("SELECT count(*) FROM judged WHERE reason IS NULL").fetchone()[0]
    batch.read = con.execute("SELECT count(*) FROM src").fetchone()[0] + len(malformed)
    if batch.read != batch.loaded + sum(batch.quarantined.values()):
        raise ImportError_(f"{path.name}: read {batch.read} != loaded {batch.loaded} + quarantined "
                           f"{sum(batch.quarantined.values())}")
    _write(con, data_dir, batch, mapping, malformed)
    progress(batch.line())
    return batch


def _write(con: duckdb.DuckDBPyConnection, data_dir: Path, batch: Batch, mapping: Mapping, malformed: list) -> None:
    """The batch's files beside their places, then renamed in; the log line last."""
    name = batch.hash[:16]
    loaded = data_dir / "imports" / mapping.source / f"{name}.parquet"
    quarantine = data_dir / "quarantine" / name
    stage = data_dir / "imports" / f".{name}.partial"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    con.execute(f"""COPY (SELECT * EXCLUDE (row_no, bad_time, bad_number, content, reason),
                                 {_sql_string(name)} AS batch, TIMESTAMP {_sql_string(now.isoformat(sep=' '))} AS imported_at
                          FROM judged WHERE reason IS NULL ORDER BY row_no)
                    TO {_sql_string(stage / 'loaded.parquet')} (FORMAT parquet)""")
    con.execute("CREATE TABLE refused (line BIGINT, reason VARCHAR, original VARCHAR)")
    if malformed:
        con.executemany("INSERT INTO refused VALUES (?, 'malformed_row', ?)", [(line, text) for line, text, _ in malformed])
    con.execute("""INSERT INTO refused SELECT j.row_no + 1, j.reason, CAST(s AS VARCHAR)
                   FROM judged j JOIN (SELECT * EXCLUDE (content) FROM src) s USING (row_no) WHERE j.reason IS NOT NULL""")
    for fmt in ("parquet", "csv"):
        con.execute(f"COPY (SELECT * FROM refused ORDER BY line) TO {_sql_string(stage / f'rows.{fmt}')} "
                    f"(FORMAT {fmt})")
    loaded.parent.mkdir(parents=True, exist_ok=True)
    quarantine.parent.mkdir(parents=True, exist_ok=True)
    os.replace(stage / "loaded.parquet", loaded)
    shutil.rmtree(quarantine, ignore_errors=True)
    os.replace(stage, quarantine)
    entry = {"batch": name, "hash": batch.hash, "file": str(batch.file), "source": mapping.source,
             "mapping": mapping.name, "read": batch.read, "loaded": batch.loaded, "quarantined": batch.quarantined,
             "user": os.environ.get("USER", ""), "time": now.isoformat(timespec="seconds")}
    with open(data_dir / "imports" / "log.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps(entry, ensure_ascii=False) + "\n")
