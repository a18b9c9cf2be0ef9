"""What a running app shares with its pages: settings, the query runner, the caller's scope,
and the view of one render (state, scoped runner, card context) resolved from the URL."""
from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from dataclasses import dataclass, field, replace

from flask import has_request_context
from flask_login import current_user

from cockpit.config import Settings
from cockpit.ops import access
from cockpit.ops.loop import Actor
from cockpit.params import flat
from cockpit.queries import QueryRunner, ScopedRunner, ScopeError
from cockpit.playlists import Screen, parse_screen
from cockpit.state import ViewState, parse_state
from cockpit.units import CITY_CODE, CITY_PREFIX
from cockpit.views import data_range, freshness

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


def note_access(action: str, unit_code: str, what: str, rows: int | None = None) -> None:
    """Note in the access log that the caller is shown personal data (cockpit.ops.access); work
    done for nobody (command line, benchmarks) is not noted."""
    actor = current_actor()
    if actor is not None:
        access.note(store(), actor, action, unit_code, what, rows)


def scoped() -> ScopedRunner:
    """The runner bound to the caller's scope, for callbacks (a page render has view.run)."""
    return runner().scoped(current_scope())


def current_scope() -> str:
    """The unit-code prefix the caller may see: the logged-in user's unit. Outside a request
    (command line, benchmarks, tests of views) the whole city."""
    actor = current_actor()
    return CITY_PREFIX if actor is None else actor.prefix


@dataclass(frozen=True)
class View:
    """One render's context, made once per request from the URL: the state resolved for this
    caller (with messages for what was refused), the runner bound to the caller's scope, and
    what every card says about itself (unit, period, refresh time, theme). Pages, cards and
    callbacks take it; views take its runner and state."""
    state: ViewState
    messages: list  # (i18n key, args)
    first_day: dt.date
    last_day: dt.date
    crumbs: list  # [(unit_code, unit_name)] from the scope's root to the unit
    children: list  # [(unit_code, unit_name)]
    run: ScopedRunner
    freshness: dict  # views.freshness: newest record per source, build time and version (read once)
    screen: Screen | None = None  # shown on the wall screen (?screen=1, and /screen)
    waiting: list = field(default_factory=list)  # cards whose model is still being fitted

    @property
    def refreshed(self) -> str:
        """When the marts were built, as cards say it."""
        return self.freshness["built_at"].strftime("%Y-%m-%d %H:%M")

    @property
    def lang(self) -> str:
        return self.state.lang

    @property
    def unit_name(self) -> str:
        return self.crumbs[-1][1] if self.crumbs else self.state.unit

    @property
    def theme(self) -> str:
        return "dark" if self.screen else "light"  # figures.TEMPLATES

    @property
    def period(self) -> str:
        return f"{self.state.start:%Y-%m-%d} ~ {self.state.end:%Y-%m-%d}"


def resolve(params: dict) -> View:
    """URL parameters → the view for this caller, with messages for what was refused. A user
    asking for a unit outside their scope gets their own unit and a message."""
    params = flat(params)
    scope = current_scope()
    run = runner().scoped(scope)
    if "unit" not in params and scope != CITY_PREFIX:
        params = {**params, "unit": scope}  # a user's home view is their own unit
    first_day, last_day = data_range(run)
    state, messages = parse_state(params, first_day, last_day)
    crumbs = _crumbs(runner(), state.unit, scope)
    if crumbs is None:
        messages.append(("error.unit_scope" if _exists(runner(), state.unit) else "error.unit_unknown",
                         {"value": state.unit}))
        state = replace(state, unit=CITY_CODE if scope == CITY_PREFIX else scope)
        crumbs = _crumbs(runner(), state.unit, scope) or []
    children = run.run("children", unit=state.unit)
    screen, refused = parse_screen(params, settings().screen_refresh, settings().playlists)
    return View(state, messages + refused, first_day, last_day, crumbs,
                list(zip(children.unit_code, children.unit_name)), run, freshness(run), screen)


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
