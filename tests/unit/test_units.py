"""Unit codes have one home, cockpit/units.py: no other module spells the city's code or a
unit-code pattern, and a code written with full-width digits is refused wherever a code enters."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from cockpit import units

ROOT = Path(__file__).resolve().parents[2]
FULL_WIDTH = "31０１１５"  # looks like 310115 on screen
# What a second home of the unit-code rules would contain: the city's code, its prefix as a
# literal, or a pattern of codes starting with it.
FORBIDDEN = re.compile(r"310000|[\"']31[\"']|31\\d|31\[0-9\]")


def _sources():
    for folder, pattern in (("cockpit", "*.py"), ("cockpit", "*.sql"), ("bench", "*.py")):
        for path in sorted((ROOT / folder).rglob(pattern)):
            if path != ROOT / "cockpit" / "units.py":
                yield path


def test_no_module_but_units_spells_a_unit_code_rule():
    found = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
             for path in _sources()
             for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
             if FORBIDDEN.search(line)]
    assert found == []


def test_the_scan_sees_a_second_home(tmp_path):
    # the pattern above finds each way the rules were spelled before they moved here
    for line in ('CITY = "310000"', 'scope = "31"', r'UNIT = re.compile(r"31\d{4}")', 'r"31[0-9]{4}"'):
        assert FORBIDDEN.search(line), line


@pytest.mark.parametrize("code, level, parent, prefix", [
    ("310000", 1, None, "31"),
    ("310115", 2, "310000", "310115"),
    ("310115001", 3, "310115", "310115001"),
    ("310115001001", 4, "310115001", "310115001001"),
    ("310115001001001", 5, "310115001001", "310115001001001"),
])
def test_levels_parents_prefixes(code, level, parent, prefix):
    assert units.is_code(code)
    assert units.level_of(code) == level
    assert units.parent_of(code) == parent
    assert units.prefix_of(code) == prefix
    assert units.within(code, units.CITY_PREFIX)


@pytest.mark.parametrize("bad", [FULL_WIDTH, "31011", "3101150", "320115", "310115\n", " 310115", "",
                                 None, 310115, "310115001001001001", "٣١٠١١٥"])
def test_malformed_codes_refused(bad):
    assert not units.is_code(bad)
    assert units.parent_of(bad) is None if isinstance(bad, str) else True


def test_within_is_a_prefix_test_on_well_formed_codes():
    assert units.within("310115001", "310115")
    assert not units.within("310101001", "310115")
    assert not units.within(FULL_WIDTH, units.CITY_PREFIX)
    assert units.is_district("310115") and not units.is_district(units.CITY_CODE)
    assert not units.is_district(FULL_WIDTH)


def test_full_width_code_refused_where_codes_enter():
    """URL state, wall-screen steps, KPI district targets, instruction forms."""
    from cockpit import kpis
    from cockpit.ops.instructions import FormError, validate_issue
    from cockpit.ops.loop import Actor
    from cockpit.playlists import ScreenError, parse_step
    from cockpit.state import parse_state

    state, errors = parse_state({"unit": FULL_WIDTH}, dt.date(2024, 1, 1), dt.date(2026, 11, 21))
    assert state.unit == units.CITY_CODE and errors[0][0] == "error.unit_format"
    with pytest.raises(ScreenError):
        parse_step(f"/screen:{FULL_WIDTH}")
    entry = (ROOT / "cockpit" / "kpis" / "catalogue.toml").read_text("utf-8").split("[[kpi]]")[1]
    bad = f"[[kpi]]{entry}\n[kpi.targets]\n\"{FULL_WIDTH}\" = 1.0\n"
    with pytest.raises(kpis.CatalogueError, match="targets"):
        kpis.parse_catalogue(bad)
    form = {"text": "处理", "lead_unit": FULL_WIDTH, "deadline": "2026-12-31", "priority": "normal"}
    with pytest.raises(FormError) as refused:
        validate_issue(Actor("leader", "city_leader", units.CITY_CODE), form, lambda code: True, set(),
                       dt.datetime(2026, 11, 22, tzinfo=dt.UTC))
    assert refused.value.field == "lead_unit"
