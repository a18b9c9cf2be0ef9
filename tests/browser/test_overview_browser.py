"""The overview in a real Chromium: tiles with numbers, language switch, period via URL,
controls writing the URL, drill-down and the back button."""
from __future__ import annotations

import re

from cockpit import kpis
from cockpit.i18n import fmt_value
from tests.browser.conftest import log_in

HEADLINE = [k for k in kpis.catalogue() if k.headline]


def api(page, server: str, query: str) -> dict:
    """The JSON API with the page's login."""
    resp = page.request.get(f"{server}/api/overview{query}")
    assert resp.ok, resp.status
    return resp.json()


def tile_values(page) -> dict:
    return {k.id: page.locator(f"#tile-{k.id} .kpi-value").inner_text() for k in HEADLINE}


def expected_values(data: dict, lang: str) -> dict:
    return {t["kpi_id"]: fmt_value(t["value"], t["kind"], lang) for t in data["tiles"]}


def test_overview_tiles_show_the_numbers_of_the_marts(page, server):
    page.goto(server + "/")
    page.wait_for_selector(".kpi-value")
    assert len(HEADLINE) >= 8
    shown = tile_values(page)
    assert all(re.search(r"\d", v) for v in shown.values()), shown
    assert shown == expected_values(api(page, server, ""), "zh")
    assert "数据截至" in page.locator("#freshness").inner_text()
    assert page.locator("#tile-online_rate .kpi-unit").inner_text() == "%"
    assert "同比" in page.locator("#tile-online_rate .kpi-change").inner_text()


def test_language_switch(page, server):
    page.goto(server + "/")
    page.wait_for_selector(".kpi-value")
    assert page.locator("#tile-online_rate .kpi-name").inner_text() == "网办率"
    page.click("#lang-switch")
    page.wait_for_function("document.querySelector('#tile-online_rate .kpi-name').innerText === 'Online handling rate'")
    assert "lang=en" in page.url
    assert "Overview" in page.locator(".page-heading").inner_text()
    assert "YoY" in page.locator("#tile-online_rate .kpi-change").inner_text()
    page.click("#lang-switch")
    page.wait_for_function("document.querySelector('#tile-online_rate .kpi-name').innerText === '网办率'")


def test_period_from_url_changes_the_numbers(page, server):
    query = "?unit=310000&start=2025-01-01&end=2025-03-31&grain=month&cmp=pop&lang=zh"
    page.goto(server + "/" + query)
    page.wait_for_selector(".kpi-value")
    assert page.locator("#page-period").inner_text() == "2025-01-01 至 2025-03-31"
    quarter = tile_values(page)
    assert quarter == expected_values(api(page, server, query), "zh")
    assert quarter != expected_values(api(page, server, ""), "zh")
    assert "环比" in page.locator("#tile-applications .kpi-change").inner_text()
    # 环比 of a quarter is against the same number of days just before, printed beside each change.
    assert page.locator("#page-compare").inner_text().startswith("环比对比期 2024-10-03 至 2024-12-31（90天）")
    assert page.locator("#tile-applications .kpi-cmp-period").inner_text() == "对比 2024-10-03~12-31"


def test_controls_write_the_url_and_back_returns(page, server):
    page.goto(server + "/")
    page.wait_for_selector(".kpi-value")
    before_url, before = page.url, tile_values(page)
    page.click("#f-preset")
    page.get_by_role("option", name="本年").click()
    page.wait_for_url(re.compile(r"start=\d{4}-01-01"))
    page.wait_for_function("!document.querySelector('#page-period').innerText.includes('-11-01 至')")
    assert tile_values(page)["applications"] != before["applications"]
    # Drill into a district from the drop-down: the breadcrumb grows.
    page.click("#f-drill")
    page.get_by_role("option", name="浦东新区").click()
    page.wait_for_url(re.compile(r"unit=310115"))
    page.wait_for_function("document.querySelectorAll('#breadcrumb li').length === 2")
    assert page.locator("#breadcrumb li").all_inner_texts() == ["上海市", "浦东新区"]
    page.go_back()
    page.wait_for_function("document.querySelectorAll('#breadcrumb li').length === 1")
    page.go_back()
    page.wait_for_url(before_url)
    page.wait_for_function("document.querySelector('#page-period').innerText.includes('-11-01 至')")
    assert tile_values(page) == before


def test_malformed_url_parameters_give_messages_not_errors(page, server):
    page.goto(server + "/?unit=<script>alert(1)</script>&grain=decade&start=2026-10-31&end=2026-10-01")
    page.wait_for_selector(".kpi-value")
    text = page.locator(".param-error").all_inner_texts()
    assert len(text) == 3, text
    assert any("单位代码" in m for m in text) and any("粒度" in m for m in text) and any("晚于" in m for m in text)
    assert page.locator("#breadcrumb").inner_text() == "上海市"


def test_the_logout_button_ends_the_session(page, server):
    """The navbar's logout is a form POST: after it the cockpit asks for a login again, and
    the page's old cookie reads no data."""
    page.goto(server + "/")
    page.wait_for_selector("#kpi-tiles")
    cookie = next(c for c in page.context.cookies() if c["name"] == "session")
    with page.expect_navigation():
        page.click("#logout")
    assert page.url.startswith(server + "/login")
    page.goto(server + "/")
    assert page.url.startswith(server + "/login")
    page.context.add_cookies([cookie])
    assert page.request.get(server + "/api/overview").status == 401


def test_every_page_works_under_the_content_security_policy(chromium, server):
    """The strict policy is on (scripts from this site and Dash's inline scripts by hash) and no
    page breaks it: no violation and no error in the console, the page drawn. (A context that
    keeps the policy: the other tests' contexts bypass it for their own checks.)"""
    context = chromium.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    log_in(page, server, "leader")
    policy = page.request.get(server + "/").headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" or "Content Security" in m.text else None)
    for path in ("/", "/services", "/operations", "/vitals", "/trends", "/kpis", "/quality", "/instructions",
                 "/briefing", "/audit", "/?screen=1", "/screen"):
        page.goto(server + path)
        page.wait_for_selector(".page-heading", timeout=60_000)
        page.wait_for_load_state("networkidle")
        assert not problems, (path, problems)
    context.close()
