"""`python app.py` as it serves a city: gunicorn with two worker processes on a first start
(secret key, store and demo users made once, before the workers fork), sharing one Redis cache
whose keys expire, sessions valid on every worker, and compressed responses.

Needs a Redis server: COCKPIT_TEST_REDIS_URL (CI starts one); without it the test skips, unless
COCKPIT_REQUIRE_REDIS=1 makes that a failure."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import requests

from tests.conftest import app_server

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("COCKPIT_TEST_REDIS_URL", "")


@pytest.fixture(scope="module")
def redis_client():
    if not REDIS_URL:
        reason = "no Redis: set COCKPIT_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15)"
        if os.environ.get("COCKPIT_REQUIRE_REDIS") == "1":
            pytest.fail(reason + " (COCKPIT_REQUIRE_REDIS=1)")
        pytest.skip(reason)
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    return client


@pytest.fixture(scope="module")
def served(tiny, tmp_path_factory, redis_client):
    """A first start: the session's raw data and marts, no store, no secret key yet."""
    data = tmp_path_factory.mktemp("served")
    shutil.copytree(tiny.settings.raw_dir, data / "raw")
    shutil.copytree(tiny.settings.marts_dir, data / "marts")
    env = {"COCKPIT_DATA_DIR": str(data), "COCKPIT_WORKERS": "2", "COCKPIT_CACHE_URL": REDIS_URL,
           "COCKPIT_SECRET_KEY": ""}  # no key configured: the first start makes one
    with app_server(env, data / "server.log", wait=120) as (base, proc):
        yield base, proc, data


def _workers(proc) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def test_two_workers_share_logins_and_the_cache(served, redis_client):
    base, proc, data = served
    assert len(_workers(proc)) == 2
    session = requests.Session()
    login = session.post(base + "/login", data={"username": "leader", "password": "cockpit-demo", "next": "/"},
                         allow_redirects=False)
    assert login.status_code == 302
    # Many requests land on both workers: every one accepts the session (one secret key).
    answers = [session.get(base + "/api/services/channel.json", params={"unit": "310115"}) for _ in range(30)]
    assert [r.status_code for r in answers] == [200] * 30
    assert len({r.text for r in answers}) == 1
    keys = redis_client.keys("cockpit:*")
    assert keys, "the workers did not write to the shared cache"
    assert 0 < redis_client.ttl(keys[0]) <= 7 * 24 * 3600  # keys expire after their marts version
    assert (data / "secret_key").is_file()


def test_first_start_made_the_demo_users_once(served):
    import sqlalchemy as sa

    _, _, data = served
    engine = sa.create_engine(f"sqlite:///{data / 'ops.sqlite'}")
    with engine.connect() as conn:
        names = [r[0] for r in conn.execute(sa.text("SELECT username FROM users"))]
    engine.dispose()
    assert len(names) == len(set(names)) and {"leader", "pudong", "cdo"} <= set(names)


def test_responses_are_compressed(served):
    import brotli

    base, _, _ = served
    session = requests.Session()
    session.post(base + "/login", data={"username": "leader", "password": "cockpit-demo", "next": "/"})
    index = session.get(base + "/", headers={"Accept-Encoding": "br, gzip"})
    assert index.headers.get("Content-Encoding") == "br"
    scripts = re.findall(r'src="(/_dash-component-suites/[^"]+\.js[^"]*)"', index.text)
    assert scripts
    sent = whole = 0
    for src in scripts:
        resp = session.get(base + src, headers={"Accept-Encoding": "br"}, stream=True)
        body = resp.raw.read(decode_content=False)  # the bytes as they travelled
        assert resp.headers.get("Content-Encoding") == "br", src
        sent, whole = sent + len(body), whole + len(brotli.decompress(body))
    assert whole > 3 * sent and sent < 1.5 * 2**20, (sent, whole)
