"""What the compaction at the end of a large ingest buys: reads on a store as the batches leave it,
and on the same store after ``Store.optimize()``.

    python benchmarks/compaction.py STORE [--describes 200] [--scan-seconds 30]

STORE must not be compacted yet (``ingest_paths(..., compact_after=10**9)`` makes one; so did
``kamergraph ingest`` before it compacted). It is copied to a temporary folder first, and the copy
is measured as the server and ``kamergraph export`` open it, read-only: the median time of a
DESCRIBE of questions spread over the store and the rate of a scan of all quads (for at most
``--scan-seconds``); then the compaction itself; then both reads again. (Opened for writing,
RocksDB starts compacting by itself at once, which hides the difference.)
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph

QUESTIONS = "SELECT ?q WHERE { GRAPH ?g { ?q <https://kamergraph.nl/def#zaakNumber> ?z } }"


def describe_ms(store: pyoxigraph.Store, questions: list[str]) -> float:
    times = []
    for iri in questions:
        started = time.perf_counter()
        list(store.query(f"DESCRIBE <{iri}>", use_default_graph_as_union=True))
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def scan_rate(store: pyoxigraph.Store, seconds: float) -> float:
    count, started = 0, time.perf_counter()
    for _ in store.quads_for_pattern(None, None, None, None):
        count += 1
        if count % 100_000 == 0 and time.perf_counter() - started > seconds:
            break
    return count / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--describes", type=int, default=200)
    parser.add_argument("--scan-seconds", type=float, default=30.0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kamergraph-compaction-") as folder:
        copy = Path(folder) / "store"
        shutil.copytree(args.store, copy)
        store = pyoxigraph.Store.read_only(str(copy))
        everything = [row[0].value for row in store.query(QUESTIONS)]
        step = max(1, len(everything) // args.describes)
        questions = everything[::step][: args.describes]
        rows = [("as the batches left it", describe_ms(store, questions), scan_rate(store, args.scan_seconds))]
        del store
        writable = pyoxigraph.Store(str(copy))
        started = time.perf_counter()
        writable.optimize()
        compaction = time.perf_counter() - started
        del writable
        store = pyoxigraph.Store.read_only(str(copy))
        rows.append(("after Store.optimize()", describe_ms(store, questions), scan_rate(store, args.scan_seconds)))
        del store
    print(f"{len(everything):,} questions; the compaction took {compaction:.1f} s\n")
    print("| store | DESCRIBE of a question, median ms | scan of all quads, quads/s |")
    print("|---|---:|---:|")
    for name, describe, rate in rows:
        print(f"| {name} | {describe:.2f} | {rate:,.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
