"""Load test: many leaders on the cockpit at once, side by side with an empty Dash callback.

    COCKPIT_DATA_DIR=/path/to/data python bench/load.py [--users 10,50,100] [--seconds 60]

For each number of users it starts the cockpit (`python app.py`, as a user does, on a port of its
own; or uses --host) and a Dash app with one empty callback (bench/empty_app.py, served the same
way: Flask's server, or gunicorn with as many workers and threads), then drives each in turn with
Locust (headless, as a library, 127.0.0.1 only):

  * cockpit: every simulated leader logs in once (leader, pudong or huangpu: the district leaders
    only see their district), then, after a think time (--think, 1-3 s), opens a random page (/, /services,
    /operations, /vitals, /trends, /kpis, /quality) for a random unit (the city, a district,
    sometimes a street) over a random period (month to date, last month, year to date, last 30
    days) and grain (week, month, quarter). "Opens" is the one request that renders a page in a
    Dash multi-page app: the POST /_dash-update-component of dash.page_container, recorded from a
    real browser (bench/capture_payloads.py) with its pathname and search replaced;
  * empty: the same users, think time and URLs, each posting the empty callback instead (it
    echoes the URL). It is what any Dash callback costs on this server and machine, so the
    cockpit's times divided by its times are the cockpit's own work.

Users are spawned within ~10 s; then requests are measured for --seconds (only requests started in
that window count; the ones still running at its end are waited for, up to the client timeout,
30 s: a request that gets no answer by then counts as a timeout and a failure). A page fails
when it does not answer 200 with a page heading. Per page it prints and writes
(bench/results/load-<scale>-<time>.json and .csv): requests, failures, timeouts, median and p95,
and the ratios of the cockpit's median and p95 to the empty callback's. Both servers are started
again for every number of users, so each starts with an empty query cache. The load generator runs
on the same machine: its CPU use and the servers' are printed beside the figures.
"""
from __future__ import annotations

# Locust first: importing it monkey-patches the standard library for gevent (its users are greenlets).
from locust import FastHttpUser, between, constant, task  # isort: skip
from locust.env import Environment  # isort: skip

import argparse
import csv
import datetime as dt
import itertools
import json
import logging
import os
import random
import signal
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

import gevent
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import load_support as ls  # noqa: E402
from cockpit.units import CITY_CODE  # noqa: E402

PAGES = tuple(ls.HEADINGS)
PRESETS = ("mtd", "last_month", "ytd", "last_30")
GRAINS = ("week", "month", "quarter")
HOME = {"leader": CITY_CODE, "pudong": "310115", "huangpu": "310101"}  # the leaders among the demo users
WEIGHT = {"leader": 2, "pudong": 1, "huangpu": 1}
JSON_HEADERS = {"Content-Type": "application/json"}
TIMEOUT_MARK = "timeout: "


class Views:
    """The random views a leader opens. Units from data/raw/units.parquet, the last day with data
    from the marts (read-only: the server has them open), periods as the filter bar's presets."""

    def __init__(self, data_dir: Path):
        import duckdb

        from cockpit.marts.build import current_version, mart_path
        from cockpit.state import preset_range

        marts = data_dir / "marts"
        version = current_version(marts)
        if version is None:
            raise SystemExit(f"no marts in {marts}")
        with duckdb.connect(str(mart_path(marts, version)), read_only=True) as con:
            last = con.execute("SELECT max(day) FROM unit_daily WHERE unit_level = 1").fetchone()[0]
            units = con.execute("SELECT unit_code, unit_level, district_code FROM read_parquet(?) "
                                "WHERE unit_level IN (2, 3) ORDER BY unit_code",
                                [str(data_dir / "raw" / "units.parquet")]).fetchall()
        self.districts = [code for code, level, _ in units if level == 2]
        self.streets = defaultdict(list)
        for code, level, district in units:
            if level == 3:
                self.streets[district].append(code)
        self.all_streets = [s for streets in self.streets.values() for s in streets]
        self.periods = [preset_range(p, last) for p in PRESETS]
        self.last_day = last

    def unit(self, username: str, rng: random.Random) -> str:
        home, r = HOME[username], rng.random()
        if home == CITY_CODE:
            return home if r < 0.3 else rng.choice(self.districts) if r < 0.8 else rng.choice(self.all_streets)
        return home if r < 0.6 else rng.choice(self.streets[home])

    def search(self, username: str, rng: random.Random) -> str:
        start, end = rng.choice(self.periods)
        return "?" + urlencode({"unit": self.unit(username, rng), "start": start.isoformat(), "end": end.isoformat(),
                                "grain": rng.choice(GRAINS), "cmp": "yoy", "lang": "zh"})


def _is_timeout(error: BaseException) -> bool:
    return isinstance(error, (gevent.Timeout, TimeoutError)) or "timed out" in str(error).lower() \
        or "timeout" in type(error).__name__.lower()


def _post(client, url: str, body: bytes, name: str, expect: bytes) -> None:
    """POST a callback; it succeeds when it answers 200 with `expect` in its body."""
    with client.post(url, data=body, headers=JSON_HEADERS, name=name, catch_response=True) as r:
        error = getattr(r, "error", None)
        if error is not None:
            r.failure(TIMEOUT_MARK + repr(error) if _is_timeout(error) else repr(error))
        elif r.status_code != 200:
            r.failure(f"HTTP {r.status_code}")
        elif expect not in (r.content or b""):
            r.failure("answer without the page's content")
        else:
            r.success()


def user_classes(views: Views, think: tuple[float, float], timeout: float, seed: int):
    """Each user draws its views from a generator of its own, seeded by --seed and its number:
    two runs offer the same views (how many each user gets through depends on the server)."""
    numbers = {"Leader": itertools.count(), "EmptyCallback": itertools.count()}

    def rng_for(user) -> random.Random:
        return random.Random(f"{seed}:{next(numbers[type(user).__name__])}")

    page_url, page_template = ls.load_payload(ls.COCKPIT_PAYLOAD)
    echo_url, echo_template = ls.load_payload(ls.EMPTY_PAYLOAD)
    wait = constant(0) if think[1] == 0 else between(*think)

    class Leader(FastHttpUser):
        wait_time = wait
        network_timeout = connection_timeout = timeout
        max_retries = 0  # a request that fails is counted, never retried

        def on_start(self):
            self.rng = rng_for(self)
            self.username = self.rng.choices(list(WEIGHT), weights=list(WEIGHT.values()))[0]
            self.log_in()

        def log_in(self):
            form = urlencode({"username": self.username, "password": ls.PASSWORD, "next": "/"})
            with self.client.post("/login", data=form, headers={"Content-Type": "application/x-www-form-urlencoded"},
                                  allow_redirects=False, name="login", catch_response=True) as r:
                self.logged_in = r.status_code == 302
                r.success() if self.logged_in else r.failure(f"login answered {r.status_code}")

        @task
        def open_page(self):
            if not self.logged_in:  # a login lost to a timeout is tried again, as a person would
                self.log_in()
                return
            path = self.rng.choice(PAGES)
            _post(self.client, page_url, ls.page_body(page_template, path, views.search(self.username, self.rng)), path,
                  b"page-heading")

    class EmptyCallback(FastHttpUser):
        wait_time = wait
        network_timeout = connection_timeout = timeout
        max_retries = 0

        def on_start(self):
            self.rng = rng_for(self)
            self.username = self.rng.choices(list(WEIGHT), weights=list(WEIGHT.values()))[0]

        @task
        def echo(self):
            search = views.search(self.username, self.rng)
            # The answer echoes the value (Dash's JSON writes "/" as \u002f: look for the query string)
            _post(self.client, echo_url, ls.echo_body(echo_template, self.rng.choice(PAGES) + search), "empty callback",
                  search.encode())

    return Leader, EmptyCallback


class Recorder:
    """Every request started in the measured window: its time and outcome, per page."""

    def __init__(self):
        self.window = (float("inf"), float("inf"))
        self.samples: dict[str, list[tuple[float, str, str]]] = defaultdict(list)
        self.logins = {"ok": 0, "failed": 0}

    def on_request(self, name, response_time, exception, start_time, **_):
        if name == "login":
            self.logins["ok" if exception is None else "failed"] += 1
        elif self.window[0] <= start_time < self.window[1]:
            message = "" if exception is None else str(exception)
            outcome = "ok" if exception is None else "timeout" if message.startswith(TIMEOUT_MARK) else "failure"
            self.samples[name].append((response_time, outcome, message[:200]))


def _cpu_seconds(procs) -> float:
    total = 0.0
    for p in procs:
        try:
            times = p.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            pass
    return total


def _busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (all cores)."""
    t = psutil.cpu_times()
    return t.user + t.system + getattr(t, "nice", 0) + getattr(t, "irq", 0) + getattr(t, "softirq", 0)


def _family(server: ls.Server) -> list:
    if server.proc is None:
        return []
    root = psutil.Process(server.proc.pid)
    return [root, *root.children(recursive=True)]


def run_phase(user_class, server: ls.Server, users: int, seconds: float, timeout: float) -> dict:
    env = Environment(user_classes=[user_class], host=server.base, stop_timeout=timeout + 5)
    recorder = Recorder()
    env.events.request.add_listener(recorder.on_request)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=max(1.0, users / 10))  # all users up within ~10 s
    deadline = time.time() + 60
    while runner.user_count < users and time.time() < deadline:
        gevent.sleep(0.2)
    gevent.sleep(1)  # let the last users log in before measuring
    family, me = _family(server), psutil.Process()
    server_cpu, my_cpu, busy = _cpu_seconds(family), _cpu_seconds([me]), _busy_seconds()
    t0 = time.time()
    recorder.window = (t0, t0 + seconds)
    gevent.sleep(seconds)
    server_cpu, my_cpu = _cpu_seconds(family) - server_cpu, _cpu_seconds([me]) - my_cpu
    others = _busy_seconds() - busy - server_cpu - my_cpu  # the machine may be shared: say how much
    runner.stop()  # waits for the requests under way (up to the client timeout), not for think times
    runner.quit()
    return {"samples": recorder.samples, "logins": recorder.logins,
            "cpu": {"server_percent": round(100 * server_cpu / seconds) if family else None,  # None: --host
                    "load_generator_percent": round(100 * my_cpu / seconds),
                    "other_processes_percent": round(100 * others / seconds) if family else None}}


def summarise(samples: list[tuple[float, str, str]], seconds: float) -> dict:
    times = sorted(ms for ms, _, _ in samples)
    if not times:
        return {"requests": 0, "req_per_s": 0, "failures": 0, "timeouts": 0, "median_ms": None, "p95_ms": None}
    p95 = statistics.quantiles(times, n=20, method="inclusive")[18] if len(times) > 1 else times[0]
    return {"requests": len(times), "req_per_s": round(len(times) / seconds, 2),
            "failures": sum(outcome != "ok" for _, outcome, _ in samples),
            "timeouts": sum(outcome == "timeout" for _, outcome, _ in samples),
            "median_ms": round(statistics.median(times), 1), "p95_ms": round(p95, 1)}


def _ratio(a, b):
    return round(a / b, 1) if a is not None and b else None


def table(users: int, rows: list[dict]) -> str:
    head = f"{'page':<16}{'requests':>9}{'req/s':>8}{'failures':>9}{'timeouts':>9}{'median ms':>11}{'p95 ms':>10}" \
           f"{'× median':>10}{'× p95':>9}"
    lines = [f"-- {users} users", head]
    for row in rows:
        def cell(v, width, fmt="{:,.1f}"):
            return f"{'-' if v is None else fmt.format(v):>{width}}"

        def times(v, width):  # a ratio: 1.5×, 57.9×, 2,460×
            return f"{'-' if v is None else f'{v:,.0f}×' if v >= 100 else f'{v:.1f}×':>{width}}"
        lines.append(f"{row['page']:<16}{row['requests']:>9,}{row['req_per_s']:>8.1f}{row['failures']:>9,}"
                     f"{row['timeouts']:>9,}{cell(row['median_ms'], 11)}{cell(row['p95_ms'], 10)}"
                     f"{times(row['ratio_median'], 10)}{times(row['ratio_p95'], 9)}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", default="10,50,100", help="comma-separated numbers of simultaneous users")
    parser.add_argument("--seconds", type=float, default=60, help="measured seconds per number of users and app")
    parser.add_argument("--think", default="1-3", help="seconds a user waits between pages: 'min-max', or 0")
    parser.add_argument("--timeout", type=float, default=30, help="client timeout per request, seconds")
    parser.add_argument("--seed", type=int, default=1, help="seed of the users' random views")
    parser.add_argument("--host", help="a cockpit already running on the same COCKPIT_DATA_DIR "
                                       "(default: start `python app.py`)")
    parser.add_argument("--empty-workers", type=int, help="gunicorn workers of the empty app (default: as the cockpit)")
    args = parser.parse_args()
    # Stopped early (SIGTERM, Ctrl-C): unwind, so the servers this script started are stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    logging.getLogger("locust").setLevel(logging.WARNING)
    users_list = [int(u) for u in args.users.split(",")]
    low, _, high = args.think.partition("-")
    think = (float(low), float(high or low))

    data_dir = Path(os.environ.get("COCKPIT_DATA_DIR", "./data")).resolve()
    os.environ["COCKPIT_DATA_DIR"] = str(data_dir)  # `python app.py` runs from the repository's root
    manifest = data_dir / "raw" / "manifest.json"
    scale = json.loads(manifest.read_text("utf-8"))["scale"] if manifest.exists() else "unknown"
    started = dt.datetime.now()
    result = {"date": started.isoformat(timespec="seconds"), "scale": scale, "data_dir": str(data_dir),
              "seconds": args.seconds, "seed": args.seed, "think_s": list(think), "timeout_s": args.timeout,
              "machine": {"cpus": os.cpu_count()}, "phases": []}
    flat = []
    for users in users_list:
        ls.empty_shared_cache()
        with ls.cockpit(args.host) as cockpit:
            kind, workers = ls.served_by(cockpit, args.empty_workers)
            threads = ls.cockpit_threads() if kind == "gunicorn" else None
            with ls.empty_app(kind, workers, threads or 1) as empty:
                if not result["phases"]:  # once: the recorded payloads still render every page
                    views = Views(data_dir)
                    leader_cls, empty_cls = user_classes(views, think, args.timeout, args.seed)
                    start, end = views.periods[0]
                    print("\n".join(ls.verify(cockpit.base, empty.base, f"?unit={CITY_CODE}&start={start}&end={end}")))
                served = f"gunicorn, {workers} workers × {threads} threads" if kind == "gunicorn" else \
                    "Flask's development server (threaded)"
                print(f"\n{users} users for {args.seconds:.0f} s on each app (think {args.think} s; "
                      f"server: {served}; scale {scale})", flush=True)
                phase = {"users": users, "server": served}
                for target, cls, server in (("cockpit", leader_cls, cockpit), ("empty", empty_cls, empty)):
                    measured = run_phase(cls, server, users, args.seconds, args.timeout)
                    phase[target] = measured
                    cpu = {k: "?" if v is None else v for k, v in measured["cpu"].items()}
                    logins = measured["logins"]
                    print(f"  {target}: done; CPU (100 % = one core of {os.cpu_count()}): "
                          f"server {cpu['server_percent']} %, load generator {cpu['load_generator_percent']} %, "
                          f"other processes {cpu['other_processes_percent']} %"
                          + (f"; logins failed {logins['failed']} of {sum(logins.values())}"
                             if logins["failed"] else ""),
                          flush=True)
        base = summarise([s for v in phase["empty"]["samples"].values() for s in v], args.seconds)
        rows = []
        for page in [*PAGES, "all pages"]:
            samples = ([s for v in phase["cockpit"]["samples"].values() for s in v] if page == "all pages"
                       else phase["cockpit"]["samples"].get(page, []))
            row = {"page": page, **summarise(samples, args.seconds)}
            row["ratio_median"] = _ratio(row["median_ms"], base["median_ms"])
            row["ratio_p95"] = _ratio(row["p95_ms"], base["p95_ms"])
            rows.append(row)
        rows.append({"page": "empty callback", **base, "ratio_median": None, "ratio_p95": None})
        print(table(users, rows))
        errors = sorted({m for v in phase["cockpit"]["samples"].values() for _, o, m in v if o != "ok"}
                        | {m for v in phase["empty"]["samples"].values() for _, o, m in v if o != "ok"})
        if errors:
            print("  errors (distinct):", *errors[:8], sep="\n    ")
        result["phases"].append({"users": users, "server": phase["server"], "rows": rows, "errors": errors[:20],
                                 "logins": phase["cockpit"]["logins"],
                                 "cpu": {t: phase[t]["cpu"] for t in ("cockpit", "empty")}})
        flat += [{"users": users, **row} for row in rows]

    ls.RESULTS.mkdir(exist_ok=True)
    stem = ls.RESULTS / f"load-{scale}-{started:%Y%m%d-%H%M%S}"
    stem.with_suffix(".json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", "utf-8")
    with open(stem.with_suffix(".csv"), "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(flat[0]))
        writer.writeheader()
        writer.writerows(flat)
    print(f"\nwrote {stem.relative_to(ls.ROOT)}.json and .csv")


if __name__ == "__main__":
    main()
