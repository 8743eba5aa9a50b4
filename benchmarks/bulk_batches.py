"""Oxigraph's bulk loader on its own, fed in batches of a given size: does the size of the ingest's
atomic batches cost anything by itself, without the parsing and mapping beside it?

    python benchmarks/bulk_batches.py EXPORT.nq 107000 1000000 0

Each size loads the whole N-Quads file into a fresh store in consecutive ``bulk_load`` calls of
that many quads (0: one call for the whole file, as bench_ingest.py's reference does), in this
process, and reports the wall time inside the calls and the process CPU (RocksDB's threads
included). Make the file with ``kamergraph export --store STORE --format nquads --output FILE``.
"""
from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph


def batches(path: Path, size: int) -> Iterator[bytes]:
    lines: list[bytes] = []
    with path.open("rb") as handle:
        for line in handle:
            lines.append(line)
            if len(lines) == size:
                yield b"".join(lines)
                lines = []
    if lines:
        yield b"".join(lines)


def load(path: Path, size: int, folder: Path) -> str:
    store = pyoxigraph.Store(str(folder))
    calls, inside, cpu = 0, 0.0, time.process_time()
    if size == 0:
        started = time.perf_counter()
        store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS)
        inside, calls = time.perf_counter() - started, 1
    else:
        for data in batches(path, size):
            started = time.perf_counter()
            store.bulk_load(data, format=pyoxigraph.RdfFormat.N_QUADS)
            inside += time.perf_counter() - started
            calls += 1
    store.flush()
    quads = len(store)
    cpu = time.process_time() - cpu
    label = "the whole file" if size == 0 else f"{size:,} quads"
    return (f"{label} a call: {calls} calls, {inside:.1f} s inside them, {quads / inside:,.0f} quads/s, "
            f"process CPU {cpu:.1f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("nquads", type=Path)
    parser.add_argument("sizes", type=int, nargs="+", help="quads a call; 0 for one call")
    args = parser.parse_args(argv)
    for size in args.sizes:
        folder = Path(tempfile.mkdtemp(prefix="kamergraph-bulk-"))
        try:
            print(load(args.nquads, size, folder), flush=True)
        finally:
            shutil.rmtree(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
