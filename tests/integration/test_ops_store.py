"""The operational store on SQLite and PostgreSQL: the whole loop, refusals that change nothing,
scope, form and evidence checks, the hash chain under tampering, and two processes writing at
once."""
from __future__ import annotations

import datetime as dt
import multiprocessing

import pytest
import sqlalchemy as sa

from cockpit.i18n import t
from cockpit.ops import chain, instructions
from cockpit.ops.instructions import FormError, loop_kpis
from cockpit.ops.loop import Actor, LoopError
from cockpit.ops.store import SCHEMA_VERSION, Store, log
from tests.conftest import image_bytes, pdf_bytes
from cockpit.ops.store import instructions as instructions_table

UTC = dt.UTC
T0 = dt.datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
LEADER = Actor("pudong", "district_leader", "310115")
HANDLER = Actor("pudong_street", "handler", "310115004")
OTHER_HANDLER = Actor("huangpu_street", "handler", "310101002")
OTHER_LEADER = Actor("huangpu", "district_leader", "310101")
KNOWN = {"310115", "310115004", "310115005", "310101", "310101002"}
CONTEXT = {"kpi_id": "online_rate", "unit_code": "310115", "period_start": "2026-11-01", "period_end": "2026-11-22",
           "view_url": "/services?unit=310115", "snapshot": {"value": 71.0, "change": -1.1}}
PNG = image_bytes()


def form(**changes) -> dict:
    return {"text": "核查网办率下降原因", "lead_unit": "310115004", "priority": "urgent", "deadline": "2026-11-30",
            **changes}


def issue(store, now=T0, **changes) -> int:
    return instructions.issue(store, LEADER, form(**changes), CONTEXT, KNOWN.__contains__, {"D01"}, now)


def at(hours: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=hours)


def snapshot_of(store) -> tuple:
    with store.reading() as conn:
        return (conn.execute(sa.select(instructions_table).order_by(instructions_table.c.id)).all(),
                conn.execute(sa.select(log).order_by(log.c.seq)).all())


@pytest.fixture
def store(ops_url):
    store = Store(ops_url)
    yield store
    store.dispose()


def test_the_whole_loop_with_a_return(store, tmp_path):
    iid = issue(store)
    steps = [(HANDLER, "acknowledge", ""), (HANDLER, "progress", "已派人核查"), (HANDLER, "submit", "已整改"),
             (LEADER, "return", "证据不足"), (HANDLER, "submit", "补充照片"), (LEADER, "accept", "")]
    states = []
    for i, (who, action, text) in enumerate(steps, start=1):
        evidence = [("现场.png", PNG)] if text == "补充照片" else []
        row = instructions.act(store, who, iid, action, text, evidence, tmp_path / "evidence", now=at(i))
        states.append(row["state"])
    assert states == ["in_progress", "in_progress", "pending_verify", "returned", "pending_verify", "closed"]
    history = instructions.history(store, LEADER, iid)
    assert [h["action"] for h in history] == ["issue"] + [s[1] for s in steps]
    assert history[5]["payload"]["evidence"][0]["bytes"] == len(PNG)
    assert (tmp_path / "evidence" / f"{history[5]['payload']['evidence'][0]['sha256']}.png").read_bytes() == PNG
    assert history[0]["payload"]["snapshot"] == CONTEXT["snapshot"]
    with store.reading() as conn:
        assert chain.verify(conn).ok


def test_refused_actions_and_forms_change_nothing(store, tmp_path):
    iid = issue(store)
    before = snapshot_of(store)
    refusals = [
        (lambda: instructions.act(store, LEADER, iid, "acknowledge", now=at(1)), "loop.only_handler"),
        (lambda: instructions.act(store, HANDLER, iid, "accept", now=at(1)), "loop.only_issuer"),
        (lambda: instructions.act(store, HANDLER, iid, "submit", "完成", now=at(1)), "loop.bad_state"),
        (lambda: instructions.act(store, OTHER_HANDLER, iid, "acknowledge", now=at(1)), "loop.not_found"),
        (lambda: instructions.act(store, HANDLER, 99999, "acknowledge", now=at(1)), "loop.not_found"),
        (lambda: instructions.act(store, HANDLER, iid, "drop_table", now=at(1)), "loop.unknown_action"),
        (lambda: instructions.act(store, LEADER, iid, "escalate", now=at(1)), "loop.not_overdue"),
    ]
    for attempt, key in refusals:
        with pytest.raises(LoopError) as refused:
            attempt()
        assert refused.value.key == key
    bad_forms = [({"text": "  "}, "text"), ({"lead_unit": "310101002"}, "lead_unit"), ({"lead_unit": "319999"}, "lead_unit"),
                 ({"lead_unit": "310115004'; --"}, "lead_unit"), ({"priority": "whenever"}, "priority"),
                 ({"deadline": "2026-13-01"}, "deadline"), ({"deadline": "2026-11-01"}, "deadline"),
                 ({"department": "D99"}, "department"), ({"assist_units": ["310101002"]}, "assist_units"),
                 ({"text": "长" * 2001}, "text")]
    for changes, field in bad_forms:
        with pytest.raises(FormError) as refused:
            issue(store, **changes)
        assert refused.value.field == field
    with pytest.raises(LoopError):
        instructions.issue(store, HANDLER, form(), CONTEXT, KNOWN.__contains__, set(), T0)
    instructions.act(store, HANDLER, iid, "acknowledge", now=at(1))
    middle = snapshot_of(store)
    for name, content in (("x.png", b"GIF89a..."), ("x.exe", PNG), ("big.pdf", b"%PDF-" + b"0" * (5 * 2**20))):
        with pytest.raises(FormError):
            instructions.act(store, HANDLER, iid, "progress", "附件", [(name, content)], tmp_path / "ev", now=at(2))
    assert not (tmp_path / "ev").exists()
    assert snapshot_of(store) == middle
    assert len(before[1]) == 1 and len(middle[1]) == 2


def test_evidence_is_read_whole_not_judged_by_its_first_bytes():
    """Complete PNG, JPEG and PDF files pass; a file that only starts like one, is cut short,
    carries bytes after its end, is of another type than its name says, unpacks to a
    decompression bomb, or is a PDF that is encrypted or runs script is refused with the
    type message."""
    from cockpit.ops.evidence import PIXELS_MAX

    png, jpeg, pdf = image_bytes("PNG"), image_bytes("JPEG"), pdf_bytes()
    accepted = instructions.check_evidence([("a.png", png), ("b.JPG", jpeg), ("c.jpeg", jpeg), ("d.pdf", pdf)])
    assert [f["ext"] for f in accepted] == [".png", ".jpg", ".jpeg", ".pdf"]
    html = b"<html><script>alert(1)</script></html>"
    bomb = image_bytes("PNG", (PIXELS_MAX // 5000 + 1, 5000), "1")
    assert len(bomb) < instructions.EVIDENCE_MAX_BYTES
    refused = {"header before HTML": ("x.png", png[:8] + html), "cut short": ("x.png", png[:-20]),
               "HTML after the image": ("x.png", png + html), "JPEG named .png": ("x.png", jpeg),
               "cut JPEG": ("x.jpg", jpeg[: len(jpeg) // 2] + b"\xff\xd9"), "PNG named .pdf": ("x.pdf", png),
               "bomb": ("x.png", bomb), "PDF with script": ("x.pdf", pdf_bytes(script=True)),
               "encrypted PDF": ("x.pdf", pdf_bytes(password="pw")), "PDF cut short": ("x.pdf", pdf[: len(pdf) // 2]),
               "PDF header only": ("x.pdf", b"%PDF-1.4\n% evidence\n")}
    for why, (name, content) in refused.items():
        with pytest.raises(FormError) as error:
            instructions.check_evidence([("ok.png", png), (name, content)])
        assert error.value.key == "form.evidence_type", why


@pytest.mark.parametrize("view_url", ["javascript:alert(1)", "JavaScript:alert(1)", "//evil.example/x",
                                      "https://evil.example/", "/\\evil", "/\\/evil.example", "/\t/evil.example",
                                      "/\n/evil.example", "operations?unit=310101", "", None])
def test_an_instruction_links_only_to_a_page_of_this_site(store, view_url):
    """The view's URL comes with the callback's payload and the instruction page links to it:
    anything but a path of this site refuses the instruction, with a message, writing nothing."""
    before = snapshot_of(store)
    with pytest.raises(FormError) as refused:
        instructions.issue(store, LEADER, form(), {**CONTEXT, "view_url": view_url}, KNOWN.__contains__, {"D01"}, T0)
    assert (refused.value.field, refused.value.key) == ("view_url", "form.view_url_invalid")
    assert t(refused.value.key, "zh") and t(refused.value.key, "en")  # (t raises for a key it lacks)
    assert snapshot_of(store) == before
    good = instructions.issue(store, LEADER, form(), {**CONTEXT, "view_url": "/operations?unit=310101"},
                              KNOWN.__contains__, {"D01"}, T0)
    assert instructions.get(store, LEADER, good, T0)["view_url"] == "/operations?unit=310101"


def test_the_instruction_page_links_a_stored_foreign_url_to_the_overview(store):
    """A row stored before issue() checked its URL is linked to "/", not to where it points."""
    from cockpit.components.instructions import _snapshot_block

    iid = issue(store)
    with store.writing() as conn:
        conn.execute(instructions_table.update().where(instructions_table.c.id == iid).values(view_url="/\\evil.example"))
    links = [c.href for c in _snapshot_block(instructions.get(store, LEADER, iid, T0), "zh").children
             if hasattr(c, "href")]
    assert links == ["/"]


def test_scope_hides_other_units_instructions(store):
    iid = issue(store)
    assert instructions.get(store, OTHER_HANDLER, iid) is None
    assert instructions.get(store, OTHER_LEADER, iid) is None
    assert instructions.visible(store, OTHER_HANDLER) == [] and instructions.visible(store, OTHER_LEADER) == []
    assert instructions.history(store, OTHER_HANDLER, iid) == []
    assert [r["id"] for r in instructions.visible(store, HANDLER)] == [iid]
    assert [r["id"] for r in instructions.visible(store, Actor("pudong_hd", "handler", "310115"))] == [iid]
    assert [r["id"] for r in instructions.visible(store, Actor("leader", "city_leader", "310000"))] == [iid]
    # An assisting unit sees it but cannot acknowledge it.
    other = issue(store, assist_units=["310115005"])
    helper = Actor("h5", "handler", "310115005")
    assert [r["id"] for r in instructions.visible(store, helper)] == [other]
    with pytest.raises(LoopError):
        instructions.act(store, helper, other, "acknowledge", now=at(1))


def test_overdue_escalation_reaches_the_parent_unit(store):
    iid = issue(store, deadline="2026-11-24")
    late = dt.datetime(2026, 11, 24, 16, 0, tzinfo=UTC)  # 00:00 on the 25th in Shanghai
    assert not instructions.get(store, LEADER, iid, now=late - dt.timedelta(minutes=1))["overdue"]
    assert instructions.get(store, LEADER, iid, now=late)["overdue"]
    instructions.act(store, LEADER, iid, "remind", now=late)
    row = instructions.act(store, LEADER, iid, "escalate", now=late)
    assert row["escalated_to"] == "310115" and row["state"] == "pending_ack"
    row = instructions.act(store, Actor("pudong_hd", "handler", "310115"), iid, "acknowledge", now=late)
    assert row["state"] == "in_progress"


def test_tampering_is_found_at_the_altered_link(store):
    first = issue(store)
    instructions.act(store, HANDLER, first, "acknowledge", now=at(1))
    issue(store)
    with store.reading() as conn:
        assert chain.verify(conn) == chain.Verdict(True, 3)
    with store.engine.begin() as conn:  # someone edits the log's second link
        conn.execute(log.update().where(log.c.seq == 2).values(actor="someone_else"))
    with store.reading() as conn:
        verdict = chain.verify(conn)
    assert (verdict.ok, verdict.broken_seq) == (False, 2)
    with store.engine.begin() as conn:  # put it back; now change an instruction's state instead
        conn.execute(log.update().where(log.c.seq == 2).values(actor=HANDLER.username))
        conn.execute(instructions_table.update().where(instructions_table.c.id == first).values(state="closed"))
    with store.reading() as conn:
        verdict = chain.verify(conn)
    assert (verdict.ok, verdict.broken_seq) == (False, 2) and "state" in verdict.reason
    with store.engine.begin() as conn:
        conn.execute(instructions_table.update().where(instructions_table.c.id == first).values(state="in_progress"))
        conn.execute(log.delete().where(log.c.seq == 2))
    with store.reading() as conn:
        verdict = chain.verify(conn)
    assert (verdict.ok, verdict.broken_seq) == (False, 2) and "missing" in verdict.reason


def _writer(url: str, n: int, queue) -> None:
    store = Store(url)
    ids = []
    for i in range(n):
        iid = issue(store)
        instructions.act(store, HANDLER, iid, "acknowledge")
        ids.append(iid)
    store.dispose()
    queue.put(ids)


def test_two_processes_writing_at_once_lose_nothing(store, ops_url):
    n = 15
    spawn = multiprocessing.get_context("spawn")
    queue = spawn.Queue()
    workers = [spawn.Process(target=_writer, args=(ops_url, n, queue)) for _ in range(2)]
    for w in workers:
        w.start()
    ids = queue.get(timeout=120) + queue.get(timeout=120)
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    assert len(set(ids)) == 2 * n
    rows, links = snapshot_of(store)
    assert len(rows) == 2 * n and {r.state for r in rows} == {"in_progress"}
    assert [link.seq for link in links] == list(range(1, 4 * n + 1))
    with store.reading() as conn:
        assert chain.verify(conn).ok


def test_loop_kpis_against_a_hand_count(store):
    on_time = issue(store, deadline="2026-11-25")
    late = issue(store, deadline="2026-11-23")
    still_open = issue(store, deadline="2026-11-23", lead_unit="310115005")
    for iid, submit_hours in ((on_time, 30), (late, 40)):
        instructions.act(store, HANDLER, iid, "acknowledge", now=at(1))
        instructions.act(store, HANDLER, iid, "submit", "完成", now=at(submit_hours))
        instructions.act(store, LEADER, iid, "accept", now=at(submit_hours + 2))
    now = at(48)  # 2026-11-25 10:00 Shanghai: the third is overdue
    rows = instructions.visible(store, LEADER, now)
    district = loop_kpis(rows, "310115")
    # Closed: on_time submitted 11-24 16:00 (deadline 11-25) on time; late submitted 11-25 02:00
    # Shanghai (deadline 11-23) late. Closing hours 32 and 42.
    assert district == {"issued": 3, "open": 1, "overdue": 1, "closed": 2, "on_time_rate": 50.0,
                        "avg_close_hours": pytest.approx(37.0)}
    assert loop_kpis(rows, "310115005") == {"issued": 1, "open": 1, "overdue": 1, "closed": 0,
                                            "on_time_rate": None, "avg_close_hours": None}
    assert still_open


def test_opening_twice_keeps_the_schema_and_data(store, ops_url):
    iid = issue(store)
    again = Store(ops_url)
    assert instructions.get(again, LEADER, iid)["text"] == form()["text"]
    with again.reading() as conn:
        assert conn.execute(sa.text("SELECT version FROM schema_info")).scalar_one() == SCHEMA_VERSION
    again.dispose()


def test_verify_log_command_names_the_broken_link(tmp_path):
    import os
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'ops.sqlite'}"
    store = Store(url)
    iid = issue(store)
    instructions.act(store, HANDLER, iid, "acknowledge", now=at(1))
    env = {**os.environ, "COCKPIT_OPS_URL": url, "COCKPIT_DATA_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "cockpit", "verify-log"]
    intact = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert intact.returncode == 0 and "2 links" in intact.stdout
    with store.engine.begin() as conn:
        conn.execute(log.update().where(log.c.seq == 1).values(payload='{"text":"改过"}'))
    broken = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert broken.returncode == 1 and "broken at link 1" in broken.stderr
    store.dispose()


def test_every_wrong_login_costs_one_password_hash(store, monkeypatch):
    """An unknown name, a disabled account and a wrong password each check one scrypt hash, so
    a login's time does not tell which names exist (the hash library counted, not replaced)."""
    from werkzeug.security import check_password_hash

    from cockpit.ops import users

    users.create_user(store, "known", "Known", "staff", "310000", "right-password")
    users.create_user(store, "gone", "Gone", "staff", "310000", "right-password")
    users.disable_user(store, "gone")
    checked = []
    monkeypatch.setattr(users, "check_password_hash", lambda h, p: checked.append(h) or check_password_hash(h, p))
    assert users.authenticate(store, "nobody", "right-password") is None
    assert users.authenticate(store, "gone", "right-password") is None
    assert users.authenticate(store, "known", "wrong-password") is None
    assert users.authenticate(store, "known", "right-password")["username"] == "known"
    assert len(checked) == 4 and all(h.startswith("scrypt:") for h in checked)


def test_evidence_with_a_long_name_is_kept_and_served(store, tmp_path):
    """A PNG named with 118 characters and `.png`: its name is kept short with its suffix, and
    the file is found again (before, the cut name lost `.png` and its link answered 404)."""
    iid = issue(store)
    instructions.act(store, HANDLER, iid, "acknowledge", "", now=at(1))
    name = "现" * 118 + ".png"
    row = instructions.act(store, HANDLER, iid, "submit", "照片", [(name, PNG)], tmp_path / "evidence", now=at(2))
    stored = instructions.history(store, LEADER, iid)[-1]["payload"]["evidence"][0]
    assert len(stored["name"]) == 120 and stored["name"].endswith(".png") and row["state"] == "pending_verify"
    found = instructions.evidence_file(store, LEADER, stored["sha256"], tmp_path / "evidence")
    assert found is not None and found[0].read_bytes() == PNG and found[1] == stored["name"]
