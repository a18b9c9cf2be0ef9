"""The view state every page shares, kept in the URL:
?unit=310115&start=2026-11-01&end=2026-11-21&grain=month&cmp=yoy&lang=zh

Parsing never raises: a bad parameter is replaced by its default and reported as a message,
so a hand-edited or stale link still opens a page and says what was wrong.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlencode

from cockpit.kpis import catalogue
from cockpit.units import CITY_CODE, is_code


def kpi_ids() -> set[str]:
    return {k.id for k in catalogue()}

GRAINS = ("day", "week", "month", "quarter", "year")
COMPARISONS = ("yoy", "pop")  # 同比 (same period last year), 环比 (previous period)
LANGS = ("zh", "en")
PRESETS = ("mtd", "last_month", "qtd", "ytd", "last_30", "last_12m")
MAX_DAYS = 3 * 366 + 1


@dataclass(frozen=True)
class ViewState:
    unit: str
    start: dt.date
    end: dt.date
    grain: str
    cmp: str
    lang: str
    kpi: str | None = None  # the KPI a page's map, ranking and trend show; None: the page's default

    def query(self, **changes) -> str:
        """The URL query string of this state with some fields changed."""
        s = replace(self, **changes)
        params = {"unit": s.unit, "start": s.start.isoformat(), "end": s.end.isoformat(),
                  "grain": s.grain, "cmp": s.cmp, "lang": s.lang}
        if s.kpi:
            params["kpi"] = s.kpi
        return "?" + urlencode(params)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def query_params(query) -> dict:
    """A URL query string as a dict of each parameter's last value (as Dash passes them)."""
    return {k: v[-1] for k, v in parse_qs(str(query).lstrip("?")).items()}


def with_params(query, **changes) -> str:
    """A URL query string with some parameters set (the others kept as they are)."""
    return "?" + urlencode({**query_params(query), **changes})


def preset_range(preset: str, last_day: dt.date) -> tuple[dt.date, dt.date]:
    """Date range of a named period ending at the last day with data."""
    if preset == "mtd":
        return last_day.replace(day=1), last_day
    if preset == "last_month":
        end = last_day.replace(day=1) - dt.timedelta(days=1)
        return end.replace(day=1), end
    if preset == "qtd":
        return dt.date(last_day.year, 3 * ((last_day.month - 1) // 3) + 1, 1), last_day
    if preset == "ytd":
        return dt.date(last_day.year, 1, 1), last_day
    if preset == "last_30":
        return last_day - dt.timedelta(days=29), last_day
    if preset == "last_12m":
        return shift_months(last_day, -12) + dt.timedelta(days=1), last_day
    raise ValueError(preset)


def default_state(last_day: dt.date) -> ViewState:
    start, end = preset_range("mtd", last_day)
    return ViewState(CITY_CODE, start, end, "month", "yoy", "zh")


def parse_state(params: dict, first_day: dt.date, last_day: dt.date) -> tuple[ViewState, list[str]]:
    """State from URL parameters; unknown or bad values fall back to defaults, with messages
    (message keys of the i18n catalogue with their arguments)."""
    state = default_state(last_day)
    errors: list[tuple[str, dict]] = []

    def text(name):
        value = params.get(name)
        if isinstance(value, list):
            value = value[-1] if value else None
        return None if value in (None, "") else str(value)[:64]

    lang = text("lang")
    if lang is not None:
        if lang in LANGS:
            state = replace(state, lang=lang)
        else:
            errors.append(("error.lang", {"value": lang}))
    kpi = text("kpi")
    if kpi is not None:
        if kpi in kpi_ids():
            state = replace(state, kpi=kpi)
        else:
            errors.append(("error.kpi", {"value": kpi}))
    unit = text("unit")
    if unit is not None:
        if is_code(unit):
            state = replace(state, unit=unit)
        else:
            errors.append(("error.unit_format", {"value": unit}))
    for name, allowed in (("grain", GRAINS), ("cmp", COMPARISONS)):
        value = text(name)
        if value is not None:
            if value in allowed:
                state = replace(state, **{name: value})
            else:
                errors.append((f"error.{name}", {"value": value, "allowed": ", ".join(allowed)}))
    start, end = text("start"), text("end")
    if start is not None or end is not None:
        try:
            s = dt.date.fromisoformat(start) if start else state.start
            e = dt.date.fromisoformat(end) if end else state.end
        except ValueError:
            errors.append(("error.date_format", {"start": start or "", "end": end or ""}))
        else:
            if s > e:
                errors.append(("error.date_order", {"start": s.isoformat(), "end": e.isoformat()}))
            elif e < first_day or s > last_day:
                errors.append(("error.date_outside", {"first": first_day.isoformat(), "last": last_day.isoformat()}))
            else:
                s, e = max(s, first_day), min(e, last_day)
                if (e - s).days + 1 > MAX_DAYS:
                    s = e - dt.timedelta(days=MAX_DAYS - 1)
                state = replace(state, start=s, end=e)
    return state, errors


def shift_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), clipped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    next_first = dt.date(year + (month == 12), month % 12 + 1, 1)
    return dt.date(year, month, min(day.day, (next_first - dt.timedelta(days=1)).day))


def _is_month_end(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).day == 1


def comparison_range(start: dt.date, end: dt.date, cmp: str) -> tuple[dt.date, dt.date]:
    """The period a state compares with. 同比 (yoy): the same calendar dates a year earlier, and
    a range ending on a month's last day ends on that month's last day a year earlier (February
    is February, whether it has 28 days or 29). 环比 (pop): the same number of days just before,
    so both periods count the same days (October's 31 against the 31 days before, not
    September's 30)."""
    if cmp == "yoy":
        before_end = shift_months(end, -12)
        if _is_month_end(end):
            before_end = shift_months(before_end.replace(day=1), 1) - dt.timedelta(days=1)
        return shift_months(start, -12), before_end
    length = (end - start).days + 1
    return start - dt.timedelta(days=length), start - dt.timedelta(days=1)
