"""UI text in zh-CN (default) and English, and number formats readers expect."""
from __future__ import annotations

import math

MESSAGES = {
    "zh": {
        "nav.overview": "总览",
        "nav.services": "一网通办",
        "nav.operations": "一网统管",
        "nav.vitals": "城市体征",
        "nav.trends": "趋势研判",
        "trend.heading": "{unit} · 趋势研判",
        "trend.title": "走势、预测与异常（{grain}）",
        "trend.value": "实际值", "trend.moving": "3期移动平均", "trend.previous": "上年同期", "trend.band": "预测区间（80%）",
        "trend.forecast": "预测", "trend.anomaly": "异常点（点击看归因）",
        "trend.decomposition": "季节分解（STL）", "trend.observed": "实际", "trend.trend": "趋势", "trend.seasonal": "季节",
        "trend.resid": "残差",
        "trend.attribution_heading": "变化归因：谁驱动了变化",
        "trend.attribution": "按{by}归因（总变化 {total}）",
        "trend.by.unit": "下级单位", "trend.by.channel": "渠道", "trend.by.applicant_type": "申请人类型",
        "trend.by.dept_code": "委办局", "trend.by.source": "来源", "trend.by.category": "类别",
        "alerts.heading": "异常预警", "alerts.item": "{unit} · {kpi}：{what}，自 {start} 起（z={z}）",
        "alerts.up": "异常升高", "alerts.down": "异常下降", "alerts.none": "当前无异常",
        "alerts.value": "实际 {observed}，预期 {expected}",
        "warnings.heading": "目标预警（年末预测未达标）",
        "warnings.item": "{unit} · {kpi}：预计年末 {expected}，目标 {target}",
        "channel.online": "网站", "channel.mobile": "移动端", "channel.counter": "窗口", "channel.kiosk": "自助终端",
        "applicant.person": "个人", "applicant.enterprise": "企业",
        "source.hotline": "12345热线", "source.grid_patrol": "网格巡查", "source.iot": "物联感知",
        "source.video_ai": "视频智能", "source.media": "媒体",
        "stage.report": "发现受理", "stage.register": "立案", "stage.dispatch": "派遣", "stage.dispose": "处置",
        "stage.check": "核查", "stage.close": "结案",
        "sensor.air_pm25": "PM2.5", "sensor.water_level": "河道水位", "sensor.power_load": "电力负荷",
        "sensor.road_congestion": "道路拥堵指数", "sensor.metro_flow": "地铁客流", "sensor.gas_pressure": "燃气管网压力",
        "card.unit": "单位：{unit}",
        "card.refreshed": "更新于 {time}",
        "card.png": "PNG", "card.svg": "SVG", "card.csv": "CSV",
        "card.records": "明细",
        "card.no_data": "该范围内无数据",
        "chart.kpi_select": "指标",
        "chart.map": "{kpi} · 下级分布（点击下钻）",
        "chart.ranking": "{kpi} · 下级排名（点击下钻）",
        "chart.trend": "{kpi} · 趋势（{grain}）",
        "chart.current": "本期", "chart.compare": "对比期", "chart.target": "目标",
        "chart.channel": "办件渠道", "chart.applicant": "申请人类型", "chart.dept": "委办局办件与按时办结率",
        "chart.handling": "办理时长分布（天）", "chart.worst_items": "好评率最低的事项及主要差评原因",
        "chart.sources": "事件来源", "chart.categories": "事件类别", "chart.lifecycle": "处置流程：各环节事件数与平均耗时",
        "chart.open": "未结案与超期事件（截至数据时点）",
        "chart.sensor": "{sensor}（{uom}）",
        "unit.apps": "件", "unit.events": "起", "chart.on_time": "按时办结率(%)", "chart.satisfaction": "好评率(%)",
        "chart.closure": "按期结案率(%)", "chart.overdue": "超期未结（超期/未结）",
        "col.apps": "办件量", "col.events": "事件量",
        "col.mean_hours": "平均耗时（小时）", "col.p90": "P90 办理时长 {hours} 小时",
        "records.title": "明细记录（个人信息已脱敏）",
        "records.applications": "办件", "records.events": "事件",
        "records.page": "第 {page} 页",
        "services.heading": "{unit} · 一网通办",
        "operations.heading": "{unit} · 一网统管",
        "vitals.heading": "{unit} · 城市生命体征",
        "vitals.latest": "最新 {value} {uom}（{time}）",
        "vitals.thresholds": "预警阈值 {low}{high}",
        "vitals.breaches": "统计期越限 {n} 次",
        "vitals.events_nearby": "越限当日所在街镇相关事件",
        "vitals.none": "辖区内无此类传感器",
        "vitals.max": "最高值", "vitals.mean": "平均值",
        "vitals.col.day": "日期", "vitals.col.sensor": "传感器", "vitals.col.breaches": "越限小时数",
        "vitals.col.max": "最高读数", "vitals.col.category": "相关事件类别", "vitals.col.events": "当日街镇事件",
        "filter.period": "统计期",
        "filter.grain": "粒度",
        "filter.cmp": "对比",
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
        "error.kpi": "未知指标 “{value}”，已使用本页默认指标。",
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
        "nav.overview": "Overview",
        "nav.services": "Services",
        "nav.operations": "Operations",
        "nav.vitals": "Vital signs",
        "nav.trends": "Trends",
        "trend.heading": "{unit} · Trend analysis",
        "trend.title": "trend, forecast and anomalies ({grain})",
        "trend.value": "Actual", "trend.moving": "3-period moving average", "trend.previous": "Same period last year",
        "trend.band": "Forecast interval (80%)", "trend.forecast": "Forecast", "trend.anomaly": "Anomaly (click: what drove it)",
        "trend.decomposition": "Seasonal decomposition (STL)", "trend.observed": "Observed", "trend.trend": "Trend",
        "trend.seasonal": "Seasonal", "trend.resid": "Residual",
        "trend.attribution_heading": "What drove the change",
        "trend.attribution": "By {by} (total change {total})",
        "trend.by.unit": "sub-unit", "trend.by.channel": "channel", "trend.by.applicant_type": "applicant type",
        "trend.by.dept_code": "department", "trend.by.source": "source", "trend.by.category": "category",
        "alerts.heading": "Anomaly alerts", "alerts.item": "{unit} · {kpi}: {what} since {start} (z={z})",
        "alerts.up": "unusually high", "alerts.down": "unusually low", "alerts.none": "No anomalies",
        "alerts.value": "actual {observed}, expected {expected}",
        "warnings.heading": "Target warnings (year-end forecast misses the target)",
        "warnings.item": "{unit} · {kpi}: expected {expected} at year end, target {target}",
        "channel.online": "Web", "channel.mobile": "Mobile", "channel.counter": "Counter", "channel.kiosk": "Kiosk",
        "applicant.person": "Person", "applicant.enterprise": "Enterprise",
        "source.hotline": "12345 hotline", "source.grid_patrol": "Grid patrol", "source.iot": "IoT sensors",
        "source.video_ai": "Video AI", "source.media": "Media",
        "stage.report": "Report", "stage.register": "Register", "stage.dispatch": "Dispatch", "stage.dispose": "Dispose",
        "stage.check": "Check", "stage.close": "Close",
        "sensor.air_pm25": "PM2.5", "sensor.water_level": "River water level", "sensor.power_load": "Power load",
        "sensor.road_congestion": "Road congestion", "sensor.metro_flow": "Metro passengers", "sensor.gas_pressure": "Gas pressure",
        "card.unit": "Unit: {unit}",
        "card.refreshed": "refreshed {time}",
        "card.png": "PNG", "card.svg": "SVG", "card.csv": "CSV",
        "card.records": "Records",
        "card.no_data": "No data in this range",
        "chart.kpi_select": "KPI",
        "chart.map": "{kpi} · by sub-unit (click to drill down)",
        "chart.ranking": "{kpi} · sub-unit ranking (click to drill down)",
        "chart.trend": "{kpi} · trend ({grain})",
        "chart.current": "This period", "chart.compare": "Comparison", "chart.target": "Target",
        "chart.channel": "Channels", "chart.applicant": "Applicant types", "chart.dept": "Departments: volume and on-time rate",
        "chart.handling": "Handling time (days)", "chart.worst_items": "Lowest-rated items and their main complaint",
        "chart.sources": "Event sources", "chart.categories": "Event categories", "chart.lifecycle": "Lifecycle: events per stage and mean hours",
        "chart.open": "Open and overdue events (at the data cut)",
        "chart.sensor": "{sensor} ({uom})",
        "unit.apps": "applications", "unit.events": "events", "chart.on_time": "On-time rate (%)",
        "chart.satisfaction": "Satisfaction (%)", "chart.closure": "On-time closure (%)",
        "chart.overdue": "Overdue open (overdue / open)",
        "col.apps": "Applications", "col.events": "Events",
        "col.mean_hours": "Mean hours", "col.p90": "P90 handling time {hours} h",
        "records.title": "Records (personal data masked)",
        "records.applications": "Applications", "records.events": "Events",
        "records.page": "Page {page}",
        "services.heading": "{unit} · Government services",
        "operations.heading": "{unit} · City operations",
        "vitals.heading": "{unit} · City vital signs",
        "vitals.latest": "Latest {value} {uom} ({time})",
        "vitals.thresholds": "Warning thresholds {low}{high}",
        "vitals.breaches": "{n} breaches in the period",
        "vitals.events_nearby": "Related events in the street on breach days",
        "vitals.none": "No sensor of this type in the area",
        "vitals.max": "Highest", "vitals.mean": "Mean",
        "vitals.col.day": "Day", "vitals.col.sensor": "Sensor", "vitals.col.breaches": "Hours over threshold",
        "vitals.col.max": "Highest reading", "vitals.col.category": "Related event category",
        "vitals.col.events": "Events in the street that day",
        "filter.period": "Period",
        "filter.grain": "Grain",
        "filter.cmp": "Compare",
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
        "error.kpi": "Unknown KPI “{value}”; showing the page's default.",
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
        # The unit is chosen on the rounded number: 99,999,999 is 1.00亿, not 10,000万.
        if abs(round(value / 1e8, 2)) >= 1:
            return f"{value / 1e8:.2f}亿"
        if abs(value) >= 1e4:
            wan = value / 1e4
            return f"{wan:.1f}万" if abs(round(wan, 1)) < 100 else f"{wan:,.0f}万"
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
