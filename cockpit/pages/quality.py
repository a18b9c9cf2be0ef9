"""Data quality (/quality): freshness per source, the import log (for the CDO), the build's
quality checks per source for the unit and period, their monthly trend, and failing records per
district (click to drill)."""
from __future__ import annotations

from pathlib import Path

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from cockpit import cards, runtime
from cockpit.components.cards import card_grid
from cockpit.components.page import from_marts, page_frame
from cockpit.config import city_now
from cockpit.i18n import t
from cockpit.imports import LOG_ROLES, log_entries
from cockpit.views import quality

dash.register_page(__name__, path="/quality", name="quality", title="数据质量 · 城市数据驾驶舱")


def layout(**params):
    view = runtime.resolve(params)
    state, lang = view.state, view.lang
    fresh = quality.freshness(view.run, city_now())
    fresh_rows = [html.Tr([html.Td(t(f"records.{r.source}", lang)),
                           html.Td(_time(r.latest_record)), html.Td(_time(r.latest_ingest)),
                           html.Td(f"{r.rows:,}"),
                           html.Td(t("verify.no_records" if not r.rows else "verify.fresh" if r.fresh else "verify.stale",
                                     lang), className="text-success" if r.fresh else "text-warning")],
                          id=f"fresh-{r.source}") for r in fresh.itertuples()]
    cols = ("source", "latest_record", "latest_ingest", "rows", "state")
    content = [html.Div([
        html.H2(t("quality.freshness", lang), className="card-title-text"),
        dbc.Table([html.Thead(html.Tr([html.Th(t(f"quality.col.{c}", lang)) for c in cols])), html.Tbody(fresh_rows)],
                  size="sm", className="mb-0"),
    ], className="card chart-card", id="quality-freshness")]

    actor = runtime.current_actor()  # (None outside a request: a benchmark, a test of the layout)
    if actor is not None and actor.role in LOG_ROLES and (entries := log_entries(runtime.settings().data_dir)):
        content.append(import_log(entries, lang))
    content.extend(from_marts(view, "quality", lambda: [
        dbc.Alert(t("quality.no_mart", lang), color="warning") if quality.checks(view.run, state) is None
        else card_grid(view, "quality", [c.id for c in cards.of_page("quality")])]))
    return page_frame("/quality", view, t("quality.heading", lang, unit=view.unit_name), content)


def _time(value) -> str:
    return "—" if pd.isna(value) else f"{value:%Y-%m-%d %H:%M}"


def import_log(entries: list[dict], lang: str) -> html.Div:
    """Every import batch (newest first): file, rows read = loaded + quarantined by reason, who
    and when; the quarantined rows as CSV."""
    cols = ("time", "file", "source", "read", "loaded", "quarantined", "user")
    rows = []
    for e in entries:
        refused = sum(e["quarantined"].values())
        reasons = "; ".join(f"{t(f'import.reason.{r}', lang)} {n:,}" for r, n in e["quarantined"].items() if n)
        rows.append(html.Tr([
            html.Td(e["time"].replace("T", " ") + " UTC"), html.Td(Path(e["file"]).name, title=e["hash"]),
            html.Td(t(f"records.{e['source']}", lang)), html.Td(f"{e['read']:,}"), html.Td(f"{e['loaded']:,}"),
            html.Td([f"{refused:,}", html.Span(f" ({reasons}) ", className="small text-muted") if reasons else None,
                     html.A(t("import.download", lang), href=f"/imports/quarantine/{e['batch']}.csv",
                            className="small") if refused else None]),
            html.Td(e["user"])], id=f"import-{e['batch']}"))
    return html.Div([
        html.H2(t("import.log", lang), className="card-title-text"),
        dbc.Table([html.Thead(html.Tr([html.Th(t(f"import.col.{c}", lang)) for c in cols])), html.Tbody(rows)],
                  size="sm", className="mb-0"),
    ], className="card chart-card", id="import-log")
