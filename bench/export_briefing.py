"""Benchmark: the time to export a 10-chart briefing as PPTX, PDF and ZIP.

Ten chart cards from four pages (district and street views of October) go into a basket; each
format is exported `--repeat` times through the same function the background worker runs
(render every card again from its page, narrative from the marts, PNG 3200×1800 with kaleido,
then the file). The first export also starts the warm Chromium that kaleido keeps; it is
reported separately. Prints medians in seconds and the per-chart share. Uses COCKPIT_DATA_DIR
(default ./data; demo data and marts are made there first if it has none).

    COCKPIT_DATA_DIR=/path/to/default-data python bench/export_briefing.py --repeat 3
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cockpit import runtime  # noqa: E402
from cockpit.config import load_settings  # noqa: E402
from cockpit.export import charts, jobs  # noqa: E402
from cockpit.ops import briefing  # noqa: E402
from cockpit.ops.loop import Actor  # noqa: E402
from cockpit.units import CITY_CODE  # noqa: E402
from cockpit.web import create_app, ensure_data  # noqa: E402

OCT = "start=2026-10-01&end=2026-10-31"
CARDS = [
    ("/services", f"?unit=310115&{OCT}&kpi=online_rate", "map"),
    ("/services", f"?unit=310115&{OCT}&kpi=online_rate", "ranking"),
    ("/services", f"?unit=310115&{OCT}&kpi=online_rate", "trend"),
    ("/services", f"?unit=310115&{OCT}", "channel"),
    ("/services", f"?unit=310115&{OCT}", "dept"),
    ("/operations", f"?unit=310115&{OCT}&kpi=events", "ranking"),
    ("/operations", f"?unit=310115&{OCT}&kpi=events", "lifecycle"),
    ("/operations", f"?unit=310115&{OCT}&kpi=events", "categories"),
    ("/vitals", f"?unit=310115&{OCT}", "vital-water_level"),
    ("/trends", f"?unit=310115&kpi=online_rate&{OCT}", "trend-analysis"),
]
ACTOR = Actor("bench", "staff", CITY_CODE)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    settings = load_settings()
    ensure_data(settings)
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings({"COCKPIT_DATA_DIR": str(settings.data_dir),
                                  "COCKPIT_OPS_URL": f"sqlite:///{tmp}/ops.sqlite"})
        create_app(settings)
        store = runtime.store()
        with runtime.acting_as(ACTOR):
            for path, query, card in CARDS:
                chart = charts.render(path, query, card)
                briefing.add(store, "bench", path, chart.state, card, chart.title, chart.unit_name, chart.period)
        basket = briefing.items(store, "bench")
        print(f"basket: {len(basket)} charts from {len({c[0] for c in CARDS})} pages")

        def export(fmt: str) -> float:
            export_id = briefing.start_export(store, "bench", fmt, "基准简报", basket, len(basket) + 1)
            start = time.perf_counter()
            jobs.run(export_id, ACTOR, "zh")
            return time.perf_counter() - start

        first = export("pptx")
        print(f"first export (starts kaleido's Chromium): {first:.2f} s")
        for fmt in briefing.FORMATS:
            times = [export(fmt) for _ in range(args.repeat)]
            median = statistics.median(times)
            print(f"{fmt}: median {median:.2f} s over {args.repeat} ({median / len(basket):.2f} s per chart); "
                  f"runs {', '.join(f'{t:.2f}' for t in times)}")


if __name__ == "__main__":
    main()
