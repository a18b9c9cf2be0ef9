"""The catalogue drives the pages: a KPI added to the catalogue file appears on the KPI page and
the trend page with no code change; a bad entry stops the app at start with a message naming
the entry and the field; 核验 counts the records behind a number as the raw records do."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cockpit import kpis
from cockpit.state import ViewState
from cockpit.views import verify
from tests.integration.test_overview_numbers import facts, truth, units  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parents[2]
NEW_KPI = '''
[[kpi]]
id = "completion_share"
name_zh = "办结占比（测试新增）"
name_en = "Completed share (added in a test)"
definition_zh = "已办结办件占全部办件的比例。"
definition_en = "Share of applications completed."
numerator = "apps_completed"
denominator = "apps"
matures = true
kind = "percent"
direction = "higher"
target = 60.0
warning = 50.0
weight = 3.0
domain = "services"
source = "一网通办"
owner = "市政务服务办"
'''


def rendered(layout) -> str:
    """A page as the JSON Dash sends to the browser (pages answer with plain JSON already)."""
    return json.dumps(layout, ensure_ascii=False)


@pytest.fixture
def extended_catalogue(tmp_path, monkeypatch):
    path = tmp_path / "catalogue.toml"
    path.write_text(kpis.CATALOGUE.read_text("utf-8") + NEW_KPI, "utf-8")
    monkeypatch.setenv("COCKPIT_KPI_CATALOGUE", str(path))
    kpis.catalogue.cache_clear()
    yield path
    monkeypatch.delenv("COCKPIT_KPI_CATALOGUE")
    kpis.catalogue.cache_clear()


@pytest.fixture(scope="module")
def app(tiny, tmp_path_factory):
    from cockpit.config import load_settings
    from cockpit.web import create_app

    ops = tmp_path_factory.mktemp("ops-catalogue") / "ops.sqlite"
    return create_app(load_settings({"COCKPIT_DATA_DIR": str(tiny.settings.data_dir),
                                     "COCKPIT_OPS_URL": f"sqlite:///{ops}"}))


def test_a_kpi_added_to_the_catalogue_appears_on_the_kpi_and_trend_pages(app, tiny, extended_catalogue):
    from cockpit.pages import kpis as kpi_page
    from cockpit.pages import trends as trend_page

    page = rendered(kpi_page.layout())
    assert "kpi-row-completion_share" in page and "办结占比（测试新增）" in page
    trend = rendered(trend_page.layout(kpi="completion_share", grain="month"))
    assert "办结占比（测试新增）" in trend and "forecast-band" in trend


def test_a_bad_entry_stops_the_app_at_start_naming_entry_and_field(tiny, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text(kpis.CATALOGUE.read_text("utf-8") + NEW_KPI.replace('kind = "percent"', 'kind = "ratio"'), "utf-8")
    env = {**os.environ, "COCKPIT_DATA_DIR": str(tiny.settings.data_dir), "COCKPIT_KPI_CATALOGUE": str(broken),
           "COCKPIT_PORT": "1"}
    result = subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "completion_share" in result.stderr and "'kind'" in result.stderr
    unknown_measure = tmp_path / "measure.toml"
    unknown_measure.write_text(kpis.CATALOGUE.read_text("utf-8") + NEW_KPI.replace('"apps_completed"', '"apps_lost"'), "utf-8")
    result = subprocess.run([sys.executable, "app.py"], cwd=ROOT, env={**env, "COCKPIT_KPI_CATALOGUE": str(unknown_measure)},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "completion_share" in result.stderr and "'numerator'" in result.stderr


@pytest.mark.parametrize("kpi_id", ["applications", "online_rate", "avg_handling_hours", "events",
                                    "on_time_closure_rate", "hotline_satisfaction_rate"])
@pytest.mark.parametrize("unit_level", ["city", "district", "street", "community"])
def test_verify_counts_the_records_behind_the_number(runner, facts, units, kpi_id, unit_level):  # noqa: F811
    unit = units[unit_level]
    start, end = dt.date(2026, 10, 1), dt.date(2026, 10, 31)
    state = ViewState(unit=unit, start=start, end=end, grain="month", cmp="yoy", lang="zh", kpi=kpi_id)
    kpi = kpis.by_id(kpi_id)
    shown = verify.behind(runner, state, kpi)
    num, den = truth(facts, unit, start, end)[kpi_id]
    assert shown["records"] == (den if kpi.is_rate else num)
    assert shown["records"] > 0
    sample = shown["sample"]
    assert 0 < len(sample) <= verify.SAMPLE_SIZE
    grid = "grid_code"
    assert sample[grid].str.startswith(unit if unit != "310000" else "31").all()
    if "applicant_phone" in sample:
        assert sample.applicant_phone.str.contains(r"^\d{3}\*{4}\d{4}$").all()  # masked


def test_the_quality_page_shows_each_sources_freshness(app, runner):
    from cockpit.pages import quality as quality_page

    page = rendered(quality_page.layout())
    for row in runner.run("freshness").itertuples():
        assert f"fresh-{row.source}" in page and f"{row.rows:,}" in page
