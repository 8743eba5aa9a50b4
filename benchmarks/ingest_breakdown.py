"""Where an ingest's CPU goes: the store writes, the search index, the rest of the main process and
the worker processes, with the store writes early, midway and late in the run.

    python benchmarks/ingest_breakdown.py var/bench/pages-100000-seed1 [--batch-size 1000]

Runs ``ingest_paths`` (as ``kamergraph ingest`` does: worker processes, a search index beside a
fresh store in a temporary folder) with timers around ``EmbeddedStore.write_nquads`` and
``SearchIndex.put``. Process CPU includes RocksDB's own threads (its bulk loader and compactions),
which the calling thread's CPU time does not see.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph import open_store  # noqa: E402
from graph.embedded import EmbeddedStore  # noqa: E402
from graph.search import SearchIndex, index_path_for  # noqa: E402
from ingest.pipeline import BATCH_SIZE, ingest_paths  # noqa: E402


def timed(cls, name: str, log: list) -> None:
    original = getattr(cls, name)

    def wrapper(*args, **kwargs):
        wall, process = time.perf_counter(), time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            log.append((time.perf_counter() - wall, time.process_time() - process))

    setattr(cls, name, wrapper)


def summary(label: str, calls: list[tuple[float, float]]) -> list[str]:
    n = len(calls)
    lines = [f"{label}: {n} calls, wall {sum(c[0] for c in calls):.1f} s, process CPU during them "
             f"{sum(c[1] for c in calls):.1f} s"]
    tenth = max(1, n // 10)
    for name, part in (("first tenth", calls[:tenth]), ("middle tenth", calls[n // 2 - tenth // 2:][:tenth]),
                       ("last tenth", calls[-tenth:])):
        lines.append(f"  {name}: {sum(c[0] for c in part) / len(part):.3f} s wall, "
                     f"{sum(c[1] for c in part) / len(part):.3f} s process CPU a call")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", type=Path)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    args = parser.parse_args(argv)
    writes: list = []
    puts: list = []
    timed(EmbeddedStore, "write_nquads", writes)
    timed(SearchIndex, "put", puts)
    with tempfile.TemporaryDirectory(prefix="kamergraph-breakdown-") as folder:
        location = os.path.join(folder, "store")
        store, index = open_store(location), SearchIndex(index_path_for(location))
        started, before = time.perf_counter(), os.times()
        try:
            report = ingest_paths(store, [args.pages], batch_size=args.batch_size, search_index=index)
        finally:
            store.close()
            index.close()
        after = os.times()
    wall = time.perf_counter() - started
    main_cpu = after.user + after.system - before.user - before.system
    workers_cpu = (after.children_user + after.children_system - before.children_user - before.children_system)
    lines = [
        report.summary(),
        f"wall {wall:.1f} s; CPU: main process {main_cpu:.1f} s (its threads and RocksDB's), "
        f"worker processes {workers_cpu:.1f} s, together {main_cpu + workers_cpu:.1f} s "
        f"({(main_cpu + workers_cpu) / wall:.2f} cores busy on average)",
        f"peak RSS of the main process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB",
        *summary("store writes (write_nquads)", writes),
        *summary("search index (SearchIndex.put)", puts),
    ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
