"""The briefing files: PPTX (python-pptx), PDF (A4 landscape, printed by the system Chromium, so
its CJK fonts are embedded), and a ZIP of each chart's PNG, SVG and CSV with one XLSX workbook."""
from __future__ import annotations

import html
import io
import re
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cockpit.cards import for_people
from cockpit.export.images import chromium
from cockpit.i18n import t

SLIDE_W, SLIDE_H = 13.333, 7.5  # inches, 16:9
FONT = "Microsoft YaHei"  # PowerPoint's CJK face on Windows; LibreOffice substitutes Noto Sans CJK


@dataclass(frozen=True)
class Slide:
    title: str
    meta: str  # unit · period · unit of measure · source
    narrative: str
    note: str
    png: bytes | None  # None: the chart could not be made (then `narrative` says why)
    svg: bytes | None = None
    rows: tuple = ()


@dataclass(frozen=True)
class Cover:
    title: str
    lines: tuple[str, ...]  # unit, period, date
    lang: str = "zh"  # of the files' headers


def safe_name(text: str, limit: int = 60) -> str:
    return re.sub(r"[\\/:*?\"<>|\[\]\s]+", "_", text).strip("_")[:limit] or "chart"


# ---------------------------------------------------------------- PPTX

def pptx(cover: Cover, slides: list[Slide], out: Path) -> None:
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    blank = deck.slide_layouts[6]

    def text(slide, left, top, width, height, value, size, bold=False, color=(0x24, 0x29, 0x2F)):
        frame = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height)).text_frame
        frame.word_wrap = True
        run = frame.paragraphs[0].add_run()
        run.text = value
        run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
        run.font.color.rgb = RGBColor(*color)
        return frame

    first = deck.slides.add_slide(blank)
    text(first, 0.8, 2.3, SLIDE_W - 1.6, 1.2, cover.title, 40, bold=True)
    for i, line in enumerate(cover.lines):
        text(first, 0.8, 3.8 + i * 0.55, SLIDE_W - 1.6, 0.5, line, 20, color=(0x57, 0x60, 0x6A))

    for s in slides:
        slide = deck.slides.add_slide(blank)
        text(slide, 0.5, 0.3, SLIDE_W - 1.0, 0.6, s.title, 26, bold=True)
        text(slide, 0.5, 0.9, SLIDE_W - 1.0, 0.4, s.meta, 12, color=(0x57, 0x60, 0x6A))
        if s.png is not None:
            height = 4.9
            slide.shapes.add_picture(io.BytesIO(s.png), Inches((SLIDE_W - height * 16 / 9) / 2), Inches(1.35),
                                     height=Inches(height))
        text(slide, 0.5, 6.35, SLIDE_W - 1.0, 0.5, s.narrative, 15)
        if s.note:
            text(slide, 0.5, 6.85, SLIDE_W - 1.0, 0.4, s.note, 12, color=(0x57, 0x60, 0x6A))
    deck.save(str(out))


# ---------------------------------------------------------------- PDF

PDF_CSS = """
@page { size: A4 landscape; margin: 12mm 14mm; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", sans-serif; color: #24292f; margin: 0; }
section { page-break-after: always; }
section:last-child { page-break-after: auto; }
.cover h1 { font-size: 30pt; margin: 55mm 0 8mm; }
.cover p { font-size: 15pt; color: #57606a; margin: 2mm 0; }
h2 { font-size: 18pt; margin: 0 0 1mm; }
.meta, .note { font-size: 10pt; color: #57606a; margin: 0 0 2mm; }
img { display: block; height: 128mm; width: auto; margin: 0 auto; }
.narrative { font-size: 12pt; margin: 3mm 0 1mm; }
"""


def pdf(cover: Cover, slides: list[Slide], out: Path, timeout: int = 120) -> None:
    """Write an HTML document and let Chromium print it (fonts are subset and embedded)."""
    browser = chromium()
    if browser is None:
        raise RuntimeError("no Chromium to print the PDF with (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="cockpit-pdf-") as tmp:
        folder = Path(tmp)
        parts = ['<section class="cover"><h1>' + html.escape(cover.title) + "</h1>"
                 + "".join(f"<p>{html.escape(line)}</p>" for line in cover.lines) + "</section>"]
        for i, s in enumerate(slides):
            image = ""
            if s.png is not None:
                (folder / f"chart{i}.png").write_bytes(s.png)
                image = f'<img src="chart{i}.png" alt="{html.escape(s.title)}">'
            note = f'<p class="note">{html.escape(s.note)}</p>' if s.note else ""
            parts.append(f"<section><h2>{html.escape(s.title)}</h2><p class=\"meta\">{html.escape(s.meta)}</p>"
                         f"{image}<p class=\"narrative\">{html.escape(s.narrative)}</p>{note}</section>")
        page = folder / "briefing.html"
        page.write_text(f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>'
                        f'{html.escape(cover.title)}</title><style>{PDF_CSS}</style></head>'
                        f'<body>{"".join(parts)}</body></html>', "utf-8")
        target = folder / "briefing.pdf"
        done = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                               f"--user-data-dir={folder / 'profile'}", f"--print-to-pdf={target}",
                               page.as_uri()], capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0 or not target.exists():
            raise RuntimeError(f"Chromium could not print the PDF: {done.stderr.strip()[-300:]}")
        target.replace(out)


# ---------------------------------------------------------------- ZIP

def zip_pack(cover: Cover, slides: list[Slide], out: Path) -> None:
    """Per chart: PNG, SVG and CSV (UTF-8 with BOM, for Excel); one XLSX with a sheet per chart
    and an index sheet of titles, sources and narratives."""
    stems = [f"{i:02d}_{safe_name(s.title)}" for i, s in enumerate(slides, start=1)]
    frames = [for_people(pd.DataFrame(list(s.rows)), cover.lang) for s in slides]
    workbook = io.BytesIO()
    with pd.ExcelWriter(workbook, engine="openpyxl") as xl:
        index = pd.DataFrame([{"no": i, "title": s.title, "meta": s.meta, "narrative": s.narrative, "note": s.note}
                              for i, s in enumerate(slides, start=1)])
        for_people(index, cover.lang).to_excel(xl, sheet_name=t("col.index_sheet", cover.lang), index=False)
        for i, (s, frame) in enumerate(zip(slides, frames), start=1):
            frame.to_excel(xl, sheet_name=f"{i:02d} {safe_name(s.title, 27)}"[:31], index=False)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for stem, s, frame in zip(stems, slides, frames):
            if s.png is not None:
                z.writestr(f"{stem}.png", s.png)
            if s.svg is not None:
                z.writestr(f"{stem}.svg", s.svg)
            z.writestr(f"{stem}.csv", frame.to_csv(index=False).encode("utf-8-sig"))
        z.writestr(f"{safe_name(cover.title)}.xlsx", workbook.getvalue())
