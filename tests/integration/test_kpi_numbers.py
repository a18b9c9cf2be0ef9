"""Every overview KPI, at city, district and street level for two periods and their
comparison periods, equals an independent pandas computation from the raw Parquet."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from cockpit import kpis, views
from cockpit.state import ViewState, comparison_range

PERIODS = [(dt.date(2026, 10, 1), dt.date(2026, 10, 31)), (dt.date(2025, 1, 1), dt.date(2025, 6, 30))]


def clean(frame: pd.DataFrame, id_col: str, time_col: str) -> pd.DataFrame:
    """The staging rules, written again in pandas: latest copy per id, unit present,
    own time not after ingestion."""
    frame = frame.sort_values("ingested_at").drop_duplicates(id_col, keep="last")
    return frame[frame.grid_code.notna() & (frame[time_col] <= frame.ingested_at)]


def expected(raw: dict, unit: str, start: dt.date, end: dt.date) -> dict:
    prefix = "31" if unit == "310000" else unit
    a = clean(raw["applications"], "app_id", "submit_time")
    a = a[a.grid_code.str.startswith(prefix) & a.submit_time.dt.date.between(start, end)]
    e = clean(raw["events"], "event_id", "report_time")
    e = e[e.grid_code.str.startswith(prefix) & e.report_time.dt.date.between(start, end)]
    done = a[a.status == "completed"]
    on_time = done.complete_time <= done.submit_time + pd.to_timedelta(done.promised_days, unit="D")
    rated = a[a.rating.notna()]
    closed = e[e.close_time.notna() & (e.close_time >= e.report_time)]
    hot = e[e.rating.notna()]

    def share(num, den):
        return None if den == 0 else 100.0 * num / den

    return {
        "applications": len(a),
        "online_rate": share(a.channel.isin(["online", "mobile"]).sum(), len(a)),
        "full_online_rate": share(a.is_full_online.sum(), len(a)),
        "on_time_completion_rate": share(on_time.sum(), len(done)),
        "satisfaction_rate": share((rated.rating >= 4).sum(), len(rated)),
        "events": len(e),
        "on_time_closure_rate": share((closed.close_time <= closed.deadline).sum(), len(closed)),
        "proactive_rate": share(e.source.isin(["grid_patrol", "iot", "video_ai"]).sum(), len(e)),
        "hotline_satisfaction_rate": share((hot.rating >= 4).sum(), len(hot)),
        "avg_close_hours": None if len(closed) == 0 else
        (closed.close_time - closed.report_time).dt.total_seconds().sum() / 3600 / len(closed),
    }


@pytest.fixture(scope="module")
def street(raw):
    """The street of Pudong with the most applications."""
    a = raw["applications"].dropna(subset=["grid_code"])
    return a[a.grid_code.str.startswith("310115")].grid_code.str[:9].value_counts().index[0]


@pytest.mark.parametrize("level", ["city", "district", "street"])
@pytest.mark.parametrize("period", PERIODS, ids=["2026-10", "2025-H1"])
def test_overview_kpis_equal_records(runner, raw, street, level, period):
    unit = {"city": "310000", "district": "310115", "street": street}[level]
    start, end = period
    state = ViewState(unit, start, end, "month", "yoy", "zh")
    data = views.overview(runner, state, "31")
    cmp_start, cmp_end = comparison_range(start, end, "yoy")
    now, before = expected(raw, unit, start, end), expected(raw, unit, cmp_start, cmp_end)
    shown_ids = {t["kpi_id"] for t in data["tiles"]}
    assert shown_ids == {k.id for k in kpis.catalogue() if k.headline} and len(shown_ids) >= 8
    assert shown_ids <= set(now), "a headline KPI has no independent computation in this test"
    for tile in data["tiles"]:
        for shown, truth in ((tile["value"], now[tile["kpi_id"]]), (tile["previous"], before[tile["kpi_id"]])):
            if truth is None:
                assert shown is None, tile["kpi_id"]
            else:
                assert shown == pytest.approx(truth, rel=1e-9), tile["kpi_id"]
    assert now["applications"] > 0 and now["events"] > 0  # the sample is not empty


def test_rates_are_not_averaged_across_units(runner, raw):
    """The city's on-time closure rate is the pooled rate, which differs from the mean of the
    districts' rates; the cockpit shows the pooled one."""
    start, end = PERIODS[1]
    city = views.overview(runner, ViewState("310000", start, end, "month", "yoy", "zh"), "31")
    shown = next(t["value"] for t in city["tiles"] if t["kpi_id"] == "on_time_closure_rate")
    district_rates = [expected(raw, d, start, end)["on_time_closure_rate"]
                      for d in raw["units"].query("unit_level == 2").unit_code]
    pooled = expected(raw, "310000", start, end)["on_time_closure_rate"]
    assert shown == pytest.approx(pooled, rel=1e-9)
    assert abs(np.mean(district_rates) - pooled) > 1e-6
    assert shown != pytest.approx(np.mean(district_rates), rel=1e-9)
