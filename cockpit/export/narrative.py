"""The key facts of a KPI for a unit and period — value, change on the same period last year,
rank among the units of the same parent, target status — and the sentence that states them."""
from __future__ import annotations

from dataclasses import replace

from cockpit.i18n import fmt_change, fmt_value, t
from cockpit.kpis import Kpi
from cockpit.queries import Runner
from cockpit.state import ViewState
from cockpit.units import level_of, parent_of
from cockpit.views import kpi_tiles
from cockpit.views.drill import children_values

LEVELS = {2: "district", 3: "street", 4: "community", 5: "grid"}


def facts(runner: Runner, state: ViewState, kpi: Kpi) -> dict:
    """The numbers the narrative states. The rank is taken among all units under the same
    parent (city-wide, since a rank is meaningless among the units one may see), and only the
    rank and the number of peers leave this function, never a peer's value."""
    yoy = replace(state, cmp="yoy")
    tiles = kpi_tiles(runner, yoy, [kpi.id])
    tile = tiles["tiles"][0]
    rank = peers = None
    parent = parent_of(state.unit)
    if parent is not None:
        city_wide = getattr(runner, "runner", runner)  # a ScopedRunner's unscoped runner
        siblings = children_values(city_wide, replace(yoy, unit=parent), kpi)
        ranked = siblings[siblings.value.notna()].reset_index(drop=True)
        found = ranked.index[ranked.unit_code == state.unit]
        if len(found):
            rank, peers = int(found[0]) + 1, len(ranked)
    return {"kpi_id": kpi.id, "value": tile["value"], "previous": tile["previous"], "change": tile["change"],
            "before": (tiles["cmp_start"], tiles["cmp_end"]),  # the dates the change is against
            "target": tile["target"], "status": tile["target_status"], "rank": rank, "peers": peers,
            "level": LEVELS.get(level_of(state.unit))}


def sentence(f: dict, kpi: Kpi, unit_name: str, lang: str) -> str:
    """One line: 「浦东新区网办率为76.3%，同比上升5.2 个百分点（对比2025-10-01至2025-10-31），在16个区中排第3，
    已达目标75%。」"""
    if f["value"] is None:
        return t("narrative.no_data", lang, unit=unit_name, kpi=kpi.name(lang))
    unit = kpi.unit(lang)
    parts = [t("narrative.value", lang, unit=unit_name, kpi=kpi.name(lang), value=kpi.show(f["value"], lang))]
    if f["change"] is not None:
        key = "narrative.up" if f["change"] > 0 else "narrative.down" if f["change"] < 0 else "narrative.flat"
        parts.append(t(key, lang, change=fmt_change(abs(f["change"]), kpi.kind, lang).lstrip("+"),
                       start=f["before"][0], end=f["before"][1]))
    if f["rank"] is not None:
        parts.append(t("narrative.rank", lang, rank=f["rank"], peers=f["peers"],
                       level=t(f"narrative.level.{f['level']}", lang)))
    if f["status"] is not None:
        target = fmt_value(f["target"], kpi.kind, lang) + (unit if kpi.kind == "percent" else "")
        parts.append(t(f"narrative.target.{f['status']}", lang, target=target))
    return t("narrative.join", lang).join(parts) + t("narrative.end", lang)
