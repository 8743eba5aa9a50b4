"""A bounded load test: fixed clients for a fixed time, several rounds, against the browse pages and
/sparql of a real `kamergraph serve` on loopback; the server's memory before and after each round.

A request fails when it gets no answer or a status of 400 or more. Memory is the resident size of
the server and all its processes (web, query and write processes), read from /proc.

    python benchmarks/load_test.py [--store DIR] [--clients 8] [--seconds 20] [--rounds 3]

Without --store the examples are ingested into a fresh store under var/loadtest.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.http_load import (
    Request,
    free_port,
    kamergraph_command,
    machine,
    run_load,
    sparql_get,
    start_kamergraph,
    stop,
    tree_rss_mib,
)
from benchmarks.report import replace_section
from kamergraph.graph import open_store

ROOT = Path(__file__).resolve().parent.parent
HTML = (("Accept", "text/html"),)
OK = tuple(range(200, 400))

SAMPLE = """
PREFIX kg: <https://kamergraph.nl/def#>
SELECT ?question ?person ?party ?ministry ?topic WHERE {
  ?question kg:submission [ kg:person ?person ; kg:party ?party ] ;
            kg:answeringMinistry ?ministry ; <http://purl.org/dc/terms/subject> ?topic .
} LIMIT 20
"""


def local_path(iri: str, base: str) -> str:
    return "/" + iri[len(base):] if iri.startswith(base) else iri


def requests_for(store_path: str, base: str) -> list[Request]:
    """Every kind of page for a sample of the store's resources, and SPARQL queries."""
    store = open_store(store_path, read_only=True)
    try:
        rows = store.query(SAMPLE).rows()
    finally:
        store.close()
    pages = ["/", "/questions", "/questions?answered=no", "/search?q=drones", "/search?q=minister",
             "/.well-known/void", "/queries", "/explore", "/charts", "/def"]
    pages.extend(local_path(row[key].value, base) for row in rows
                 for key in ("question", "person", "party", "ministry", "topic"))
    work = [Request("GET", page, headers=HTML) for page in dict.fromkeys(pages)]
    work += [
        sparql_get("SELECT (COUNT(*) AS ?n) WHERE { ?q a <https://kamergraph.nl/def#WrittenQuestion> }"),
        sparql_get(f"DESCRIBE <{rows[0]['question'].value}>", "text/turtle"),
        sparql_get("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 100", "text/csv"),
    ]
    return work


def examples_store() -> str:
    folder = ROOT / "var" / "loadtest"
    store = folder / "store"
    if not store.exists():
        subprocess.run([*kamergraph_command(), "ingest", "--no-progress", "--store", str(store),
                        str(ROOT / "examples")], check=True, cwd=ROOT)
    return str(store)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", help="an embedded store (default: the examples in var/loadtest)")
    parser.add_argument("--base-iri", default="https://kamergraph.nl/")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0, help="per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-update", action="store_true", help="leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)

    store = args.store or examples_store()
    work = requests_for(store, args.base_iri)
    port = free_port()
    started_on = machine()
    server = start_kamergraph(store, port)
    lines = [
        "| round | requests | failed | req/s | p50 ms | p95 ms | p99 ms | max ms | server RSS before → after (MiB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    failures = 0
    try:
        run_load(port, work, 1, 2, ok=OK)  # warm up: every page once, query processes started
        memory = [tree_rss_mib(server.pid)]
        for number in range(1, args.rounds + 1):
            figures = run_load(port, work, args.clients, args.seconds, ok=OK)
            memory.append(tree_rss_mib(server.pid))
            failures += figures.failures
            lines.append(
                f"| {number} | {figures.requests} | {figures.failures} | {figures.throughput:.0f} | "
                f"{figures.percentile(50):.1f} | {figures.percentile(95):.1f} | {figures.percentile(99):.1f} | "
                f"{max(figures.latencies) * 1000:.0f} | {memory[-2]:.0f} → {memory[-1]:.0f} |"
            )
    finally:
        stop(server)
    growth = memory[-1] - memory[1] if len(memory) > 2 else 0.0
    store = f" --store {args.store}" if args.store else ""
    command = (f"python benchmarks/load_test.py{store} --clients {args.clients}"
               f" --seconds {args.seconds:g} --rounds {args.rounds}")
    text = (
        f"`{command}` — {date.today().isoformat()}. Machine: {started_on}. {len(work)} different requests "
        f"(every page type, search, the dataset description, /sparql SELECT, DESCRIBE and CSV) sent round-robin "
        f"by {args.clients} clients on keep-alive connections.\n\n" + "\n".join(lines) +
        f"\n\nFailed requests: {failures}. Memory from the end of round 1 to the end of round {args.rounds}: "
        f"{growth:+.0f} MiB.\n"
    )
    print(text)
    if not args.no_update:
        replace_section(ROOT / "BENCHMARKS.md", "load-test", "## Load: pages and /sparql under a bounded load", text)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
