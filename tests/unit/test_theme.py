"""The product's plotly template and Chinese number axes: every figure carries the template of
its theme, and value axes from ten thousand up are ticked in 万/亿 in Chinese only."""
from __future__ import annotations

from cockpit import figures


def test_wan_ticks_are_round_and_labelled_in_wan_and_yi():
    ticks, labels = figures.wan_ticks([0, 12_345, 123_456])
    assert ticks == [0, 25_000, 50_000, 75_000, 100_000, 125_000]
    assert labels == ["0", "2.5万", "5.0万", "7.5万", "10.0万", "12.5万"]
    ticks, labels = figures.wan_ticks([3e8])
    assert ticks[-1] >= 3e8 and labels[-1].endswith("亿")
    assert figures.wan_ticks([9_999]) is None and figures.wan_ticks([]) is None


def test_a_line_is_ticked_over_its_own_range_with_the_decimals_its_step_needs():
    assert figures.wan_ticks([6_500, 13_500]) == ([6_000, 8_000, 10_000, 12_000, 14_000],
                                                  ["0.6万", "0.8万", "1.0万", "1.2万", "1.4万"])
    assert figures.wan_ticks([0, 10_400])[1] == ["0", "0.25万", "0.50万", "0.75万", "1.00万", "1.25万"]


def test_present_sets_the_theme_and_zh_axes_only():
    fig = figures.bars(["浦东新区", "黄浦区"], [123_456, 34_000], "件")
    zh = figures.present(fig, "zh", "dark")
    assert zh["layout"]["template"] == figures.TEMPLATES["dark"]
    assert zh["layout"]["yaxis"]["ticktext"][-1] == "12.5万"
    en = figures.present(fig, "en")
    assert en["layout"]["template"] == figures.TEMPLATES["light"] and "ticktext" not in en["layout"].get("yaxis", {})
    assert fig["layout"]["template"] == figures.TEMPLATES["light"] and "ticktext" not in fig["layout"].get("yaxis", {})


def test_horizontal_bars_tick_the_x_axis_and_hidden_axes_are_left_alone():
    fig = figures.bars(["a", "b"], [50_000, 20_000], "件", horizontal=True)
    assert figures.present(fig, "zh")["layout"]["xaxis"]["ticktext"] == ["0", "1万", "2万", "3万", "4万", "5万"]
    hidden = {"data": [{"type": "scatter", "y": [40_000, 50_000]}], "layout": {"yaxis": {"visible": False}}}
    assert "ticktext" not in figures.present(hidden, "zh")["layout"]["yaxis"]


def test_date_axes_speak_the_pages_language():
    frame = {"period_start": ["2026-01-01", "2026-02-01"], "value": [1.0, 2.0], "days": [31, 28], "period_days": [31, 28]}
    import pandas as pd

    fig = figures.trend(pd.DataFrame(frame), "本期", "对比期", None, "目标")
    months = {"zh": "%Y年%-m月", "en": "%b %Y"}
    for lang, month in months.items():
        axis = figures.present(fig, lang)["layout"]["xaxis"]
        stops = {tuple(s["dtickrange"]): s["value"] for s in axis["tickformatstops"]}
        assert stops[(figures.MONTH, figures.YEAR)] == month
        assert axis["hoverformat"] == figures.DATE_HOVER[lang]
    assert "tickformatstops" not in fig["layout"]["xaxis"]  # present() leaves its input alone
