"""Build step after the SQL models: anomaly alerts per KPI and unit, computed once per build
(so no page waits for them) and stored as the `alerts` table of the new marts."""
from __future__ import annotations

import duckdb
import pandas as pd

from cockpit import kpis
from cockpit.analysis.anomalies import city_count_anomalies, count_anomalies, rate_anomalies
from cockpit.units import CITY_CODE

COUNT_KPIS = ("applications", "events")  # surges judged at street level and for the city
RATE_KPIS = ("online_rate", "full_online_rate", "on_time_completion_rate", "satisfaction_rate",
             "on_time_closure_rate", "proactive_rate", "hotline_satisfaction_rate")  # at district level

COLUMNS = ["kpi_id", "unit_code", "unit_level", "start", "end", "weeks", "observed", "expected", "z",
           "direction", "judgement", "severity"]


def _weekly(con: duckdb.DuckDBPyConnection, level: int, columns: list[str]) -> pd.DataFrame:
    """The whole weeks of the data only: a partial first or last week would sit in the
    baselines as a fall."""
    cols = ", ".join(f"sum({c}) AS {c}" for c in columns)  # names from the validated catalogue
    return con.execute(f"""
        WITH span AS (SELECT date_trunc('week', min(day) + 6) AS first_week,
                             date_trunc('week', max(day) + 1) - INTERVAL 7 DAY AS last_week FROM unit_daily)
        SELECT unit_code, CAST(date_trunc('week', day) AS DATE) AS week, {cols}
        FROM unit_daily, span
        WHERE unit_level = ? AND date_trunc('week', day) BETWEEN span.first_week AND span.last_week
        GROUP BY ALL""", [level]).df()


def detect(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    alerts = []
    first_week, last_week = con.execute(
        "SELECT date_trunc('week', min(day) + 6), date_trunc('week', max(day) - 6) FROM unit_daily").fetchone()
    for kpi_id in COUNT_KPIS:
        kpi = kpis.by_id(kpi_id)
        weekly = _weekly(con, 3, [kpi.numerator]).rename(columns={kpi.numerator: "count"})
        weekly["week"] = pd.to_datetime(weekly.week)
        alerts += [{**a, "unit_level": 3} for a in count_anomalies(weekly, kpi_id)]
        daily = con.execute(f"""
            SELECT d.day, d.{kpi.numerator} AS count,
                   CASE WHEN c.holiday_name IS NOT NULL THEN 'holiday'
                        WHEN c.is_workday THEN 'workday' ELSE 'weekend' END AS day_type
            FROM unit_daily d JOIN calendar c USING (day) WHERE d.unit_level = 1""").df()
        alerts += [{**a, "unit_level": 1} for a in city_count_anomalies(daily, kpi_id, CITY_CODE)]
    for kpi_id in RATE_KPIS:
        kpi = kpis.by_id(kpi_id)
        weekly = _weekly(con, 2, [kpi.numerator, kpi.denominator]).rename(
            columns={kpi.numerator: "num", kpi.denominator: "den"})
        weekly["week"] = pd.to_datetime(weekly.week)
        alerts += [{**a, "unit_level": 2} for a in rate_anomalies(weekly, kpi_id)]
    frame = pd.DataFrame(alerts, columns=[c for c in COLUMNS if c not in ("judgement", "severity")])
    # Partial first and last weeks of the data are not judged.
    frame = frame[(pd.to_datetime(frame.start) >= first_week) & (pd.to_datetime(frame.start) <= last_week)]
    better_up = frame.kpi_id.map(lambda k: kpis.by_id(k).direction == "higher")
    frame["judgement"] = ["good" if (d == "up") == b else "bad" for d, b in zip(frame.direction, better_up)]
    frame["severity"] = frame.z.abs()
    return frame[COLUMNS].sort_values("severity", ascending=False).reset_index(drop=True)


def _store(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    con.register("frame_to_store", frame)
    con.execute(f"CREATE TABLE {name} AS SELECT * FROM frame_to_store")
    con.unregister("frame_to_store")


def build_alerts(con: duckdb.DuckDBPyConnection) -> None:
    _store(con, "alerts", detect(con))


def build_warnings(con: duckdb.DuckDBPyConnection) -> None:
    """Early warnings (治未病) for the city and its districts: KPIs with a target whose
    year-end forecast misses it. Forecasting ~150 series takes seconds, so it is done here."""
    from cockpit.analysis.forecast import forecast

    last_day = con.execute("SELECT max(day) FROM unit_daily WHERE unit_level = 1").fetchone()[0]
    monthly = con.execute("""
        SELECT unit_code, CAST(date_trunc('month', day) AS DATE) AS period_start, sum(COLUMNS(* EXCLUDE (unit_level, unit_code, day)))
        FROM unit_daily WHERE unit_level <= 2 AND day <= ? GROUP BY ALL ORDER BY ALL""", [last_day]).df()
    month_end = pd.Timestamp(last_day) + pd.offsets.MonthEnd(0)
    if pd.Timestamp(last_day) != month_end:  # the running month would look like a fall
        monthly = monthly[pd.to_datetime(monthly.period_start) < pd.Timestamp(last_day).replace(day=1)]
    rows = []
    for kpi in kpis.catalogue():
        if kpi.target is None:
            continue
        for unit, frame in monthly.groupby("unit_code"):
            values = kpi.value(frame.set_index(pd.to_datetime(frame.period_start)))
            values = values.dropna()
            if len(values) < 24:
                continue
            remaining = 12 - values.index[-1].month or 12
            fc = forecast(values, remaining, "month", calibrate=False)  # the mean is what is judged
            expected, target = float(fc["mean"].iloc[-1]), kpi.target_for(unit)
            gap = expected - target if kpi.direction == "higher" else target - expected
            if gap < 0:
                rows.append({"kpi_id": kpi.id, "unit_code": unit, "expected": expected, "target": float(target),
                         "gap": gap, "period_end": fc.period_start.iloc[-1].date()})
    _store(con, "early_warnings", pd.DataFrame(rows, columns=[
        "kpi_id", "unit_code", "expected", "target", "gap", "period_end"]).sort_values("gap"))
