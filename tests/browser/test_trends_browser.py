"""The trend page in a real Chromium: forecast band and anomaly markers; clicking an anomaly
opens what drove it."""
from __future__ import annotations

import datetime as dt
import re
import time

import pytest

from playwright.sync_api import Error as PlaywrightError

from cockpit.config import load_settings
from cockpit.queries import QueryRunner
from cockpit.views import data_range, period_of, trends


def wait_for_forecast(page, seconds: float = 90) -> list[str]:
    """The trend chart's traces once its forecast is there. The first view of a series shows it
    without a forecast, says the model is being fitted, and loads again when it is ready."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            page.wait_for_selector("#card-trend-analysis .js-plotly-plot", timeout=5000)
            metas = page.evaluate("Array.from(document.querySelector('#card-trend-analysis .js-plotly-plot').data,"
                                  " t => t.meta || '')")
        except PlaywrightError:  # the page was loading again
            continue
        if "forecast-band" in metas:
            return metas
        time.sleep(0.5)
    raise AssertionError("the forecast did not arrive")


def test_a_forecast_is_fitted_in_the_background(page, server):
    """No request fits a model: the series shows at once with a notice that counts the wait,
    and the forecast follows without the user doing anything."""
    page.goto(f"{server}/trends?unit=310101&kpi=repeat_rate&grain=quarter")
    page.wait_for_selector("#card-trend-analysis .chart-pending")
    assert "模型计算中" in page.locator("#card-trend-analysis .chart-pending").inner_text()
    wait_for_forecast(page)
    assert page.locator("#card-trend-analysis .chart-pending").count() == 0


@pytest.mark.parametrize("grain", ["day", "week", "month"])
def test_clicking_an_anomaly_opens_its_attribution(page, server, browser_data_dir, grain):
    """At every grain (a day view's trend is drawn by week) the marker of the strongest alert
    whose month is whole in the data stands on the period holding the alert's first day, and a
    click there opens that alert's period against the one before, with its attribution."""
    runner = QueryRunner(load_settings({"COCKPIT_DATA_DIR": str(browser_data_dir)}).marts_dir)
    last_month = data_range(runner)[1].replace(day=1)
    alert = next(a for a in trends.alerts(runner).itertuples() if a.start.date() < last_month - dt.timedelta(days=31))
    page.goto(f"{server}/trends?unit={alert.unit_code}&kpi={alert.kpi_id}&grain={grain}")
    metas = wait_for_forecast(page)
    assert "forecast-band" in metas and "anomalies" in metas
    drawn = page.evaluate("Array.from(document.querySelector('#card-trend-analysis .js-plotly-plot').data)"
                          ".find(t => t.meta === 'anomalies')")
    start, end = str(alert.start)[:10], str(alert.end)[:10]
    at = drawn["customdata"].index([start, end])
    assert str(drawn["x"][at])[:10] == period_of(alert.start, "week" if grain == "day" else grain).isoformat()
    marker = page.locator("#card-trend-analysis .scatterlayer .trace").last.locator("path.point").nth(at)
    marker.scroll_into_view_if_needed()
    box = marker.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(rf"start={start}&end={end}.*cmp=pop"))
    page.wait_for_selector("#attribution")
    page.wait_for_selector("#card-attribution-unit .bars .point path")
    assert f"{start}~{end}" in page.locator("#card-attribution-unit").inner_text()


def test_overview_alert_opens_the_trend_page(page, server):
    page.goto(server + "/")
    page.wait_for_selector("#alerts .alert-link")
    page.locator("#alerts .alert-link").first.click()
    page.wait_for_url(re.compile(r"/trends\?.*cmp=pop"))
    page.wait_for_selector("#card-trend-analysis .js-plotly-plot")
    assert page.locator("#attribution").count() == 1


def test_dates_on_axes_in_the_pages_language(page, server):
    """Month ticks read 2026年1月 in Chinese and Jan 2026 in English."""
    patterns = {"zh": r"^20\d\d年\d{1,2}月$", "en": r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) 20\d\d$"}
    for lang, pattern in patterns.items():
        page.goto(f"{server}/trends?unit=310115&kpi=events&grain=month&lang={lang}")
        wait_for_forecast(page)  # the page loads again when its forecast arrives
        page.wait_for_selector("#card-trend-analysis .xtick text")
        ticks = page.locator("#card-trend-analysis .xtick text").all_text_contents()
        assert ticks and all(re.match(pattern, tick) for tick in ticks), (lang, ticks)
