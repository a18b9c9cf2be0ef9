"""Benchmark: how soon a leader sees the overview's tiles, and what the browser downloads.

    COCKPIT_DATA_DIR=/path/to/default-data python bench/first_paint.py [--repeat 5] [--path /]

Starts `python app.py` (as a user does), logs in in headless Chromium, then opens the page
(`--path`, the overview by default) in a new
browser context (empty browser cache) `--repeat` times, each for a month the server has not
drawn yet in this run (cold: its queries run) and once more for the same month (warm). For each
it measures the time from navigation start to the first KPI tile value on screen, and sums the
bytes transferred (compressed, as on the wire) and decoded for JavaScript, CSS and the rest.
Prints medians; writes bench/results/first-paint-<time>.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import load_support as ls  # noqa: E402

CHROMIUM = os.environ.get("COCKPIT_CHROMIUM", "/usr/bin/chromium")
TILE = ".kpi-value"


def open_page(browser, base: str, path: str, query: str) -> dict:
    """A new context (empty cache) logged in; then the page, timed to the first tile value."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    # logged in by a form post that loads no page: the browser's cache stays empty
    login = context.request.post(base + "/login", form={"username": "leader", "password": ls.PASSWORD, "next": "/"},
                                 max_redirects=0)
    assert login.status == 302, f"login answered {login.status}"
    page = context.new_page()
    sizes = {"script": [0, 0], "stylesheet": [0, 0], "other": [0, 0]}

    def count(response):
        kind = response.request.resource_type
        kind = kind if kind in sizes else "other"
        try:
            wire = response.request.sizes()["responseBodySize"]
            body = len(response.body())
        except Exception:  # a redirect or an aborted request has no body
            return
        sizes[kind][0] += wire
        sizes[kind][1] += body

    page.on("response", count)
    t0 = time.perf_counter()
    page.goto(base + path + query, wait_until="commit")
    page.wait_for_selector(TILE, timeout=120_000)
    first_tile = (time.perf_counter() - t0) * 1000
    page.wait_for_load_state("networkidle")
    if page.locator(".dash-graph").count():  # plotly.js arrives with the first chart
        page.wait_for_selector(".js-plotly-plot", timeout=120_000)
        page.wait_for_load_state("networkidle")
    context.close()
    return {"first_tile_ms": first_tile, **{f"{k}_wire": v[0] for k, v in sizes.items()},
            **{f"{k}_decoded": v[1] for k, v in sizes.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--path", default="/", help="the page (its KPI tiles are awaited; every working page has them)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    months = [f"?start=2026-{m:02d}-01&end=2026-{m:02d}-28" for m in range(1, 1 + args.repeat)]
    runs = {"cold": [], "warm": []}
    with ls.cockpit(None) as app, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for query in months:
            runs["cold"].append(open_page(browser, app.base, args.path, query))
            runs["warm"].append(open_page(browser, app.base, args.path, query))
        browser.close()
    print(f"{'':6} {'first tile ms':>14} {'JS wire KiB':>12} {'JS decoded KiB':>15} {'CSS wire KiB':>13} {'other wire KiB':>15}")
    summary = {}
    for kind, rows in runs.items():
        med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
        summary[kind] = med
        print(f"{kind:6} {med['first_tile_ms']:>14.0f} {med['script_wire'] / 1024:>12.0f} "
              f"{med['script_decoded'] / 1024:>15.0f} {med['stylesheet_wire'] / 1024:>13.0f} {med['other_wire'] / 1024:>15.0f}")
    ls.RESULTS.mkdir(exist_ok=True)
    out = ls.RESULTS / f"first-paint-{dt.datetime.now():%Y%m%dT%H%M%S}.json"
    out.write_text(json.dumps({"path": args.path, "runs": runs, "medians": summary}, indent=1))
    print(f"written to {out}")


if __name__ == "__main__":
    main()
