"""A city's own data alone in a real Chromium: Boston's 311 sample imported and built with the
commands a city runs (no demo data, an account made with `user add`), then drilled from the
city through a neighborhood and a ward to a precinct, whose records are the file's requests
there (pandas on the file)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.browser.conftest import _need_browser, log_in, logged_in
from tests.browser.test_drill_browser import crumbs
from tests.conftest import app_server

ROOT = Path(__file__).resolve().parents[2]
BOSTON = ROOT / "tests" / "data" / "boston311" / "boston311-100.csv"
BAD = BOSTON.with_name("boston311-100-bad.tsv")


def cockpit(data: Path, *args: str) -> str:
    from cockpit.ops.users import DEMO_PASSWORD

    env = {**os.environ, "COCKPIT_DATA_DIR": str(data), "PASSWORD": DEMO_PASSWORD}
    done = subprocess.run([sys.executable, "-m", "cockpit", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def boston(tmp_path_factory):
    _need_browser()
    data = tmp_path_factory.mktemp("boston")
    assert "read 100 = loaded 100" in cockpit(data, "import", "events", str(BOSTON), "--mapping", "boston311")
    assert "read 100 = loaded 99 + quarantined 1 (malformed_row 1" in cockpit(
        data, "import", "events", str(BAD), "--mapping", "boston311")  # the same requests, one line broken
    cockpit(data, "build")
    neighborhoods = cockpit(data, "units", "--level", "2").splitlines()
    assert "310008\t2\t  Dorchester" in neighborhoods and len(neighborhoods) == 19  # 18 named, one "(not given)"
    cockpit(data, "user", "add", "leader", "--role", "city_leader", "--password-env", "PASSWORD")
    cockpit(data, "user", "add", "cdo", "--role", "cdo", "--password-env", "PASSWORD")
    with app_server({"COCKPIT_DATA_DIR": str(data)}, data / "server.log") as (base, _):
        yield base
    assert not (data / "raw").exists()  # no demo data was made


@pytest.fixture
def boston_page(chromium, boston):
    with logged_in(chromium, boston) as page:
        yield page


def click_bar(page, name: str) -> None:
    """Click the ranking's bar of a unit: the one level with its name on the axis (found and
    measured in one step: plotly may draw the chart again between two steps)."""
    page.wait_for_function("""name => [...document.querySelectorAll('#card-ranking .ytick text')]
                                       .some(t => t.textContent === name)""", arg=name, timeout=60_000)
    x, y = page.evaluate("""name => {
        document.querySelector('#card-ranking').scrollIntoView({block: 'center', behavior: 'instant'});
        const label = [...document.querySelectorAll('#card-ranking .ytick text')].find(t => t.textContent === name);
        const at = label.getBoundingClientRect(), y = at.top + at.height / 2;
        const boxes = [...document.querySelectorAll('#card-ranking .bars .point path')].map(b => b.getBoundingClientRect());
        const bar = boxes.reduce((a, b) => Math.abs(a.top + a.height / 2 - y) <= Math.abs(b.top + b.height / 2 - y) ? a : b);
        return [bar.left + bar.width / 2, bar.top + bar.height / 2];
    }""", name)
    page.mouse.click(x, y)


def test_boston_drills_from_the_city_to_a_precinct_and_its_records(boston_page, boston):
    page = boston_page
    page.goto(f"{boston}/operations?start=2022-01-01&end=2022-01-31")
    assert "Boston" in page.locator(".page-heading").inner_text()
    assert page.locator(".source-none").count() == 2  # no applications, no sensor readings: said plainly
    there = pd.read_csv(BOSTON, dtype=str, keep_default_na=False).apply(lambda c: c.str.strip())
    path = []
    for depth, level in enumerate(("neighborhood", "ward", "precinct"), start=2):
        counts = there[level].value_counts()
        name = max(counts[counts == counts.max()].index)  # the unit with the most requests
        click_bar(page, name)
        page.wait_for_function(f"document.querySelectorAll('#breadcrumb li').length === {depth}")
        assert crumbs(page)[-1] == name
        there, path = there[there[level] == name], [*path, name]
    assert path[0] == "Dorchester"  # 15 of the 100 requests

    page.wait_for_selector("#records-table td")  # a precinct has no units below: its records are open
    page.wait_for_function("document.querySelector('#records-table').innerText.includes('上报时间')")
    ids = page.locator("#records-table td[data-dash-column='event_id']").all_inner_texts()
    assert {i.strip() for i in ids} == set(there.case_enquiry_id)
    assert re.search(r"unit=31\d{4}\d{3}\d{3}&", page.url)


def test_the_cdo_sees_the_import_log_and_downloads_the_quarantined_rows(boston_page, boston):
    page = boston_page  # the city leader: neither the log nor the rows
    page.goto(f"{boston}/quality")
    page.wait_for_selector("#quality-freshness")
    assert page.locator("#import-log").count() == 0
    assert page.request.get(f"{boston}/imports/quarantine/0123456789abcdef.csv").status == 404

    log_in(page, boston, "cdo")
    page.goto(f"{boston}/quality")
    page.wait_for_selector("#import-log")
    rows = page.locator("#import-log tbody tr").all_inner_texts()
    assert len(rows) == 2 and "boston311-100-bad.tsv" in rows[0] and "boston311-100.csv" in rows[1]
    assert re.search(r"\b100\s+99\s+1\b", rows[0]) and re.search(r"\b100\s+100\s+0\b", rows[1])
    with page.expect_download() as info:
        page.locator("#import-log a").click()
    refused = pd.read_csv(info.value.path())
    assert refused.line.tolist() == [41] and refused.reason.tolist() == ["malformed_row"]
    assert refused.original.iloc[0].count("\t") == 29  # the file's own line: 30 fields
    page.goto(f"{boston}/audit")  # the download is in the access log
    page.wait_for_selector("#access-log")
    assert "下载拒收行" in page.locator("#access-log tbody tr").first.inner_text()
    for name in ("..%2F..%2Fops.sqlite", "0123456789abcdef", "0123456789ABCDEF"):  # no such batch: no file
        answer = page.request.get(f"{boston}/imports/quarantine/{name}.csv")
        assert "text/csv" not in answer.headers["content-type"] and not answer.body().startswith(b"SQLite")
