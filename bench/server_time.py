"""Benchmark: server time of the overview and the working pages at `default` scale.

Measures, for a set of (unit, period) views at city, district and street level:
  * cold  - the overview's queries with an empty cache (new cache per view);
  * warm  - the same views again, answered from the cache;
  * page  - the whole page layout function (queries + components + figures), warm;
  * raw   - the same headline numbers computed straight from the raw Parquet with DuckDB
            (staging rules applied inline), the work the marts save on every interaction.
Prints medians in milliseconds and the raw/cold ratio. Uses COCKPIT_DATA_DIR (default ./data);
generates `default` demo data and builds marts there first if it has none.

    python bench/overview.py [--repeat 5]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import duckdb  # noqa: E402

from cockpit import views  # noqa: E402
from cockpit.config import load_settings  # noqa: E402
from cockpit.marts.build import sql_string  # noqa: E402
from cockpit.queries import make_cache  # noqa: E402
from cockpit.state import ViewState, comparison_range, preset_range, shift_months  # noqa: E402
from cockpit.units import CITY_CODE, prefix_of  # noqa: E402
from cockpit.web import create_app, ensure_data  # noqa: E402

RAW_SQL = """
WITH a AS (
  SELECT * FROM read_parquet({apps}) WHERE grid_code IS NOT NULL AND submit_time <= ingested_at
  QUALIFY row_number() OVER (PARTITION BY app_id ORDER BY ingested_at DESC) = 1
), e AS (
  SELECT * FROM read_parquet({events}) WHERE grid_code IS NOT NULL AND report_time <= ingested_at
  QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY ingested_at DESC) = 1
)
SELECT
  (SELECT count(*) FROM a WHERE starts_with(grid_code, $p) AND CAST(submit_time AS DATE) BETWEEN $s AND $e) AS apps,
  (SELECT count(*) FILTER (channel IN ('online','mobile')) FROM a WHERE starts_with(grid_code, $p) AND CAST(submit_time AS DATE) BETWEEN $s AND $e) AS online,
  (SELECT count(*) FILTER (is_full_online) FROM a WHERE starts_with(grid_code, $p) AND CAST(submit_time AS DATE) BETWEEN $s AND $e) AS full_online,
  (SELECT count(*) FILTER (status = 'completed' AND complete_time <= submit_time + to_days(promised_days)) FROM a WHERE starts_with(grid_code, $p) AND CAST(submit_time AS DATE) BETWEEN $s AND $e) AS on_time,
  (SELECT count(*) FILTER (rating >= 4) FROM a WHERE starts_with(grid_code, $p) AND CAST(submit_time AS DATE) BETWEEN $s AND $e) AS good,
  (SELECT count(*) FROM e WHERE starts_with(grid_code, $p) AND CAST(report_time AS DATE) BETWEEN $s AND $e) AS events,
  (SELECT count(*) FILTER (close_time >= report_time AND close_time <= deadline) FROM e WHERE starts_with(grid_code, $p) AND CAST(report_time AS DATE) BETWEEN $s AND $e) AS closed_on_time,
  (SELECT count(*) FILTER (source IN ('grid_patrol','iot','video_ai')) FROM e WHERE starts_with(grid_code, $p) AND CAST(report_time AS DATE) BETWEEN $s AND $e) AS proactive
"""


def median_ms(samples):
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    settings = load_settings()
    ensure_data(settings)
    app = create_app(settings)
    from cockpit import runtime
    from cockpit.pages import overview as page

    runner = runtime.runner()
    first, last = views.data_range(runner)
    street = runner.run("children", unit="310115").unit_code.iloc[0]
    view_list = []
    for unit in (CITY_CODE, "310115", street):
        for preset in ("mtd", "last_month", "ytd"):
            start, end = preset_range(preset, last)
            view_list.append(ViewState(unit, start, end, "month", "yoy", "zh"))

    cold, warm, pages, raw = [], [], [], []
    for _ in range(args.repeat):
        for state in view_list:
            runner.cache = make_cache("", app.server)  # empty cache: every query runs
            t0 = time.perf_counter()
            views.overview(runner, state)
            cold.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            views.overview(runner, state)
            warm.append(time.perf_counter() - t0)
            query = dict(unit=state.unit, start=state.start.isoformat(), end=state.end.isoformat())
            t0 = time.perf_counter()
            page.layout(**query)
            pages.append(time.perf_counter() - t0)

    raw_dir = settings.raw_dir
    sql = RAW_SQL.format(apps=sql_string(str(raw_dir / "applications/*.parquet")),
                         events=sql_string(str(raw_dir / "events/*.parquet")))
    con = duckdb.connect()
    con.execute("SET threads = 2")
    for _ in range(max(1, args.repeat // 2)):
        for state in view_list:
            prefix = prefix_of(state.unit)
            t0 = time.perf_counter()
            for s, e in [(state.start, state.end), comparison_range(state.start, state.end, "yoy"),
                         (shift_months(state.end, -11).replace(day=1), state.end)]:
                con.execute(sql, {"p": prefix, "s": s, "e": e}).fetchall()
            raw.append(time.perf_counter() - t0)

    # Every page's server time (its layout function: queries, components, figures), cold and warm.
    from cockpit.pages import operations, services, trends, vitals
    page_times = {}
    for name, module in (("overview", page), ("services", services), ("operations", operations), ("vitals", vitals),
                         ("trends", trends)):
        cold_p, warm_p = [], []
        for _ in range(max(1, args.repeat // 2)):
            for state in view_list:
                query = dict(unit=state.unit, start=state.start.isoformat(), end=state.end.isoformat())
                runner.cache = make_cache("", app.server)
                t0 = time.perf_counter()
                module.layout(**query)
                cold_p.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                module.layout(**query)
                warm_p.append(time.perf_counter() - t0)
        page_times[name] = (median_ms(cold_p), median_ms(warm_p))

    rows = runner.run("freshness")
    print(f"marts {rows.version.iloc[0]}  applications {int(rows[rows.source == 'applications'].rows.iloc[0]):,}  "
          f"events {int(rows[rows.source == 'events'].rows.iloc[0]):,}  views {len(view_list)} x {args.repeat}")
    print(f"overview queries, cold cache : median {median_ms(cold):8.1f} ms")
    print(f"overview queries, warm cache : median {median_ms(warm):8.1f} ms")
    print(f"overview page layout (warm)  : median {median_ms(pages):8.1f} ms")
    print(f"same numbers from raw Parquet: median {median_ms(raw):8.1f} ms "
          f"(raw / cold = {statistics.median(raw) / statistics.median(cold):.0f}x)")
    for name, (c, w) in page_times.items():
        print(f"page {name:<11} server time  : median cold {c:8.1f} ms, warm {w:8.1f} ms")


if __name__ == "__main__":
    main()
