"""信息核验: what lies behind a KPI's number for a unit and period — definition, formula, source
tables, freshness, the quality checks of its source, the count of records behind it and a masked
sample of them — and a confidence summary (fresh or stale; checks clean or not)."""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from cockpit import kpis
from cockpit.config import city_now
from cockpit.i18n import MESSAGES, t
from cockpit.kpis import REFRESH_DAYS, Kpi
from cockpit.ops.loop import Actor
from cockpit.queries import Runner
from cockpit.state import ViewState
from cockpit.units import district_of, prefix_of
from cockpit.views import freshness, kpi_tiles
from cockpit.views.drill import RECORD_KINDS, records

SAMPLE_SIZE = 5


def check_name(check_id: str, lang: str) -> str:
    """A quality check's name in the language (its id where the catalogue has no name)."""
    return t(f"check.{check_id}", lang) if f"check.{check_id}" in MESSAGES["zh"] else check_id


def for_source(source: str) -> Kpi | None:
    """The first catalogue KPI of a source system (for cards that show no single KPI)."""
    return next((k for k in kpis.catalogue() if k.source == source), None)


def is_fresh(latest_record: dt.datetime, kpi: Kpi, now: dt.datetime) -> bool:
    """Fresh while the newest record is no older than twice the KPI's refresh interval (at
    least two days: a daily source may arrive late in the night)."""
    allowed = dt.timedelta(days=max(2.0, 2 * REFRESH_DAYS[kpi.refresh]))
    return now - latest_record <= allowed


def fresh_marks(info: dict, now: dt.datetime) -> list[bool]:
    """Every KPI's fresh-or-stale mark (`info`: views.freshness): what of a page built from the
    marts changes with the clock alone, so cached content is keyed by it."""
    return [is_fresh(pd.Timestamp(info["sources"][k.record_kind]).to_pydatetime(), k, now) for k in kpis.catalogue()]


def quality(runner: Runner, kpi: Kpi, unit: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The quality checks of the KPI's source for the unit's district and period: check_id,
    failed, checked. Empty when the marts have no quality checks."""
    try:
        return runner.run("quality_for", source=kpi.record_kind, prefix=prefix_of(unit),
                          start=start, end=end)
    except duckdb.CatalogException:  # marts built before the quality checks existed
        return pd.DataFrame(columns=["check_id", "failed", "checked"])


def confidence(runner: Runner, kpi: Kpi, unit: str, start: dt.date, end: dt.date,
               now: dt.datetime | None = None, info: dict | None = None) -> dict:
    """Fresh or stale, and the source's checks for the unit and period; `info` is the
    freshness a render already read (else it is read here)."""
    info = info or freshness(runner)
    latest = pd.Timestamp(info["sources"][kpi.record_kind])
    latest = None if pd.isna(latest) else latest.to_pydatetime()  # None: the source has no records
    checks = quality(runner, kpi, unit, start, end)
    return {"fresh": latest is not None and is_fresh(latest, kpi, now or city_now()), "latest_record": latest,
            "built_at": info["built_at"], "checks": len(checks),
            "checks_failed": int((checks.failed > 0).sum()) if len(checks) else 0}


def behind(runner: Runner, state: ViewState, kpi: Kpi, now: dt.datetime | None = None,
           viewer: Actor | None = None) -> dict:
    """Everything 核验 shows for the KPI at the state's unit and period; the sample is of the
    records behind the value (those its denominator counts), as the record table shows them to
    the viewer (drill.records)."""
    tile = kpi_tiles(runner, state, [kpi.id])["tiles"][0]
    count = (tile["denominator"] if kpi.is_rate else tile["numerator"]) or 0  # (None: a measure the data lacks)
    sample = (records(runner, state, kpi.record_kind, viewer=viewer, kpi=kpi, size=SAMPLE_SIZE)
              if kpi.record_kind in RECORD_KINDS else pd.DataFrame())
    district = district_of(state.unit)  # the checks are kept by district: below one, say whose they are
    checks_of = runner.run("unit", unit=district).unit_name.iloc[-1] if district not in (None, state.unit) else None
    return {"kpi": kpi, "tile": tile, "records": int(count), "sample": sample, "checks_of": checks_of,
            "quality": quality(runner, kpi, state.unit, state.start, state.end),
            **confidence(runner, kpi, state.unit, state.start, state.end, now)}
