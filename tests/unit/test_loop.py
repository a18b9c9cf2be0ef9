"""The instruction loop's rules, pure: every action from every state, by the right and wrong
people, overdue by the Shanghai calendar, and escalation."""
from __future__ import annotations

import datetime as dt

import pytest

from cockpit.ops.loop import (
    STATES,
    Actor,
    LoopError,
    allowed_actions,
    check,
    is_overdue,
)

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
ISSUER = Actor("pudong", "district_leader", "310115")
HANDLER = Actor("pudong_street", "handler", "310115004")
DISTRICT_HANDLER = Actor("pudong_hd", "handler", "310115")
OTHER_HANDLER = Actor("huangpu_street", "handler", "310101002")
OTHER_LEADER = Actor("huangpu", "district_leader", "310101")

# The loop as the issue states it, written out by hand: (state, action) -> next state.
TRANSITIONS = {
    ("pending_ack", "acknowledge"): "in_progress",
    ("in_progress", "progress"): "in_progress",
    ("in_progress", "submit"): "pending_verify",
    ("returned", "progress"): "in_progress",
    ("returned", "submit"): "pending_verify",
    ("pending_verify", "accept"): "closed",
    ("pending_verify", "return"): "returned",
    ("pending_ack", "remind"): "pending_ack",
    ("in_progress", "remind"): "in_progress",
    ("returned", "remind"): "returned",
}
BY = {"acknowledge": HANDLER, "progress": HANDLER, "submit": HANDLER, "accept": ISSUER, "return": ISSUER,
      "remind": ISSUER, "escalate": ISSUER}


def row(state: str, deadline: str = "2026-11-30", **extra) -> dict:
    return {"state": state, "deadline": deadline, "issuer": "pudong", "lead_unit": "310115004",
            "escalated_to": None, "assist_list": [], **extra}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", list(BY))
def test_every_action_from_every_state(state, action):
    expected = TRANSITIONS.get((state, action))
    if expected is None:
        with pytest.raises(LoopError):
            check(BY[action], row(state), action, NOW, "说明")
    else:
        assert check(BY[action], row(state), action, NOW, "说明") == expected


@pytest.mark.parametrize(("actor", "action", "state"), [
    (ISSUER, "acknowledge", "pending_ack"), (HANDLER, "accept", "pending_verify"), (HANDLER, "return", "pending_verify"),
    (OTHER_HANDLER, "acknowledge", "pending_ack"), (OTHER_LEADER, "accept", "pending_verify"),
    (HANDLER, "remind", "in_progress"), (Actor("cdo", "cdo", "310000"), "acknowledge", "pending_ack"),
])
def test_the_wrong_person_is_refused(actor, action, state):
    with pytest.raises(LoopError) as refused:
        check(actor, row(state), action, NOW, "说明")
    assert refused.value.key in ("loop.only_issuer", "loop.only_handler")


def test_a_district_handler_handles_its_streets_and_notes_are_required():
    assert check(DISTRICT_HANDLER, row("pending_ack"), "acknowledge", NOW) == "in_progress"
    for action, state in (("progress", "in_progress"), ("submit", "in_progress"), ("return", "pending_verify")):
        with pytest.raises(LoopError) as refused:
            check(BY[action], row(state), action, NOW, "  ")
        assert refused.value.key == "loop.text_required"
    assert check(ISSUER, row("pending_verify"), "accept", NOW, "") == "closed"


def test_overdue_follows_the_shanghai_calendar():
    last_minute = dt.datetime(2026, 11, 30, 15, 59, tzinfo=UTC)  # 23:59 on the 30th in Shanghai
    assert not is_overdue("in_progress", "2026-11-30", last_minute)
    assert is_overdue("in_progress", "2026-11-30", last_minute + dt.timedelta(minutes=1))
    assert not is_overdue("closed", "2026-11-01", last_minute)


def test_escalation_only_when_overdue_and_once():
    late = dt.datetime(2026, 12, 2, tzinfo=UTC)
    with pytest.raises(LoopError) as refused:
        check(ISSUER, row("in_progress"), "escalate", NOW)
    assert refused.value.key == "loop.not_overdue"
    assert check(ISSUER, row("in_progress"), "escalate", late) == "in_progress"
    with pytest.raises(LoopError):
        check(ISSUER, row("in_progress", escalated_to="310115"), "escalate", late)
    assert "escalate" in allowed_actions(ISSUER, row("in_progress"), late)
    assert "escalate" not in allowed_actions(ISSUER, row("in_progress"), NOW)
    # After escalation the parent unit's handlers may act.
    assert check(DISTRICT_HANDLER, row("pending_ack", lead_unit="310101002001", escalated_to="310115"),
                 "acknowledge", late) == "in_progress"

