"""One language at a time: every page, drawn in Chromium in Chinese and in English, shows no
text of the other language in its visible labels, its charts' axis ticks and names, hover
templates and hover texts, nor in the headers of the CSV files its cards download. Proper names are allowed: units, people, organisations, source
systems and service items (the city names them in Chinese only), the brand, the language
switch, file formats and measurement units; so are people's own words (applicants' names, what
users wrote: instructions, notes, titles of files) and hashes."""
from __future__ import annotations

import re

import duckdb
import pytest

from cockpit import cards, kpis
from cockpit.config import load_settings
from cockpit.i18n import SOURCE_NAMES_EN
from cockpit.marts.build import current_version, mart_path
from cockpit.ops.store import Store
from cockpit.ops.users import list_users
from cockpit.queries import QueryRunner

PAGES = ["/", "/services", "/operations", "/vitals", "/trends", "/kpis", "/quality", "/instructions", "/briefing",
         "/audit", "/screen", "/operations?unit=310115&records=events", "/services?unit=310115&records=applications"]
# Latin words a Chinese page may show: file formats, the brand's subtitle, the switch to English,
# measurement units and names of methods or pollutants.
LATIN_ALLOWED = {"PNG", "SVG", "CSV", "PDF", "PPTX", "ZIP", "City", "Data", "Cockpit", "English", "STL", "PM", "kPa",
                 "MW"}
# Every text node shown, and what each chart draws or shows on hover.
SHOWN = """() => {
  const out = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || !node.textContent.trim() || el.closest('script, style, [hidden]')) continue;
    // people's own words: applicants' names, what users wrote (instructions, notes, file names), hashes
    if (el.closest('td[data-dash-column=applicant_name], .as-written, code')) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    if (!el.getClientRects().length && !el.closest('svg')) continue;
    out.push(node.textContent.trim());
  }
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    for (const trace of gd.data || []) {
      for (const v of [trace.name, trace.hovertemplate].concat(trace.text || [], trace.hovertext || [])) {
        if (typeof v === 'string') out.push(v.replace(/%\\{[^}]*\\}|<[^>]+>/g, ' '));
      }
    }
  }
  return out;
}"""
CJK = re.compile(r"[\u3400-\u9fff]+")
LATIN = re.compile(r"[A-Za-z]{2,}")


def _names(browser_data_dir) -> list[str]:
    settings = load_settings({"COCKPIT_DATA_DIR": str(browser_data_dir)})
    runner = QueryRunner(settings.marts_dir)
    reference = runner.run("reference")
    with duckdb.connect(str(mart_path(settings.marts_dir, current_version(settings.marts_dir))), read_only=True) as con:
        names = {row[0] for row in con.execute("SELECT unit_name FROM units").fetchall()}
    names |= {"数据驾驶舱", "中文", *SOURCE_NAMES_EN, *(k.owner for k in kpis.catalogue())}
    names |= set(reference[reference.kind == "item_id"].name_zh)
    names |= {u["display_name"] for u in list_users(Store(settings.ops_url))}
    return sorted(names, key=len, reverse=True)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_speaks_one_language(page, server, browser_data_dir, lang):
    allowed = _names(browser_data_dir)
    found = {}
    for path in PAGES:
        page.goto(server + path + ("&" if "?" in path else "?") + f"lang={lang}")
        page.wait_for_selector(".page-heading", timeout=30_000)
        page.wait_for_load_state("networkidle")
        for text in page.evaluate(SHOWN):
            if lang == "en":
                for name in allowed:
                    text = text.replace(name, " ")
                stray = CJK.findall(text)
            else:
                stray = [w for w in LATIN.findall(text) if w not in LATIN_ALLOWED]
            if stray:
                found.setdefault(path, set()).update(stray)
    for card in cards.every():  # the files people download: every card's CSV headers
        body = page.request.get(f"{server}{card.url('csv')}?lang={lang}&start=2026-01-01&end=2026-10-31").body()
        headers = body.decode("utf-8-sig").splitlines()[0] if body.strip() else ""
        stray = CJK.findall(headers) if lang == "en" else [w for w in LATIN.findall(headers) if w not in LATIN_ALLOWED]
        if stray:
            found.setdefault(card.url("csv"), set()).update(stray)
    assert not found, found
