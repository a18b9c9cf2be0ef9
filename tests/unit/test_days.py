"""views.Days: units' daily measures summed to periods in numpy, checked against pandas' own
calendar arithmetic (to_period) on random days of three units, for every grain and for date
ranges that cut through weeks, months, quarters and years."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from cockpit.views import Days

FREQ = {"day": "D", "week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}


@pytest.fixture(scope="module")
def days() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    frames = []
    for code in ("310101", "310104", "310115"):
        calendar = pd.date_range("2023-11-20", "2026-11-30").to_numpy()
        day = pd.to_datetime(np.sort(rng.choice(calendar, 700, replace=False)))
        frames.append(pd.DataFrame({"unit_code": code, "day": day, "apps": rng.integers(0, 50, len(day)),
                                    "events": rng.integers(0, 9, len(day))}))
    return pd.concat(frames, ignore_index=True)


@pytest.mark.parametrize("grain", [*FREQ, "total"])
@pytest.mark.parametrize("start, end", [("2023-01-01", "2026-12-31"), ("2024-02-27", "2024-03-04"),
                                        ("2025-03-15", "2026-01-10"), ("2026-12-01", "2026-12-31")])
def test_periods_equal_pandas_calendar_sums(days, grain, start, end):
    got = Days.of(pa.Table.from_pandas(days.sample(frac=1, random_state=3), preserve_index=False)).periods(start, end, grain)  # any row order
    inside = days[(days.day >= start) & (days.day <= end)]
    period = (pd.Series(pd.Timestamp(start), index=inside.index) if grain == "total"
              else inside.day.dt.to_period(FREQ[grain]).dt.start_time)
    want = (inside.assign(period_start=period).groupby(["unit_code", "period_start"])[["apps", "events"]].sum()
            .reset_index())
    assert list(got.columns) == ["unit_code", "period_start", "apps", "events"]
    pd.testing.assert_frame_equal(got, want, check_dtype=False, check_index_type=False)
    if grain == "week":
        assert (got.period_start.dt.day_of_week == 0).all()  # weeks start on Monday
