"""The KPI catalogue (catalogue.toml) as validated data, and KPI values from mart measures."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from cockpit.i18n import fmt_value
from cockpit.units import district_of, is_district

CATALOGUE = Path(__file__).with_name("catalogue.toml")
KINDS = {"count": 1.0, "percent": 100.0, "duration": 1 / 3600}
DIRECTIONS = ("higher", "lower")
REFRESH_DAYS = {"hourly": 1 / 24, "daily": 1, "weekly": 7, "monthly": 31}
SCORE_CAP = 1.2  # one KPI far beyond its target cannot hide the others' misses
# What each domain's KPIs are computed from (for 核验) and which records lie behind them.
DOMAIN_TABLES = {"services": ("raw applications", "stg_applications", "application_measures", "grid_daily", "unit_daily"),
                 "operations": ("raw events", "stg_events", "event_measures", "grid_daily", "unit_daily"),
                 "vitals": ("raw readings", "stg_readings", "vitals_daily", "grid_daily", "unit_daily")}
DOMAIN_RECORDS = {"services": "applications", "operations": "events", "vitals": "readings"}
# Measures a record gains when it completes or closes, after its day (queries/matured_days.sql
# sums them at any age): a period still running has only its quick cases in them.
MATURING = ("apps_completed", "apps_on_time", "apps_handling_seconds", "apps_rated", "apps_rated_good",
            "events_closed", "events_closed_on_time", "events_close_seconds", "hotline_rated", "hotline_satisfied")
# The measure counting a domain's records still open (the tile of a maturing KPI says how many).
OPEN = {"services": "apps_open", "operations": "events_open"}
REQUIRED = ("id", "name_zh", "name_en", "definition_zh", "definition_en", "numerator", "kind",
            "direction", "domain", "source", "owner")


class CatalogueError(ValueError):
    pass


@dataclass(frozen=True)
class Kpi:
    id: str
    name_zh: str
    name_en: str
    definition_zh: str
    definition_en: str
    numerator: str
    kind: str
    direction: str
    domain: str
    source: str
    owner: str
    denominator: str | None = None
    unit_zh: str | None = None
    unit_en: str | None = None
    target: float | None = None
    targets: tuple = ()  # ((district code, target), ...)
    warning: float | None = None
    weight: float = 1.0
    refresh: str = "daily"
    headline: bool = False
    matures: bool = False  # its measures are MATURING: compared like for like (views.like_for_like)

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_zh

    def unit(self, lang: str) -> str:
        if self.kind == "percent":
            return "%"
        if self.kind == "duration":
            return "hours" if lang == "en" else "小时"
        return (self.unit_en if lang == "en" else self.unit_zh) or ""

    def show(self, value, lang: str) -> str:
        """A value of the KPI with its unit, as every page writes it: 76.3%, 37件, 37 events,
        7.9 hours; — for none."""
        if value is None or value != value:
            return "—"
        number, unit = fmt_value(value, self.kind, lang), self.unit(lang)
        return f"{number}{unit}" if not unit or lang == "zh" or self.kind == "percent" else f"{number} {unit}"

    def target_for(self, unit_code: str) -> float | None:
        """The district's own target for the district and the units in it, else the city's."""
        return _targets(self.targets).get(district_of(unit_code), self.target)

    def status(self, value: float | None, unit_code: str) -> str | None:
        """'met' (target reached), 'warn' (between target and warning threshold) or 'missed';
        None without a target or a value."""
        target = self.target_for(unit_code)
        if target is None or value is None or pd.isna(value):
            return None
        better = (lambda a, b: a >= b) if self.direction == "higher" else (lambda a, b: a <= b)
        if better(value, target):
            return "met"
        return "warn" if self.warning is not None and better(value, self.warning) else "missed"

    def score(self, value: float | None, unit_code: str) -> float | None:
        """Actual ÷ target (target ÷ actual when lower is better), capped at SCORE_CAP: 1.0 means
        on target, as in Boston's CityScore. None without a target or a value."""
        score = self.scores(np.array([np.nan if value is None else value], dtype=float), [unit_code])[0]
        return None if np.isnan(score) else float(score)

    def scores(self, values: np.ndarray, unit_codes) -> np.ndarray:
        """`score` of many values at once (a table of sub-units or months): NaN where none."""
        rows, units = pd.factorize(np.asarray(unit_codes, dtype=object))
        targets = np.array([np.nan if (t := self.target_for(u)) is None else t for u in units], dtype=float)[rows]
        actual, target = (values, targets) if self.direction == "higher" else (targets, values)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(target == 0, SCORE_CAP, actual / target)
        return np.where(np.isnan(values) | np.isnan(targets), np.nan, np.clip(ratio, 0.0, SCORE_CAP))

    @property
    def source_tables(self) -> tuple[str, ...]:
        return DOMAIN_TABLES[self.domain]

    @property
    def record_kind(self) -> str:
        return DOMAIN_RECORDS[self.domain]

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None

    def value(self, measures: pd.DataFrame | pd.Series) -> pd.Series | float:
        """The KPI from summed measures: a Series row gives a number, a frame a Series.
        A rate with an empty denominator, or an unknown measure, is None (no data), never 0."""
        num = measures[self.numerator]
        if isinstance(num, pd.Series):  # in numpy: pandas' index alignment cost more than the sums
            values = num.to_numpy(dtype=float)
            if self.denominator is not None:
                den = measures[self.denominator].to_numpy(dtype=float)
                with np.errstate(divide="ignore", invalid="ignore"):
                    values = np.where(den > 0, values / den, np.nan)
            return pd.Series(values * KINDS[self.kind], index=num.index,
                             name=num.name if self.denominator is None else None)
        if pd.isna(num):  # a measure the data cannot give (views.unknown_as_missing)
            return None
        if self.denominator is None:
            return num * KINDS[self.kind]
        den = measures[self.denominator]
        return None if not den else float(num) / float(den) * KINDS[self.kind]


@lru_cache(maxsize=None)
def _targets(pairs: tuple) -> dict:
    return dict(pairs)


def parse_catalogue(text: str, source: str = "catalogue") -> list[Kpi]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{source}: not valid TOML: {exc}") from exc
    entries = data.get("kpi")
    if not isinstance(entries, list) or not entries:
        raise CatalogueError(f"{source}: no [[kpi]] entries")
    fields = set(Kpi.__dataclass_fields__)
    kpis, seen = [], set()
    for i, entry in enumerate(entries, start=1):
        label = f"{source}: KPI #{i} ({entry.get('id', 'no id')})"
        for name in REQUIRED:
            if not isinstance(entry.get(name), str) or not entry[name].strip():
                raise CatalogueError(f"{label}: field '{name}' is required text")
        unknown = set(entry) - fields
        if unknown:
            raise CatalogueError(f"{label}: unknown field(s) {', '.join(sorted(unknown))}")
        if entry["kind"] not in KINDS:
            raise CatalogueError(f"{label}: field 'kind' must be one of {', '.join(KINDS)}")
        if entry["direction"] not in DIRECTIONS:
            raise CatalogueError(f"{label}: field 'direction' must be 'higher' or 'lower'")
        if entry["kind"] != "count" and not entry.get("denominator"):
            raise CatalogueError(f"{label}: field 'denominator' is required for kind '{entry['kind']}'")
        if entry["domain"] not in DOMAIN_TABLES:
            raise CatalogueError(f"{label}: field 'domain' must be one of {', '.join(DOMAIN_TABLES)}")
        for name in ("target", "warning", "weight"):
            if name in entry and (not isinstance(entry[name], (int, float)) or isinstance(entry[name], bool)):
                raise CatalogueError(f"{label}: field '{name}' must be a number")
        if entry.get("weight", 1.0) < 0:
            raise CatalogueError(f"{label}: field 'weight' must not be negative")
        if "warning" in entry and "target" not in entry:
            raise CatalogueError(f"{label}: field 'warning' needs a 'target'")
        if "warning" in entry and (entry["warning"] > entry["target"]) == (entry["direction"] == "higher") \
                and entry["warning"] != entry["target"]:
            raise CatalogueError(f"{label}: field 'warning' must lie on the worse side of the target")
        if entry.get("refresh", "daily") not in REFRESH_DAYS:
            raise CatalogueError(f"{label}: field 'refresh' must be one of {', '.join(REFRESH_DAYS)}")
        if not isinstance(entry.get("matures", False), bool):
            raise CatalogueError(f"{label}: field 'matures' must be true or false")
        targets = entry.get("targets", {})
        if not isinstance(targets, dict) or not all(
                is_district(k) and isinstance(v, (int, float)) for k, v in targets.items()):
            raise CatalogueError(f"{label}: field 'targets' must map district codes  to numbers")
        entry = {**entry, "targets": tuple(sorted(targets.items()))}
        if entry["id"] in seen:
            raise CatalogueError(f"{label}: field 'id' repeats an earlier KPI")
        seen.add(entry["id"])
        kpis.append(Kpi(**entry))
    return kpis


def catalogue_path() -> Path:
    """The catalogue file: COCKPIT_KPI_CATALOGUE, else the one shipped here."""
    return Path(os.environ.get("COCKPIT_KPI_CATALOGUE") or CATALOGUE)


@lru_cache(maxsize=1)
def catalogue() -> tuple[Kpi, ...]:
    path = catalogue_path()
    return tuple(parse_catalogue(path.read_text("utf-8"), path.name))


def by_id(kpi_id: str) -> Kpi:
    for kpi in catalogue():
        if kpi.id == kpi_id:
            return kpi
    raise KeyError(kpi_id)


def check_measures(kpis, columns) -> None:
    """Refuse a catalogue naming a measure the marts do not have, or a KPI of maturing measures
    not marked `matures` (its comparisons would not be like for like), or marked without."""
    for kpi in kpis:
        for field in ("numerator", "denominator"):
            name = getattr(kpi, field)
            if name and name not in columns:
                raise CatalogueError(f"KPI {kpi.id}: field '{field}' names '{name}', not a measure of unit_daily")
        if kpi.matures != (kpi.numerator in MATURING or kpi.denominator in MATURING):
            raise CatalogueError(f"KPI {kpi.id}: field 'matures' must be true exactly when its numerator or "
                                 f"denominator is one of {', '.join(MATURING)}")
