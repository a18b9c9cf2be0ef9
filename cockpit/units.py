"""Unit codes: the one place that knows what a unit code is.

city (市) 310000 → district (区) 6 digits → street/town (街镇) 9 → community (居村委) 12 →
grid (网格) 15. Every code below a district starts with its parent's code, so "the units under
a unit" is one prefix test; the city is the exception: the codes under 310000 start with "31".
Codes are ASCII digits only: a full-width "３１０１１５" looks the same on screen but is a
different string in every table, so it is refused, never silently matched.
"""
from __future__ import annotations

import re

CITY_CODE = "310000"
CITY_PREFIX = "31"  # every unit code of the city starts with it: the city-wide scope
PATTERN = re.compile(r"31[0-9]{4}(?:[0-9]{3}){0,3}")  # matched whole; [0-9], since \d takes any script
DISTRICT_PATTERN = re.compile(r"31[0-9]{4}")
LEVELS = {6: 2, 9: 3, 12: 4, 15: 5}  # code length → level (the city, 6 digits too, is level 1)


def is_code(value) -> bool:
    """A well-formed unit code (whether the unit exists is the marts' question)."""
    return isinstance(value, str) and PATTERN.fullmatch(value) is not None


def is_district(value) -> bool:
    return isinstance(value, str) and value != CITY_CODE and DISTRICT_PATTERN.fullmatch(value) is not None


def level_of(code: str) -> int:
    """1 city, 2 district, 3 street, 4 community, 5 grid."""
    if code == CITY_CODE:
        return 1
    return LEVELS[len(code)]


def prefix_of(code: str) -> str:
    """The prefix every code under the unit (and the unit itself) starts with."""
    return CITY_PREFIX if code == CITY_CODE else code


def parent_of(code: str) -> str | None:
    """The unit above: grid → community → street → district → city; None for the city."""
    if code == CITY_CODE or not is_code(code):
        return None
    return CITY_CODE if len(code) == 6 else code[:-3]


def district_of(code: str) -> str | None:
    """The district a unit lies in (None for the city)."""
    return None if code == CITY_CODE else code[:6]


def within(code: str, scope: str) -> bool:
    """The unit lies inside a scope (a code prefix, as `prefix_of` gives)."""
    return is_code(code) and code.startswith(scope)


def is_city(code: str) -> bool:
    return code == CITY_CODE
