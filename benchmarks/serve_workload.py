"""Every named query and every kind of page once, against a running server: the load under which
``memory_tree.py`` measures the memory of ``kamergraph serve`` (issue 18, goal 6).

    python benchmarks/memory_tree.py --out serve.json -- kamergraph serve --store STORE --port 8791 &
    python benchmarks/serve_workload.py --store STORE --port 8791
    kill -TERM %1   # memory_tree passes it on to the server and prints the peaks

Each named query goes once as its page's JSON twin (``/queries/NAME.json``, parameters: a value
found in the store, as bench_queries.py picks them) and once as its text through ``/sparql``;
then every page kind of bench_scale.py. Prints status and seconds of each request.
"""
from __future__ import annotations

import argparse
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_queries import accept_for, sample_values, workload
from benchmarks.bench_scale import get, page_paths
from kamergraph import queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True, help="the store the server serves (read for sample values)")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    samples = sample_values(args.store)
    published = queries.published()
    started = time.perf_counter()
    for name, text in workload(samples):
        if name in published:
            values = {p.name: samples[p.name] for p in published[name].parameters
                      if p.default is None and p.name in samples}
            path = f"/queries/{name}.json" + (f"?{urllib.parse.urlencode(values)}" if values else "")
            status, seconds, size = get(args.port, path)
            print(f"{status} {seconds:7.2f} s {size:>10} B  {path}", flush=True)
        status, seconds, size = get(args.port, "/sparql", accept=accept_for(text),
                                    form=urllib.parse.urlencode({"query": text}))
        print(f"{status} {seconds:7.2f} s {size:>10} B  /sparql {name}", flush=True)
    for label, path in page_paths(samples):
        status, seconds, size = get(args.port, path, accept="text/html")
        print(f"{status} {seconds:7.2f} s {size:>10} B  {label}: {path}", flush=True)
    print(f"all in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
