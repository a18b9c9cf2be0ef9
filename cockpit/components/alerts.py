"""The overview's alert lists: anomalies ranked by severity, and early warnings of targets;
each item opens the trend page on what drove it."""
from __future__ import annotations

import datetime as dt

from dash import dcc, html

from cockpit import kpis
from cockpit.components.issue import issue_button
from cockpit.i18n import t


def alert_list(alerts, state, lang: str, limit: int = 8) -> html.Div:
    items = []
    for a in alerts.head(limit).itertuples():
        kpi = kpis.by_id(a.kpi_id)
        start, end = dt.date.fromisoformat(str(a.start)[:10]), dt.date.fromisoformat(str(a.end)[:10])
        href = "/trends" + state.query(unit=a.unit_code, kpi=a.kpi_id, start=start, end=end, cmp="pop",
                                       grain="week") + "#attribution"
        text = t("alerts.item", lang, unit=a.unit_name, kpi=kpi.name(lang), what=t(f"alerts.{a.direction}", lang),
                 start=start.isoformat(), z=f"{a.z:.1f}")
        detail = t("alerts.value", lang, observed=kpi.show(a.observed, lang), expected=kpi.show(a.expected, lang))
        action = issue_button(f"alert-{a.kpi_id}-{a.unit_code}", state, lang, a.kpi_id, a.unit_code, start, end)
        items.append(html.Li([dcc.Link(text, href=href, className="alert-link"),
                              html.Div([detail, action], className="alert-detail")],
                             className=f"alert-item alert-{a.judgement}"))
    body = html.Ul(items, className="alert-list") if items else html.Div(t("alerts.none", lang), className="chart-empty")
    more = [html.Div(t("screen.more", lang, n=len(alerts) - limit), className="screen-more")] if len(alerts) > limit else []
    return html.Div([html.H2(t("alerts.heading", lang), className="card-title-text"), body, *more],
                    className="card chart-card", id="alerts")


def warning_list(warnings, state, lang: str, limit: int = 8) -> html.Div:
    items = []
    for w in warnings.head(limit).itertuples():
        kpi = kpis.by_id(w.kpi_id)
        href = "/trends" + state.query(unit=w.unit_code, kpi=w.kpi_id, grain="month")
        items.append(html.Li(dcc.Link(t("warnings.item", lang, unit=w.unit_name, kpi=kpi.name(lang),
                                        expected=kpi.show(w.expected, lang), target=kpi.show(w.target, lang)),
                                      href=href), className="alert-item alert-bad"))
    body = html.Ul(items, className="alert-list") if items else html.Div("—", className="chart-empty")
    return html.Div([html.H2(t("warnings.heading", lang), className="card-title-text"), body],
                    className="card chart-card", id="early-warnings")
