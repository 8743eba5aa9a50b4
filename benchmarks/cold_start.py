"""Cold start of ``kamergraph serve``: seconds from starting the server to the first answer of each
page kind, after the store was left in one of the states a server may find at start.

    python benchmarks/cold_start.py --store COPY --case CASE [--case CASE ...] [--port 8790]

The cases (each is applied to ``--store`` itself, so give it a copy: ``cp -a`` the store folder and
its ``.pages.sqlite`` and ``.search.sqlite`` files under one new name):

- ``as-is``: the store and its indexes as they are;
- ``changed``: one quad added with pyoxigraph, without ``ingest`` (the page index is then stale);
- ``no-index``: the page index file removed;
- ``old-format``: the page index claims an older FORMAT_VERSION;
- ``written``: the newest question's graph written anew (a new title) through the server's Graph
  Store Protocol; the pages right after the write, and how long until the list shows the new title.

Each request is timed from the server's start (``since start``) and on its own (``took``); the
first page (``/``) is asked for every 50 ms until the server takes connections.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

TOKEN = "cold-start-benchmark"
PAGES = ("/", "/questions", "{person}", "/explore", "/sparql?query={count}")
COUNT = "SELECT (COUNT(?q) AS ?n) WHERE { ?q a <https://kamergraph.nl/def#WrittenQuestion> }"


def fetch(url: str, method: str = "GET", data: bytes | None = None, headers: dict | None = None,
          timeout: float = 120.0) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def start_server(store: Path, port: int, log: Path) -> subprocess.Popen:
    env = dict(os.environ, KAMERGRAPH_WRITE_TOKEN=TOKEN)
    command = [sys.executable, "-m", "kamergraph.cli", "serve", "--store", str(store), "--port", str(port)]
    with open(log, "ab") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def first_answer(base: str, path: str, started: float, deadline: float) -> tuple[int, float, float]:
    """(status, seconds since start, seconds the answered request took), retrying refused connections."""
    while True:
        asked = time.monotonic()
        try:
            status, _, _ = fetch(base + path)
            now = time.monotonic()
            return status, now - started, now - asked
        except (ConnectionError, urllib.error.URLError):
            if time.monotonic() > deadline:
                raise SystemExit(f"{base}{path}: no answer within the time allowed") from None
            time.sleep(0.05)


def person_path(store: Path) -> str:
    """The page of a person who submitted questions, from the page index (or a known member)."""
    index = store.with_name(store.name + ".pages.sqlite")
    try:
        db = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
        row = db.execute("SELECT key FROM entity WHERE kind = 'person' ORDER BY key LIMIT 1").fetchone()
        db.close()
    except sqlite3.Error:
        row = None
    return f"/id/persoon/{row[0] if row else 'agnes-mulder'}"


def time_pages(base: str, started: float, person: str, timeout: float) -> list[tuple[str, int, float, float]]:
    out = []
    for template in PAGES:
        path = template.format(person=person, count=urllib.request.quote(COUNT))
        status, since, took = first_answer(base, path, started, started + timeout)
        out.append((path.split("?")[0], status, since, took))
    return out


def change_with_pyoxigraph(store: Path) -> None:
    import pyoxigraph

    db = pyoxigraph.Store(str(store))
    db.add(pyoxigraph.Quad(pyoxigraph.NamedNode("https://example.org/cold-start"),
                           pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                           pyoxigraph.Literal(f"changed without ingest at {time.time()}"),
                           pyoxigraph.NamedNode("https://example.org/graph/cold-start")))
    db.flush()
    del db


def old_format(store: Path) -> None:
    index = store.with_name(store.name + ".pages.sqlite")
    db = sqlite3.connect(index)
    with db:
        db.execute("UPDATE meta SET value = '2' WHERE key = 'format'")
    db.close()


def write_through_endpoint(store: Path, port: int, log: Path, timeout: float) -> None:
    """A Graph Store PUT of the newest question's graph with a new title, through a running server;
    then the pages at once, and how long until the list shows the new title."""
    base = f"http://127.0.0.1:{port}"
    server = start_server(store, port, log)
    try:
        started = time.monotonic()
        first_answer(base, "/", started, started + timeout)
        _, body, _ = fetch(f"{base}/questions.json?size=1")
        question = json.loads(body)["questions"][0]["question"]
        graph = question.replace("/id/kamervraag/", "/graph/kamervraag/")
        _, triples, _ = fetch(f"{base}/store?graph={graph}", headers={"Accept": "application/n-triples"})
        title = f"Changed through the Graph Store at {time.time():.0f}"
        lines = [line for line in triples.decode().splitlines()
                 if not line.startswith(f"<{question}> <http://purl.org/dc/terms/title>")]
        lines.append(f'<{question}> <http://purl.org/dc/terms/title> "{title}" .')
        asked = time.monotonic()
        status, text, _ = fetch(f"{base}/store?graph={graph}", "PUT", "\n".join(lines).encode(),
                                {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/n-triples"})
        written = time.monotonic()
        print(f"  Graph Store PUT of {graph}: {status} in {written - asked:.2f} s {text[:80]!r}")
        for path, status, since, took in time_pages(base, written, person_path(store), timeout):
            print(f"  after the write {path:<28} {status}  {since:6.2f} s since the write  took {took:6.2f} s")
        while time.monotonic() - written < timeout:
            _, body, _ = fetch(f"{base}/questions.json?size=1")
            if json.loads(body)["questions"][0]["title"] == title:
                print(f"  /questions shows the new title {time.monotonic() - written:.1f} s after the write")
                break
            time.sleep(0.5)
        else:
            print("  /questions did not show the new title in time")
    finally:
        stop_server(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="a COPY of a store: the cases change it")
    parser.add_argument("--case", action="append", required=True,
                        choices=("as-is", "changed", "no-index", "old-format", "written"))
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for any one answer")
    parser.add_argument("--log", type=Path, default=Path("/tmp/cold_start_server.log"))
    parser.add_argument("--settle", type=float, default=0.0,
                        help="seconds to wait after starting the server before the first request (to tell the "
                             "server's start-up from the first requests' own work)")
    args = parser.parse_args()
    base = f"http://127.0.0.1:{args.port}"
    for case in args.case:
        print(f"{case}:")
        if case == "changed":
            change_with_pyoxigraph(args.store)
        elif case == "no-index":
            args.store.with_name(args.store.name + ".pages.sqlite").unlink(missing_ok=True)
        elif case == "old-format":
            old_format(args.store)
        elif case == "written":
            write_through_endpoint(args.store, args.port, args.log, args.timeout)
        person = person_path(args.store)
        started = time.monotonic()
        server = start_server(args.store, args.port, args.log)
        time.sleep(args.settle)
        try:
            for path, status, since, took in time_pages(base, started, person, args.timeout):
                print(f"  {path:<36} {status}  {since:6.2f} s since start  took {took:6.2f} s")
        finally:
            stop_server(server)


if __name__ == "__main__":
    main()
