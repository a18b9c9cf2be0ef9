"""Instructions in the operational store: issue one from a view, act on it, list what a user may
see, and the loop's KPIs per unit. Every change writes the instruction row and its log link in one
transaction under the write lock; a refused action writes nothing."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from cockpit import units
from cockpit.ops import chain, evidence
from cockpit.ops.loop import (
    ISSUING_ROLES,
    PRIORITIES,
    Actor,
    LoopError,
    can_see,
    check,
    is_overdue,
    local_today,
)
from cockpit.ops.store import Store, instructions, log, now_text
from cockpit.params import is_site_path

TEXT_MAX = 2000
ASSIST_MAX = 10
EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
EVIDENCE_MAX_FILES = 5


class FormError(ValueError):
    """A refused form field; `key` is an i18n message key."""

    def __init__(self, field: str, key: str, **args):
        super().__init__(f"{field}: {key}")
        self.field, self.key, self.params = field, key, args


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or dt.datetime.now(dt.UTC)


def validate_issue(actor: Actor, form: dict, known_unit: Callable[[str], bool], departments: set[str],
                   now: dt.datetime) -> dict:
    """The cleaned fields of an issue form, or FormError for the first bad one."""
    if actor.role not in ISSUING_ROLES:
        raise LoopError("loop.cannot_issue")
    text = str(form.get("text") or "").strip()
    if not text:
        raise FormError("text", "form.text_required")
    if len(text) > TEXT_MAX:
        raise FormError("text", "form.text_too_long", max=TEXT_MAX)

    def unit(code, field):
        if not isinstance(code, str) or not units.is_code(code) or not known_unit(code):
            raise FormError(field, "form.unit_unknown", value=str(code)[:20])
        if not actor.covers(code):
            raise FormError(field, "form.unit_scope", value=code)
        return code

    lead = unit(form.get("lead_unit"), "lead_unit")
    assist = form.get("assist_units") or []
    if not isinstance(assist, list) or len(assist) > ASSIST_MAX:
        raise FormError("assist_units", "form.assist_too_many", max=ASSIST_MAX)
    assist = sorted({unit(code, "assist_units") for code in assist} - {lead})
    department = form.get("department") or None
    if department is not None and department not in departments:
        raise FormError("department", "form.department_unknown", value=str(department)[:20])
    priority = form.get("priority")
    if priority not in PRIORITIES:
        raise FormError("priority", "form.priority_unknown")
    try:
        deadline = dt.date.fromisoformat(str(form.get("deadline") or ""))
    except ValueError:
        raise FormError("deadline", "form.deadline_invalid") from None
    today = local_today(now)
    if not today <= deadline <= today + dt.timedelta(days=366):
        raise FormError("deadline", "form.deadline_range", today=today.isoformat())
    return {"text": text, "lead_unit": lead, "assist_units": assist, "department": department,
            "priority": priority, "deadline": deadline.isoformat()}


def issue(store: Store, actor: Actor, form: dict, context: dict, known_unit: Callable[[str], bool],
          departments: set[str], now: dt.datetime | None = None) -> int:
    """Create an instruction from a view. context: kpi_id, unit_code, period_start, period_end,
    view_url and snapshot (the numbers the leader saw), frozen with it. The view's URL comes from
    the browser and the instruction page links to it, so anything but a page of this site
    (javascript:, another host) refuses the instruction."""
    now = _now(now)
    fields = validate_issue(actor, form, known_unit, departments, now)
    if not is_site_path(context.get("view_url")):
        raise FormError("view_url", "form.view_url_invalid")
    stamp = now_text(now)
    row = {**fields, "assist_units": json.dumps(fields["assist_units"]), "kpi_id": context.get("kpi_id"),
           "unit_code": context["unit_code"], "period_start": context["period_start"],
           "period_end": context["period_end"], "view_url": context["view_url"][:2000],
           "snapshot": chain.canonical(context.get("snapshot") or {}), "state": "pending_ack",
           "issuer": actor.username, "created_at": stamp, "updated_at": stamp}
    with store.writing() as conn:
        iid = conn.execute(instructions.insert().values(**row).returning(instructions.c.id)).scalar_one()
        payload = {k: row[k] for k in ("text", "lead_unit", "deadline", "priority", "department", "kpi_id",
                                       "unit_code", "period_start", "period_end", "view_url")}
        payload.update(assist_units=fields["assist_units"], snapshot=context.get("snapshot") or {})
        chain.append(conn, iid, actor.username, "issue", None, "pending_ack", payload, now)
    return iid


def check_evidence(files: list[tuple[str, bytes]]) -> list[dict]:
    """Size- and content-checked evidence (cockpit.ops.evidence): (file name, content) pairs → their records. Refuses the
    whole set if one file is bad."""
    if len(files) > EVIDENCE_MAX_FILES:
        raise FormError("evidence", "form.evidence_too_many", max=EVIDENCE_MAX_FILES)
    out = []
    for name, content in files:
        ext = Path(name).suffix.lower()
        if len(content) > EVIDENCE_MAX_BYTES:
            raise FormError("evidence", "form.evidence_size", name=name[:60], mb=EVIDENCE_MAX_BYTES // 2**20)
        if not evidence.acceptable(ext, content):
            raise FormError("evidence", "form.evidence_type", name=name[:60])
        base = Path(name).name  # kept as data, at most 120 characters, its type's suffix kept
        out.append({"name": base if len(base) <= 120 else base[:120 - len(ext)] + ext,
                    "sha256": hashlib.sha256(content).hexdigest(),
                    "bytes": len(content), "ext": ext, "content": content})
    return out


def act(store: Store, actor: Actor, instruction_id: int, action: str, text: str = "",
        evidence: list[tuple[str, bytes]] = (), evidence_dir: Path | None = None,
        now: dt.datetime | None = None) -> dict:
    """Take an action; returns the instruction after it. Refused (LoopError/FormError) before
    anything is written. An instruction the actor may not see is reported as not found."""
    now = _now(now)
    text = str(text or "").strip()
    if len(text) > TEXT_MAX:
        raise FormError("text", "form.text_too_long", max=TEXT_MAX)
    files = check_evidence(list(evidence))
    if files and evidence_dir is None:
        raise FormError("evidence", "form.evidence_type", name=files[0]["name"])
    written = []
    try:
        with store.writing() as conn:
            row = _load(conn, instruction_id)
            if row is None or not can_see(actor, row):
                raise LoopError("loop.not_found", id=instruction_id)
            to_state = check(actor, row, action, now, text)
            for f in files:
                path = evidence_dir / f"{f['sha256']}{f['ext']}"
                if not path.exists():
                    evidence_dir.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(f["content"])
                    written.append(path)
            stamp = now_text(now)
            values = {"state": to_state, "updated_at": stamp}
            payload = {"text": text, "evidence": [{k: f[k] for k in ("name", "sha256", "bytes")} for f in files]}
            if action == "submit":
                values["submitted_at"] = stamp
            if action == "accept":
                values["closed_at"] = stamp
            if action == "escalate":
                values["escalated_to"] = payload["escalated_to"] = units.parent_of(row["lead_unit"])
            conn.execute(instructions.update().where(instructions.c.id == instruction_id).values(**values))
            chain.append(conn, instruction_id, actor.username, action, row["state"], to_state, payload, now)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return get(store, actor, instruction_id, now)


def _load(conn, instruction_id) -> dict | None:
    if not isinstance(instruction_id, int) or isinstance(instruction_id, bool):
        return None
    row = conn.execute(sa.select(instructions).where(instructions.c.id == instruction_id)).mappings().first()
    return _with_lists(dict(row)) if row else None


def _with_lists(row: dict) -> dict:
    row["assist_list"] = json.loads(row["assist_units"])
    row["snapshot_data"] = json.loads(row["snapshot"])
    return row


def get(store: Store, actor: Actor, instruction_id: int, now: dt.datetime | None = None) -> dict | None:
    """One instruction with its derived overdue flag, or None when absent or out of sight."""
    with store.reading() as conn:
        row = _load(conn, instruction_id)
    if row is None or not can_see(actor, row):
        return None
    row["overdue"] = is_overdue(row["state"], row["deadline"], _now(now))
    return row


def history(store: Store, actor: Actor, instruction_id: int) -> list[dict]:
    """The log links of one instruction the actor may see, oldest first."""
    if get(store, actor, instruction_id) is None:
        return []
    with store.reading() as conn:
        rows = conn.execute(sa.select(log).where(log.c.instruction_id == instruction_id).order_by(log.c.seq))
        return [{**dict(r), "payload": json.loads(r["payload"])} for r in rows.mappings()]


def visible(store: Store, actor: Actor, now: dt.datetime | None = None) -> list[dict]:
    """Every instruction the actor may see, newest first, with the overdue flag."""
    prefix = actor.prefix
    with store.reading() as conn:
        rows = conn.execute(sa.select(instructions).where(sa.or_(
            instructions.c.issuer == actor.username,
            instructions.c.lead_unit.startswith(prefix),
            instructions.c.escalated_to.startswith(prefix),
            instructions.c.assist_units.contains(f'"{prefix}'),
        )).order_by(instructions.c.id.desc())).mappings()
        out = [_with_lists(dict(r)) for r in rows]
    now = _now(now)
    return [{**r, "overdue": is_overdue(r["state"], r["deadline"], now)} for r in out if can_see(actor, r)]


def evidence_file(store: Store, actor: Actor, sha256: str, evidence_dir: Path) -> tuple[Path, str, dict] | None:
    """The stored evidence file with this hash, its original name and the instruction it belongs
    to, when the actor may see that instruction."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256 or ""):
        return None
    with store.reading() as conn:
        links = conn.execute(sa.select(log.c.instruction_id, log.c.payload)
                             .where(log.c.payload.contains(sha256))).all()
    for iid, payload in links:
        for f in json.loads(payload).get("evidence", []):
            row = get(store, actor, iid) if f["sha256"] == sha256 else None
            if row is not None:
                # stored under its hash and type (a name cut short before its suffix was kept
                # could not say which)
                path = min(evidence_dir.glob(f"{sha256}.*"), default=None)
                return (path, f["name"], row) if path is not None else None
    return None


def _hours(start: str, end: str) -> float:
    parse = lambda s: dt.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ")
    return (parse(end) - parse(start)).total_seconds() / 3600


def loop_kpis(rows: list[dict], unit_prefix: str) -> dict:
    """The loop's KPIs over instructions whose lead unit lies under the prefix: issued, open,
    overdue, closed, on-time completion rate (closed with the accepted completion submitted by
    the deadline, % of closed) and mean closing time in hours (issue → accept)."""
    mine = [r for r in rows if r["lead_unit"].startswith(unit_prefix)]
    closed = [r for r in mine if r["state"] == "closed"]
    on_time = [r for r in closed if local_today(dt.datetime.strptime(r["submitted_at"], "%Y-%m-%dT%H:%M:%S.%fZ")
                                                .replace(tzinfo=dt.UTC)) <= dt.date.fromisoformat(r["deadline"])]
    return {
        "issued": len(mine),
        "open": len(mine) - len(closed),
        "overdue": sum(1 for r in mine if r["overdue"]),
        "closed": len(closed),
        "on_time_rate": 100.0 * len(on_time) / len(closed) if closed else None,
        "avg_close_hours": sum(_hours(r["created_at"], r["closed_at"]) for r in closed) / len(closed) if closed else None,
    }
