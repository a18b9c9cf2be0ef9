"""What drove a change between two periods: contributions of the parts of a whole.

A count's change is the sum of its parts' changes. A rate's change is split exactly into, per
part, a rate effect (the part's own rate moved, weighted by its mean share) and a mix effect
(the part's share of the denominator moved, times how far its rate is from the overall rate):
    Δ(Σ wᵢ rᵢ) = Σ w̄ᵢ Δrᵢ + Σ Δwᵢ (r̄ᵢ − r̄)        (bars are means of the two periods)
"""
from __future__ import annotations

import pandas as pd


def attribute(before: pd.DataFrame, after: pd.DataFrame, scale: float = 1.0, is_rate: bool = False) -> pd.DataFrame:
    """before/after: key, num[, den]. Returns key, before, after, rate_effect, mix_effect,
    contribution and share of the total change, largest contribution first."""
    cols = ["num", "den"] if is_rate else ["num"]
    both = before.set_index("key")[cols].add_suffix("_0").join(
        after.set_index("key")[cols].add_suffix("_1"), how="outer").fillna(0)
    if not is_rate:
        out = pd.DataFrame({"before": both.num_0 * scale, "after": both.num_1 * scale})
        out["rate_effect"] = out.after - out.before
        out["mix_effect"] = 0.0
    else:
        w0, w1 = both.den_0 / both.den_0.sum(), both.den_1 / both.den_1.sum()
        r0 = (both.num_0 / both.den_0.where(both.den_0 > 0))
        r1 = (both.num_1 / both.den_1.where(both.den_1 > 0))
        # A part missing in one period has no rate there: use its other period's rate.
        r0, r1 = r0.fillna(r1).fillna(0), r1.fillna(r0).fillna(0)
        overall = ((w0 * r0).sum() + (w1 * r1).sum()) / 2
        out = pd.DataFrame({"before": r0 * scale, "after": r1 * scale})
        out["rate_effect"] = (w0 + w1) / 2 * (r1 - r0) * scale
        out["mix_effect"] = (w1 - w0) * ((r0 + r1) / 2 - overall) * scale
    out["contribution"] = out.rate_effect + out.mix_effect
    total = out.contribution.sum()
    out["share"] = out.contribution / total if total else 0.0
    out = out.reset_index().rename(columns={"index": "key"})
    return out.reindex(out.contribution.abs().sort_values(ascending=False).index).reset_index(drop=True)


def total_change(before: pd.DataFrame, after: pd.DataFrame, scale: float = 1.0, is_rate: bool = False) -> float:
    """The whole's change, computed directly (the contributions add up to it); NaN for a rate
    with no denominator in either period (no rate to change from or to)."""
    if not is_rate:
        return float(after.num.sum() - before.num.sum()) * scale
    if not after.den.sum() or not before.den.sum():
        return float("nan")
    return float(after.num.sum() / after.den.sum() - before.num.sum() / before.den.sum()) * scale
