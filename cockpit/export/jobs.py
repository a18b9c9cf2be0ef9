"""Export jobs: the basket rendered again as the user who asked (their scope, the charts' saved
filters), each chart's narrative computed from the marts, the file written beside the others
and only then made visible. One worker thread per process runs them in order, so the page that
asked never waits; progress and the outcome go to the export log."""
from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from cockpit import kpis, runtime
from cockpit.config import city_now
from cockpit.export import charts, images, pack
from cockpit.export.narrative import facts, sentence
from cockpit.i18n import t
from cockpit.ops import briefing
from cockpit.ops.loop import Actor

log = logging.getLogger("cockpit.export")
_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cockpit-export")
_app = None  # the Flask app whose context the worker runs in (set by install)


def install(flask_app) -> None:
    global _app
    _app = flask_app


def export_dir(data_dir: Path, export_id: int) -> Path:
    return data_dir / "exports" / str(export_id)


def request(actor: Actor, fmt: str, title: str, lang: str) -> int:
    """Log an export of the user's basket and queue it; returns its id at once."""
    store = runtime.store()
    basket = briefing.items(store, actor.username)
    export_id = briefing.start_export(store, actor.username, fmt, title, basket, len(basket) + 1)
    submit(export_id, actor, lang)
    return export_id


def submit(export_id: int, actor: Actor, lang: str) -> Future:
    return _pool.submit(_guarded, export_id, actor, lang)


def _guarded(export_id: int, actor: Actor, lang: str) -> None:
    try:
        if _app is not None:
            with _app.app_context():
                run(export_id, actor, lang)
        else:
            run(export_id, actor, lang)
    except Exception as exc:  # the job's failure belongs in its log row, not in a dead thread
        log.exception("export %s failed", export_id)
        briefing.finish(runtime.store(), export_id, error=f"{type(exc).__name__}: {exc}"[:500])


def run(export_id: int, actor: Actor, lang: str) -> Path:
    """Build one logged export now (the worker's body; tests and the benchmark call it too)."""
    store = runtime.store()
    job = briefing.get_export(store, export_id)
    with runtime.acting_as(actor):
        slides, charts_made = [], []
        for step, item in enumerate(job["items"], start=1):
            slide, chart = _slide(item, job["format"], lang)
            slides.append(slide)
            charts_made.append(chart)
            briefing.progress(store, export_id, step)
        cover = _cover(job["title"], [c for c in charts_made if c is not None], lang)
    folder = export_dir(runtime.settings().data_dir, export_id)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{pack.safe_name(cover.title)}.{job['format']}"
    partial = folder / (name + ".partial")
    {"pptx": pack.pptx, "pdf": pack.pdf, "zip": pack.zip_pack}[job["format"]](cover, slides, partial)
    partial.replace(folder / name)
    briefing.finish(store, export_id, file_name=name)
    return folder / name


def _slide(item: dict, fmt: str, lang: str) -> tuple[pack.Slide, charts.Chart | None]:
    title = item["title"] or item["card_title"]
    try:
        chart = charts.render(item["path"], item["query"], item["card_id"])
    except charts.ChartError as exc:
        return pack.Slide(title, "", t("briefing.missing", lang, reason=str(exc)), item["note"], None), None
    meta = t("briefing.slide.meta", lang, unit=chart.unit_name, period=chart.period,
             uom=chart.unit_label or "—", source=chart.source)
    kpi = kpis.by_id(chart.kpi_id) if chart.kpi_id in {k.id for k in kpis.catalogue()} else None
    narrative = chart.narrative if chart.narrative is not None else "" if kpi is None else sentence(
        facts(runtime.scoped(), chart.state, kpi), kpi, chart.unit_name, lang)
    png = images.render(chart.figure, "png", lang)
    svg = images.render(chart.figure, "svg", lang) if fmt == "zip" else None
    return pack.Slide(title, meta, narrative, item["note"], png, svg, tuple(chart.rows)), chart


def _cover(title: str, made: list[charts.Chart], lang: str) -> pack.Cover:
    units = list(dict.fromkeys(c.unit_name for c in made))
    periods = list(dict.fromkeys(c.period for c in made))
    today = city_now().date().isoformat()
    sep = "、" if lang == "zh" else ", "
    title = title or t("briefing.title_default", lang, unit=units[0] if units else "")
    return pack.Cover(title, (t("briefing.slide.unit", lang, unit=sep.join(units) or "—"),
                              t("briefing.slide.period", lang, period=sep.join(periods) or "—"),
                              t("briefing.slide.date", lang, date=today)), lang)
