"""Wall-screen (大屏) settings from the URL and the playlist file: which pages and units rotate,
how long each stays, how often data reloads. Pure functions; refusals carry i18n keys.

A playlist is a list of steps "path:unit" (e.g. "/screen:310115"), in the file
(`cockpit/playlists.toml`, or COCKPIT_PLAYLISTS) or in the URL (`?rotate=/screen:<city code>,/operations:310115`).
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from cockpit import units
from cockpit.params import whole

DEFAULT_PLAYLISTS = Path(__file__).parent / "playlists.toml"
PAGES = ("/screen", "/", "/services", "/operations", "/vitals", "/trends", "/kpis", "/quality")
EVERY = (5, 3600)  # seconds a step stays, bounds
REFRESH = (10, 86400)  # seconds between data reloads, bounds
MAX_STEPS = 50


class ScreenError(ValueError):
    def __init__(self, key: str, **args):
        super().__init__(f"{key} {args}")
        self.key, self.args_ = key, args


@dataclass(frozen=True)
class Step:
    path: str
    unit: str


@dataclass(frozen=True)
class Screen:
    """How a page shows on the wall: the rotation (if any), where it is, and the reload interval."""
    steps: tuple[Step, ...]
    every: int
    index: int
    refresh: int
    source: dict  # the URL parameters that name the rotation (playlist= or rotate=, every=)

    @property
    def next_url(self) -> str | None:
        if not self.steps:
            return None
        i = (self.index + 1) % len(self.steps)
        step = self.steps[i]
        return f"{step.path}?" + urlencode({"unit": step.unit, "screen": 1, **self.source, "step": i})


def parse_step(text: str) -> Step:
    path, _, unit = str(text).strip().partition(":")
    if path not in PAGES:
        raise ScreenError("screen.error.page", value=path[:40], pages=", ".join(PAGES))
    if not units.is_code(unit):
        raise ScreenError("screen.error.unit", value=unit[:20])
    return Step(path, unit)


def parse_steps(items) -> tuple[Step, ...]:
    steps = tuple(parse_step(s) for s in items if str(s).strip())
    if not steps or len(steps) > MAX_STEPS:
        raise ScreenError("screen.error.steps", n=MAX_STEPS)
    return steps


def seconds(text, bounds: tuple[int, int], key: str) -> int:
    value = whole(text, *bounds)
    if value is None:
        raise ScreenError(key, value=str(text).strip()[:12], low=bounds[0], high=bounds[1])
    return value


def load_playlists(path: Path) -> dict[str, tuple[tuple[Step, ...], int]]:
    """name -> (steps, seconds per step); a bad entry is refused naming the playlist and field."""
    try:
        data = tomllib.loads(Path(path).read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ScreenError("screen.error.file", path=str(path), reason=str(exc)[:120]) from None
    playlists = {}
    for n, entry in enumerate(data.get("playlist", []), start=1):
        name = entry.get("name")
        label = name if isinstance(name, str) and name else f"#{n}"
        if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9_-]{1,32}", name):
            raise ScreenError("screen.error.entry", entry=label, field="name")
        try:
            steps = parse_steps(entry.get("steps") or [])
        except ScreenError:
            raise ScreenError("screen.error.entry", entry=label, field="steps") from None
        try:
            every = seconds(entry.get("every", 30), EVERY, "screen.error.every")
        except ScreenError:
            raise ScreenError("screen.error.entry", entry=label, field="every") from None
        playlists[name] = (steps, every)
    return playlists


def parse_screen(params: dict, default_refresh: int, playlists_path: Path) -> tuple[Screen | None, list]:
    """The wall-screen settings of a page's URL (None when it is not shown on the wall), with
    messages (i18n key, args) for what was refused."""
    if params.get("screen") != "1":
        return None, []
    messages, steps, every, source = [], (), 30, {}
    try:
        if params.get("every"):
            every = seconds(params["every"], EVERY, "screen.error.every")
        if params.get("playlist"):
            steps, listed_every = load_playlists(playlists_path).get(params["playlist"], ((), None))
            if not steps:
                raise ScreenError("screen.error.playlist", value=str(params["playlist"])[:32])
            every = every if params.get("every") else listed_every
            source = {"playlist": params["playlist"]}
        elif params.get("rotate"):
            steps = parse_steps(str(params["rotate"])[:2000].split(","))
            source = {"rotate": params["rotate"]}
        if steps:
            source["every"] = every
    except ScreenError as exc:
        messages.append((exc.key, exc.args_))
        steps, source = (), {}
    refresh = default_refresh
    if params.get("refresh"):
        try:
            refresh = seconds(params["refresh"], REFRESH, "screen.error.refresh")
        except ScreenError as exc:
            messages.append((exc.key, exc.args_))
    index = (whole(params.get("step", "0"), 0, len(steps) - 1) or 0) if steps else 0
    return Screen(steps, every, index, refresh, source), messages
