"""Settings from environment variables (COCKPIT_*), read in one place."""
from __future__ import annotations

import datetime as dt
import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

DEMO_TIMEZONE = "Asia/Shanghai"  # the demo city's


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    host: str
    port: int
    ops_url: str
    cache_url: str
    secret_key: str
    demo_scale: str
    build_memory: str
    screen_refresh: int  # seconds between data reloads on the wall screen
    playlists: Path  # the wall screen's playlist file
    workers: int = 2  # server processes (gunicorn), each with THREADS threads

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def marts_dir(self) -> Path:
        return self.data_dir / "marts"

    @property
    def imports_dir(self) -> Path:
        return self.data_dir / "imports"

    @property
    def imported(self) -> bool:
        """The data dir holds a city's imported data (python -m cockpit import), not demo data."""
        return (self.imports_dir / "units.parquet").exists()


def load_settings(env: dict | None = None) -> Settings:
    env = os.environ if env is None else env
    data_dir = Path(env.get("COCKPIT_DATA_DIR", "./data")).resolve()
    port_text = env.get("COCKPIT_PORT", "8050")
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ValueError(f"COCKPIT_PORT must be a port number, got {port_text!r}")
    workers_text = env.get("COCKPIT_WORKERS", "2")
    if not workers_text.isdigit() or not 1 <= int(workers_text) <= 64:
        raise ValueError(f"COCKPIT_WORKERS must be a number of processes from 1 to 64, got {workers_text!r}")
    refresh_text = env.get("COCKPIT_SCREEN_REFRESH", "300")
    if not refresh_text.isdigit() or not 10 <= int(refresh_text) <= 86400:
        raise ValueError(f"COCKPIT_SCREEN_REFRESH must be seconds from 10 to 86400, got {refresh_text!r}")
    return Settings(
        data_dir=data_dir,
        host=env.get("COCKPIT_HOST", "127.0.0.1"),
        port=int(port_text),
        ops_url=env.get("COCKPIT_OPS_URL", f"sqlite:///{data_dir / 'ops.sqlite'}"),
        cache_url=env.get("COCKPIT_CACHE_URL", ""),
        secret_key=env.get("COCKPIT_SECRET_KEY", ""),
        demo_scale=env.get("COCKPIT_DEMO_SCALE", "default"),
        build_memory=env.get("COCKPIT_BUILD_MEMORY", "6GB"),
        screen_refresh=int(refresh_text),
        playlists=Path(env.get("COCKPIT_PLAYLISTS", Path(__file__).parent / "playlists.toml")).resolve(),
        workers=int(workers_text),
    )


def imported_city(data_dir: Path) -> dict | None:
    """The imported city's name and time zone, as its first import wrote them
    (data/imports/city.json); None for demo data."""
    path = Path(data_dir) / "imports" / "city.json"
    return json.loads(path.read_text("utf-8")) if path.exists() else None


@functools.lru_cache(maxsize=8)
def _timezone(data_dir: str) -> str:
    city = imported_city(Path(data_dir).resolve())
    return city["timezone"] if city else DEMO_TIMEZONE


def city_zone() -> ZoneInfo:
    """The city's time zone, the one setting behind its days: deadlines, "today", the wall
    clock, the marts' day boundaries (the demo city's, or the one its first import named)."""
    return ZoneInfo(_timezone(os.environ.get("COCKPIT_DATA_DIR", "./data")))


def city_now() -> dt.datetime:
    """Now on the city's clock, without a zone, as the records' times are."""
    return dt.datetime.now(city_zone()).replace(tzinfo=None)
