"""What drove a change between two periods: contributions of the parts of a whole.

A count's change is the sum of its parts' changes. A rate's change is split exactly into, per
part, a rate effect (the part's own rate moved, weighted by its mean share) and a mix effect
(the part's share of the denominator moved, times how far its rate is from the overall rate):
    Δ(Σ wᵢ rᵢ) = Σ w̄ᵢ Δrᵢ + Σ Δwᵢ (r̄ᵢ − r̄)        (bars are means of the two periods)
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def attribute(before: pd.DataFrame, after: pd.DataFrame, scale: float = 1.0, is_rate: bool = False) -> pd.DataFrame:
    """before/after: key, num[, den]. Returns key, before, after, rate_effect, mix_effect,
    contribution and share of the total change, largest contribution first. (Plain arrays: a
    page draws several of these, and pandas' alignment cost ~20 ms each on a dozen parts.)"""
    keys = sorted(set(before.key) | set(after.key))  # a part missing in one period counts 0 there

    def column(frame: pd.DataFrame, name: str) -> np.ndarray:
        values = dict(zip(frame.key, frame[name]))
        return np.array([values.get(k, 0) for k in keys], dtype="float64")

    num0, num1 = column(before, "num"), column(after, "num")
    with np.errstate(divide="ignore", invalid="ignore"):
        if not is_rate:
            old, new = num0 * scale, num1 * scale
            rate_effect, mix_effect = new - old, np.zeros(len(keys))
        else:
            den0, den1 = column(before, "den"), column(after, "den")
            w0, w1 = den0 / den0.sum(), den1 / den1.sum()
            r0 = np.where(den0 > 0, num0 / den0, np.nan)
            r1 = np.where(den1 > 0, num1 / den1, np.nan)
            # A part missing in one period has no rate there: use its other period's rate.
            r0, r1 = np.nan_to_num(np.where(np.isnan(r0), r1, r0)), np.nan_to_num(np.where(np.isnan(r1), r0, r1))
            overall = (np.nansum(w0 * r0) + np.nansum(w1 * r1)) / 2
            old, new = r0 * scale, r1 * scale
            rate_effect = (w0 + w1) / 2 * (r1 - r0) * scale
            mix_effect = (w1 - w0) * ((r0 + r1) / 2 - overall) * scale
        contribution = rate_effect + mix_effect
        total = np.nansum(contribution)
        share = contribution / total if total else np.zeros(len(keys))
    out = pd.DataFrame({"key": keys, "before": old, "after": new, "rate_effect": rate_effect,
                        "mix_effect": mix_effect, "contribution": contribution, "share": share})
    return out.reindex(out.contribution.abs().sort_values(ascending=False).index).reset_index(drop=True)


def total_change(before: pd.DataFrame, after: pd.DataFrame, scale: float = 1.0, is_rate: bool = False) -> float:
    """The whole's change, computed directly (the contributions add up to it); NaN for a rate
    with no denominator in either period (no rate to change from or to)."""
    if not is_rate:
        return float(after.num.sum() - before.num.sum()) * scale
    if not after.den.sum() or not before.den.sum():
        return float("nan")
    return float(after.num.sum() / after.den.sum() - before.num.sum() / before.den.sum()) * scale
