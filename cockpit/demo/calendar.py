"""Working days and public holidays of mainland China."""
from __future__ import annotations

import datetime as dt

import chinese_calendar
import pandas as pd


def day_calendar(days: pd.DatetimeIndex) -> pd.DataFrame:
    """One row per day: is_workday and holiday name (None on ordinary days).

    Uses the official schedule (with make-up working days) where the `chinese_calendar`
    package knows the year, and plain weekends otherwise.
    """
    rows = []
    for day in days:
        date = day.date()
        try:
            is_holiday, name = chinese_calendar.get_holiday_detail(date)
            workday = not is_holiday
            name = name if (is_holiday and name) else None
        except NotImplementedError:
            workday, name = date.weekday() < 5, None
        rows.append((date, workday, name))
    return pd.DataFrame(rows, columns=["day", "is_workday", "holiday_name"])


def as_date(value: str | dt.date | None) -> dt.date:
    if value is None:
        return dt.date.today()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)
