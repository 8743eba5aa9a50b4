"""Page benchmark: how fast the browse pages answer on a large store, through the real server.

    python benchmarks/bench_pages.py --count 100000 [--seed 1] [--workdir var/bench] [--requests 200]
    python benchmarks/bench_pages.py --store DIR      # an existing store (with its search index beside it)

1. A store of N generated questions (``benchmarks/generate.py --count N --seed S``, then
   ``kamergraph ingest``), kept in the workdir and reused; or the store given with ``--store``.
2. ``kamergraph serve`` (gunicorn, the query processes) on a free port of 127.0.0.1, one web process.
3. The first page request builds the page index (timed: the one-off cost after an ingest).
4. Per kind of page, ``--requests`` requests to URLs drawn (seeded) from the sitemap and from the
   lists' facets: the home page, questions, persons, parties, ministries, posts, topics, the list
   with 0 to 3 facets chosen and deep pages, the search, generic pages, the ontology, the RDF twins
   and the dataset description. One client, keep-alive, one request at a time; the time is from
   sending the request to having read the whole body. p50, p95, p99 and max per kind, and the
   fraction over 100 ms.
5. A Markdown table on standard output, written into BENCHMARKS.md as the section
   ``bench-pages`` (replaced on a re-run; ``--no-update`` leaves the file alone).

Not a test: it needs minutes and a large store.
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import random
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_ingest import ensure_pages  # noqa: E402
from benchmarks.http_load import clean_env, free_port, kamergraph_command, stop  # noqa: E402
from benchmarks.report import machine, replace_text, revision, store_bytes  # noqa: E402

BENCHMARKS_MD = ROOT / "BENCHMARKS.md"
HEAD = "<!-- bench-pages -->"
TAIL = "<!-- /bench-pages -->"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
TARGET_MS = 100.0
SEARCH_WORDS = ("minister", "bericht", "onderzoek", "zorg", "veiligheid", "bereid", "kabinet", "gemeenten",
                "informatie", "maatregelen", "politie", "onderwijs", "stikstof", "belasting", "wonen", "jongeren",
                "europese", "rapport", "kosten", "inspectie")


def ensure_store(workdir: Path, count: int, seed: int) -> Path:
    """The store of (count, seed) in the workdir; made anew when its pages are (re)generated."""
    pages, generated = ensure_pages(workdir, count, seed)
    store = workdir / f"pages-store-{count}-seed{seed}"
    if generated is not None:
        print(f"generated {count} pages into {pages} in {generated:.1f} s", file=sys.stderr)
        if store.exists():
            shutil.rmtree(store)
    if not store.exists():
        print(f"ingesting into {store} (takes a while)", file=sys.stderr)
        subprocess.run([*kamergraph_command(), "ingest", "--store", str(store), "--no-progress", str(pages)],
                       check=True, cwd=ROOT)
    return store


class Client:
    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def get(self, path: str, accept: str = "text/html") -> tuple[int, bytes, float]:
        started = time.perf_counter()
        for attempt in (1, 2):
            try:
                self.conn.request("GET", path, headers={"Accept": accept})
                response = self.conn.getresponse()
                body = response.read()
                return response.status, body, (time.perf_counter() - started) * 1000
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def start_server(store: Path, port: int, log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        process = subprocess.Popen([*kamergraph_command(), "serve", "--store", str(store), "--port", str(port)],
                                   env=clean_env(), cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(log.read_text()) from None
            time.sleep(0.2)
    stop(process)
    raise RuntimeError("server did not start")


def locs(client: Client, path: str) -> list[str]:
    status, body, _ = client.get(path, accept="application/xml")
    assert status == 200, (path, status)
    return [urllib.parse.urlsplit(e.text).path for e in ET.fromstring(body).iter(SITEMAP + "loc")]


def sample_urls(client: Client, rng: random.Random, n: int) -> dict[str, list[tuple[str, str]]]:
    """Per kind of page: (path, Accept) pairs to request."""
    html = "text/html"
    entities = locs(client, "/sitemap-pages.xml")
    by_kind: dict[str, list[str]] = {}
    for path in entities:
        parts = path.strip("/").split("/")
        if len(parts) == 3 and parts[0] == "id":
            by_kind.setdefault(parts[1], []).append(path)
    questions = []
    for sitemap in locs(client, "/sitemap.xml")[1:]:
        questions += locs(client, sitemap)
    _, body, _ = client.get("/questions.json")
    facets = json.loads(body)["facets"]
    values = {dim: [v["value"] for v in vs] for dim, vs in facets.items()}

    def pick(items, k=n):
        return [rng.choice(items) for _ in range(k)]

    def facet_url(k: int) -> str:
        dims = rng.sample([d for d in ("party", "ministry", "topic", "year", "answered") if values.get(d)], k)
        params = {d: rng.choice(values[d]) for d in dims}
        if rng.random() < 0.3:
            params["page"] = str(rng.randint(2, 5))
        return "/questions?" + urllib.parse.urlencode(params)

    return {
        "home": [("/", html)] * n,
        "question": [(p, html) for p in pick(questions)],
        "person": [(p, html) for p in pick(by_kind.get("persoon", []))],
        "party": [(p, html) for p in pick(by_kind.get("partij", []))],
        "ministry": [(p, html) for p in pick(by_kind.get("ministerie", []))],
        "post": [(p, html) for p in pick(by_kind.get("post", []))],
        "topic": [(p, html) for p in pick(by_kind.get("onderwerp", []))],
        "list": [("/questions", html)] * (n // 4) + [(facet_url(1), html) for _ in range(n // 4)]
        + [(facet_url(2), html) for _ in range(n // 4)] + [(facet_url(3), html) for _ in range(n - 3 * (n // 4))],
        "list, deep page": [(f"/questions?page={rng.randint(100, 4000)}", html) for _ in range(n)],
        "list as JSON (100 rows)": [("/questions.json?size=100&" + facet_url(1).split("?", 1)[1], "application/json")
                                    for _ in range(n)],
        "search": [("/search?" + urllib.parse.urlencode({"q": " ".join(rng.sample(SEARCH_WORDS, rng.randint(1, 2)))}),
                    html) for _ in range(n)],
        "generic (sub-question)": [(p + "/vraag/1", html) for p in pick(questions)],
        "generic (party, incoming)": [("/resource?" + urllib.parse.urlencode(
            {"iri": "https://kamergraph.nl" + p, "page": rng.randint(1, 5)}), html)
            for p in pick(by_kind.get("partij", []))],
        "ontology /def": [("/def", html)] * n,
        "question as Turtle": [(p + ".ttl", "text/turtle") for p in pick(questions)],
        "person as Turtle": [(p + ".ttl", "text/turtle") for p in pick(by_kind.get("persoon", []))],
        "dataset description": [("/.well-known/void", html)] * n,
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def run(client: Client, urls: dict[str, list[tuple[str, str]]], rng: random.Random) -> dict[str, dict]:
    jobs = [(kind, path, accept) for kind, items in urls.items() for path, accept in items]
    rng.shuffle(jobs)  # interleaved, so no kind profits from a warm cache of its own
    times: dict[str, list[float]] = {kind: [] for kind in urls}
    for kind, path, accept in jobs:
        status, body, ms = client.get(path, accept)
        if status != 200:
            raise RuntimeError(f"{path}: {status} {body[:300]!r}")
        times[kind].append(ms)
    return {kind: {"n": len(t), "p50": statistics.median(t), "p95": percentile(t, 0.95), "p99": percentile(t, 0.99),
                   "max": max(t), "over": sum(1 for x in t if x > TARGET_MS) / len(t)}
            for kind, t in times.items() if t}


def table(results: dict[str, dict]) -> str:
    lines = ["| page | requests | p50 ms | p95 ms | p99 ms | max ms | over 100 ms |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for kind, r in results.items():
        lines.append(f"| {kind} | {r['n']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | {r['max']:.1f} | "
                     f"{r['over'] * 100:.1f} % |")
    return "\n".join(lines)


INTRO = """## Browse pages

`benchmarks/bench_pages.py` requests every kind of browse page through the real server
(`kamergraph serve`: gunicorn, one web process, 8 threads, 2 query processes) from one client with
keep-alive, the kinds interleaved, and reports latencies from sending the request to the last byte
of the body. URLs are drawn (seeded) from the sitemap and from the facets of the question list.
Target: p95 under 100 ms for each kind on a store of 100,000 generated questions.

```sh
python benchmarks/bench_pages.py --count 100000                      # generates and ingests the store once (var/bench)
python benchmarks/bench_pages.py --store DIR --label "my store"       # an existing store
```
"""


def section(results, info: dict, command: str, label: str) -> str:
    machine_line = "; ".join(f"{key} {value}" for key, value in {**machine(), "revision": revision()}.items())
    return "\n".join([
        f"<!-- bench-pages:{label} -->",
        f"### {label}",
        "",
        f"`{command}` — {info['date']}.",
        "",
        f"Store: {info['questions']:,} questions, {info['table_files']} table files, "
        f"{info['store_mb']:,.0f} MB on disk. "
        f"Machine: {machine_line}.",
        "",
        f"Page index (the derived cache behind lists, facets and counts) built on the first request in "
        f"{info['index_seconds']:.1f} s (once per change of the store; until it is done, the previous index "
        f"answers). First request after the server started: {info['first_ms']:.0f} ms.",
        "",
        table(results),
        "",
        f"<!-- /bench-pages:{label} -->",
    ])


def update_markdown(text: str, label: str) -> None:
    """Replace this label's section inside the bench-pages part of BENCHMARKS.md (added when missing),
    or add it at the end of that part."""
    current = BENCHMARKS_MD.read_text(encoding="utf-8") if BENCHMARKS_MD.exists() else "# Benchmarks\n"
    if HEAD not in current or TAIL not in current:
        current = current.rstrip("\n") + "\n\n" + HEAD + "\n" + INTRO + "\n" + TAIL + "\n"
    before, rest = current.split(HEAD, 1)
    part, after = rest.split(TAIL, 1)
    part = replace_text(part, f"<!-- bench-pages:{label} -->", f"<!-- /bench-pages:{label} -->", text)
    BENCHMARKS_MD.write_text(before + HEAD + part + TAIL + after, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="an existing store (default: generate and ingest --count pages)")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--requests", type=int, default=200, help="requests per kind of page")
    parser.add_argument("--label", help="the name of this run's section in BENCHMARKS.md (default: from the store)")
    parser.add_argument("--no-update", action="store_true")
    args = parser.parse_args(argv)

    store = args.store or ensure_store(args.workdir, args.count, args.seed)
    port = free_port()
    log = Path(str(store).rstrip("/") + ".bench-server.log")
    index_file = Path(str(store).rstrip("/") + ".pages.sqlite")
    if index_file.exists():
        index_file.unlink()  # measure the build too
    server = start_server(store, port, log)
    try:
        client = Client(port)
        status, _, first_ms = client.get("/sparql?query=ASK%7B%7D", accept="application/sparql-results+json")
        started = time.perf_counter()
        status, body, _ = client.get("/questions.json")
        while status == 503:  # the index of a large store takes longer than a request waits for it
            time.sleep(1)
            status, body, _ = client.get("/questions.json")
        index_seconds = time.perf_counter() - started
        assert status == 200, body[:500]
        questions = json.loads(body)["total"]
        rng = random.Random(args.seed)
        urls = sample_urls(client, rng, args.requests)
        for items in urls.values():  # one warm-up request per kind (templates, query plans)
            client.get(*items[0])
        results = run(client, urls, rng)
    finally:
        stop(server)
    size = store_bytes(Path(store)) / 1e6
    table_files = sum(1 for f in Path(store).iterdir() if f.suffix == ".sst")
    command = "python benchmarks/bench_pages.py " + shlex.join(argv if argv is not None else sys.argv[1:])
    info = {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "questions": questions,
            "store_mb": size, "index_seconds": index_seconds, "first_ms": first_ms, "table_files": table_files}
    label = args.label or f"{questions:,} questions"
    text = section(results, info, command.strip(), label)
    print(text)
    if not args.no_update:
        update_markdown(text, label)
        print(f"\nupdated {BENCHMARKS_MD}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
