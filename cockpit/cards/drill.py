"""The drill-down cards of a working page and the wall screen: a KPI across the sub-units (map
and ranking, both clickable) and the KPI's trend with its comparison and the unit's target."""
from __future__ import annotations

import pandas as pd

from cockpit import figures, kpis, runtime
from cockpit.cards import ACROSS, KPI_PARAMS, Card, partial_notes, register
from cockpit.i18n import t
from cockpit.views import drill, operations, services

def kpi_of(view, kpi_ids: list[str] | None, default: str) -> kpis.Kpi:
    """The KPI the page shows: the URL's when the page offers it, else the page's default."""
    wanted = view.state.kpi
    offered = kpi_ids is None or wanted in kpi_ids
    return kpis.by_id(wanted if wanted and offered else default)


def outlines() -> bool:
    """The maps have district outlines: the demo city's (imported data brings none)."""
    return not runtime.settings().imported


def value_text(kpi: kpis.Kpi, value, lang: str) -> str:
    return kpi.show(value, lang)


def _children(view, kpi) -> pd.DataFrame | None:
    """The KPI of every sub-unit, with map points below the city (the city map shades the
    districts' own outlines). The map and the ranking show the same rows: made once, kept in
    this process."""
    return view.run.memo("children", {"query": view.state.query(), "kpi": kpi.id}, lambda: _children_of(view, kpi),
                         local=True)


def _children_of(view, kpi) -> pd.DataFrame | None:
    frame = drill.children_values(view.run, view.state, kpi)
    if frame.empty:
        return None
    frame = frame[["unit_code", "unit_name", "value", "numerator", "denominator", "previous", "change", "judgement"]]
    if not outlines():  # a city's imported data has no areas: its units are drawn as points
        points = drill.child_points(view.run, view.state)[["unit_code", "lon", "lat"]]
        frame = frame.merge(points, on="unit_code", how="left")
    return frame


def _map_figure(rows: pd.DataFrame, view, kpi) -> dict:
    values = dict(zip(rows.unit_code, rows.value))
    texts = {c: value_text(kpi, v, view.lang) for c, v in values.items()}
    points = rows if "lon" in rows else None
    shapes = drill.map_shapes(view.run, view.state, outlines())
    return figures.area_map(shapes, points, values, dict(zip(rows.unit_code, rows.unit_name)), texts,
                            kpi.unit(view.lang), t("chart.map_approximate", view.lang) if shapes["approximate"] else None)


def _ranking_figure(rows: pd.DataFrame, view, kpi) -> dict:
    return figures.ranking(rows, kpi.name(view.lang), [value_text(kpi, v, view.lang) for v in rows.value])


def _trend(view, kpi) -> pd.DataFrame:
    """The KPI per period with its comparison, and the target of this unit (a district's own
    target on its pages, the city's elsewhere) as a column, so the chart draws what the row says."""
    frame = drill.kpi_trend(view.run, view.state, kpi)
    return frame.assign(target=kpi.target_for(view.state.unit))


def _trend_figure(rows: pd.DataFrame, view, kpi) -> dict:
    lang = view.lang
    target = rows.target.dropna()
    compare = f"{t('chart.compare', lang)} ({t('cmp.' + view.state.cmp, lang)})"
    notes = partial_notes(rows, lang, per_day=kpi.kind == "count")
    return figures.trend(rows, t("chart.current", lang), compare, float(target.iloc[0]) if len(target) else None,
                         t("chart.target", lang), [notes.get(d) for d in figures.dates(rows.period_start)])


def drill_cards(page: str, kpi_ids: list[str] | None, default: str, with_ranking: bool = True) -> list[Card]:
    """Map, ranking and trend of the page's KPI (`kpi_ids` None: any catalogue KPI)."""
    kpi = lambda view: kpi_of(view, kpi_ids, default)  # noqa: E731
    common = dict(source=lambda v: kpi(v).source, unit_label=lambda v: kpi(v).unit(v.lang),
                  kpi=lambda v: kpi(v).id)
    cards = [Card(page, "map", lambda v: t("chart.map", v.lang, kpi=kpi(v).name(v.lang)),
                  lambda v: _children(v, kpi(v)), lambda rows, v: _map_figure(rows, v, kpi(v)),
                  params=ACROSS, drills=True, **common)]
    if with_ranking:
        cards.append(Card(page, "ranking", lambda v: t("chart.ranking", v.lang, kpi=kpi(v).name(v.lang)),
                          lambda v: _children(v, kpi(v)), lambda rows, v: _ranking_figure(rows, v, kpi(v)),
                          params=ACROSS, drills=True, **common))
    cards.append(Card(page, "trend", lambda v: t("chart.trend", v.lang, kpi=kpi(v).name(v.lang),
                                                 grain=t(f"grain.{v.state.grain}", v.lang)),
                      lambda v: _trend(v, kpi(v)), lambda rows, v: _trend_figure(rows, v, kpi(v)), width=12,
                      params=KPI_PARAMS, **common))
    return cards


register(*drill_cards("services", services.TILE_KPIS, "online_rate"),
         *drill_cards("operations", operations.TILE_KPIS, "events"),
         *drill_cards("screen", None, "events", with_ranking=False))
