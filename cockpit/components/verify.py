"""Confidence beside every number, and the 核验 panel behind it: a small marker (fresh or stale;
quality checks clean or not) and a button that opens definition, formula, sources, freshness,
checks, the record count and a masked sample of the records."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, dash_table, html, no_update

from cockpit import kpis, runtime, views
from cockpit.config import city_now
from cockpit.i18n import t
from cockpit.state import parse_state
from cockpit.views import verify
from cockpit.components.records import table
from cockpit.views.verify import check_name


def verify_controls(view, kpi_id: str | None) -> html.Span | None:
    """The confidence marker and the 核验 button for a KPI at the view's unit and period."""
    if not kpi_id:
        return None
    kpi, state, lang = kpis.by_id(kpi_id), view.state, view.lang
    unit = state.unit
    info = verify.confidence(view.run, kpi, unit, state.start, state.end, info=view.freshness)
    latest = info["latest_record"]  # None: no records from the KPI's source (e.g. none imported)
    fresh = t("verify.no_records" if latest is None else "verify.fresh" if info["fresh"] else "verify.stale", lang)
    checks = (t("verify.checks_none", lang) if not info["checks"] else
              t("verify.checks_clean", lang) if not info["checks_failed"] else
              t("verify.checks_found", lang, n=info["checks_failed"]))
    level = "ok" if info["fresh"] and not info["checks_failed"] else "warn"
    title = fresh if latest is None else t("verify.marker_title", lang, latest=latest.strftime("%Y-%m-%d %H:%M"))
    return html.Span([
        html.Span(f"● {fresh} · {checks}", className=f"confidence confidence-{level}", title=title),
        html.Button(t("verify.button", lang), className="btn btn-sm btn-link verify-open p-0 ms-1",
                    id={"type": "verify-open", "kpi": kpi.id, "unit": unit, "start": state.start.isoformat(),
                        "end": state.end.isoformat()}),
    ], className="verify-controls")


def verify_modal() -> dbc.Modal:
    return dbc.Modal([dbc.ModalHeader(dbc.ModalTitle(id="verify-title")), dbc.ModalBody(id="verify-body")],
                     id="verify-modal", is_open=False, size="xl", scrollable=True)


def _section(title: str, body) -> html.Div:
    return html.Div([html.H3(title, className="h6 mt-3 mb-1"), body])


def _counted(sample, kpi, lang: str):
    """What each record adds to the numerator, in the KPI's terms: in it or not (a rate), its
    hours (a duration)."""
    if "counted" not in sample.columns:
        return sample
    if kpi.kind == "duration":
        values = (sample.counted / 3600).round(1)
    else:
        values = sample.counted.map({1: t("verify.yes", lang), 0: t("verify.no", lang)})
    return sample.drop(columns="counted").assign(**{t(f"verify.counted.{kpi.kind}", lang): values})


def verify_panel(data: dict, lang: str) -> list:
    kpi, tile = data["kpi"], data["tile"]
    formula = (f"Σ {kpi.numerator} ÷ Σ {kpi.denominator}" + (" × 100" if kpi.kind == "percent" else " ÷ 3600")
               if kpi.is_rate else f"Σ {kpi.numerator}")
    value = kpi.show(tile["value"], lang)
    checks = data["quality"]
    check_rows = [html.Tr([html.Td(check_name(r.check_id, lang)),
                           html.Td(f"{int(r.failed):,}", className="text-danger" if r.failed else "text-success"),
                           html.Td(f"{int(r.checked):,}")]) for r in checks.itertuples()]
    sample = _counted(data["sample"], kpi, lang)
    columns, rows = table(sample, lang)
    return [
        html.Div([html.Span(value, className="verify-value", id="verify-value"),
                  html.Span(f"  {tile['numerator']:,} / {tile['denominator']:,}"
                            if kpi.is_rate and tile["numerator"] is not None else "",
                            className="text-muted")]),
        _section(t("verify.definition", lang), html.P(kpi.definition_en if lang == "en" else kpi.definition_zh,
                                                     id="verify-definition")),
        _section(t("verify.formula", lang), html.Code(formula, id="verify-formula")),
        _section(t("verify.sources", lang), html.Div([
            html.Div(t("verify.source_line", lang, source=kpi.source, owner=kpi.owner,
                       refresh=t(f"refresh.{kpi.refresh}", lang))),
            html.Div(" → ".join(kpi.source_tables), className="small text-muted")])),
        _section(t("verify.freshness", lang), html.Div(
            t("verify.no_records", lang) if data["latest_record"] is None else
            t("verify.freshness_line", lang, latest=data["latest_record"].strftime("%Y-%m-%d %H:%M"),
              built=data["built_at"].strftime("%Y-%m-%d %H:%M"),
              state=t("verify.fresh" if data["fresh"] else "verify.stale", lang)), id="verify-freshness")),
        _section(t("verify.checks_district", lang, district=data["checks_of"]) if data["checks_of"]
                 else t("verify.checks", lang), dbc.Table(
            [html.Thead(html.Tr([html.Th(t(f"verify.col.{c}", lang)) for c in ("check", "failed", "checked")])),
             html.Tbody(check_rows)], size="sm", id="verify-checks") if check_rows else html.Div(t("verify.checks_none", lang))),
        _section(t("verify.records", lang, n=f"{data['records']:,}"), dash_table.DataTable(
            id="verify-sample", data=rows, columns=columns, style_table={"overflowX": "auto"},
            style_cell={"fontFamily": "inherit", "fontSize": 12, "padding": "3px 6px"})
            if len(sample) else html.Div(t("verify.no_sample", lang), className="text-muted")),
    ]


@callback(
    Output("verify-modal", "is_open"),
    Output("verify-title", "children"),
    Output("verify-body", "children"),
    Input({"type": "verify-open", "kpi": ALL, "unit": ALL, "start": ALL, "end": ALL}, "n_clicks"),
    State("f-state", "data"),
    prevent_initial_call=True,
)
def _open(clicks, current):
    trigger = ctx.triggered_id
    if not trigger or not any(clicks or []):
        return no_update, no_update, no_update
    run = runtime.scoped()
    query = (current or {}).get("query", "") if isinstance(current, dict) else ""
    params = dict(p.split("=", 1) for p in str(query).lstrip("?").split("&") if "=" in p)
    first, last = views.data_range(run)
    try:  # the button's id comes from the browser: parse it like URL parameters
        state, problems = parse_state({**params, "unit": trigger["unit"], "start": trigger["start"],
                                       "end": trigger["end"], "kpi": trigger["kpi"]}, first, last)
        if problems or state.kpi is None:
            raise ValueError(problems)
        run.run("unit", unit=state.unit)  # ScopeError outside the caller's scope
        data = verify.behind(run, state, kpis.by_id(state.kpi), city_now(), runtime.current_actor())
    except (ValueError, KeyError, TypeError, runtime.ScopeError):
        return True, t("verify.title_error", "zh"), t("loop.not_found", "zh", id="—")
    runtime.note_access("verify", state.unit, state.kpi, len(data["sample"]))
    lang = state.lang
    unit_name = run.run("unit", unit=state.unit).unit_name.iloc[-1]
    title = t("verify.title", lang, kpi=data["kpi"].name(lang), unit=unit_name,
              period=f"{state.start:%Y-%m-%d} ~ {state.end:%Y-%m-%d}")
    return True, title, verify_panel(data, lang)
