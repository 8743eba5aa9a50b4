"""Start-up of the endpoint's child processes, as the web process sees it: from starting a pool of
one child to the reply to its first task (``ASK {}`` for a query process, an empty ``INSERT DATA``
on a copy of the store for the write process), and how long importing each child module takes in
a fresh interpreter. Medians over ``--runs``.

    python benchmarks/child_startup.py --store STORE [--runs 30]
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kamergraph.endpoint.runtime import query_process, write_process
from kamergraph.endpoint.runtime.formats import SOLUTIONS
from kamergraph.endpoint.runtime.pool import Pool
from kamergraph.endpoint.runtime.tasks import Query, Update
from kamergraph.indexes import dumps, page_build


def first_reply(module, config: dict, task, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        pool = Pool(1, module, config)
        try:
            reply = pool.run(task, 30)
            times.append(time.perf_counter() - started)
        finally:
            pool.close()
        if reply.status not in (200, 204):
            raise SystemExit(f"{module.__name__}: {reply.status} {reply.body!r}")
    return times


def import_time(name: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import {name}"], check=True)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    copy = Path(tempfile.mkdtemp()) / "store"
    shutil.copytree(args.store, copy)
    try:
        rows = [
            ("query process, first reply", first_reply(
                query_process, {"store": args.store, "max_rows": 10_000, "allow_service": False},
                Query("ASK {}", SOLUTIONS[0], None), args.runs)),
            ("write process, first reply", first_reply(
                write_process, {"store": str(copy), "allow_service": False, "lock_wait": 1.0},
                Update("INSERT DATA { }"), args.runs)),
        ]
    finally:
        shutil.rmtree(copy.parent)
    rows += [(f"import {m.__name__}", import_time(m.__name__, args.runs))
             for m in (query_process, write_process, dumps, page_build)]
    rows.append(("the interpreter alone (import sys)", import_time("sys", args.runs)))
    for label, times in rows:
        print(f"{label:58} median {statistics.median(times) * 1000:5.0f} ms  min {min(times) * 1000:5.0f} ms")


if __name__ == "__main__":
    main()
