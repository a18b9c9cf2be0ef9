"""The instruction loop as pure rules: states, actions, who may take them, and what they lead to.

    待签收 pending_ack --acknowledge--> 办理中 in_progress --submit--> 待核验 pending_verify
    pending_verify --accept--> 已办结 closed;  pending_verify --return--> 退回 returned
    returned --progress|submit--> in_progress | pending_verify
    remind (催办) and escalate (升级到上级单位) keep the state; 已超期 (overdue) is derived from
    the deadline, never stored.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cockpit.config import city_zone
from cockpit.units import parent_of, prefix_of, within

STATES = ("pending_ack", "in_progress", "pending_verify", "returned", "closed")
PRIORITIES = ("urgent", "expedited", "normal")  # 特急 / 加急 / 平急
ROLES = ("city_leader", "district_leader", "handler", "cdo", "staff", "admin")
ISSUING_ROLES = ("city_leader", "district_leader")

# action -> (states it may start from, state it leads to or None to keep, who may take it)
ACTIONS = {
    "acknowledge": (("pending_ack",), "in_progress", "handler"),
    "progress": (("in_progress", "returned"), "in_progress", "handler"),
    "submit": (("in_progress", "returned"), "pending_verify", "handler"),
    "accept": (("pending_verify",), "closed", "issuer"),
    "return": (("pending_verify",), "returned", "issuer"),
    "remind": (("pending_ack", "in_progress", "returned"), None, "issuer"),
    "escalate": (("pending_ack", "in_progress", "returned"), None, "issuer"),
}
TEXT_REQUIRED = ("progress", "submit", "return")


class LoopError(ValueError):
    """A refused action; `key` is an i18n message key, `args` its arguments."""

    def __init__(self, key: str, **args):
        super().__init__(key)
        self.key, self.params = key, args


@dataclass(frozen=True)
class Actor:
    username: str
    role: str
    unit_code: str

    @property
    def prefix(self) -> str:
        return prefix_of(self.unit_code)

    def covers(self, unit_code: str | None) -> bool:
        return bool(unit_code) and within(unit_code, self.prefix)


def local_today(now: dt.datetime) -> dt.date:
    return now.astimezone(city_zone()).date()


def is_overdue(state: str, deadline: str, now: dt.datetime) -> bool:
    """Open past the end of its deadline day (the city's time)."""
    return state != "closed" and local_today(now) > dt.date.fromisoformat(deadline)


def can_see(actor: Actor, row: dict) -> bool:
    units = [row["lead_unit"], row.get("escalated_to"), *row.get("assist_list", [])]
    return row["issuer"] == actor.username or any(actor.covers(u) for u in units)


def is_handler(actor: Actor, row: dict) -> bool:
    return actor.role == "handler" and (actor.covers(row["lead_unit"]) or actor.covers(row.get("escalated_to")))


def allowed_actions(actor: Actor, row: dict, now: dt.datetime) -> list[str]:
    """The actions this actor may take on this instruction now (for the buttons)."""
    out = []
    for action in ACTIONS:
        try:
            check(actor, row, action, now)
        except LoopError:
            continue
        out.append(action)
    return out


def check(actor: Actor, row: dict, action: str, now: dt.datetime, text: str | None = None) -> str:
    """The state the action leads to, or LoopError saying why it is refused. Without `text`
    (None) the note is not judged: whether the action is open at all."""
    if action not in ACTIONS:
        raise LoopError("loop.unknown_action", action=action)
    starts, to_state, who = ACTIONS[action]
    if who == "issuer" and row["issuer"] != actor.username:
        raise LoopError("loop.only_issuer", action=action)
    if who == "handler" and not is_handler(actor, row):
        raise LoopError("loop.only_handler", action=action)
    if row["state"] not in starts:
        raise LoopError("loop.bad_state", action=action, state=row["state"])
    if action == "escalate":
        if not is_overdue(row["state"], row["deadline"], now):
            raise LoopError("loop.not_overdue")
        if row.get("escalated_to") or parent_of(row["lead_unit"]) is None:
            raise LoopError("loop.cannot_escalate")
    if action in TEXT_REQUIRED and text is not None and not text.strip():
        raise LoopError("loop.text_required", action=action)
    return to_state or row["state"]
