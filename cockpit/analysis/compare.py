"""Comparisons between a KPI's value and a reference (an earlier period or a target)."""
from __future__ import annotations

import math


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def change(current: float | None, reference: float | None, kind: str) -> float | None:
    """Percentage points for percentages; per cent of the reference for counts and durations."""
    if _missing(current) or _missing(reference):
        return None
    if kind == "percent":
        return current - reference
    if reference == 0:
        return None
    return (current - reference) / abs(reference) * 100.0


def judgement(delta: float | None, direction: str, tolerance: float = 0.05) -> str:
    """'good', 'bad' or 'flat' for a change, respecting which way is better."""
    if _missing(delta) or abs(delta) < tolerance:
        return "flat"
    better = delta > 0 if direction == "higher" else delta < 0
    return "good" if better else "bad"
