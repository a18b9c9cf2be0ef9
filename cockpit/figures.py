"""Figure builders: plotly figures from plain data, one place for the product's look."""
from __future__ import annotations

import math

import shapely
import shapely.geometry

COLORS = {"good": "#1a7f37", "bad": "#cf222e", "flat": "#6e7781", "line": "#1f6feb", "fill": "rgba(31,111,235,0.12)"}


def sparkline(points: list[tuple[str, float | None]], partial: list[bool] | None = None) -> dict:
    """A tiny line of monthly values without axes; hover shows month and value; a partial
    month (the running one) hollow at the end of a dashed segment (`partial_line`).

    A plain figure dict: building a `go.Figure` costs ~5 ms, ten times what the page's queries
    cost per tile, and a sparkline needs none of its validation."""
    x = [p for p, _ in points]
    y = [v for _, v in points]
    values = [v for v in y if v is not None]
    yaxis = {"visible": False, "fixedrange": True}
    if values:
        lo, hi = min(values), max(values)
        pad = (hi - lo) * 0.15 or abs(hi) * 0.05 or 1
        yaxis["range"] = [lo - pad, hi + pad]
    line = {"type": "scatter", "x": x, "y": y, "mode": "lines", "fill": "tozeroy",
            "line": {"color": COLORS["line"], "width": 2}, "fillcolor": COLORS["fill"],
            "hovertemplate": "%{x|%Y-%m}: %{y:,.1f}<extra></extra>", "connectgaps": False}
    return {
        "data": partial_line(line, partial or [False] * len(x)),
        "layout": {"margin": {"l": 0, "r": 0, "t": 2, "b": 0}, "height": 46, "showlegend": False,
                   "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
                   "xaxis": {"visible": False, "fixedrange": True}, "yaxis": yaxis},
    }


FONT = "Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
PALETTE = ["#1f6feb", "#f0883e", "#2da44e", "#a371f7", "#db61a2", "#bf8700", "#0e8a7e", "#8c959f"]
SEQUENTIAL = ["#e8f1fd", "#b6d3f7", "#7eb0ee", "#4389e0", "#1f6feb", "#0b4ab2"]


def partial_line(trace: dict, partial: list[bool], notes: list[str | None] | None = None,
                 show_notes: bool = False) -> list[dict]:
    """A line whose partial periods (fewer days than the grain: the running month, a week cut
    by the filter) are drawn apart: the whole periods as the line, each partial one as a hollow
    marker joined to its whole neighbour by a dashed segment, its note ("截至11-18，18/30天") on
    hover (and beside it with `show_notes`). A partial period is not a fall or a rise."""
    if not any(partial):
        return [trace]
    x, y = trace["x"], trace["y"]
    notes = notes or [None] * len(x)
    whole = {**trace, "y": [None if p else v for v, p in zip(y, partial)]}
    custom = trace.get("customdata")
    seg_x, seg_y, seg_custom, text, size = [], [], [], [], []
    for i, p in enumerate(partial):
        if not p:
            continue
        near = i - 1 if i > 0 and not partial[i - 1] else i + 1 if i + 1 < len(x) and not partial[i + 1] else None
        for k in [*sorted({i, near} - {None}), None]:  # the segment, then a gap before the next one
            seg_x.append(None if k is None else x[k])
            seg_y.append(None if k is None else y[k])
            seg_custom.append(None if k is None or custom is None else custom[k])
            text.append((notes[i] or "") if k == i else "")
            size.append(8 if k == i else 0)
    dashed = {"type": "scatter", "x": seg_x, "y": seg_y, "mode": "lines+markers+text" if show_notes else "lines+markers",
              "text": text, "textposition": "top center", "textfont": {"size": 10, "color": COLORS["flat"]},
              "name": trace.get("name"), "showlegend": False, "connectgaps": False, "legendgroup": trace.get("name"),
              "line": {**trace.get("line", {}), "dash": "dash"},
              "marker": {"symbol": "circle-open", "size": size, "color": trace.get("line", {}).get("color")},
              "hovertemplate": "%{x|%Y-%m-%d}: %{y:,.4~g} %{text}<extra>%{fullData.name}</extra>"}
    if custom is not None:  # a click on a partial point drills like one on the line
        dashed["customdata"] = seg_custom
    if "fill" in trace:
        dashed.update(fill="tozeroy", fillcolor=trace.get("fillcolor"))
    return [{**whole, "legendgroup": trace.get("name")}, dashed]


def _template(ink: str, grid: str, paper: str, size: int) -> dict:
    axis = {"gridcolor": grid, "linecolor": grid, "zeroline": False, "automargin": True}
    return {"layout": {
        "font": {"family": FONT, "size": size, "color": ink}, "colorway": PALETTE,
        "paper_bgcolor": paper, "plot_bgcolor": paper, "hoverlabel": {"font": {"family": FONT}},
        # the legend above the plot: below it, rotated date ticks ran into it
        "xaxis": axis, "yaxis": axis, "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        "separators": ".,"}}


# The product's plotly template, embedded in every figure (plotly.js applies it in the browser,
# kaleido in exports). Light for pages and print (white paper), dark for the wall screen.
TEMPLATES = {"light": _template("#24292f", "#eaeef2", "rgba(0,0,0,0)", 13),
             "dark": _template("#e6edf3", "#30363d", "rgba(0,0,0,0)", 18),
             "print": _template("#24292f", "#eaeef2", "#ffffff", 20)}


def base_layout(height: int = 320, **extra) -> dict:
    """Height, tight margins and the product's template (CJK-first font, quiet grid)."""
    layout = {"height": height, "margin": {"l": 10, "r": 10, "t": 10, "b": 10}, "template": TEMPLATES["light"]}
    layout.update(extra)
    return layout


# Date axes in the page's language at every zoom: (plotly's dtick range, zh format, en format).
# Plotly's own labels are English ("Jan 2026") whatever the page's language.
DAY, MONTH, YEAR = 86_400_000, "M1", "M12"
DATE_FORMATS = [((None, DAY), "%-m月%-d日 %H:%M", "%b %-d, %H:%M"),
                ((DAY, MONTH), "%-m月%-d日", "%b %-d"),
                ((MONTH, YEAR), "%Y年%-m月", "%b %Y"),
                ((YEAR, None), "%Y年", "%Y")]
DATE_HOVER = {"zh": "%Y年%-m月%-d日", "en": "%b %-d, %Y"}


def date_axis(axis: dict, lang: str) -> dict:
    stops = [{"dtickrange": list(span), "value": zh if lang == "zh" else en} for span, zh, en in DATE_FORMATS]
    return {**axis, "tickformatstops": stops, "hoverformat": DATE_HOVER[lang]}


def present(figure: dict, lang: str, theme: str = "light") -> dict:
    """A figure as the product shows it: the theme's template, dates in the page's language,
    and in Chinese, value axes over ten thousand ticked in 万/亿 (plotly's own formats know
    only k/M/G)."""
    if not isinstance(figure, dict) or "layout" not in figure:
        return figure
    layout = {**figure["layout"], "template": TEMPLATES[theme]}
    for name, axis in figure["layout"].items():
        if name.startswith("xaxis") and isinstance(axis, dict) and axis.get("type") == "date":
            layout[name] = date_axis(axis, lang)
    if lang == "zh":
        for axis, values in _value_axes(figure).items():
            ticks = wan_ticks(values)
            if ticks and (layout.get(axis) or {}).get("visible", True):
                layout[axis] = {**(layout.get(axis) or {}), "tickvals": ticks[0], "ticktext": ticks[1]}
    return {**figure, "layout": layout}


def _value_axes(figure: dict) -> dict:
    """Layout axis name -> the numeric values drawn along it (bars and lines)."""
    axes: dict = {}
    for trace in figure.get("data") or []:
        if trace.get("type") not in ("bar", "scatter") or trace.get("fill") == "toself":
            continue
        horizontal = trace.get("orientation") == "h"
        ref = trace.get("xaxis", "x") if horizontal else trace.get("yaxis", "y")
        values = trace.get("x" if horizontal else "y") or []
        nums = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool) and v == v]
        if trace["type"] == "bar":
            nums.append(0)  # bars stand on zero
        axes.setdefault(ref[0] + "axis" + ref[1:], []).extend(nums)
    return axes


def wan_ticks(values: list) -> tuple[list, list] | None:
    """About five round ticks over the values (bars include their zero base), all labelled in
    万 (or 亿) with as many decimals as the step needs, when the values reach ten thousand;
    None below that."""
    if not values or max(abs(v) for v in values) < 1e4:
        return None
    lo, hi = min(values), max(values)
    raw = (hi - lo) / 5 or abs(hi) / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(lo / step) * step
    ticks = [first + i * step for i in range(int(math.ceil((hi - first) / step)) + 1)]
    unit, name = (1e8, "亿") if max(abs(v) for v in values) >= 1e8 else (1e4, "万")
    decimals = next(d for d in (0, 1, 2, 3, 4) if abs(round(step / unit, d) - step / unit) < 1e-9)
    return ticks, [f"{v / unit:.{decimals}f}{name}" if v else "0" for v in ticks]


def _color(value: float | None, lo: float, hi: float) -> str:
    """More is darker, whichever way is better (the ranking beside the map judges)."""
    if value is None or value != value:
        return "#d0d7de"
    share = 0.5 if hi == lo else (value - lo) / (hi - lo)
    return SEQUENTIAL[min(len(SEQUENTIAL) - 1, int(share * len(SEQUENTIAL)))]


def ranking(frame, value_label: str, text: list[str], height_per_row: int = 24) -> dict:
    """Horizontal bars of the children of a unit, best at the top; customdata carries the unit
    code so a click drills down."""
    rows = frame.iloc[::-1]
    colors = {"good": COLORS["good"], "bad": COLORS["bad"], "flat": COLORS["line"]}
    return {
        "data": [{"type": "bar", "orientation": "h", "y": list(rows.unit_name), "x": list(rows.value),
                  "customdata": [[c] for c in rows.unit_code], "text": text[::-1], "textposition": "outside",
                  "cliponaxis": False, "marker": {"color": [colors.get(j, COLORS["line"]) for j in rows.judgement]},
                  "hovertemplate": "%{y}: %{text}<extra></extra>", "name": value_label}],
        "layout": base_layout(max(220, 40 + height_per_row * len(rows)),
                              xaxis={"automargin": True, "title": value_label},
                              yaxis={"automargin": True, "type": "category"}, margin={"l": 10, "r": 60, "t": 10, "b": 10}),
    }


# The map's height, the narrowest it is drawn (on a phone) and its axes' ratio, in pixels: a
# name's box in map units follows from them, CJK characters about 11 px wide and 16 px high.
MAP_SIZE, MAP_RATIO, CHAR_PX, LINE_PX = (300, 420), 1.17, 11, 16


def area_map(shapes: dict, points, values: dict, names: dict, texts: dict, unit_label: str,
             note: str | None = None) -> dict:
    """Sub-units as filled areas coloured by value, darker for more, with a colour scale: the
    districts' own boundaries, or approximate cells below a district (`note` says so); drawn on
    plain axes zoomed to the unit, so the map needs no tile server. Names are written where they
    do not run into one another (every area names itself on hover). Without areas (a city's
    imported data) the sub-units are points. A click on an area, name or point returns its unit
    code in customdata."""
    data = []
    vals = [v for v in values.values() if v is not None and v == v]
    lo, hi = (min(vals), max(vals)) if vals else (0, 1)
    areas = {f["id"]: shapely.geometry.shape(f["geometry"]) for f in shapes["features"]}
    for code, area in areas.items():
        xs, ys = [], []
        for part in shapely.get_parts(area):
            if part.geom_type == "Polygon":
                ring = list(part.exterior.coords)
                xs += [p[0] for p in ring] + [None]
                ys += [p[1] for p in ring] + [None]
        hover = f"{names.get(code, code)}: {texts.get(code, '—')}"
        data.append({"type": "scatter", "x": xs, "y": ys, "mode": "lines", "fill": "toself",
                     "fillcolor": _color(values.get(code), lo, hi), "line": {"color": "#ffffff", "width": 1},
                     "hoveron": "fills", "name": names.get(code, code), "customdata": [[code]] * len(xs),
                     "text": hover, "hoverinfo": "text", "showlegend": False})
    bounds = shapes.get("bounds")
    if areas:
        anchors = {c: a.representative_point() for c, a in areas.items()}
        shown = _labels_apart({c: (p.x, p.y) for c, p in anchors.items()}, names, bounds,
                              order=sorted(areas, key=lambda c: -areas[c].area))
        data.append({"type": "scatter", "mode": "text", "x": [anchors[c].x for c in shown],
                     "y": [anchors[c].y for c in shown], "text": [names.get(c, c) for c in shown],
                     "customdata": [[c] for c in shown], "meta": "names",
                     "textfont": {"size": 11, "color": [_ink_on(_color(values.get(c), lo, hi)) for c in shown]},
                     "hovertext": [f"{names.get(c, c)}: {texts.get(c, '—')}" for c in shown],
                     "hoverinfo": "text", "showlegend": False})
    elif points is not None:
        data.append({"type": "scatter", "mode": "markers", "x": list(points.lon), "y": list(points.lat),
                     "customdata": [[c] for c in points.unit_code],
                     "marker": {"size": 14, "color": [_color(values.get(c), lo, hi) for c in points.unit_code],
                                "line": {"color": "#0b4ab2", "width": 1}},
                     "hovertext": [f"{n}: {texts.get(c, '—')}" for c, n in zip(points.unit_code, points.unit_name)],
                     "hoverinfo": "text", "showlegend": False})
    if vals:  # the colour scale: an invisible point carries it
        data.append({"type": "scatter", "mode": "markers", "x": [None], "y": [None], "hoverinfo": "skip",
                     "showlegend": False, "meta": "scale",
                     "marker": {"color": [lo], "cmin": lo, "cmax": hi if hi > lo else lo + 1, "showscale": True,
                                "colorscale": [[i / (len(SEQUENTIAL) - 1), c] for i, c in enumerate(SEQUENTIAL)],
                                "colorbar": {"title": {"text": unit_label}, "thickness": 10, "len": 0.6,
                                             "x": 1.0, "xpad": 0, "outlinewidth": 0}}})
    axis = {"visible": False, "fixedrange": False}
    xaxis, yaxis = dict(axis), {**axis, "scaleanchor": "x", "scaleratio": MAP_RATIO}
    if bounds:  # zoomed to the unit, a margin around it
        pad_x, pad_y = (bounds[2] - bounds[0]) * 0.04, (bounds[3] - bounds[1]) * 0.04
        xaxis["range"] = [bounds[0] - pad_x, bounds[2] + pad_x]
        yaxis["range"] = [bounds[1] - pad_y, bounds[3] + pad_y]
    layout = base_layout(MAP_SIZE[1], xaxis=xaxis, yaxis=yaxis, margin={"l": 0, "r": 40, "t": 0, "b": 0},
                         dragmode="pan", hovermode="closest")
    if note:
        layout["annotations"] = [{"text": note, "xref": "paper", "yref": "paper", "x": 0, "y": 0, "xanchor": "left",
                                  "yanchor": "bottom", "showarrow": False, "font": {"size": 10, "color": "#8c959f"}}]
    return {"data": data, "layout": layout}


def _labels_apart(anchors: dict, names: dict, bounds, order: list) -> list:
    """The codes whose names can be written at their anchors without overlapping a name written
    before them (larger areas first)."""
    if not bounds:
        return list(order)
    width, height = (bounds[2] - bounds[0]) or 1e-9, (bounds[3] - bounds[1]) or 1e-9
    px = min(MAP_SIZE[0] / width, MAP_SIZE[1] / (height * MAP_RATIO))  # pixels per x unit
    boxes, kept = [], []
    for code in order:
        x, y = anchors[code]
        half_w, half_h = len(str(names.get(code, code))) * CHAR_PX / 2 / px, LINE_PX / 2 / (px * MAP_RATIO)
        box = (x - half_w, y - half_h, x + half_w, y + half_h)
        if all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in boxes):
            boxes.append(box)
            kept.append(code)
    return kept


def _ink_on(fill: str) -> str:
    """Dark text on a light fill, white on a dark one (whatever the page's theme)."""
    r, g, b = (int(fill[i:i + 2], 16) for i in (1, 3, 5))
    return "#24292f" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"


def dates(values) -> list[str]:
    """Period starts as ISO dates, whether they come as timestamps or as a card's text rows."""
    return [str(v)[:10] for v in values]


def _values(values) -> list:
    """Numbers for a trace, None where missing (plotly leaves a gap)."""
    return [None if v is None or v != v else v for v in values]


def _target_line(target: float, width: float) -> dict:
    return {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": target, "y1": target, "meta": "target",
            "line": {"color": COLORS["good"], "dash": "dash", "width": width}}


def trend(frame, value_label: str, compare_label: str, target: float | None, target_label: str,
          notes: list[str | None] | None = None) -> dict:
    """The KPI per period with its comparison; partial periods apart (`partial_line`, `notes`
    beside them), and a comparison period with data for part of it hollow."""
    x = dates(frame.period_start)
    data = partial_line({"type": "scatter", "mode": "lines+markers", "x": x, "y": _values(frame.value),
                         "name": value_label, "line": {"color": COLORS["line"], "width": 2.5}},
                        (frame.days < frame.period_days).tolist(), notes, show_notes=True)
    if "previous" in frame and frame.previous.notna().any():
        data.extend(partial_line({"type": "scatter", "mode": "lines", "x": x, "y": _values(frame.previous),
                                  "name": compare_label, "line": {"color": "#8c959f", "dash": "dot"}},
                                 frame.previous_partial.tolist()))
    layout = base_layout(300, hovermode="x unified")
    layout["xaxis"] = {"type": "date"}
    if target is not None:
        layout["shapes"] = [_target_line(target, 1.5)]
        layout["annotations"] = [{"xref": "paper", "x": 1, "y": target, "text": f"{target_label} {target:g}",
                                  "showarrow": False, "yanchor": "bottom", "xanchor": "right",
                                  "font": {"color": COLORS["good"], "size": 11}}]
    return {"data": data, "layout": layout}


def bars(labels: list[str], values: list, name: str, text: list[str] | None = None, horizontal: bool = False,
         secondary: tuple[str, list] | None = None, height: int = 300) -> dict:
    """Simple bars; `secondary` adds a rate as a line on a right axis."""
    bar = {"type": "bar", "name": name, "marker": {"color": COLORS["line"]}, "text": text,
           "textposition": "auto", "textangle": 0,  # (turned to fit a narrow bar, an 8 read as ∞)
           "hovertemplate": "%{label}: %{value:,}<extra></extra>"}
    if horizontal:
        bar.update(orientation="h", y=labels[::-1], x=values[::-1], text=(text or [])[::-1] or None)
    else:
        bar.update(x=labels, y=values)
    data = [bar]
    layout = base_layout(height)
    if secondary:
        data.append({"type": "scatter", "mode": "lines+markers", "x": labels, "y": secondary[1], "name": secondary[0],
                     "yaxis": "y2", "line": {"color": PALETTE[1]}})
        layout["yaxis2"] = {"overlaying": "y", "side": "right", "showgrid": False, "title": secondary[0]}
        layout["showlegend"] = True
    if horizontal:
        layout["yaxis"] = {"automargin": True, "type": "category"}
    return {"data": data, "layout": layout}


def trend_analysis(rows, labels: dict) -> dict:
    """The KPI over time with its moving average, last year's values, the forecast with its
    band, the target, and anomaly markers (customdata: alert start and end, for a click); all
    from the rows of the trend-analysis card (forecast periods have no value)."""
    actual = rows[rows.forecast.isna()] if "forecast" in rows else rows
    x = dates(actual.period_start)
    data = [
        {"type": "scatter", "mode": "lines+markers", "x": x, "y": _values(actual.value), "name": labels["value"],
         "line": {"color": COLORS["line"], "width": 2.2}, "marker": {"size": 4}},
        {"type": "scatter", "mode": "lines", "x": x, "y": _values(actual.moving_average), "name": labels["moving"],
         "line": {"color": PALETTE[2], "width": 1.5}},
        {"type": "scatter", "mode": "lines", "x": x, "y": _values(actual.last_year), "name": labels["previous"],
         "line": {"color": "#8c959f", "dash": "dot", "width": 1.2}},
    ]
    if "forecast" in rows and rows.forecast.notna().any():
        fc = rows[rows.forecast.notna()]
        fx = dates(fc.period_start)
        data += [
            {"type": "scatter", "mode": "lines", "x": fx + fx[::-1], "y": _values(fc.upper) + _values(fc.lower)[::-1],
             "fill": "toself", "fillcolor": "rgba(240,136,62,0.18)", "line": {"width": 0}, "name": labels["band"],
             "hoverinfo": "skip", "meta": "forecast-band"},
            {"type": "scatter", "mode": "lines", "x": x[-1:] + fx, "y": _values(actual.value)[-1:] + _values(fc.forecast),
             "name": labels["forecast"], "line": {"color": PALETTE[1], "dash": "dash", "width": 2}},
        ]
    marks = actual[actual.anomaly_start.notna()]
    if len(marks):
        data.append({"type": "scatter", "mode": "markers", "name": labels["anomaly"], "meta": "anomalies",
                     "x": dates(marks.period_start), "y": _values(marks.value),
                     "customdata": [[s, e] for s, e in zip(marks.anomaly_start, marks.anomaly_end)],
                     "text": [f"{s}~{e} z={z:.1f}" for s, e, z in zip(marks.anomaly_start, marks.anomaly_end, marks.anomaly_z)],
                     "hovertemplate": "%{text}<extra></extra>",
                     "marker": {"symbol": "x", "size": 14, "color": COLORS["bad"], "line": {"width": 2}}})
    layout = base_layout(380, hovermode="closest")
    layout["xaxis"] = {"type": "date"}
    target = rows.target.dropna() if "target" in rows else []
    if len(target):
        layout["shapes"] = [_target_line(float(target.iloc[0]), 1.2)]
    return {"data": data, "layout": layout}


def decomposition(frame, labels: dict) -> dict:
    """Observed, trend, seasonal and residual parts stacked in four rows."""
    x = dates(frame.period_start)
    parts = ["observed", "trend", "seasonal", "resid"]
    data, layout = [], base_layout(420, showlegend=False)
    for i, part in enumerate(parts):
        axis = "" if i == 0 else str(i + 1)
        data.append({"type": "scatter", "mode": "lines", "x": x, "y": _values(frame[part]), "name": labels[part],
                     "xaxis": f"x{axis}", "yaxis": f"y{axis}", "line": {"color": PALETTE[i % len(PALETTE)]}})
        top = 1 - i * 0.25
        layout[f"yaxis{axis}"] = {"domain": [top - 0.22, top], "title": {"text": labels[part],
                                  "font": {"size": 11}}, "automargin": True}
        layout[f"xaxis{axis}"] = {"anchor": f"y{axis}", "type": "date", "showticklabels": i == 3,
                                  **({"matches": "x"} if i else {})}
    return {"data": data, "layout": layout}


def contributions(frame, names: dict, label: str) -> dict:
    """Horizontal bars of contributions to a change, largest at the top, red where it moved
    the whole the bad way."""
    rows = frame.head(12).iloc[::-1]
    return {"data": [{"type": "bar", "orientation": "h", "y": [names.get(k, k) for k in rows.key],
                      "x": list(rows.contribution), "customdata": [[k] for k in rows.key],
                      "marker": {"color": [COLORS["line"] if c >= 0 else COLORS["bad"] for c in rows.contribution]},
                      "text": [f"{c:+.2f} ({s:.0%})" for c, s in zip(rows.contribution, rows.share)],
                      # inside long bars: outside, a long negative bar's label ran over the names
                      "textposition": "auto", "cliponaxis": False, "name": label,
                      "hovertemplate": "%{y}: %{x:+.2f}<extra></extra>"}],
            "layout": base_layout(max(220, 40 + 26 * len(rows)), margin={"l": 10, "r": 70, "t": 10, "b": 10},
                                  yaxis={"automargin": True, "type": "category"})}


def lines(frame, key: str, names: dict, label: str, reference: float | None = None, height: int = 340,
          notes: dict | None = None) -> dict:
    """One line per value of `key` over period_start (y from the `value` column), optionally
    with a dashed reference line (e.g. 1.0 = on target); partial periods (rows with fewer
    `days` than `period_days`) apart (`partial_line`, `notes` by period start)."""
    data = []
    for code, rows in frame.groupby(key):
        rows = rows.sort_values("period_start")
        x = dates(rows.period_start)
        data.extend(partial_line({"type": "scatter", "mode": "lines+markers" if len(rows) < 3 else "lines",
                                  "name": names.get(code, code), "x": x,
                                  "y": [None if v != v else v for v in rows.value], "customdata": [[code]] * len(rows),
                                  "hovertemplate": "%{fullData.name}: %{y:,.4~g}<extra></extra>"},
                                 (rows.days < rows.period_days).tolist(), [(notes or {}).get(d) for d in x]))
    shapes = [] if reference is None else [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": reference,
                                            "y1": reference, "line": {"color": COLORS["good"], "dash": "dash", "width": 1}}]
    return {"data": data, "layout": base_layout(height, hovermode="closest", shapes=shapes,
                                                xaxis={"type": "date"}, yaxis={"title": label})}
