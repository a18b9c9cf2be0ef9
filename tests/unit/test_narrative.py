"""The narrative sentence states the facts it is given, in Chinese and English, and leaves out
what is unknown."""
from __future__ import annotations

from cockpit import kpis
from cockpit.export.narrative import sentence

FACTS = {"kpi_id": "online_rate", "value": 76.04, "previous": 59.8, "change": 16.24, "target": 78.0,
         "status": "warn", "rank": 13, "peers": 16, "level": "district", "before": ("2025-10-01", "2025-10-31")}


def test_zh_sentence_states_value_change_rank_and_target():
    kpi = kpis.by_id("online_rate")
    assert sentence(FACTS, kpi, "浦东新区", "zh") == (
        f"浦东新区{kpi.name_zh}为76.0%，同比上升16.2 个百分点（对比2025-10-01至2025-10-31），在16个区中排第13，"
        "接近目标78.0%（预警）。")


def test_en_sentence_and_missing_parts():
    kpi = kpis.by_id("events")
    facts = {**FACTS, "kpi_id": "events", "value": 1234.0, "change": -5.0, "rank": None, "status": None}
    text = sentence(facts, kpi, "Pudong", "en")
    assert text.startswith(f"Pudong {kpi.name_en} was 1,234 ") and "down 5.0% on the same dates last year (2025-10-01 to 2025-10-31)" in text
    assert "ranked" not in text and "target" not in text
    assert "无数据" in sentence({**FACTS, "value": None}, kpis.by_id("online_rate"), "浦东新区", "zh")
