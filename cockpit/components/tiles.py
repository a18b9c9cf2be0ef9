"""KPI tile: value with unit and period, comparison, target, 12-month sparkline, source."""
from __future__ import annotations

from dash import dcc, html

from cockpit import kpis
from cockpit.figures import sparkline
from cockpit.i18n import fmt_change, fmt_value, source_name, t

ARROWS = {"good": "▲", "bad": "▼", "flat": "■"}


def kpi_tile(tile: dict, lang: str, period_text: str, compare: dict, action=None, verify=None) -> html.Div:
    """`compare`: the comparison's label, period and (maturing KPIs) the cutoff of its outcomes."""
    kpi = kpis.by_id(tile["kpi_id"])
    arrow_dir = "▲" if (tile["change"] or 0) > 0 else ("▼" if (tile["change"] or 0) < 0 else "■")
    change_text = t("tile.vs", lang, cmp=compare["label"], change=fmt_change(tile["change"], kpi.kind, lang))
    matured = None
    if kpi.matures:  # compared like for like; the comparison period as it stands now on hover
        matured = t("tile.like_for_like", lang, cutoff=compare["cutoff"],
                    value=kpi.show(tile["previous_matured"], lang),
                    change=fmt_change(tile["change_matured"], kpi.kind, lang))
    target = None
    if tile["target"] is not None:
        target = html.Span(
            t("tile.target", lang, target=f"{fmt_value(tile['target'], kpi.kind, lang)}{kpi.unit(lang) if kpi.kind == 'percent' else ''}"),
            className=f"kpi-target kpi-target-{tile['target_status'] or 'none'}")
    source = source_name(kpi.source, lang)
    return html.Div(html.Div([
        html.Div([html.Div(kpi.name(lang), className="kpi-name"),
                  html.Div(action, className="kpi-action") if action else None], className="kpi-head"),
        html.Div([
            html.Span(fmt_value(tile["value"], kpi.kind, lang) if tile["value"] is not None else t("tile.no_data", lang),
                      className="kpi-value"),
            html.Span(kpi.unit(lang) if tile["value"] is not None else "", className="kpi-unit"),
        ], className="kpi-value-row"),
        html.Div([
            html.Span(f"{arrow_dir} {change_text}", className=f"kpi-change kpi-{tile['judgement']}", title=matured),
            target,
        ], className="kpi-compare"),
        html.Div([t("tile.against", lang, period=compare["period"]),
                  html.Span(t("tile.same_age", lang), title=matured, className="kpi-same-age") if matured else None,
                  html.Span(t(f"tile.open.{kpi.domain}", lang, n=f"{tile['open']:,}"), className="kpi-open")
                  if tile.get("open") else None], className="kpi-cmp-period"),
        dcc.Graph(figure=sparkline(tile["series"], tile.get("series_partial")), config={"displayModeBar": False},
                  className="kpi-spark", style={"height": "46px"}),
        html.Div(t("tile.sparkline", lang), className="kpi-spark-label"),
        html.Div([html.Span(period_text), html.Span(" · "), html.Span(t("source.label", lang, source=source))],
                 className="kpi-foot"),
        html.Div(verify, className="kpi-verify") if verify else None,
    ], className="card-body"), className="card kpi-tile h-100", id=f"tile-{kpi.id}",
        title=kpi.definition_en if lang == "en" else kpi.definition_zh)
