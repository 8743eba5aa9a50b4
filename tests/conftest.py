"""Shared fixtures: a store with examples/ ingested, the app and its test client, a real kamergraph
server (gunicorn, started by ``kamergraph serve``) and the reference server (``oxigraph
serve-read-only``), both on free 127.0.0.1 ports and on copies of the store.

Servers are session-scoped; ``spawn_server`` starts more with other settings (each on its own
store copy), stopped at the end of the session. No test here touches the network beyond 127.0.0.1.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path

import pytest

from backends import free_port
from kamergraph.config import Settings
from stores import copy_store

# tests/browser.py: the session's headless Chromium, the fixture ``browser``.
pytest_plugins = ["browser"]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
WRITE_TOKEN = "test-write-token"
SERVER_QUERY_TIMEOUT = 2.0  # seconds; short, so the time-limit tests are quick
STARTUP_SECONDS = 30


@dataclass
class Reply:
    status: int
    headers: dict[str, str]  # names lower-cased
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def http_request(method: str, url: str, body: bytes | str | None = None, headers: dict[str, str] | None = None,
         timeout: float = 60) -> Reply:
    """One HTTP request with the standard library; any status comes back as a Reply."""
    parts = urllib.parse.urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost"):
        raise ValueError(f"tests talk to 127.0.0.1 only, not {url}")
    connection = HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        target = parts.path + ("?" + parts.query if parts.query else "")
        connection.request(method, target, body=body.encode("utf-8") if isinstance(body, str) else body,
                           headers=headers or {})
        response = connection.getresponse()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        connection.close()


@dataclass
class Server:
    """A server process on 127.0.0.1; ``url`` is its root (no trailing slash)."""

    url: str
    process: subprocess.Popen
    log: Path
    settings: Settings | None = None
    store: Path | None = None
    sparql: str = field(init=False)

    def __post_init__(self):
        self.sparql = self.url + "/sparql"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _wait_until_up(server: Server, probe: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited with {server.process.returncode}:\n{server.log.read_text()}")
        try:
            with urllib.request.urlopen(probe, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"server did not answer {probe} in {STARTUP_SECONDS} s:\n{server.log.read_text()}")


def environment_without_settings() -> dict[str, str]:
    """The caller's environment without its KAMERGRAPH_* settings, for a process a test starts."""
    return {k: v for k, v in os.environ.items() if not k.startswith("KAMERGRAPH_")}


def _child_env(settings: Settings) -> dict[str, str]:
    env = environment_without_settings()
    env.update(
        KAMERGRAPH_STORE=settings.store,
        KAMERGRAPH_BASE_IRI=settings.base_iri,
        KAMERGRAPH_QUERY_TIMEOUT=str(settings.query_timeout),
        KAMERGRAPH_READ_TIMEOUT=str(settings.read_timeout),
        KAMERGRAPH_MAX_ROWS=str(settings.max_rows),
        KAMERGRAPH_MAX_BODY=str(settings.max_body),
        KAMERGRAPH_ALLOW_SERVICE="true" if settings.allow_service else "false",
        KAMERGRAPH_QUERY_WORKERS=str(settings.query_workers),
        KAMERGRAPH_INDEX_WAIT=str(settings.index_wait),
    )
    if settings.write_token:
        env["KAMERGRAPH_WRITE_TOKEN"] = settings.write_token
    return env


def start_kamergraph(settings: Settings, log: Path) -> Server:
    """``kamergraph serve`` (gunicorn) for ``settings`` on a free port, once it answers."""
    port = free_port()
    command = [sys.executable, "-m", "kamergraph.cli", "serve", "--store", settings.store,
               "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=_child_env(settings), stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, cwd=ROOT)
    server = Server(f"http://127.0.0.1:{port}", process, log, settings, Path(settings.store))
    _wait_until_up(server, server.sparql + "?format=turtle")
    return server


@pytest.fixture(scope="session", name="http")
def http_fixture():
    """``http(method, url, body=None, headers=None) -> Reply(status, headers, body)``, for 127.0.0.1."""
    return http_request


@pytest.fixture(scope="session")
def store_dir(tmp_path_factory) -> Path:
    """A store with examples/ ingested, and its full-text index beside it (as ``kamergraph ingest``
    makes them). Shared: open it read-only, or copy it to write."""
    from stores import store_with_index

    return store_with_index(tmp_path_factory.mktemp("endpoint-store") / "store", [EXAMPLES])


@pytest.fixture(scope="session")
def settings(store_dir) -> Settings:
    """Settings for the shared store: read-only (no write token), default limits."""
    return Settings(store=str(store_dir))


@pytest.fixture(scope="session")
def app(settings):
    """The Flask app on the shared store; its query processes start at the first query."""
    from kamergraph.endpoint import create_app

    application = create_app(settings)
    application.config["TESTING"] = True
    yield application
    application.extensions["kamergraph"].close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def spawn_server(tmp_path_factory, store_dir):
    """Start a kamergraph server with settings overridden, on a fresh copy of the shared store."""
    started: list[Server] = []

    def spawn(**overrides) -> Server:
        folder = tmp_path_factory.mktemp("server")
        store = copy_store(store_dir, folder / "store")
        settings = Settings(store=str(store)).with_(**overrides)
        server = start_kamergraph(settings, folder / "server.log")
        started.append(server)
        return server

    yield spawn
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def live_server(spawn_server) -> Server:
    """A real kamergraph server: gunicorn on a free port, a copy of the shared store, a write token
    and a short time limit (SERVER_QUERY_TIMEOUT)."""
    return spawn_server(write_token=WRITE_TOKEN, query_timeout=SERVER_QUERY_TIMEOUT)


@pytest.fixture(scope="session")
def oxigraph_reference(tmp_path_factory, store_dir):
    """``oxigraph serve-read-only --union-default-graph`` on a copy of the shared store; its SPARQL
    endpoint is ``url + "/query"``."""
    binary = shutil.which("oxigraph", path=os.path.dirname(sys.executable)) or shutil.which("oxigraph")
    if binary is None:
        pytest.fail("the oxigraph command (PyPI package 'oxigraph') is not installed")
    folder = tmp_path_factory.mktemp("reference")
    store = copy_store(store_dir, folder / "store")
    port = free_port()
    log = folder / "oxigraph.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [binary, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}",
             "--union-default-graph"],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log, store=store)
    server.sparql = server.url + "/query"
    _wait_until_up(server, server.sparql + "?query=ASK%7B%7D")
    yield server
    server.stop()
