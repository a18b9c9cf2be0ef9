"""Named read queries over the marts, and the runner every page goes through.

The runner binds parameters (never formats them into SQL), applies the caller's unit scope,
gives each thread its own read-only DuckDB cursor on the current marts version (with the macros
of macros/*.sql), times every query, and caches results keyed by (query name and text,
parameters, scope, marts version).
"""
from __future__ import annotations

import collections
import hashlib
import json
import logging
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
from flask import Flask
from flask_caching import Cache

from cockpit.marts.build import current_version, mart_path
from cockpit.units import CITY_PREFIX, prefix_of

QUERY_DIR = Path(__file__).parent
MACRO_DIR = QUERY_DIR / "macros"
_PARAM = re.compile(r"\$([a-z_]+)")
log = logging.getLogger("cockpit.queries")


class ScopeError(PermissionError):
    """A query asked for a unit outside the caller's scope."""


class NoMartsError(RuntimeError):
    pass


@dataclass(frozen=True)
class Query:
    name: str
    sql: str
    params: frozenset[str]
    scoped: bool
    cached: bool  # False: "-- cache: none" (results used once, kept by the caller in its own form)


def load_queries(folder: Path = QUERY_DIR) -> dict[str, Query]:
    queries = {}
    for path in sorted(folder.glob("*.sql")):
        sql = path.read_text("utf-8")
        params = frozenset(_PARAM.findall(sql))
        scoped = "-- scope: none" not in sql
        if scoped and "scope" not in params:
            raise ValueError(f"query {path.name} reads unit data but does not filter by $scope")
        queries[path.stem] = Query(path.stem, sql, params, scoped, "-- cache: none" not in sql)
    return queries


def load_macros(folder: Path = MACRO_DIR) -> str:
    """The SQL that creates the macros queries call (macros/*.sql: mask_phones). The runner runs
    it on every cursor it opens (a cursor is a connection of its own, and a temporary macro
    belongs to its connection), so the marts file stays as the build made it."""
    return "\n".join(path.read_text("utf-8") for path in sorted(folder.glob("*.sql")))


SHARED_TTL = 7 * 24 * 3600  # seconds: keys name their marts version, so old ones only wait to expire
RECENT = 512  # results kept as objects in each process, in front of the (pickling) shared cache
KEPT = 256  # local memos (a district's streets' days: ~10 MB): apart, so a stream of query results cannot evict them
VERSION_TTL = 1.0  # seconds a read of the CURRENT pointer is trusted
_NONE = "__none__"  # a cached None (a forecast of a series too short to fit)


def make_cache(url: str = "", app: Flask | None = None) -> Cache:
    """A flask-caching cache: in-process by default, Redis when `url` is redis://… (shared by
    every worker process)."""
    config = {"CACHE_DEFAULT_TIMEOUT": 0, "CACHE_THRESHOLD": 2000}
    if url.startswith("redis://"):
        config.update(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=url, CACHE_KEY_PREFIX="cockpit:",
                      CACHE_DEFAULT_TIMEOUT=SHARED_TTL)
    else:
        config.update(CACHE_TYPE="SimpleCache")
    return Cache(app or Flask("cockpit-cache"), config=config)


class QueryRunner:
    def __init__(self, marts_dir: Path, cache: Cache | None = None, folder: Path = QUERY_DIR):
        self.marts_dir = Path(marts_dir)
        self._lock = threading.Lock()
        self._recent: collections.OrderedDict = collections.OrderedDict()
        self._kept: collections.OrderedDict = collections.OrderedDict()
        self.cache = cache or make_cache()
        self.queries = load_queries(folder)
        self.macros = load_macros()
        # Each query's SQL with the macros, in its cache keys: a shared cache outlives a deploy that
        # changes them (new masking) while the marts version stays.
        self._texts = {name: hashlib.sha1((q.sql + self.macros).encode()).hexdigest()
                       for name, q in self.queries.items()}
        self.timings: collections.deque = collections.deque(maxlen=5000)
        self._local = threading.local()
        self._connections: dict[str, duckdb.DuckDBPyConnection] = {}
        self._version: tuple[float, str | None] = (0.0, None)

    @property
    def cache(self) -> Cache:
        return self._cache

    @cache.setter
    def cache(self, cache: Cache) -> None:
        """A new cache starts empty here too (the benchmark's cold runs set one)."""
        with self._lock:
            self._cache, self._recent, self._kept = cache, collections.OrderedDict(), collections.OrderedDict()

    # -- versions and cursors
    def version(self) -> str:
        """The marts version serving now (the pointer is read again after VERSION_TTL: a page
        runs dozens of queries, and a new build may wait a second to be seen)."""
        checked, version = self._version
        if version is None or time.monotonic() - checked > VERSION_TTL:
            version = current_version(self.marts_dir)
            if version is None:
                raise NoMartsError(f"no marts in {self.marts_dir}: run `python -m cockpit build`")
            self._version = (time.monotonic(), version)
        return version

    def close(self) -> None:
        """Close the DuckDB handles (before a server forks its workers)."""
        with self._lock:
            for con in self._connections.values():
                con.close()
            self._connections = {}
        self._local = threading.local()
        self._version = (0.0, None)

    # -- the cache: recent results as objects, then the configured (maybe shared) cache
    def _get(self, key: str, local: bool = False):
        kept = self._kept if local else self._recent
        with self._lock:
            value = kept.get(key)
            if value is not None:
                kept.move_to_end(key)
        if value is None:
            if local:
                return None
            value = self.cache.get(key)
            if value is None:
                return None
            self._remember(key, value)
        # callers may change a frame they get (add a column): each gets its own copy
        return value.copy() if isinstance(value, pd.DataFrame) else value

    def _set(self, key: str, value, local: bool = False) -> None:
        if not local:
            self.cache.set(key, value)
        self._remember(key, value, local)

    def _remember(self, key: str, value, local: bool = False) -> None:
        kept, size = (self._kept, KEPT) if local else (self._recent, RECENT)
        with self._lock:
            kept[key] = value
            while len(kept) > size:
                kept.popitem(last=False)

    def _cursor(self, version: str) -> duckdb.DuckDBPyConnection:
        local = self._local
        if getattr(local, "version", None) != version:
            with self._lock:
                con = self._connections.get(version)
                if con is None:
                    con = duckdb.connect(str(mart_path(self.marts_dir, version)), read_only=True)
                    self._connections = {version: con}  # older versions close when unreferenced
            cursor = con.cursor()  # a connection of its own, so it needs its own macros
            cursor.execute(self.macros)
            local.cursor, local.version = cursor, version
        return local.cursor

    def scoped(self, scope: str) -> ScopedRunner:
        return ScopedRunner(self, scope)

    def memo(self, name: str, params: dict, compute, keep=lambda value: True, local: bool = False):
        """A derived result (a forecast, a decomposition, a card's rows) cached like a query:
        by name, parameters and marts version, so it is computed once per build. A result that
        `keep` refuses (one still waiting for a background fit) is returned, not cached. `local`:
        kept in this process only (large values that are cheaper to make again than to ship)."""
        key = self._memo_key(name, params)
        t0 = time.perf_counter()
        hit, value = self._lookup(key, local)
        if not hit:
            value = compute()
            if keep(value):
                self._set(key, _NONE if value is None else value, local)
        self.timings.append((name, (time.perf_counter() - t0) * 1000, hit))
        return value

    def cached(self, name: str, params: dict) -> tuple[bool, object]:
        """(True, value) when `memo` has the result, else (False, None); computes nothing."""
        return self._lookup(self._memo_key(name, params))

    def _lookup(self, key: str, local: bool = False) -> tuple[bool, object]:
        value = self._get(key, local)
        if value is None:
            return False, None
        return True, None if isinstance(value, str) and value == _NONE else value

    def _memo_key(self, name: str, params: dict) -> str:
        return "m:" + hashlib.sha1(json.dumps([name, sorted(params.items()), self.version()],
                                              default=str).encode()).hexdigest()

    # -- running
    def run(self, name: str, scope: str = CITY_PREFIX, *, arrow: bool = False, **params) -> pd.DataFrame | pa.Table:
        """The query's rows as a pandas frame, or (`arrow`) an Arrow table: DuckDB makes one
        several times faster for tens of thousands of rows."""
        query = self.queries.get(name)
        if query is None:
            raise KeyError(f"no query named {name!r}")
        if query.scoped and not _within_scope(params, scope):
            raise ScopeError(f"unit {params.get('unit') or params.get('prefix')} is outside scope {scope}")
        missing = query.params - set(params) - {"scope"}
        if missing:
            raise TypeError(f"query {name} needs parameter(s) {', '.join(sorted(missing))}")
        bound = {k: v for k, v in params.items() if k in query.params}
        if "scope" in query.params:
            bound["scope"] = scope
        version = self.version()
        key = "q:" + hashlib.sha1(json.dumps(
            [name, self._texts[name], sorted(bound.items()), version, arrow], default=str).encode()).hexdigest()
        t0 = time.perf_counter()
        frame = self._get(key) if query.cached else None
        hit = frame is not None
        if not hit:
            cursor = self._cursor(version)
            frame = cursor.sql(query.sql, params=bound).to_arrow_table() if arrow else cursor.execute(query.sql, bound).df()
            if query.cached:
                self._set(key, frame)
                frame = frame if arrow else frame.copy()
        ms = (time.perf_counter() - t0) * 1000
        self.timings.append((name, ms, hit))
        log.debug("query %s %.1f ms%s", name, ms, " (cached)" if hit else "")
        return frame


class ScopedRunner:
    """The runner bound to one caller's scope: what a render's views are given, so no view
    passes a scope by hand and none can forget it. Same interface as QueryRunner without the
    scope (a bare QueryRunner is the city-wide runner of the command line and tests)."""

    def __init__(self, runner: QueryRunner, scope: str):
        self.runner, self.scope = runner, scope

    def run(self, name: str, *, arrow: bool = False, **params) -> pd.DataFrame | pa.Table:
        return self.runner.run(name, self.scope, arrow=arrow, **params)

    def memo(self, name: str, params: dict, compute, keep=lambda value: True, local: bool = False):
        return self.runner.memo(name, {**params, "scope": self.scope}, compute, keep, local)

    def cached(self, name: str, params: dict) -> tuple[bool, object]:
        return self.runner.cached(name, {**params, "scope": self.scope})

    def version(self) -> str:
        return self.runner.version()


Runner = QueryRunner | ScopedRunner


def _within_scope(params: dict, scope: str) -> bool:
    """A unit (or code prefix) inside the scope, or an ancestor of it: asking for the city's
    children is how a district leader's page asks for the district level, and the SQL's scope
    filter keeps only the units inside the scope."""
    if params.get("unit"):
        unit = str(params["unit"])
        return unit.startswith(scope) or scope.startswith(prefix_of(unit))
    if "prefix" in params:
        prefix = str(params["prefix"])
        return prefix.startswith(scope) or scope.startswith(prefix)
    return True
