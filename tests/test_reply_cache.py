"""Replies kept in the web process until the store changes (runtime/replies.py), and the store
signature they are kept under (graph/snapshot.py), on real stores: a kept reply is never served
after a committed write, nor kept while a writer holds the store or when the store changed while
the query ran; queries whose answer changes from run to run are never kept. Through the app: a
repeated query is answered without a query process, a write is seen at once, NOW() stays fresh.
"""
from __future__ import annotations

import os
import time
import urllib.parse
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from conftest import WRITE_TOKEN, copy_store
from kamergraph.config import Settings
from kamergraph.endpoint.runtime.replies import ReplyCache, repeatable
from kamergraph.endpoint.runtime.tasks import Reply
from kamergraph.graph import open_store, snapshot
from test_endpoint_snapshot import lock_held_elsewhere

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture
def store_copy(store_dir, tmp_path) -> Path:
    return copy_store(store_dir, tmp_path / "store")


def add_quad(path: Path, text: str) -> None:
    """One more statement, in a graph of its own."""
    graph = NamedNode("http://example.org/g/" + urllib.parse.quote(text))
    store = open_store(str(path))
    store.replace_graphs({graph: [Quad(NamedNode("http://example.org/s"), NamedNode("http://example.org/p"),
                                       Literal(text), graph)]})
    store.close()


class Counting:
    """Runs COUNT on a fresh read-only handle of the store each time, and counts its runs."""

    def __init__(self, path: Path):
        self.path, self.runs = path, 0

    def __call__(self) -> Reply:
        self.runs += 1
        store = open_store(str(self.path), read_only=True)
        try:
            n = next(iter(store.query(COUNT).value))["n"].value
        finally:
            store.close()
        return Reply(200, "text/plain", n.encode())


def listed_now(path: str) -> tuple:
    """The signature from a fresh listing of the folder, as signature() gave it before it kept listings."""
    entries = []
    for entry in os.scandir(path):
        if entry.name.endswith(".sst"):
            entries.append((entry.name, 0, 0))
        elif entry.name != "LOCK" and not entry.name.startswith("LOG"):
            stat = entry.stat()
            entries.append((entry.name, stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(entries))


# -- the signature, with its listing kept


def aged(folder: Path) -> None:
    """Set the folder's time a minute back, as if it had last changed long ago."""
    past = time.time_ns() - 60_000_000_000
    os.utime(folder, ns=(past, past))


def test_a_kept_listing_gives_what_a_fresh_one_gives(tmp_path):
    folder = tmp_path / "db"
    folder.mkdir()
    for name in ("000001.sst", "000002.log", "CURRENT", "MANIFEST-000003", "LOG", "LOCK"):
        (folder / name).write_bytes(b"x")
    aged(folder)
    path = str(folder)
    first = snapshot.signature(path)
    assert first == listed_now(path)
    assert snapshot.signature(path) == first  # from the kept listing
    with open(folder / "000002.log", "ab") as wal:  # a committed write appends to the log
        wal.write(b"more")
    assert snapshot.signature(path) == listed_now(path) != first
    (folder / "000004.sst").write_bytes(b"x")  # a new table file changes the folder's time
    assert ("000004.sst", 0, 0) in snapshot.signature(path)
    assert snapshot.signature(path) == listed_now(path)


def test_a_listing_made_just_after_a_change_is_not_trusted(tmp_path):
    folder = tmp_path / "db"
    folder.mkdir()
    (folder / "000001.log").write_bytes(b"x")
    changed = folder.stat().st_mtime_ns
    path = str(folder)
    snapshot.signature(path)  # listed within the same moment as the change
    # A second change within the same clock tick leaves the folder's time as it was:
    (folder / "000002.sst").write_bytes(b"x")
    os.utime(folder, ns=(changed, changed))
    assert ("000002.sst", 0, 0) in snapshot.signature(path)


def test_a_file_gone_behind_a_kept_listing_means_a_fresh_listing(tmp_path):
    folder = tmp_path / "db"
    folder.mkdir()
    (folder / "000001.log").write_bytes(b"x")
    (folder / "CURRENT").write_bytes(b"x")
    aged(folder)
    before = folder.stat().st_mtime_ns
    path = str(folder)
    snapshot.signature(path)
    (folder / "000001.log").unlink()
    os.utime(folder, ns=(before, before))  # the folder's time not moved (yet)
    assert snapshot.signature(path) == (("CURRENT", 1, (folder / "CURRENT").stat().st_mtime_ns),)


def test_signature_of_a_real_store_follows_its_writes(store_copy):
    path = str(store_copy)
    aged(store_copy)
    assert snapshot.signature(path) == listed_now(path)
    add_quad(store_copy, "one")
    assert snapshot.signature(path) == listed_now(path)
    add_quad(store_copy, "two")
    assert snapshot.signature(path) == listed_now(path)


# -- the state the cache keeps replies under


def fake_store(folder: Path) -> str:
    folder.mkdir()
    for name in ("000001.sst", "000002.log", "CURRENT"):
        (folder / name).write_bytes(b"x")
    return str(folder)


def test_store_state_follows_every_change_at_once(tmp_path, monkeypatch):
    path = fake_store(tmp_path / "db")
    state = snapshot.StoreState(path)
    assert state.get() == listed_now(path)
    looked = []
    monkeypatch.setattr(snapshot, "signature", lambda p: looked.append(p) or listed_now(p))
    assert state.get() == listed_now(path)
    assert looked == []  # nothing happened: the folder is not looked at
    with open(tmp_path / "db" / "000002.log", "ab") as wal:
        wal.write(b"y")
    assert state.get() == listed_now(path)  # the append, seen on the very next call
    (tmp_path / "db" / "000003.sst").write_bytes(b"x")
    assert state.get() == listed_now(path)
    (tmp_path / "db" / "000001.sst").unlink()
    assert state.get() == listed_now(path)
    os.utime(tmp_path / "db" / "CURRENT", ns=(1, 1))
    assert state.get() == listed_now(path)
    assert len(looked) == 4


def test_store_state_follows_a_folder_put_in_place_of_the_store(tmp_path):
    path = fake_store(tmp_path / "db")
    state = snapshot.StoreState(path)
    state.get()
    os.rename(path, tmp_path / "old")
    fake_store(tmp_path / "db")
    (tmp_path / "db" / "000009.sst").write_bytes(b"x")
    assert state.get() == listed_now(path)
    (tmp_path / "db" / "000010.sst").write_bytes(b"x")  # watched in the new folder, not the old one
    assert state.get() == listed_now(path)


def test_store_state_without_inotify_looks_every_time(tmp_path, monkeypatch):
    path = fake_store(tmp_path / "db")
    monkeypatch.setattr(snapshot._Watch, "quiet", lambda self: False)
    state = snapshot.StoreState(path)
    state.get()
    with open(tmp_path / "db" / "000002.log", "ab") as wal:
        wal.write(b"y")
    assert state.get() == listed_now(path)


def test_store_state_is_none_while_a_writer_holds_the_store(store_copy):
    state = snapshot.StoreState(str(store_copy))
    before = state.get()
    assert before == listed_now(str(store_copy))
    with lock_held_elsewhere(store_copy):
        assert state.get() is None
        assert state.get() is None
    after = state.get()
    assert after is not None and after == listed_now(str(store_copy))


# -- the cache


def test_a_reply_is_kept_until_a_committed_write(store_copy):
    cache, run = ReplyCache(str(store_copy)), Counting(store_copy)
    first = cache.reply("count", run)
    assert cache.reply("count", run) == first
    assert run.runs == 1
    add_quad(store_copy, "new")
    after = cache.reply("count", run)
    assert run.runs == 2
    assert int(after.body) == int(first.body) + 1
    assert cache.reply("count", run) == after
    assert run.runs == 2


def test_nothing_is_kept_or_served_while_a_writer_holds_the_store(store_copy):
    cache, runs = ReplyCache(str(store_copy)), []

    def run() -> Reply:  # reads nothing: opening the store beside a writer is not for this test
        runs.append(1)
        return Reply(200, "text/plain", b"answer")

    cache.reply("count", run)
    with lock_held_elsewhere(store_copy):
        cache.reply("count", run)
        cache.reply("count", run)
        assert len(runs) == 3
    cache.reply("count", run)
    assert len(runs) == 4  # opening the store read-write changed its folder: asked again


def test_a_reply_is_not_kept_when_the_store_changed_while_it_ran(store_copy):
    cache, run = ReplyCache(str(store_copy)), Counting(store_copy)

    def racing() -> Reply:
        reply = run()
        add_quad(store_copy, f"during {run.runs}")  # committed after the answer was made
        return reply

    stale = cache.reply("count", racing)
    fresh = cache.reply("count", run)
    assert run.runs == 2
    assert int(fresh.body) == int(stale.body) + 1


def test_only_successful_replies_are_kept(store_copy):
    cache = ReplyCache(str(store_copy))
    runs = []

    def failing() -> Reply:
        runs.append(1)
        return Reply.text(503, "busy")

    cache.reply("q", failing)
    cache.reply("q", failing)
    assert len(runs) == 2


def test_the_least_recently_used_reply_goes_first(store_copy):
    cache, run = ReplyCache(str(store_copy), entries=2), Counting(store_copy)
    cache.reply("a", run)
    cache.reply("b", run)
    cache.reply("a", run)  # a is used again: b is now the oldest
    cache.reply("c", run)
    assert run.runs == 3
    cache.reply("a", run)
    assert run.runs == 3
    cache.reply("b", run)
    assert run.runs == 4


@pytest.mark.parametrize("text, expected", [
    ("DESCRIBE <https://kamergraph.nl/id/kamervraag/2021Z16860>", True),
    ("SELECT ?s WHERE { ?s a <https://kamergraph.nl/def#WrittenQuestion> } LIMIT 3", True),
    ("SELECT (NOW() AS ?t) {}", False),
    ("select (rand() as ?r) {}", False),
    ("SELECT (STRUUID() AS ?u) {}", False),
    ("SELECT (UUID() AS ?u) {}", False),
    ("SELECT (BNODE() AS ?b) {}", False),
    ("CONSTRUCT { _:x <http://example.org/p> ?o } WHERE { ?s ?p ?o }", False),
    ("CONSTRUCT { [] <http://example.org/p> ?o } WHERE { ?s ?p ?o }", False),
    ("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", False),
])
def test_repeatable(text, expected):
    assert repeatable(text) is expected


# -- through the app


@pytest.fixture
def writable_app(store_copy):
    from kamergraph.endpoint import create_app

    application = create_app(Settings(store=str(store_copy), write_token=WRITE_TOKEN, query_timeout=5))
    application.config["TESTING"] = True
    yield application
    application.extensions["kamergraph"].close()


def count_by_get(client) -> int:
    reply = client.get("/sparql", query_string={"query": COUNT}, headers={"Accept": "text/csv"})
    assert reply.status_code == 200, reply.data
    return int(reply.data.split()[1])


def test_a_repeated_query_needs_no_query_process_and_an_update_is_seen_at_once(writable_app):
    client = writable_app.test_client()
    backend = writable_app.extensions["kamergraph"]
    before = count_by_get(client)
    backend.queries.close()  # from now on any query that reaches a query process fails
    assert count_by_get(client) == before
    backend.queries = type(backend.queries)(2, backend.queries.module, backend.queries.config)
    update = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> 1 } }"
    reply = client.post("/sparql", data=urllib.parse.urlencode({"update": update}),
                        headers={"Content-Type": "application/x-www-form-urlencoded",
                                 "Authorization": f"Bearer {WRITE_TOKEN}"})
    assert reply.status_code == 204, reply.data
    assert count_by_get(client) == before + 1


def test_now_is_asked_every_time(client):
    def now() -> str:
        reply = client.get("/sparql", query_string={"query": "SELECT (STR(NOW()) AS ?t) {}"},
                           headers={"Accept": "text/csv"})
        assert reply.status_code == 200, reply.data
        return reply.data.decode().split()[1]

    first = now()
    time.sleep(0.01)
    assert now() != first
