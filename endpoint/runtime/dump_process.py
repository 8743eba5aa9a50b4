"""Write the store as a gzipped dump to standard output: ``python -m kamergraph.endpoint.runtime.dump_process
--store S --format nquads|turtle``. Streams: quads are read from a read-only snapshot and serialized as they
come, so memory stays flat however large the store. Turtle is the union of all graphs (a triple
stored in two graphs may be written twice, which parses to the same graph)."""
from __future__ import annotations

import argparse
import gzip
import sys
from typing import IO, cast

from pyoxigraph import RdfFormat, Triple, serialize

from kamergraph.graph import open_store
from kamergraph.ontology.terms import PREFIXES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", required=True)
    parser.add_argument("--format", choices=("nquads", "turtle"), required=True)
    args = parser.parse_args(argv)
    store = open_store(args.store, read_only=True)
    with gzip.GzipFile(fileobj=sys.stdout.buffer, mode="wb", compresslevel=6, mtime=0) as gzipped:
        out = cast(IO[bytes], gzipped)  # a binary file, which pyoxigraph's stubs name IO[bytes]
        quads = store.quads()
        if args.format == "nquads":
            serialize(quads, out, format=RdfFormat.N_QUADS)
        else:
            triples = (Triple(q.subject, q.predicate, q.object) for q in quads)
            serialize(triples, out, format=RdfFormat.TURTLE, prefixes=PREFIXES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
