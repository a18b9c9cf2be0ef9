"""The access log: who looked at personal data, of which unit, when. Every page of records, every
核验 sample, every card export and every downloaded file (evidence, a briefing, an import's
refused rows) is noted before it is shown; a note that cannot be written stops the showing.
City-wide roles read the log on /audit."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from cockpit.ops.loop import Actor
from cockpit.ops.store import Store, access_log, now_text

ACTIONS = ("records", "verify", "export", "download", "evidence", "quarantine")


def note(store: Store, actor: Actor, action: str, unit_code: str, what: str, rows: int | None = None,
         now: dt.datetime | None = None) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown access action {action!r}")
    with store.engine.begin() as conn:
        conn.execute(access_log.insert().values(at=now_text(now), username=actor.username, role=actor.role,
                                                action=action, unit_code=unit_code, what=str(what)[:200],
                                                rows=None if rows is None else int(rows)))


def recent(store: Store, limit: int = 100) -> list[dict]:
    """The latest notes, newest first."""
    with store.reading() as conn:
        rows = conn.execute(sa.select(access_log).order_by(access_log.c.id.desc()).limit(limit)).mappings()
        return [dict(r) for r in rows]
