"""A chart with no number to draw says "no data in this range" instead of empty axes."""
from __future__ import annotations

from cockpit.components.cards import draws_nothing


def test_a_chart_of_missing_values_draws_nothing():
    assert draws_nothing({"data": [], "layout": {}})
    assert draws_nothing({"data": [{"type": "scatter", "x": ["2026-11-01"], "y": [None]},
                                   {"type": "scatter", "x": ["2026-11-01"], "y": [float("nan")]}]})
    assert draws_nothing({"data": [{"type": "bar", "orientation": "h", "x": [None], "y": ["浦东新区"]}]})


def test_a_chart_with_one_number_or_an_area_draws():
    assert not draws_nothing({"data": [{"type": "scatter", "y": [None, 0]}]})  # a zero is drawn
    assert not draws_nothing({"data": [{"type": "bar", "orientation": "h", "x": [3], "y": ["浦东新区"]}]})
    assert not draws_nothing({"data": [{"type": "scatter", "fill": "toself", "x": [1, 2, 1], "y": [1, 1, 2]}]})
    assert not draws_nothing({"data": [{"type": "pie", "values": [None]}]})  # another kind: drawn as it is
