"""The wall screen in a real Chromium: /screen fills 1920×1080 and 3840×2160 without scrollbars,
shows a ticking clock, the freshness stamp, alerts and overdue instructions, rotates through a
playlist given in the URL, and shows an ordinary page dark with ?screen=1."""
from __future__ import annotations

import re

import pytest

from tests.browser.conftest import CONTEXT, log_in

NO_SCROLL = """() => [document.documentElement.scrollWidth <= window.innerWidth,
                      document.documentElement.scrollHeight <= window.innerHeight]"""


@pytest.fixture
def wall(chromium, server):
    def open_at(width, height):
        context = chromium.new_context(viewport={"width": width, "height": height}, locale="zh-CN", **CONTEXT)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        log_in(page, server, "leader")
        opened.append((context, errors))
        return page
    opened = []
    yield open_at
    for context, errors in opened:
        context.close()
        assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.mark.parametrize("size", [(1920, 1080), (3840, 2160)])
def test_screen_fills_the_display_without_scrolling(wall, server, size):
    page = wall(*size)
    page.goto(server + "/screen")
    page.wait_for_selector("#screen-tiles .screen-tile")
    page.wait_for_selector("#screen-trend .js-plotly-plot")
    assert page.evaluate(NO_SCROLL) == [True, True]
    panel = page.locator("#screen-main").bounding_box()
    assert panel["y"] + panel["height"] <= size[1]  # the main row ends on the screen
    assert page.locator("#screen-overdue").is_visible() and page.locator("#alerts").is_visible()
    assert re.search(r"数据截至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}", page.inner_text("#freshness"))
    # the map's names grow with the screen, as its other type does (11 px at 1920 wide)
    size_of_names = ("Array.from(document.querySelector('#screen-map .js-plotly-plot').data)"
                     ".find(t => t.meta === 'names').textfont.size")
    page.wait_for_function(f"{size_of_names} === {round(11 * size[0] / 1920) if size[0] > 1920 * 1.2 else 11}")


@pytest.mark.parametrize("path", ["/?screen=1", "/vitals?screen=1"])
def test_the_overview_and_the_vital_signs_fit_the_wall(wall, server, path):
    """On the wall the overview (ten tiles, the loop, the first five of each list) and the six
    vital signs (three to a row; the breach table stays on desks) are one 1920×1080 screen,
    tables dark like the cards."""
    page = wall(1920, 1080)
    page.goto(server + path)
    page.wait_for_selector(".screen-mode .page-heading")
    page.wait_for_load_state("networkidle")
    assert page.evaluate(NO_SCROLL) == [True, True]
    for table in page.locator(".screen-mode td").all()[:3]:
        assert table.evaluate("td => getComputedStyle(td).backgroundColor") != "rgb(255, 255, 255)"


def test_clock_ticks_and_playlist_rotates(wall, server):
    page = wall(1920, 1080)
    page.goto(server + "/screen?rotate=/screen:310000,/screen:310115&every=5")
    page.wait_for_selector("#screen-tiles .screen-tile")
    assert page.inner_text(".page-heading").startswith("上海市")
    page.wait_for_function("document.querySelector('#screen-clock').textContent.length > 0")
    first = page.inner_text("#screen-clock")
    assert re.fullmatch(r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}", first)
    page.wait_for_function("(t) => document.querySelector('#screen-clock').textContent !== t", arg=first)
    page.evaluate("window.stayed = true")  # lost if the step were a page load
    page.wait_for_url(re.compile(r"/screen\?unit=310115&.*step=1"), timeout=15_000)
    assert page.locator("#screen-tiles .screen-tile").count() > 0  # never a blank page between steps
    page.wait_for_function("document.querySelector('.page-heading').innerText.startsWith('浦东新区')")
    assert page.evaluate("window.stayed === true")
    page.wait_for_url(re.compile(r"/screen\?unit=310000&.*step=0"), timeout=15_000)  # and round again


def test_bad_playlist_is_refused_with_a_message(wall, server):
    page = wall(1920, 1080)
    page.goto(server + "/screen?rotate=/nowhere:310000")
    page.wait_for_selector(".param-error")
    assert "不存在" in page.inner_text(".param-error")
    assert page.evaluate(NO_SCROLL) == [True, True]


def test_any_page_on_the_wall_is_dark_without_navbar(wall, server):
    page = wall(1920, 1080)
    page.goto(server + "/operations?screen=1&unit=310115")
    page.wait_for_selector(".screen-mode #kpi-tiles")
    assert page.locator(".cockpit-navbar").count() == 0
    assert page.locator("#screen-clock").is_visible()
    background = page.evaluate("getComputedStyle(document.querySelector('.screen-mode')).backgroundColor")
    assert background == "rgb(13, 17, 23)"
