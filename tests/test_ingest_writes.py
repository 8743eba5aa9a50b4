"""BatchWriter: batches written beside the parsing, on a real embedded store whose writes can be
held back (a gate before each ``write_nquads``), so the order of events is fixed, not raced."""
from __future__ import annotations

import threading

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from kamergraph.graph.embedded import EmbeddedStore
from kamergraph.ingest.writes import BatchWriter

P = NamedNode("https://example.org/p")


def graph(n: int) -> str:
    return f"https://example.org/g{n}"


def nquads(n: int) -> bytes:
    return f"<https://example.org/s{n}> <{P.value}> \"{n}\" <{graph(n)}> .\n".encode()


def quad(n: int) -> Quad:
    return Quad(NamedNode(f"https://example.org/s{n}"), P, Literal(str(n)), NamedNode(graph(n)))


class GatedStore(EmbeddedStore):
    """An embedded store whose writes wait until the test opens the gate."""

    def __init__(self, path):
        super().__init__(path)
        self.gate = threading.Event()

    def write_nquads(self, data: bytes, replace=()) -> None:
        assert self.gate.wait(10), "the test never opened the gate"
        super().write_nquads(data, replace)


@pytest.fixture
def store(tmp_path):
    store = GatedStore(tmp_path / "store")
    yield store
    store.gate.set()
    store.close()


def test_an_embedded_store_writes_two_batches_at_once(store):
    assert BatchWriter(store).threads == 2


def test_written_runs_in_order_once_each_batch_is_stored(store):
    writer, done = BatchWriter(store), []

    def submit(n: int) -> None:
        writer.submit(nquads(n), [], [graph(n)], lambda: done.append((n, quad(n) in set(store.quads()))))

    submit(1)
    submit(2)
    assert done == []  # two in flight, held back by the gate
    threading.Timer(0.3, store.gate.set).start()
    submit(3)  # a third must wait until the first has been stored
    assert done[0] == (1, True)
    writer.finish()
    assert done == [(1, True), (2, True), (3, True)]
    assert set(store.quads()) == {quad(1), quad(2), quad(3)}


def test_wait_for_finishes_the_writes_touching_a_graph_and_those_before_them(store):
    writer, done = BatchWriter(store), []
    for n in (1, 2):
        writer.submit(nquads(n), [], [graph(n)], lambda n=n: done.append(n))
    writer.wait_for([graph(9)])  # nothing pending touches g9: returns at once, the gate still shut
    assert done == []
    waiter = threading.Thread(target=writer.wait_for, args=([graph(2)],))
    waiter.start()
    waiter.join(0.3)
    assert waiter.is_alive() and done == []  # held back by the gate, as it must be
    store.gate.set()
    waiter.join(10)
    assert not waiter.is_alive() and done == [1, 2]
    assert set(store.quads()) == {quad(1), quad(2)}
    writer.finish()


def test_a_failed_write_is_raised_after_the_others_have_ended(store):
    writer, done = BatchWriter(store), []
    store.gate.set()
    writer.submit(nquads(1), [], [graph(1)], lambda: done.append(1))
    writer.submit(b"<https://example.org/s2> not N-Quads .\n", [], [graph(2)], lambda: done.append(2))
    writer.submit(nquads(3), [], [graph(3)], lambda: done.append(3))
    with pytest.raises(SyntaxError):
        writer.finish()
    assert done == [1, 3]
    assert set(store.quads()) == {quad(1), quad(3)}


def test_a_store_without_write_threads_writes_in_the_callers_thread(tmp_path):
    class OneAtATime(EmbeddedStore):
        write_threads = 1

    store = OneAtATime(tmp_path / "store")
    try:
        writer, threads = BatchWriter(store), []
        writer.submit(nquads(1), [], [graph(1)], lambda: threads.append(threading.current_thread()))
        assert threads == [threading.current_thread()] and set(store.quads()) == {quad(1)}
        writer.finish()
    finally:
        store.close()
