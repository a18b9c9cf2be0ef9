"""Every chart card is data at a stable URL: /api/cards lists them, and each card's JSON and CSV
answer for every level and every demo user within scope; the CSV holds the JSON's rows, and the
JSON's rows are all the chart needs (the page's figure is drawn again from them, equal); a
scoped user asking outside their scope gets their own unit; trend charts draw the target the
tile shows for the same unit and KPI."""
from __future__ import annotations

import csv
import io
import json
import time

import dash
import pytest

from cockpit import cards, kpis, runtime, views
from cockpit.ops.loop import Actor
from cockpit.i18n import label
from cockpit.ops.users import DEMO_PASSWORD, get_user

OCT = "start=2026-10-01&end=2026-10-31"
DEMO_USERS = ("leader", "pudong", "huangpu", "pudong_street", "huangpu_street", "pudong_hd", "cdo", "staff", "admin")


def client_as(app, username: str):
    client = app.server.test_client()
    resp = client.post("/login", data={"username": username, "password": DEMO_PASSWORD, "next": "/"})
    assert resp.status_code == 302
    return client


def ladder_through(unit: str) -> list[str]:
    """A unit of each level, city to grid, through `unit`: its ancestors, then first children."""
    run = runtime.runner()
    chain = list(run.run("unit", unit=unit).unit_code)
    while len(chain) < 5:
        chain.append(run.run("children", unit=chain[-1]).unit_code.iloc[0])
    return chain


@pytest.fixture(scope="module")
def ladder(app) -> list[str]:
    """City, 浦东新区, its first street, community and grid."""
    return ladder_through("310115")


def settled(client, url: str, wait: float = 120.0) -> dict:
    """The card's JSON once its model is fitted: while `pending`, the rows lack the forecast
    and are not cached, so a CSV asked a moment later may already hold the complete rows."""
    deadline = time.monotonic() + wait
    while True:
        resp = client.get(url)
        assert resp.status_code == 200, url
        body = resp.get_json()
        if body["pending"] is None:
            return body
        assert time.monotonic() < deadline, f"{url} still pending after {wait} s"
        time.sleep(0.5)


def _csv_rows(body: bytes) -> list[dict]:
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def _same_row(csv_row: dict, json_row: dict) -> bool:
    """The CSV (for people: headers in the page's language, numbers to two decimals) holds the
    JSON row (for programs: field names, every digit)."""
    def text(v):
        return "" if v is None else str(v)
    return all(csv_row[label("col", k, "zh")] == text(v)
               or (isinstance(v, float) and float(csv_row[label("col", k, "zh")]) == pytest.approx(v, abs=0.0051))
               for k, v in json_row.items())


def test_the_list_names_every_card(app):
    listing = client_as(app, "leader").get("/api/cards").get_json()["cards"]
    assert {(c["page"], c["card"]) for c in listing} == {(c.page, c.id) for c in cards.every()}
    for c in listing:
        assert c["url"] == f"/api/{c['page']}/{c['card']}.json" and c["title"]
        assert {"unit", "start", "end", "lang"} <= set(c["parameters"])
    # the cards of each working page are the ones it draws
    assert {c["card"] for c in listing if c["page"] == "services"} >= {"map", "ranking", "trend", "channel", "dept"}


@pytest.mark.parametrize("username", DEMO_USERS)
def test_every_card_answers_at_every_level_in_scope(app, username):
    client = client_as(app, username)
    home = get_user(runtime.store(), username)["unit_code"]
    scope = Actor(username, "", home).prefix
    levels = [u for u in ladder_through(home if home != "310000" else "310115") if u.startswith(scope)]
    assert len(levels) == 6 - len(runtime.runner().run("unit", unit=home)), (username, levels)
    for unit in levels:
        for card in cards.every():
            body = settled(client, f"{card.url('json')}?unit={unit}&{OCT}")
            assert body["unit"] == unit and body["messages"] == [], (username, unit, card.url())
            csv_resp = client.get(f"{card.url('csv')}?unit={unit}&{OCT}")
            assert csv_resp.status_code == 200 and csv_resp.mimetype == "text/csv"
            rows = _csv_rows(csv_resp.data)
            assert len(rows) == len(body["rows"]), card.url()
            if rows:
                assert list(rows[0]) == [label("col", c, "zh") for c in body["columns"]]
            assert all(_same_row(c, j) for c, j in zip(rows, body["rows"])), card.url()


def test_outside_scope_gives_the_users_own_unit(app):
    client = client_as(app, "pudong")
    body = client.get(f"/api/services/ranking.json?unit=310101&{OCT}").get_json()
    assert body["unit"] == "310115" and body["unit_name"] == "浦东新区"
    assert body["messages"] and "310101" in body["messages"][0]
    assert all(r["unit_code"].startswith("310115") for r in body["rows"])
    # a code in full-width digits is not a code: refused with a message, like any malformed one
    body = client_as(app, "leader").get(f"/api/services/ranking.json?unit=31０１１５&{OCT}").get_json()
    assert body["unit"] == "310000" and "31０１１５" in body["messages"][0]


def test_unknown_card_or_page_is_a_json_404(app):
    client = client_as(app, "leader")
    for url in ("/api/services/nope.json", "/api/nowhere/map.json", "/api/services/map.xml"):
        resp = client.get(url)
        assert resp.status_code == 404 and "/api/cards" in resp.get_json()["error"]
    assert app.server.test_client().get("/api/services/map.json").status_code == 401


def _page_graphs(path: str, query: dict) -> dict:
    """card id -> the figure the page at `path` draws for these parameters (a page answers
    with the JSON Dash sends: components as dicts of type, namespace and props)."""
    page = next(p for p in dash.page_registry.values() if p["path"] == path)
    found, stack = {}, [page["layout"](**query)]
    while stack:
        c = stack.pop()
        if isinstance(c, list):
            stack.extend(c)
            continue
        if not isinstance(c, dict) or "props" not in c:
            continue
        cid = c["props"].get("id")
        if isinstance(cid, dict) and cid.get("type") == "chart":
            found[cid["card"]] = c["props"]["figure"]
        children = c["props"].get("children")
        if children is not None and not isinstance(children, str):
            stack.append(children)
    return found


@pytest.mark.parametrize("path, query", [
    ("/services", {"unit": "310115", "kpi": "online_rate"}),
    ("/operations", {"unit": "310000"}),
    ("/vitals", {"unit": "310115"}),
    ("/trends", {"unit": "310115", "kpi": "events", "grain": "month"}),
    ("/quality", {"unit": "310000"}),
    ("/kpis", {"unit": "310115", "lang": "en"}),
])
def test_the_rows_are_what_the_chart_plots(app, path, query):
    """The API's rows, read back from JSON, draw the very figure the page shows."""
    client = client_as(app, "leader")
    params = {**query, "start": "2026-10-01", "end": "2026-10-31"}
    with runtime.acting_as(Actor("leader", "city_leader", "310000")):
        graphs = _page_graphs(path, params)
        view = runtime.resolve(params)
    page = cards.page_of(path)
    drawn = [c for c in cards.of_page(page) if c.id in graphs]
    assert len(drawn) >= 3, graphs.keys()
    for card in drawn:
        body = client.get(card.url("json"), query_string=params).get_json()
        again = cards.figure(card, view, {"columns": body["columns"], "rows": body["rows"]})
        assert json.dumps(again, sort_keys=True, default=str) == json.dumps(graphs[card.id], sort_keys=True, default=str), \
            card.url()


OTHER_VALUES = {"grain": ["day", "quarter"], "cmp": ["pop"], "kpi": ["events"]}  # besides month, yoy, none


@pytest.mark.parametrize("card", [c for c in cards.every() if set(OTHER_VALUES) - set(c.params)],
                         ids=lambda c: f"{c.page}/{c.id}")
def test_a_card_depends_on_no_parameter_it_does_not_name(app, card):
    """Rows and figures are cached by the parameters the card names: the others change nothing."""
    base = {"unit": "310000", "start": "2026-10-01", "end": "2026-10-31", "grain": "month", "cmp": "yoy"}

    def drawn(params) -> str:
        view = runtime.resolve(params)
        data = cards._rows(card, view)  # computed again, not read from the cache
        drawn_figure = cards.figure(card, view, data) if data["shown"] else None
        return json.dumps([data, drawn_figure], sort_keys=True, default=str)

    with runtime.acting_as(Actor("leader", "city_leader", "310000")):
        want = drawn(base)
        if '"shown": false' in want and "kpi" in card.params:  # a card of the events' KPIs
            base["kpi"] = "events"
            want = drawn(base)
        assert '"shown": true' in want
        for name in set(OTHER_VALUES) - set(card.params):
            for value in OTHER_VALUES[name]:
                assert drawn({**base, name: value}) == want, (name, value)


def _target_drawn(figure: dict) -> float | None:
    lines = [s for s in figure["layout"].get("shapes", []) if s.get("meta") == "target"]
    return lines[0]["y0"] if lines else None


@pytest.mark.parametrize("kpi_id", [k.id for k in kpis.catalogue() if k.target is not None])
def test_every_chart_draws_the_tiles_target(app, ladder, kpi_id):
    """On every level, every chart that draws a target draws the one the KPI tile shows."""
    targets_seen, charts_with_target = set(), set()
    with runtime.acting_as(Actor("leader", "city_leader", "310000")):
        for unit in ladder[:3]:
            view = runtime.resolve({"unit": unit, "kpi": kpi_id, "start": "2026-10-01", "end": "2026-10-31"})
            for card in cards.every():
                shown = cards.show(card, view)
                drawn = _target_drawn(shown.figure) if shown.shown else None
                if drawn is None:
                    continue
                # the KPI the chart shows (a page offering other KPIs shows its default)
                tile = views.kpi_tiles(view.run, view.state, [shown.kpi])["tiles"][0]
                assert drawn == pytest.approx(tile["target"]), (card.url(), unit)
                if shown.kpi == kpi_id:
                    targets_seen.add(tile["target"])
                    charts_with_target.add(f"{card.page}/{card.id}")
    assert {"services/trend", "operations/trend", "screen/trend", "trends/trend-analysis"} & charts_with_target
    kpi = kpis.by_id(kpi_id)
    if kpi.targets:  # a district with its own target: the district's pages draw it, not the city's
        assert len(targets_seen) == 2 and kpi.target_for("310115") in targets_seen


@pytest.mark.parametrize("path", ["/", "/services", "/operations", "/vitals", "/trends", "/kpis", "/quality", "/screen"])
def test_every_page_renders_at_every_level(app, ladder, path):
    page = next(p for p in dash.page_registry.values() if p["path"] == path)
    with runtime.acting_as(Actor("leader", "city_leader", "310000")):
        for unit in ladder:
            layout = page["layout"](unit=unit, start="2026-10-01", end="2026-10-31")
            assert unit in json.dumps(layout), (path, unit)  # plain JSON, as Dash sends it


FREQ = {"day": "D", "week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}
SERIES = {"trend": None, "score-history": "month", "quality-trend": "month"}  # a series' grain (None: the view's)
WHOLE_ONLY = {"trend-analysis", "decomposition"}  # model inputs: complete periods only (vital signs: days)


@pytest.mark.parametrize("grain", ["week", "month", "year"])
def test_every_series_marks_its_partial_periods(app, grain):
    """A period with fewer days than its grain (cut by the filter, by the data's start or still
    running) says how many days it has, and its chart draws it apart (a hollow marker on a
    dashed segment); the series that feed models hold whole periods only. Days counted here
    with pandas' calendar."""
    import datetime as dt

    import pandas as pd

    first, last = views.data_range(runtime.runner())
    end = last - dt.timedelta(days=3)
    end -= dt.timedelta(days=1) if end.weekday() == 6 else dt.timedelta(0)  # not a week's last day either
    start = dt.date(2025, 3, 12)  # a Wednesday inside a month
    params = {"unit": "310115", "start": start.isoformat(), "end": end.isoformat(), "grain": grain}
    client = client_as(app, "leader")
    view = runtime.resolve(params)
    checked = set()
    for card in cards.every():
        body = settled(client, card.url("json") + "?" + "&".join(f"{k}={v}" for k, v in params.items()))
        rows = pd.DataFrame(body["rows"], columns=body["columns"])
        if "period_start" not in rows or rows.empty:
            continue
        periods = pd.to_datetime(rows.period_start).dt.to_period(FREQ[SERIES.get(card.id) or grain])
        if card.page == "vitals" or card.id in WHOLE_ONLY:
            if card.page != "vitals":
                shown = rows[rows.value.notna()] if "value" in rows else rows
                ends = pd.to_datetime(shown.period_start).dt.to_period(FREQ["week" if grain == "day" else grain]).dt.end_time
                assert (ends.dt.normalize() <= pd.Timestamp(last)).all(), f"{card.page}/{card.id}: a running period"
            checked.add(card.id)
            continue
        first_period = periods.min()
        inside = first_period.start_time <= pd.Timestamp(start) <= first_period.end_time  # else a longer window
        lo = max(pd.Timestamp(first), pd.Timestamp(start) if inside else first_period.start_time)
        hi = min(pd.Timestamp(end), pd.Timestamp(last))
        whole = [(p.end_time.normalize() - p.start_time).days + 1 for p in periods]
        days = [max(0, (min(p.end_time.normalize(), hi) - max(p.start_time, lo)).days + 1) for p in periods]
        assert rows.days.tolist() == days and rows.period_days.tolist() == whole, f"{card.page}/{card.id}"
        partial = sorted({str(p.start_time.date()) for p, d, w in zip(periods, days, whole) if d < w})
        assert partial, f"{card.page}/{card.id}: the view was chosen to cut a period"
        figure = cards.figure(card, view, body)
        hollow = {x for tr in figure["data"] if tr.get("line", {}).get("dash") == "dash"
                  for x, size in zip(tr["x"], tr["marker"]["size"]) if x and size and tr["marker"]["symbol"] == "circle-open"}
        assert set(partial) <= {str(x)[:10] for x in hollow}, f"{card.page}/{card.id}: {partial} not drawn apart"
        if (card.page, card.id) == ("operations", "trend"):  # a count: its partial periods say their daily mean
            texts = [text for tr in figure["data"] if tr.get("line", {}).get("dash") == "dash" for text in tr["text"] if text]
            final = rows.iloc[-1]
            assert any(text.endswith(f"日均 {final['value'] / final['days']:,.1f}") for text in texts), texts
        checked.add(card.id)
    assert set(SERIES) | {"trend-analysis"} <= checked  # (no seasonal decomposition of yearly values)
    tiles = views.overview(runtime.runner(), view.state)["tiles"]
    assert all(t["series_partial"] == [False] * (len(t["series"]) - 1) + [True] for t in tiles), \
        "the sparklines' running month"
