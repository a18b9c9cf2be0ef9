"""The instruction loop in a real Chromium: a district leader issues from a chart, the street's
handler acknowledges, reports and completes, the leader verifies, and the overview's loop KPIs
move. Instruction text with markup stays text."""
from __future__ import annotations

import re

from tests.browser.conftest import log_in

TEXT = '<img src=x onerror="alert(1)"><script>alert(2)</script> 请核查网办率下降原因'


def loop_numbers(page, server: str) -> dict:
    page.goto(server + "/")
    page.wait_for_selector("#loop-310115")
    row = page.locator("#loop-310115")
    return {k: row.locator(f".loop-{k}").inner_text() for k in ("issued", "open", "overdue", "on_time")}


DONE = {"acknowledge": "已签收", "progress": "已反馈进展", "submit": "已提交办结", "accept": "已核验通过"}


def act(page, action: str, note: str = "") -> None:
    """Click an action button and wait for its confirmation."""
    if note:
        page.fill("#instr-note", note)
    page.click(f"button[id*='\"action\":\"{action}\"']")
    page.wait_for_selector(f"#instr-done:has-text('{DONE[action]}')")


def test_issue_handle_verify_and_see_the_kpis_move(page, server):
    log_in(page, server, "pudong")
    before = loop_numbers(page, server)

    page.goto(server + "/services")
    page.wait_for_selector("#card-ranking .issue-open")
    page.click("#card-ranking .issue-open")
    page.wait_for_selector("#issue-modal .modal-body #issue-value")
    assert "浦东新区" in page.inner_text("#issue-summary")
    page.fill("#issue-text", "")
    page.click("#issue-submit")
    page.wait_for_selector("#issue-error:has-text('请填写指令内容')")  # refused with a message
    page.fill("#issue-text", TEXT)
    page.click("#issue-submit")
    page.wait_for_selector("#issue-done")
    iid = int(re.search(r"#(\d+)", page.inner_text("#issue-done")).group(1))
    after_issue = loop_numbers(page, server)
    assert int(after_issue["issued"]) == int(before["issued"]) + 1
    assert int(after_issue["open"]) == int(before["open"]) + 1

    log_in(page, server, "pudong_street")
    page.goto(server + "/instructions?box=todo")
    page.click(f"#instr-row-{iid} a >> nth=0")
    page.wait_for_selector("#instr-detail-card")
    assert page.inner_text("#instr-text") == TEXT  # shown as text: no image, no script ran
    assert page.locator("#instr-text img, #instr-text script").count() == 0
    act(page, "acknowledge")
    act(page, "progress", "已派人现场核查")
    # evidence as a handler makes it: a screenshot and a page printed to PDF by this Chromium
    # (its fonts are named like /AAAAAA+NotoSansCJK, which is not the /AA action)
    photo, printed = page.screenshot(), page.pdf()
    page.set_input_files("#instr-upload input[type=file]", files=[
        {"name": "现场照片.png", "mimeType": "image/png", "buffer": photo},
        {"name": "整改报告.pdf", "mimeType": "application/pdf", "buffer": printed}])
    act(page, "submit", "已整改完毕")
    assert page.inner_text("#instr-detail-card .instr-state") == "待核验"
    assert page.locator("button[id*='\"action\":\"accept\"']").count() == 0  # not the handler's to accept

    log_in(page, server, "pudong")
    page.goto(server + f"/instructions?id={iid}")
    page.wait_for_selector("#instr-detail-card")
    timeline = page.inner_text(".instr-timeline")
    assert all(word in timeline for word in ("下达", "签收", "反馈进展", "已派人现场核查", "提交办结", "已整改完毕"))
    assert "浦东新区领导" in timeline and "pudong" not in timeline  # people by their display names
    links = {a.inner_text(): a.get_attribute("href") for a in page.locator(".instr-timeline a[href^='/evidence/']").all()}
    assert page.request.get(server + links["现场照片.png"]).body() == photo
    assert page.request.get(server + links["整改报告.pdf"]).body() == printed
    act(page, "accept")
    assert page.inner_text("#instr-detail-card .instr-state") == "已办结"

    closed = loop_numbers(page, server)
    assert int(closed["open"]) == int(before["open"])
    assert closed["on_time"] == "100.0%"  # every closed one was closed before its deadline
