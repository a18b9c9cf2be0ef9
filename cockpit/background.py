"""Work no request waits for: a model fitted once per marts version (a forecast with its
calibration refits takes seconds), in one worker thread per server process. A request that
finds no result asks for it and shows the page without it; the page polls until it is there.
Results go to the query cache, so with Redis one worker's fit serves every worker."""
from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from flask import has_request_context

log = logging.getLogger("cockpit.background")
_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cockpit-fit")
_lock = threading.Lock()
_waiting: dict[str, float] = {}  # job key -> when it was asked for


def need(key: str, work) -> float | None:
    """Have `work` done: now when there is no request waiting (a briefing export, the command
    line; returns None), else in the background (returns the seconds it has been waited for)."""
    if not has_request_context():
        work()
        return None
    return ask(key, work)


def ask(key: str, work) -> float:
    """Run `work` once in the background (a second ask while it waits or runs adds nothing);
    returns the seconds since it was first asked for."""
    with _lock:
        since = _waiting.get(key)
        if since is None:
            since = _waiting[key] = time.monotonic()
            _pool.submit(_run, key, work)
    return time.monotonic() - since


def _run(key: str, work) -> None:
    try:
        work()
    except Exception:  # a failed fit is logged; the next ask tries again
        log.exception("background job %s failed", key)
    finally:
        with _lock:
            _waiting.pop(key, None)
