"""Cards of the city vital signs page (/vitals): one per sensor type, the series of its
readings under the unit with the warning thresholds, and the facts a leader reads first."""
from __future__ import annotations

from dash import html

from cockpit import figures
from cockpit.cards import Card, register
from cockpit.i18n import label, t
from cockpit.views import vitals

SOURCE = "城市生命体征"


def _series(view, stype: str):
    panel = vitals.panel(view.run, view.state, stype)
    if not panel["sensors"]:
        return None
    one = lambda pair: pair[0] if pair is not None and panel["shared"] else None  # noqa: E731
    return panel["series"].assign(uom=label("uom", panel["uom"], view.lang), shared=panel["shared"], warn_low=one(panel["warn_low"]),
                                  warn_high=one(panel["warn_high"]))


def _figure(rows, view) -> dict:
    """The highest reading, the mean of all readings and (with a lower threshold) the lowest,
    against the warning thresholds: in the sensors' unit when they share one threshold, else
    each reading as a share of its own sensor's threshold (100 % = at it). Periods with a
    breach are marked on the line that crossed, so the chart and the breach count agree."""
    lang, shared = view.lang, bool(rows.shared.iloc[0])
    top, bottom, mean = ("max_value", "min_value", "mean_value") if shared else ("max_of_high", "min_of_low", "mean_of_high")
    high = float(rows.warn_high.iloc[0]) if shared else 100.0
    has_low = rows.warn_low.notna().any() if shared else rows.min_of_low.notna().any()
    low = (float(rows.warn_low.iloc[0]) if shared else 100.0) if has_low else None
    x = list(rows.period_start)
    line = lambda column, name, color, width: {"type": "scatter", "mode": "lines", "x": x,  # noqa: E731
                                               "y": [None if v != v else v for v in rows[column]], "name": name,
                                               "line": {"color": color, "width": width}}
    data = [line(top, t("vitals.max", lang), figures.COLORS["line"], 1.8), line(mean, t("vitals.mean", lang), "#8c959f", 1.2)]
    if has_low:
        data.append(line(bottom, t("vitals.min", lang), figures.PALETTE[6], 1.2))
    breached = rows[rows.breaches > 0]
    crossed = [r[top] if r[top] > high else r[bottom] for r in breached.to_dict("records")]  # the line that crossed
    data.append({"type": "scatter", "mode": "markers", "x": list(breached.period_start), "y": crossed,
                 "name": t("vitals.breach", lang), "marker": {"color": figures.COLORS["bad"], "size": 7, "symbol": "x"},
                 "customdata": list(breached.breaches), "hovertemplate": t("vitals.breach_hover", lang)})
    fig = {"data": data, "layout": figures.base_layout(240, hovermode="x unified")}
    fig["layout"]["xaxis"] = {"type": "date"}
    if not shared:
        fig["layout"]["yaxis"] = {"title": t("vitals.of_own", lang), "ticksuffix": "%"}
    fig["layout"]["shapes"] = [
        {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": v, "y1": v,
         "line": {"color": figures.COLORS["bad"], "dash": "dash", "width": 1.2}} for v in (low, high) if v is not None]
    return fig


def _facts(view, stype: str) -> list:
    """Latest reading nearest its threshold, the thresholds (their range when each sensor has
    its own), breaches in the period."""
    panel, lang = vitals.panel(view.run, view.state, stype), view.lang
    span = lambda pair: f"{pair[0]:,.1f}" if pair[0] == pair[1] else f"{pair[0]:,.1f}–{pair[1]:,.1f}"  # noqa: E731
    low = f"< {span(panel['warn_low'])} / " if panel["warn_low"] is not None else ""
    key = "vitals.thresholds" if panel["shared"] else "vitals.thresholds_own"
    return [html.Div([
        html.Span(t("vitals.latest", lang, value=f"{panel['latest_value']:,.1f}", uom=label("uom", panel["uom"], lang),
                    time=panel["latest_time"].strftime("%m-%d %H:%M")), className="vital-latest"),
        html.Span(t(key, lang, low=low, high=f"> {span(panel['warn_high'])}"), className="vital-threshold"),
        html.Span(t("vitals.breaches", lang, n=panel["breaches"]),
                  className="vital-breaches" + (" kpi-bad" if panel["breaches"] else " kpi-good")),
    ], className="vital-facts")]


def _narrative(view, stype: str) -> str:
    """The briefing's sentence: this sensor type's breaches and latest reading, not every
    sensor's (the vital-signs KPI counts them all)."""
    panel, lang = vitals.panel(view.run, view.state, stype), view.lang
    return t("vitals.narrative", lang, unit=view.unit_name, sensor=t(f"sensor.{stype}", lang), n=panel["breaches"],
             value=f"{panel['latest_value']:,.1f}", uom=label("uom", panel["uom"], lang),
             time=panel["latest_time"].strftime("%m-%d %H:%M"))


def _unit_label(view, stype: str) -> str:
    """The sensors' unit, or the share of each one's own threshold the chart is drawn in."""
    panel = vitals.panel(view.run, view.state, stype)
    return label("uom", panel.get("uom", ""), view.lang) if panel.get("shared", True) else f"% · {t('vitals.of_own', view.lang)}"


def _card(stype: str) -> Card:
    def title(view):
        uom = label("uom", vitals.panel(view.run, view.state, stype).get("uom", ""), view.lang)
        return t("chart.sensor", view.lang, sensor=t(f"sensor.{stype}", view.lang), uom=uom)
    return Card("vitals", f"vital-{stype}", title, lambda v: _series(v, stype), _figure, source=lambda v: SOURCE,
                unit_label=lambda v: _unit_label(v, stype),
                extra=lambda v: _facts(v, stype), narrative=lambda v: _narrative(v, stype))


register(*(_card(stype) for stype in vitals.sensor_types()))
