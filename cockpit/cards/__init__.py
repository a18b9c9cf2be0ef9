"""The card registry: every chart card of the cockpit as data at a stable URL.

A card is an id on a page, a data function (view → rows) and a figure function (rows, view →
figure). The pages, the wall screen, the briefing exporter and the JSON/CSV API
(`/api/<page>/<card>.json|csv`) all go through `rows()` and `figure()` here, so a chart, its CSV
download, its API answer and its briefing slide cannot differ: the figure is drawn from the
rows and nothing else (a figure function reads the view's state, language and theme, never the
marts).

A data function returns None when the card has nothing to show for the view (a map of the
sub-units of a grid, attribution by a dimension the KPI does not have); the page leaves such a
card out and the API answers with no rows.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from cockpit.figures import present
from cockpit.i18n import label, t
from cockpit.state import query_params
from cockpit.views.verify import for_source

PARAMS = ("unit", "start", "end", "grain", "cmp", "lang")  # the URL parameters a card honours unless it names others
KPI_PARAMS = (*PARAMS, "kpi")  # a card of the KPI the URL picks
ACROSS = tuple(p for p in KPI_PARAMS if p != "grain")  # that KPI over the period's totals
OF_A_PERIOD = ("unit", "start", "end", "lang")  # a card of one period's totals: no grain, no comparison
Text = Callable[["View"], str]  # noqa: F821 - runtime.View; a card's text depends on the view


@dataclass(frozen=True)
class Card:
    page: str  # the page id: its path without the slash ("services" for /services)
    id: str
    title: Text
    data: Callable  # (view) -> DataFrame | None
    figure: Callable  # (rows DataFrame, view) -> plotly figure dict
    source: Text
    unit_label: Text = lambda view: ""  # noqa: E731
    kpi: Callable = lambda view: None  # (view) -> the KPI id the card shows, for 核验 and 下达指令
    width: int = 6  # of 12 columns on a large screen
    params: tuple = PARAMS  # the URL parameters its rows and figure depend on (and are cached by)
    extra: Callable | None = None  # (view) -> components shown under the chart (facts, not plotted)
    narrative: Callable | None = None  # (view) -> the briefing's sentence, where its KPI's would say another thing
    drills: bool = False  # a click on it opens the unit clicked (said on the page, not on the wall or in print)

    @property
    def path(self) -> str:
        return "/" + self.page

    def url(self, fmt: str = "json") -> str:
        return f"/api/{self.page}/{self.id}.{fmt}"


_REGISTRY: dict[tuple[str, str], Card] = {}


def register(*cards: Card) -> None:
    for card in cards:
        if (card.page, card.id) in _REGISTRY:
            raise ValueError(f"card {card.page}/{card.id} is registered twice")
        _REGISTRY[(card.page, card.id)] = card


def get(page: str, card_id: str) -> Card | None:
    return _REGISTRY.get((page, card_id))


def of_page(page: str) -> list[Card]:
    return [c for (p, _), c in _REGISTRY.items() if p == page]


def every() -> list[Card]:
    return list(_REGISTRY.values())


def page_of(path: str) -> str:
    return str(path).strip("/")


# -- the pipeline every consumer goes through

def _plain(value):
    """A cell as JSON has it: ISO dates, None for missing, Python numbers."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (np.integer, bool, np.bool_)):
        return value.item() if isinstance(value, np.generic) else value
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    return value


def records(frame: pd.DataFrame | None) -> dict:
    """A card's rows as plain values: {"columns": [...], "rows": [{...}, ...]}."""
    if frame is None:
        return {"columns": [], "rows": []}
    columns = [str(c) for c in frame.columns]
    values = [_column(frame.iloc[:, i]) for i in range(frame.shape[1])]
    return {"columns": columns, "rows": [dict(zip(columns, row)) for row in zip(*values)]}


def _column(col: pd.Series) -> list:
    """A column's cells as `_plain` makes them, a whole column at a time where its type allows:
    one date format per column (times where any cell has one)."""
    if pd.api.types.is_datetime64_any_dtype(col):
        times = col.dt.tz_localize(None) if col.dt.tz is not None else col
        stamps = times.to_numpy()
        present = ~np.isnat(stamps)
        days = (stamps[present] == stamps[present].astype("datetime64[D]")).all()
        text = np.datetime_as_string(stamps.astype("datetime64[m]"), unit="D" if days else "m")
        return [t.replace("T", " ") if ok else None for t, ok in zip(text.tolist(), present.tolist())]
    kind = col.dtype.kind if isinstance(col.dtype, np.dtype) else None
    if kind in ("i", "u", "b"):
        return col.tolist()
    if kind == "f":
        return [None if math.isnan(v) else v for v in col.tolist()]
    return [_plain(v) for v in col.tolist()]


def frame_of(data: dict) -> pd.DataFrame:
    """The rows back as the frame a figure function is given (the same from the API's JSON):
    a column of numbers and missing values is numeric again, missing as NaN."""
    frame = pd.DataFrame.from_records(data["rows"], columns=data["columns"])
    for name in frame.columns[frame.dtypes == object]:
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in frame[name].dropna()):
            frame[name] = pd.to_numeric(frame[name])
    return frame


def rows(card: Card, view) -> dict:
    """The card's rows for the view ({"shown": False, ...} when it has nothing to show), cached
    per marts version, scope and the URL parameters the card names, like the queries under them."""
    return view.run.memo("card", _key(card, view), lambda: _rows(card, view), keep=lambda data: data["pending"] is None)


def _key(card: Card, view) -> dict:
    """The card and the URL parameters it depends on: a card of a period's totals is one card
    whatever the grain (a test checks the others change nothing)."""
    state = query_params(view.state.query())
    return {"card": f"{card.page}/{card.id}", "params": {k: state.get(k) for k in card.params}}


def _rows(card: Card, view) -> dict:
    """`pending`: seconds the card's model has been waited for (cockpit.background), else None."""
    frame = card.data(view)
    pending = None if frame is None else frame.attrs.get("pending")
    return {"shown": frame is not None, "pending": pending, **records(frame)}


def partial_notes(rows: pd.DataFrame, lang: str, per_day: bool = False) -> dict[str, str]:
    """The note of each partial period of a series (rows with period_start, days and
    period_days), by its start as an ISO date: "截至11-18，18/30天" for one cut at its end (the
    running period), "自03-10起，6/7天" for one cut at its start (by the filter or the data);
    `per_day` (a count's single series): with its `value` per day, comparable with whole periods."""
    notes, last = {}, str(rows.period_start.max())[:10]
    for row in rows[rows.days < rows.period_days].drop_duplicates("period_start").itertuples(index=False):
        start, days, whole = pd.Timestamp(row.period_start), int(row.days), int(row.period_days)
        cut_end = str(start.date()) == last
        day = start + pd.Timedelta(days=days - 1 if cut_end else whole - days)
        note = t("chart.partial_to" if cut_end else "chart.partial_from", lang,
                 day=day.strftime("%m-%d"), days=days, whole=whole)
        if per_day and days and row.value == row.value:
            note += t("chart.per_day", lang, value=f"{row.value / days:,.1f}")
        notes[str(start.date())] = note
    return notes


def figure(card: Card, view, data: dict) -> dict:
    return present(card.figure(frame_of(data), view), view.lang, view.theme)


def for_people(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A card's rows as a file a person opens: headers in the language (cockpit.i18n col.*),
    numbers to two decimals (the JSON API keeps the field names and every digit)."""
    return frame.round(2).rename(columns=lambda c: label("col", c, lang))


def csv_bytes(data: dict, lang: str) -> bytes:
    """The CSV of a card's rows for people, UTF-8 with BOM so Excel reads Chinese: the download
    button and the API serve these bytes."""
    return for_people(frame_of(data), lang).to_csv(index=False).encode("utf-8-sig")


@dataclass(frozen=True)
class Shown:
    """One card as a consumer gets it: its texts for the view, rows and figure."""
    card: Card
    title: str
    source: str
    unit_label: str
    kpi: str | None
    data: dict = field(repr=False)
    figure: dict = field(repr=False)

    @property
    def shown(self) -> bool:
        return self.data["shown"]


def show(card: Card, view, draw: bool = True) -> Shown:
    """The card for the view; `draw` False leaves the figure out (the API serves rows only)."""
    data, source = rows(card, view), card.source(view)
    # The KPI behind the card (核验, 下达指令, the briefing's sentence): the card's own, else the
    # view's, else the headline KPI of the card's source.
    kpi = card.kpi(view) or view.state.kpi or getattr(for_source(source), "id", None)
    drawn = {}
    if data["pending"] is not None:
        view.waiting.append(card.id)  # the page holding it is not kept either
    if draw and data["shown"]:  # cached like the rows: a warm view draws nothing again
        drawn = view.run.memo("figure", {**_key(card, view), "theme": view.theme}, lambda: figure(card, view, data),
                              keep=lambda _: data["pending"] is None)
    return Shown(card, card.title(view), source, card.unit_label(view), kpi, data, drawn)


# The cards register themselves on import.
from cockpit.cards import drill, kpis, operations, quality, services, trends, vitals  # noqa: E402, F401
