"""The briefing basket and export log in the operational store, on SQLite and PostgreSQL:
order, retitle, notes, refusals that change nothing, one user's basket out of another's reach,
the same card and view in once however its URL spells it, and a store made before the basket
existed is migrated."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from cockpit.ops import briefing
from cockpit.ops.instructions import FormError
from cockpit.ops.store import SCHEMA_VERSION, Store
from cockpit.ops.users import create_user
from cockpit.state import ViewState, parse_state, query_params

OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
DATA_RANGE = (dt.date(2024, 1, 1), dt.date(2026, 11, 21))  # first and last day with data


def view(kpi: str) -> ViewState:
    return ViewState("310115", *OCTOBER, "month", "yoy", "zh", kpi=kpi)


@pytest.fixture
def store(ops_url):
    s = Store(ops_url)
    yield s
    s.dispose()


def fill(store, user="staff", n=3) -> list[int]:
    return [briefing.add(store, user, "/services", view(f"k{i}"), "ranking", f"图{i}", "浦东新区",
                         "2026-10-01 ~ 2026-10-31") for i in range(n)]


def titles(store, user="staff") -> list[str]:
    return [briefing.title_of(i) for i in briefing.items(store, user)]


def test_items_keep_their_order_and_can_be_moved_retitled_and_removed(store):
    a, b, c = fill(store)
    assert titles(store) == ["图0", "图1", "图2"]
    briefing.move(store, "staff", c, -1)
    assert titles(store) == ["图0", "图2", "图1"]
    briefing.move(store, "staff", a, -1)  # already first: stays
    assert titles(store) == ["图0", "图2", "图1"]
    briefing.edit(store, "staff", b, "  新标题 ", " 一句备注 ")
    item = next(i for i in briefing.items(store, "staff") if i["id"] == b)
    assert (item["title"], item["note"], briefing.title_of(item)) == ("新标题", "一句备注", "新标题")
    briefing.edit(store, "staff", b, "", "")
    assert titles(store)[2] == "图1"  # blank title: back to the card's own
    briefing.remove(store, "staff", a)
    assert titles(store) == ["图2", "图1"]


def test_refusals_name_the_field_and_change_nothing(store):
    a, *_ = fill(store)
    before = briefing.items(store, "staff")
    cases = [
        (lambda: briefing.edit(store, "staff", a, "长" * 81, ""), "briefing.error.title"),
        (lambda: briefing.edit(store, "staff", a, "", "注" * 301), "briefing.error.note"),
        (lambda: briefing.add(store, "staff", "/services", view("k0"), "ranking", "x", "u", "p"), "briefing.error.twice"),
        (lambda: briefing.add(store, "staff", "javascript:x", view("k9"), "ranking", "x", "u", "p"), "briefing.error.card"),
        (lambda: briefing.add(store, "staff", "/services", view("k9"), "<script>", "x", "u", "p"), "briefing.error.card"),
        (lambda: briefing.edit(store, "cdo", a, "别人的", ""), "briefing.error.item"),  # not cdo's item
        (lambda: briefing.remove(store, "cdo", a), "briefing.error.item"),
        (lambda: briefing.move(store, "cdo", a, 1), "briefing.error.item"),
    ]
    for call, key in cases:
        with pytest.raises(FormError) as refused:
            call()
        assert refused.value.key == key
    assert briefing.items(store, "staff") == before


def test_the_same_card_and_view_goes_in_once_however_its_url_spells_it(store):
    """The basket keeps the view as the page parses it (what the add button's callback passes:
    the state of the page it rendered again), so a URL that differs only in the order of its
    parameters, in empty, unknown or display-only ones, or in defaults written out, is the same
    view, and adding it again is refused as already in the basket."""
    spellings = ["?unit=310115&start=2026-10-01&end=2026-10-31&kpi=online_rate",
                 "?kpi=online_rate&end=2026-10-31&start=2026-10-01&unit=310115",
                 "?unit=310115&grain=&cmp=&start=2026-10-01&end=2026-10-31&kpi=online_rate&foo=bar&records=events",
                 "?lang=zh&unit=310101&unit=310115&start=2026-10-01&end=2026-10-31&grain=month&cmp=yoy&kpi=online_rate"]
    states = [parse_state(query_params(q), *DATA_RANGE)[0] for q in spellings]
    briefing.add(store, "staff", "/services", states[0], "ranking", "网办率排名", "浦东新区", "2026-10-01 ~ 2026-10-31")
    for spelled, state in zip(spellings[1:], states[1:]):
        with pytest.raises(FormError) as twice:
            briefing.add(store, "staff", "/services", state, "ranking", "网办率排名", "浦东新区", "2026-10-01 ~ 2026-10-31")
        assert twice.value.key == "briefing.error.twice", spelled
    # the same filters with another card, page or KPI go in
    other_kpi = parse_state(query_params(spellings[0].replace("online_rate", "satisfaction_rate")), *DATA_RANGE)[0]
    briefing.add(store, "staff", "/services", states[1], "map", "网办率地图", "浦东新区", "2026-10-01 ~ 2026-10-31")
    briefing.add(store, "staff", "/trends", states[2], "ranking", "网办率排名", "浦东新区", "2026-10-01 ~ 2026-10-31")
    briefing.add(store, "staff", "/services", other_kpi, "ranking", "满意率排名", "浦东新区", "2026-10-01 ~ 2026-10-31")
    october = "?unit=310115&start=2026-10-01&end=2026-10-31&grain=month&cmp=yoy&lang=zh"
    assert [(i["path"], i["card_id"], i["query"]) for i in briefing.items(store, "staff")] == [
        ("/services", "ranking", f"{october}&kpi=online_rate"), ("/services", "map", f"{october}&kpi=online_rate"),
        ("/trends", "ranking", f"{october}&kpi=online_rate"), ("/services", "ranking", f"{october}&kpi=satisfaction_rate")]


def test_a_basket_holds_at_most_its_limit(store):
    fill(store, n=briefing.BASKET_MAX)
    with pytest.raises(FormError) as refused:
        fill(store, n=1)
    assert refused.value.key == "briefing.error.full" and len(briefing.items(store, "staff")) == briefing.BASKET_MAX


def test_the_export_log_records_who_what_when_and_progress(store):
    fill(store)
    basket = briefing.items(store, "staff")
    export_id = briefing.start_export(store, "staff", "pdf", "周报", basket, 4)
    briefing.progress(store, export_id, 2)
    row = briefing.get_export(store, export_id)
    assert (row["status"], row["done_steps"], row["total_steps"]) == ("running", 2, 4)
    assert [i["card_title"] for i in row["items"]] == ["图0", "图1", "图2"]
    briefing.finish(store, export_id, file_name="周报.pdf")
    row = briefing.get_export(store, export_id)
    assert (row["status"], row["done_steps"], row["file_name"]) == ("done", 4, "周报.pdf") and row["finished_at"]
    failed = briefing.start_export(store, "staff", "zip", "", basket, 4)
    briefing.finish(store, failed, error="Chromium could not print")
    assert [(r["id"], r["status"]) for r in briefing.export_log(store, "staff")] == [(failed, "failed"), (export_id, "done")]
    assert briefing.export_log(store, "cdo") == []


def test_a_store_from_before_the_basket_is_migrated(ops_url):
    store = Store(ops_url)
    create_user(store, "earlier", "Earlier", "staff", "310000", "a-password")
    with store.writing() as conn:  # as schema version 1 left it
        conn.execute(sa.text("DROP TABLE briefing_items"))
        conn.execute(sa.text("DROP TABLE exports"))
        conn.execute(sa.text("ALTER TABLE users DROP COLUMN session_version"))  # (version 3)
        conn.execute(sa.text("UPDATE schema_info SET version = 1"))
    store.dispose()
    again = Store(ops_url)
    with again.reading() as conn:
        assert conn.execute(sa.text("SELECT version FROM schema_info")).scalar_one() == SCHEMA_VERSION
    assert fill(again, n=1) and briefing.export_log(again, None) == []
    with again.reading() as conn:  # every account's sessions numbered from 0
        assert conn.execute(sa.text("SELECT session_version FROM users WHERE username = 'earlier'")).scalar_one() == 0
    again.dispose()
