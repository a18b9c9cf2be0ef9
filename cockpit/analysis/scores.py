"""Composite scores (like Boston's CityScore): each KPI's score is actual ÷ target (direction
aware, capped; see Kpi.score), and a composite is their weighted mean over the KPIs that have a
score. 1.0 means on target overall."""
from __future__ import annotations

import math


def composite(scores: dict[str, float | None], weights: dict[str, float]) -> float | None:
    """Weighted mean of the scores present; None when no KPI has a score."""
    present = [(s, weights.get(k, 1.0)) for k, s in scores.items() if s is not None and not math.isnan(s)]
    total = sum(w for _, w in present)
    return sum(s * w for s, w in present) / total if total else None
