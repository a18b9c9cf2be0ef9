"""Benchmark: one leader's page callbacks, cold and warm, beside an empty Dash callback.

    COCKPIT_DATA_DIR=/path/to/default-data python bench/callbacks.py [--views 6] [--warm 5]

Starts `python app.py` (the production server it runs) and `bench/empty_app.py` served the same
way, logs in as `leader`, then for each page and each of `--views` (unit, period, grain) views
(the city, districts and streets; month to date, last month, year to
date, last 30 days; week, month, quarter) posts the page-rendering callback recorded from Chromium
(bench/payloads/): once when nobody has asked for that view before (cold: the cockpit's keys in
a shared Redis cache are deleted first), then, once its cards
hold their models (a trend card's forecast is fitted by a worker thread), `--warm` times more
(warm). Every cockpit request is followed by one empty callback, so both see the same
machine. Prints per page the median and p95 of each, and their ratios to the empty callback's;
writes the table to bench/results/callbacks-<time>.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests  # noqa: E402

import load_support as ls  # noqa: E402

PENDING = "chart-pending"  # the class of a card's waiting notice (cockpit/components/cards.py)
PERIODS = ("mtd", "last_month", "ytd", "last_30")
GRAINS = ("week", "month", "quarter")


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def views(data_dir: Path, count: int, seed: int) -> list[str]:
    """`count` query strings: the city, then districts and streets, each with a period (a preset
    of the filter bar, up to the last day with data) and a grain."""
    import duckdb

    from cockpit.marts.build import current_version, mart_path
    from cockpit.state import preset_range

    with duckdb.connect(str(mart_path(data_dir / "marts", current_version(data_dir / "marts"))), read_only=True) as con:
        last = con.execute("SELECT max(day) FROM unit_daily WHERE unit_level = 1").fetchone()[0]
        units = con.execute("SELECT unit_code, unit_level FROM units WHERE unit_level <= 3 ORDER BY unit_code").fetchall()
    pick = random.Random(seed)
    city = [u for u, level in units if level == 1]
    districts = [u for u, level in units if level == 2]
    streets = [u for u, level in units if level == 3]
    chosen = city + pick.sample(districts, max(0, (count - 1) * 2 // 3)) + pick.sample(streets, count)
    searches = []
    for unit in chosen[:count]:
        start, end = preset_range(pick.choice(PERIODS), last)
        searches.append("?" + urlencode({"unit": unit, "start": start.isoformat(), "end": end.isoformat(),
                                         "grain": pick.choice(GRAINS), "cmp": "yoy", "lang": "zh"}))
    return searches


def post(session: requests.Session, url: str, body: bytes) -> tuple[float, str]:
    t0 = time.perf_counter()
    r = session.post(url, data=body, headers={"Content-Type": "application/json"}, timeout=120)
    ms = (time.perf_counter() - t0) * 1000
    r.raise_for_status()
    return ms, r.text


def settle(session: requests.Session, url: str, body: bytes, wait: float = 120.0) -> None:
    """Until the page's cards hold their models (a trend card first shows its series with a notice
    while a worker thread fits the forecast: such a page is not cached, so it is not warm yet)."""
    deadline = time.monotonic() + wait
    while PENDING in post(session, url, body)[1] and time.monotonic() < deadline:
        time.sleep(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--views", type=int, default=6, help="views per page (city, districts, streets)")
    parser.add_argument("--warm", type=int, default=5, help="warm repeats of each view")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    from cockpit.config import load_settings

    data_dir = load_settings().data_dir
    page_url, page_template = ls.load_payload(ls.COCKPIT_PAYLOAD)
    echo_url, echo_template = ls.load_payload(ls.EMPTY_PAYLOAD)
    ls.empty_shared_cache()
    with ls.cockpit(None) as app:
        kind, workers = ls.served_by(app)
        with ls.empty_app(kind, workers, ls.cockpit_threads()) as empty:
            # only after the cockpit has built its marts on first start: its units are read here
            searches = views(data_dir, args.views, args.seed)
            print("\n".join(ls.verify(app.base, empty.base, searches[0])))
            times: dict[str, dict[str, list[float]]] = {}
            with requests.Session() as session, requests.Session() as echo:
                session.post(app.base + "/login", allow_redirects=False,
                             data={"username": "leader", "password": ls.PASSWORD, "next": "/"}).raise_for_status()
                for search in searches:
                    for page in ls.HEADINGS:
                        body = ls.page_body(page_template, page, search)
                        echo_body = ls.echo_body(echo_template, page + search)
                        got = times.setdefault(page, {"cold": [], "warm": [], "empty": []})
                        for i in range(1 + args.warm):
                            if i == 1:
                                settle(session, app.base + page_url, body)
                            got["cold" if i == 0 else "warm"].append(post(session, app.base + page_url, body)[0])
                            got["empty"].append(post(echo, empty.base + echo_url, echo_body)[0])
    rows = []
    for page, got in times.items():
        empty_med, empty_p95 = statistics.median(got["empty"]), p95(got["empty"])
        rows.append({"page": page, "views": len(got["cold"]),
                     "cold_median": statistics.median(got["cold"]), "cold_p95": p95(got["cold"]),
                     "warm_median": statistics.median(got["warm"]), "warm_p95": p95(got["warm"]),
                     "empty_median": empty_med, "empty_p95": empty_p95,
                     "cold_p95_ratio": p95(got["cold"]) / empty_p95, "warm_p95_ratio": p95(got["warm"]) / empty_p95})
    print(f"\nserver: {kind}, {workers} worker(s); views per page: {args.views}, warm repeats: {args.warm}")
    print(f"{'page':<12} {'cold med':>9} {'cold p95':>9} {'warm med':>9} {'warm p95':>9} "
          f"{'empty med':>9} {'empty p95':>9} {'cold÷empty p95':>15} {'warm÷empty p95':>15}")
    for r in rows:
        print(f"{r['page']:<12} {r['cold_median']:>9.1f} {r['cold_p95']:>9.1f} {r['warm_median']:>9.1f} "
              f"{r['warm_p95']:>9.1f} {r['empty_median']:>9.1f} {r['empty_p95']:>9.1f} "
              f"{r['cold_p95_ratio']:>14.1f}× {r['warm_p95_ratio']:>14.1f}×")
    ls.RESULTS.mkdir(exist_ok=True)
    out = ls.RESULTS / f"callbacks-{dt.datetime.now():%Y%m%dT%H%M%S}.json"
    out.write_text(json.dumps({"server": kind, "workers": workers, "rows": rows, "searches": searches}, indent=1))
    print(f"written to {out}")


if __name__ == "__main__":
    main()
