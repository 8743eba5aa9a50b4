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

    python benchmarks/web_ceiling.py --store STORE [--clients 4] [--seconds 8] [--rounds 3] [--processes 1 2 4]
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_queries import sample_values
from benchmarks.http_load import (
    ROOT,
    Figures,
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


def start_constant(body_file: str, port: int, workers: int) -> subprocess.Popen:
    """gunicorn with kamergraph's worker class, threads and access log, serving constant_app."""
    env = {**clean_env(), "KAMERGRAPH_CONSTANT_BODY": body_file}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--worker-class", "gthread", "--threads", str(THREADS), "--access-logfile", "-",
         "benchmarks.constant_app:create()"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    wait_started(process, port, "/sparql")
    return process


def fetch(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers={"Accept": ACCEPT})
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
    args = parser.parse_args(argv)

    question = sample_values(args.store)["question"]
    describe = f"DESCRIBE <{question}>"
    started_on = machine()
    names = ["oxigraph", *(f"flask-{n}" for n in args.processes), "kamergraph"]
    ports = {name: free_port() for name in names}
    paths = {name: "/query" if name == "oxigraph" else "/sparql" for name in ports}
    processes: dict[str, subprocess.Popen] = {}
    figures: dict[str, list[Figures]] = {name: [] for name in ports}
    with tempfile.TemporaryDirectory() as folder:
        try:
            processes["oxigraph"] = start_oxigraph_reference(args.store, ports["oxigraph"])
            body_file = os.path.join(folder, "describe.nt")
            Path(body_file).write_bytes(fetch(ports["oxigraph"], sparql_get(describe, ACCEPT, "/query").path))
            for count in args.processes:
                processes[f"flask-{count}"] = start_constant(body_file, ports[f"flask-{count}"], count)
            processes["kamergraph"] = start_kamergraph(args.store, ports["kamergraph"])
            ours = fetch(ports["kamergraph"], sparql_get(describe, ACCEPT, "/sparql").path)
            if sorted(ours.splitlines()) != sorted(Path(body_file).read_bytes().splitlines()):
                raise RuntimeError("kamergraph and Oxigraph give different triples for the DESCRIBE")
            for round_ in range(args.rounds):
                order = list(ports)[round_ % len(ports):] + list(ports)[:round_ % len(ports)]
                for name in order:
                    request = sparql_get(describe, ACCEPT, paths[name])
                    run_load(ports[name], [request], args.clients, 1.0)  # warm, untimed
                    figures[name].append(run_load(ports[name], [request], args.clients, args.seconds))
        finally:
            for process in processes.values():
                stop(process)

    reference = statistics.median(f.throughput for f in figures["oxigraph"])
    labels = {
        "oxigraph": "`oxigraph serve-read-only` (the reference)",
        **{f"flask-{n}": f"Flask app answering fixed bytes, gunicorn as kamergraph runs it, {n} web "
                         f"process{'es' if n > 1 else ''}" for n in args.processes},
        "kamergraph": "`kamergraph serve` (its defaults)",
    }
    lines = ["| server | req/s (median of rounds) | rounds | p50 ms | failed | ratio to Oxigraph |",
             "|---|---:|---|---:|---:|---:|"]
    for name, runs in figures.items():
        rate = statistics.median(f.throughput for f in runs)
        lines.append(
            f"| {labels[name]} | {rate:.0f} | {', '.join(f'{f.throughput:.0f}' for f in runs)} | "
            f"{statistics.median(f.percentile(50) for f in runs):.2f} | {sum(f.failures for f in runs)} | "
            f"{rate / reference:.2f} |"
        )
    command = (f"python benchmarks/web_ceiling.py --store {args.store} --clients {args.clients} "
               f"--seconds {args.seconds:g} --rounds {args.rounds} --processes {' '.join(map(str, args.processes))}")
    print(f"`{command}` — {date.today().isoformat()}, revision {revision()}. Machine: {started_on}. "
          f"{args.clients} clients, `{describe}`, {args.seconds:g} s per server and round after 1 s untimed, "
          f"the servers taking turns.\n")
    print("\n".join(lines))
    return 0 if not any(f.failures for runs in figures.values() for f in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
