"""Serving the app with gunicorn, the production WSGI server, configured from Python.

Each gunicorn worker process builds its own app (no preloading: a forked app would share sockets to
query processes) and serves requests on threads; queries go on to that worker's own query processes
(``settings.query_workers`` of them), so the server runs workers x query_workers query processes.
One web process is the default: the queries' work is done in the query processes. ``kamergraph
serve`` (kamergraph/cli.py) is the command that runs it.
"""
from __future__ import annotations

import os

from gunicorn.app.base import BaseApplication

from kamergraph.config import Settings
from kamergraph.endpoint.runtime.backend import EXTENSION
from kamergraph.endpoint.worker import buffering_worker
from kamergraph.graph import is_remote

DEFAULT_WORKERS = 1  # web processes; each has settings.query_workers query processes of its own
# Requests served at once per web process. Threads that wait for a query process cost little, and
# with enough of them a request that needs none (a page, robots.txt) never waits behind queued
# queries; queries beyond the pool wait at most one time limit, then 503.
THREADS = 32
CONNECTIONS = 500  # open connections per web process, kept alive or still sending
LIMIT_REQUEST_LINE = 8190  # bytes; gunicorn's highest
LIMIT_REQUEST_FIELDS = 50
LIMIT_REQUEST_FIELD_SIZE = 8190


class _Gunicorn(BaseApplication):
    def __init__(self, settings: Settings, options: dict):
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:  # settings newer than the installed gunicorn are skipped
                self.cfg.set(key, value)

    def load(self):
        from kamergraph.endpoint import create_app

        return create_app(self.settings)


WARM_TEMPLATES = ("pages/home.html", "pages/questions.html", "pages/error.html")  # compiled before a request asks


def _post_worker_init(worker) -> None:
    from kamergraph.endpoint.site.render import KEEPER  # loaded by the worker's app already, not by the master

    app = worker.wsgi

    def rest_of_start_up() -> None:
        for name in WARM_TEMPLATES:
            app.jinja_env.get_template(name)
        app.extensions[EXTENSION].start()  # the query processes, rather than at the first query

    # In the background, in the order the first requests need them: the page index (or its build), the
    # templates of the first pages, the query processes, then what /explore derives from the index.
    app.extensions[KEEPER].start(then=rest_of_start_up)


def _worker_exit(server, worker) -> None:
    app = getattr(worker, "wsgi", None)
    if app is not None:
        app.extensions[EXTENSION].close()


def prepare_store(settings: Settings) -> None:
    """Create an empty store if there is none: the serving processes can only open it read-only."""
    if is_remote(settings.store) or os.path.isdir(settings.store):
        return
    from kamergraph.graph import open_store

    open_store(settings.store).close()


def serve(
    settings: Settings | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int | None = None,
    threads: int = THREADS,
) -> None:
    """Serve until stopped (SIGINT or SIGTERM)."""
    settings = settings or Settings.from_env()
    workers = workers or DEFAULT_WORKERS
    prepare_store(settings)
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        # gthread, but each request is read whole before a thread takes it (endpoint/worker.py)
        "worker_class": buffering_worker(settings.max_body, settings.read_timeout, settings.query_timeout),
        "threads": threads,
        "worker_connections": CONNECTIONS,
        "timeout": int(settings.query_timeout) + 30,  # heartbeat; queries have their own limit
        "graceful_timeout": 10,
        # Beyond these: 414 for the request line (a longer SPARQL query goes by POST), 431 for headers.
        "limit_request_line": LIMIT_REQUEST_LINE,
        "limit_request_fields": LIMIT_REQUEST_FIELDS,
        "limit_request_field_size": LIMIT_REQUEST_FIELD_SIZE,
        "accesslog": "-",
        "post_worker_init": _post_worker_init,
        "worker_exit": _worker_exit,
        "proc_name": "kamergraph",
        "control_socket_disable": True,  # one fixed socket path per user would clash between servers
    }
    _Gunicorn(settings, options).run()
