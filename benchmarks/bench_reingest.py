"""The daily case: `kamergraph ingest` of a new crawl into a store that already holds the history.

    python benchmarks/bench_reingest.py STORE PAGES

STORE (with its search index beside it, when there is one) is copied to a temporary folder; then
`kamergraph ingest` of PAGES runs on the copy twice: first with whatever PAGES changes (new
questions, answered crawls replacing unanswered ones, earlier crawls kept out), then again, when
every file is unchanged. Each run's summary line, wall time and peak RSS are printed.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_ingest import run_measured
from benchmarks.http_load import clean_env, kamergraph_command
from kamergraph.indexes.search import index_path_for


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("pages", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kamergraph-reingest-") as folder:
        store = Path(folder) / "store"
        shutil.copytree(args.store, store)
        index = Path(index_path_for(str(args.store)))
        if index.exists():
            shutil.copy(index, index_path_for(str(store)))
        print("| run | summary | wall s | peak RSS (MiB) |\n|---|---|---:|---:|")
        for name in ("first", "again (all unchanged)"):
            run = run_measured([*kamergraph_command(), "ingest", "--no-progress", "--store", str(store),
                                str(args.pages)], Path(folder), clean_env())
            if run.returncode != 0:
                sys.stderr.write(run.stderr[-4000:])
                raise SystemExit(f"kamergraph ingest failed (exit {run.returncode})")
            summary = run.stdout.strip().splitlines()[-1]
            print(f"| {name} | {summary} | {run.wall:.2f} | {run.max_rss_kib / 1024:,.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
