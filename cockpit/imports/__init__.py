"""Importing a city's own records: a file (CSV, TSV, JSON Lines, JSON, Parquet) read by DuckDB,
its columns named by a mapping (TOML), every row either loaded or quarantined with a reason.

A batch is the content of one file (its BLAKE3 hash): importing the same file again does nothing.
What a batch writes appears at once or not at all (written beside, then renamed):
  data/imports/<source>/<batch>.parquet      the loaded rows, in the cockpit's field names
  data/quarantine/<batch>/rows.parquet|.csv  the refused rows: line, reason, the original line of a
                                             malformed row, else the row's mapped columns
  data/imports/log.jsonl                     one line per batch: file, hash, counts by reason
  data/imports/units.parquet                 the city's units, made from the places the rows name

Units: the mapping's [hierarchy] levels name the source columns of the places, top first. Each
new place gets the next free code under its parent (4 digits below the city, then 3 per level,
as cockpit.units reads them), kept in units.parquet, so a unit's code never changes when later
imports add places. A row without a place at a level is counted under a unit "(not given)"
there (the city's totals stay whole), or refused as `unknown_place` when the hierarchy says
`required = true`. A city's own list of units (`units`, a CSV) gives each row's places by the
code of its unit.
"""
from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import shutil
import sys
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import blake3
import duckdb
import pandas as pd

from cockpit.config import imported_city
from cockpit.demo.reference import SENSOR_TYPES as VITAL_SIGNS
from cockpit.units import CITY_CODE, CITY_PREFIX

MAPPINGS = Path(__file__).with_name("mappings")
WORK_MEMORY = os.environ.get("COCKPIT_IMPORT_MEMORY", "1GB")  # DuckDB's limit while a file is judged
# What the rows are, and each field's kind (how its text is read: as it is, a word compared in
# lower case, a time, a number). Service requests and events (12345/311, grid events: the
# cockpit's 一网统管) and service applications (一网通办) have the same fields: for an
# application, `opened` is its submission, `closed` its completion, `category` its service item,
# `source` its channel. Sensors are a city's list of its IoT sensors; readings name their sensor.
REQUESTS = {"id": "text", "opened": "time", "updated": "time", "closed": "time", "deadline": "time", "status": "word",
            "category": "text", "department": "text", "source": "text", "lat": "number", "lon": "number",
            "address": "text", "applicant_type": "text", "rating": "number"}
SOURCES = {"events": REQUESTS, "applications": REQUESTS,
           "sensors": {"id": "text", "type": "text", "uom": "text", "warn_low": "number", "warn_high": "number",
                       "valid_min": "number", "valid_max": "number", "lat": "number", "lon": "number"},
           "readings": {"id": "text", "time": "time", "value": "number"}}  # id: the sensor's
REQUIRED = {"events": ("id", "opened"), "applications": ("id", "opened"), "sensors": ("id", "type", "warn_high"),
            "readings": ("id", "time", "value")}
PLACED = ("events", "applications", "sensors")  # rows that name a place (a reading is at its sensor's)
SQL_TYPES = {"text": "VARCHAR", "word": "VARCHAR", "time": "TIMESTAMP", "number": "DOUBLE"}
# Times without an offset are the city's local time; with one (Open311's ISO 8601, or Z) they
# are put in the city's time zone.
NAIVE = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S.%f"]
ZONED = ["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f%z"]
FORMATS = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".parquet": "parquet"}
# Why a row is refused, in the order they are judged (a row gets the first that applies).
REASONS = ("malformed_row", "missing_id", "unparseable_time", "closed_before_opened", "bad_coordinates",
           "bad_number", "bad_rating", "unknown_type", "unknown_place", "duplicate_id")
# The vital signs the cockpit shows (its pages and cards are made for these): a sensor's `type`
# is put in these words by the mapping's [values.type], or the sensor is refused (unknown_type).
SENSOR_TYPES = tuple(s[0] for s in VITAL_SIGNS)
LOG_ROLES = ("cdo", "admin")  # who sees the import log and its refused rows (original lines: personal data)
NOT_GIVEN = "(not given)"  # the unit of the rows that name no place at a level
CODE_DIGITS = (4, 3, 3, 3)  # digits a unit adds to its parent's code, level 2 first (cockpit.units)


class ImportRefused(ValueError):
    """A file or mapping the import refuses as a whole (nothing is written)."""


@dataclass(frozen=True)
class Mapping:
    name: str
    source: str
    columns: dict
    values: dict = field(default_factory=dict)
    missing: tuple = ("",)
    timezone: str = "UTC"  # the city's (where its days begin and end)
    levels: tuple = ()
    city_name: str = ""
    place_required: bool = False  # a row naming no place at some level is refused (unknown_place)
    # With a units file: the column of a row's unit code (`levels` is (it,)) and, per code of a
    # lowest-level unit, the names of its units top first.
    unit_paths: dict | None = None
    closed_at_update: str | None = None  # a status meaning "closed at the last update" (Open311 has no close time)

    @property
    def depth(self) -> int:
        """Levels below the city."""
        return len(next(iter(self.unit_paths.values()))) if self.unit_paths else len(self.levels)


def load_mapping(name_or_path: str) -> Mapping:
    """A shipped mapping by name (boston311) or a TOML file."""
    path = Path(name_or_path)
    if not path.suffix:
        path = MAPPINGS / f"{name_or_path}.toml"
    if not path.is_file():
        raise ImportRefused(f"no mapping {name_or_path!r} (shipped: {', '.join(p.stem for p in MAPPINGS.glob('*.toml'))})")
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ImportRefused(f"{path.name}: not valid TOML: {exc}") from exc
    columns = data.get("columns", {})
    if data.get("source") not in SOURCES:
        raise ImportRefused(f"{path.name}: source must be one of {', '.join(SOURCES)}")
    fields = SOURCES[data["source"]]
    unknown = set(columns) - set(fields)
    if unknown:
        raise ImportRefused(f"{path.name}: [columns] names unknown field(s) {', '.join(sorted(unknown))}; "
                           f"fields of {data['source']}: {', '.join(fields)}")
    for required in REQUIRED[data["source"]]:
        if required not in columns:
            raise ImportRefused(f"{path.name}: [columns] must name the source column of '{required}'")
    try:
        ZoneInfo(data["timezone"])
    except KeyError:
        raise ImportRefused(f"{path.name}: name the city's time zone, e.g. timezone = \"America/New_York\"") from None
    except (ValueError, ZoneInfoNotFoundError):
        raise ImportRefused(f"{path.name}: timezone {data['timezone']!r} is not a time zone name "
                            f"(e.g. America/New_York)") from None
    hierarchy = data.get("hierarchy", {})
    paths = None
    if data["source"] not in PLACED:  # (readings: their sensor's place)
        hierarchy = {"levels": []}
    elif "units" in hierarchy:  # the city's own list of units; rows name their unit by its code
        if "code" not in hierarchy or "levels" in hierarchy:
            raise ImportRefused(f"{path.name}: [hierarchy] with `units` (a CSV: code, parent, level, name) names "
                                f"`code`, the column of a row's unit code, and no `levels`")
        paths = unit_paths(path.parent / hierarchy["units"])
        hierarchy = {**hierarchy, "levels": [hierarchy["code"]], "required": True}
    elif not 1 <= len(hierarchy.get("levels", [])) <= len(CODE_DIGITS):
        raise ImportRefused(f"{path.name}: [hierarchy] levels must name the source columns of 1 to "
                            f"{len(CODE_DIGITS)} levels of places below the city, top first (or `units` and `code`)")
    return Mapping(path.stem, data["source"], columns, data.get("values", {}), tuple(data.get("missing", [""])),
                   data["timezone"], tuple(hierarchy["levels"]), hierarchy.get("city_name", "City"),
                   bool(hierarchy.get("required", False)), paths, data.get("rules", {}).get("closed_at_update"))


def unit_paths(path: Path) -> dict[str, tuple]:
    """A city's units file (CSV: code, parent, level, name; level 1 the city, with no parent) as
    {code of a lowest-level unit: its units' names, top first below the city}; refused whole
    when it is not one tree of consecutive levels with names unique under each parent."""
    if not path.is_file():
        raise ImportRefused(f"no units file {path}")
    try:
        units = pd.read_csv(path, dtype=str, keep_default_na=False).apply(lambda c: c.str.strip())
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportRefused(f"{path.name}: not a CSV file: {exc}") from None
    if set(units.columns) != {"code", "parent", "level", "name"}:
        raise ImportRefused(f"{path.name}: the columns must be code, parent, level, name (got {', '.join(units.columns)})")
    bad = units[~units.level.str.fullmatch(f"[1-{len(CODE_DIGITS) + 1}]") | (units.code == "") | (units.name == "")]
    if len(bad):
        raise ImportRefused(f"{path.name}: line {bad.index[0] + 2}: a unit needs a code, a name and a level 1 to 5")
    units["level"] = units.level.astype(int)
    by_code = units.set_index("code")
    parent_level = units.parent.map(by_code.level[~by_code.index.duplicated()])
    problems = [
        (not by_code.index.is_unique, "codes repeat: " + ", ".join(units.code[units.code.duplicated()].head(3))),
        (list(units.level).count(1) != 1 or (units.parent[units.level == 1] != "").any(),
         "one unit of level 1 (the city), with no parent"),
        (((units.level > 1) & (parent_level != units.level - 1)).any(), "a unit's parent is not a unit one level up: "
         + ", ".join(units.code[(units.level > 1) & (parent_level != units.level - 1)].head(3))),
        (units.duplicated(["parent", "name"]).any(), "two units of one parent have one name: "
         + ", ".join(units.name[units.duplicated(["parent", "name"])].head(3)))]
    for failed, problem in problems:
        if failed:
            raise ImportRefused(f"{path.name}: {problem}")
    lowest = units.level.max()
    if lowest < 2:
        raise ImportRefused(f"{path.name}: 1 to {len(CODE_DIGITS)} levels below the city")
    paths = {}
    for leaf in units.code[units.level == lowest]:
        names, code = [], leaf
        while by_code.level[code] > 1:
            names.insert(0, by_code.name[code])
            code = by_code.parent[code]
        paths[leaf] = tuple(names)
    return paths


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


def imported_views(con: duckdb.DuckDBPyConnection, imports_dir: Path) -> None:
    """`imported_<source>`: every loaded row of a source's batches (imports/raw.sql makes the
    marts' raw inputs of them) with every field, NULL where a batch has none (one imported by
    an older version); empty with the same columns when none was imported."""
    for source, fields in SOURCES.items():
        types = {**{name: SQL_TYPES[kind] for name, kind in fields.items()},
                 **({"unit_code": "VARCHAR"} if source in PLACED else {}), "batch": "VARCHAR", "imported_at": "TIMESTAMP"}
        files = sorted((imports_dir / source).glob("*.parquet"))
        reader = f"read_parquet([{', '.join(_sql_string(f) for f in files)}], union_by_name = true)"
        have = {c for c, in con.execute(f"SELECT column_name FROM (DESCRIBE SELECT * FROM {reader})").fetchall()} \
            if files else set()
        columns = ", ".join(f"{name if name in have else 'NULL'}::{kind} AS {name}" for name, kind in types.items())
        con.execute(f"CREATE TEMP VIEW imported_{source} AS SELECT {columns} FROM {reader}" if files else
                    f"CREATE TEMP VIEW imported_{source} AS SELECT {columns} WHERE false")


def log_entries(data_dir: Path) -> list[dict]:
    """The import log (data/imports/log.jsonl), newest batch first."""
    log = data_dir / "imports" / "log.jsonl"
    if not log.exists():
        return []
    return [json.loads(line) for line in reversed(log.read_text("utf-8").splitlines()) if line.strip()]


def quarantine_csv(data_dir: Path, batch: str) -> Path | None:
    """A batch's refused rows as CSV (None for a name that is not a batch's: 16 hex digits)."""
    if not (len(batch) == 16 and all(c in "0123456789abcdef" for c in batch)):
        return None
    path = data_dir / "quarantine" / batch / "rows.csv"
    return path if path.is_file() else None


def _user() -> str:
    """Who ran the import (the log says who), as the system knows them."""
    try:
        return getpass.getuser()
    except OSError:  # no name in the environment and none in the password database
        return f"uid {os.getuid()}"


def content_hash(path: Path) -> str:
    """The file's BLAKE3 hash, on every core: 0.6 s for 2.4 GB where SHA-256 took 2.3 s. Read in
    pieces, not mapped: a mapped file counts in the import's memory."""
    digest = blake3.blake3(max_threads=blake3.blake3.AUTO)
    with open(path, "rb") as f:
        for piece in iter(lambda: f.read(1 << 24), b""):
            digest.update(piece)
    return digest.hexdigest()


def _read(con: duckdb.DuckDBPyConnection, path: Path, wanted: set[str]) -> tuple[set[str], list[tuple]]:
    """The file as table `src` (row_no: the row's place among the good rows of a CSV, TSV or
    Parquet file, its line in a JSON Lines file, its element in a JSON array; then the columns
    the mapping reads, as text) by DuckDB's readers; returns the file's columns and its malformed
    rows (line, original text), which never reach `src`.
    CSV and TSV: the CSV reader's rejected rows. JSON Lines: a line that is not a JSON object.
    JSON (an array of objects, as Open311's requests.json): an element that is not an object."""
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ImportRefused(f"{path.name}: unknown format (known: {', '.join(sorted(FORMATS))})")
    quoted = _sql_string(path)
    if kind in ("csv", "tsv", "parquet"):
        delim = "\\t" if kind == "tsv" else ","
        reader = (f"read_parquet({quoted})" if kind == "parquet" else
                  f"read_csv({quoted}, delim=E'{delim}', header=true, all_varchar=true, "
                  f"store_rejects=true, rejects_table='rejects', strict_mode=true)")
        columns = {c for c, in con.execute(f"SELECT column_name FROM (DESCRIBE SELECT * FROM {reader})").fetchall()}
        # Only the columns the mapping reads are kept (the parser skips the others' strings), in
        # the file's order (DuckDB keeps insertion order): a row's place is its rowid.
        kept = ", ".join(f"{_name(c)}::VARCHAR AS {_name(c)}" for c in sorted(wanted & columns)) or "NULL AS none"
        con.execute(f"CREATE TABLE rows AS SELECT {kept} FROM {reader}")
        con.execute("CREATE VIEW src AS SELECT rowid + 1 AS row_no, * FROM rows")
        rejects = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'rejects'").fetchone()[0]
        malformed = con.execute("SELECT line, any_value(csv_line) FROM rejects GROUP BY line ORDER BY line").fetchall() \
            if rejects else []  # (a line may be reported more than once: by errors, by the reader's threads)
        return columns, malformed
    if kind == "jsonl":  # each line as text (a byte that never occurs in text as the delimiter)
        con.execute(f"""CREATE TABLE docs AS SELECT * FROM (
                            SELECT row_number() OVER () AS line, doc
                            FROM read_csv({quoted}, columns={{'doc': 'VARCHAR'}}, header=false, delim=E'\\x1f',
                                          quote='', escape='', strict_mode=false)) WHERE trim(doc) <> ''""")
    else:
        con.execute(f"CREATE TABLE docs AS SELECT row_number() OVER () AS line, json AS doc "
                    f"FROM read_json({quoted}, format='array', records=false)")
    good = "json_valid(doc) AND json_type(doc::JSON) = 'OBJECT'"
    keys = [k for k, in con.execute(f"SELECT DISTINCT unnest(json_keys(doc::JSON)) FROM docs WHERE {good} ORDER BY 1").fetchall()]
    fields = ", ".join(f"json_extract_string(doc::JSON, {_sql_string('$.' + json.dumps(k))}) AS {_name(k)}"
                       for k in keys) or "NULL AS none"
    con.execute(f"CREATE TABLE src AS SELECT line AS row_no, {fields} FROM docs WHERE {good}")
    return set(keys), con.execute(f"SELECT line, doc FROM docs WHERE NOT ({good}) ORDER BY line").fetchall()


def _line(n: int, malformed: list[int]) -> int:
    """The line of the n-th good row of a CSV file: after the header, and after every malformed
    line (sorted) before it."""
    line = n + 1
    for skipped in malformed:
        if skipped > line:
            break
        line += 1
    return line


def _name(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _sql_string(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _text(mapping: Mapping, source: str | None, columns: set, words: dict | None = None) -> str:
    """A source column as trimmed text, the mapping's 'missing' values as NULL, and `words` (a
    [values] table) put in the cockpit's words."""
    if source is None:
        return "NULL"
    if source not in columns:
        raise ImportRefused(f"the file has no column {source!r} (mapping {mapping.name})")
    # Surrounding spaces never mean anything here (one file of a city pads an address, its JSON
    # export does not), so values are trimmed before they are compared with `missing`.
    missing = ", ".join(_sql_string(m.strip()) for m in mapping.missing)
    col = f"trim({_name(source)})"
    value = f"CASE WHEN {col} IN ({missing}) THEN NULL ELSE {col} END"
    if words:
        cases = " ".join(f"WHEN {_sql_string(k)} THEN {_sql_string(v)}" for k, v in words.items())
        value = f"CASE {value} {cases} ELSE {value} END"
    return value


def import_file(data_dir: Path, path: Path, mapping: Mapping, progress=print) -> Batch:
    """Load or quarantine every row of `path` (see the module's docstring)."""
    path = Path(path)
    if not path.is_file():
        raise ImportRefused(f"no file {path}")
    raw = data_dir / "raw"
    if raw.is_dir() and any(raw.iterdir()):
        raise ImportRefused(f"{data_dir} holds demo data ({raw}): import a city's data into a data dir of its own "
                            f"(COCKPIT_DATA_DIR)")
    batch = Batch(path, content_hash(path))
    if any(entry["hash"] == batch.hash for entry in log_entries(data_dir)):
        batch.skipped = True
        return batch
    with tempfile.TemporaryDirectory(prefix="cockpit-import-") as work:
        # A memory limit, past which DuckDB moves its tables and operators' data to the work
        # directory: a file of any size is worked through in bounded memory.
        con = duckdb.connect(":memory:", config={"memory_limit": WORK_MEMORY, "temp_directory": work})
        if sys.stdout.isatty():  # a person waits at a terminal: DuckDB's bar on every step past 2 s
            con.execute("SET enable_progress_bar = true; SET enable_progress_bar_print = true")
        try:
            return _import(con, data_dir, batch, mapping, city(data_dir, mapping), progress)
        finally:
            con.close()


def city(data_dir: Path, mapping: Mapping) -> dict:
    """The city the data dir holds: its name and time zone, as its first import's mapping named
    them (config.imported_city); the one time zone of its days everywhere (config.city_zone)."""
    return imported_city(data_dir) or {"name": mapping.city_name, "timezone": mapping.timezone}


def _import(con: duckdb.DuckDBPyConnection, data_dir: Path, batch: Batch, mapping: Mapping, home: dict,
            progress) -> Batch:
    path = batch.file
    wanted = {*mapping.columns.values(), *mapping.levels}
    progress(f"{path.name}: reading {path.stat().st_size / 1e6:,.1f} MB")
    columns, malformed = _read(con, path, wanted)
    fields = SOURCES[mapping.source]
    texts = {name: _text(mapping, mapping.columns.get(name), columns, mapping.values.get(name)) for name in fields}
    if mapping.closed_at_update and "closed" not in mapping.columns:
        texts["closed"] = f"CASE WHEN lower({texts['status']}) = {_sql_string(mapping.closed_at_update)} THEN {texts['updated']} END"
    zone, here = _sql_string(home["timezone"]), _sql_string(mapping.timezone)
    # Into the city's local time: a time with an offset from its instant, one without from the
    # mapping's zone (the city's own, unless the mapping says the source is elsewhere).
    naive = "try_strptime({v}, " + str(NAIVE) + ")"
    if home["timezone"] != mapping.timezone:
        naive = f"timezone({zone}, timezone({here}, {naive}))"
    typed = {"text": "{v}", "word": "lower({v})", "number": "try_cast({v} AS DOUBLE)",
             "time": f"coalesce({naive}, timezone({zone}, try_strptime(regexp_replace({{v}}, 'Z$', '+00:00'), {ZONED})))"}
    values = {name: typed[kind].format(v=texts[name]) for name, kind in fields.items()}
    unreadable = {kind: " OR ".join([f"({texts[n]} IS NOT NULL AND {values[n]} IS NULL)" for n, k in fields.items()
                                     if k == kind and n not in ("lat", "lon", "rating")]
                                    + [f"{values[n]} IS NULL" for n in REQUIRED[mapping.source] if fields[n] == kind])
                  or "false" for kind in ("time", "number")}
    levels = [_text(mapping, level, columns) for level in mapping.levels]
    place = "".join(f", {expr} AS level{i + 1}" for i, expr in enumerate(levels))
    no_place = " OR ".join(f"level{i + 1} IS NULL" for i in range(len(levels))) or "false"
    joined = ""
    if mapping.unit_paths:  # a row's unit code -> its units' names; an unknown code is no place
        names = [f"_level{i + 1}" for i in range(mapping.depth)]
        con.register("paths", pd.DataFrame([(c, *p) for c, p in mapping.unit_paths.items()], columns=["_code", *names]))
        con.execute("CREATE TABLE unit_paths AS SELECT * FROM paths")
        con.unregister("paths")
        place = "".join(f", _p.{n} AS level{i + 1}" for i, n in enumerate(names))
        no_place, joined = "level1 IS NULL", f"LEFT JOIN unit_paths _p ON _p._code = {levels[0]}"
    # Why a row is refused: the first of REASONS that applies (to its source's fields; duplicates
    # last, below).
    refused_when = {
        "missing_id": "id IS NULL", "unparseable_time": "bad_time",
        "closed_before_opened": "closed < opened" if "closed" in fields else "false",
        "bad_coordinates": "bad_coordinates OR lat NOT BETWEEN -90 AND 90 OR lon NOT BETWEEN -180 AND 180 "
                           "OR (lat = 0 AND lon = 0)" if "lat" in fields else "false",
        "bad_number": "bad_number",
        "bad_rating": "rated AND (rating IS NULL OR rating NOT IN (1, 2, 3, 4, 5))"  # 1 to 5 stars
                      if "rating" in fields else "false",
        "unknown_type": f"type NOT IN {SENSOR_TYPES}" if "type" in fields else "false",
        "unknown_place": f"{str(mapping.place_required).upper()} AND ({no_place})"}
    coordinates = (f"({texts['lat']} IS NOT NULL AND {values['lat']} IS NULL) OR "
                   f"({texts['lon']} IS NOT NULL AND {values['lon']} IS NULL)" if "lat" in fields else "false")
    progress(f"{path.name}: judging {con.execute('SELECT count(*) FROM src').fetchone()[0]:,} rows")
    con.execute(f"""
        CREATE TABLE judged AS
        WITH mapped AS (
        SELECT row_no, {", ".join(f"{v} AS {n}" for n, v in values.items())}{place},
               {unreadable['time']} AS bad_time, {unreadable['number']} AS bad_number, {coordinates} AS bad_coordinates,
               {texts['rating'] + " IS NOT NULL" if "rating" in fields else "false"} AS rated,
               hash({", ".join(_name(c) for c in sorted(wanted & columns))}) AS content  -- what the cockpit keeps
        FROM src {joined})
        SELECT * EXCLUDE (bad_time, bad_number, bad_coordinates, rated),
               CASE {" ".join(f"WHEN {when} THEN '{r}'" for r, when in refused_when.items())} END AS reason
        FROM mapped""")
    # A row repeating an earlier row's id and content: found by a hash aggregate (a window ordered
    # by row would sort every row) among the rows not refused otherwise (identical rows share
    # their reasons).
    con.execute("""UPDATE judged SET reason = 'duplicate_id' FROM (
                       SELECT id, content, min(row_no) AS first FROM judged WHERE reason IS NULL
                       GROUP BY ALL HAVING count(*) > 1) d
                   WHERE judged.id = d.id AND judged.content = d.content AND judged.row_no > d.first""")
    # (a row repeating an id with other content is a newer state of the same request: kept, the
    # build takes the latest)
    counts = dict(con.execute("SELECT reason, count(*) FROM judged WHERE reason IS NOT NULL GROUP BY ALL").fetchall())
    batch.quarantined = {r: (len(malformed) if r == "malformed_row" else counts.get(r, 0)) for r in REASONS}
    batch.loaded = con.execute("SELECT count(*) FROM judged WHERE reason IS NULL").fetchone()[0]
    batch.read = con.execute("SELECT count(*) FROM src").fetchone()[0] + len(malformed)
    if batch.read != batch.loaded + sum(batch.quarantined.values()):
        raise ImportRefused(f"{path.name}: read {batch.read} != loaded {batch.loaded} + quarantined "
                           f"{sum(batch.quarantined.values())}")
    progress(f"{path.name}: writing")
    units = _place_units(con, data_dir, mapping, home["name"]) if mapping.source in PLACED else None
    _write(con, data_dir, batch, mapping, malformed, units, home)
    progress(batch.line())
    return batch


def _place_units(con: duckdb.DuckDBPyConnection, data_dir: Path, mapping: Mapping, name: str) -> pd.DataFrame:
    """The units so far (data/imports/units.parquet) and a code for every new place of the
    loaded rows; the view `leaves` (level1…, unit_code: the unit of a row's places)."""
    depth = mapping.depth
    path = data_dir / "imports" / "units.parquet"
    units = (pd.read_parquet(path) if path.exists() else
             pd.DataFrame({"unit_code": [CITY_CODE], "unit_name": [name], "unit_level": [1],
                           "parent_code": [None]}))
    if path.exists() and units.unit_level.max() != depth + 1:
        raise ImportRefused(f"the units imported before have {units.unit_level.max() - 1} levels below the city; "
                            f"mapping {mapping.name} names {depth} ([hierarchy] levels)")
    names = ", ".join(f"coalesce(level{i + 1}, {_sql_string(NOT_GIVEN)})" for i in range(depth))
    places = con.execute(f"SELECT DISTINCT {names} FROM judged WHERE reason IS NULL ORDER BY ALL").fetchall()
    if mapping.unit_paths:  # every unit of the city's list, with records or not yet
        places = sorted(set(places) | set(mapping.unit_paths.values()))
    code = {(row.parent_code, row.unit_name): row.unit_code for row in units.itertuples()}
    added, leaves = [], []
    for place in places:
        parent = CITY_CODE
        for level, name in enumerate(place, start=2):
            if (parent, name) not in code:
                prefix = CITY_PREFIX if parent == CITY_CODE else parent
                width = CODE_DIGITS[level - 2]
                taken = [int(c[len(prefix):]) for (p, _), c in code.items() if p == parent]
                number = max(taken, default=0) + 1
                if number >= 10 ** width:
                    raise ImportRefused(f"more than {10 ** width - 1} places under unit {parent} at level {level}")
                code[parent, name] = prefix + str(number).zfill(width)
                added.append((code[parent, name], name, level, parent))
            parent = code[parent, name]
        leaves.append((*place, parent))
    units = pd.concat([units, pd.DataFrame(added, columns=units.columns)], ignore_index=True) if added else units
    con.register("leaves", pd.DataFrame(leaves, columns=[f"level{i + 1}" for i in range(depth)] + ["unit_code"]))
    return units.astype({"unit_level": "int8"})



def _write(con: duckdb.DuckDBPyConnection, data_dir: Path, batch: Batch, mapping: Mapping, malformed: list,
           units: pd.DataFrame, home: dict) -> None:
    """The batch's files beside their places, then renamed in; the log line last."""
    name = batch.hash[:16]
    loaded = data_dir / "imports" / mapping.source / f"{name}.parquet"
    quarantine = data_dir / "quarantine" / name
    stage = data_dir / "imports" / f".{name}.partial"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    placed = ("l.unit_code,", "JOIN leaves l ON " + " AND ".join(
        f"l.level{i + 1} = coalesce(j.level{i + 1}, {_sql_string(NOT_GIVEN)})" for i in range(mapping.depth))) \
        if units is not None else ("", "")
    con.execute(f"""COPY (SELECT j.* EXCLUDE (row_no, content, reason), {placed[0]}
                                 {_sql_string(name)} AS batch, TIMESTAMP {_sql_string(now.isoformat(sep=' '))} AS imported_at
                          FROM judged j {placed[1]} WHERE j.reason IS NULL)
                    TO {_sql_string(stage / 'loaded.parquet')} (FORMAT parquet)""")
    con.execute("CREATE TABLE refused (line BIGINT, reason VARCHAR, original VARCHAR)")
    if malformed:
        con.executemany("INSERT INTO refused VALUES (?, 'malformed_row', ?)", malformed)
    refused = con.execute("""SELECT j.row_no, j.reason, CAST(s AS VARCHAR) FROM judged j
                             JOIN src s USING (row_no) WHERE j.reason IS NOT NULL""").fetchall()
    if refused:
        if FORMATS[batch.file.suffix.lower()] in ("csv", "tsv"):  # the n-th good row's line in the file
            refused = [(_line(n, [line for line, _ in malformed]), reason, text) for n, reason, text in refused]
        con.executemany("INSERT INTO refused VALUES (?, ?, ?)", refused)
    for fmt in ("parquet", "csv"):
        con.execute(f"COPY (SELECT * FROM refused ORDER BY line) TO {_sql_string(stage / f'rows.{fmt}')} "
                    f"(FORMAT {fmt})")
    if units is not None:
        units.to_parquet(stage / "units.parquet", index=False)
    (stage / "city.json").write_text(json.dumps(home, ensure_ascii=False), "utf-8")
    loaded.parent.mkdir(parents=True, exist_ok=True)
    quarantine.parent.mkdir(parents=True, exist_ok=True)
    os.replace(stage / "city.json", data_dir / "imports" / "city.json")  # never changes once written
    if units is not None:
        os.replace(stage / "units.parquet", data_dir / "imports" / "units.parquet")  # only grows: safe first
    os.replace(stage / "loaded.parquet", loaded)
    shutil.rmtree(quarantine, ignore_errors=True)
    os.replace(stage, quarantine)
    entry = {"batch": name, "hash": batch.hash, "file": str(batch.file), "source": mapping.source,
             "mapping": mapping.name, "read": batch.read, "loaded": batch.loaded, "quarantined": batch.quarantined,
             "user": _user(), "time": now.isoformat(timespec="seconds")}
    with open(data_dir / "imports" / "log.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps(entry, ensure_ascii=False) + "\n")
