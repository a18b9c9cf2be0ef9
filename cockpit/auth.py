"""Logins (flask-login): a plain login page, the session, and a guard that sends anyone not logged
in to it. Everything else (pages, callbacks, JSON) needs a login; the user's unit is their scope."""
from __future__ import annotations

import secrets
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

from flask import Flask, Response, make_response, redirect, request, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from markupsafe import escape

from cockpit.ops.store import Store
from cockpit.ops.users import actor, authenticate, end_sessions, get_user, is_disabled
from cockpit.params import is_site_path

OPEN_PATHS = ("/login", "/logout", "/health", "/assets/", "/_dash-component-suites/", "/favicon.ico")
# Failed logins allowed before a pause (each costs a scrypt hash): per account name, so nobody
# guesses one password from many addresses; and per address, so nobody tries many names.
FAILED_LOGINS = {"per_name": "5 per 15 minutes", "per_address": "20 per 15 minutes"}
# A session ends after this long without a request, and this long after its login, whatever it does.
IDLE_SECONDS, LONGEST_SECONDS = 30 * 60, 12 * 60 * 60


class User(UserMixin):
    def __init__(self, row: dict):
        self.row = row
        self.id = row["username"]

    @property
    def actor(self):
        return actor(self.row)


def secret_key(configured: str, data_dir: Path) -> str:
    """COCKPIT_SECRET_KEY, else a random key kept in the data folder (so several processes and
    restarts share sessions)."""
    if configured:
        return configured
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(secrets.token_hex(32))
        tmp.chmod(0o600)
        tmp.replace(path)
    return path.read_text().strip()


def safe_next(target: str | None) -> str:
    """Only a path on this site (cockpit.params.is_site_path), else the overview."""
    return target if is_site_path(target) else "/"


LOGIN_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>登录 · 城市数据驾驶舱</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/assets/00-bootstrap-5.3.9.min.css"><link rel="stylesheet" href="/assets/10-cockpit.css">
</head><body class="login-body"><main class="login-box card"><div class="card-body">
<h1 class="page-heading">数据驾驶舱 <small class="text-muted">City Data Cockpit</small></h1>
{error}
<form method="post" action="/login" id="login-form">
<input type="hidden" name="next" value="{next}">
<label class="form-label" for="username">用户名 Username</label>
<input class="form-control mb-2" id="username" name="username" autocomplete="username" required maxlength="32">
<label class="form-label" for="password">密码 Password</label>
<input class="form-control mb-3" id="password" name="password" type="password" autocomplete="current-password" required maxlength="128">
<button class="btn btn-primary w-100" type="submit" id="login-submit">登录 Log in</button>
</form></div></main></body></html>"""


def install(server: Flask, store: Store, key: str, limits_url: str = "") -> None:
    """Logins on the server; `limits_url` (redis://…) keeps the failed-login counts every worker
    shares (else each process counts its own)."""
    server.secret_key = key
    server.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                         REMEMBER_COOKIE_SAMESITE="Lax")
    manager = LoginManager(server)

    @manager.user_loader
    def _load(username: str):
        """The session's user while it holds: not disabled, not ended since (logout raises the
        account's session number), not idle too long, not older than the longest session."""
        row = get_user(store, username)
        now, opened, seen = time.time(), session.get("opened", 0), session.get("seen", 0)
        if (row is None or is_disabled(row) or session.get("number") != row["session_version"]
                or now - seen > IDLE_SECONDS or now - opened > LONGEST_SECONDS):
            session.clear()
            return None
        if now - seen > 60:  # (the cookie is written again at most once a minute)
            session["seen"] = now
        return User(row)

    @server.before_request
    def _same_site_only():
        """A request that changes something (a POST: login, logout, callbacks, uploads) from a
        page of another site is refused; browsers name the page's origin in `Origin` (else
        `Referer`). Defence beside SameSite cookies."""
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        sent = request.headers.get("Origin") or request.headers.get("Referer")
        if sent and _origin(sent) != _origin(request.host_url):
            return {"error": "a request from another site is refused"}, 403
        return None

    @server.before_request
    def _guard():
        if current_user.is_authenticated or request.path.startswith(OPEN_PATHS):
            return None
        if request.path.startswith(("/_dash-update-component", "/api/", "/evidence/", "/briefing/download/")):
            return {"error": "login required"}, 401
        return redirect("/login?next=" + quote(request.full_path.rstrip("?"), safe="/"))

    @server.get("/login")
    def _login_form():
        return LOGIN_PAGE.format(error="", next=escape(safe_next(request.args.get("next"))))

    limiter = Limiter(get_remote_address, app=server, storage_uri=limits_url if limits_url.startswith("redis://")
                      else "memory://", headers_enabled=True, key_prefix="cockpit-login")
    only_failures = dict(deduct_when=lambda response: response.status_code == 401, on_breach=_too_many)

    @server.post("/login")
    @limiter.limit(FAILED_LOGINS["per_name"], key_func=lambda: request.form.get("username", "")[:32].lower(),
                   scope="login-name", **only_failures)
    @limiter.limit(FAILED_LOGINS["per_address"], scope="login-address", **only_failures)
    def _login():
        user = authenticate(store, request.form.get("username", "")[:32], request.form.get("password", "")[:128])
        target = safe_next(request.form.get("next"))
        if user is None:
            error = '<div class="alert alert-danger py-2" id="login-error">用户名或密码错误 · Wrong username or password</div>'
            return LOGIN_PAGE.format(error=error, next=escape(target)), 401
        login_user(User(user))
        session.update(number=user["session_version"], opened=time.time(), seen=time.time())
        return redirect(target)

    @server.post("/logout")
    def _logout():
        """The end of the session: of every session of the account (a cookie copied before
        reads nothing after)."""
        if current_user.is_authenticated:
            end_sessions(store, current_user.id)
        logout_user()
        session.clear()
        return redirect("/login")

    @server.get("/logout")
    def _logout_page():
        """A plain link ends nothing (a page elsewhere could link here): it shows the login."""
        return redirect("/login")


def _too_many(limit) -> Response:
    """The login page saying why it pauses, with 429 and Retry-After (the limiter's headers)."""
    error = ('<div class="alert alert-warning py-2" id="login-error">登录失败次数过多，请稍后再试 · '
             'Too many failed logins: please wait a few minutes and try again</div>')
    return make_response(LOGIN_PAGE.format(error=error, next="/"), 429)


def _origin(url: str) -> tuple:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc.lower()
