"""The overview's KPI tiles equal an independent pandas computation from the raw Parquet.

Every headline KPI of the catalogue, at city, district, street, community and grid level, for
two periods and their year-on-year comparison periods: the tile's value, its comparison value,
its numerator and denominator, and its 12-month sparkline. The expected numbers come from the
raw files read with pandas, with the staging rules (the KPI definitions) written again here;
no DuckDB and no project code is used on the expected side. A last test shows that rates are
pooled from numerators and denominators, not averaged across child units."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from cockpit import kpis, views
from cockpit.state import ViewState

CITY = "310000"
DISTRICT = "310115"  # 浦东新区
# (start, end) of a period and of the same period a year earlier.
PERIODS = {
    "2026-10": ((dt.date(2026, 10, 1), dt.date(2026, 10, 31)), (dt.date(2025, 10, 1), dt.date(2025, 10, 31))),
    "2025-H1": ((dt.date(2025, 1, 1), dt.date(2025, 6, 30)), (dt.date(2024, 1, 1), dt.date(2024, 6, 30))),
}
PROACTIVE = ("grid_patrol", "iot", "video_ai")
ONLINE = ("online", "mobile")
TOL = dict(rel=1e-12, abs=1e-12)


# ------------------------------------------------------------ the staging rules, in pandas

def stage(frame: pd.DataFrame, id_col: str, time_col: str) -> pd.DataFrame:
    """Rows with a unit, not future-dated (own time after ingestion), one per id (the copy
    ingested last)."""
    frame = frame[frame.grid_code.notna() & (frame[time_col] <= frame.ingested_at)]
    frame = frame.sort_values("ingested_at", kind="stable").drop_duplicates(id_col, keep="last")
    return frame.assign(day=frame[time_col].dt.normalize())


@pytest.fixture(scope="module")
def facts(raw):
    apps = stage(raw["applications"], "app_id", "submit_time")
    events = stage(raw["events"], "event_id", "report_time")
    readings = raw["readings"].merge(raw["sensors"], on="sensor_id")
    readings = readings[(readings.value >= readings.valid_min) & (readings.value <= readings.valid_max)]
    readings = readings.assign(day=readings.ts.dt.normalize())
    return apps, events, readings


def under(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Rows of a unit: every row for the city, else rows whose grid code starts with the unit's."""
    return frame if unit == CITY else frame[frame.grid_code.str.startswith(unit)]


def during(frame: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    return frame[(frame.day >= pd.Timestamp(start)) & (frame.day <= pd.Timestamp(end))]


def truth(facts, unit: str, start: dt.date, end: dt.date, known_by: dt.date | None = None) -> dict[str, tuple[float, float | None]]:
    """(numerator, denominator) of every catalogue KPI for a unit and period, from records;
    the denominator is None for counts. `known_by`: as it stood at the end of that day (an
    application completed, or an event closed, later was still open, and unrated)."""
    apps, events, readings = (during(under(f, unit), start, end) for f in facts)
    done = apps[apps.status == "completed"]
    closed = events[events.close_time.notna() & (events.close_time >= events.report_time)]
    if known_by is not None:
        done = done[done.complete_time.dt.normalize() <= pd.Timestamp(known_by)]
        closed = closed[closed.close_time.dt.normalize() <= pd.Timestamp(known_by)]
    on_time = done.complete_time <= done.submit_time + pd.to_timedelta(done.promised_days.astype(int), unit="D")
    rated = (done if known_by is not None else apps)
    rated = rated[rated.rating.notna()]
    hotline = events[events.source == "hotline"]
    hot_rated = (closed if known_by is not None else events)
    hot_rated = hot_rated[(hot_rated.source == "hotline") & hot_rated.rating.notna()]
    breach = (readings.value < readings.warn_low) | (readings.value > readings.warn_high)
    return {
        "applications": (len(apps), None),
        "online_rate": (apps.channel.isin(ONLINE).sum(), len(apps)),
        "full_online_rate": (apps.is_full_online.sum(), len(apps)),
        "cross_district_rate": (apps.is_cross_district.sum(), len(apps)),
        "on_time_completion_rate": (on_time.sum(), len(done)),
        "satisfaction_rate": ((rated.rating >= 4).sum(), len(rated)),
        "avg_handling_hours": ((done.complete_time - done.submit_time).dt.total_seconds().sum(), len(done)),
        "events": (len(events), None),
        "on_time_closure_rate": ((closed.close_time <= closed.deadline).sum(), len(closed)),
        "proactive_rate": (events.source.isin(PROACTIVE).sum(), len(events)),
        "hotline_satisfaction_rate": ((hot_rated.rating >= 4).sum(), len(hot_rated)),
        "avg_close_hours": ((closed.close_time - closed.report_time).dt.total_seconds().sum(), len(closed)),
        "repeat_rate": (hotline.is_repeat.sum(), len(hotline)),
        "vital_breaches": (breach.sum(), None),
    }


def value(kpi_id: str, num: float, den: float | None) -> float | None:
    """A KPI from its parts, by its kind: percent x100, durations seconds -> hours; an empty
    denominator means no value (not zero)."""
    if den is None:
        return float(num)
    if den == 0:
        return None
    scale = {"avg_handling_hours": 1 / 3600, "avg_close_hours": 1 / 3600}.get(kpi_id, 100.0)
    return float(num) / float(den) * scale


def values(facts, unit, start, end, known_by: dt.date | None = None) -> dict[str, float | None]:
    return {k: value(k, *parts) for k, parts in truth(facts, unit, start, end, known_by).items()}


def last_day(facts) -> dt.date:
    """The last day with any record (the data's end)."""
    return max(f.day.max() for f in facts).date()


def earlier(facts, unit, period: tuple, before: tuple) -> dict[str, float | None]:
    """The comparison period like for like: as it stood at the age `period` has now, i.e. at
    the end of the data's last day minus the days between the two periods' ends."""
    return values(facts, unit, *before, known_by=last_day(facts) - (period[1] - before[1]))


def assert_same(shown, expected, what):
    if expected is None:
        assert shown is None, f"{what}: shown {shown!r}, records give no value (empty denominator)"
    else:
        assert shown == pytest.approx(expected, **TOL), what


# ------------------------------------------------------------ the units compared

@pytest.fixture(scope="module")
def units(raw, facts):
    """One unit per level inside Pudong: the street (from units.parquet) with the most staged
    applications and events, then its busiest community and that community's busiest grid."""
    all_units = raw["units"]
    streets = all_units[(all_units.unit_level == 3) & (all_units.parent_code == DISTRICT)].unit_code
    apps, events, _ = facts
    codes = pd.concat([apps.grid_code, events.grid_code])
    busiest = lambda length, within: codes[codes.str.startswith(within)].str[:length].value_counts().index[0]  # noqa: E731
    street = busiest(9, DISTRICT)
    assert street in set(streets), "the street comes from units.parquet"
    community = busiest(12, street)
    grid = busiest(15, community)
    return {"city": CITY, "district": DISTRICT, "street": street, "community": community, "grid": grid}


def headline_ids() -> list[str]:
    return [k.id for k in kpis.catalogue() if k.headline]


# ------------------------------------------------------------ tests

def test_the_overview_shows_the_catalogue_headlines(runner):
    start, end = PERIODS["2026-10"][0]
    data = views.overview(runner, ViewState(CITY, start, end, "month", "yoy", "zh"))
    assert [t["kpi_id"] for t in data["tiles"]] == headline_ids()
    assert len(headline_ids()) >= 8


@pytest.mark.parametrize("level", ["city", "district", "street", "community", "grid"])
@pytest.mark.parametrize("period", list(PERIODS))
def test_headline_tiles_equal_records(runner, facts, units, level, period):
    unit = units[level]
    (start, end), (cmp_start, cmp_end) = PERIODS[period]
    data = views.overview(runner, ViewState(unit, start, end, "month", "yoy", "zh"))
    assert (data["cmp_start"], data["cmp_end"]) == (cmp_start.isoformat(), cmp_end.isoformat())

    now = truth(facts, unit, start, end)
    before = earlier(facts, unit, (start, end), (cmp_start, cmp_end))
    tiles = {t["kpi_id"]: t for t in data["tiles"]}
    assert set(tiles) == set(headline_ids())
    for kpi_id, tile in tiles.items():
        num, den = now[kpi_id]
        assert_same(tile["value"], value(kpi_id, num, den), f"{unit} {period} {kpi_id} value")
        assert_same(tile["previous"], before[kpi_id], f"{unit} {period} {kpi_id} previous (yoy, like for like)")
        assert tile["numerator"] == num, f"{kpi_id} numerator"
        assert tile["denominator"] == den, f"{kpi_id} denominator"
    if level in ("city", "district", "street"):  # so the comparison above is not of empty sets
        assert now["applications"][0] > 0 and now["events"][0] > 0
        assert now["on_time_closure_rate"][1] > 0 and now["satisfaction_rate"][1] > 0


@pytest.mark.parametrize("level", ["city", "district", "street"])
@pytest.mark.parametrize("period", ["running month", "closed month"])
def test_maturing_kpis_are_compared_like_for_like(runner, raw, facts, units, level, period):
    """A KPI whose records gain outcomes after their day (completions, closures, ratings) is
    compared with the same period a year earlier as it stood at the same age: for the month
    still running (its slow cases still open) and for a closed one. The tile also carries the
    comparison as it stands now (shown on hover) and the current period's open records."""
    unit, last = units[level], last_day(facts)
    start, end = (last.replace(day=1), last) if period == "running month" else PERIODS["2026-10"][0]
    before = (start.replace(year=start.year - 1), end.replace(year=end.year - 1))  # whole months both
    data = views.kpi_tiles(runner, ViewState(unit, start, end, "month", "yoy", "zh"), [k.id for k in kpis.catalogue()])
    assert (data["cmp_start"], data["cmp_end"]) == tuple(d.isoformat() for d in before)
    assert data["cutoff"] == (last - (end - before[1])).isoformat()
    now, same_age, as_now = values(facts, unit, start, end), earlier(facts, unit, (start, end), before), \
        values(facts, unit, *before)
    apps, events, _ = (during(under(f, unit), start, end) for f in facts)
    still_open = {"services": int((apps.status == "processing").sum()), "operations": int((events.status != "closed").sum())}
    maturing = [t for t in data["tiles"] if kpis.by_id(t["kpi_id"]).matures]
    assert {t["kpi_id"] for t in maturing} == {"on_time_completion_rate", "satisfaction_rate", "avg_handling_hours",
                                               "on_time_closure_rate", "hotline_satisfaction_rate", "avg_close_hours"}
    for tile in maturing:
        kpi_id, what = tile["kpi_id"], f"{unit} {period} {tile['kpi_id']}"
        assert_same(tile["value"], now[kpi_id], what + " value")
        assert_same(tile["previous"], same_age[kpi_id], what + " previous, like for like")
        assert_same(tile["previous_matured"], as_now[kpi_id], what + " previous as it stands now")
        assert tile["open"] == still_open[kpis.by_id(kpi_id).domain], what + " open records"
    if level == "city" and period == "running month":  # the cutoff changes what is compared
        assert any(same_age[t["kpi_id"]] != as_now[t["kpi_id"]] for t in maturing)
        assert all(t["open"] > 0 for t in maturing)


@pytest.mark.parametrize("kpi_id", ["on_time_completion_rate", "avg_close_hours"])
def test_tables_trends_and_attribution_compare_like_for_like_too(runner, facts, units, kpi_id):
    """Besides the tiles, every comparison of a maturing KPI in the running month is like for
    like: the sub-units' table, the trend's comparison line (同比 and 环比) and attribution."""
    from cockpit.views import drill, trends
    kpi, last = kpis.by_id(kpi_id), last_day(facts)
    start, end = last.replace(day=1), last
    year_ago = (start.replace(year=start.year - 1), end.replace(year=end.year - 1))
    district = ViewState(units["district"], start, end, "month", "yoy", "zh")
    table = drill.children_values(runner, district, kpi).set_index("unit_code")
    for street in table.index[:4]:
        assert_same(table.previous[street] if table.previous[street] == table.previous[street] else None,
                    earlier(facts, street, (start, end), year_ago)[kpi_id], f"{street} previous in the table")
    city = ViewState(CITY, start, end, "month", "yoy", "zh")
    yoy = drill.kpi_trend(runner, city, kpi).set_index("period_start")
    assert_same(yoy.previous.iloc[-1], earlier(facts, CITY, (start, end), year_ago)[kpi_id], "trend, 同比")
    month_before = ((start - dt.timedelta(days=1)).replace(day=1), start - dt.timedelta(days=1))
    pop = drill.kpi_trend(runner, ViewState(CITY, start, end, "month", "pop", "zh"), kpi).set_index("period_start")
    assert_same(pop.previous.iloc[-1], earlier(facts, CITY, (start, end), month_before)[kpi_id], "trend, 环比")
    assert_same(pop.previous.iloc[-2], earlier(facts, CITY, month_before, (
        (month_before[0] - dt.timedelta(days=1)).replace(day=1), month_before[0] - dt.timedelta(days=1)))[kpi_id],
        "trend, 环比 of the month before")
    tile = views.kpi_tiles(runner, city, [kpi_id])["tiles"][0]
    for by in ("unit", trends.DIMENSIONS[kpi.domain][0]):
        _, total = trends.attribution(runner, CITY, kpi, (start, end), year_ago, by)
        assert total == pytest.approx(tile["change"] if kpi.kind == "percent" else tile["value"] - tile["previous"],
                                      rel=1e-9), f"attribution by {by}"


@pytest.mark.parametrize("level", ["city", "district"])
def test_whole_data_range_with_every_fault_equals_records(runner, raw, tiny, facts, units, level):
    """Over all the data every injected fault kind is present (asserted for the city), so each
    staging rule changes the numbers compared here; the two periods above may hold none of a
    rare fault."""
    unit = units[level]
    start, end = (dt.date.fromisoformat(tiny.manifest[k]) for k in ("start", "end"))
    if level == "city":
        inside = lambda t: (t >= pd.Timestamp(start)) & (t < pd.Timestamp(end) + pd.Timedelta(days=1))  # noqa: E731
        a, e = raw["applications"], raw["events"]
        a, e = a[inside(a.submit_time)], e[inside(e.report_time)]
        faults = {
            "duplicate applications": a.app_id.duplicated().sum(),
            "duplicate events": e.event_id.duplicated().sum(),
            "applications without unit": a.grid_code.isna().sum(),
            "events without unit": e.grid_code.isna().sum(),
            "future-dated applications": (a.submit_time > a.ingested_at).sum(),
            "future-dated events": (e.report_time > e.ingested_at).sum(),
            "events closed before reported": ((e.close_time < e.report_time) & (e.report_time <= e.ingested_at)).sum(),
        }
        assert all(faults.values()), faults

    data = views.kpi_tiles(runner, ViewState(unit, start, end, "month", "yoy", "zh"),
                           [k.id for k in kpis.catalogue()])
    now = values(facts, unit, start, end)
    for tile in data["tiles"]:
        assert_same(tile["value"], now[tile["kpi_id"]], f"{unit} all {tile['kpi_id']}")


@pytest.mark.parametrize("level", ["city", "street"])
def test_other_catalogue_kpis_equal_records(runner, facts, units, level):
    """The KPIs not on the overview go through the same tile code (the KPI pages' tiles)."""
    unit = units[level]
    (start, end), (cmp_start, cmp_end) = PERIODS["2025-H1"]
    others = [k.id for k in kpis.catalogue() if not k.headline]
    assert others
    data = views.kpi_tiles(runner, ViewState(unit, start, end, "month", "yoy", "zh"), others)
    now, before = values(facts, unit, start, end), earlier(facts, unit, (start, end), (cmp_start, cmp_end))
    for tile in data["tiles"]:
        assert_same(tile["value"], now[tile["kpi_id"]], f"{unit} {tile['kpi_id']}")
        assert_same(tile["previous"], before[tile["kpi_id"]], f"{unit} {tile['kpi_id']} previous")


@pytest.mark.parametrize("level", ["city", "district"])
def test_sparklines_equal_monthly_records(runner, facts, units, level):
    """Each tile's 12-month series: one point per calendar month ending with the period's."""
    unit = units[level]
    start, end = PERIODS["2026-10"][0]
    data = views.overview(runner, ViewState(unit, start, end, "month", "yoy", "zh"))
    months = pd.period_range("2025-11", "2026-10", freq="M")
    for tile in data["tiles"]:
        series = dict(tile["series"])
        assert list(series) == [m.start_time.date().isoformat() for m in months], tile["kpi_id"]
        for m in months:
            expected = values(facts, unit, m.start_time.date(), m.end_time.date())[tile["kpi_id"]]
            assert_same(series[m.start_time.date().isoformat()], expected, f"{unit} {tile['kpi_id']} {m}")


@pytest.mark.parametrize("kpi_id", ["on_time_closure_rate", "online_rate", "satisfaction_rate"])
def test_rates_are_pooled_not_averaged_across_units(runner, raw, facts, kpi_id):
    """The city's rate is sum(numerators) / sum(denominators) over its records. The mean of the
    16 districts' rates is a different number, and the cockpit shows the pooled one."""
    start, end = PERIODS["2025-H1"][0]
    shown = lambda unit: next(t for t in views.overview(  # noqa: E731
        runner, ViewState(unit, start, end, "month", "yoy", "zh"))["tiles"] if t["kpi_id"] == kpi_id)
    city = shown(CITY)
    districts = sorted(raw["units"].query("unit_level == 2").unit_code)
    assert len(districts) == 16
    parts = [truth(facts, d, start, end)[kpi_id] for d in districts]
    pooled = 100.0 * sum(n for n, _ in parts) / sum(d for _, d in parts)
    district_rates = [shown(d)["value"] for d in districts]

    assert city["value"] == pytest.approx(pooled, **TOL)
    assert city["value"] == pytest.approx(value(kpi_id, *truth(facts, CITY, start, end)[kpi_id]), **TOL)
    assert district_rates == pytest.approx([value(kpi_id, n, d) for n, d in parts], **TOL)
    mean_of_rates = float(np.mean(district_rates))
    assert abs(mean_of_rates - city["value"]) > 1e-6, "averaging would have given the same number"
    assert city["value"] != pytest.approx(mean_of_rates, rel=1e-9)
