"""Figure builders: plotly figures from plain data, one place for the product's look."""
from __future__ import annotations

import plotly.graph_objects as go

COLORS = {"good": "#1a7f37", "bad": "#cf222e", "flat": "#6e7781", "line": "#1f6feb", "fill": "rgba(31,111,235,0.12)"}


def sparkline(points: list[tuple[str, float | None]], kind: str) -> go.Figure:
    """A tiny line of monthly values, no axes; hover shows month and value."""
    x = [p for p, _ in points]
    y = [v for _, v in points]
    fig = go.Figure(go.Scatter(
        x=x, y=y, mode="lines", line={"color": COLORS["line"], "width": 2}, fill="tozeroy",
        fillcolor=COLORS["fill"], hovertemplate="%{x|%Y-%m}: %{y:,.1f}<extra></extra>", connectgaps=False))
    values = [v for v in y if v is not None]
    if values:
        lo, hi = min(values), max(values)
        pad = (hi - lo) * 0.15 or abs(hi) * 0.05 or 1
        fig.update_yaxes(range=[lo - pad, hi + pad])
    fig.update_layout(margin={"l": 0, "r": 0, "t": 2, "b": 0}, height=46, showlegend=False,
                      paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
                      xaxis={"visible": False}, yaxis={"visible": False})
    return fig
