"""UI text in zh-CN (default) and English, and number formats readers expect."""
from __future__ import annotations

import math

MESSAGES = {
    "zh": {
        "app.title": "城市数据驾驶舱",
        "nav.overview": "总览",
        "filter.period": "统计期",
        "filter.grain": "粒度",
        "filter.cmp": "对比",
        "filter.unit": "下钻",
        "filter.unit_placeholder": "选择下级单位…",
        "preset.mtd": "本月", "preset.last_month": "上月", "preset.qtd": "本季度", "preset.ytd": "本年",
        "preset.last_30": "近30天", "preset.last_12m": "近12个月", "preset.custom": "自定义",
        "grain.day": "日", "grain.week": "周", "grain.month": "月", "grain.quarter": "季", "grain.year": "年",
        "cmp.yoy": "同比", "cmp.pop": "环比",
        "lang.switch": "English",
        "tile.vs": "{cmp} {change}",
        "tile.no_data": "无数据",
        "tile.target": "目标 {target}",
        "tile.sparkline": "近12个月",
        "freshness.label": "数据截至 {latest}，更新于 {built}",
        "source.label": "来源：{source}",
        "overview.heading": "{unit} · 运行总览",
        "overview.period": "{start} 至 {end}",
        "error.lang": "未知语言 “{value}”，已使用中文。",
        "error.unit_format": "单位代码 “{value}” 格式不正确，已显示全市。",
        "error.unit_unknown": "找不到单位 “{value}”，已显示全市。",
        "error.unit_scope": "无权查看单位 “{value}”，已显示您的辖区。",
        "error.grain": "不支持的粒度 “{value}”（可选：{allowed}），已使用“月”。",
        "error.cmp": "不支持的对比方式 “{value}”（可选：{allowed}），已使用“同比”。",
        "error.date_format": "日期格式不正确（start={start}, end={end}），应为 YYYY-MM-DD，已使用本月。",
        "error.date_order": "开始日期 {start} 晚于结束日期 {end}，已使用本月。",
        "error.date_outside": "所选日期不在数据范围 {first} 至 {last} 内，已使用本月。",
        "error.no_marts": "数据尚未构建：请运行 python -m cockpit build。",
        "page.not_found": "页面不存在",
        "page.back_home": "返回总览",
        "unit.pp": "个百分点",
    },
    "en": {
        "app.title": "City Data Cockpit",
        "nav.overview": "Overview",
        "filter.period": "Period",
        "filter.grain": "Grain",
        "filter.cmp": "Compare",
        "filter.unit": "Drill down",
        "filter.unit_placeholder": "Choose a sub-unit…",
        "preset.mtd": "Month to date", "preset.last_month": "Last month", "preset.qtd": "Quarter to date",
        "preset.ytd": "Year to date", "preset.last_30": "Last 30 days", "preset.last_12m": "Last 12 months",
        "preset.custom": "Custom",
        "grain.day": "Day", "grain.week": "Week", "grain.month": "Month", "grain.quarter": "Quarter", "grain.year": "Year",
        "cmp.yoy": "YoY", "cmp.pop": "PoP",
        "lang.switch": "中文",
        "tile.vs": "{cmp} {change}",
        "tile.no_data": "No data",
        "tile.target": "Target {target}",
        "tile.sparkline": "Last 12 months",
        "freshness.label": "Data to {latest}, refreshed {built}",
        "source.label": "Source: {source}",
        "overview.heading": "{unit} · Overview",
        "overview.period": "{start} to {end}",
        "error.lang": "Unknown language “{value}”; showing Chinese.",
        "error.unit_format": "Unit code “{value}” is malformed; showing the whole city.",
        "error.unit_unknown": "No unit “{value}”; showing the whole city.",
        "error.unit_scope": "You may not view unit “{value}”; showing your own area.",
        "error.grain": "Unsupported grain “{value}” (choose {allowed}); using month.",
        "error.cmp": "Unsupported comparison “{value}” (choose {allowed}); using YoY.",
        "error.date_format": "Dates must look like YYYY-MM-DD (start={start}, end={end}); showing this month.",
        "error.date_order": "Start {start} is after end {end}; showing this month.",
        "error.date_outside": "The dates are outside the data ({first} to {last}); showing this month.",
        "error.no_marts": "No marts built yet: run python -m cockpit build.",
        "page.not_found": "Page not found",
        "page.back_home": "Back to the overview",
        "unit.pp": "pp",
    },
}

SOURCE_NAMES_EN = {"一网通办": "Government services (一网通办)", "一网统管": "City operations (一网统管)",
                   "12345热线": "12345 hotline", "城市生命体征": "City vital signs"}


def t(key: str, lang: str = "zh", **args) -> str:
    text = MESSAGES["en" if lang == "en" else "zh"][key]
    return text.format(**args) if args else text


def fmt_count(value: float | None, lang: str) -> str:
    """Counts: 万/亿 in Chinese, thousands separators in English."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if lang != "en":
        if abs(value) >= 1e8:
            return f"{value / 1e8:.2f}亿"
        if abs(value) >= 1e4:
            return f"{value / 1e4:.1f}万" if abs(value) < 1e6 else f"{value / 1e4:,.0f}万"
    return f"{value:,.0f}"


def fmt_value(value: float | None, kind: str, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if kind == "count":
        return fmt_count(value, lang)
    if kind == "percent":
        return f"{value:.1f}"
    return f"{value:,.1f}"


def fmt_change(change: float | None, kind: str, lang: str) -> str:
    """A change: percentage points for percentages, per cent for counts and durations."""
    if change is None or (isinstance(change, float) and math.isnan(change)):
        return "—"
    sign = "+" if change > 0 else ("−" if change < 0 else "±")
    if kind == "percent":
        return f"{sign}{abs(change):.1f} {t('unit.pp', lang)}"
    return f"{sign}{abs(change):.1f}%"
