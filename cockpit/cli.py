"""Command line: `python -m cockpit demo|build|serve|import|units|user|verify-log`."""
from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

import duckdb

from cockpit.config import load_settings
from cockpit.imports import SOURCES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cockpit", description="City Data Cockpit")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="generate deterministic demo data into data/raw")
    demo.add_argument("--scale", default="default", choices=["tiny", "small", "default", "large"])
    demo.add_argument("--seed", type=int, default=None)
    demo.add_argument("--anchor", default=None, help="last day + 1 of the data, YYYY-MM-DD (default today)")
    sub.add_parser("build", help="build the DuckDB marts from data/raw (demo) or data/imports and swap them in")
    serve = sub.add_parser("serve", help="serve the cockpit (first run: demo data and marts)")
    serve.add_argument("--workers", type=int, default=None, help="server processes (default COCKPIT_WORKERS, 2)")
    sub.add_parser("verify-log", help="recompute the instruction log's hash chain; exit 1 at a broken link")
    imp = sub.add_parser("import", help="load a city's records (CSV, TSV, JSON Lines, JSON, Parquet) by a mapping; "
                                        "refused rows go to data/quarantine/ with their reason")
    imp.add_argument("source", choices=list(SOURCES))
    imp.add_argument("files", nargs="+")
    imp.add_argument("--mapping", required=True, help="a shipped mapping (boston311) or a TOML file")
    units = sub.add_parser("units", help="the city's units in the current marts: code, level, name (for --unit)")
    units.add_argument("--level", type=int, default=None, help="only this level (1 the city, 2 the one below, ...)")
    user = sub.add_parser("user", help="the accounts of a deployment of its own (no demo data, no demo users)")
    users_sub = user.add_subparsers(dest="action", required=True)
    add = users_sub.add_parser("add", help="add an account; its password from a prompt or --password-env")
    add.add_argument("name")
    add.add_argument("--role", required=True, help="city_leader, district_leader, handler, cdo, staff or admin")
    add.add_argument("--unit", default=None, help="the unit it sees (its code); none: the whole city")
    add.add_argument("--display-name", default=None)
    add.add_argument("--password-env", default=None, help="the environment variable holding the password")
    users_sub.add_parser("list", help="the accounts: name, display name, role, unit, disabled")
    disable = users_sub.add_parser("disable", help="refuse an account's logins from now on (kept for the log)")
    disable.add_argument("name")
    password = users_sub.add_parser("password", help="set an account's password (enables a disabled one); "
                                                     "every session it holds ends")
    password.add_argument("name")
    password.add_argument("--password-env", default=None, help="the environment variable holding the password")
    args = parser.parse_args(argv)
    settings = load_settings()

    if args.command == "demo":
        from cockpit.demo.calendar import as_date
        from cockpit.demo.generate import DEFAULT_SEED, generate

        try:
            anchor = as_date(args.anchor)
        except ValueError:
            print(f"--anchor must be a date like 2026-11-22, got {args.anchor!r}", file=sys.stderr)
            return 2
        generate(settings.raw_dir, args.scale, args.seed or DEFAULT_SEED, anchor)
        return 0
    if args.command == "build":
        from cockpit.marts.build import BuildError, build

        try:
            build(settings)
        except BuildError as exc:
            print(f"build failed, previous marts still serve: {exc}", file=sys.stderr)
            return 1
        return 0
    if args.command == "import":
        from cockpit.imports import ImportRefused, import_file, load_mapping

        try:
            mapping = load_mapping(args.mapping)
            if mapping.source != args.source:
                raise ImportRefused(f"mapping {mapping.name} is for {mapping.source}, not {args.source}")
            for name in args.files:
                batch = import_file(settings.data_dir, Path(name), mapping)
                if batch.skipped:
                    print(batch.line())
        except (ImportRefused, duckdb.Error) as exc:
            print(f"import refused, nothing written: {exc}", file=sys.stderr)
            return 2
        return 0
    if args.command == "user":
        return _user(args, settings)
    if args.command == "units":
        frame = _units(settings)
        if frame is None:
            print("no marts yet: run `python -m cockpit build`", file=sys.stderr)
            return 2
        for row in frame.itertuples():
            if args.level is None or row.unit_level == args.level:
                print(f"{row.unit_code}\t{row.unit_level}\t{'  ' * (row.unit_level - 1)}{row.unit_name}")
        return 0
    if args.command == "verify-log":
        from cockpit.ops.chain import verify
        from cockpit.ops.store import Store

        store = Store(settings.ops_url)
        with store.reading() as conn:
            verdict = verify(conn)
        print(verdict.message(), file=sys.stdout if verdict.ok else sys.stderr)
        return 0 if verdict.ok else 1
    if args.command == "serve":
        from cockpit.web import serve

        if args.workers is not None:
            if not 1 <= args.workers <= 64:
                print(f"--workers must be from 1 to 64, got {args.workers}", file=sys.stderr)
                return 2
            settings = replace(settings, workers=args.workers)
        serve(settings)
        return 0
    return 2


def _user(args, settings) -> int:
    from cockpit.ops.store import Store
    from cockpit.ops.users import create_user, disable_user, get_user, list_users, set_password
    from cockpit.units import CITY_CODE, is_code

    store = Store(settings.ops_url)
    if args.action == "list":
        for row in list_users(store):
            print(f"{row['username']}\t{row['display_name']}\t{row['role']}\t{row['unit_code']}"
                  f"{chr(9) + 'disabled' if row['disabled'] else ''}")
        return 0
    if args.action == "disable":
        if not disable_user(store, args.name):
            print(f"no user {args.name!r}", file=sys.stderr)
            return 2
        print(f"{args.name}: disabled")
        return 0
    if args.action == "password":
        if get_user(store, args.name) is None:
            print(f"no user {args.name!r}", file=sys.stderr)
            return 2
        password = _password(args)
        try:
            if password is None or not set_password(store, args.name, password):
                return 2
        except ValueError as exc:
            print(str(exc), file=sys.stderr)
            return 2
        print(f"{args.name}: password set, its sessions ended")
        return 0
    unit = args.unit or CITY_CODE
    if not is_code(unit):
        print(f"--unit must be a unit code like 310115, got {unit!r}", file=sys.stderr)
        return 2
    known = _units(settings)
    if known is not None and unit not in set(known.unit_code):
        print(f"--unit {unit}: no such unit in the marts (`python -m cockpit units` lists them)", file=sys.stderr)
        return 2
    if get_user(store, args.name) is not None:
        print(f"user {args.name!r} exists already", file=sys.stderr)
        return 2
    password = _password(args)
    if password is None:
        return 2
    try:
        create_user(store, args.name, args.display_name or args.name, args.role, unit, password)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"{args.name}: {args.role}, unit {unit}")
    return 0


def _password(args) -> str | None:
    """The password from --password-env or a prompt; None (after saying why) when the variable
    is not set."""
    import getpass
    import os

    if not args.password_env:
        return getpass.getpass(f"password for {args.name}: ")
    password = os.environ.get(args.password_env)
    if password is None:
        print(f"--password-env {args.password_env}: no such environment variable", file=sys.stderr)
    return password


def _units(settings):
    """The units of the current marts in code order (parents before their units), or None."""
    from cockpit.marts.build import current_version, mart_path

    version = current_version(settings.marts_dir)
    if version is None:
        return None
    with duckdb.connect(str(mart_path(settings.marts_dir, version)), read_only=True) as con:
        return con.execute("SELECT unit_code, unit_level, unit_name FROM units ORDER BY unit_code").df()
