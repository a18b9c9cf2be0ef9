"""The briefing in a real Chromium: add chart cards from a page, reorder and retitle them, export
a PPTX in the background with progress, and download it; the export is in the log."""
from __future__ import annotations

import io

from tests.browser.conftest import log_in

QUERY = "?unit=310115&start=2026-10-01&end=2026-10-31"


def add_card(page, card: str) -> str:
    button = page.locator(f"#card-{card} .brief-add")
    before = button.inner_text()
    button.click()
    page.wait_for_function("([sel, before]) => document.querySelector(sel).textContent !== before",
                           arg=[f"#card-{card} .brief-add", before])
    return button.inner_text()


def test_staff_builds_and_exports_a_briefing(page, server):
    from pptx import Presentation

    log_in(page, server, "staff")
    page.goto(server + "/services" + QUERY)
    assert add_card(page, "channel") == "✓ 已加入简报（1）"
    assert add_card(page, "ranking") == "✓ 已加入简报（2）"
    assert add_card(page, "ranking").startswith("⚠")  # the same card with the same filters goes in once

    page.goto(server + "/briefing")
    page.wait_for_selector(".brief-item")
    items = page.locator(".brief-item .brief-card-title")
    assert items.all_inner_texts() == ["办件渠道", "网办率 · 下级排名"]
    page.locator(".brief-item").nth(1).locator("button[title='上移']").click()
    page.wait_for_function("document.querySelector('.brief-item .brief-card-title').textContent.startsWith('网办率')")
    first = page.locator(".brief-item").first
    first.locator("input").first.fill("浦东各街镇网办率")
    first.locator("input").nth(1).fill("请关注排名靠后的街镇")
    first.locator("button", has_text="保存").click()
    page.wait_for_function("document.querySelector('.brief-item .brief-card-title').textContent === '浦东各街镇网办率'")

    page.fill("#brief-title", "浦东十月简报")
    page.click("#brief-export-pptx")
    page.wait_for_selector("#brief-status")  # queued or running: the page did not wait for it
    page.wait_for_selector("#brief-download", timeout=120_000)
    with page.expect_download() as download:
        page.click("#brief-download")
    assert download.value.suggested_filename == "浦东十月简报.pptx"
    deck = Presentation(io.BytesIO(open(download.value.path(), "rb").read()))
    titles = [next(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in deck.slides]
    assert titles == ["浦东十月简报", "浦东各街镇网办率", "办件渠道"]
    assert "请关注排名靠后的街镇" in [s.text_frame.text for s in deck.slides[1].shapes if s.has_text_frame]
    log = page.locator("#brief-log-table tbody tr").first.inner_text()
    assert "综合处工作人员" in log and "PPTX" in log  # the user by display name
