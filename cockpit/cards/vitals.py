"""Cards of the city vital signs page (/vitals): one per sensor type, the series of its
readings under the unit with the warning thresholds, and the facts a leader reads first."""
from __future__ import annotations

from dash import html

from cockpit import figures
from cockpit.cards import Card, register
from cockpit.i18n import t
from cockpit.views import vitals

SOURCE = "城市生命体征"


def _series(view, stype: str):
    panel = vitals.panel(view.run, view.state, stype)
    if not panel["sensors"]:
        return None
    return panel["series"].assign(uom=panel["uom"], warn_low=panel["warn_low"], warn_high=panel["warn_high"])


def _figure(rows, view) -> dict:
    lang = view.lang
    x = list(rows.period_start)
    fig = {"data": [
        {"type": "scatter", "mode": "lines", "x": x, "y": list(rows.max_value), "name": t("vitals.max", lang),
         "line": {"color": figures.COLORS["line"], "width": 1.8}},
        {"type": "scatter", "mode": "lines", "x": x, "y": list(rows.mean_value), "name": t("vitals.mean", lang),
         "line": {"color": "#8c959f", "width": 1.2}},
    ], "layout": figures.base_layout(240, hovermode="x unified")}
    fig["layout"]["xaxis"] = {"type": "date"}
    thresholds = [rows[c].dropna().iloc[0] for c in ("warn_low", "warn_high") if rows[c].notna().any()]
    fig["layout"]["shapes"] = [
        {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": v, "y1": v,
         "line": {"color": figures.COLORS["bad"], "dash": "dash", "width": 1.2}} for v in thresholds]
    return fig


def _facts(view, stype: str) -> list:
    """Latest reading nearest its threshold, the thresholds, breaches in the period."""
    panel, lang = vitals.panel(view.run, view.state, stype), view.lang
    low = f"< {panel['warn_low']:g} / " if panel["warn_low"] is not None else ""
    return [html.Div([
        html.Span(t("vitals.latest", lang, value=f"{panel['latest_value']:,.1f}", uom=panel["uom"],
                    time=panel["latest_time"].strftime("%m-%d %H:%M")), className="vital-latest"),
        html.Span(t("vitals.thresholds", lang, low=low, high=f"> {panel['warn_high']:,.1f}"), className="vital-threshold"),
        html.Span(t("vitals.breaches", lang, n=panel["breaches"]),
                  className="vital-breaches" + (" kpi-bad" if panel["breaches"] else " kpi-good")),
    ], className="vital-facts")]


def _card(stype: str) -> Card:
    def title(view):
        uom = vitals.panel(view.run, view.state, stype).get("uom", "")
        return t("chart.sensor", view.lang, sensor=t(f"sensor.{stype}", view.lang), uom=uom)
    return Card("vitals", f"vital-{stype}", title, lambda v: _series(v, stype), _figure, source=lambda v: SOURCE,
                unit_label=lambda v: vitals.panel(v.run, v.state, stype).get("uom", ""),
                extra=lambda v: _facts(v, stype))


register(*(_card(stype) for stype in vitals.sensor_types()))
