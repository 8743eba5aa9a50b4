"""Where an ingest's CPU goes, thread by thread: the bulk loader, RocksDB's compactions, the
search index and the rest of the main process, the worker processes.

    python benchmarks/ingest_breakdown.py var/bench/pages-100000-seed1 [--batch-size 1000]

Runs ``ingest_paths`` as ``kamergraph ingest`` does (worker processes, two batch writes at once,
a search index beside a fresh store in a temporary folder, the compaction at the end of a large
run) and reads each thread's CPU time from ``/proc/self/task`` (Linux) five times a second, so a
thread that has ended keeps its last reading; what short-lived threads did between two readings
shows as unattributed. Oxigraph's bulk loader builds its table files in
threads of its own (named ``python``, as the process is); RocksDB's compactions run in
``rocksdb:low``; the batch writes (``kamergraph-write``) parse the N-Quads and hand them over.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kamergraph.graph import open_store
from kamergraph.indexes.search import SearchIndex, index_path_for
from kamergraph.ingest.pipeline import BATCH_SIZE, ingest_paths

KINDS = {  # thread name prefix -> what it does
    "python": "bulk loader: table files (Oxigraph's threads)",
    "rocksdb:low": "RocksDB compactions",
    "rocksdb:high": "RocksDB flushes",
    "kamergraph-write": "batch writes: N-Quads parsing, file ingestion",
    "MainThread": "main thread: batches, search index, compaction call",
}


class ThreadClock:
    """The CPU seconds of every thread of this process, read from /proc every ``interval``."""

    def __init__(self, interval: float = 0.2):
        self.interval = interval
        self.cpu: dict[str, float] = {}
        self.names: dict[str, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="thread-clock", daemon=True)
        self._tick = os.sysconf("SC_CLK_TCK")

    def __enter__(self) -> ThreadClock:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._read()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._read()

    def _read(self) -> None:
        python_names = {str(t.native_id): t.name for t in threading.enumerate()}
        for tid in os.listdir("/proc/self/task"):
            try:
                stat = Path(f"/proc/self/task/{tid}/stat").read_text()
            except FileNotFoundError:
                continue  # ended between the listing and the read
            fields = stat[stat.rindex(")") + 2:].split()
            self.cpu[tid] = (int(fields[11]) + int(fields[12])) / self._tick
            self.names[tid] = python_names.get(tid) or self.names.get(tid) or stat[stat.index("(") + 1:stat.rindex(")")]

    def by_kind(self) -> Counter:
        kinds: Counter = Counter()
        for tid, seconds in self.cpu.items():
            name = self.names[tid]
            if name == "thread-clock":
                continue
            kind = next((k for k in KINDS if name.startswith(k)), "other (process pool's threads)")
            kinds[KINDS.get(kind, kind)] += seconds
        return kinds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", type=Path)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kamergraph-breakdown-") as folder:
        location = os.path.join(folder, "store")
        store, index = open_store(location), SearchIndex(index_path_for(location))
        started, before = time.perf_counter(), os.times()
        try:
            with ThreadClock() as clock:
                report = ingest_paths(store, [args.pages], batch_size=args.batch_size, search_index=index)
        finally:
            store.close()
            index.close()
        after = os.times()
    wall = time.perf_counter() - started
    main_cpu = after.user + after.system - before.user - before.system
    workers_cpu = after.children_user + after.children_system - before.children_user - before.children_system
    lines = [
        report.summary(),
        f"wall {wall:.1f} s; CPU: main process {main_cpu:.1f} s, worker processes {workers_cpu:.1f} s, "
        f"together {main_cpu + workers_cpu:.1f} s ({(main_cpu + workers_cpu) / wall:.2f} cores busy on average)",
        f"peak RSS of the main process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB",
        "main process CPU by thread:",
        *(f"  {seconds:7.1f} s  {kind}" for kind, seconds in clock.by_kind().most_common()),
        f"  {main_cpu - sum(clock.by_kind().values()):7.1f} s  unattributed (threads that ended between readings)",
        f"  {workers_cpu:7.1f} s  worker processes: reading, parsing, mapping, validating, N-Quads "
        f"({workers_cpu / max(report.files, 1) * 1000:.2f} ms a page)",
    ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
