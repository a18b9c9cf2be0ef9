"""Record tables and 核验 samples in the page's language: named columns, coded values by their
names, flags as yes or no, times to the minute; an imported city's own words as they are."""
from __future__ import annotations

import pandas as pd

from cockpit.components.records import table

EVENTS = pd.DataFrame({"event_id": ["E1", "E2"], "report_time": pd.to_datetime(["2026-11-01 08:30:05", None]),
                       "source": ["hotline", "Citizens Connect App"], "category": ["噪声扰民", "Pothole"],
                       "status": ["dispatched", "closed"], "is_repeat": pd.array([True, pd.NA], dtype="boolean"),
                       "rating": [4, None]})


def test_an_english_page_shows_no_field_names_or_codes():
    columns, rows = table(EVENTS, "en")
    assert [c["name"] for c in columns] == ["Event ID", "Reported", "Source", "Category", "Status", "Repeat", "Rating"]
    assert [c["id"] for c in columns] == list(EVENTS.columns)  # ids stay the fields' own
    assert rows[0] == {"event_id": "E1", "report_time": "2026-11-01 08:30", "source": "12345 hotline",
                       "category": "Noise", "status": "Dispatched", "is_repeat": "yes", "rating": 4}
    assert rows[1]["source"] == "Citizens Connect App" and rows[1]["category"] == "Pothole"  # a city's own words
    assert rows[1]["report_time"] == "" and rows[1]["is_repeat"] is None and rows[1]["rating"] is None


def test_a_chinese_page_shows_chinese_names():
    columns, rows = table(EVENTS, "zh")
    assert [c["name"] for c in columns] == ["事件编号", "上报时间", "来源", "类别", "状态", "重复诉求", "评价"]
    assert (rows[0]["source"], rows[0]["category"], rows[0]["status"], rows[0]["is_repeat"]) == \
        ("12345热线", "噪声扰民", "已派遣", "是")
