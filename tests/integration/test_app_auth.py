"""The app's doors, through Flask's test client on real marts and a real store: everything needs
a login, a user's scope bounds what they see, a crafted callback request cannot act on
another unit's instruction, and the accounts of a deployment of its own are made with
`python -m cockpit user` (a disabled one can neither log in nor keep its session)."""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlencode

from cockpit import runtime

from cockpit.ops import instructions
from cockpit.ops.loop import Actor
from cockpit.ops.users import DEMO_PASSWORD, get_user
from tests.conftest import pdf_bytes


def client_as(app, username: str | None):
    client = app.server.test_client()
    if username:
        resp = client.post("/login", data={"username": username, "password": DEMO_PASSWORD, "next": "/"})
        assert resp.status_code == 302, resp.data
    return client


def test_everything_needs_a_login(app):
    anonymous = client_as(app, None)
    assert anonymous.get("/services").status_code == 302
    assert anonymous.get("/services").headers["Location"].startswith("/login?next=/services")
    assert anonymous.get("/api/overview").status_code == 401
    assert anonymous.post("/_dash-update-component", json={}).status_code == 401
    assert anonymous.get("/health").status_code == 200
    wrong = anonymous.post("/login", data={"username": "leader", "password": "guess"})
    assert wrong.status_code == 401 and "用户名或密码错误".encode() in wrong.data
    # Redirects after login stay on this site.
    resp = anonymous.post("/login", data={"username": "leader", "password": DEMO_PASSWORD, "next": "//evil.example/x"})
    assert resp.headers["Location"] == "/"
    assert get_user(_store(), "leader")["password_hash"] != DEMO_PASSWORD  # hashed, not stored


def _store():
    from cockpit import runtime

    return runtime.store()


def test_a_district_leader_sees_only_their_district(app):
    pudong = client_as(app, "pudong")
    own = pudong.get("/api/overview").get_json()
    assert own["messages"] == []
    outside = pudong.get("/api/overview?unit=310101").get_json()
    assert any("310101" in m for m in outside["messages"])  # refused with a message, own district shown
    assert outside["tiles"] == own["tiles"]
    city = client_as(app, "leader").get("/api/overview").get_json()
    assert city["tiles"] != own["tiles"]


def _act_request(iid, action: str) -> dict:
    """The request Dash sends when an action button on the instruction page is clicked."""
    button = {"action": action, "type": "instr-act"}
    return {
        "output": "..instr-detail.children...instr-message.children..",
        "outputs": [{"id": "instr-detail", "property": "children"}, {"id": "instr-message", "property": "children"}],
        "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
        "changedPropIds": [json.dumps(button, separators=(",", ":")) + ".n_clicks"],
        "state": [{"id": "instr-id", "property": "data", "value": iid},
                  {"id": "instr-note", "property": "value", "value": "crafted"},
                  {"id": "instr-upload", "property": "contents", "value": None},
                  {"id": "instr-upload", "property": "filename", "value": None},
                  {"id": "instr-lang", "property": "data", "value": "zh"}],
    }


def test_a_crafted_callback_cannot_act_on_another_units_instruction(app, tiny):
    from cockpit import runtime

    store = runtime.store()
    street = get_user(store, "pudong_street")["unit_code"]
    context = {"kpi_id": None, "unit_code": "310115", "period_start": "2026-11-01", "period_end": "2026-11-21",
               "view_url": "/", "snapshot": {}}
    iid = instructions.issue(store, Actor("pudong", "district_leader", "310115"),
                             {"text": "测试", "lead_unit": street, "priority": "normal",
                              "deadline": (dt.date.today() + dt.timedelta(days=30)).isoformat()},
                             context, lambda code: True, set())
    outsider = client_as(app, "huangpu_street")
    resp = outsider.post("/_dash-update-component", json=_act_request(iid, "acknowledge"))
    assert resp.status_code == 200
    body = json.dumps(resp.get_json(), ensure_ascii=False)
    assert f"指令 #{iid} 不存在或不在您的范围内" in body
    assert instructions.get(store, Actor("pudong", "district_leader", "310115"), iid)["state"] == "pending_ack"
    # The same request from the lead street's handler goes through.
    resp = client_as(app, "pudong_street").post("/_dash-update-component", json=_act_request(iid, "acknowledge"))
    assert "已签收" in json.dumps(resp.get_json(), ensure_ascii=False)
    assert instructions.get(store, Actor("pudong", "district_leader", "310115"), iid)["state"] == "in_progress"


def test_evidence_is_served_only_to_those_who_see_its_instruction(app):
    from cockpit import runtime

    store = runtime.store()
    leader = Actor("pudong", "district_leader", "310115")
    street = get_user(store, "pudong_street")
    context = {"kpi_id": None, "unit_code": "310115", "period_start": "2026-11-01", "period_end": "2026-11-21",
               "view_url": "/", "snapshot": {}}
    iid = instructions.issue(store, leader, {"text": "附件测试", "lead_unit": street["unit_code"], "priority": "normal",
                                             "deadline": (dt.date.today() + dt.timedelta(days=3)).isoformat()},
                             context, lambda code: True, set())
    handler = Actor("pudong_street", "handler", street["unit_code"])
    instructions.act(store, handler, iid, "acknowledge")
    pdf = pdf_bytes()
    row = instructions.act(store, handler, iid, "progress", "现场照片", [("现场.pdf", pdf)],
                           runtime.settings().data_dir / "evidence")
    sha = instructions.history(store, leader, row["id"])[-1]["payload"]["evidence"][0]["sha256"]
    assert client_as(app, "pudong").get(f"/evidence/{sha}").data == pdf
    from cockpit.ops import access

    noted = access.recent(store, 1)[0]
    assert (noted["username"], noted["action"], noted["unit_code"], noted["what"]) == \
        ("pudong", "evidence", street["unit_code"], f"#{iid} 现场.pdf")
    assert client_as(app, "huangpu_street").get(f"/evidence/{sha}").status_code == 404
    assert client_as(app, "pudong").get("/evidence/" + "0" * 64).status_code == 404
    assert client_as(app, "pudong").get("/evidence/secret_key").status_code == 404
    assert client_as(app, None).get(f"/evidence/{sha}").status_code == 401


# -- accounts of a deployment of its own (python -m cockpit user ...): no demo users there

USER_ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cockpit", "user", *args], cwd=USER_ROOT, capture_output=True, text=True,
                          env={**os.environ, **env})


def test_add_list_disable(app):
    env = {"COCKPIT_OPS_URL": runtime.settings().ops_url, "COCKPIT_DATA_DIR": str(runtime.settings().data_dir),
           "NEW_PW": "a-long-password"}
    added = cli("add", "mayor", "--role", "district_leader", "--unit", "310115", "--display-name", "区长",
                "--password-env", "NEW_PW", env=env)
    assert added.returncode == 0, added.stderr
    assert "mayor\t区长\tdistrict_leader\t310115" in cli("list", env=env).stdout
    for bad, message in [(("add", "mayor", "--role", "staff", "--password-env", "NEW_PW"), "exists already"),
                         (("add", "x1", "--role", "king", "--password-env", "NEW_PW"), "role must be one of"),
                         (("add", "x2", "--role", "staff", "--unit", "99", "--password-env", "NEW_PW"), "unit code"),
                         (("add", "x3", "--role", "staff", "--password-env", "NO_SUCH_VAR"), "no such environment"),
                         (("disable", "nobody"), "no user")]:
        result = cli(*bad, env=env)
        assert result.returncode == 2 and message in result.stderr, (bad, result.stderr)

    client = app.server.test_client()
    assert client.post("/login", data={"username": "mayor", "password": "a-long-password"}).status_code == 302
    assert client.get("/api/cards").status_code == 200
    assert cli("disable", "mayor", env=env).returncode == 0
    assert client.get("/api/cards").status_code == 401  # the session it held has ended
    other = app.server.test_client()
    other.post("/login", data={"username": "mayor", "password": "a-long-password"})
    assert other.get("/api/cards").status_code == 401
    assert "mayor\t区长\tdistrict_leader\t310115\tdisabled" in cli("list", env=env).stdout


def test_a_password_change_ends_every_session_of_the_account(app):
    """`user password` sets a new password (and enables a disabled account): the sessions the
    account held end, the old password no longer logs in, the new one does."""
    env = {"COCKPIT_OPS_URL": runtime.settings().ops_url, "COCKPIT_DATA_DIR": str(runtime.settings().data_dir),
           "NEW_PW": "a-new-long-password", "SHORT_PW": "short"}
    held = client_as(app, "staff")
    assert held.get("/api/cards").status_code == 200
    for bad, message in [(("password", "nobody", "--password-env", "NEW_PW"), "no user"),
                         (("password", "staff", "--password-env", "SHORT_PW"), "at least 8"),
                         (("password", "staff", "--password-env", "NO_SUCH_VAR"), "no such environment")]:
        result = cli(*bad, env=env)
        assert result.returncode == 2 and message in result.stderr, (bad, result.stderr)
    assert held.get("/api/cards").status_code == 200  # a refused change ends nothing
    changed = cli("password", "staff", "--password-env", "NEW_PW", env=env)
    assert changed.returncode == 0, changed.stderr
    assert held.get("/api/cards").status_code == 401
    fresh = app.server.test_client()
    assert fresh.post("/login", data={"username": "staff", "password": DEMO_PASSWORD}).status_code == 401
    assert fresh.post("/login", data={"username": "staff", "password": "a-new-long-password"}).status_code == 302
    assert fresh.get("/api/cards").status_code == 200
    from cockpit.ops.users import set_password

    set_password(runtime.store(), "staff", DEMO_PASSWORD)  # as the other tests of this app expect


def test_a_request_body_past_the_limit_is_refused_unread(app):
    """A logged-in user's oversized callback body is answered 413 before it is parsed; one
    carrying the largest evidence allowed (base64) still fits."""
    from cockpit.web import REQUEST_MAX_BYTES

    client = client_as(app, "leader")
    assert REQUEST_MAX_BYTES > instructions.EVIDENCE_MAX_BYTES * 4 / 3 + 100_000
    big = client.post("/_dash-update-component", data=b"{" + b" " * REQUEST_MAX_BYTES + b"}",
                      content_type="application/json")
    assert big.status_code == 413
    small = client.post("/_dash-update-component", data=b"{}", content_type="application/json")
    assert small.status_code != 413


def test_failed_logins_pause_the_name_with_a_message_and_retry_after(app):
    """Five failed logins for one name pause it (429, Retry-After, a message on the login page),
    even with the right password next; other names go on. Successful logins are not counted."""
    from cockpit.auth import FAILED_LOGINS
    from cockpit.ops.users import create_user

    # an account of its own (a paused name stays paused for the other tests of this app)
    create_user(runtime.store(), "guessed", "Guessed", "staff", "310000", "the-right-one")
    client = client_as(app, None)
    for _ in range(3):  # logging in and out again costs nothing
        assert client_as(app, "staff") is not None
    tries = int(FAILED_LOGINS["per_name"].split()[0])
    answers = [client.post("/login", data={"username": "guessed", "password": f"guess{i}"})
               for i in range(tries + 1)]
    assert [a.status_code for a in answers] == [401] * tries + [429]
    paused = answers[-1]
    assert 0 < int(paused.headers["Retry-After"]) <= 15 * 60
    assert "Too many failed logins" in paused.get_data(as_text=True)
    right = client.post("/login", data={"username": "guessed", "password": "the-right-one"})
    assert right.status_code == 429  # the pause holds for the right password too
    assert client.post("/login", data={"username": "nobody_two", "password": "guess"}).status_code == 401


def test_a_session_ends_on_logout_after_idling_and_at_its_longest(app):
    """Logout (POST) ends the session: a copy of its cookie taken before reads nothing after. A
    plain GET of /logout ends nothing. A session idle past IDLE_SECONDS, or older than
    LONGEST_SECONDS, ends at its next request."""
    import time

    from cockpit.auth import IDLE_SECONDS, LONGEST_SECONDS

    client = client_as(app, "cdo")
    assert client.get("/api/overview").status_code == 200
    assert client.get("/logout").status_code == 302 and client.get("/api/overview").status_code == 200
    copy = client.get_cookie("session").value
    assert client.post("/logout").status_code == 302
    assert client.get("/api/overview").status_code == 401
    thief = app.server.test_client()
    thief.set_cookie("session", copy)
    assert thief.get("/api/overview").status_code == 401
    assert client_as(app, "cdo").get("/api/overview").status_code == 200  # a new login works

    for key, age in (("seen", IDLE_SECONDS), ("opened", LONGEST_SECONDS)):
        client = client_as(app, "cdo")
        with client.session_transaction() as session:
            session[key] = time.time() - age - 5
        assert client.get("/api/overview").status_code == 401, key


def test_a_request_from_another_site_is_refused(app):
    """A state-changing request (the login form, a callback) naming another site's page as its
    origin gets 403 and changes nothing; the same from this site's pages works."""
    client = app.server.test_client()
    form = {"username": "leader", "password": DEMO_PASSWORD, "next": "/"}
    for header in ({"Origin": "https://evil.example"}, {"Referer": "https://evil.example/page"},
                   {"Origin": "http://localhost.evil.example"}):
        answer = client.post("/login", data=form, headers=header)
        assert answer.status_code == 403 and client.get("/api/overview").status_code == 401, header
    assert client.post("/login", data=form, headers={"Origin": "http://localhost"}).status_code == 302
    assert client.get("/api/overview").status_code == 200
    refused = client.post("/_dash-update-component", json={}, headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403


def _callback(app, output: str, inputs: list, state: list, changed: str) -> dict:
    """The request Dash's renderer sends for the server callback whose outputs include `output`."""
    key = next(k for k in app.callback_map if output in k)
    return {"output": key, "outputs": _outputs(key), "inputs": inputs, "state": state, "changedPropIds": [changed]}


def test_personal_data_seen_is_noted_and_shown_to_city_roles_on_audit(app):
    """A page of records, a 核验 sample, a card export and an evidence file, each seen by the
    Pudong district leader, are noted in the access log (who, role, unit, what, rows) and listed
    on /audit for a city-wide role; the district leader's /audit shows no log."""
    from cockpit.ops import access

    store = runtime.store()
    before = {n["id"] for n in access.recent(store, 10_000)}
    pudong = client_as(app, "pudong")
    view = {"first": "2023-01-01", "last": "2026-11-21", "query": "?unit=310115&start=2026-10-01&end=2026-10-31"}
    f_state = [{"id": "f-state", "property": "data", "value": view}]
    page = pudong.post("/_dash-update-component", json=_callback(
        app, "records-table.data", [{"id": "records-kind", "property": "value", "value": "events"},
                                    {"id": "records-table", "property": "page_current", "value": 1}],
        f_state, "records-table.page_current")).get_json()
    shown = len(page["response"]["records-table"]["data"])
    button = {"type": "verify-open", "kpi": "hotline_satisfaction_rate", "unit": "310115", "start": "2026-10-01",
              "end": "2026-10-31"}
    sample = pudong.post("/_dash-update-component", json=_callback(
        app, "verify-modal.is_open", [[{"id": button, "property": "n_clicks", "value": 1}]], f_state,
        json.dumps(button, separators=(",", ":")) + ".n_clicks"))
    assert sample.status_code == 200 and sample.get_json()["response"]["verify-modal"]["is_open"] is True
    exported = pudong.get("/api/operations/ranking.csv?unit=310115")
    assert exported.status_code == 200
    notes = [n for n in access.recent(store, 10_000) if n["id"] not in before][::-1]
    assert [(n["username"], n["role"], n["action"], n["unit_code"], n["what"]) for n in notes] == [
        ("pudong", "district_leader", "records", "310115", "events"),
        ("pudong", "district_leader", "verify", "310115", "hotline_satisfaction_rate"),
        ("pudong", "district_leader", "export", "310115", "operations/ranking.csv")]
    assert notes[0]["rows"] == shown > 0
    assert notes[2]["rows"] == len(exported.get_data(as_text=True).strip().splitlines()) - 1

    def audit_page(user):
        return client_as(app, user).post("/_dash-update-component", json=_callback(
            app, "_pages_content.children", [{"id": "_pages_location", "property": "pathname", "value": "/audit"},
                                             {"id": "_pages_location", "property": "search", "value": "?lang=en"}],
            [], "_pages_location.pathname"))

    text = json.dumps(audit_page("leader").get_json(), ensure_ascii=False)
    assert "access-log" in text and "Viewed records" in text and "operations/ranking.csv" in text
    assert "浦东新区" in text and "District leader" in text and "浦东新区领导" in text  # the person's display name
    refused = audit_page("pudong")
    assert "access-log" not in json.dumps(refused.get_json()) and refused.status_code == 200


# --- fuzz: no input of any kind gets a server error ------------------------------------------

FUZZ_CASES = int(os.environ.get("COCKPIT_FUZZ_CASES", "5000"))
ODD = ["²", "٣", "-1", "0", "1e3", "99999999999999999999999", "javascript:alert(1)", "<script>x</script>",
       "../../etc/passwd", "\x00", " ", "%", "310000", "310115", "310101", "2026-11-01", "2026-02-30", "month",
       "yoy", "en", "online_rate", "city", "events", "?unit=310115&lang=en", "[]", "{}"]
PARAMS_NAMED = ["unit", "start", "end", "grain", "cmp", "lang", "kpi", "id", "box", "screen", "every", "refresh",
                "step", "playlist", "rotate", "page", "kind", "x"]


class _Errors(logging.Handler):
    """Every error the app logs (a traceback of a request ends here)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(self.format(record))


def _outputs(key: str):
    """The `outputs` Dash's renderer sends for a callback of the callback map (a MATCH id made
    concrete)."""
    pairs = [part.rsplit(".", 1) for part in re.sub(r"@[0-9a-f]+", "", key).strip(".").split("...")]
    sent = [{"id": json.loads(cid.replace('["MATCH"]', '"a"')) if cid.startswith("{") else cid, "property": prop}
            for cid, prop in pairs]
    return sent if key.startswith("..") else sent[0]


def _strategies(app, units: list[str]):
    from hypothesis import strategies as st

    from cockpit import cards
    from cockpit.params import _component

    text = st.one_of(st.text(max_size=12), st.sampled_from(ODD + units))
    anything = st.one_of(text, st.lists(text, max_size=3), st.dictionaries(text, text, max_size=2), st.integers(),
                         st.integers(2 ** 63, 2 ** 80), st.floats(), st.booleans(), st.none())
    query = st.lists(st.tuples(st.sampled_from(PARAMS_NAMED), text), max_size=6).map(lambda pairs: urlencode(pairs))
    good = {"n_clicks": st.one_of(st.none(), st.integers(0, 5)), "n_intervals": st.one_of(st.none(), st.integers(0, 5)),
            "page_current": st.integers(0, 3), "pathname": st.sampled_from(PAGES), "search": query.map("?".__add__),
            "clickData": st.fixed_dictionaries({"points": st.lists(st.fixed_dictionaries(
                {"customdata": st.lists(text, max_size=2), "x": text}), max_size=2)}),
            "data": text, "value": text, "start_date": text, "end_date": text}
    def mostly(usual, odd):  # 9 in 10 (one_of would flatten `odd`'s alternatives beside `usual`)
        return st.integers(0, 9).flatmap(lambda n: odd if n == 9 else usual)

    state = st.fixed_dictionaries({"query": query.map("?".__add__), "first": text, "last": text})

    def value(component, prop):
        typed = state if (component, prop) in (("f-state", "data"), ("issue-context", "data")) else \
            st.integers(0, 10 ** 12) if (component, prop) in (("instr-id", "data"), ("brief-job", "data")) else \
            st.fixed_dictionaries({"type": st.just(component), "item": st.integers(0, 50)}) if prop == "id" else \
            good.get(prop, text)
        return mostly(typed, anything)  # mostly of its kind (reaching the callback), else anything

    def item(spec):
        name, wildcard = _component(spec["id"])
        pattern = json.loads(spec["id"]) if spec["id"].startswith("{") else None
        cid = (st.fixed_dictionaries({k: (st.just(v) if k == "type" else st.one_of(text, st.integers()))
                                      for k, v in pattern.items()}) if pattern else st.just(spec["id"]))
        one = st.fixed_dictionaries({"id": cid, "property": st.just(spec["property"]),
                                     "value": value(name, spec["property"])})
        return st.lists(one, max_size=2) if wildcard else one

    def callback(output, spec):
        body = st.fixed_dictionaries({
            "output": st.just(output), "outputs": st.just(_outputs(output)),
            "inputs": st.tuples(*[item(i) for i in spec["inputs"]]).map(list),
            "state": st.tuples(*[item(i) for i in spec.get("state", [])]).map(list), "changedPropIds": st.just([])})
        broken = st.one_of(anything, st.dictionaries(st.sampled_from(["output", "outputs", "inputs", "state"]), anything))
        return mostly(body, broken).map(lambda b: ("POST", "/_dash-update-component", b))

    served = [(o, s) for o, s in app.callback_map.items() if "callback" in s]
    card_urls = [c.url(fmt) for c in cards.every() for fmt in ("json", "csv")]
    gets = st.one_of(
        st.tuples(st.sampled_from(["/api/overview", "/api/cards", *card_urls, "/api/x/y.json", "/instructions"]), query),
        st.tuples(st.sampled_from(["/evidence/", "/briefing/download/", "/imports/quarantine/"]), text.map(quote)).map(
            lambda p: (p[0] + p[1] + (".csv" if "quarantine" in p[0] else ""), "")),
    ).map(lambda p: ("GET", p[0] + ("?" + p[1] if p[1] else ""), None))
    return st.one_of(*[callback(o, s) for o, s in served], gets)


PAGES = ["/", "/services", "/operations", "/trends", "/vitals", "/kpis", "/quality", "/instructions", "/briefing",
         "/audit", "/screen", "/nowhere"]


def test_no_url_parameter_or_callback_payload_gets_a_server_error(app):
    """Generated URL parameters (repeated, odd digits, huge numbers, scripts, paths) on every
    route and page, and callback payloads (values of every JSON kind, broken shapes) on every
    server callback, as each kind of user: no 5xx, nothing logged as an error. The seed is
    printed (COCKPIT_FUZZ_SEED repeats a run; COCKPIT_FUZZ_CASES sets the number of cases)."""
    from hypothesis import HealthCheck, given, seed, settings

    store = runtime.store()
    users = ["leader", "pudong", "pudong_street", "cdo", "staff"]
    units = sorted({get_user(store, u)["unit_code"] for u in users} | {"310000", "310101"})
    clients = {u: client_as(app, u) for u in users}
    run_seed = int(os.environ.get("COCKPIT_FUZZ_SEED", random.randrange(2 ** 32)))
    print(f"\nfuzz seed {run_seed}, {FUZZ_CASES} cases")
    from hypothesis import strategies as st

    counts: Counter = Counter()
    errors = _Errors()
    logging.getLogger().addHandler(errors)

    @seed(run_seed)
    @settings(max_examples=FUZZ_CASES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(user=st.sampled_from(users), case=_strategies(app, units))
    def one(user, case):
        method, url, body = case
        client = clients[user]
        errors.records.clear()
        resp = client.get(url) if method == "GET" else client.post(url, json=body)
        route = url.split("?")[0] if method == "GET" else (body.get("output", "?") if isinstance(body, dict) else "?")
        counts[str(route)[:40], resp.status_code // 100 * 100] += 1
        assert resp.status_code < 500, (user, method, url, body, resp.data[:300])
        assert not errors.records, (user, method, url, body, errors.records[-1][-2000:])

    try:
        one()
    finally:
        logging.getLogger().removeHandler(errors)
        total = sum(counts.values())
        by_status = Counter()
        for (_, status), n in counts.items():
            by_status[status] += n
        print(f"fuzz seed {run_seed}: {total} requests over {len({r for r, _ in counts})} routes and callbacks; "
              f"answers by status class {dict(sorted(by_status.items()))}")
    assert total >= FUZZ_CASES


def test_the_instruction_form_proposes_the_unit_it_was_opened_on(app):
    """下达指令 on an alert, tile or chart of a unit proposes that unit as the lead; on the
    issuer's own unit (nobody instructs themselves) the first unit below it. The deadline is a
    week after today in the city's time zone."""
    from cockpit.config import city_now

    def form(user, unit):
        button = {"type": "issue-open", "source": "test", "kpi": "online_rate", "unit": unit,
                  "start": "2026-11-01", "end": "2026-11-21"}
        view = {"first": "2023-01-01", "last": "2026-11-21", "query": f"?unit={unit}"}
        answer = client_as(app, user).post("/_dash-update-component", json=_callback(
            app, "issue-lead.value", [[{"id": button, "property": "n_clicks", "value": 1}]],
            [{"id": "f-state", "property": "data", "value": view},
             {"id": "_pages_location", "property": "pathname", "value": "/services"}],
            json.dumps(button, separators=(",", ":")) + ".n_clicks"))
        return answer.get_json()["response"]

    huangpu = form("leader", "310101")
    assert huangpu["issue-lead"]["value"] == "310101"
    assert huangpu["issue-deadline"]["value"] == (city_now().date() + dt.timedelta(days=7)).isoformat()
    own = form("pudong", "310115")
    assert own["issue-lead"]["value"] == own["issue-lead"]["options"][1]["value"] != "310115"
    assert own["issue-lead"]["value"].startswith("310115")
