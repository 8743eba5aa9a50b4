"""A named query as it is now beside the same query at an earlier revision: the time of a first and a
second run of each on one store (embedded Oxigraph, opened read-only), and whether their rows are equal.

    python benchmarks/query_versions.py --store STORE --query answer-times --against 4550c23 by=minister on=2025-01-01

The earlier text is read with ``git show REVISION:queries/NAME.rq``; parameters are given as
``name=value`` and bound into both texts alike. The two run one after the other in one process, the
earlier text first, so the later one finds the store's pages the first read already in memory:
compare second runs. Rows are compared whole: every variable's term, datatype included.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from kamergraph.graph import GraphStore, open_store
from kamergraph.queries import parse_query_file

ROOT = Path(__file__).resolve().parent.parent


def timed_rows(store: GraphStore, text: str, runs: int) -> tuple[list[float], list[dict]]:
    seconds: list[float] = []
    rows: list[dict] = []
    for _ in range(runs):
        start = time.perf_counter()
        rows = [dict(row) for row in store.query(text).rows()]
        seconds.append(time.perf_counter() - start)
    return seconds, rows


def runs_count(text: str) -> int:
    runs = int(text)
    if runs < 1:
        raise argparse.ArgumentTypeError("give at least one run")
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True, help="an Oxigraph store folder")
    parser.add_argument("--query", required=True, help="a named query, e.g. answer-times")
    parser.add_argument("--against", required=True, help="the git revision of the earlier text")
    parser.add_argument("--runs", type=runs_count, default=2)
    parser.add_argument("values", nargs="*", help="parameters as name=value")
    args = parser.parse_args(argv)
    if bad := [item for item in args.values if "=" not in item]:
        parser.error(f"parameter {bad[0]!r}: give it as name=value")
    values = dict(item.split("=", 1) for item in args.values)
    path = f"queries/{args.query}.rq"
    earlier = subprocess.run(["git", "show", f"{args.against}:{path}"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout
    texts = {args.against: earlier, "now": (ROOT / path).read_text(encoding="utf-8")}
    store = open_store(args.store, read_only=True)
    found = {}
    for label, text in texts.items():
        seconds, found[label] = timed_rows(store, parse_query_file(args.query, text).bound_text(values), args.runs)
        runs = " / ".join(f"{s:.2f} s" for s in seconds)
        print(f"{args.query} {values} {label}: {len(found[label])} rows, {runs}", flush=True)
    equal = found[args.against] == found["now"]
    print("rows equal" if equal else "rows differ")
    return 0 if equal else 1


if __name__ == "__main__":
    sys.exit(main())
