"""What `bench/load.py` and `bench/capture_payloads.py` share: starting and stopping the two
servers, the recorded callback payloads, and a check that replaying them renders the page.

Kept apart from load.py because load.py imports Locust, which monkey-patches the standard library
for gevent, and Playwright (used to capture the payloads) must not run under that patching."""
from __future__ import annotations

import copy
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PAYLOADS = BENCH / "payloads"
RESULTS = BENCH / "results"
COCKPIT_PAYLOAD = PAYLOADS / "cockpit_page.json"
EMPTY_PAYLOAD = PAYLOADS / "empty_callback.json"
CALLBACK = "/_dash-update-component"
PASSWORD = "cockpit-demo"  # every demo user's (README)

# Text each page's heading carries in Chinese (cockpit/i18n/zh.toml): a replayed payload must
# bring back this page, not the login redirect, an error or the 404 page.
HEADINGS = {"/": "运行总览", "/services": "一网通办", "/operations": "一网统管", "/vitals": "城市生命体征",
            "/trends": "趋势研判", "/kpis": "指标目录", "/quality": "数据质量"}


def empty_shared_cache() -> None:
    """Cold means cold: the cockpit's keys in a shared Redis cache (COCKPIT_CACHE_URL) are
    deleted, since they outlive the servers a benchmark starts."""
    url = os.environ.get("COCKPIT_CACHE_URL", "")
    if url.startswith("redis://"):
        import redis

        client = redis.Redis.from_url(url)
        for key in client.scan_iter("cockpit:*", count=1000):
            client.delete(key)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    base: str
    proc: subprocess.Popen | None  # None: a server someone else runs (--host)
    log: Path | None = None


def _wait_health(server: Server, timeout: float) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(server.base + "/health", timeout=5).status == 200:
                return
        except OSError:
            if server.proc is not None and server.proc.poll() is not None:
                raise RuntimeError(f"server exited ({server.proc.returncode}); its log {server.log}:\n"
                                   + server.log.read_text()[-4000:])
            time.sleep(0.3)
    raise RuntimeError(f"{server.base}/health did not answer within {timeout:.0f} s (log: {server.log})")


def _stop(proc: subprocess.Popen) -> None:
    """Stop a server we started and everything it started (gunicorn's workers, a Chromium):
    each runs in its own session, so its process group id is its pid."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@contextmanager
def _started(cmd: list[str], env: dict, log: Path, start_timeout: float):
    port = free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    # The output goes to a file: a pipe nobody reads fills up and stalls the server.
    with open(log, "a") as out:
        out.write(f"\n==== {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(cmd)} port {port}\n")
        out.flush()
        cmd = [part.replace("{port}", str(port)) for part in cmd]
        proc = subprocess.Popen(cmd, cwd=ROOT, env={**env, "COCKPIT_PORT": str(port)}, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
        server = Server(f"http://127.0.0.1:{port}", proc, log)
        try:
            _wait_health(server, start_timeout)
            yield server
        finally:
            _stop(proc)


@contextmanager
def cockpit(host: str | None, start_timeout: float = 900):
    """The cockpit: `python app.py` exactly as a user starts it (whatever server it runs: today
    Flask's, soon gunicorn), on a port of its own; or the server at `host`."""
    if host:
        server = Server(host.rstrip("/"), None)
        _wait_health(server, 30)
        yield server
        return
    with _started([sys.executable, "app.py"], dict(os.environ), RESULTS / "cockpit-server.log", start_timeout) as s:
        yield s


def served_by(server: Server, workers: int | None = None) -> tuple[str, int]:
    """Which server answers ('gunicorn' or 'flask', from its Server header) and, when we started
    it, how many worker processes it runs (gunicorn's workers are the python processes without
    python children under `python app.py`)."""
    with urllib.request.urlopen(server.base + "/health", timeout=10) as response:
        header = response.headers.get("Server", "")
    kind = "gunicorn" if "gunicorn" in header.lower() else "flask"
    if kind == "flask" or workers:
        return kind, workers or 1
    if server.proc is None:
        return kind, 2  # someone else's gunicorn: COCKPIT_WORKERS' default unless --empty-workers
    import psutil

    family = [psutil.Process(server.proc.pid), *psutil.Process(server.proc.pid).children(recursive=True)]
    pythons = [p for p in family if "python" in p.name().lower()]
    leaves = [p for p in pythons if not any(c.pid in {q.pid for q in pythons} for c in p.children())]
    return kind, max(1, len(leaves))


def cockpit_threads() -> int:
    """Threads per gunicorn worker of the cockpit (cockpit/server.py's THREADS, when it has one)."""
    try:
        sys.path.insert(0, str(ROOT))
        from cockpit import server

        return int(getattr(server, "THREADS", 1))
    except ImportError:
        return 1


@contextmanager
def empty_app(kind: str, workers: int, threads: int):
    """The empty-callback app, served the way the cockpit is: Flask's server, or gunicorn with
    the same number of worker processes and threads."""
    if kind == "gunicorn":
        cmd = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-k", "gthread", "--threads", str(threads),
               "-b", "127.0.0.1:{port}", "--log-level", "warning", "bench.empty_app:server"]
    else:
        cmd = [sys.executable, "bench/empty_app.py", "--port", "{port}"]
    with _started(cmd, dict(os.environ), RESULTS / "empty-server.log", 60) as s:
        yield s


# ---- payloads -------------------------------------------------------------------------------

def load_payload(path: Path) -> tuple[str, dict]:
    """The recorded callback request: its URL (with Dash's endId) and its JSON body."""
    if not path.exists():
        raise SystemExit(f"{path} is missing: run `python bench/capture_payloads.py` first")
    recorded = json.loads(path.read_text("utf-8"))
    return recorded["url"], recorded["body"]


def page_body(template: dict, pathname: str, search: str) -> bytes:
    """The page-rendering callback of dash.page_container (inputs: _pages_location's pathname
    and search) for another page and query string."""
    body = copy.deepcopy(template)
    for group in ("inputs", "state"):
        for item in body.get(group, []):
            if item.get("id") == "_pages_location" and item.get("property") in ("pathname", "search"):
                item["value"] = pathname if item["property"] == "pathname" else search
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def echo_body(template: dict, value: str) -> bytes:
    """The empty callback with another input value (the page's URL: a comparable request size)."""
    body = copy.deepcopy(template)
    for item in body["inputs"]:
        item["value"] = value
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def verify(cockpit_base: str, empty_base: str, search: str, username: str = "leader") -> list[str]:
    """Replay both payloads with `requests`: every page answers 200 with its heading, the empty
    callback echoes its input. Returns one line per check."""
    import requests

    lines = []
    with requests.Session() as session:
        login = session.post(cockpit_base + "/login", timeout=60, allow_redirects=False,
                             data={"username": username, "password": PASSWORD, "next": "/"})
        if login.status_code != 302:
            raise RuntimeError(f"login as {username} answered {login.status_code}")
        url, template = load_payload(COCKPIT_PAYLOAD)
        for path, heading in HEADINGS.items():
            t0 = time.perf_counter()
            r = session.post(cockpit_base + url, data=page_body(template, path, search), timeout=120,
                             headers={"Content-Type": "application/json"})
            ms = (time.perf_counter() - t0) * 1000
            text = json.dumps(r.json(), ensure_ascii=False) if r.status_code == 200 else r.text[:300]
            if r.status_code != 200 or heading not in text or "page-heading" not in text:
                raise RuntimeError(f"replayed {path}{search}: HTTP {r.status_code}, heading {heading!r} "
                                   f"{'found' if heading in text else 'missing'}: {text[:300]}")
            lines.append(f"cockpit {path:<12} 200, heading {heading!r} present, {len(r.content):,} bytes, {ms:.0f} ms")
    url, template = load_payload(EMPTY_PAYLOAD)
    r = requests.post(empty_base + url, data=echo_body(template, "/services" + search),
                      headers={"Content-Type": "application/json"}, timeout=30)
    if r.status_code != 200 or "/services" + search not in r.json()["response"]["out"]["children"]:
        raise RuntimeError(f"empty callback: HTTP {r.status_code}: {r.text[:300]}")
    lines.append(f"empty   callback     200, echoes its input, {len(r.content):,} bytes")
    return lines
