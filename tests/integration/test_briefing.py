"""Briefing exports on real marts, a real store, kaleido in the system Chromium: the PPTX and PDF
hold a cover and one slide/page per chart with its title and a 3200×1800 image; the narrative's
numbers equal an independent pandas computation from the raw records; Chinese survives text
extraction from the PDF; the ZIP holds PNG, SVG and CSV per chart and one workbook; bad requests
are refused without writing anything; a chart that can no longer be made is said so."""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import zipfile

import pytest
from PIL import Image

from cockpit import kpis, runtime
from cockpit.export import charts, jobs
from cockpit.ops import access, briefing
from cockpit.ops.instructions import FormError
from cockpit.ops.loop import Actor
from cockpit.ops.users import DEMO_PASSWORD
from cockpit.state import ViewState
from tests.integration.test_overview_numbers import facts, values  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("need_chromium")

OCT = "start=2026-10-01&end=2026-10-31"
ITEMS = [  # page, filters, card; the KPI each narrates
    ("/services", f"?unit=310115&{OCT}&kpi=online_rate", "ranking", "online_rate"),
    ("/operations", f"?unit=310115&{OCT}&kpi=events", "trend", "events"),
    ("/services", f"?unit=310101&{OCT}&kpi=satisfaction_rate", "map", "satisfaction_rate"),
]
STAFF = Actor("staff", "staff", "310000")
PERIOD = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
LAST_YEAR = (dt.date(2025, 10, 1), dt.date(2025, 10, 31))


@pytest.fixture(scope="module")
def need_chromium():
    from cockpit.export.images import chromium

    if chromium() is None:
        pytest.skip("no Chromium at /usr/bin/chromium (apt-get install chromium)")


@pytest.fixture(scope="module")
def basket(app):
    """The staff user's basket: the three charts, the second retitled with a note, and one whose
    card has since gone from its page."""
    store = runtime.store()
    with runtime.acting_as(STAFF):
        for path, query, card, _ in ITEMS:
            chart = charts.render(path, query, card)
            briefing.add(store, "staff", path, chart.state, card, chart.title, chart.unit_name, chart.period)
    items = briefing.items(store, "staff")
    briefing.edit(store, "staff", items[1]["id"], "事件趋势（测试标题）", "请浦东新区关注十月事件量")
    briefing.add(store, "staff", "/services", ViewState("310115", *PERIOD, "month", "yoy", "zh"), "no-such-card",
                 "已删除的图表", "浦东新区", "x")
    return briefing.items(store, "staff")


def export(fmt: str, basket, title="十月运行简报") -> tuple[dict, bytes]:
    export_id = briefing.start_export(runtime.store(), "staff", fmt, title, basket, len(basket) + 1)
    path = jobs.run(export_id, STAFF, "zh")
    return briefing.get_export(runtime.store(), export_id), path.read_bytes()


def pdftotext(data: bytes) -> str:
    if shutil.which("pdftotext") is None:
        reason = "no pdftotext (apt-get install poppler-utils)"
        if os.environ.get("COCKPIT_REQUIRE_BROWSER") == "1":
            pytest.fail(reason + " and COCKPIT_REQUIRE_BROWSER=1")
        pytest.skip(reason)
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def expected_numbers(facts, kpi_id: str, unit: str, raw_units) -> dict:  # noqa: F811
    """Value, change on last October, and rank among the units of the same parent, from records."""
    kpi = kpis.by_id(kpi_id)
    now = values(facts, unit, *PERIOD)[kpi_id]
    before = values(facts, unit, *LAST_YEAR)[kpi_id]
    change = now - before if kpi.kind == "percent" else (now - before) / before * 100
    peers = raw_units[raw_units.unit_level == 2].unit_code
    ranked = sorted((v, c) for c in peers if (v := values(facts, c, *PERIOD)[kpi_id]) is not None)
    if kpi.direction == "higher":
        ranked = ranked[::-1]
    return {"value": now, "change": change, "rank": [c for _, c in ranked].index(unit) + 1, "peers": len(ranked)}


def narrated(text: str) -> dict:
    """The numbers of a zh narrative: 「…为76.0%，同比上升16.2 个百分点，在16个区中排第13，…」"""
    value = re.search(r"为([\d,]+(?:\.\d+)?)", text).group(1)
    change = re.search(r"同比(上升|下降)([\d.]+)", text)
    rank = re.search(r"在(\d+)个区中排第(\d+)", text)
    return {"value": float(value.replace(",", "")),
            "change": float(change.group(2)) * (1 if change.group(1) == "上升" else -1),
            "peers": int(rank.group(1)), "rank": int(rank.group(2))}


def test_pptx_has_a_cover_and_a_slide_per_chart_with_image_title_and_true_narrative(basket, facts, raw):  # noqa: F811
    from pptx import Presentation

    row, data = export("pptx", basket)
    assert row["status"] == "done" and row["done_steps"] == row["total_steps"] == len(basket) + 1
    deck = Presentation(io.BytesIO(data))
    slides = list(deck.slides)
    assert len(slides) == 1 + len(basket)
    cover = [s.text_frame.text for s in slides[0].shapes if s.has_text_frame]
    assert cover[0] == "十月运行简报" and "浦东新区" in cover[1] and "2026-10-01 ~ 2026-10-31" in cover[2]

    for slide, item in zip(slides[1:4], basket[:3]):
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        assert texts[0] == briefing.title_of(item)
        assert len(pictures) == 1 and Image.open(io.BytesIO(pictures[0].image.blob)).size == (3200, 1800)
    assert [s.text_frame.text for s in slides[2].shapes if s.has_text_frame][0] == "事件趋势（测试标题）"
    assert any(s.has_text_frame and s.text_frame.text == "请浦东新区关注十月事件量" for s in slides[2].shapes)

    for slide, (_, query, _, kpi_id) in zip(slides[1:4], ITEMS):
        unit = re.search(r"unit=(\d+)", query).group(1)
        narrative = [s.text_frame.text for s in slide.shapes if s.has_text_frame][2]
        shown, truth = narrated(narrative), expected_numbers(facts, kpi_id, unit, raw["units"])
        assert shown["value"] == pytest.approx(round(truth["value"], 1)), narrative
        assert shown["change"] == pytest.approx(round(truth["change"], 1)), narrative
        assert (shown["rank"], shown["peers"]) == (truth["rank"], truth["peers"]), narrative

    gone = [s.text_frame.text for s in slides[4].shapes if s.has_text_frame]
    assert gone[0] == "已删除的图表" and "无法生成" in " ".join(gone)
    assert not [s for s in slides[4].shapes if s.shape_type == 13]


def test_pdf_is_a4_with_a_page_per_chart_images_and_chinese_text(basket):
    from pypdf import PdfReader

    _, data = export("pdf", basket)
    pdf = PdfReader(io.BytesIO(data))
    assert len(pdf.pages) == 1 + len(basket)
    width, height = (float(x) for x in pdf.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, points
    text = pdftotext(data).split("\f")  # poppler, as people's tools extract it
    assert "十月运行简报" in text[0] and "制作日期" in text[0]
    for page, item in zip(text[1:], basket):
        assert briefing.title_of(item) in page
    assert "同比" in text[1] and "在16个区中排第" in text[1]
    for page in pdf.pages[1:4]:
        sizes = [(int(x["/Width"]), int(x["/Height"])) for x in
                 (o.get_object() for o in page["/Resources"]["/XObject"].values()) if x["/Subtype"] == "/Image"]
        assert (3200, 1800) in sizes
    fonts = [f.get_object() for p in pdf.pages for f in p["/Resources"]["/Font"].values()]
    assert fonts and all(embedded(f) for f in fonts)  # the PDF needs no font on the reader's machine


def embedded(font) -> bool:
    """Chromium embeds CFF-based CJK faces (Noto Sans CJK) as Type3 glyph procedures, TrueType
    faces as CID fonts with their font file."""
    if font["/Subtype"] == "/Type3":
        return len(font["/CharProcs"]) > 0
    descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
    descriptor = descendant["/FontDescriptor"].get_object()
    return any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_zip_holds_png_svg_csv_per_chart_and_one_workbook(basket):
    from openpyxl import load_workbook

    _, data = export("zip", basket)
    z = zipfile.ZipFile(io.BytesIO(data))
    names = z.namelist()
    for n in (1, 2, 3):
        png = next(x for x in names if x.startswith(f"{n:02d}_") and x.endswith(".png"))
        assert Image.open(io.BytesIO(z.read(png))).size == (3200, 1800)
        assert z.read(png.replace(".png", ".svg")).startswith(b"<svg")
    csvs = sorted(x for x in names if x.endswith(".csv"))
    assert len(csvs) == len(basket)
    with runtime.acting_as(STAFF):
        ranking = charts.render(*ITEMS[0][:3])
    rows = list(csv.DictReader(io.StringIO(z.read(csvs[0]).decode("utf-8-sig"))))
    assert [r["单位代码"] for r in rows] == [r["unit_code"] for r in ranking.rows]  # headers in the briefing's language
    book = load_workbook(io.BytesIO(z.read(next(x for x in names if x.endswith(".xlsx")))))
    assert book.sheetnames[0] == "目录" and len(book.sheetnames) == 1 + len(basket)
    assert [c.value for c in book["目录"][1]] == ["序号", "标题", "单位与期间", "说明", "备注"]
    assert book[book.sheetnames[1]].max_row == len(ranking.rows) + 1


def test_bad_requests_are_refused_and_write_nothing(basket):
    store = runtime.store()
    before = len(briefing.export_log(store, None, limit=1000))
    for fmt, items, title, key in [("docx", basket, "x", "briefing.error.format"),
                                   ("pptx", [], "x", "briefing.error.empty"),
                                   ("pptx", basket, "长" * 81, "briefing.error.title")]:
        with pytest.raises(FormError) as refused:
            briefing.start_export(store, "staff", fmt, title, items, 2)
        assert refused.value.key == key
    assert len(briefing.export_log(store, None, limit=1000)) == before
    path, _, card, _ = ITEMS[0]
    with runtime.acting_as(STAFF):  # the same view as the basket's first chart, its URL spelled otherwise
        again = charts.render(path, "?kpi=online_rate&grain=&end=2026-10-31&start=2026-10-01&unit=310115&page=2", card)
    with pytest.raises(FormError) as twice:
        briefing.add(store, "staff", path, again.state, card, "t", "u", "p")
    assert twice.value.key == "briefing.error.twice"
    with pytest.raises(charts.ChartError):
        charts.render("/nowhere", "", "ranking")
    with pytest.raises(charts.ChartError):
        charts.render("/services", f"?unit=310115&{OCT}", "no-such-card")


def test_an_export_is_downloaded_only_by_its_owner(app, basket):
    row, data = export("pptx", basket[:1])
    url = f"/briefing/download/{row['id']}"
    assert app.server.test_client().get(url).status_code == 401
    for user, status in (("staff", 200), ("cdo", 404)):
        client = app.server.test_client()
        assert client.post("/login", data={"username": user, "password": DEMO_PASSWORD, "next": "/"}).status_code == 302
        got = client.get(url)
        assert got.status_code == status
        if status == 200:
            assert got.data == data
            noted = access.recent(runtime.store(), 1)[0]
            assert (noted["username"], noted["action"], noted["what"]) == ("staff", "download", row["file_name"])


@pytest.mark.parametrize("stype", ["air_pm25", "water_level"])
def test_a_vital_sign_chart_narrates_its_own_sensors(app, raw, stype):
    """The sentence under a vital-sign chart in a briefing speaks of that sensor type (its
    breaches counted again from the raw readings), not of every sensor's breaches."""
    from cockpit.i18n import t

    readings = raw["readings"].merge(raw["sensors"], on="sensor_id")
    readings = readings[(readings.sensor_type == stype) & readings.value.between(readings.valid_min, readings.valid_max)
                        & readings.ts.dt.date.between(dt.date(2026, 1, 1), PERIOD[1])]
    breaches = int(((readings.value > readings.warn_high) | (readings.value < readings.warn_low)).sum())
    with runtime.acting_as(STAFF):
        chart = charts.render("/vitals", "?start=2026-01-01&end=2026-10-31", f"vital-{stype}")
    sensor = t(f"sensor.{stype}", "zh")
    assert breaches > 0 and chart.narrative.startswith(f"上海市{sensor}统计期越限 {breaches} 次"), chart.narrative
    assert "体征越限次数" not in chart.narrative
