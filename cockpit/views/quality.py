"""Data quality for a unit and period: freshness per source, each check's failing records, their
monthly trend, and failing records per district."""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from cockpit.kpis import REFRESH_DAYS
from cockpit.queries import Runner
from cockpit.units import prefix_of
from cockpit.state import ViewState, shift_months
from cockpit.views import data_range, with_coverage

SOURCES = ("applications", "events", "readings")


def freshness(runner: Runner, now: dt.datetime) -> pd.DataFrame:
    """Per source: newest record, newest ingestion, rows, and whether it is fresh (newest
    record no older than two days: every source is expected daily)."""
    frame = runner.run("freshness")[["source", "latest_record", "latest_ingest", "rows"]].copy()
    allowed = dt.timedelta(days=2 * REFRESH_DAYS["daily"])
    frame["fresh"] = [now - pd.Timestamp(t).to_pydatetime() <= allowed for t in frame.latest_record]
    return frame


def _run(runner: Runner, name: str, **params) -> pd.DataFrame | None:
    try:
        return runner.run(name, **params)
    except duckdb.CatalogException:  # marts built before the quality checks existed
        return None


def checks(runner: Runner, state: ViewState) -> pd.DataFrame | None:
    frame = _run(runner, "quality_summary", prefix=prefix_of(state.unit), start=state.start, end=state.end)
    if frame is not None:
        frame["failed_share"] = frame.failed / frame.checked.where(frame.checked > 0) * 100
    return frame


def trend(runner: Runner, state: ViewState) -> pd.DataFrame | None:
    """Failing records per check and month over the twelve months to the period's end (the
    checks that found something: a line lying on zero tells nothing)."""
    start = shift_months(state.end, -11).replace(day=1)
    frame = _run(runner, "quality_trend", prefix=prefix_of(state.unit), start=start, end=state.end)
    if frame is None:
        return None
    found = frame.groupby(["source", "check_id"]).failed.transform("sum") > 0
    first_day, last_day = data_range(runner)
    return with_coverage(frame[found].reset_index(drop=True), "month", max(start, first_day), min(state.end, last_day))


def by_unit(runner: Runner, state: ViewState) -> pd.DataFrame | None:
    return _run(runner, "quality_by_unit", prefix=prefix_of(state.unit), start=state.start, end=state.end)
