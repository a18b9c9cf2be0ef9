"""The KPI catalogue (catalogue.toml) as validated data, and KPI values from mart measures."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

CATALOGUE = Path(__file__).with_name("catalogue.toml")
KINDS = {"count": 1.0, "percent": 100.0, "duration": 1 / 3600}
DIRECTIONS = ("higher", "lower")
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
    headline: bool = False

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_zh

    def unit(self, lang: str) -> str:
        if self.kind == "percent":
            return "%"
        if self.kind == "duration":
            return "hours" if lang == "en" else "小时"
        return (self.unit_en if lang == "en" else self.unit_zh) or ""

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None

    def value(self, measures: pd.DataFrame | pd.Series) -> pd.Series | float:
        """The KPI from summed measures: a Series row gives a number, a frame a Series.
        A rate with an empty denominator is None (no data), never 0."""
        num = measures[self.numerator]
        if self.denominator is None:
            return num * KINDS[self.kind]
        den = measures[self.denominator]
        if isinstance(den, pd.Series):
            return (num / den.where(den > 0)) * KINDS[self.kind]
        return None if not den else float(num) / float(den) * KINDS[self.kind]


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
        if "target" in entry and not isinstance(entry["target"], (int, float)):
            raise CatalogueError(f"{label}: field 'target' must be a number")
        if entry["id"] in seen:
            raise CatalogueError(f"{label}: field 'id' repeats an earlier KPI")
        seen.add(entry["id"])
        kpis.append(Kpi(**entry))
    return kpis


@lru_cache(maxsize=1)
def catalogue() -> tuple[Kpi, ...]:
    return tuple(parse_catalogue(CATALOGUE.read_text("utf-8"), CATALOGUE.name))


def by_id(kpi_id: str) -> Kpi:
    for kpi in catalogue():
        if kpi.id == kpi_id:
            return kpi
    raise KeyError(kpi_id)


def check_measures(kpis, columns) -> None:
    """Refuse a catalogue naming a measure the marts do not have."""
    for kpi in kpis:
        for field in ("numerator", "denominator"):
            name = getattr(kpi, field)
            if name and name not in columns:
                raise CatalogueError(f"KPI {kpi.id}: field '{field}' names '{name}', not a measure of unit_daily")
