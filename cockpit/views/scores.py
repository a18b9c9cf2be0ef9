"""The KPI catalogue with current values, and composite scores per sub-unit and per owner
department, with their monthly history."""
from __future__ import annotations

import numpy as np
import pandas as pd

from cockpit import kpis
from cockpit.analysis.scores import composite, composites
from cockpit.queries import Runner
from cockpit.units import level_of, prefix_of
from cockpit.state import ViewState, shift_months
from cockpit.views import data_range, kpi_tiles, rollup, with_coverage


def weights() -> dict[str, float]:
    return {k.id: k.weight for k in kpis.catalogue()}


def catalogue_rows(runner: Runner, state: ViewState) -> list[dict]:
    """Every catalogue KPI for the unit and period: value, comparison, target, status, score,
    12-month series, owner, weight."""
    tiles = kpi_tiles(runner, state, [k.id for k in kpis.catalogue()])["tiles"]
    return [{**tile, "kpi": kpis.by_id(tile["kpi_id"])} for tile in tiles]


def department_scores(rows: list[dict]) -> pd.DataFrame:
    """Each owner department's composite over the KPIs it owns (scored at the current unit)."""
    frame = pd.DataFrame([{"owner": r["kpi"].owner, "kpi_id": r["kpi_id"], "score": r["score"]} for r in rows])
    out = [{"owner": owner, "score": composite(dict(zip(g.kpi_id, g.score)), weights()),
            "kpis": int(g.score.notna().sum())} for owner, g in frame.groupby("owner")]
    return pd.DataFrame(out).sort_values("score", ascending=False, na_position="last").reset_index(drop=True)


def _scored(measures: pd.DataFrame) -> pd.DataFrame:
    """Per row of summed measures (indexed by unit_code, maybe period): each KPI's score and the
    composite."""
    units, scored = measures.index.get_level_values("unit_code"), [k for k in kpis.catalogue() if k.target is not None]
    out = pd.DataFrame({kpi.id: kpi.scores(np.asarray(kpi.value(measures), dtype=float), units) for kpi in scored},
                       index=measures.index)
    out["score"] = composites(out.to_numpy(), np.array([kpi.weight for kpi in scored]))
    return out


def unit_scores(runner: Runner, state: ViewState) -> pd.DataFrame:
    """The composite score of every child of the unit for the period, best first, with each
    KPI's score."""
    children = runner.run("children", unit=state.unit)
    if children.empty:
        return pd.DataFrame(columns=["unit_code", "unit_name", "score"])
    measures = rollup(runner, level_of(state.unit) + 1, prefix_of(state.unit), state.start, state.end, "total")
    scored = _scored(measures.drop(columns=["period_start"]).set_index("unit_code"))
    frame = children[["unit_code", "unit_name"]].merge(scored, left_on="unit_code", right_index=True, how="left")
    return frame.sort_values("score", ascending=False, na_position="last").reset_index(drop=True)


def score_history(runner: Runner, state: ViewState) -> pd.DataFrame:
    """Monthly composite score of each child of the unit over the twelve months to the period's
    end: period_start, unit_code, score."""
    start = shift_months(state.end, -11).replace(day=1)
    measures = rollup(runner, level_of(state.unit) + 1, prefix_of(state.unit), start, state.end, "month")
    if measures.empty:
        return pd.DataFrame(columns=["period_start", "unit_code", "score", "days", "period_days"])
    scored = _scored(measures.set_index(["unit_code", "period_start"]))
    first_day, last_day = data_range(runner)
    return with_coverage(scored[["score"]].reset_index(), "month", max(start, first_day), min(state.end, last_day))
