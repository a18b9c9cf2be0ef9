"""Numbers of the services, operations and vital-signs pages, at city, district, street and
community level, against an independent pandas computation from the raw records."""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from cockpit import kpis
from cockpit.state import ViewState
from cockpit.views import drill, operations, services, vitals

START, END = dt.date(2025, 7, 1), dt.date(2026, 6, 30)


def clean(frame, id_col, time_col):
    frame = frame.sort_values("ingested_at").drop_duplicates(id_col, keep="last")
    return frame[frame.grid_code.notna() & (frame[time_col] <= frame.ingested_at)]


@pytest.fixture(scope="module")
def facts(raw):
    a = clean(raw["applications"], "app_id", "submit_time")
    e = clean(raw["events"], "event_id", "report_time")
    e = e.assign(close_time=e.close_time.where(e.close_time >= e.report_time))
    return (a[a.submit_time.dt.date.between(START, END)], e[e.report_time.dt.date.between(START, END)], e)


@pytest.fixture(scope="module")
def units(raw):
    """One unit per level: Pudong, its busiest street, that street's busiest community."""
    a = raw["applications"].dropna(subset=["grid_code"])
    pudong = a[a.grid_code.str.startswith("310115")]
    street = pudong.grid_code.str[:9].value_counts().index[0]
    community = pudong[pudong.grid_code.str.startswith(street)].grid_code.str[:12].value_counts().index[0]
    return {"city": "310000", "district": "310115", "street": street, "community": community}


def under(frame, unit):
    return frame[frame.grid_code.str.startswith("31" if unit == "310000" else unit)]


def state(unit, **kw):
    return ViewState(unit, START, END, "month", "yoy", "zh", **kw)



@pytest.mark.parametrize("level", ["city", "district", "street", "community"])
def test_children_values_equal_records(runner, raw, facts, units, level):
    unit = units[level]
    apps, events, _ = facts
    child_len = 6 if unit == "310000" else len(unit) + 3
    kpi = kpis.by_id("on_time_closure_rate")
    shown = drill.children_values(runner, state(unit), kpi).set_index("unit_code")
    ev = under(events, unit)
    closed = ev[ev.close_time.notna()]
    grouped = closed.groupby(closed.grid_code.str[:child_len])
    truth = 100.0 * grouped.apply(lambda g: (g.close_time <= g.deadline).sum()) / grouped.size()
    children = raw["units"][raw["units"].parent_code == unit].unit_code
    assert set(shown.index) == set(children)
    for code in children:
        if code in truth.index:
            assert shown.loc[code, "value"] == pytest.approx(truth[code], rel=1e-9), code
        else:
            assert pd.isna(shown.loc[code, "value"]), code
    # A pooled rate, not an average of the children's rates.
    pooled = 100.0 * (closed.close_time <= closed.deadline).sum() / len(closed)
    if len(truth) > 1:
        assert pooled != pytest.approx(truth.mean(), rel=1e-6)


@pytest.mark.parametrize("level", ["city", "district", "street", "community"])
def test_services_breakdowns_equal_records(runner, facts, units, level):
    unit = units[level]
    apps = under(facts[0], unit)
    shown = services.breakdown(runner, state(unit), "channel").set_index("key")
    truth = apps.groupby("channel", observed=True).size()
    assert shown.apps.to_dict() == {k: v for k, v in truth.items() if v}
    done = apps[apps.status == "completed"]
    on_time = done.complete_time <= done.submit_time + pd.to_timedelta(done.promised_days, unit="D")
    dept = services.breakdown(runner, state(unit), "dept_code").set_index("key")
    for code, rows in done.groupby("dept_code"):
        assert dept.loc[code, "on_time_completion_rate"] == pytest.approx(100.0 * on_time[rows.index].mean(), rel=1e-9)
    _, stats = services.handling_distribution(runner, state(unit))
    hours = ((done.complete_time - done.submit_time).dt.total_seconds() // 3600).astype(int)
    p90 = next(h for h in range(hours.max() + 2) if (hours < h).mean() >= 0.9)
    assert stats["completed"] == len(done) and stats["p90_hours"] == p90


@pytest.mark.parametrize("level", ["city", "district", "street"])
def test_worst_rated_items_equal_records(runner, facts, units, level):
    """Items with at least 5 ratings, lowest share of good ratings (4 or 5) first, and the
    reason given most often with a bad rating (ties: the first in order)."""
    rated = under(facts[0], units[level]).dropna(subset=["rating"])
    per_item = rated.assign(good=rated.rating >= 4).groupby("item_id").agg(ratings=("good", "size"), good=("good", "sum"))
    per_item = per_item[per_item.ratings >= 5].assign(rate=lambda f: 100.0 * f.good / f.ratings)
    worst = per_item.reset_index().sort_values(["rate", "item_id"]).head(10)
    bad = rated[(rated.rating < 4) & rated.rating_reason.notna()].groupby(["item_id", "rating_reason"]).size()
    shown = services.worst_items(runner, state(units[level]))
    assert 0 < len(shown) == len(worst)
    assert list(shown.item_id) == list(worst.item_id)
    assert list(shown.ratings) == list(worst.ratings)
    assert shown.satisfaction_rate.tolist() == pytest.approx(worst.rate.tolist(), rel=1e-12)
    for row in shown.itertuples():
        counts = bad[row.item_id] if row.item_id in bad.index.get_level_values(0) else pd.Series(dtype=int)
        top = counts[counts == counts.max()].index.min() if len(counts) else None
        reason = row.top_reason if isinstance(row.top_reason, str) else None
        assert (reason, row.top_reason_count) == (top, int(counts.max()) if len(counts) else 0), row.item_id


@pytest.mark.parametrize("level", ["city", "district", "street"])
def test_lifecycle_and_open_events_equal_records(runner, facts, units, level):
    unit = units[level]
    events = under(facts[1], unit)
    stages = operations.lifecycle(runner, state(unit)).set_index("stage")
    dispose = events.dropna(subset=["dispose_time"])
    assert stages.loc["dispose", "events"] == len(dispose)
    assert stages.loc["dispose", "mean_hours"] == pytest.approx(
        (dispose.dispose_time - dispose.dispatch_time).dt.total_seconds().mean() / 3600, rel=1e-9)
    everything = under(facts[2], unit)
    cut = facts[2].ingested_at.max()
    open_ = everything[everything.status != "closed"]
    shown = operations.open_events(runner, state(unit))
    assert shown.open_events.sum() == len(open_)
    assert shown.overdue_events.sum() == (open_.deadline < cut).sum()


def test_vital_breaches_equal_readings(runner, raw, units):
    readings = raw["readings"].merge(raw["sensors"], on="sensor_id")
    readings = readings[readings.value.between(readings.valid_min, readings.valid_max)
                        & readings.ts.dt.date.between(START, END)]
    breach = (readings.value > readings.warn_high) | (readings.value < readings.warn_low)
    for panel in vitals.panels(runner, state("310000")):
        rows = readings.sensor_type == panel["sensor_type"]
        assert panel["breaches"] == breach[rows].sum(), panel["sensor_type"]


@pytest.mark.parametrize("unit", ["310000", "310115"])
def test_vital_series_pool_readings_and_draw_what_breached(app, raw, unit):
    """Each day's mean is pooled over every reading (not a mean of the sensors' means), the
    highest reading is also given as a share of its own sensor's threshold, and a day with a
    breach is exactly a day whose drawn line crosses its threshold line."""
    from cockpit import cards, runtime

    readings = raw["readings"].merge(raw["sensors"], on="sensor_id")
    readings = readings[readings.value.between(readings.valid_min, readings.valid_max)
                        & readings.ts.dt.date.between(START, END) & readings.grid_code.str.startswith(unit[:2] if unit == "310000" else unit)]
    readings = readings.assign(day=readings.ts.dt.normalize(), of_high=100 * readings.value / readings.warn_high)
    view = runtime.resolve({"unit": unit, "start": START.isoformat(), "end": END.isoformat()})
    shared_seen = set()
    for stype, group in readings.groupby("sensor_type"):
        daily = group.groupby("day").agg(mean=("value", "mean"), top=("value", "max"), of_high=("of_high", "max"))
        card = cards.get("vitals", f"vital-{stype}")
        data = cards.rows(card, view)
        rows = pd.DataFrame(data["rows"], columns=data["columns"])
        assert pd.to_datetime(rows.period_start).tolist() == daily.index.tolist(), stype
        assert rows.mean_value.to_numpy() == pytest.approx(daily["mean"].to_numpy(), rel=1e-12), stype
        assert rows.max_value.to_numpy() == pytest.approx(daily.top.to_numpy(), rel=1e-12), stype
        assert rows.max_of_high.to_numpy() == pytest.approx(daily.of_high.to_numpy(), rel=1e-12), stype
        shared = group.warn_high.nunique() == 1
        assert bool(rows.shared.iloc[0]) == shared, stype
        shared_seen.add(shared)
        figure = cards.figure(card, view, data)
        marked = next(tr for tr in figure["data"] if tr["mode"] == "markers")["x"]
        high = group.warn_high.iloc[0] if shared else 100.0
        top = rows.max_value if shared else rows.max_of_high
        low = rows.min_value < group.warn_low.iloc[0] if group.warn_low.notna().all() else False
        crossed = rows[(top > high) | low].period_start.tolist()
        assert list(marked) == crossed == rows[rows.breaches > 0].period_start.tolist(), stype
    assert shared_seen == {True, False}  # both kinds of thresholds are exercised


def test_records_are_masked_and_scoped(runner, units):
    street = units["street"]
    frame = drill.records(runner, state(street), "applications")
    assert 0 < len(frame) <= drill.PAGE_SIZE
    assert frame.grid_code.str.startswith(street).all()
    assert frame.applicant_phone.str.fullmatch(r"1\d{2}\*{4}\d{4}").all()
    persons = frame[frame.applicant_type == "person"]
    assert persons.applicant_name.map(lambda n: bool(re.fullmatch(r".\*+", n))).all()
    events = drill.records(runner, state(street), "events", page=0)
    phones = events.reporter_phone.dropna()
    assert phones.str.fullmatch(r"1\d{2}\*{4}\d{4}").all()
    page2 = drill.records(runner, state(street), "applications", page=1)
    assert set(page2.app_id).isdisjoint(frame.app_id)


@pytest.mark.parametrize("level", ["city", "district", "street"])
def test_the_overviews_alerts_are_those_of_the_unit_and_period(runner, units, level):
    """The overview lists the alerts of the unit and the units below it whose span meets the
    chosen period, most severe first: the build's alerts filtered again with pandas."""
    from cockpit.views import trends

    every = runner.run("alerts", unit="", kpi="", limit=10 ** 6)
    unit = units[level]
    for start, end in [(dt.date(2024, 1, 1), dt.date(2024, 3, 31)), (START, END), (dt.date(2026, 10, 1), dt.date(2026, 11, 21))]:
        expected = every[every.unit_code.str.startswith("31" if unit == "310000" else unit)
                         & (every.start.dt.date <= end) & (every.end.dt.date >= start)]
        shown = trends.alerts_in(runner, unit, start, end)
        assert list(zip(shown.unit_code, shown.kpi_id, shown.start)) == \
            list(zip(expected.unit_code, expected.kpi_id, expected.start)), (level, start, end)
    assert len(trends.alerts_in(runner, "310000", START, END)) > 0  # the check saw alerts at all


def _behind(a: pd.DataFrame, e: pd.DataFrame) -> dict:
    """Per KPI, from the records (pandas, no product code): its records, which of them its value
    stands on (its denominator; every record for a count), and what each adds to its numerator
    (None for a count)."""
    done, closed, hotline = a.status == "completed", e.close_time.notna(), e.source == "hotline"
    every_a, every_e = pd.Series(True, index=a.index), pd.Series(True, index=e.index)
    hours = lambda start, stop: (stop - start).dt.total_seconds() / 3600  # noqa: E731
    return {
        "applications": (a, every_a, None),
        "online_rate": (a, every_a, a.channel.isin(["online", "mobile"])),
        "full_online_rate": (a, every_a, a.is_full_online.fillna(False)),
        "cross_district_rate": (a, every_a, a.is_cross_district.fillna(False)),
        "on_time_completion_rate": (a, done, a.complete_time <= a.submit_time + pd.to_timedelta(a.promised_days, "D")),
        "satisfaction_rate": (a, a.rating.notna(), a.rating >= 4),
        "avg_handling_hours": (a, done, hours(a.submit_time, a.complete_time)),
        "events": (e, every_e, None),
        "on_time_closure_rate": (e, closed, e.close_time <= e.deadline),
        "proactive_rate": (e, every_e, e.source.isin(["grid_patrol", "iot", "video_ai"])),
        "hotline_satisfaction_rate": (e, hotline & e.rating.notna(), e.rating >= 4),
        "avg_close_hours": (e, closed, hours(e.report_time, e.close_time)),
        "repeat_rate": (e, hotline, e.is_repeat.fillna(False)),
    }


@pytest.mark.parametrize("level", ["district", "street"])
def test_every_verification_sample_holds_the_records_behind_the_value(runner, facts, units, level):
    """For every KPI with records, 核验's sample is the newest of the records its value stands on
    (a satisfaction sample holds rated hotline tickets only, a closing-time sample closed events
    only), its count is theirs, and each row's share of the numerator is the record's own."""
    from cockpit.views import verify
    from cockpit.views.drill import RECORD_KINDS

    a, e, _ = facts
    defined = _behind(a, e)
    with_records = [k for k in kpis.catalogue() if k.record_kind in RECORD_KINDS]
    assert {k.id for k in with_records} <= set(defined), "a KPI without its definition here"
    unit = units[level]
    for kpi in with_records:
        records, on, adds = defined[kpi.id]
        id_col, time_col = ("app_id", "submit_time") if kpi.record_kind == "applications" else ("event_id", "report_time")
        mine = under(records, unit).assign(_on=on, _adds=adds)
        mine = mine[mine._on.astype(bool)].assign(_t=lambda f: f[time_col].dt.floor("s"))
        mine = mine.sort_values(["_t", id_col], ascending=[False, True])
        shown = verify.behind(runner, state(unit), kpi)
        sample = shown["sample"]
        assert shown["records"] == len(mine) > 0, kpi.id
        assert shown["checks_of"] == (None if level == "district" else "浦东新区")  # checks are the district's
        assert sample[id_col].tolist() == mine[id_col].head(verify.SAMPLE_SIZE).tolist(), kpi.id
        if adds is None:
            assert "counted" not in sample.columns, kpi.id
        elif kpi.kind == "duration":
            assert (sample.counted / 3600).tolist() == pytest.approx(mine._adds.head(len(sample)).tolist()), kpi.id
        else:
            assert sample.counted.tolist() == mine._adds.head(len(sample)).astype(int).tolist(), kpi.id
