"""The KPI catalogue is validated with messages naming entry and field; number formats."""
from __future__ import annotations

import pytest

from cockpit.analysis.compare import change, judgement, target_status
from cockpit.i18n import MESSAGES, fmt_change, fmt_count
from cockpit.kpis import CatalogueError, catalogue, parse_catalogue

GOOD = """
[[kpi]]
id = "x_rate"
name_zh = "某率"
name_en = "X rate"
definition_zh = "定义"
definition_en = "Definition"
numerator = "apps_online"
denominator = "apps"
kind = "percent"
direction = "higher"
domain = "services"
source = "一网通办"
owner = "市政务服务办"
"""


def test_the_shipped_catalogue_is_valid_and_ids_unique():
    ids = [k.id for k in catalogue()]
    assert len(ids) == len(set(ids)) >= 8


@pytest.mark.parametrize("edit, field", [
    (("kind = \"percent\"", "kind = \"ratio\""), "kind"),
    (("direction = \"higher\"", "direction = \"up\""), "direction"),
    (("name_en = \"X rate\"\n", ""), "name_en"),
    (("denominator = \"apps\"\n", ""), "denominator"),
    (("owner = \"市政务服务办\"", "owner = \"市政务服务办\"\ncolour = \"red\""), "colour"),
    (("owner = \"市政务服务办\"", "owner = \"市政务服务办\"\ntarget = \"high\""), "target"),
])
def test_bad_entries_are_refused_naming_kpi_and_field(edit, field):
    assert parse_catalogue(GOOD)[0].id == "x_rate"
    with pytest.raises(CatalogueError, match=rf"x_rate.*{field}"):
        parse_catalogue(GOOD.replace(*edit))


def test_repeated_id_and_bad_toml_are_refused():
    with pytest.raises(CatalogueError, match="repeats"):
        parse_catalogue(GOOD + GOOD)
    with pytest.raises(CatalogueError, match="TOML"):
        parse_catalogue("[[kpi]\nid=")


def test_number_formats():
    assert fmt_count(123456, "zh") == "12.3万"
    assert fmt_count(123456, "en") == "123,456"
    assert fmt_count(250_000_000, "zh") == "2.50亿"
    assert fmt_count(987, "zh") == "987"
    assert fmt_change(2.345, "percent", "zh") == "+2.3 个百分点"
    assert fmt_change(-5.0, "count", "en") == "−5.0%"


def test_comparisons_respect_direction():
    assert change(91.0, 90.0, "percent") == pytest.approx(1.0)
    assert change(110, 100, "count") == pytest.approx(10.0)
    assert change(5, 0, "count") is None and change(None, 1, "count") is None
    assert judgement(3.0, "higher") == "good" and judgement(3.0, "lower") == "bad"
    assert judgement(0.0, "higher") == "flat"
    assert target_status(95, 90, "higher") == "met" and target_status(95, 90, "lower") == "missed"


def test_both_languages_have_the_same_messages():
    assert MESSAGES["zh"].keys() == MESSAGES["en"].keys()
