"""Record the callback requests the load test replays, from a real browser.

A Dash multi-page app renders a page through one POST /_dash-update-component: the callback of
dash.page_container whose inputs are _pages_location's pathname and search. Its body depends on
Dash's renderer (version, the layout's ids), so it is recorded, not written by hand: headless
Chromium logs in, opens /services, and the body of that POST is saved as
bench/payloads/cockpit_page.json; the empty app's one callback as bench/payloads/empty_callback.json.
Then both are replayed with `requests` (every page must answer 200 with its heading).

    COCKPIT_DATA_DIR=/path/to/data python bench/capture_payloads.py

Run it again after a Dash upgrade or a change to the page container."""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load_support as ls  # noqa: E402

CHROMIUM = os.environ.get("COCKPIT_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]
SEARCH = "?unit=310115&grain=month&cmp=yoy&lang=zh"  # a district; the default period


def _record(page, url: str, ready: str) -> list[dict]:
    """The bodies of every callback POST made while opening `url`."""
    bodies: list[dict] = []

    def on_request(request):
        if request.method == "POST" and urlsplit(request.url).path == ls.CALLBACK:
            # Dash 4 adds ?endId=<a token signed per page load>; it only binds background
            # callbacks to their page, so the recorded one is replayed as it is.
            query = urlsplit(request.url).query
            bodies.append({"url": ls.CALLBACK + "?" + query, "body": json.loads(request.post_data)})

    page.on("request", on_request)
    page.goto(url)
    page.wait_for_selector(ready, timeout=120_000)
    page.wait_for_load_state("networkidle")
    page.remove_listener("request", on_request)
    return bodies


def _save(path: Path, url: str, request: dict, others: list[dict]) -> None:
    import dash

    path.parent.mkdir(parents=True, exist_ok=True)
    parts = urlsplit(url)
    path.write_text(json.dumps({
        "captured": dt.date.today().isoformat(), "from": parts.path + ("?" + parts.query if parts.query else ""),
        "dash": dash.__version__,
        "note": "recorded by bench/capture_payloads.py; bench/load.py sets the page "
                "(pathname and search; the empty app: its input value)",
        "other_callbacks_on_the_page": sorted({b["body"]["output"] for b in others}),  # fired after the page renders
        "url": request["url"], "body": request["body"],
    }, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"wrote {path.relative_to(ls.ROOT)}")


def main() -> None:
    from playwright.sync_api import sync_playwright

    with ls.cockpit(None) as cockpit:
        kind, workers = ls.served_by(cockpit)
        with ls.empty_app(kind, workers, ls.cockpit_threads()) as empty, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN").new_page()
            page.goto(cockpit.base + "/login")
            page.fill("#username", "leader")
            page.fill("#password", ls.PASSWORD)
            with page.expect_navigation():
                page.click("#login-submit")
            page.wait_for_selector(".page-heading", timeout=120_000)

            url = cockpit.base + "/services" + SEARCH
            bodies = _record(page, url, ".page-heading")
            pages = [b for b in bodies
                     if any(isinstance(i, dict) and i.get("id") == "_pages_location" for i in b["body"]["inputs"])]
            if len(pages) != 1:
                raise SystemExit(f"expected one page-container callback, saw {[b['body']['output'] for b in bodies]}")
            _save(ls.COCKPIT_PAYLOAD, url, pages[0], [b for b in bodies if b is not pages[0]])

            url = empty.base + "/"
            bodies = _record(page, url, "#out:has-text('ping')")
            if len(bodies) != 1:
                raise SystemExit(f"expected one callback on the empty app, saw {len(bodies)}")
            _save(ls.EMPTY_PAYLOAD, url, bodies[0], [])
            browser.close()
            print("\n".join(ls.verify(cockpit.base, empty.base, SEARCH)))


if __name__ == "__main__":
    main()
