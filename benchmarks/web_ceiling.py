"""How far a Python web stack can go on a cheap query: the ceiling under the query benchmark.

For one cheap request (a DESCRIBE of a question), in the same run and taking turns round by
round, the same clients measure:

- ``oxigraph serve-read-only`` on the store (the reference of bench_queries.py);
- a Flask app that answers every request with Oxigraph's own answer, as fixed bytes, served by
  gunicorn configured as ``kamergraph serve`` configures it, with 1, 2 and 4 web processes
  (``--processes``): no query, no query process, no content negotiation, no checks;
- ``kamergraph serve`` itself.

The constant app is the most any Flask endpoint could answer here, so its ratio to Oxigraph is
the ceiling of kamergraph's ratio on cheap queries on this machine.

With ``--kinds``, other cheap requests are measured the same way, each against a constant app that
answers kamergraph's own bytes for it: ``select`` (a SELECT of a question's statements, SPARQL
JSON) and ``page`` (the question's browse page, HTML), besides ``describe``. A page has no Oxigraph
reference; its ratio is to the constant app.

    python benchmarks/web_ceiling.py --store STORE [--clients 4] [--seconds 8] [--rounds 3] [--processes 1 2 4]
        [--kinds describe select page]
"""
from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_queries import sample_values
from benchmarks.http_load import (
    ROOT,
    Figures,
    Request,
    clean_env,
    free_port,
    machine,
    run_load,
    sparql_get,
    start_kamergraph,
    start_oxigraph_reference,
    stop,
    wait_started,
)
from benchmarks.report import revision
from kamergraph.endpoint.server import THREADS

ACCEPT = "application/n-triples"
KINDS = ("describe", "select", "page")
HTML = "text/html"
JSON_RESULTS = "application/sparql-results+json"


def requests_of(kind: str, question: str) -> tuple[Request, Request | None]:
    """(the request to kamergraph and the constant app, the same to Oxigraph or None) for a kind."""
    if kind == "page":
        return Request("GET", urlsplit(question).path, headers=(("Accept", HTML),)), None
    if kind == "select":
        query, accept = f"SELECT ?p ?o WHERE {{ <{question}> ?p ?o }} LIMIT 10", JSON_RESULTS
    else:
        query, accept = f"DESCRIBE <{question}>", ACCEPT
    return sparql_get(query, accept, "/sparql"), sparql_get(query, accept, "/query")


def start_constant(body_file: str, port: int, workers: int, content_type: str = ACCEPT) -> subprocess.Popen:
    """gunicorn with kamergraph's worker class, threads and access log, serving constant_app."""
    env = {**clean_env(), "KAMERGRAPH_CONSTANT_BODY": body_file, "KAMERGRAPH_CONSTANT_TYPE": content_type}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--worker-class", "gthread", "--threads", str(THREADS), "--access-logfile", "-",
         "benchmarks.constant_app:create()"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    wait_started(process, port, "/sparql")
    return process


def fetch(port: int, path: str, accept: str = ACCEPT) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers={"Accept": accept})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{path}: {response.status} {body[:200]!r}")
    return body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=8.0, help="per server and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2, 4], help="web processes of the Flask app")
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=["describe"],
                        help="cheap requests to measure (default: the DESCRIBE only)")
    args = parser.parse_args(argv)

    question = sample_values(args.store)["question"]
    started_on = machine()
    # One server a name: Oxigraph and kamergraph answer every kind; a constant app answers one kind.
    names = ["oxigraph", *(f"flask-{n}-{kind}" for kind in args.kinds for n in args.processes), "kamergraph"]
    ports = {name: free_port() for name in names}
    processes: dict[str, subprocess.Popen] = {}
    figures: dict[tuple[str, str], list[Figures]] = {}
    with tempfile.TemporaryDirectory() as folder:
        try:
            processes["oxigraph"] = start_oxigraph_reference(args.store, ports["oxigraph"])
            processes["kamergraph"] = start_kamergraph(args.store, ports["kamergraph"])
            for kind in args.kinds:
                ours, reference = requests_of(kind, question)
                accept = dict(ours.headers)["Accept"]
                body = fetch(ports["kamergraph"], ours.path, accept)
                if kind == "describe":
                    theirs = fetch(ports["oxigraph"], reference.path, accept)  # type: ignore[union-attr]
                    if sorted(body.splitlines()) != sorted(theirs.splitlines()):
                        raise RuntimeError("kamergraph and Oxigraph give different triples for the DESCRIBE")
                body_file = os.path.join(folder, f"{kind}.body")
                Path(body_file).write_bytes(body)
                for count in args.processes:
                    name = f"flask-{count}-{kind}"
                    processes[name] = start_constant(body_file, ports[name], count, accept)
            for round_ in range(args.rounds):
                for kind in args.kinds:
                    ours, reference = requests_of(kind, question)
                    servers = [*(["oxigraph"] if reference else []),
                               *(f"flask-{n}-{kind}" for n in args.processes), "kamergraph"]
                    turn = round_ % len(servers)
                    for name in servers[turn:] + servers[:turn]:
                        request = reference if name == "oxigraph" else ours
                        assert request is not None
                        run_load(ports[name], [request], args.clients, 1.0)  # warm, untimed
                        figures.setdefault((kind, name), []).append(
                            run_load(ports[name], [request], args.clients, args.seconds))
        finally:
            for process in processes.values():
                stop(process)

    def rate(kind: str, name: str) -> float:
        return statistics.median(f.throughput for f in figures[(kind, name)])

    lines = ["| request | server | req/s (median of rounds) | rounds | p50 ms | failed | ratio to Oxigraph "
             f"| ratio to the constant app, {args.processes[0]} web process{'es' if args.processes[0] > 1 else ''} |",
             "|---|---|---:|---|---:|---:|---:|---:|"]
    for kind in args.kinds:
        ceiling = rate(kind, f"flask-{args.processes[0]}-{kind}")
        reference = rate(kind, "oxigraph") if (kind, "oxigraph") in figures else None
        labels = {
            "oxigraph": "`oxigraph serve-read-only` (the reference)",
            **{f"flask-{n}-{kind}": f"Flask app answering fixed bytes, gunicorn as kamergraph runs it, {n} web "
                                    f"process{'es' if n > 1 else ''}" for n in args.processes},
            "kamergraph": "`kamergraph serve` (its defaults)",
        }
        for name, label in labels.items():
            if (kind, name) not in figures:
                continue
            runs = figures[(kind, name)]
            ours_rate = rate(kind, name)
            to_oxigraph = f"{ours_rate / reference:.2f}" if reference else "—"
            lines.append(
                f"| {kind} | {label} | {ours_rate:.0f} | {', '.join(f'{f.throughput:.0f}' for f in runs)} | "
                f"{statistics.median(f.percentile(50) for f in runs):.2f} | {sum(f.failures for f in runs)} | "
                f"{to_oxigraph} | {ours_rate / ceiling:.2f} |"
            )
    command = (f"python benchmarks/web_ceiling.py --store {args.store} --clients {args.clients} "
               f"--seconds {args.seconds:g} --rounds {args.rounds} --processes {' '.join(map(str, args.processes))}"
               f" --kinds {' '.join(args.kinds)}")
    print(f"`{command}` — {date.today().isoformat()}, revision {revision()}. Machine: {started_on}. "
          f"{args.clients} clients, the question <{question}>, {args.seconds:g} s per server and round after "
          f"1 s untimed, the servers taking turns.\n")
    print("\n".join(lines))
    return 0 if not any(f.failures for runs in figures.values() for f in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
