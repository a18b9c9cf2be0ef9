"""Importing a city's records (cockpit.imports) on the Boston 311 samples (tests/data/boston311/,
a copy of ../shared/data/boston311/ with its README: source and licence): what is loaded equals pandas on the same file (the facts its README
lists), duplicates and malformed rows are quarantined with their reason, every row is either
loaded or quarantined, and a refused import writes nothing."""
from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from cockpit.imports import MAPPINGS, REASONS, ImportRefused, import_file, load_mapping

ROOT = Path(__file__).resolve().parents[2]
BOSTON = ROOT / "tests" / "data" / "boston311"
MAPPING = tomllib.loads((MAPPINGS / "boston311.toml").read_text("utf-8"))  # the mapping as data


def raw(name: str, sep: str = ",") -> pd.DataFrame:
    """The file as its README reads it: text, blank and a single space meaning missing."""
    frame = pd.read_csv(BOSTON / name, dtype=str, keep_default_na=False, sep=sep)
    return frame.replace({"": None, " ": None})


def loaded(data: Path, batch) -> pd.DataFrame:
    return pd.read_parquet(data / "imports" / "events" / f"{batch.hash[:16]}.parquet")


def test_the_boston_csv_loads_whole_and_its_facts_hold(tmp_path):
    batch = import_file(tmp_path, BOSTON / "boston311-100.csv", load_mapping("boston311"), progress=lambda _: None)
    assert (batch.read, batch.loaded, sum(batch.quarantined.values())) == (100, 100, 0)
    got, src = loaded(tmp_path, batch), raw("boston311-100.csv")
    assert got.id.tolist() == src.case_enquiry_id.tolist()
    status = src.case_status.map(MAPPING["values"]["status"])
    assert got.status.value_counts().to_dict() == status.value_counts().to_dict() == {"closed": 85, "open": 15}
    assert got.department.value_counts().to_dict() == src.department.value_counts().to_dict()
    assert got.department.value_counts().head(2).to_dict() == {"PWDx": 49, "BTDT": 31}
    sources = src.source.map(lambda s: MAPPING["values"]["source"].get(s, s))
    assert got.source.value_counts().to_dict() == sources.value_counts().to_dict()
    assert got.source.value_counts().to_dict() == {"app": 56, "hotline": 30, "worker": 11, "web": 3}
    assert got.level1.value_counts().to_dict() == src.neighborhood.value_counts().to_dict()
    assert got.level1.isna().sum() == src.neighborhood.isna().sum() > 0  # blank or a single space: no place
    hours = (got.closed - got.opened).dt.total_seconds() / 3600
    expected = (pd.to_datetime(src.closed_dt) - pd.to_datetime(src.open_dt)).dt.total_seconds() / 3600
    assert got.closed.notna().sum() == 85 and round(hours.median(), 3) == round(expected.median(), 3) == 16.157
    assert (hours.dropna() >= 0).all()


def test_duplicates_bad_rows_and_other_formats(tmp_path):
    mapping = load_mapping("boston311")
    dupes = import_file(tmp_path, BOSTON / "boston311-100-20dupes-random.csv", mapping, progress=lambda _: None)
    assert (dupes.read, dupes.loaded, dupes.quarantined["duplicate_id"]) == (100, 80, 20)
    assert loaded(tmp_path, dupes).id.is_unique

    bad = import_file(tmp_path, BOSTON / "boston311-100-bad.tsv", mapping, progress=lambda _: None)
    assert (bad.read, bad.loaded, bad.quarantined) == (100, 99, {r: int(r == "malformed_row") for r in REASONS})
    refused = pd.read_csv(tmp_path / "quarantine" / bad.hash[:16] / "rows.csv")
    assert refused.line.tolist() == [41] and refused.reason.tolist() == ["malformed_row"]
    assert refused.original.iloc[0].count("\t") == 29  # the original line, 30 fields
    assert (tmp_path / "quarantine" / bad.hash[:16] / "rows.parquet").exists()

    csv = import_file(tmp_path, BOSTON / "boston311-100.csv", mapping, progress=lambda _: None)
    jsonl = import_file(tmp_path, BOSTON / "boston311-100.jsonl", mapping, progress=lambda _: None)
    same = lambda b: loaded(tmp_path, b).drop(columns=["batch", "imported_at"])  # noqa: E731
    pd.testing.assert_frame_equal(same(jsonl), same(csv))


def test_each_refusal_has_its_reason_and_nothing_is_lost(tmp_path):
    head = "case_enquiry_id,open_dt,target_dt,closed_dt,case_status,type,department,source,latitude,longitude,location,neighborhood,ward,precinct"
    good = "1,2022-01-02 10:00:00,,2022-01-03 10:00:00,Closed,Pothole,PWDx,Self Service,42.35,-71.06,x,Roxbury,Ward 9,0901"
    rows = [good, good,  # the second a duplicate with identical content
            "2,2022-01-02 10:00:00,,,Open,Pothole,PWDx,Self Service,42.35,-71.06,x,Roxbury,Ward 9,0901",
            "2,2022-01-02 10:00:00,,2022-01-05 09:00:00,Closed,Pothole,PWDx,Self Service,42.35,-71.06,x,Roxbury,Ward 9,0901",  # a newer state: kept
            " ,2022-01-02 10:00:00,,,Open,Pothole,PWDx,Self Service,42.35,-71.06,x,Roxbury,Ward 9,0901",
            "4,02/01/2022 10am,,,Open,Pothole,PWDx,Self Service,42.35,-71.06,x,Roxbury,Ward 9,0901",
            "5,2022-01-02 10:00:00,,2022-01-01 10:00:00,Closed,Pothole,PWDx,Self Service,42.35,-71.06,x,Roxbury,Ward 9,0901",
            "6,2022-01-02 10:00:00,,,Open,Pothole,PWDx,Self Service,0,0,x,Roxbury,Ward 9,0901",
            "7,2022-01-02 10:00:00,,,Open,Pothole,PWDx,Self Service,142.35,-71.06,x,Roxbury,Ward 9,0901",
            "8,2022-01-02 10:00:00,,,Open,Pothole,PWDx,Self Service,north,-71.06,x,Roxbury,Ward 9,0901",
            "9,2022-01-02 10:00:00,,,Open,Pothole,PWDx,Self Service,42.35,-71.06,x,Roxbury,Ward 9,0901,extra",
            "10,2022-01-02 10:00:00,,,Open,Pothole,PWDx,Self Service,42.35,-71.06,x,Roxbury, ,0901"]  # no ward
    path = tmp_path / "requests.csv"
    path.write_text("\n".join([head, *rows]) + "\n", "utf-8")
    required = tmp_path / "required.toml"  # places required: a row without one is refused
    required.write_text((MAPPINGS / "boston311.toml").read_text("utf-8") + "required = true\n", "utf-8")
    batch = import_file(tmp_path, path, load_mapping(str(required)), progress=lambda _: None)
    assert batch.read == len(rows) == batch.loaded + sum(batch.quarantined.values())
    assert batch.quarantined == {"malformed_row": 1, "missing_id": 1, "unparseable_time": 1, "closed_before_opened": 1,
                                 "bad_coordinates": 3, "bad_number": 0, "bad_rating": 0, "unknown_type": 0,
                                 "unknown_place": 1, "duplicate_id": 1}
    assert sorted(loaded(tmp_path, batch).id) == ["1", "2", "2"]
    refused = pd.read_csv(tmp_path / "quarantine" / batch.hash[:16] / "rows.csv")
    assert sorted(refused.line) == [3, 6, 7, 8, 9, 10, 11, 12, 13]  # file lines (the header is line 1)


def test_a_second_import_of_the_same_file_does_nothing_and_a_refused_one_writes_nothing(tmp_path):
    mapping = load_mapping("boston311")
    first = import_file(tmp_path, BOSTON / "boston311-100.csv", mapping, progress=lambda _: None)
    again = import_file(tmp_path, BOSTON / "boston311-100.csv", mapping, progress=lambda _: None)
    assert not first.skipped and again.skipped
    assert len((tmp_path / "imports" / "log.jsonl").read_text().splitlines()) == 1
    empty = tmp_path / "other"
    wrong = tmp_path / "wrong.toml"
    wrong.write_text((MAPPINGS / "boston311.toml").read_text("utf-8").replace('"case_status"', '"no_such_column"'))
    with pytest.raises(ImportRefused, match="no column 'no_such_column'"):
        import_file(empty, BOSTON / "boston311-100.csv", load_mapping(str(wrong)), progress=lambda _: None)
    assert not empty.exists()
    result = subprocess.run([sys.executable, "-m", "cockpit", "import", "events", str(BOSTON / "README.md"),
                             "--mapping", "boston311"], cwd=ROOT, capture_output=True, text=True,
                            env={"COCKPIT_DATA_DIR": str(empty), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 2 and "unknown format" in result.stderr and not empty.exists()


def test_an_open311_requests_json_with_bad_rows_of_every_reason(tmp_path):
    """Open311 GeoReport v2: times with offsets, put in the city's time zone; a closed request
    closed at its update. Each kind of bad row is counted under its reason."""
    import json

    def request(i, **kw):
        return {"service_request_id": str(i), "status": "open", "service_name": "Pothole", "service_code": "PH",
                "agency_responsible": "PWD", "requested_datetime": "2022-01-02T10:00:00-05:00",
                "updated_datetime": "2022-01-03T12:30:00-05:00", "expected_datetime": "2022-01-09T10:00:00-05:00",
                "lat": 42.35, "long": -71.06, "address": "1 City Hall Sq", "zipcode": "02201", **kw}
    rows = [request(1, status="closed"), request(1, status="closed"),  # the same content twice
            request(2), request(3, requested_datetime="2022-01-02T15:00:00Z"),
            "not a request", 17,  # malformed: not objects
            request(""), request(4, requested_datetime="yesterday"),
            request(5, status="closed", updated_datetime="2022-01-01T09:00:00-05:00"),
            request(6, lat=0, long=0), request(7, lat=91.0), request(8, long="west"),
            request(9, zipcode="")]  # no place, where the city requires one
    mapping = load_mapping("open311")
    mapping = type(mapping)(**{**mapping.__dict__, "timezone": "America/New_York", "place_required": True})
    path = tmp_path / "requests.json"
    path.write_text(json.dumps(rows), "utf-8")
    batch = import_file(tmp_path, path, mapping, progress=lambda _: None)
    assert batch.read == len(rows) == batch.loaded + sum(batch.quarantined.values())
    assert batch.quarantined == {"malformed_row": 2, "missing_id": 1, "unparseable_time": 1, "closed_before_opened": 1,
                                 "bad_coordinates": 3, "bad_number": 0, "bad_rating": 0, "unknown_type": 0,
                                 "unknown_place": 1, "duplicate_id": 1}  # (Open311 has no rating, number or type)
    got = loaded(tmp_path, batch).set_index("id")
    assert sorted(got.index) == ["1", "2", "3"]
    assert str(got.opened["1"]) == "2022-01-02 10:00:00" and str(got.closed["1"]) == "2022-01-03 12:30:00"
    assert str(got.opened["3"]) == "2022-01-02 10:00:00"  # 15:00 UTC is 10:00 in Boston
    assert pd.isna(got.closed["2"]) and got.status.to_dict() == {"1": "closed", "2": "open", "3": "open"}
    refused = pd.read_csv(tmp_path / "quarantine" / batch.hash[:16] / "rows.csv")
    assert sorted(refused.line) == [2, 5, 6, 7, 8, 9, 10, 11, 12, 13]  # elements, counted from 1


def marts(data: Path):
    import duckdb

    from cockpit.marts.build import current_version, mart_path

    return duckdb.connect(str(mart_path(data / "marts", current_version(data / "marts"))), read_only=True)


def test_boston_alone_builds_marts_that_equal_pandas_on_its_files(tmp_path, monkeypatch):
    """Imported data with no demo data: the three Boston files build marts whose units are its
    neighborhoods, wards and precincts, whose numbers equal pandas on the files (each request
    once), in Boston's time zone; a later import keeps every unit's code."""
    from cockpit.config import city_zone, load_settings
    from cockpit.marts.build import build

    data = tmp_path / "boston"
    for name in ("boston311-100.csv", "boston311-100-20dupes-random.csv", "boston311-100-bad.tsv"):
        import_file(data, BOSTON / name, load_mapping("boston311"), progress=lambda _: None)
    build(load_settings({"COCKPIT_DATA_DIR": str(data)}), progress=lambda _: None)
    files = pd.concat([raw("boston311-100.csv"), raw("boston311-100-20dupes-random.csv"),
                       pd.read_csv(BOSTON / "boston311-100-bad.tsv", dtype=str, keep_default_na=False, sep="\t",
                                   on_bad_lines="skip").replace({"": None, " ": None})])
    files = files.apply(lambda c: c.str.strip())
    requests = files.drop_duplicates().drop_duplicates("case_enquiry_id", keep="last")
    assert len(requests) == requests.case_enquiry_id.nunique()  # no id with two different contents here
    with marts(data) as con:
        city = con.execute("SELECT sum(events), sum(events_open), sum(events_closed), sum(events_close_seconds) "
                           "FROM unit_daily WHERE unit_level = 1").fetchone()
        by_neighborhood = dict(con.execute(
            "SELECT u.unit_name, sum(d.events)::INT FROM unit_daily d JOIN units u USING (unit_code) "
            "WHERE d.unit_level = 2 GROUP BY ALL").fetchall())
        units = con.execute("SELECT unit_code, unit_name, unit_level, parent_code FROM units").df()
        times = con.execute("SELECT min(report_time)::VARCHAR, max(close_time)::VARCHAR FROM stg_events").fetchone()
    closed = requests[requests.closed_dt.notna()]
    hours = (pd.to_datetime(closed.closed_dt) - pd.to_datetime(closed.open_dt)).dt.total_seconds()
    assert city == (len(requests), (requests.case_status == "Open").sum(), len(closed), hours.sum())
    assert by_neighborhood == requests.neighborhood.fillna("(not given)").value_counts().to_dict()
    assert times == (requests.open_dt.min(), requests.closed_dt.max())  # Boston's local times, as written
    places = requests[["neighborhood", "ward", "precinct"]].fillna("(not given)").drop_duplicates()
    assert units.unit_level.value_counts().sort_index().tolist() == [
        1, places.neighborhood.nunique(), len(places[["neighborhood", "ward"]].drop_duplicates()), len(places)]
    below = units[units.unit_level > 1].merge(units[["unit_code"]].rename(columns={"unit_code": "parent_code"}))
    assert len(below) == len(units) - 1
    assert all(c.startswith(p if p != "310000" else "31") for c, p in zip(below.unit_code, below.parent_code))
    monkeypatch.setenv("COCKPIT_DATA_DIR", str(data))
    assert city_zone().key == "America/New_York"

    # A later export: a request open before is closed now, and one names a new neighborhood.
    # The request counts once, closed; every unit keeps its code, the new ones get the next.
    placed = requests[["neighborhood", "ward", "precinct"]].notna().all(axis=1)
    still_open = requests[(requests.case_status == "Open") & placed].iloc[0]
    later = tmp_path / "later.csv"
    later.write_text("case_enquiry_id,open_dt,target_dt,closed_dt,case_status,type,department,source,latitude,"
                     "longitude,location,neighborhood,ward,precinct\n"
                     f"{still_open.case_enquiry_id},{still_open.open_dt},,2022-02-03 09:00:00,Closed,Pothole,PWDx,"
                     f"Self Service,42.35,-71.06,x,{still_open.neighborhood},{still_open.ward},{still_open.precinct}\n"
                     "900,2022-02-01 10:00:00,,,Open,Pothole,PWDx,Self Service,42.35,-71.06,x,Allston,Ward 21,2101\n")
    import_file(data, later, load_mapping("boston311"), progress=lambda _: None)
    after = pd.read_parquet(data / "imports" / "units.parquet")
    pd.testing.assert_frame_equal(after.head(len(units)).sort_values("unit_code").reset_index(drop=True),
                                  units.sort_values("unit_code").reset_index(drop=True), check_dtype=False)
    assert after.unit_code.is_unique and len(after) == len(units) + 3
    build(load_settings({"COCKPIT_DATA_DIR": str(data)}), progress=lambda _: None)
    with marts(data) as con:
        now = con.execute("SELECT sum(events), sum(events_open), sum(events_closed) FROM unit_daily "
                          "WHERE unit_level = 1").fetchone()
        state = con.execute("SELECT status, close_time::VARCHAR FROM stg_events WHERE event_id = ?",
                            [still_open.case_enquiry_id]).fetchall()
    assert now == (city[0] + 1, city[1] - 1 + 1, city[2] + 1)  # +1 new open request, one open one closed
    assert state == [("closed", "2022-02-03 09:00:00")]


def test_the_json_lines_file_builds_the_same_marts_as_the_csv(tmp_path):
    from cockpit.config import load_settings
    from cockpit.marts.build import build

    tables = {}
    for name in ("boston311-100.csv", "boston311-100.jsonl"):
        data = tmp_path / name
        import_file(data, BOSTON / name, load_mapping("boston311"), progress=lambda _: None)
        build(load_settings({"COCKPIT_DATA_DIR": str(data)}), progress=lambda _: None)
        with marts(data) as con:
            tables[name] = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").df()
                            for t in ("units", "unit_daily", "events_open", "stg_events")}
    for table, frame in tables["boston311-100.csv"].items():
        pd.testing.assert_frame_equal(frame, tables["boston311-100.jsonl"][table], obj=table)
    assert tables["boston311-100.csv"]["unit_daily"].query("unit_level == 1").events.sum() == 100


APPLICATIONS_MAPPING = """
source = "applications"
timezone = "America/New_York"
missing = [""]

[columns]
id = "application_no"
opened = "submitted"
closed = "completed"
deadline = "due"
status = "state"
category = "service"
department = "agency"
source = "channel"
applicant_type = "applicant"
rating = "stars"

[values.status]
Done = "completed"
"In progress" = "processing"
Rejected = "rejected"

[values.source]
Web = "online"
"Phone app" = "mobile"
Counter = "counter"

[hierarchy]
city_name = "Boston"
levels = ["neighborhood", "ward", "precinct"]
"""


def test_applications_import_beside_the_events_and_build_marts_equal_to_pandas(tmp_path):
    """Service applications (一网通办) in the city's own words, imported beside Boston's
    requests: counts, completions, on-time completions and ratings per neighborhood equal
    pandas on the file; a rating that is not 1 to 5 stars is refused."""
    import numpy as np

    from cockpit.config import load_settings
    from cockpit.marts.build import build
    import datetime as dt

    from cockpit.queries import QueryRunner
    from cockpit.state import ViewState
    from cockpit.views import freshness, kpi_tiles

    rng = np.random.default_rng(5)
    n = 300
    places = [("Dorchester", "Ward 16", "1611"), ("Roxbury", "Ward 13", "1301"), ("Back Bay", "Ward 5", "0508")]
    where = rng.integers(0, len(places), n)
    submitted = pd.Timestamp("2022-01-03 08:00") + pd.to_timedelta(rng.integers(0, 27 * 24 * 60, n), unit="min")
    promised = rng.integers(1, 8, n)
    taken = pd.to_timedelta(rng.integers(60, 10 * 24 * 60, n), unit="min")
    state = rng.choice(["Done", "In progress", "Rejected"], n, p=[0.8, 0.15, 0.05])
    frame = pd.DataFrame({
        "application_no": [f"A{i:05d}" for i in range(n)],
        "submitted": submitted.strftime("%Y-%m-%d %H:%M:%S"),
        "completed": np.where(state == "Done", (submitted + taken).strftime("%Y-%m-%d %H:%M:%S"), ""),
        "due": ((submitted + pd.to_timedelta(promised, unit="D")).normalize()  # the close of business
                + pd.Timedelta(hours=17)).strftime("%Y-%m-%d %H:%M:%S"),
        "state": state, "service": rng.choice(["Parking permit", "Business licence"], n),
        "agency": rng.choice(["BTD", "ISD"], n), "channel": rng.choice(["Web", "Phone app", "Counter"], n),
        "applicant": rng.choice(["person", "enterprise"], n),
        "stars": np.where((state == "Done") & (rng.random(n) < 0.6), rng.integers(1, 6, n).astype(str), ""),
        "neighborhood": [places[i][0] for i in where], "ward": [places[i][1] for i in where],
        "precinct": [places[i][2] for i in where]})
    frame.loc[7, "stars"] = "4.5"  # not a number of stars: refused
    path, mapping = tmp_path / "applications.csv", tmp_path / "applications.toml"
    frame.to_csv(path, index=False)
    mapping.write_text(APPLICATIONS_MAPPING, "utf-8")

    data = tmp_path / "data"
    import_file(data, BOSTON / "boston311-100.csv", load_mapping("boston311"), progress=lambda _: None)
    batch = import_file(data, path, load_mapping(str(mapping)), progress=lambda _: None)
    assert (batch.read, batch.loaded, batch.quarantined["bad_rating"]) == (n, n - 1, 1)
    settings = load_settings({"COCKPIT_DATA_DIR": str(data)})
    build(settings, progress=lambda _: None)

    kept = frame.drop(index=7)
    done = kept[kept.state == "Done"]
    on_time = pd.to_datetime(done.completed) <= pd.to_datetime(done.submitted) + pd.to_timedelta(
        np.ceil((pd.to_datetime(done.due) - pd.to_datetime(done.submitted)).dt.total_seconds() / 86400), unit="D")
    stars = pd.to_numeric(done.stars, errors="coerce")
    expected = pd.DataFrame({
        "apps": kept.groupby("neighborhood").size(), "apps_completed": done.groupby("neighborhood").size(),
        "apps_on_time": on_time.groupby(done.neighborhood).sum(),
        "apps_rated": stars.notna().groupby(done.neighborhood).sum(),
        "apps_rated_good": (stars >= 4).groupby(done.neighborhood).sum(),
        "apps_online": kept.channel.isin(["Web", "Phone app"]).groupby(kept.neighborhood).sum()}).astype("int64")
    with marts(data) as con:
        got = con.execute(f"""SELECT u.unit_name AS neighborhood, {", ".join(f"sum({c})::BIGINT AS {c}" for c in expected)}
                              FROM unit_daily d JOIN units u USING (unit_code)
                              WHERE d.unit_level = 2 AND d.apps > 0 GROUP BY ALL ORDER BY 1""").df()
        events = con.execute("SELECT sum(events) FROM unit_daily WHERE unit_level = 1").fetchone()[0]
    pd.testing.assert_frame_equal(got.set_index("neighborhood"), expected.sort_index(), check_names=False)
    assert events == 100  # the requests beside them, unchanged
    runner = QueryRunner(settings.marts_dir)
    try:
        assert freshness(runner)["empty"] == ["readings"]  # the pages now say only that
        # what the files do not say is no data, not 0: no "full online" flag, no repeat mark
        assert set(runner.run("unknown_measures").measure) == {"apps_full_online", "apps_cross_district",
                                                               "events_repeat"}
        state = ViewState("310000", dt.date(2022, 1, 1), dt.date(2022, 1, 31), "month", "yoy", "zh")
        tiles = {t["kpi_id"]: t["value"] for t in kpi_tiles(runner, state, ["online_rate", "full_online_rate",
                                                                            "repeat_rate"])["tiles"]}
        assert tiles["full_online_rate"] is None and tiles["repeat_rate"] is None
        assert tiles["online_rate"] == pytest.approx(100 * expected.apps_online.sum() / expected.apps.sum())
    finally:
        runner.close()


def test_a_city_gives_its_own_units_file_and_rows_name_their_unit_by_code(tmp_path):
    """[hierarchy] units = a CSV (code, parent, level, name): every unit of it is in the marts,
    records or not, under codes of the cockpit's scheme; a row naming a code the file lacks is
    refused as unknown_place; a file that is not one tree is refused whole."""
    from cockpit.config import load_settings
    from cockpit.marts.build import build

    units = tmp_path / "units.csv"
    units.write_text("code,parent,level,name\nC,,1,Springfield\nN,C,2,North\nS,C,2,South\n"
                     "N-1,N,3,Elm\nN-2,N,3,Oak\nS-1,S,3,Elm\nS-9,S,3,Quiet\n", "utf-8")  # Quiet: no records
    mapping = tmp_path / "springfield.toml"
    mapping.write_text('source = "events"\ntimezone = "America/Chicago"\n[columns]\nid = "id"\nopened = "opened"\n'
                       'status = "status"\n[hierarchy]\ncity_name = "Springfield"\nunits = "units.csv"\n'
                       'code = "area"\n', "utf-8")
    rows = tmp_path / "requests.csv"
    rows.write_text("id,opened,status,area\n1,2024-03-01 08:00,open,N-1\n2,2024-03-01 09:00,closed,N-2\n"
                    "3,2024-03-02 10:00,open,S-1\n4,2024-03-02 11:00,open,S-1\n5,2024-03-03 12:00,open,X-7\n"
                    "6,2024-03-03 12:00,open,\n", "utf-8")
    data = tmp_path / "data"
    batch = import_file(data, rows, load_mapping(str(mapping)), progress=lambda _: None)
    assert (batch.read, batch.loaded, batch.quarantined["unknown_place"]) == (6, 4, 2)
    build(load_settings({"COCKPIT_DATA_DIR": str(data)}), progress=lambda _: None)
    with marts(data) as con:
        got = con.execute("""SELECT u.unit_level, u.unit_name, p.unit_name AS parent, coalesce(sum(d.events), 0)::INT
                             FROM units u LEFT JOIN units p ON p.unit_code = u.parent_code
                             LEFT JOIN grid_daily d ON d.grid_code = u.unit_code
                             WHERE u.unit_level = 3 GROUP BY ALL ORDER BY 3, 2""").fetchall()
        city = con.execute("SELECT unit_code, unit_name FROM units WHERE unit_level = 1").fetchall()
    assert got == [(3, "Elm", "North", 1), (3, "Oak", "North", 1), (3, "Elm", "South", 2), (3, "Quiet", "South", 0)]
    assert city == [("310000", "Springfield")]

    for text, problem in (("code,parent,level,name\nC,,1,X\nA,B,2,Y\n", "a unit's parent is not a unit one level up: A"),
                          ("code,parent,level,name\nC,,1,X\nA,C,2,Y\nB,C,2,Y\n", "two units of one parent have one name: Y"),
                          ("code,parent,level,name\nC,,1,X\nA,C,2,Y\nA,C,2,Z\n", "codes repeat: A"),
                          ("code,parent,level,name\nC,,1,X\nD,,1,Z\n", "one unit of level 1"),
                          ("code,name\nC,X\n", "the columns must be code, parent, level, name")):
        units.write_text(text, "utf-8")
        with pytest.raises(ImportRefused, match=re.escape(problem)):
            load_mapping(str(mapping))


def test_sensors_and_their_readings_build_the_vital_signs(tmp_path):
    """A city's sensor list and an hourly readings export beside Boston's requests: per sensor
    and day, readings, breaches and the pooled sum equal pandas on the files; a sensor of a
    kind the cockpit does not show, an unreadable value or time, and a reading sent twice are
    refused with their reason; an overlapping later export counts each reading once."""
    from cockpit.config import load_settings
    from cockpit.marts.build import build

    sensors = tmp_path / "sensors.csv"
    sensors.write_text("sensor,kind,unit,high,low,lat,lon,neighborhood,ward,precinct\n"
                       "S1,PM2.5,ug/m3,75,,42.30,-71.06,Dorchester,Ward 16,1611\n"
                       "S2,Flood gauge,m,4.6,,42.33,-71.08,Roxbury,Ward 13,1301\n"
                       "S3,Noise,dB,70,,42.35,-71.06,Back Bay,Ward 5,0508\n", "utf-8")  # noise: not shown
    (tmp_path / "sensors.toml").write_text(
        'source = "sensors"\ntimezone = "America/New_York"\n[columns]\nid = "sensor"\ntype = "kind"\nuom = "unit"\n'
        'warn_high = "high"\nwarn_low = "low"\nlat = "lat"\nlon = "lon"\n'
        '[values.type]\n"PM2.5" = "air_pm25"\n"Flood gauge" = "water_level"\n'
        '[hierarchy]\ncity_name = "Boston"\nlevels = ["neighborhood", "ward", "precinct"]\n', "utf-8")
    (tmp_path / "readings.toml").write_text(
        'source = "readings"\ntimezone = "America/New_York"\n[columns]\nid = "sensor"\ntime = "at"\nvalue = "reading"\n',
        "utf-8")
    hours = pd.date_range("2022-01-10", periods=72, freq="h")
    frame = pd.concat([pd.DataFrame({"sensor": s, "at": hours.strftime("%Y-%m-%d %H:%M:%S"),
                                     "reading": [round(v, 1) for v in base + 40 * abs(((hours.hour - 12) / 12))]})
                       for s, base in (("S1", 50.0), ("S2", 2.0))], ignore_index=True)
    bad = pd.DataFrame({"sensor": ["S1", "S2", "S1"], "at": ["2022-01-13 00:00:00", "soon", frame.at[0, "at"]],
                        "reading": ["high", "3.0", str(frame.at[0, "reading"])]})  # a value, a time, sent twice
    readings = tmp_path / "readings.csv"
    pd.concat([frame, bad], ignore_index=True).to_csv(readings, index=False)

    data = tmp_path / "data"
    import_file(data, BOSTON / "boston311-100.csv", load_mapping("boston311"), progress=lambda _: None)
    placed = import_file(data, sensors, load_mapping(str(tmp_path / "sensors.toml")), progress=lambda _: None)
    assert (placed.loaded, placed.quarantined["unknown_type"]) == (2, 1)
    batch = import_file(data, readings, load_mapping(str(tmp_path / "readings.toml")), progress=lambda _: None)
    assert batch.read == len(frame) + 3 == batch.loaded + sum(batch.quarantined.values())
    assert {r: n for r, n in batch.quarantined.items() if n} == {"bad_number": 1, "unparseable_time": 1,
                                                                 "duplicate_id": 1}
    later = tmp_path / "later.csv"  # the last day again, and one hour more
    pd.concat([frame[frame["at"] >= "2022-01-12"],
               pd.DataFrame({"sensor": ["S1"], "at": ["2022-01-13 00:00:00"], "reading": [80.0]})]).to_csv(later, index=False)
    import_file(data, later, load_mapping(str(tmp_path / "readings.toml")), progress=lambda _: None)
    build(load_settings({"COCKPIT_DATA_DIR": str(data)}), progress=lambda _: None)

    every = pd.concat([frame, pd.DataFrame({"sensor": ["S1"], "at": ["2022-01-13 00:00:00"], "reading": [80.0]})])
    every["day"] = pd.to_datetime(every["at"]).dt.date
    every["breach"] = every.reading > every.sensor.map({"S1": 75.0, "S2": 4.6})
    expected = every.groupby(["sensor", "day"]).agg(readings=("reading", "size"), breaches=("breach", "sum"),
                                                    sum_value=("reading", "sum")).reset_index()
    with marts(data) as con:
        got = con.execute("SELECT sensor_id AS sensor, day, readings, breaches, sum_value FROM vitals_daily "
                          "ORDER BY 1, 2").df()
        types = dict(con.execute("SELECT sensor_id, sensor_type FROM sensors").fetchall())
    got["day"] = pd.to_datetime(got.day).dt.date
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert types == {"S1": "air_pm25", "S2": "water_level"} and expected.breaches.sum() > 0


def test_every_reason_and_source_has_words_in_both_languages():
    """The import log on /quality names each batch's source and reasons: none may be missing."""
    from cockpit.i18n import MESSAGES
    from cockpit.imports import SOURCES

    for lang in ("zh", "en"):
        assert all(f"import.reason.{r}" in MESSAGES[lang] for r in REASONS), lang
        assert all(f"records.{s}" in MESSAGES[lang] for s in SOURCES), lang
