"""The operational store: users, instructions and their append-only log, in SQLAlchemy Core over
SQLite (default, `data/ops.sqlite`, WAL) or PostgreSQL (`COCKPIT_OPS_URL`). The schema is created
or migrated when the store is opened. Writes that extend the log run in `writing()`, which takes
the database's write lock first, so two processes never compute the same next link."""
from __future__ import annotations

import contextlib
import datetime as dt

import sqlalchemy as sa
from sqlalchemy import event

SCHEMA_VERSION = 3

metadata = sa.MetaData()

users = sa.Table(
    "users", metadata,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("display_name", sa.String(128), nullable=False),
    sa.Column("role", sa.String(32), nullable=False),
    sa.Column("unit_code", sa.String(15), nullable=False),
    sa.Column("password_hash", sa.String(256), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    # Sessions carry the number they were opened under; raising it ends every session of the
    # account (logout, a disabled account).
    sa.Column("session_version", sa.Integer, nullable=False, server_default="0"),
)

instructions = sa.Table(
    "instructions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("kpi_id", sa.String(64)),
    sa.Column("unit_code", sa.String(15), nullable=False),  # the unit the leader was looking at
    sa.Column("period_start", sa.String(10), nullable=False),
    sa.Column("period_end", sa.String(10), nullable=False),
    sa.Column("view_url", sa.Text, nullable=False),
    sa.Column("snapshot", sa.Text, nullable=False),  # JSON: the numbers the leader saw
    sa.Column("lead_unit", sa.String(15), nullable=False, index=True),
    sa.Column("assist_units", sa.Text, nullable=False),  # JSON list of unit codes
    sa.Column("department", sa.String(8)),
    sa.Column("priority", sa.String(16), nullable=False),
    sa.Column("deadline", sa.String(10), nullable=False),  # YYYY-MM-DD, inclusive, Shanghai time
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("issuer", sa.String(64), nullable=False),
    sa.Column("escalated_to", sa.String(15)),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("submitted_at", sa.String(32)),
    sa.Column("closed_at", sa.String(32)),
    sa.Column("updated_at", sa.String(32), nullable=False),
)

log = sa.Table(
    "instruction_log", metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("instruction_id", sa.Integer, nullable=False, index=True),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("from_state", sa.String(20)),
    sa.Column("to_state", sa.String(20), nullable=False),
    sa.Column("payload", sa.Text, nullable=False),  # canonical JSON
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)

briefing_items = sa.Table(
    "briefing_items", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), nullable=False, index=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("path", sa.String(64), nullable=False),  # the page, e.g. /services
    sa.Column("query", sa.Text, nullable=False),  # its filters, e.g. ?unit=310115&start=...
    sa.Column("card_id", sa.String(64), nullable=False),
    sa.Column("card_title", sa.Text, nullable=False),  # the card's own title when added
    sa.Column("unit_name", sa.Text, nullable=False),  # and the unit and period it showed
    sa.Column("period", sa.String(32), nullable=False),
    sa.Column("title", sa.Text),  # the title staff gave it, if any
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("added_at", sa.String(32), nullable=False),
)

exports = sa.Table(  # every export, who asked and when: also the export log
    "exports", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), nullable=False, index=True),
    sa.Column("format", sa.String(8), nullable=False),  # pptx, pdf, zip
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("items", sa.Text, nullable=False),  # JSON: the basket as it was exported
    sa.Column("status", sa.String(16), nullable=False),  # queued, running, done, failed
    sa.Column("done_steps", sa.Integer, nullable=False),
    sa.Column("total_steps", sa.Integer, nullable=False),
    sa.Column("file_name", sa.Text),
    sa.Column("error", sa.Text),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("finished_at", sa.String(32)),
)

access_log = sa.Table(  # who saw personal data: record pages, 核验 samples, exports, downloads
    "access_log", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("username", sa.String(64), nullable=False, index=True),
    sa.Column("role", sa.String(32), nullable=False),
    sa.Column("action", sa.String(16), nullable=False),  # cockpit.ops.access.ACTIONS
    sa.Column("unit_code", sa.String(15), nullable=False),  # whose data
    sa.Column("what", sa.String(200), nullable=False),  # the record kind, KPI, card or file
    sa.Column("rows", sa.Integer),  # records shown, where counted
)

schema_info = sa.Table(
    "schema_info", metadata,
    sa.Column("version", sa.Integer, nullable=False),
)

# Migrations from version N to N+1, as functions of a connection. Append here; never edit a
# released step. New tables need no step of their own: create_all adds them before migrating.
MIGRATIONS: dict[int, callable] = {
    1: lambda conn: None,  # 2: briefing_items and exports (tables only)
    2: lambda conn: conn.execute(sa.text("ALTER TABLE users ADD COLUMN session_version INTEGER NOT NULL DEFAULT 0")),
}


def now_text(now: dt.datetime | None = None) -> str:
    """Timestamps are UTC ISO text with microseconds: the same bytes on every backend, which the
    log's hashes need."""
    now = now or dt.datetime.now(dt.UTC)
    return now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Store:
    def __init__(self, url: str):
        self.url = url
        self.sqlite = url.startswith("sqlite")
        kwargs = {"connect_args": {"timeout": 30}} if self.sqlite else {"pool_pre_ping": True}
        self.engine = sa.create_engine(url, **kwargs)
        if self.sqlite:
            _sqlite_locking(self.engine)
        self.migrate()

    def migrate(self) -> None:
        with self.writing() as conn:
            metadata.create_all(conn)
            version = conn.execute(sa.select(schema_info.c.version)).scalar()
            if version is None:
                conn.execute(schema_info.insert().values(version=SCHEMA_VERSION))
                return
            while version < SCHEMA_VERSION:
                MIGRATIONS[version](conn)
                version += 1
                conn.execute(schema_info.update().values(version=version))

    @contextlib.contextmanager
    def writing(self):
        """A transaction holding the write lock from its first statement: SQLite's BEGIN
        IMMEDIATE, PostgreSQL's table lock on the log."""
        with self.engine.begin() as conn:
            if not self.sqlite:
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(20261123)"))
            yield conn

    def reading(self):
        """A connection for reads only (on SQLite its transactions take no write lock)."""
        return self.engine.connect().execution_options(read_only=True)

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_locking(engine) -> None:
    """pysqlite's own transaction handling defers BEGIN and breaks write locking; take it over
    (the SQLAlchemy documentation's recipe) and turn on WAL so readers never wait for writers."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get("read_only") else "BEGIN IMMEDIATE")
