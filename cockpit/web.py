"""The Dash application: shell, pages, JSON endpoints; and first-run preparation."""
from __future__ import annotations

import io
import json
import logging
import sys
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
from dash import Dash
from flask import abort, jsonify, request, send_file
from flask_compress import Compress
from flask_talisman import Talisman

from cockpit import auth, cards, kpis, params, runtime, views
from cockpit.components.cards import card_file_name
from cockpit.config import Settings, load_settings
from cockpit.demo import geo
from cockpit.export import jobs
from cockpit.i18n import t
from cockpit.imports import LOG_ROLES, quarantine_csv
from cockpit.marts.build import (
    BuildError,
    build,
    built_models_hash,
    current_version,
    models_hash,
)
from cockpit.ops import briefing, instructions
from cockpit.ops.store import Store
from cockpit.ops.users import seed_demo_users
from cockpit.queries import QueryRunner, make_cache

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger("cockpit.web")


REQUEST_MAX_BYTES = 8 * 1024 * 1024


def ensure_data(settings: Settings) -> None:
    """First run: generate demo data (when there is neither raw nor imported data) and build marts
    (when none, or when they were built by older mart models). Demo data too old for the models
    is generated again at its own scale and seed."""
    from cockpit.demo.generate import DEFAULT_SEED, generate

    if current_version(settings.marts_dir) is not None and built_models_hash(settings.marts_dir) == models_hash():
        return
    manifest = settings.raw_dir / "manifest.json"
    if settings.imported:  # a city's own data: built as it is, never replaced by demo data
        print("[setup] building marts from the imported data")
        build(settings)
        return
    if not manifest.exists() and not (settings.raw_dir / "units.parquet").exists():
        print(f"[setup] no data in {settings.raw_dir}: generating '{settings.demo_scale}' demo data")
        generate(settings.raw_dir, settings.demo_scale, DEFAULT_SEED)
    print("[setup] building marts")
    try:
        build(settings)
    except BuildError:
        if not manifest.exists():
            raise
        demo = json.loads(manifest.read_text("utf-8"))
        print(f"[setup] demo data predates the mart models: generating '{demo['scale']}' demo data again")
        generate(settings.raw_dir, demo["scale"], demo["seed"])
        build(settings)


def open_store(settings: Settings, runner: QueryRunner) -> Store:
    """The operational store, its schema migrated; with demo data, the demo users seeded."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = Store(settings.ops_url)
    if (settings.raw_dir / "manifest.json").exists():
        first = {}
        for district in ("310115", "310101"):
            streets = runner.run("children", unit=district)
            first[district] = (streets.unit_code.iloc[0], streets.unit_name.iloc[0])
        if seed_demo_users(store, first):
            print("[setup] demo users created (README lists them)")
    return store


def create_app(settings: Settings | None = None) -> Dash:
    settings = settings or load_settings()
    runner = QueryRunner(settings.marts_dir)
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder=str(ROOT / "cockpit" / "pages"),
        assets_folder=str(ROOT / "assets"),
        title="城市数据驾驶舱 · City Data Cockpit",
        update_title=None,
        health_endpoint="health",
        suppress_callback_exceptions=True,
    )
    runner.cache = make_cache(settings.cache_url, app.server)
    # The largest request read: a callback carrying one piece of evidence (5 MiB, a third more
    # in base64) and its form. A bigger body is refused (413) before it is parsed.
    app.server.config["MAX_CONTENT_LENGTH"] = REQUEST_MAX_BYTES
    # Brotli or gzip for scripts, styles, pages and callback answers (Dash's 6 MiB of scripts
    # travel as about 1.3 MiB); zstd is left out, as browsers ask for it less reliably.
    app.server.config["COMPRESS_ALGORITHM"] = ["br", "gzip"]
    Compress(app.server)
    check_catalogue(runner)
    store = open_store(settings, runner)
    auth.install(app.server, store, auth.secret_key(settings.secret_key, settings.data_dir), settings.cache_url)
    runtime.configure(settings, runner, store)
    jobs.install(app.server)
    app.layout = dbc.Container(dash.page_container, fluid=True, className="pb-4 px-0")
    _api(app)
    _headers(app)
    _typed_callbacks(app)
    return app


def _typed_callbacks(app: Dash) -> None:
    """A callback request whose shape or values are not what the callback declares is refused
    (400, with the reason) before Dash reads it (cockpit.params)."""

    @app.server.before_request
    def _check_callback():
        if request.method == "POST" and request.path == "/_dash-update-component":
            reason = params.refused_callback(request.get_json(silent=True), app.callback_map)
            if reason:
                return {"error": f"callback refused: {reason}"}, 400
        return None


def _headers(app: Dash) -> None:
    """Security headers on every answer (Flask-Talisman). The content security policy allows
    scripts from this site and Dash's own inline scripts by their hashes (the renderer's start
    and the clientside callbacks), nothing from elsewhere; styles inline too (React and plotly
    set them); no framing by other sites. HTTPS is the proxy's in front of the cockpit: the
    headers that need it are left to it."""
    scripts = ["'self'"]
    policy = {"default-src": "'self'", "script-src": scripts, "style-src": ["'self'", "'unsafe-inline'"],
              "img-src": ["'self'", "data:", "blob:"], "font-src": ["'self'", "data:"], "connect-src": "'self'",
              "object-src": "'none'", "base-uri": "'self'", "form-action": "'self'", "frame-ancestors": "'none'"}

    @app.server.before_request
    def _hash_inline_scripts():  # once, after Dash's own first-request setup adds its last one
        if len(scripts) == 1:
            scripts.extend(app.csp_hashes())

    Talisman(app.server, force_https=False, strict_transport_security=False, session_cookie_secure=False,
             frame_options="DENY", referrer_policy="same-origin", content_security_policy=policy)


def _api(app: Dash) -> None:
    """The data of each view at a stable URL, as JSON and CSV (the same functions as the pages),
    and the files a user may download."""

    @app.server.get("/evidence/<sha256>")
    def evidence(sha256: str):
        found = instructions.evidence_file(runtime.store(), runtime.current_actor(), sha256,
                                           runtime.settings().data_dir / "evidence")
        if found is None:
            abort(404)
        path, name, row = found
        runtime.note_access("evidence", row["lead_unit"], f"#{row['id']} {name}")
        # an image is shown (nosniff: as the image it is); anything else is a download
        return send_file(path, download_name=name, as_attachment=path.suffix not in (".png", ".jpg", ".jpeg"))

    @app.server.get("/imports/quarantine/<batch>.csv")
    def quarantined_rows(batch: str):
        """An import batch's refused rows (original lines: personal data), to the CDO and admin."""
        actor = runtime.current_actor()
        found = quarantine_csv(runtime.settings().data_dir, batch) if actor.role in LOG_ROLES else None
        if found is None:
            abort(404)
        runtime.note_access("quarantine", actor.unit_code, batch)
        return send_file(found, mimetype="text/csv", download_name=f"quarantine-{batch}.csv", as_attachment=True)

    @app.server.get("/briefing/download/<export_id>")
    def briefing_download(export_id: str):
        """A finished export, to the user who made it."""
        number = params.whole(export_id, 1, params.ID_MAX)
        row = briefing.get_export(runtime.store(), number) if number else None
        actor = runtime.current_actor()
        if row is None or row["username"] != actor.username or row["status"] != "done":
            abort(404)
        found = jobs.export_dir(runtime.settings().data_dir, export_id) / row["file_name"]
        if not found.is_file():
            abort(404)
        runtime.note_access("download", actor.unit_code, row["file_name"])
        return send_file(found, download_name=row["file_name"], as_attachment=True)

    @app.server.get("/api/overview")
    def api_overview():
        view = runtime.resolve(request.args.to_dict())
        data = views.overview(view.run, view.state)
        data["messages"] = [t(key, view.lang, **args) for key, args in view.messages]
        return jsonify(data)

    @app.server.get("/api/cards")
    def api_cards():
        """Every card, titled for these parameters, with the URL of its data."""
        view = runtime.resolve(request.args.to_dict())
        return jsonify({"cards": [{"page": c.page, "card": c.id, "title": c.title(view), "parameters": list(c.params),
                                   "url": c.url("json"), "csv": c.url("csv")} for c in cards.every()]})

    @app.server.get("/api/<page>/<card_id>.<fmt>")
    def api_card(page: str, card_id: str, fmt: str):
        """The rows a card plots, as JSON or CSV, for the same URL parameters as its page."""
        card = cards.get(page, card_id)
        if card is None or fmt not in ("json", "csv"):
            lang = "en" if request.args.get("lang") == "en" else "zh"
            return jsonify({"error": t("api.unknown_card", lang, page=page[:40], card=f"{card_id[:64]}.{fmt[:8]}")}), 404
        view = runtime.resolve(request.args.to_dict())
        shown = cards.show(card, view, draw=False)
        runtime.note_access("export", view.state.unit, f"{page}/{card_id}.{fmt}", len(shown.data["rows"]))
        if fmt == "csv":
            return send_file(io.BytesIO(cards.csv_bytes(shown.data, view.lang)), mimetype="text/csv", as_attachment=True,
                             download_name=card_file_name(shown.title, view) + ".csv")
        s = view.state
        return jsonify({"page": page, "card": card_id, "title": shown.title, "unit": s.unit, "unit_name": view.unit_name,
                        "start": s.start.isoformat(), "end": s.end.isoformat(), "grain": s.grain, "cmp": s.cmp,
                        "kpi": shown.kpi, "lang": s.lang, "source": shown.source, "unit_label": shown.unit_label,
                        "refreshed": view.refreshed, "marts_version": view.run.version(),
                        "messages": [t(key, s.lang, **args) for key, args in view.messages],
                        "shown": shown.shown, "pending": shown.data["pending"],
                        "columns": shown.data["columns"], "rows": shown.data["rows"]})


def check_catalogue(runner: QueryRunner) -> None:
    """Refuse to start on a KPI catalogue with a bad entry or a measure the marts lack."""
    kpis.catalogue.cache_clear()
    kpis.check_measures(kpis.catalogue(), set(runner.run("measures").column_name))


def prepare(settings: Settings) -> None:
    """What is done once, before the server's workers start: demo data and marts, the secret
    key, the district boundaries, the store's schema and the demo users. Several workers
    starting at once would race for each (two secret keys: a login valid on one worker only).
    DuckDB is closed again: a handle must not cross the fork."""
    kpis.catalogue.cache_clear()
    kpis.catalogue()  # a malformed catalogue is refused before any data work
    ensure_data(settings)
    auth.secret_key(settings.secret_key, settings.data_dir)
    geo.district_geojson()  # read once here, inherited by every worker (0.5 s: not on a first map)
    runner = QueryRunner(settings.marts_dir)
    try:
        check_catalogue(runner)
        open_store(settings, runner).dispose()
    finally:
        runner.close()


def serve(settings: Settings | None = None) -> None:
    """`python app.py`: prepare, then serve with gunicorn (COCKPIT_WORKERS processes)."""
    from cockpit import server

    settings = settings or load_settings()
    try:
        prepare(settings)
    except kpis.CatalogueError as exc:
        print(f"[setup] the KPI catalogue ({kpis.catalogue_path()}) is refused: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    print(f"[serve] cockpit at http://{settings.host}:{settings.port}/ ({settings.workers} workers)", flush=True)
    server.run(settings)
