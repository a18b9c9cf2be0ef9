"""Import speed: N generated Boston-311-shaped rows from one CSV, through `cockpit.imports`.

    python bench/import_csv.py [--rows 5000000] [--dir /tmp/import-bench] [--repeats 3]

Writes the CSV once (rows of tests/data/boston311/boston311-100.csv repeated with new ids
and shifted days, and one malformed line), then runs, alternating in one run, `python -m cockpit
import` and DuckDB's CSV reader alone counting the file's rows, each in a child process: median
wall time, rows per second, the import's peak memory (max RSS) and the ratio of the two.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "data" / "boston311" / "boston311-100.csv"


def write_csv(path: Path, rows: int) -> None:
    con = duckdb.connect()
    con.execute(f"CREATE TABLE s AS SELECT * REPLACE (open_dt::TIMESTAMP AS open_dt, "
                "nullif(trim(target_dt), '')::TIMESTAMP AS target_dt, nullif(trim(closed_dt), '')::TIMESTAMP AS closed_dt) "
                f"FROM read_csv('{SAMPLE}', all_varchar=true)")
    con.execute(f"""COPY (SELECT (100000000000 + i)::VARCHAR AS case_enquiry_id,
                                 COLUMNS(lambda c: c IN ('open_dt', 'target_dt', 'closed_dt')) + INTERVAL (i // 100 % 700) DAY,
                                 s.* EXCLUDE (k, case_enquiry_id, open_dt, target_dt, closed_dt)
                          FROM range({rows}) t(i) JOIN (SELECT row_number() OVER () - 1 AS k, * FROM s) s ON s.k = i % 100)
                    TO '{path}' (HEADER, DELIMITER ',')""")
    with open(path, "a", encoding="utf-8") as f:  # a few malformed lines (a field too many)
        f.write("1,2022-01-01 00:00:00" + ",x" * 29 + "\n")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--dir", default="/tmp/import-bench")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    work = Path(args.dir)
    work.mkdir(parents=True, exist_ok=True)
    csv = work / f"boston-{args.rows}.csv"
    if not csv.exists():
        t0 = time.perf_counter()
        write_csv(csv, args.rows)
        print(f"wrote {csv} ({csv.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - t0:.1f} s")
    # Side by side, alternating, in one run: the import, and DuckDB's CSV reader alone counting
    # the same file's rows (the floor any import through it stands on).
    reader = f"import duckdb; duckdb.sql(\"SELECT count(*) FROM read_csv('{csv}', all_varchar=true, ignore_errors=true)\").fetchall()"
    imports, reads, peaks = [], [], []
    for _ in range(args.repeats):
        data = work / "data"
        subprocess.run(["rm", "-rf", str(data)], check=True)
        seconds, peak, out = child([sys.executable, "-m", "cockpit", "import", "events", str(csv), "--mapping", "boston311"],
                                   {**os.environ, "COCKPIT_DATA_DIR": str(data)})
        imports.append(seconds)
        peaks.append(peak)
        reads.append(child([sys.executable, "-c", reader], dict(os.environ))[0])
    print(out)
    rows = args.rows + 1
    imp, read = statistics.median(imports), statistics.median(reads)
    print(f"{rows:,} rows, {args.repeats} runs each (medians): import {imp:.1f} s = {rows / imp:,.0f} rows/s, "
          f"peak memory {max(peaks):,.0f} MiB; the reader alone counting them {read:.1f} s = {rows / read:,.0f} rows/s; "
          f"import / reader = {imp / read:.1f}x")
    return 0


def child(command: list[str], env: dict) -> tuple[float, float, str]:
    """Wall time, peak memory (MiB, this child alone) and output of a child process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    if status:
        raise SystemExit(f"{command[2]} failed: {out}")
    return seconds, usage.ru_maxrss / 1024, out.strip()

if __name__ == "__main__":
    sys.exit(main())
