"""Does a read-only store slow down under endpoint writes beside the server, and does it recover
without a manual ingest? (issue 16: ~60 writes with graph deletes, a write killed at the time limit
and two very large pages left /id/partij/vvd 10-50x slower until a read-write open compacted it.)

    python benchmarks/store_recovery.py STORE [--big 200000] [--max-table-files 32]
        [--compact-after-written 33554432]

With ``--max-table-files 1000000 --compact-after-written 1000000000000`` no write compacts, as
before either safeguard; with 32 and no second flag, only the count of table files does.

STORE is copied first. The steps, each through a short read-write open as the write process makes
(``EmbeddedStore``, closed after, so the upkeep on close runs with ``--max-table-files``):
60 writes of a small graph about the party, every third one a DROP GRAPH; two very large graphs
(``--big`` triples each, linking to the party) written, then dropped; a write killed with SIGKILL in
the middle of a large INSERT; one more small write. After each step the store is opened read-only,
as a query process opens it, and measured: the open, the median of reads of the party's incoming
links (what its page asks), table files and write-ahead log bytes.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pyoxigraph import Store

from kamergraph.graph.embedded import COMPACT_AFTER_WRITTEN, MAX_TABLE_FILES, EmbeddedStore, table_files

PARTY = "https://kamergraph.nl/id/partij/vvd"
INCOMING = f"SELECT ?s ?p WHERE {{ ?s ?p <{PARTY}> }}"
DESCRIBE = f"DESCRIBE <{PARTY}>"
BIG_INSERT = ('INSERT { GRAPH <urn:x-bench:killed> { ?s <urn:x-bench:copy> ?o } } '
              'WHERE { ?s ?p ?o . ?x ?y ?z } ')


def wal_bytes(path: Path) -> int:
    return sum(entry.stat().st_size for entry in os.scandir(path) if entry.name.endswith(".log"))


def measure(path: Path, label: str, reads: int = 30) -> dict:
    started = time.perf_counter()
    store = Store.read_only(str(path))
    opened = time.perf_counter() - started
    times = []
    for _ in range(reads):
        started = time.perf_counter()
        rows = len(list(store.query(INCOMING, use_default_graph_as_union=True)))
        list(store.query(DESCRIBE, use_default_graph_as_union=True))
        times.append(time.perf_counter() - started)
    del store
    row = {"step": label, "open_ms": opened * 1000, "read_ms": statistics.median(times) * 1000,
           "rows": rows, "sst": table_files(path), "wal_kb": wal_bytes(path) // 1024}
    print(f"{label:<34} open {row['open_ms']:7.1f} ms  read {row['read_ms']:7.2f} ms  "
          f"rows {rows:6d}  sst {row['sst']:3d}  wal {row['wal_kb']:7d} KiB", flush=True)
    return row


def write(path: Path, sparql: str, limits: dict) -> None:
    store = EmbeddedStore(path, **limits)
    try:
        store.update(sparql)
    finally:
        store.close()


def big_graph(path: Path, name: str, triples: int, limits: dict) -> None:
    lines = "".join(f'<urn:x-bench:{name}/{i}> <https://kamergraph.nl/def#party> <{PARTY}> <urn:x-bench:{name}> .\n'
                    f'<urn:x-bench:{name}/{i}> <urn:x-bench:text> "{"tekst " * 40}{i}" <urn:x-bench:{name}> .\n'
                    for i in range(triples // 2))
    store = EmbeddedStore(path, **limits)
    try:
        store.write_nquads(lines.encode(), replace=[f"urn:x-bench:{name}"])
    finally:
        store.close()


def killed_write(path: Path, after: float) -> None:
    """A write process killed at the time limit, in the middle of its transaction."""
    code = ("import sys; from pyoxigraph import Store; s = Store(sys.argv[1]); print('open', flush=True); "
            "s.update(sys.argv[2])")
    process = subprocess.Popen([sys.executable, "-c", code, str(path), BIG_INSERT], stdout=subprocess.PIPE)
    assert process.stdout is not None
    process.stdout.readline()
    time.sleep(after)
    process.send_signal(signal.SIGKILL)
    process.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--big", type=int, default=200_000, help="triples in each very large graph")
    parser.add_argument("--max-table-files", type=int, default=MAX_TABLE_FILES)
    parser.add_argument("--compact-after-written", type=int, default=COMPACT_AFTER_WRITTEN)
    parser.add_argument("--kill-after", type=float, default=3.0)
    args = parser.parse_args(argv)
    limit = {"max_table_files": args.max_table_files, "compact_after_written": args.compact_after_written}
    with tempfile.TemporaryDirectory(prefix="kamergraph-recovery-") as folder:
        path = Path(folder) / "store"
        shutil.copytree(args.store, path, ignore=shutil.ignore_patterns("LOCK"))
        measure(path, "as copied")
        for number in range(60):
            if number % 3 == 2:
                write(path, f"DROP SILENT GRAPH <urn:x-bench:w{number - 1}>", limit)
            else:
                write(path, f'INSERT DATA {{ GRAPH <urn:x-bench:w{number}> {{ <urn:x-bench:s{number}> '
                            f'<https://kamergraph.nl/def#party> <{PARTY}> }} }}', limit)
        measure(path, "after 60 writes, 20 graph deletes")
        for name in ("big1", "big2"):
            big_graph(path, name, args.big, limit)
        measure(path, f"two graphs of {args.big} written")
        for name in ("big1", "big2"):
            write(path, f"DROP GRAPH <urn:x-bench:{name}>", limit)
        measure(path, "both dropped")
        killed_write(path, args.kill_after)
        measure(path, "a write SIGKILLed mid-transaction")
        measure(path, "opened read-only again")
        write(path, f'INSERT DATA {{ GRAPH <urn:x-bench:after> {{ <urn:x-bench:after> <urn:x-bench:p> <{PARTY}> }} }}',
              limit)
        measure(path, "after one more endpoint write")
        store = Store(str(path))
        store.optimize()
        del store
        measure(path, "after a full compaction")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
