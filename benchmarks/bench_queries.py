"""Query benchmark: kamergraph's /sparql against `oxigraph serve-read-only` on the same store.

Both servers serve the same store (read-only) with the union of all graphs as default graph. For
each named query (parameters: defaults, or a value found in the store) and a DESCRIBE of a
question, a fixed number of clients send it for a fixed time to each server, the servers taking
turns query by query (so that a machine drifting over the hour slows both alike); then the whole
mix at once, each client in its own shuffled order. Throughput, p50 and p95 latency, and the ratio ours/theirs.

    python benchmarks/bench_queries.py --store var/bench/run-100000/store [--clients 4] [--seconds 10]
"""
from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.http_load import (
    Figures,
    free_port,
    machine,
    run_load,
    sparql_get,
    start_kamergraph,
    start_oxigraph_reference,
    stop,
)
from benchmarks.report import replace_section, revision
from kamergraph import queries
from kamergraph.graph import open_store

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = {
    # For parameters without a default: a value that exists in any generated store.
    "person": "SELECT ?v WHERE { ?q <https://kamergraph.nl/def#mainSubmitter> ?v } "
              "GROUP BY ?v ORDER BY DESC(COUNT(?q)) LIMIT 1",
    "topic": "SELECT ?v WHERE { ?q <http://purl.org/dc/terms/subject> ?v } "
             "GROUP BY ?v ORDER BY DESC(COUNT(?q)) LIMIT 1",
    "party": "SELECT ?v WHERE { ?s <https://kamergraph.nl/def#party> ?v } GROUP BY ?v ORDER BY DESC(COUNT(?s)) LIMIT 1",
    "ministry": "SELECT ?v WHERE { ?q <https://kamergraph.nl/def#answeringMinistry> ?v } "
                "GROUP BY ?v ORDER BY DESC(COUNT(?q)) LIMIT 1",
    "post": "SELECT ?v WHERE { ?a <https://kamergraph.nl/def#post> ?v } GROUP BY ?v ORDER BY DESC(COUNT(?a)) LIMIT 1",
    "question": "SELECT ?v WHERE { ?v <https://kamergraph.nl/def#zaakNumber> ?z } ORDER BY DESC(?z) LIMIT 1",
    "zaak": "SELECT ?v WHERE { ?q <https://kamergraph.nl/def#zaakNumber> ?v } ORDER BY DESC(?v) LIMIT 1",
    # the latest deadline: every open question due before it is overdue on it
    "day": "SELECT (STR(?d) AS ?v) WHERE { { SELECT (MAX(?deadline) AS ?d) WHERE { "
           "?q <https://kamergraph.nl/def#deadline> ?deadline } } }",
    # the most active submitter, as a node with many incoming statements
    "iri": "SELECT ?v WHERE { ?q <https://kamergraph.nl/def#mainSubmitter> ?v } "
           "GROUP BY ?v ORDER BY DESC(COUNT(?q)) LIMIT 1",
    # the two ends of the largest who-asked-whom pair of a member and a minister (the same list in both)
    "source": "SELECT ?v WHERE { ?v <https://kamergraph.nl/def#memberToMinister> ?l . "
              "?l <https://kamergraph.nl/def#entry> ?e } GROUP BY ?v ?l ORDER BY DESC(COUNT(?e)) ?l LIMIT 1",
    "target": "SELECT ?v WHERE { ?s <https://kamergraph.nl/def#memberToMinister> ?l . "
              "?l <https://kamergraph.nl/def#pairTarget> ?v ; <https://kamergraph.nl/def#entry> ?e } "
              "GROUP BY ?v ?l ORDER BY DESC(COUNT(?e)) ?l LIMIT 1",
}


def sample_values(store_path: str) -> dict[str, str]:
    store = open_store(store_path, read_only=True)
    try:
        found = {}
        for name, sparql in SAMPLES.items():
            rows = store.query(sparql).rows()
            if rows:
                found[name] = rows[0]["v"].value
        return found
    finally:
        store.close()


def workload(samples: dict[str, str]) -> list[tuple[str, str]]:
    """(name, query text) for every named query, parameters bound, and a DESCRIBE."""
    work = []
    for named in queries.registry().values():
        values = {}
        for parameter in named.parameters:
            if parameter.default is None and parameter.name in samples:
                values[parameter.name] = samples[parameter.name]
            elif parameter.required and parameter.default is None:
                break
        else:
            work.append((named.name, named.bound_text(values)))
    work.append(("describe-question", f"DESCRIBE <{samples['question']}>"))
    return work


_GRAPH_FORM = re.compile(r"^\s*(CONSTRUCT|DESCRIBE)\b", re.IGNORECASE | re.MULTILINE)


def accept_for(text: str) -> str:
    """N-Triples for a query that gives a graph (CONSTRUCT, DESCRIBE), SPARQL JSON for the others."""
    return "application/n-triples" if _GRAPH_FORM.search(text) else "application/sparql-results+json"


def measure(servers: dict[str, tuple[int, str]], work, clients: int, seconds: float) -> dict[str, dict[str, Figures]]:
    """Figures by server and query. The servers take turns query by query, the first one changing
    each time, so that a machine whose speed drifts over the hour slows both alike; each query gets
    one untimed answer from a server before that server is timed on it."""
    results: dict[str, dict[str, Figures]] = {name: {} for name in servers}
    names = list(servers)
    jobs = [(query, text, False) for query, text in work] + [("all queries mixed", None, True)]
    for number, (query, text, mixed) in enumerate(jobs):
        for server in names[number % 2:] + names[:number % 2]:
            port, path = servers[server]
            if mixed:
                mix = [sparql_get(t, accept_for(t), path) for _, t in work]
                results[server][query] = run_load(port, mix, clients, seconds * 2, shuffle_seed=1)
            else:
                request = sparql_get(text, accept_for(text), path)
                run_load(port, [request], 1, 0.0)  # warm
                results[server][query] = run_load(port, [request], clients, seconds)
    return results


def table(ours: dict[str, Figures], theirs: dict[str, Figures]) -> str:
    lines = [
        "| query | kamergraph req/s | p50 ms | p95 ms | oxigraph req/s | p50 ms | p95 ms | ratio | failed |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, a in ours.items():
        b = theirs[name]
        ratio = a.throughput / b.throughput if b.throughput else float("nan")
        lines.append(
            f"| {name} | {a.throughput:.1f} | {a.percentile(50):.0f} | {a.percentile(95):.0f} | "
            f"{b.throughput:.1f} | {b.percentile(50):.0f} | {b.percentile(95):.0f} | {ratio:.2f} | "
            f"{a.failures}/{b.failures} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True, help="an embedded store (e.g. var/bench/run-100000/store)")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10.0, help="per query and server")
    parser.add_argument("--only", nargs="*", help="only these queries (names; describe-question for the DESCRIBE)")
    parser.add_argument("--workers", type=int, help="kamergraph's HTTP worker processes (default: its own default)")
    parser.add_argument("--no-update", action="store_true", help="leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)

    samples = sample_values(args.store)
    work = [(name, text) for name, text in workload(samples) if not args.only or name in args.only]
    started_on = machine()
    ours_port, theirs_port = free_port(), free_port()
    # Both read-only on the same files, both up for the whole run; only one is sent work at a time.
    theirs_process = start_oxigraph_reference(args.store, theirs_port)
    try:
        ours_process = start_kamergraph(args.store, ours_port, {"KAMERGRAPH_QUERY_TIMEOUT": "120",
                                                               "KAMERGRAPH_MAX_ROWS": "1000000"}, args.workers)
        try:
            results = measure({"oxigraph": (theirs_port, "/query"), "kamergraph": (ours_port, "/sparql")},
                              work, args.clients, args.seconds)
        finally:
            stop(ours_process)
    finally:
        stop(theirs_process)
    ours, theirs = results["kamergraph"], results["oxigraph"]

    command = " ".join(["python benchmarks/bench_queries.py", "--store", args.store, "--clients", str(args.clients),
                        "--seconds", str(args.seconds)]
                       + (["--workers", str(args.workers)] if args.workers else [])
                       + (["--only", *args.only] if args.only else []))
    text = (
        f"`{command}` — {date.today().isoformat()}, revision {revision()}. Machine: {started_on}. "
        f"{args.clients} concurrent clients, {args.seconds:g} s per query and server after one untimed answer, "
        f"the servers taking turns query by query (the mix: {2 * args.seconds:g} s, each client in its own "
        f"shuffled order).\n\n{table(ours, theirs)}\n"
    )
    print(text)
    if not args.no_update:
        replace_section(ROOT / "BENCHMARKS.md", "bench-queries", "## Queries: /sparql against oxigraph serve-read-only",
                        text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
