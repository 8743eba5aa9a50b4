"""Ways to hand the same N-Quads to Oxigraph's bulk loader, each in a fresh process and store:

    python benchmarks/bulk_variants.py EXPORT.nq [--variants path,stream,lenient] [--repeat 1]

- ``path``: ``bulk_load(path=EXPORT)``, the ingest benchmark's reference;
- ``stream``: one ``bulk_load`` fed through a Python reader object, as one streaming load of an
  ingest's output would be (the reader hands over what it is asked for, as a pipe from the
  workers would);
- ``lenient``: ``bulk_load(bytes, lenient=True)``, the parser's IRI and language-tag checks left
  out (the ingest's N-Quads come from terms that passed them already);
- ``bytes``: ``bulk_load(bytes)``, as the ingest's batch writes call it, to compare ``lenient`` with.

For each: wall seconds of the call, CPU seconds of the process, its peak RSS, quads loaded.
EXPORT is what ``kamergraph export --format nquads`` writes (``bench_ingest.py --keep`` keeps one).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

_LOAD = r"""
import json, resource, sys, time
import pyoxigraph
variant, source, folder = sys.argv[1:4]
store = pyoxigraph.Store(folder)
N_QUADS = pyoxigraph.RdfFormat.N_QUADS


class Reader:
    def __init__(self, handle):
        self.handle = handle

    def read(self, size=-1):
        return self.handle.read(size if size and size > 0 else 1 << 20)


data = open(source, "rb").read() if variant in ("bytes", "lenient") else None
cpu, started = time.process_time(), time.perf_counter()
if variant == "path":
    store.bulk_load(path=source, format=N_QUADS)
elif variant == "stream":
    with open(source, "rb") as handle:
        store.bulk_load(Reader(handle), format=N_QUADS)
else:
    store.bulk_load(data, format=N_QUADS, lenient=variant == "lenient")
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
print(json.dumps({"seconds": seconds, "cpu": cpu, "quads": len(store),
                  "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("export", help="an N-Quads file")
    parser.add_argument("--variants", default="path,stream,bytes,lenient")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    print("| variant | call s | process CPU s | peak RSS (MiB) | quads |")
    print("|---|---:|---:|---:|---:|")
    for _ in range(args.repeat):
        for variant in args.variants.split(","):
            with tempfile.TemporaryDirectory(dir=os.path.dirname(os.path.abspath(args.export))) as folder:
                done = subprocess.run([sys.executable, "-c", _LOAD, variant, args.export, folder],
                                      capture_output=True, text=True, check=True)
            r = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"| {variant} | {r['seconds']:.2f} | {r['cpu']:.1f} | {r['rss_mib']:,.0f} | {r['quads']:,} |",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
