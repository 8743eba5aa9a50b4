"""Scale benchmark (issue 18): every named query and page kind on one store, one client.

    python benchmarks/bench_scale.py --store STORE [--pages NEW_PAGES] [--repeat 10]

Prints, and writes at the top of BENCHMARKS.md (unless --no-update):

- the cold start: from starting `kamergraph serve` to the first answer of `/`;
- for every named query (parameters: a value found in the store, as bench_queries.py picks them):
  the first answer of `/queries/NAME.json` after the server started (nothing cached, so as after a
  store change), and p50/p95 of the same query text (a form POST) through kamergraph's `/sparql` and
  through `oxigraph serve-read-only --union-default-graph` on the same store, with the ratio of the p50s;
- every kind of page: the first answer and p50/p95;
- the dump: how long until `/downloads/kamergraph.nq.gz` answers 200 on a store whose dumps are not
  written yet, then a whole download (size, seconds);
- with --pages (a folder of new pages, e.g. `python benchmarks/generate.py --count 1000 --seed 3`):
  `kamergraph ingest` of them beside the running server, and the time from the end of the ingest
  until `/questions.json` counts them; the peak memory of the ingest and of the server.

Requests go to 127.0.0.1 only; one client, requests one after another. A request whose first
answer takes over 2 s is repeated twice only.
"""
from __future__ import annotations

import argparse
import http.client
import resource
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_queries import accept_for, sample_values, workload
from benchmarks.http_load import (
    ROOT,
    clean_env,
    free_port,
    kamergraph_command,
    machine,
    start_oxigraph_reference,
    stop,
    tree_rss_mib,
)
from benchmarks.report import revision
from kamergraph import queries
from kamergraph.indexes.dumps import dumps_path


def get(port: int, path: str, accept: str = "*/*", timeout: float = 600, form: str | None = None
        ) -> tuple[int, float, int]:
    """(status, seconds, body bytes) of one GET, or of a form POST when ``form`` is given (a long
    query does not fit in the 8 KiB of headers oxigraph serve takes)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        if form is None:
            connection.request("GET", path, headers={"Accept": accept})
        else:
            connection.request("POST", path, body=form.encode("ascii"), headers={
                "Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        size = len(response.read())
        return response.status, time.perf_counter() - started, size
    finally:
        connection.close()


SLOW_SECONDS = 2.0


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return (statistics.median(ordered) * 1000,
            ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000)


REFERENCE_LIMIT = 60.0  # seconds a reference answer may take: beyond, its row says so and the run goes on


def timed(port: int, path: str, repeat: int, accept: str = "*/*", form: str | None = None, *,
          limit: float = 600) -> tuple[float, float, float, int]:
    """(first ms, p50 ms, p95 ms, the worst status) over 1 + repeat requests; TimeoutError when the
    first takes over ``limit`` seconds."""
    status, first, _ = get(port, path, accept, form=form, timeout=limit)
    if first > SLOW_SECONDS:  # a slow one: fewer repeats, so that a run stays within the hour
        repeat = min(repeat, 2)
    answers = [get(port, path, accept, form=form, timeout=limit) for _ in range(repeat)]
    p50, p95 = percentiles([seconds for _, seconds, _ in answers])
    return first * 1000, p50, p95, max([status, *(code for code, _, _ in answers)])


def mark(status: int) -> str:
    return "" if status == 200 else f" ({status})"


def start_server(store: str, port: int) -> tuple[subprocess.Popen, float]:
    """kamergraph serve, and the seconds from its start to the first answer of ``/``."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [*kamergraph_command(), "serve", "--store", store, "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env={**clean_env(), "KAMERGRAPH_QUERY_TIMEOUT": "120", "KAMERGRAPH_MAX_ROWS": "1000000"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    while True:
        try:
            if get(port, "/", "text/html", timeout=120)[0] == 200:
                return process, time.perf_counter() - started
        except OSError:
            pass
        if process.poll() is not None or time.perf_counter() - started > 300:
            stop(process)
            raise RuntimeError("kamergraph serve did not answer / within 300 s")
        time.sleep(0.05)


def page_paths(samples: dict[str, str]) -> list[tuple[str, str]]:
    def local(iri: str) -> str:
        return urllib.parse.urlsplit(iri).path

    party = samples["party"].rsplit("/", 1)[1]
    return [
        ("home", "/"), ("questions", "/questions"), ("questions, one party", f"/questions?party={party}"),
        ("questions.json", "/questions.json"), ("search", "/search?q=drones"),
        ("question", local(samples["question"])), ("person", local(samples["person"])),
        ("party", local(samples["party"])), ("ministry", local(samples["ministry"])),
        ("post", local(samples["post"])), ("topic", local(samples["topic"])),
        ("explore", "/explore"), ("explore, parties to ministries", "/explore?by=party&to=ministry"),
        ("charts", "/charts"), ("chart questions-per-month", "/charts/questions-per-month"),
        ("chart answer-times", "/charts/answer-times"), ("chart topics-over-time", "/charts/topics-over-time"),
        ("queries", "/queries"), ("downloads", "/downloads"), ("void", "/.well-known/void"),
    ]


def total_questions(port: int) -> int:
    import json

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", "/questions.json")
        return int(json.loads(connection.getresponse().read())["total"])
    finally:
        connection.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--pages", help="a folder of new pages to ingest beside the running server")
    parser.add_argument("--repeat", type=int, default=10, help="timed requests per query and page")
    parser.add_argument("--only", nargs="*", help="only these named queries (and no pages, dump or ingest)")
    parser.add_argument("--no-update", action="store_true", help="leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)

    started_on = machine()
    samples = sample_values(args.store)
    work = [(name, text) for name, text in workload(samples)
            if name != "describe-question" and (not args.only or name in args.only)]
    shutil.rmtree(dumps_path(args.store), ignore_errors=True)  # the dump's first writing is measured too
    lines = [f"`python benchmarks/bench_scale.py --store {args.store}"
             + (f" --pages {args.pages}" if args.pages else "") + f" --repeat {args.repeat}` — "
             f"{date.today().isoformat()}, revision {revision()}. Machine: {started_on}. One client.", ""]

    ours_port, theirs_port = free_port(), free_port()
    server, cold = start_server(args.store, ours_port)
    reference = start_oxigraph_reference(args.store, theirs_port)
    try:
        lines.append(f"**Cold start**: `kamergraph serve` to the first answer of `/`: {cold:.2f} s.")
        lines += ["", "| named query | first /queries/NAME.json ms | kamergraph /sparql p50 | p95 | "
                  "oxigraph p50 | p95 | ratio p50 |", "|---|---:|---:|---:|---:|---:|---:|"]
        for name, text in work:
            named = queries.get(name)
            values = {p.name: samples[p.name] for p in named.parameters
                      if p.default is None and p.name in samples and p.required}
            first = get(ours_port, f"/queries/{name}.json?{urllib.parse.urlencode(values)}")
            accept = accept_for(text)
            query = urllib.parse.urlencode({"query": text})
            _, ours50, ours95, ours = timed(ours_port, "/sparql", args.repeat, accept, form=query)
            try:
                _, theirs50, theirs95, theirs = timed(theirs_port, "/query", args.repeat, accept, form=query,
                                                      limit=REFERENCE_LIMIT)
            except TimeoutError:  # Oxigraph goes on with the query: a fresh server for the next one
                stop(reference)
                reference = start_oxigraph_reference(args.store, theirs_port)
                lines.append(f"| {name} | {first[1] * 1000:.0f}{mark(first[0])} | {ours50:.0f}{mark(ours)} | "
                             f"{ours95:.0f} | over {REFERENCE_LIMIT:.0f} s | | |")
                print(lines[-1], flush=True)
                continue
            lines.append(f"| {name} {' '.join(f'{k}={v.rsplit(chr(47), 1)[-1]}' for k, v in values.items())} | "
                         f"{first[1] * 1000:.0f}{mark(first[0])} | {ours50:.0f}{mark(ours)} | {ours95:.0f} | "
                         f"{theirs50:.0f}{mark(theirs)} | {theirs95:.0f} | {ours50 / theirs50:.2f} |")
            print(lines[-1], flush=True)
        if args.only:
            print("\n".join(lines))
            return 0
        lines += ["", "| page | first ms | p50 ms | p95 ms |", "|---|---:|---:|---:|"]
        for label, path in page_paths(samples):
            first, p50, p95, status = timed(ours_port, path, args.repeat, "text/html")
            lines.append(f"| {label} (`{path}`) | {first:.0f}{mark(status)} | "
                         f"{p50:.0f} | {p95:.0f} |")
            print(lines[-1], flush=True)
        asked = time.perf_counter()
        while get(ours_port, "/downloads/kamergraph.nq.gz")[0] == 503:
            time.sleep(1)
        written = time.perf_counter() - asked
        status, seconds, size = get(ours_port, "/downloads/kamergraph.nq.gz")
        lines += ["", f"**Dump**: first request for `/downloads/kamergraph.nq.gz` on a store without dumps: 503 "
                  f"(Retry-After) at once; both dumps written {written:.0f} s later; then a download: {status}, "
                  f"{size / 2**20:.0f} MiB in {seconds:.2f} s."]
        lines.append(f"**Memory**: the server (web process and its query processes) {tree_rss_mib(server.pid):.0f} MiB "
                     "after all of the above.")
        if args.pages:
            before = total_questions(ours_port)
            ingest_started = time.perf_counter()
            done = subprocess.run([*kamergraph_command(), "ingest", "--store", args.store, args.pages],
                                  check=True, cwd=ROOT, env=clean_env(), capture_output=True, text=True)
            ended = time.perf_counter()
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            while total_questions(ours_port) == before and time.perf_counter() - ended < 600:
                time.sleep(0.1)
            shown = time.perf_counter() - ended
            after = total_questions(ours_port)
            lines.append(f"**Ingest beside the server** of `{args.pages}`: {ended - ingest_started:.1f} s "
                         f"(`{done.stdout.strip()}`), peak {peak:.0f} MiB for the largest process of it; "
                         f"`/questions.json` counted {after} questions (was {before}) {shown:.2f} s after the "
                         f"ingest ended. Server memory then: {tree_rss_mib(server.pid):.0f} MiB.")
    finally:
        stop(server)
        stop(reference)
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_update:
        update_top(ROOT / "BENCHMARKS.md", text)
    return 0


START, END = "<!-- bench-scale:start -->", "<!-- bench-scale:end -->"


def update_top(path: Path, text: str) -> None:
    """The figures as the first section of BENCHMARKS.md (replacing an earlier run of this script)."""
    current = path.read_text(encoding="utf-8")
    block = f"{START}\n## At the size of the full record (issue 18)\n\n{text}{END}\n"
    if START in current:
        before, rest = current.split(START, 1)
        current = before + block + rest.split(END, 1)[1].lstrip("\n")
    else:
        head, sep, tail = current.partition("\n## ")
        current = head + "\n" + block + "\n" + sep.lstrip("\n") + tail if sep else current + "\n" + block
    path.write_text(current, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
