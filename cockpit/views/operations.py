"""City operations (一网统管): events by source and category, lifecycle, open and overdue."""
from __future__ import annotations

import pandas as pd

from cockpit.queries import Runner
from cockpit.views import by_dimension
from cockpit.units import prefix_of
from cockpit.state import ViewState

TILE_KPIS = ["events", "on_time_closure_rate", "proactive_rate", "repeat_rate",
             "hotline_satisfaction_rate", "avg_close_hours"]
STAGES = ("register", "dispatch", "dispose", "check", "close")


def breakdown(runner: Runner, state: ViewState, dim: str) -> pd.DataFrame:
    frame = by_dimension(runner, "events_breakdown", prefix_of(state.unit), state.start, state.end, dim)
    frame["on_time_closure_rate"] = 100.0 * frame.events_closed_on_time / frame.events_closed.where(frame.events_closed > 0)
    return frame.sort_values("events", ascending=False).reset_index(drop=True)


def lifecycle(runner: Runner, state: ViewState) -> pd.DataFrame:
    """Per stage: events that reached it and the mean hours spent getting there from the stage
    before (report → register → dispatch → dispose → check → close)."""
    by_source = breakdown(runner, state, "source")
    total = by_source.sum(numeric_only=True)
    reached = {"register": total.get("reached_register", 0), "dispatch": total.get("reached_dispatch", 0),
               "dispose": total.get("reached_dispose", 0), "check": total.get("reached_check", 0),
               "close": total.get("events_closed", 0)}
    rows = [{"stage": "report", "events": int(total.get("events", 0)), "mean_hours": None}]
    for stage in STAGES:
        n = int(reached[stage])
        secs = float(total.get(f"stage_{stage}_seconds", 0))
        rows.append({"stage": stage, "events": n, "mean_hours": secs / 3600 / n if n else None})
    return pd.DataFrame(rows)


def open_events(runner: Runner, state: ViewState) -> pd.DataFrame:
    return runner.run("open_events", prefix=prefix_of(state.unit)).sort_values(
        "overdue_events", ascending=False).reset_index(drop=True)
