"""Drill-down in a real Chromium: map click, ranking click, breadcrumb, back button; records
at grid level with masked phones; a chart's CSV equals the query's rows; bad URLs on pages."""
from __future__ import annotations

import csv
import io
import re

import pytest

from cockpit import kpis, views
from cockpit.config import load_settings
from cockpit.queries import QueryRunner
from cockpit.state import ViewState
from cockpit.views import drill
from tests.browser.conftest import CONTEXT

QUERY = "?start=2026-01-01&end=2026-10-31&grain=month&cmp=yoy&lang=zh"


def click_center(page, locator):
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def crumbs(page):
    return page.locator("#breadcrumb li").all_inner_texts()


def test_map_and_ranking_drill_down_and_back(page, server):
    page.goto(f"{server}/operations{QUERY}")
    page.wait_for_selector("#card-map .textpoint")
    before = page.locator("#card-trend").inner_text()
    click_center(page, page.locator("#card-map .textpoint", has_text="浦东新区"))
    page.wait_for_url(re.compile(r"unit=310115"))
    page.wait_for_function("document.querySelectorAll('#breadcrumb li').length === 2")
    assert crumbs(page) == ["上海市", "浦东新区"]
    assert "浦东新区" in page.locator(".page-heading").inner_text()
    assert page.locator("#card-trend").inner_text() != before

    page.wait_for_selector("#card-ranking .bars .point path")
    top = page.locator("#card-ranking .bars .point path").last  # drawn bottom-up: the last is the top bar
    click_center(page, top)
    page.wait_for_url(re.compile(r"unit=310115\d{3}&"))
    page.wait_for_function("document.querySelectorAll('#breadcrumb li').length === 3")
    street = crumbs(page)[2]
    assert street.endswith(("街道", "镇", "乡")), street

    page.go_back()
    page.wait_for_function("document.querySelectorAll('#breadcrumb li').length === 2")
    assert crumbs(page) == ["上海市", "浦东新区"]
    page.go_back()
    page.wait_for_function("document.querySelectorAll('#breadcrumb li').length === 1")


def test_records_at_grid_level_show_masked_phones(page, server, browser_data_dir):
    runner = QueryRunner(load_settings({"COCKPIT_DATA_DIR": str(browser_data_dir)}).marts_dir)
    grids = views.rollup(runner, 5, "310115", "2026-01-01", "2026-10-31", "total")
    grid = grids.sort_values("apps").unit_code.iloc[-1]
    page.goto(f"{server}/services{QUERY}&unit={grid}")
    page.wait_for_selector("#records-table td")
    phones = [c for c in page.locator("#records-table td").all_inner_texts() if re.fullmatch(r"1\d{2}\*{4}\d{4}", c)]
    assert phones, "no masked phone numbers in the table"
    assert not re.search(r"\b1\d{10}\b", page.locator("#records-table").inner_text()), "an unmasked phone is shown"
    page.locator("#records-kind").get_by_text("事件", exact=True).click()
    page.wait_for_function("document.querySelector('#records-table').innerText.includes('上报时间')")  # named columns


def test_chart_csv_equals_the_query_and_the_api(page, server, browser_data_dir):
    page.goto(f"{server}/services{QUERY}&unit=310115&kpi=online_rate")
    page.wait_for_selector("#card-ranking")
    with page.expect_download() as info:
        page.locator("#card-ranking .card-csv").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv") and "浦东新区" in download.suggested_filename
    body = open(download.path(), "rb").read()
    # the button's bytes are the API's bytes for the same parameters
    api = page.request.get(f"{server}/api/services/ranking.csv{QUERY}&unit=310115&kpi=online_rate")
    assert api.ok and api.body() == body
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    runner = QueryRunner(load_settings({"COCKPIT_DATA_DIR": str(browser_data_dir)}).marts_dir)
    import datetime as dt
    state = ViewState("310115", dt.date(2026, 1, 1), dt.date(2026, 10, 31), "month", "yoy", "zh", "online_rate")
    truth = drill.children_values(runner, state, kpis.by_id("online_rate"))
    # headers in the page's language, numbers to two decimals
    assert [r["单位代码"] for r in rows] == list(truth.unit_code)
    assert [int(r["分子"]) for r in rows] == list(truth.numerator)
    assert [int(r["分母"]) for r in rows] == list(truth.denominator)
    for r, v in zip(rows, truth.value):
        assert (r["数值"] == "" and v != v) or float(r["数值"]) == pytest.approx(v, abs=0.0051)


@pytest.mark.parametrize("path", ["/services", "/operations", "/vitals"])
def test_malformed_parameters_on_pages(page, server, path):
    page.goto(f"{server}{path}?unit=310999999&start=2026-02-30&grain=%3Cb%3Ex%3C%2Fb%3E&kpi=nope")
    page.wait_for_selector(".page-heading")
    messages = page.locator(".param-error").all_inner_texts()
    assert len(messages) == 4, messages
    assert page.locator("b", has_text="x").count() == 0  # text stays text
    assert crumbs(page) == ["上海市"]


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_chart_image_downloads_at_print_resolution(page, server, fmt):
    page.goto(f"{server}/operations{QUERY}&unit=310115")
    page.wait_for_selector("#card-sources .js-plotly-plot")
    with page.expect_download() as info:
        page.locator("#card-sources button", has_text=fmt.upper()).click()
    download = info.value
    assert download.suggested_filename == f"事件来源_浦东新区_20260101-20261031.{fmt}"
    body = open(download.path(), "rb").read()
    if fmt == "png":
        width, height = int.from_bytes(body[16:20], "big"), int.from_bytes(body[20:24], "big")
        assert (width, height) == (3200, 1800)
    else:
        assert body.lstrip().startswith(b"<svg") and b'width="1600"' in body


def test_charts_draw_with_plotly_basic_and_little_javascript(chromium, server):
    """Every chart is a scatter or a bar: assets/ serves plotly.js' basic bundle, which dcc.Graph
    uses instead of loading the full one; a page's JavaScript stays under 1.5 MiB on the wire."""
    from cockpit.ops.users import DEMO_PASSWORD

    context = chromium.new_context(viewport={"width": 1440, "height": 900}, **CONTEXT)  # an empty browser cache
    login = context.request.post(f"{server}/login", max_redirects=0,  # loads no page
                                 form={"username": "leader", "password": DEMO_PASSWORD, "next": "/"})
    assert login.status == 302
    page = context.new_page()
    scripts = []
    page.on("response", lambda r: scripts.append((r.url.rsplit("/", 1)[-1], r.request.sizes()["responseBodySize"]))
            if r.request.resource_type == "script" else None)
    page.goto(f"{server}/services{QUERY}&unit=310115")
    page.wait_for_selector("#card-channel .js-plotly-plot .barlayer")
    page.wait_for_selector("#card-trend .js-plotly-plot .scatterlayer")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.Plotly.version") == "4.1.1"
    names = [name for name, _ in scripts]
    assert any(name.startswith("05-plotly-basic") for name in names), names
    assert not any(name.startswith("plotly.min.js") for name in names), names
    assert 300 * 2**10 < sum(size for _, size in scripts) < 1.5 * 2**20, scripts
    context.close()


MAP_POINT = """([code, x, y]) => {
  const gd = document.querySelector('#card-map .js-plotly-plot'), full = gd._fullLayout, box = gd.getBoundingClientRect();
  return [box.left + full._size.l + full.xaxis.d2p(x), box.top + full._size.t + full.yaxis.d2p(y)];
}"""


def test_a_click_on_each_community_of_a_streets_map_opens_that_community(page, server, browser_data_dir):
    """Below the district the map shades each sub-unit's approximate area (zoomed to the unit,
    with a colour scale, said to be approximate); a click inside any community's area, where
    the pointer is, opens that community."""
    import shapely

    runner = QueryRunner(load_settings({"COCKPIT_DATA_DIR": str(browser_data_dir)}).marts_dir)
    communities = runner.run("children", unit="310115").unit_code  # Pudong's streets
    street = max(communities, key=lambda s: len(runner.run("children", unit=s)))
    names = runner.run("children", unit=street)
    assert len(names) >= 2
    for code, name in zip(names.unit_code, names.unit_name):
        page.goto(f"{server}/operations?unit={street}&start=2026-01-01&end=2026-10-31")
        page.wait_for_selector("#card-map .js-plotly-plot")
        data = page.evaluate("document.querySelector('#card-map .js-plotly-plot').data")
        assert any(t.get("meta") == "scale" for t in data) and "近似" in page.locator("#card-map").inner_text()
        area = next(t for t in data if t.get("fill") == "toself" and t["customdata"][0][0] == code)
        rings = [[]]
        for x, y in zip(area["x"], area["y"]):
            if x is None:
                rings.append([])
            else:
                rings[-1].append((x, y))
        shape = shapely.union_all([shapely.Polygon(r) for r in rings if len(r) >= 3])
        anchor = shape.representative_point()  # where its name is written: click the area away from it
        halfway = [shapely.Point((anchor.x + vx) / 2, (anchor.y + vy) / 2) for r in rings for vx, vy in r]
        inside = max((p for p in halfway if shape.contains(p)), key=anchor.distance, default=anchor)
        page.locator("#card-map").scroll_into_view_if_needed()
        x, y = page.evaluate(MAP_POINT, [code, inside.x, inside.y])
        page.mouse.move(x, y)
        page.mouse.click(x, y)
        page.wait_for_url(re.compile(rf"unit={code}(&|$)"))
        page.wait_for_function(f"document.querySelector('.page-heading').innerText.includes('{name}')")
