"""How serving processes see new data: they hold read-only snapshots, keep them while a writer holds
the store's lock, and move to a fresh snapshot once the writer is done. Checked on the pieces
(signature, lock probe, Snapshot) and on a real server while an ingest runs beside it.
"""
from __future__ import annotations

import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from conftest import EXAMPLES, copy_store
from kamergraph.config import Settings
from kamergraph.graph import open_store
from kamergraph.graph.snapshot import Snapshot, StoreUnavailable, signature, writer_active

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?q a <https://kamergraph.nl/def#WrittenQuestion> }"
HOLD_LOCK = """
import sys
from kamergraph.graph import open_store
store = open_store(sys.argv[1])
print("locked", flush=True)
sys.stdin.readline()
store.close()
"""


@contextmanager
def lock_held_elsewhere(path: Path):
    """The store open read-write in another process (RocksDB's lock is per process)."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        yield
    finally:
        holder.communicate("\n", timeout=30)


def count(store) -> int:
    return int(next(iter(store.query(COUNT).value))["n"].value)


def add_quad(path: Path, text: str) -> None:
    store = open_store(str(path))
    store.replace_graphs({NamedNode("http://example.org/g"): [
        Quad(NamedNode("http://example.org/s"), NamedNode("http://example.org/p"), Literal(text),
             NamedNode("http://example.org/g"))]})
    store.close()


@pytest.fixture
def store_copy(store_dir, tmp_path) -> Path:
    return copy_store(store_dir, tmp_path / "store")


def test_signature_changes_with_a_committed_write_only(store_copy):
    before = signature(str(store_copy))
    reader = open_store(str(store_copy), read_only=True)
    count(reader)
    assert signature(str(store_copy)) == before  # reading changes nothing
    reader.close()
    add_quad(store_copy, "x")
    assert signature(str(store_copy)) != before


def test_writer_probe(store_copy):
    assert not writer_active(str(store_copy))
    with lock_held_elsewhere(store_copy):
        assert writer_active(str(store_copy))
    assert not writer_active(str(store_copy))


def test_snapshot_moves_forward_after_a_write_but_not_during_it(store_copy):
    snapshot = Snapshot(str(store_copy))
    first = snapshot.store()
    assert snapshot.store() is first  # unchanged store: the same handle
    with lock_held_elsewhere(store_copy):
        assert snapshot.store() is first  # a writer is at work: keep the complete snapshot
    add_quad(store_copy, "y")
    fresh = snapshot.store()
    assert fresh is not first
    assert fresh.query('ASK { ?s ?p "y" }').value
    snapshot.close()


UPKEEP = """
import sys, time
from kamergraph.graph import open_store, snapshot
with snapshot.upkeep(sys.argv[1]):
    store = open_store(sys.argv[1])
    print("locked", flush=True)
    time.sleep(0.5)
    store.close()
"""


def test_a_reader_waits_for_the_upkeep_after_a_write(store_copy):
    """The endpoint's upkeep holds the lock right after a write's reply; the client's next read
    must still see the write, not the snapshot from before it."""
    snapshot = Snapshot(str(store_copy))
    first = snapshot.store()
    add_quad(store_copy, "z")
    upkeep = subprocess.Popen([sys.executable, "-c", UPKEEP, str(store_copy)], stdout=subprocess.PIPE, text=True)
    try:
        assert upkeep.stdout.readline().strip() == "locked"
        assert writer_active(str(store_copy))
        started = time.monotonic()
        fresh = snapshot.store()
        assert 0.1 < time.monotonic() - started < 5
        assert fresh is not first and fresh.query('ASK { ?s ?p "z" }').value
    finally:
        upkeep.wait(timeout=30)
    assert not (store_copy.parent / "store.upkeep").exists()
    snapshot.close()


def test_missing_store_is_unavailable(tmp_path):
    with pytest.raises(StoreUnavailable):
        Snapshot(str(tmp_path / "nowhere")).store()


def test_a_missing_store_is_a_503_that_does_not_say_where(tmp_path):
    from kamergraph.config import Settings
    from kamergraph.endpoint import create_app

    hidden = tmp_path / "secret-folder" / "store"
    app = create_app(Settings(store=str(hidden)))
    try:
        response = app.test_client().get("/sparql", query_string={"query": "ASK {}"})
        assert response.status_code == 503
        assert response.data == b"The store is not available; the server's log says why.\n"
    finally:
        app.extensions["kamergraph"].close()


def test_running_server_sees_an_ingest_once_it_is_done(http, spawn_server, tmp_path):
    from kamergraph.ingest.pipeline import ingest_paths

    server = spawn_server()

    def questions() -> int:
        reply = http("GET", server.sparql + "?" + urllib.parse.urlencode({"query": COUNT}),
                     headers={"Accept": "text/csv"})
        assert reply.status == 200, reply.text
        return int(reply.text.split()[1])

    with ThreadPoolExecutor(max_workers=4) as pool:  # every query process has its snapshot now
        assert list(pool.map(lambda _: questions(), range(4))) == [10] * 4
    page = tmp_path / "pages" / "new.txt"
    page.parent.mkdir()
    source = (EXAMPLES / "000_7b937e3f333bd3c8.txt").read_text(encoding="utf-8")
    page.write_text(source.replace("2021Z16860", "2021Z99999"), encoding="utf-8")

    store = open_store(str(server.store))  # the ingest takes the write lock beside the server
    try:
        report = ingest_paths(store, [page.parent], Settings(store=str(server.store)))
        assert (report.questions, report.errors) == (1, [])
        assert questions() == 10  # still the snapshot from before: the ingest holds the lock
    finally:
        store.close()
    started = time.monotonic()
    assert questions() == 11  # the first request after the ingest re-opens
    print(f"first query after the ingest (re-open included): {1000 * (time.monotonic() - started):.0f} ms")
