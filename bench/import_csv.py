"""Import speed: N generated Boston-311-shaped rows from one CSV, through `cockpit.imports`.

    python bench/import_csv.py [--rows 5000000] [--dir /tmp/import-bench]

Writes the CSV once (rows of tests/data/boston311/boston311-100.csv repeated with new ids
and shifted days, a malformed line every 100,000), then runs `python -m cockpit import` in a
child process and reports wall time, rows per second and the child's peak memory (max RSS).
"""
from __future__ import annotations

import argparse
import os
import resource
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
    args = parser.parse_args()
    work = Path(args.dir)
    work.mkdir(parents=True, exist_ok=True)
    csv = work / f"boston-{args.rows}.csv"
    if not csv.exists():
        t0 = time.perf_counter()
        write_csv(csv, args.rows)
        print(f"wrote {csv} ({csv.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - t0:.1f} s")
    data = work / "data"
    subprocess.run(["rm", "-rf", str(data)], check=True)
    t0 = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "cockpit", "import", "events", str(csv), "--mapping", "boston311"],
                            cwd=ROOT, env={**os.environ, "COCKPIT_DATA_DIR": str(data)}, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB -> MiB
    print(result.stdout.strip() or result.stderr.strip())
    print(f"{args.rows + 1:,} rows in {seconds:.1f} s: {(args.rows + 1) / seconds:,.0f} rows/s; peak memory {peak:,.0f} MiB")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
