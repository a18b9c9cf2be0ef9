"""Government services (一网通办): breakdowns, handling-time distribution, worst-rated items."""
from __future__ import annotations

import numpy as np
import pandas as pd

from cockpit.queries import Runner
from cockpit.views import by_dimension
from cockpit.units import prefix_of
from cockpit.state import ViewState

DIMENSIONS = ("channel", "applicant_type", "dept_code", "item_id")
TILE_KPIS = ["applications", "online_rate", "full_online_rate", "cross_district_rate",
             "on_time_completion_rate", "avg_handling_hours", "satisfaction_rate"]


def reference_names(runner: Runner, kind: str, lang: str) -> dict:
    """Names of departments (kind dept_code) or service items (item_id) in the language."""
    ref = runner.run("reference")
    ref = ref[ref.kind == kind]
    return dict(zip(ref.key, ref.name_en if lang == "en" else ref.name_zh))


def breakdown(runner: Runner, state: ViewState, dim: str) -> pd.DataFrame:
    """Applications by one dimension, with the rates computed from the summed measures."""
    frame = by_dimension(runner, "services_breakdown", prefix_of(state.unit), state.start, state.end, dim)
    if dim in ("dept_code", "item_id"):
        frame.insert(1, "name", frame.key.map(reference_names(runner, dim, state.lang)))
    else:
        frame.insert(1, "name", frame.key)
    def rate(num, den):
        return 100.0 * frame[num] / frame[den].where(frame[den] > 0)
    frame["online_rate"] = rate("apps_online", "apps")
    frame["on_time_completion_rate"] = rate("apps_on_time", "apps_completed")
    frame["satisfaction_rate"] = rate("apps_rated_good", "apps_rated")
    return frame.sort_values("apps", ascending=False).reset_index(drop=True)


def handling_distribution(runner: Runner, state: ViewState) -> tuple[pd.DataFrame, dict]:
    """Completed applications per day of handling time, and the mean and p90 in hours.
    p90 is the smallest whole hour h such that at least 90% finished in under h hours."""
    hours = runner.run("handling_hours", prefix=prefix_of(state.unit), start=state.start, end=state.end)
    total = int(hours.apps.sum())
    stats = {"completed": total, "p90_hours": None}
    if total:
        cum = hours.apps.cumsum().to_numpy()
        stats["p90_hours"] = int(hours.hour.to_numpy()[np.searchsorted(cum, 0.9 * total)]) + 1
    days = (hours.hour // 24).rename("day")
    by_day = hours.groupby(days)["apps"].sum().reset_index().rename(columns={"day": "handling_days"})
    return by_day, stats


def worst_items(runner: Runner, state: ViewState, n: int = 10) -> pd.DataFrame:
    """Items with the lowest satisfaction (at least 5 ratings) and their most common complaint."""
    items = runner.run("worst_items", prefix=prefix_of(state.unit), start=state.start, end=state.end,
                       min_ratings=5, limit=n)
    items.insert(1, "name", items.item_id.map(reference_names(runner, "item_id", state.lang)))
    return items
