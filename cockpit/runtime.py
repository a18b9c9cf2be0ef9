"""What a running app shares with its pages: settings, the query runner, the caller's scope,
and the view state resolved from the URL."""
from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from dataclasses import dataclass, replace

from flask import has_request_context
from flask_login import current_user

from cockpit.config import Settings
from cockpit.units import CITY_CODE
from cockpit.ops.loop import Actor
from cockpit.queries import QueryRunner, ScopeError
from cockpit.units import CITY_PREFIX
from cockpit.screen import Screen, parse_screen
from cockpit.state import ViewState, parse_state
from cockpit.views import data_range

_settings: Settings | None = None
_runner: QueryRunner | None = None
_store = None


def configure(settings: Settings, runner: QueryRunner, store=None) -> None:
    global _settings, _runner, _store
    _settings, _runner, _store = settings, runner, store


def settings() -> Settings:
    return _settings


def store():
    """The operational store (users, instructions)."""
    if _store is None:
        raise RuntimeError("the app has no operational store (cockpit.runtime.configure)")
    return _store


def runner() -> QueryRunner:
    if _runner is None:
        raise RuntimeError("the app is not configured (cockpit.runtime.configure)")
    return _runner


_acting: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("acting", default=None)


@contextlib.contextmanager
def acting_as(actor: Actor):
    """Work done outside a request on a user's behalf (a background export) sees what that
    user sees."""
    token = _acting.set(actor)
    try:
        yield
    finally:
        _acting.reset(token)


def current_actor() -> Actor | None:
    """The logged-in user as an Actor (or the user a background job acts for); None outside a
    request (command line, benchmarks)."""
    if _acting.get() is not None:
        return _acting.get()
    if not has_request_context():
        return None
    if not current_user.is_authenticated:
        raise ScopeError("not logged in")
    return current_user.actor


def current_scope() -> str:
    """The unit-code prefix the caller may see: the logged-in user's unit. Outside a request
    (command line, benchmarks, tests of views) the whole city."""
    actor = current_actor()
    return CITY_PREFIX if actor is None else actor.prefix


@dataclass(frozen=True)
class Resolved:
    state: ViewState
    messages: list  # (i18n key, args)
    first_day: dt.date
    last_day: dt.date
    crumbs: list  # [(unit_code, unit_name)] from the scope's root to the unit
    children: list  # [(unit_code, unit_name)]
    screen: Screen | None = None  # shown on the wall screen (?screen=1, and /screen)


def resolve(params: dict) -> Resolved:
    """URL parameters → a valid state for this caller, with messages for what was refused."""
    run, scope = runner(), current_scope()
    if "unit" not in params and scope != CITY_PREFIX:
        params = {**params, "unit": scope}  # a user's home view is their own unit
    first_day, last_day = data_range(run)
    state, messages = parse_state(params, first_day, last_day)
    crumbs = _crumbs(run, state.unit, scope)
    if crumbs is None:
        messages.append(("error.unit_scope" if _exists(run, state.unit) else "error.unit_unknown",
                         {"value": state.unit}))
        state = replace(state, unit=CITY_CODE if scope == CITY_PREFIX else scope)
        crumbs = _crumbs(run, state.unit, scope) or []
    children = run.run("children", scope, unit=state.unit)
    screen, refused = parse_screen(params, settings().screen_refresh, settings().playlists)
    return Resolved(state, messages + refused, first_day, last_day, crumbs,
                    list(zip(children.unit_code, children.unit_name)), screen)


def _crumbs(run: QueryRunner, unit: str, scope: str):
    try:
        frame = run.run("unit", scope, unit=unit)
    except ScopeError:
        return None
    if frame.empty or frame.unit_code.iloc[-1] != unit:
        return None
    frame = frame[frame.unit_code.str.startswith(scope)]
    return list(zip(frame.unit_code, frame.unit_name))


def _exists(run: QueryRunner, unit: str) -> bool:
    return not run.run("unit", CITY_PREFIX, unit=unit).empty
