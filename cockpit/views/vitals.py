"""City vital signs (城市生命体征): per sensor type, latest values, thresholds, breaches, series."""
from __future__ import annotations

import pandas as pd

from cockpit.demo.reference import SENSOR_TYPES
from cockpit.queries import QueryRunner
from cockpit.units import prefix_of
from cockpit.state import ViewState

HOURLY_UP_TO_DAYS = 14  # longer periods are shown per day


def sensor_types() -> list[str]:
    return [s[0] for s in SENSOR_TYPES]


def panels(runner: QueryRunner, state: ViewState, scope: str) -> list[dict]:
    """One panel per sensor type present under the unit."""
    prefix = prefix_of(state.unit)
    latest = runner.run("sensor_latest", scope, prefix=prefix)
    hourly = state.days <= HOURLY_UP_TO_DAYS
    out = []
    for stype in sensor_types():
        sensors = latest[latest.sensor_type == stype]
        if sensors.empty:
            out.append({"sensor_type": stype, "sensors": 0})
            continue
        series = runner.run("vitals_hourly" if hourly else "vitals_series", scope, sensor_type=stype,
                            prefix=prefix, start=state.start, end=state.end)
        # The reading nearest its upper threshold is the one a leader needs to see.
        share = sensors.value / sensors.warn_high
        worst = sensors.loc[share.idxmax()]
        out.append({
            "sensor_type": stype, "sensors": len(sensors), "uom": worst.uom,
            "latest_value": float(worst.value), "latest_time": pd.Timestamp(worst.ts).to_pydatetime(),
            "latest_sensor": worst.sensor_id,
            "warn_low": None if sensors.warn_low.isna().all() else float(sensors.warn_low.max()),
            "warn_high": float(sensors.warn_high.min()),
            "breaches": int(series.breaches.sum()), "hourly": hourly, "series": series,
        })
    return out


def breach_days(runner: QueryRunner, state: ViewState, scope: str) -> pd.DataFrame:
    return runner.run("breach_days", scope, prefix=prefix_of(state.unit), start=state.start, end=state.end)
