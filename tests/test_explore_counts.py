"""/explore counts who asked whom from the page index (kamergraph/indexes/pairs.py): here those counts
are held to the named query who-asked-whom run on the store, row for row and in the same order, for
each of the four views and each kind of filter, on the examples and on a generated store."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from kamergraph import queries
from kamergraph.endpoint.analysis import network
from kamergraph.graph import open_store
from kamergraph.indexes.page_build import build
from kamergraph.indexes.pages import PageIndex, store_signature
from stores import ingest

ROOT = Path(__file__).resolve().parent.parent
VIEWS = [(by, to) for by in ("member", "party") for to in ("minister", "ministry")]
GENERATED = 600


def sparql_rows(store, by: str, to: str, query: dict[str, str]) -> list[tuple[str, str, int]]:
    text = queries.registry()["who-asked-whom"].bound_text({"by": by, "to": to, **query})
    return [(r["source"].value, r["target"].value, int(r["questions"].value)) for r in store.query(text).rows()]


def index_rows(index: PageIndex, by: str, to: str, query: dict[str, str]) -> list[tuple[str, str, int]]:
    return [(r["source"], r["target"], r["questions"]) for r in network.edges(index, by, to, query)]


def filters(index: PageIndex) -> list[dict[str, str]]:
    """No filter; the two largest topics, parties and ministries; a year; a topic with a party and a
    ministry; a range of dates."""
    def top(dim: str, n: int = 2) -> list[str]:
        return [value for value, _ in index.counts(dim, index.all)[:n]]

    years = sorted(v for v, _ in index.counts("year", index.all))
    out: list[dict[str, str]] = [{}]
    out += [{"topic": t} for t in top("topic")] + [{"party": p} for p in top("party")]
    out += [{"ministry": m} for m in top("ministry")]
    out.append({"from": f"{years[-1]}-01-01", "until": f"{years[-1]}-12-31"})
    out.append({"topic": top("topic")[0], "party": top("party")[0], "ministry": top("ministry")[0]})
    out.append({"from": f"{years[0]}-03-15", "until": f"{years[-1]}-06-30"})
    return out


def check(store_dir: Path, index: PageIndex) -> int:
    compared = 0
    store = open_store(str(store_dir), read_only=True)
    try:
        for query in filters(index):
            for by, to in VIEWS:
                expected = sparql_rows(store, by, to, query)
                assert index_rows(index, by, to, query) == expected, (by, to, query)
                compared += len(expected)
    finally:
        store.close()
    return compared


def load_index(store_dir: Path, folder: Path) -> PageIndex:
    path = folder / "pages.sqlite"
    build(str(store_dir), path, store_signature(str(store_dir)))
    return PageIndex(path)


def test_counts_equal_the_named_query_on_the_examples(store_dir, tmp_path):
    index = load_index(store_dir, tmp_path)
    try:
        assert check(store_dir, index) > 50
    finally:
        index.close()


@pytest.mark.slow
def test_counts_equal_the_named_query_on_a_generated_store(tmp_path):
    spec = importlib.util.spec_from_file_location("kamergraph_bench_generate", ROOT / "benchmarks" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = generate
    spec.loader.exec_module(generate)
    pages = tmp_path / "pages"
    generate.write_pages(pages, GENERATED, seed=7)
    store_dir = tmp_path / "store"
    ingest(store_dir, pages)
    index = load_index(store_dir, tmp_path)
    try:
        assert index.size == GENERATED
        assert check(store_dir, index) > 2000
    finally:
        index.close()


def test_pairs_are_read_as_soon_as_an_index_is_loaded(settings):
    """The first /explore after a start finds the pairs read: the keeper reads them when it loads
    the page index, for whichever page asked for it first."""
    import time

    from kamergraph.endpoint import create_app
    from kamergraph.endpoint.site.render import page_index

    network.forget_pairs()
    app = create_app(settings)
    with app.test_request_context("/"):
        index = page_index()  # as the home page does
        deadline = time.monotonic() + 10
        while not network.prepared(index) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert network.prepared(index)
    app.extensions["kamergraph-pages"].close()
