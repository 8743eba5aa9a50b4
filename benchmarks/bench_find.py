"""Finding people and questions, and the feeds, as the web process answers them (Flask's test
client, no HTTP): the first request after start (which builds the page index, the directory and the
caches it keeps per page index) and the median of ``--runs`` more, per request.

    python benchmarks/bench_find.py --store STORE [--runs 7] [--name "Agnes Mulder"]

``--name`` is a person of the store (the generated stores have Agnes Mulder); the searches cover a
name, a name by date, a word every question has (more matches than are ranked), that word with
two facets chosen, and a search page in HTML.
"""
from __future__ import annotations

import argparse
import statistics
import time
from urllib.parse import quote_plus


def requests(name: str) -> list[str]:
    q = quote_plus(name)
    return [
        f"/search.json?q={q}", f"/search.json?q={q}&order=newest", "/search.json?q=het",
        "/search.json?q=het&party=cda&year=2020", f"/search?q={q}",
        "/id/persoon", "/id/persoon.json", f"/id/persoon?q={q}", f"/questions?submitter={q}",
        "/feeds/questions.atom?party=cda", "/feeds/answers.atom?ministry=mnre1058", "/feeds/overdue.atom",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--name", default="Agnes Mulder")
    args = parser.parse_args()
    from kamergraph.endpoint import create_app

    app = create_app(store=args.store)
    client = app.test_client()
    started = time.perf_counter()
    client.get("/questions.json")
    print(f"page index ready after {1000 * (time.perf_counter() - started):.0f} ms")
    try:
        for path in requests(args.name):
            times = []
            for _ in range(args.runs + 1):
                started = time.perf_counter()
                response = client.get(path, headers={"Accept": "text/html"})
                times.append(1000 * (time.perf_counter() - started))
            note = ""
            if path.startswith("/search.json"):
                document = response.get_json()
                note = f"  ({document['total']:,} matches{'' if document['ranked'] else ', by date'})"
            median = statistics.median(times[1:])
            print(f"{path:52s} {response.status_code}  first {times[0]:7.1f} ms  median {median:6.1f} ms{note}")
    finally:
        app.extensions["kamergraph"].close()


if __name__ == "__main__":
    main()
