"""/explore benchmark: reading the pairs of who asked whom from a page index, and counting each view.

    python benchmarks/bench_explore.py --index STORE.pages.sqlite [--times 5] [--workdir /tmp/bench-explore]

The page index given (that of a store of generated questions, e.g. ``benchmarks/bench_pages.py``'s)
is copied with its questions repeated ``--times`` times (the copies numbered after the originals),
so 10,000 questions stand for 50,000 without an ingest of hours: the pairs are read from the
question rows, and the unfiltered views count every question. Printed: the questions, the time to
read the pairs (done once per page index, in a thread, when a web process loads it), and per view
the time to count it and the number of rows. Filtered views count fewer questions and are faster.

Not a test: it needs a large page index.
"""
from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import time
from pathlib import Path


def repeated(source: Path, target: Path, times: int) -> int:
    """A copy of the page index with its question rows ``times`` times; the number of questions."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target)
    db = sqlite3.connect(target)
    try:
        count = db.execute("SELECT count(*) FROM question").fetchone()[0]
        columns = [row[1] for row in db.execute("PRAGMA table_info(question)")][1:]
        listed = ", ".join(columns)
        for copy in range(1, times):
            db.execute(f"INSERT INTO question (id, {listed}) SELECT id + ?, {listed} FROM question WHERE id < ?",
                       (copy * count, count))
        db.execute("UPDATE meta SET value = ? WHERE key = 'questions'", (str(times * count),))
        db.commit()
    finally:
        db.close()
    return times * count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", required=True, type=Path, help="a page index (STORE.pages.sqlite)")
    parser.add_argument("--times", type=int, default=5, help="how often its questions are repeated")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bench-explore"))
    args = parser.parse_args(argv)
    if not args.index.is_file():
        print(f"error: {args.index}: no such page index", file=sys.stderr)
        return 2

    from kamergraph.indexes import pairs
    from kamergraph.indexes.pages import PageIndex

    copy = args.workdir / "pages.sqlite"
    questions = repeated(args.index, copy, args.times)
    index = PageIndex(copy)
    try:
        started = time.perf_counter()
        found = pairs.build(index)
        print(f"{questions:,} questions: pairs read in {time.perf_counter() - started:.2f} s")
        for by in pairs.BY:
            for to in pairs.TO:
                started = time.perf_counter()
                rows = pairs.count(found, by, to, range(index.size))
                print(f"  {by} -> {to}: {1000 * (time.perf_counter() - started):.0f} ms, {len(rows):,} rows")
    finally:
        index.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
