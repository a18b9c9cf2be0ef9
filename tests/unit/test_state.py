"""URL state: bad parameters are refused with messages and never raise; comparison periods."""
from __future__ import annotations

import datetime as dt

import pytest

from cockpit.state import comparison_range, default_state, parse_state, preset_range

FIRST, LAST = dt.date(2023, 11, 22), dt.date(2026, 11, 21)


def keys(params):
    state, errors = parse_state(params, FIRST, LAST)
    return state, [k for k, _ in errors]


def test_good_parameters_are_taken():
    state, errors = keys({"unit": "310115004", "start": "2026-01-01", "end": "2026-03-31",
                          "grain": "week", "cmp": "pop", "lang": "en"})
    assert errors == []
    assert (state.unit, state.start, state.end, state.grain, state.cmp, state.lang) == (
        "310115004", dt.date(2026, 1, 1), dt.date(2026, 3, 31), "week", "pop", "en")
    assert parse_state({}, FIRST, LAST) == (default_state(LAST), [])


@pytest.mark.parametrize("params, key", [
    ({"unit": "<script>alert(1)</script>"}, "error.unit_format"),
    ({"unit": "31011"}, "error.unit_format"),
    ({"unit": "110101"}, "error.unit_format"),
    ({"grain": "decade"}, "error.grain"),
    ({"cmp": "'; DROP TABLE units; --"}, "error.cmp"),
    ({"lang": "fr"}, "error.lang"),
    ({"start": "2026-10-31", "end": "2026-10-01"}, "error.date_order"),
    ({"start": "yesterday"}, "error.date_format"),
    ({"start": "2030-01-01", "end": "2030-02-01"}, "error.date_outside"),
])
def test_bad_parameters_fall_back_with_a_message(params, key):
    state, errors = keys(params)
    assert errors == [key]
    default = default_state(LAST)
    name = {"error.unit_format": "unit", "error.grain": "grain", "error.cmp": "cmp", "error.lang": "lang"}.get(key)
    if name:
        assert getattr(state, name) == getattr(default, name)
    else:
        assert (state.start, state.end) == (default.start, default.end)


def test_dates_are_clipped_to_the_data():
    state, errors = keys({"start": "2020-01-01", "end": "2024-01-31"})
    assert errors == [] and state.start == FIRST and state.end == dt.date(2024, 1, 31)


def test_list_values_and_overlong_text_do_not_raise():
    state, errors = keys({"unit": ["310115", "310104"], "grain": "x" * 10_000})
    assert state.unit == "310104" and errors == ["error.grain"]


@pytest.mark.parametrize("start, end, cmp, expected", [
    ("2026-11-01", "2026-11-21", "yoy", ("2025-11-01", "2025-11-21")),
    ("2024-02-29", "2024-02-29", "yoy", ("2023-02-28", "2023-02-28")),
    ("2026-11-01", "2026-11-21", "pop", ("2026-10-01", "2026-10-21")),
    ("2026-10-01", "2026-10-31", "pop", ("2026-09-01", "2026-09-30")),
    ("2026-03-01", "2026-03-31", "pop", ("2026-02-01", "2026-02-28")),
    ("2026-07-01", "2026-09-30", "pop", ("2026-04-01", "2026-06-30")),
    ("2026-03-05", "2026-03-14", "pop", ("2026-02-23", "2026-03-04")),
])
def test_comparison_ranges(start, end, cmp, expected):
    got = comparison_range(dt.date.fromisoformat(start), dt.date.fromisoformat(end), cmp)
    assert tuple(d.isoformat() for d in got) == expected


def test_presets_end_at_the_last_day():
    assert preset_range("mtd", LAST) == (dt.date(2026, 11, 1), LAST)
    assert preset_range("last_month", LAST) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert preset_range("ytd", LAST) == (dt.date(2026, 1, 1), LAST)
    assert preset_range("qtd", LAST) == (dt.date(2026, 10, 1), LAST)
    assert preset_range("last_30", LAST) == (dt.date(2026, 10, 23), LAST)
