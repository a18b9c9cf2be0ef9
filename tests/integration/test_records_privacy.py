"""What the record tables and 核验 samples show of a person: every phone masked (the records
queries of the demo data, and of data holding phones of every shape, against the rule computed
again in Python from the raw records), and places exact only for the roles that go there."""
from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
import pytest

from cockpit import kpis
from cockpit.config import load_settings
from cockpit.marts import build as build_module
from cockpit.ops.loop import Actor
from cockpit.queries import QueryRunner
from cockpit.state import ViewState
from cockpit.views import drill, verify
from tests.unit.test_masking import masked

START, END = dt.date(2023, 1, 1), dt.date(2026, 11, 30)  # every record of the tiny data
EVERY = dict(prefix="31", start=START, end=END, limit=10_000_000, offset=0)
ALL = {"applications": dict(behind="apps", counted="apps"), "events": dict(behind="events", counted="events")}
PHONES = {"events": ("event_id", ["reporter_phone"]), "applications": ("app_id", ["applicant_phone", "rating_reason"])}
LEADER = Actor("leader", "city_leader", "310000")


def latest(frame: pd.DataFrame, id_col: str) -> pd.DataFrame:
    """Each record as the marts keep it: its last ingested state."""
    return frame.sort_values("ingested_at").drop_duplicates(id_col, keep="last").set_index(id_col)


def assert_masked(runner, raw):
    """Every record of both kinds, as the records queries return them: each phone column shown
    as the rule masks the raw value, and no five digits in a row left anywhere in them."""
    for kind, (id_col, columns) in PHONES.items():
        shown = runner.run(f"records_{kind}", **EVERY, **ALL[kind]).set_index(id_col)
        truth = latest(raw[kind], id_col).loc[shown.index]
        assert len(shown) > 1000
        for col in columns:
            given = truth[col].dropna()
            assert len(given) > 100, col
            assert shown.loc[given.index, col].tolist() == [masked(v) for v in given], col
            assert shown[col].isna().sum() == truth[col].isna().sum(), col
            assert not shown[col].dropna().str.contains(r"[0-9]{5}").any(), col


def test_the_demo_records_show_no_unmasked_phone(runner, raw):
    assert_masked(runner, raw)
    events = runner.run("records_events", **EVERY, **ALL["events"])
    assert events.reporter_phone.dropna().str.fullmatch(r"1[0-9]{2}\*{4}[0-9]{4}").all()


def shapes(phone: str) -> str:
    """The number written in one of the ways people write phones (chosen by its last digit, so
    a record sent twice keeps its shape)."""
    a, b, c = phone[:3], phone[3:7], phone[7:]
    return [phone, f"{a} {b} {c}", f"{a}-{b}-{c}", f"+86 {a} {b} {c}", f"+86{phone}", f"021-{b} {c}",
            f"(021){b}{c}", f"请回电{phone}，谢谢", f"{a}.{b}.{c}", f"（021）{b}-{c}"][int(phone[-1])]


@pytest.fixture(scope="module")
def shaped(tiny, tmp_path_factory):
    """The tiny raw data with its phones rewritten in every shape (and one in some rating
    reasons), built into marts of its own; (runner, raw frames)."""
    data = tmp_path_factory.mktemp("phone-shapes")
    shutil.copytree(tiny.settings.raw_dir, data / "raw")
    raw = {}
    for kind, column in (("events", "reporter_phone"), ("applications", "applicant_phone")):
        frames = []
        for part in sorted((data / "raw" / kind).glob("*.parquet")):
            frame = pd.read_parquet(part)
            phones = frame[column]
            frame[column] = [None if pd.isna(p) else shapes(p) for p in phones]
            if kind == "applications":
                told = frame.rating_reason.notna() & phones.notna() & phones.str.endswith(("1", "2", "3"))
                frame.loc[told, "rating_reason"] = frame.rating_reason[told] + "，有事打 " + phones[told]
            frame.to_parquet(part, index=False)
            frames.append(frame)
        raw[kind] = pd.concat(frames, ignore_index=True)
    settings = load_settings({"COCKPIT_DATA_DIR": str(data)})
    with pytest.MonkeyPatch.context() as patch:  # alerts and forecasts play no part here
        patch.setattr(build_module, "PYTHON_STEPS", [])
        build_module.build(settings, progress=lambda _: None)
    return QueryRunner(settings.marts_dir), raw


def test_phones_of_every_shape_are_masked_in_the_records(shaped):
    runner, raw = shaped
    assert_masked(runner, raw)
    reasons = runner.run("records_applications", **EVERY, **ALL["applications"]).rating_reason.dropna()
    assert reasons.str.contains("有事打 1[0-9]{2}\\*{4}[0-9]{4}$").sum() > 100


@pytest.mark.parametrize("viewer, exact", [
    (Actor("pudong_hd", "handler", "310115"), True),
    (LEADER, False), (Actor("pudong", "district_leader", "310115"), False),
    (Actor("cdo", "cdo", "310000"), False), (Actor("staff", "staff", "310000"), False),
    (Actor("admin", "admin", "310000"), False), (None, False)])
def test_places_are_exact_only_for_handlers(runner, raw, viewer, exact):
    state = ViewState("310115", dt.date(2026, 10, 1), dt.date(2026, 10, 31), "month", "yoy", "zh", kpi="events")
    truth = latest(raw["events"], "event_id")
    table = drill.records(runner, state, "events", viewer=viewer).set_index("event_id")
    sample = verify.behind(runner, state, kpis.by_id("events"), viewer=viewer)["sample"].set_index("event_id")
    assert len(table) == drill.PAGE_SIZE and len(sample) == verify.SAMPLE_SIZE
    for shown in (table, sample):
        places = truth.loc[shown.index, ["lon", "lat"]]
        expected = places if exact else places.round(3)
        pd.testing.assert_frame_equal(shown[["lon", "lat"]], expected, check_exact=True, check_names=False)
        digits = shown[["lon", "lat"]].map(lambda v: len(repr(v).split(".")[1]))
        assert (digits <= 3).all().all() != exact  # the raw places carry more than 3 decimals
