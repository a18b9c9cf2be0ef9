"""The tamper-evident log: every change to an instruction is a row whose SHA-256 covers its own
content and the previous row's hash. Verification recomputes the chain, and replays the log to
check that each instruction's stored state is the one its log leads to."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import sqlalchemy as sa

from cockpit.ops.store import instructions, log, now_text

GENESIS = "0" * 64
HASHED = ("seq", "instruction_id", "actor", "at", "action", "from_state", "to_state", "payload", "prev_hash")


def canonical(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def link_hash(row: dict) -> str:
    text = canonical({k: row[k] for k in HASHED})
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def append(conn, instruction_id: int, actor: str, action: str, from_state: str | None, to_state: str,
           payload: dict, now=None) -> dict:
    """Add one link. Call inside Store.writing(), which holds the write lock."""
    last = conn.execute(sa.select(log.c.seq, log.c.hash).order_by(log.c.seq.desc()).limit(1)).first()
    row = {"seq": (last.seq + 1) if last else 1, "instruction_id": instruction_id, "actor": actor,
           "at": now_text(now), "action": action, "from_state": from_state, "to_state": to_state,
           "payload": canonical(payload), "prev_hash": last.hash if last else GENESIS}
    row["hash"] = link_hash(row)
    conn.execute(log.insert().values(**row))
    return row


REASONS = {
    "missing": "link {expected} is missing (next is {found})",
    "pointer": "does not point at the previous link's hash",
    "altered": "its content does not match its hash (row altered)",
    "differs": "instruction {instruction}'s {column} differs from what its log records",
    "no_log": "instruction {instruction} has no log",
}


@dataclass(frozen=True)
class Verdict:
    ok: bool
    links: int
    broken_seq: int | None = None
    reason_key: str = ""  # a key of REASONS (and of the i18n messages log.reason.*)
    reason_args: tuple = ()  # (name, value) pairs

    @property
    def reason(self) -> str:
        return REASONS[self.reason_key].format(**dict(self.reason_args)) if self.reason_key else ""

    def message(self) -> str:
        if self.ok:
            return f"log intact: {self.links} links, every hash and every instruction's state checked"
        return f"log broken at link {self.broken_seq}: {self.reason}"


def verify(conn) -> Verdict:
    """Walk the chain in order; the first link whose hash, predecessor or sequence is wrong is
    reported. Then replay: an instruction whose stored state, lead unit, deadline or text differs
    from what its log says is reported at its last link."""
    previous_hash, expected_seq, last_link = GENESIS, 1, {}
    replay: dict[int, dict] = {}
    count = 0
    for row in conn.execute(sa.select(log).order_by(log.c.seq)).mappings():
        row = dict(row)
        count += 1
        if row["seq"] != expected_seq:
            return Verdict(False, count, expected_seq, "missing", (("expected", expected_seq), ("found", row["seq"])))
        if row["prev_hash"] != previous_hash:
            return Verdict(False, count, row["seq"], "pointer")
        if link_hash(row) != row["hash"]:
            return Verdict(False, count, row["seq"], "altered")
        previous_hash, expected_seq = row["hash"], expected_seq + 1
        last_link[row["instruction_id"]] = row["seq"]
        state = replay.setdefault(row["instruction_id"], {})
        payload = json.loads(row["payload"])
        if row["action"] == "issue":
            state.update({k: payload[k] for k in ("text", "lead_unit", "deadline")})
        if row["action"] == "escalate":
            state["escalated_to"] = payload["escalated_to"]
        state["state"] = row["to_state"]
    columns = ("state", "text", "lead_unit", "deadline", "escalated_to")
    stored = {r.id: r for r in conn.execute(sa.select(instructions.c.id, *[instructions.c[c] for c in columns]))}
    for iid, row in stored.items():
        if iid not in replay:
            return Verdict(False, count, None, "no_log", (("instruction", iid),))
        for column in columns:
            if getattr(row, column) != replay[iid].get(column):
                return Verdict(False, count, last_link[iid], "differs", (("instruction", iid), ("column", column)))
    return Verdict(True, count)
