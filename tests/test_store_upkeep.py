"""The store keeps itself in shape under endpoint writes (issue 16): the server only ever opens it
read-only and never compacts it, and each write opens it read-write for a moment, adding table
files and an info log. A read-write close compacts past MAX_TABLE_FILES and keeps KEEP_INFO_LOGS
old info logs."""
from __future__ import annotations

import os
import statistics
import time

from kamergraph.endpoint.runtime import write_process
from kamergraph.endpoint.runtime.tasks import Update
from kamergraph.graph.embedded import (
    COMPACT_AFTER_WRITTEN,
    KEEP_INFO_LOGS,
    WRITTEN_FILE,
    EmbeddedStore,
    table_files,
)
from stores import copy_store


def _info_logs(path) -> int:
    return sum(1 for name in os.listdir(path) if name.startswith("LOG.old."))


def _write_once(path, number: int, **options) -> None:
    store = EmbeddedStore(path, **options)
    try:
        store.update(f'INSERT DATA {{ GRAPH <urn:x-test:g{number}> {{ <urn:s> <urn:p> "{number}" }} }}')
    finally:
        store.close()


def test_old_info_logs_do_not_pile_up(store_dir, tmp_path):
    store = copy_store(store_dir, tmp_path / "store")
    for number in range(20):
        _write_once(store, number)
    assert _info_logs(store) == KEEP_INFO_LOGS  # RocksDB alone keeps one per open, up to 1,000


def test_a_write_compacts_a_store_whose_table_files_piled_up(store_dir, tmp_path):
    store = copy_store(store_dir, tmp_path / "store")
    before = table_files(store)
    # Only the count of table files decides here, not what was written since the last compaction.
    _write_once(store, 0, max_table_files=before + 100, compact_after_written=10**12)  # under the limit
    piled = table_files(store)
    assert piled > before  # the write's flush added a table file
    _write_once(store, 1, max_table_files=piled - 1, compact_after_written=10**12)  # over: compacted on close
    after = table_files(store)
    print(f"table files: {before} at first, {piled} after a write, {after} after a compacting write")
    assert after < piled - 1
    reader = EmbeddedStore(store, read_only=True)
    try:
        assert reader.query('ASK { GRAPH <urn:x-test:g1> { <urn:s> <urn:p> "1" } }').value
        assert reader.query('ASK { GRAPH <urn:x-test:g0> { <urn:s> <urn:p> "0" } }').value
    finally:
        reader.close()


PARTY = "https://kamergraph.nl/id/partij/vvd"


def _incoming_ms(path) -> float:
    """The median time, in a read-only open as a query process makes, to read the party's incoming links."""
    reader = EmbeddedStore(path, read_only=True)
    try:
        times = []
        for _ in range(20):
            started = time.perf_counter()
            reader.query(f"SELECT ?s ?p WHERE {{ ?s ?p <{PARTY}> }}").rows()
            times.append(time.perf_counter() - started)
        return statistics.median(times) * 1000
    finally:
        reader.close()


def test_a_large_graph_delete_leaves_reads_as_fast_as_before(store_dir, tmp_path):
    """Deleted quads stay behind as tombstones that every read of their range steps over, until a
    compaction; a write that deleted many compacts on close, with few table files or many."""
    store = copy_store(store_dir, tmp_path / "store")
    before = _incoming_ms(store)
    big = "".join(f"<urn:x-test:big/{i}> <https://kamergraph.nl/def#party> <{PARTY}> <urn:x-test:big> .\n"
                  for i in range(100_000))
    writer = EmbeddedStore(store, max_table_files=10**6)  # the count of table files decides nothing here
    try:
        writer.write_nquads(big.encode(), replace=["urn:x-test:big"])
    finally:
        writer.close()
    _write_once(store, 0, max_table_files=10**6)
    writer = EmbeddedStore(store, max_table_files=10**6)
    try:
        writer.update("DROP GRAPH <urn:x-test:big>")
    finally:
        writer.close()
    after = _incoming_ms(store)
    print(f"the party's incoming links: {before:.2f} ms at first, {after:.2f} ms after a 100,000-quad graph "
          f"was written and dropped; {table_files(store)} table files")
    assert after < max(3 * before, before + 3.0)  # 17 times slower without the compaction



def test_the_write_process_answers_before_its_upkeep(store_dir, tmp_path):
    """A compaction can outlast the time limit on a large store; were it part of the write, a kill
    at the limit would report a stored write as failed. So a write closes the store without upkeep,
    and the write process compacts after its reply is sent (``after_reply``)."""
    store = copy_store(store_dir, tmp_path / "store")
    # As if endpoint writes had put all but one byte of the limit into the store since its last compaction.
    (store / WRITTEN_FILE).write_text(f"{COMPACT_AFTER_WRITTEN - 1}\n")
    handle = write_process.handler({"store": str(store), "base_iri": "https://kamergraph.nl/", "allow_service": False,
                                    "lock_wait": 1.0, "isolated": False})
    reply = handle(Update('INSERT DATA { GRAPH <urn:x-test:g> { <urn:s> <urn:p> "over the limit" } }'))
    assert reply.status == 204
    assert int((store / WRITTEN_FILE).read_text()) > COMPACT_AFTER_WRITTEN  # not compacted by the write
    handle.after_reply()
    assert (store / WRITTEN_FILE).read_text() == "0\n"  # compacted after the reply
    handle.after_reply()  # nothing due: no second compaction (and no read-write open)
