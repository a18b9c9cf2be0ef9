"""核验 in a real Chromium: from a KPI tile to the definition, the freshness and a masked sample
of the records behind the number."""
from __future__ import annotations

import re

from cockpit import kpis


def test_verify_from_a_tile_shows_definition_freshness_and_records(page, server):
    page.goto(server + "/")
    page.wait_for_selector("#tile-online_rate .confidence")
    assert page.inner_text("#tile-online_rate .confidence").startswith("●")
    page.click("#tile-online_rate .verify-open")
    page.wait_for_selector("#verify-definition")
    kpi = kpis.by_id("online_rate")
    assert page.inner_text("#verify-definition") == kpi.definition_zh
    assert page.inner_text("#verify-formula") == "Σ apps_online ÷ Σ apps × 100"
    freshness = page.inner_text("#verify-freshness")
    api = page.request.get(server + "/api/overview").json()
    tile = next(t for t in api["tiles"] if t["kpi_id"] == "online_rate")
    assert f"{tile['denominator']:,} 条" in page.inner_text("#verify-body")  # records behind the rate
    assert re.search(r"最新记录 \d{4}-\d{2}-\d{2} \d{2}:\d{2}", freshness)
    rows = page.locator("#verify-sample tbody tr")
    assert rows.count() >= 2  # header row plus at least one record
    phones = page.locator("#verify-sample td[data-dash-column='applicant_phone']").all_inner_texts()
    assert phones and all(re.fullmatch(r"\d{3}\*{4}\d{4}", p) for p in phones)
