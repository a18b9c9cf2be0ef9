"""City vital signs (城市生命体征): per sensor type, latest values, thresholds, breaches, series."""
from __future__ import annotations

import pandas as pd

from cockpit.demo.reference import SENSOR_TYPES
from cockpit.queries import Runner
from cockpit.units import prefix_of
from cockpit.state import ViewState

HOURLY_UP_TO_DAYS = 14  # longer periods are shown per day


def sensor_types() -> list[str]:
    return [s[0] for s in SENSOR_TYPES]


def panels(runner: Runner, state: ViewState) -> list[dict]:
    """One panel per sensor type (`sensors` 0 where the unit has none of that type)."""
    return [panel(runner, state, stype) for stype in sensor_types()]


def panel(runner: Runner, state: ViewState, stype: str) -> dict:
    """A sensor type under the unit: the reading nearest its upper threshold (the one a leader
    needs to see), the thresholds, breaches in the period and the series (hourly for short
    periods, else daily)."""
    prefix = prefix_of(state.unit)
    latest = runner.run("sensor_latest", prefix=prefix)
    sensors = latest[latest.sensor_type == stype]
    if sensors.empty:
        return {"sensor_type": stype, "sensors": 0}
    hourly = state.days <= HOURLY_UP_TO_DAYS
    series = runner.run("vitals_hourly" if hourly else "vitals_series", sensor_type=stype,
                        prefix=prefix, start=state.start, end=state.end)
    worst = sensors.loc[(sensors.value / sensors.warn_high).idxmax()]
    low, high = sensors.warn_low.dropna(), sensors.warn_high
    return {
        "sensor_type": stype, "sensors": len(sensors), "uom": worst.uom,
        "latest_value": float(worst.value), "latest_time": pd.Timestamp(worst.ts).to_pydatetime(),
        "latest_sensor": worst.sensor_id,
        # One threshold for all the unit's sensors: readings are drawn against it. Thresholds of
        # their own (the power load of each substation): readings as a share of their own.
        "shared": high.nunique() == 1 and low.nunique() <= 1 and (low.empty or len(low) == len(sensors)),
        "warn_low": (float(low.min()), float(low.max())) if len(low) else None,
        "warn_high": (float(high.min()), float(high.max())),
        "breaches": int(series.breaches.sum()), "hourly": hourly, "series": series,
    }


def breach_days(runner: Runner, state: ViewState) -> pd.DataFrame:
    return runner.run("breach_days", prefix=prefix_of(state.unit), start=state.start, end=state.end)
