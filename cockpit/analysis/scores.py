"""Composite scores (like Boston's CityScore): each KPI's score is actual ÷ target (direction
aware, capped; see Kpi.score), and a composite is their weighted mean over the KPIs that have a
score. 1.0 means on target overall."""
from __future__ import annotations

import numpy as np


def composite(scores: dict[str, float | None], weights: dict[str, float]) -> float | None:
    """Weighted mean of the scores present; None when no KPI has a score."""
    matrix = np.array([[np.nan if s is None else s for s in scores.values()]], dtype=float)
    value = composites(matrix, np.array([weights.get(k, 1.0) for k in scores], dtype=float))[0]
    return None if np.isnan(value) else float(value)


def composites(matrix: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """`composite` of each row of a rows × KPIs matrix of scores (NaN: no score); NaN where a
    row has none."""
    present = ~np.isnan(matrix)
    total = (present * weights).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, np.where(present, matrix, 0.0) @ weights / total, np.nan)
