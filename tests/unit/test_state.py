"""URL view state: good parameters are taken; malformed ones (bad unit codes, reversed or
unreadable dates, unknown grains, script text) fall back to defaults with an i18n message key
and parsing never raises; a state survives a round trip through its URL; comparison periods
(year on year, previous period) and date presets; which URLs are pages of this site (to link or
redirect to)."""
from __future__ import annotations

import datetime as dt
import itertools

import pytest

from cockpit.i18n import MESSAGES, t
from cockpit.params import is_site_path
from cockpit.state import (COMPARISONS, GRAINS, LANGS, MAX_DAYS, ViewState, comparison_range, default_state,
                           parse_state, preset_range, query_params)

FIRST, LAST = dt.date(2023, 11, 22), dt.date(2026, 11, 21)


def parse(params):
    state, errors = parse_state(params, FIRST, LAST)
    return state, [k for k, _ in errors]


def test_good_parameters_are_taken():
    state, errors = parse({"unit": "310115004", "start": "2026-01-01", "end": "2026-03-31",
                           "grain": "week", "cmp": "pop", "lang": "en", "kpi": "online_rate"})
    assert errors == []
    assert state == ViewState("310115004", dt.date(2026, 1, 1), dt.date(2026, 3, 31), "week", "pop", "en",
                              "online_rate")
    assert parse_state({}, FIRST, LAST) == (default_state(LAST), [])
    assert default_state(LAST) == ViewState("310000", dt.date(2026, 11, 1), LAST, "month", "yoy", "zh")


@pytest.mark.parametrize("unit", ["310000", "310115", "310115004", "310115004001", "310115004001002"])
def test_codes_of_every_level_are_taken(unit):
    state, errors = parse({"unit": unit})
    assert errors == [] and state.unit == unit


@pytest.mark.parametrize("params, key", [
    ({"unit": "<script>alert(1)</script>"}, "error.unit_format"),
    ({"unit": "31011"}, "error.unit_format"),
    ({"unit": "3101150"}, "error.unit_format"),
    ({"unit": "110101"}, "error.unit_format"),
    ({"unit": "31011500400100200"}, "error.unit_format"),
    ({"unit": "310115' OR '1'='1"}, "error.unit_format"),
    ({"unit": " 310115"}, "error.unit_format"),
    ({"grain": "decade"}, "error.grain"),
    ({"grain": "<script>alert(1)</script>"}, "error.grain"),
    ({"cmp": "'; DROP TABLE units; --"}, "error.cmp"),
    ({"lang": "fr"}, "error.lang"),
    ({"kpi": "no_such_kpi"}, "error.kpi"),
    ({"start": "2026-10-31", "end": "2026-10-01"}, "error.date_order"),
    ({"start": "yesterday"}, "error.date_format"),
    ({"end": "2026-02-30"}, "error.date_format"),
    ({"start": "<script>", "end": "2026-10-01"}, "error.date_format"),
    ({"start": "2030-01-01", "end": "2030-02-01"}, "error.date_outside"),
    ({"start": "2001-01-01", "end": "2001-12-31"}, "error.date_outside"),
])
def test_bad_parameters_fall_back_with_a_message(params, key):
    state, errors = parse(params)
    assert errors == [key]
    default = default_state(LAST)
    field = {"error.unit_format": "unit", "error.grain": "grain", "error.cmp": "cmp", "error.lang": "lang",
             "error.kpi": "kpi"}.get(key)
    if field:
        assert getattr(state, field) == getattr(default, field)
    else:
        assert (state.start, state.end) == (default.start, default.end)


def test_good_parameters_are_kept_beside_bad_ones():
    state, errors = parse({"unit": "310104", "grain": "decade", "start": "2026-10-31", "end": "2026-10-01",
                           "lang": "en"})
    assert sorted(errors) == ["error.date_order", "error.grain"]
    assert (state.unit, state.lang, state.grain) == ("310104", "en", "month")


@pytest.mark.parametrize("unit", ["310115\n", "310000\n", "31０１１５", "310115٠٠٤"],
                         ids=["newline", "city-newline", "fullwidth-digits", "arabic-indic-digits"])
def test_unit_with_a_trailing_newline_or_non_ascii_digits_is_refused(unit):
    state, errors = parse({"unit": unit})
    assert errors == ["error.unit_format"] and state.unit == "310000"


def test_every_message_key_exists_in_both_languages_and_formats():
    cases = [{"unit": "x"}, {"grain": "x"}, {"cmp": "x"}, {"lang": "x"}, {"kpi": "x"}, {"start": "x"},
             {"start": "2026-10-31", "end": "2026-10-01"}, {"start": "2030-01-01", "end": "2030-02-01"}]
    seen = set()
    for params in cases:
        _, errors = parse_state(params, FIRST, LAST)
        assert errors, params
        for key, args in errors:
            seen.add(key)
            for lang in ("zh", "en"):
                assert key in MESSAGES[lang]
                text = t(key, lang, **args)
                assert "{" not in text, f"{key} left a placeholder unfilled: {text}"
    assert len(seen) == len(cases), "each case names its own problem"


WEIRD = [None, "", 0, -1, 3.5, True, [], ["310115", "<b>"], {"a": 1}, b"310115", "x" * 100_000,
         "\x00", "％", "３１０１１５", "2026-10-01T00:00", "20261001", "--", "🙂", dt.date(2026, 10, 1)]


@pytest.mark.parametrize("name", ["unit", "start", "end", "grain", "cmp", "lang", "kpi", "other"])
def test_parsing_never_raises_and_always_gives_a_valid_state(name):
    for value in WEIRD:
        state, errors = parse_state({name: value}, FIRST, LAST)
        assert state.unit == "310000" or state.unit.isascii() and state.unit.isdigit(), (name, value)
        assert state.grain in GRAINS and state.cmp in COMPARISONS and state.lang in LANGS
        assert FIRST <= state.start <= state.end <= LAST
        assert all(isinstance(key, str) and key.startswith("error.") for key, _ in errors)


def test_all_parameters_bad_at_once_never_raise():
    for combo in itertools.islice(itertools.product(WEIRD, repeat=3), 0, None, 7):
        params = dict(zip(("unit", "start", "end"), combo)) | {"grain": combo[0], "cmp": combo[1]}
        state, _ = parse_state(params, FIRST, LAST)
        assert FIRST <= state.start <= state.end <= LAST


def test_a_state_survives_a_round_trip_through_its_url():
    state = ViewState("310115004001", dt.date(2025, 1, 1), dt.date(2025, 6, 30), "quarter", "pop", "en",
                      "satisfaction_rate")
    assert parse_state(query_params(state.query()), FIRST, LAST) == (state, [])
    moved = parse_state(query_params(state.query(unit="310104", grain="week")), FIRST, LAST)[0]
    assert (moved.unit, moved.grain, moved.start) == ("310104", "week", state.start)


def test_dates_are_clipped_to_the_data_and_to_the_longest_range():
    state, errors = parse({"start": "2020-01-01", "end": "2024-01-31"})
    assert errors == [] and (state.start, state.end) == (FIRST, dt.date(2024, 1, 31))
    long_first = dt.date(2015, 1, 1)
    state, errors = parse_state({"start": "2015-01-01", "end": "2026-11-21"}, long_first, LAST)
    assert errors == [] and state.end == LAST and state.days == MAX_DAYS


@pytest.mark.parametrize("start, end, cmp, expected", [
    # 同比: the same calendar dates a year earlier; a whole month stays whole
    ("2026-11-01", "2026-11-21", "yoy", ("2025-11-01", "2025-11-21")),
    ("2026-10-01", "2026-10-31", "yoy", ("2025-10-01", "2025-10-31")),  # a whole month
    ("2025-01-01", "2025-06-30", "yoy", ("2024-01-01", "2024-06-30")),
    ("2025-02-01", "2025-02-28", "yoy", ("2024-02-01", "2024-02-29")),  # February is February
    ("2024-02-01", "2024-02-29", "yoy", ("2023-02-01", "2023-02-28")),  # February of a leap year
    ("2024-02-01", "2024-02-28", "yoy", ("2023-02-01", "2023-02-28")),  # not the whole month
    ("2024-02-29", "2024-02-29", "yoy", ("2023-02-28", "2023-02-28")),
    ("2026-03-02", "2026-03-08", "yoy", ("2025-03-02", "2025-03-08")),  # an ISO week: the same dates
    ("2025-12-15", "2026-01-14", "yoy", ("2024-12-15", "2025-01-14")),  # across a year boundary
    # 环比: the same number of days just before
    ("2026-11-01", "2026-11-21", "pop", ("2026-10-11", "2026-10-31")),
    ("2026-10-01", "2026-10-31", "pop", ("2026-08-31", "2026-09-30")),  # 31 days after a 30-day month
    ("2026-09-01", "2026-09-30", "pop", ("2026-08-02", "2026-08-31")),
    ("2024-02-01", "2024-02-29", "pop", ("2024-01-03", "2024-01-31")),  # February of a leap year
    ("2026-03-02", "2026-03-08", "pop", ("2026-02-23", "2026-03-01")),  # an ISO week: the week before
    ("2025-12-15", "2026-01-14", "pop", ("2025-11-14", "2025-12-14")),  # across a year boundary
    ("2026-07-01", "2026-09-30", "pop", ("2026-03-31", "2026-06-30")),  # a quarter of 92 days
    ("2026-01-01", "2026-12-31", "pop", ("2025-01-01", "2025-12-31")),
    ("2026-03-15", "2026-03-15", "pop", ("2026-03-14", "2026-03-14")),
])
def test_comparison_ranges(start, end, cmp, expected):
    got = comparison_range(dt.date.fromisoformat(start), dt.date.fromisoformat(end), cmp)
    assert tuple(d.isoformat() for d in got) == expected


def test_previous_period_has_as_many_days_and_ends_the_day_before():
    days = [dt.date(2023, 1, 1) + dt.timedelta(days=i) for i in range(0, 1200, 13)]
    for start, length in itertools.product(days, (1, 7, 28, 29, 30, 31, 90, 92, 365, 366)):
        end = start + dt.timedelta(days=length - 1)
        prev_start, prev_end = comparison_range(start, end, "pop")
        assert prev_end == start - dt.timedelta(days=1) and (prev_end - prev_start).days + 1 == length


def test_a_year_earlier_is_the_same_dates_and_whole_months_stay_whole():
    def year_earlier(day):
        return day.replace(year=day.year - 1, day=min(day.day, 28 if day.month == 2 else 31))

    def month_end(day):
        return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)

    days = [dt.date(2023, 1, 1) + dt.timedelta(days=i) for i in range(0, 1200, 11)]
    for start, length in itertools.product(days, (1, 10, 28, 29, 31, 100)):
        end = start + dt.timedelta(days=length - 1)
        want_end = month_end(year_earlier(end)) if end == month_end(end) else year_earlier(end)
        assert comparison_range(start, end, "yoy") == (year_earlier(start), want_end)


def test_presets_end_at_the_last_day():
    assert preset_range("mtd", LAST) == (dt.date(2026, 11, 1), LAST)
    assert preset_range("last_month", LAST) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert preset_range("ytd", LAST) == (dt.date(2026, 1, 1), LAST)
    assert preset_range("qtd", LAST) == (dt.date(2026, 10, 1), LAST)
    assert preset_range("last_30", LAST) == (dt.date(2026, 10, 23), LAST)
    assert preset_range("last_12m", LAST) == (dt.date(2025, 11, 22), LAST)
    with pytest.raises(ValueError):
        preset_range("forever", LAST)


def test_the_comparison_period_is_printed_and_says_when_the_data_starts_inside_it():
    from cockpit.components.page import compared_with
    state = ViewState("310000", dt.date(2025, 1, 1), dt.date(2025, 3, 31), "month", "yoy", "zh")
    assert compared_with(state, dt.date(2023, 11, 1)) == "同比对比期 2024-01-01 至 2024-03-31（91天）"
    assert compared_with(state, dt.date(2024, 2, 1)).endswith("；数据始于 2024-02-01，对比期前段无数据")
    assert compared_with(state, dt.date(2024, 6, 1)).endswith("；数据始于 2024-06-01，对比期无数据")
    english = compared_with(ViewState("310000", dt.date(2026, 10, 1), dt.date(2026, 10, 31), "month", "pop", "en"),
                            dt.date(2023, 11, 1))
    assert english == "PoP against 2026-08-31 to 2026-09-30 (31 days)"


@pytest.mark.parametrize("target, ours", [
    ("/", True), ("/operations?unit=310101", True), ("/instructions?id=3&lang=en", True), ("/a?next=//b", True),
    ("javascript:alert(1)", False), (" /x", False), ("//evil.example/x", False), ("https://evil.example/", False),
    ("/\\evil", False), ("/\t/evil.example", False), ("/\r\n/evil.example", False), ("/x\x00", False),
    ("/x\x85", False), ("operations", False), ("", False), (None, False), (["/"], False)])
def test_only_a_path_of_this_site_is_linked_or_redirected_to(target, ours):
    from cockpit.auth import safe_next

    assert is_site_path(target) is ours
    assert safe_next(target) == (target if ours else "/")  # the login's ?next= follows the same rule
