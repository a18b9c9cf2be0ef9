"""The KPI catalogue as data: the shipped one is valid and names only real mart measures; a bad
entry is refused with an error naming the KPI and the field; KPI values from summed measures
(rates pooled, empty denominators give no value); comparisons and number formats
(万/亿 in Chinese, thousands separators in English)."""
from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest

from cockpit import kpis
from cockpit.analysis.compare import change, judgement
from cockpit.i18n import MESSAGES, fmt_change, fmt_count, fmt_value
from cockpit.kpis import CatalogueError, Kpi, by_id, catalogue, check_measures, parse_catalogue

GOOD = """
[[kpi]]
id = "x_rate"
name_zh = "某率"
name_en = "X rate"
definition_zh = "定义"
definition_en = "Definition"
numerator = "apps_online"
denominator = "apps"
kind = "percent"
direction = "higher"
domain = "services"
source = "一网通办"
owner = "市政务服务办"
"""
OTHER = GOOD.replace('id = "x_rate"', 'id = "y_rate"')


def test_the_shipped_catalogue_is_valid():
    kpis = catalogue()
    ids = [k.id for k in kpis]
    assert len(ids) == len(set(ids)) >= 8
    assert sum(k.headline for k in kpis) >= 8
    for k in kpis:
        assert k.kind in ("count", "percent", "duration") and k.direction in ("higher", "lower")
        assert k.is_rate == (k.kind != "count"), k.id
        assert k.name("zh") and k.name("en") and k.name("zh") != k.name("en"), k.id
    assert by_id("online_rate").target is not None
    with pytest.raises(KeyError):
        by_id("no_such_kpi")


def test_the_catalogue_names_only_measures_of_the_marts(runner):
    measures = set(runner.run("measures").column_name)
    assert {"apps", "events", "apps_online"} <= measures
    check_measures(catalogue(), measures)  # raises on a missing measure
    with pytest.raises(CatalogueError, match=r"online_rate.*'numerator'.*apps_online"):
        check_measures(catalogue(), measures - {"apps_online"})
    with pytest.raises(CatalogueError, match=r"on_time_closure_rate.*'denominator'.*events_closed"):
        check_measures([by_id("on_time_closure_rate")], measures - {"events_closed"})


@pytest.mark.parametrize("edit, field", [
    (('kind = "percent"', 'kind = "ratio"'), "kind"),
    (('direction = "higher"', 'direction = "up"'), "direction"),
    (('name_en = "X rate"\n', ""), "name_en"),
    (('name_en = "X rate"', 'name_en = "  "'), "name_en"),
    (('numerator = "apps_online"', "numerator = 5"), "numerator"),
    (('denominator = "apps"\n', ""), "denominator"),
    (('owner = "市政务服务办"', 'owner = "市政务服务办"\ncolour = "red"'), "colour"),
    (('owner = "市政务服务办"', 'owner = "市政务服务办"\ntarget = "high"'), "target"),
    (('kind = "percent"', 'kind = "duration"\n'), None),  # a duration needs its denominator too: valid
])
def test_a_bad_entry_is_refused_naming_the_kpi_and_the_field(edit, field):
    assert [k.id for k in parse_catalogue(OTHER + GOOD)] == ["y_rate", "x_rate"]
    text = OTHER + GOOD.replace(*edit)
    if field is None:
        assert parse_catalogue(text)[1].kind == "duration"
        return
    with pytest.raises(CatalogueError, match=rf"KPI #2 \(x_rate\).*{field}") as err:
        parse_catalogue(text, "catalogue.toml")
    assert str(err.value).startswith("catalogue.toml"), "the file is named"
    assert "y_rate" not in str(err.value), "the good entry before it is not blamed"


def test_repeated_id_bad_toml_and_empty_catalogue_are_refused():
    with pytest.raises(CatalogueError, match=r"x_rate.*'id' repeats"):
        parse_catalogue(GOOD + GOOD)
    with pytest.raises(CatalogueError, match="TOML"):
        parse_catalogue("[[kpi]\nid=")
    with pytest.raises(CatalogueError, match="no \\[\\[kpi\\]\\] entries"):
        parse_catalogue("title = 'nothing'")


def test_values_from_summed_measures():
    rate, count, hours = by_id("online_rate"), by_id("applications"), by_id("avg_close_hours")
    row = pd.Series({"apps": 8, "apps_online": 6, "events_closed": 4, "events_close_seconds": 4 * 5400})
    assert rate.value(row) == pytest.approx(75.0)
    assert count.value(row) == 8
    assert hours.value(row) == pytest.approx(1.5)
    empty = pd.Series({"apps": 0, "apps_online": 0, "events_closed": 0, "events_close_seconds": 0})
    assert rate.value(empty) is None and hours.value(empty) is None, "no records is no value, not 0"
    assert count.value(empty) == 0
    frame = pd.DataFrame({"apps": [4, 0, 1], "apps_online": [1, 0, 1]})
    values = rate.value(frame)
    assert values.iloc[0] == pytest.approx(25.0) and math.isnan(values.iloc[1]) and values.iloc[2] == 100.0
    # Pooled over rows (units) the rate is 2/5, not the mean of 25% and 100%.
    assert rate.value(frame.sum()) == pytest.approx(40.0)


def test_units_shown_with_values():
    assert by_id("online_rate").unit("zh") == "%"
    assert by_id("avg_close_hours").unit("en") == "hours" and by_id("avg_close_hours").unit("zh") == "小时"
    assert by_id("applications").unit("zh") == "件"
    assert Kpi("k", "甲", "A", "d", "d", "n", "count", "higher", "x", "s", "o").unit("en") == ""


def test_comparisons_respect_kind_and_direction():
    assert change(91.0, 90.0, "percent") == pytest.approx(1.0)  # percentage points
    assert change(110, 100, "count") == pytest.approx(10.0)  # per cent of the reference
    assert change(90, 100, "duration") == pytest.approx(-10.0)
    assert change(5, 0, "count") is None and change(None, 1, "count") is None
    assert change(float("nan"), 1.0, "percent") is None
    assert judgement(3.0, "higher") == "good" and judgement(3.0, "lower") == "bad"
    assert judgement(-3.0, "lower") == "good" and judgement(0.0, "higher") == "flat"
    assert judgement(None, "higher") == "flat"


@pytest.mark.parametrize("value, zh, en", [
    (123456, "12.3万", "123,456"),
    (987, "987", "987"),
    (10_000, "1.0万", "10,000"),
    (12_345_678, "1,235万", "12,345,678"),
    (250_000_000, "2.50亿", "250,000,000"),
    (-123456, "-12.3万", "-123,456"),
    (None, "—", "—"),
    (float("nan"), "—", "—"),
])
def test_count_formats(value, zh, en):
    assert fmt_count(value, "zh") == zh
    assert fmt_count(value, "en") == en


def test_count_just_under_a_hundred_million_is_shown_in_yi():
    assert fmt_count(99_999_999, "zh") == "1.00亿"


def test_value_and_change_formats():
    assert fmt_value(123456, "count", "zh") == "12.3万"
    assert fmt_value(91.234, "percent", "en") == "91.2"
    assert fmt_value(None, "duration", "zh") == "—"
    assert fmt_change(2.345, "percent", "zh") == "+2.3 个百分点"
    assert fmt_change(-5.0, "count", "en") == "−5.0%"
    assert fmt_change(0.0, "count", "en") == "±0.0%"
    assert fmt_change(None, "count", "en") == "—"


def test_both_languages_have_the_same_messages():
    assert MESSAGES["zh"].keys() == MESSAGES["en"].keys()
    assert all(MESSAGES["zh"][k] for k in MESSAGES["zh"]) and all(MESSAGES["en"][k] for k in MESSAGES["en"])


def test_status_score_and_a_hand_checked_composite():
    from cockpit.analysis.scores import composite

    online = kpis.by_id("online_rate")  # higher is better, target 75, warning 70, Pudong 78
    close = kpis.by_id("avg_close_hours")  # lower is better, target 72, warning 96
    assert online.target_for("310115004001") == 78.0 and online.target_for("310101") == 75.0
    assert [online.status(v, "310101") for v in (75.0, 72.0, 69.9, None)] == ["met", "warn", "missed", None]
    assert online.status(76.0, "310115") == "warn"  # below Pudong's own target
    assert [close.status(v, "310101") for v in (60.0, 90.0, 100.0)] == ["met", "warn", "missed"]
    # By hand: online 60/75 = 0.8; closing 72/48 = 1.5 capped at 1.2; on-time closure 81/90 = 0.9
    # with weight 2. Composite = (0.8 + 1.2 + 2 × 0.9) / (1 + 1 + 2) = 3.8 / 4 = 0.95.
    scores = {"online_rate": online.score(60.0, "310101"), "avg_close_hours": close.score(48.0, "310101"),
              "on_time_closure_rate": kpis.by_id("on_time_closure_rate").score(81.0, "310101"),
              "events": kpis.by_id("events").score(500.0, "310101")}
    assert scores["online_rate"] == pytest.approx(0.8) and scores["avg_close_hours"] == pytest.approx(1.2)
    assert scores["events"] is None  # no target: not scored
    weights = {k.id: k.weight for k in kpis.catalogue()}
    assert composite(scores, weights) == pytest.approx(0.95)
    assert composite({"a": None}, {}) is None


@pytest.mark.parametrize("change, field", [
    ('warning = 80.0', "warning"),  # on the better side of a higher-is-better target
    ('weight = -1', "weight"),
    ('refresh = "yearly"', "refresh"),
    ('targets = { "999" = 1.0 }', "targets"),
    ('domain = "finance"', "domain"),
    ('target = "high"', "target"),
])
def test_a_bad_catalogue_entry_is_named_with_its_field(change, field):
    text = kpis.CATALOGUE.read_text("utf-8")
    key = change.split(" = ")[0]
    entry = text.split("[[kpi]]")[2]  # online_rate
    lines = [line for line in entry.splitlines() if not line.startswith(key + " =")]
    broken = text.replace(entry, "\n".join(lines[:2] + [change] + lines[2:]) + "\n")
    with pytest.raises(kpis.CatalogueError) as refused:
        kpis.parse_catalogue(broken, "catalogue.toml")
    assert "online_rate" in str(refused.value) and f"'{field}'" in str(refused.value)


def test_a_kpi_of_maturing_measures_must_say_so():
    """Its comparisons are like for like only when marked: the catalogue is refused with the
    mark missing, or given to a KPI whose measures are all known on the record's day."""
    measures = {"apps", "apps_online", "apps_on_time", "apps_completed"}
    on_time, online = by_id("on_time_completion_rate"), by_id("online_rate")
    check_measures([on_time, online], measures)
    with pytest.raises(CatalogueError, match="on_time_completion_rate: field 'matures' must be true exactly when"):
        check_measures([replace(on_time, matures=False)], measures)
    with pytest.raises(CatalogueError, match="online_rate: field 'matures' must be true exactly when"):
        check_measures([replace(online, matures=True)], measures)
    with pytest.raises(CatalogueError, match="'matures' must be true or false"):
        parse_catalogue(kpis.CATALOGUE.read_text("utf-8").replace("matures = true", 'matures = "yes"', 1))
