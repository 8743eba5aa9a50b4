"""A server's first pages never wait for the page index to be built, and the index follows the
endpoint's own writes from the graphs they changed: a real ``kamergraph serve`` on a real store,
with the build made slow by KAMERGRAPH_INDEX_BUILD_PAUSE (page_build), so a page that waited for
it would be late by that much."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pyoxigraph
import pytest

from conftest import ROOT, WRITE_TOKEN, _child_env, copy_store, free_port
from kamergraph.config import Settings
from kamergraph.indexes.page_journal import journal_path
from kamergraph.indexes.pages import FORMAT_VERSION, index_path_for

PAUSE = 60.0  # seconds every build waits before it reads the store
FIRST_PAGE_BOUND = 15.0  # seconds from starting the server to its first page: well under PAUSE, on a busy machine
QUESTION = "https://kamergraph.nl/id/kamervraag/2019Z01187"
QUESTION_GRAPH = "https://kamergraph.nl/graph/kamervraag/2019Z01187"


def get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class Started:
    def __init__(self, store: Path, log: Path, pause: float, **settings):
        env = _child_env(Settings(store=str(store), **settings))
        env["KAMERGRAPH_INDEX_BUILD_PAUSE"] = str(pause)
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        self.started = time.monotonic()
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "kamergraph.cli", "serve", "--store", str(store), "--port", str(port)],
                env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=ROOT)

    def first(self, path: str, headers: dict | None = None) -> tuple[int, dict, bytes, float]:
        """The first answer to ``path`` (asked until the server takes connections), and the seconds
        since the server was started."""
        while True:
            try:
                status, head, body = get(self.url + path, headers)
                return status, head, body, time.monotonic() - self.started
            except (urllib.error.URLError, ConnectionError):
                if self.process.poll() is not None or time.monotonic() - self.started > 120:
                    raise AssertionError(f"the server did not answer:\n{self.log.read_text()}") from None
                time.sleep(0.05)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def total(server: Started) -> int:
    status, _, body = get(server.url + "/questions.json")
    assert status == 200, body
    return json.loads(body)["total"]


def test_a_stale_index_is_served_at_once(tmp_path, store_dir):
    """The store changed without an ingest (a question added with pyoxigraph): the first page comes
    from the index as it was, while the new one is built behind it."""
    store = copy_store(store_dir, tmp_path / "store")
    before = total_in_index(store)
    db = pyoxigraph.Store(str(store))
    graph = pyoxigraph.NamedNode("https://kamergraph.nl/graph/kamervraag/2099Z00001")
    kg = "https://kamergraph.nl/def#"
    subject = pyoxigraph.NamedNode("https://kamergraph.nl/id/kamervraag/2099Z00001")
    for predicate, value in ((f"{kg}zaakNumber", "2099Z00001"), ("http://purl.org/dc/terms/title", "Added by hand"),
                             ("http://purl.org/dc/terms/dateSubmitted", "2099-01-01")):
        db.add(pyoxigraph.Quad(subject, pyoxigraph.NamedNode(predicate), pyoxigraph.Literal(value), graph))
    db.add(pyoxigraph.Quad(subject, pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                           pyoxigraph.NamedNode(f"{kg}WrittenQuestion"), graph))
    db.flush()
    del db
    server = Started(store, tmp_path / "server.log", PAUSE)
    try:
        status, _, body, seconds = server.first("/", {"Accept": "text/html"})
        assert status == 200, body
        assert seconds < FIRST_PAGE_BOUND
        assert total(server) == before  # the last complete state, until the build (paused) is done
    finally:
        server.stop()


def total_in_index(store: Path) -> int:
    db = sqlite3.connect(index_path_for(str(store)))
    try:
        return int(db.execute("SELECT value FROM meta WHERE key = 'questions'").fetchone()[0])
    finally:
        db.close()


def test_an_index_of_an_older_readable_format_is_served_at_once(tmp_path, store_dir):
    store = copy_store(store_dir, tmp_path / "store")
    with sqlite3.connect(index_path_for(str(store))) as db:
        db.execute("UPDATE meta SET value = '2' WHERE key = 'format'")
    server = Started(store, tmp_path / "server.log", PAUSE)
    try:
        status, _, body, seconds = server.first("/", {"Accept": "text/html"})
        assert status == 200, body
        assert seconds < FIRST_PAGE_BOUND
    finally:
        server.stop()


def test_without_an_index_pages_answer_503_at_once_and_the_rest_answers(tmp_path, store_dir):
    """No index at all and a build that takes long: the index-backed pages say so with 503 and
    Retry-After within index_wait, the pages that read the store answer as ever."""
    store = copy_store(store_dir, tmp_path / "store")
    index_path_for(str(store)).unlink()
    server = Started(store, tmp_path / "server.log", PAUSE)
    try:
        status, head, body, seconds = server.first("/", {"Accept": "text/plain"})
        assert (status, head["Retry-After"]) == (503, "5")
        assert body.startswith(b"The lists are not ready: the page index is being built (for ")
        assert seconds < FIRST_PAGE_BOUND
        asked = time.monotonic()
        status, _, _ = get(server.url + "/questions.json")
        assert status == 503 and time.monotonic() - asked < 2.0  # past index_wait: no wait at all
        status, _, body = get(server.url + "/sparql?query=" + urllib.request.quote(
            "SELECT (COUNT(?q) AS ?n) WHERE { ?q a <https://kamergraph.nl/def#WrittenQuestion> }"),
            {"Accept": "text/csv"})
        assert (status, body) == (200, b"n\r\n10\r\n")
        status, _, _ = get(server.url + "/id/kamervraag/2019Z01187", {"Accept": "application/n-triples"})
        assert status == 200
        # A person's page counts from the index: 503 too, and its error page (which links the
        # person's feeds, named from the index) is not a 500.
        status, head, body = get(server.url + "/id/persoon/agnes-mulder", {"Accept": "text/html"})
        assert (status, head["Retry-After"]) == (503, "5") and b"being built" in body
    finally:
        server.stop()


@pytest.mark.parametrize("how", ["graph store", "sparql update"])
def test_the_index_follows_the_endpoints_writes(tmp_path, store_dir, how):
    """A Graph Store PUT of a question's graph is followed from that graph alone ("updated" in the
    server's log); a SPARQL Update, whose graphs are not known beforehand, by a build. Pages show
    the last complete state meanwhile, then the new title; the journal is emptied."""
    store = copy_store(store_dir, tmp_path / "store")
    server = Started(store, tmp_path / "server.log", 0.0, write_token=WRITE_TOKEN)
    try:
        status, _, _, _ = server.first("/questions.json")
        assert status == 200
        status, _, turtle = get(f"{server.url}/store?graph={QUESTION_GRAPH}", {"Accept": "application/n-triples"})
        assert status == 200
        title = "http://purl.org/dc/terms/title"
        lines = [line for line in turtle.decode().splitlines() if not line.startswith(f"<{QUESTION}> <{title}>")]
        lines.append(f'<{QUESTION}> <{title}> "Een nieuwe titel" .')
        auth = {"Authorization": f"Bearer {WRITE_TOKEN}"}
        if how == "graph store":
            request = urllib.request.Request(f"{server.url}/store?graph={QUESTION_GRAPH}", method="PUT",
                                             data="\n".join(lines).encode(),
                                             headers=auth | {"Content-Type": "application/n-triples"})
        else:
            update = (f"DELETE {{ GRAPH ?g {{ <{QUESTION}> <{title}> ?old }} }} "
                      f"INSERT {{ GRAPH ?g {{ <{QUESTION}> <{title}> \"Een nieuwe titel\" }} }} "
                      f"WHERE {{ GRAPH ?g {{ <{QUESTION}> <{title}> ?old }} }}")
            request = urllib.request.Request(f"{server.url}/sparql", method="POST", data=update.encode(),
                                             headers=auth | {"Content-Type": "application/sparql-update"})
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 204
        deadline, titles = time.monotonic() + 60, set()
        while time.monotonic() < deadline:
            status, _, body = get(server.url + "/questions.json?size=100")
            assert status == 200
            found = {q["title"] for q in json.loads(body)["questions"] if q["question"] == QUESTION}
            titles |= found
            if found == {"Een nieuwe titel"}:
                break
            time.sleep(0.2)
        assert found == {"Een nieuwe titel"}
        assert len(titles) <= 2  # the old title, then the new one: never no row for the question
        expected = "updated" if how == "graph store" else "built"
        assert f"page index of {store} {expected} in " in server.log.read_text()
        assert journal_path(str(store)).read_text() == ""
        with sqlite3.connect(index_path_for(str(store))) as db:
            assert db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone() == (FORMAT_VERSION,)
    finally:
        server.stop()


def test_a_catch_up_of_a_current_index_empties_the_journal(tmp_path, store_dir):
    """A catch-up that finds the index current (an ingest brought it up to date after the writes)
    drops the journal's lines and ends: a real build process, under a time limit."""
    store = copy_store(store_dir, tmp_path / "store")
    journal = journal_path(str(store))
    journal.write_text(json.dumps({"before": "a", "after": "b", "graphs": [QUESTION_GRAPH]}) + "\n")
    done = subprocess.run([sys.executable, "-m", "kamergraph.indexes.page_build", "--store", str(store),
                           "--out", str(index_path_for(str(store))), "--catch-up"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stderr.split(" in ")[0]) == (0, f"page index of {store} current")
    assert journal.read_text() == ""
