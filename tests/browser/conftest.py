"""A real cockpit server on tiny demo data, and a real Chromium driven by Playwright.

Browser tests skip with a clear reason when no Chromium is installed, unless
COCKPIT_REQUIRE_BROWSER=1 (set by CI), which turns that skip into a failure."""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import app_server

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("COCKPIT_CHROMIUM", "/usr/bin/chromium")
ANCHOR = dt.date(2026, 11, 22)
# The tests' own checks evaluate script text in the page (wait_for_function), which the
# cockpit's content security policy forbids; test_overview_browser checks the policy itself in
# a context without this.
CONTEXT = {"bypass_csp": True}


def _need_browser():
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return
    reason = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("COCKPIT_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + " and COCKPIT_REQUIRE_BROWSER=1")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_data_dir(tmp_path_factory) -> Path:
    from cockpit.config import load_settings
    from cockpit.demo.generate import generate
    from cockpit.marts.build import build

    data = tmp_path_factory.mktemp("browser-data")
    generate(data / "raw", "tiny", 7, ANCHOR, progress=lambda _: None)
    build(load_settings({"COCKPIT_DATA_DIR": str(data)}), progress=lambda _: None)
    return data


@pytest.fixture(scope="session")
def server(browser_data_dir) -> str:
    """`python app.py` in a subprocess, exactly as a user starts it."""
    _need_browser()
    with app_server({"COCKPIT_DATA_DIR": str(browser_data_dir)}, browser_data_dir / "server.log") as (base, _):
        yield base


@pytest.fixture(scope="session")
def chromium():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


def log_in(page, server: str, username: str) -> None:
    """Log in through the login form, as a user does (every demo user has the demo password)."""
    from cockpit.ops.users import DEMO_PASSWORD

    page.goto(server + "/logout")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("#login-submit")
    assert page.locator("#login-error").count() == 0, f"login as {username} refused"
    page.wait_for_selector(".cockpit-navbar", timeout=60_000)


@contextlib.contextmanager
def logged_in(chromium, server: str, username: str = "leader"):
    """A page of a fresh browser context, logged in; a JavaScript error or a dialog on it fails
    the test when it ends."""
    context = chromium.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN", **CONTEXT)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    log_in(page, server, username)
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def page(chromium, server):
    """A fresh browser context logged in as the city leader."""
    with logged_in(chromium, server) as page:
        yield page
