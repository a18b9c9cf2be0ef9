"""The production server: gunicorn with several worker processes, each its own Dash app.

Everything that must happen once (demo data, marts, the secret key, the store's schema and demo
users) is done by `web.prepare` in the master before it forks; each worker then creates its app
and opens DuckDB itself (a DuckDB handle must not cross a fork). Workers share the query cache
when COCKPIT_CACHE_URL names a Redis server; without one each keeps its own."""
from __future__ import annotations

from gunicorn.app.base import BaseApplication

from cockpit.config import Settings

THREADS = 4  # per worker: requests mostly wait on DuckDB, which releases the GIL


class Server(BaseApplication):
    def __init__(self, settings: Settings):
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        s = self.settings
        for key, value in {
            "bind": f"{s.host}:{s.port}", "workers": s.workers, "worker_class": "gthread", "threads": THREADS,
            "timeout": 120,  # a worker is restarted only when it stops answering its master
            "graceful_timeout": 10, "preload_app": False, "accesslog": None, "errorlog": "-", "loglevel": "warning",
        }.items():
            self.cfg.set(key, value)

    def load(self):
        from cockpit.web import create_app

        app = create_app(self.settings)
        # Dash registers the files it may serve (its JavaScript) while it writes its index page,
        # and refuses the others ("dash" is not a registered library): a worker that has not
        # written one fails the scripts of a page another worker sent. Each writes one at start.
        with app.server.test_request_context("/"):
            app.index()
        return app.server


def run(settings: Settings) -> None:
    Server(settings).run()
