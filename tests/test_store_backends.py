"""The same behaviour on every store: embedded Oxigraph, a remote `oxigraph serve`, Virtuoso.

Ingest, re-ingest, replacement of an earlier crawl, a failed file and validation are run against
each store; the remote stores must hold exactly the quads the embedded one holds. The named
queries are compared in test_store_backends_queries.py.
"""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from backends import REMOTE_STORES, start_remote, stop
from kamergraph.config import Settings
from kamergraph.graph import open_store
from kamergraph.ingest.pipeline import ingest_paths
from kamergraph.ingest.store_checks import validate_store

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
BASE = "https://kamergraph.nl/"
UNANSWERED = EXAMPLES / "005a_1c27f41938a21a50.txt"
ANSWERED = EXAMPLES / "005b_092993d8bd7af6e5.txt"
SEED = EXAMPLES / "000_7b937e3f333bd3c8.txt"
BOOLEAN = NamedNode("http://www.w3.org/2001/XMLSchema#boolean")


SETTINGS = Settings(base_iri=BASE, ingest_time=datetime(2026, 1, 1, tzinfo=UTC))


def our_quads(store) -> set:
    """The quads of kamergraph's graphs (a Virtuoso store has system graphs of its own), with
    literals in canonical form: Virtuoso stores xsd:boolean true as its other lexical form "1"."""
    return {_canonical(q) for g in store.named_graphs() if g.value.startswith(BASE) for q in store.quads(g)}


def _canonical(quad: Quad) -> Quad:
    value = quad.object
    if isinstance(value, Literal) and value.datatype == BOOLEAN and value.value in ("1", "0"):
        return Quad(quad.subject, quad.predicate, Literal(value.value == "1"), quad.graph_name)
    return quad


def clear(store) -> None:
    for graph in store.named_graphs():
        if graph.value.startswith(BASE):
            store.update(f"DROP SILENT GRAPH {graph}")


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """The URL of a remote store of a kind, started at its first test, so that a run without
    Virtuoso's tests starts no Virtuoso."""
    running = {}
    root = tmp_path_factory.mktemp("backends")

    def url(kind: str) -> str:
        if kind not in running:
            running[kind] = start_remote(kind, root / kind)
        return running[kind][0]

    yield url
    for _, process in running.values():
        stop(process)


@pytest.fixture(params=["embedded", *REMOTE_STORES])
def store(request, servers, tmp_path):
    if request.param == "embedded":
        opened = open_store(str(tmp_path / "store"))
    else:
        opened = open_store(servers(request.param))
        clear(opened)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def embedded_examples(tmp_path_factory):
    """The reference: examples/ in the embedded store, ingested once."""
    opened = open_store(str(tmp_path_factory.mktemp("reference") / "store"))
    report = ingest_paths(opened, [EXAMPLES], SETTINGS)
    assert report.ok, report.errors
    return opened


def test_ingest_holds_exactly_the_embedded_quads(store, embedded_examples):
    report = ingest_paths(store, [EXAMPLES], SETTINGS)
    assert (report.files, report.questions, report.superseded, report.errors) == (11, 10, 1, [])
    assert our_quads(store) == our_quads(embedded_examples)


def test_reingest_changes_nothing(store):
    ingest_paths(store, [EXAMPLES], SETTINGS)
    before = our_quads(store)
    report = ingest_paths(store, [EXAMPLES], SETTINGS)
    assert (report.questions, report.unchanged) == (0, 10)
    assert our_quads(store) == before


def test_answered_crawl_replaces_the_unanswered_one(store, tmp_path):
    ingest_paths(store, [UNANSWERED], SETTINGS)
    ingest_paths(store, [ANSWERED], SETTINGS)
    only_answered = open_store(str(tmp_path / "answered-only"))
    ingest_paths(only_answered, [ANSWERED], SETTINGS)
    assert our_quads(store) == our_quads(only_answered)


def test_failed_file_leaves_the_store_unchanged(store, tmp_path):
    ingest_paths(store, [SEED], SETTINGS)
    before = our_quads(store)
    bad = tmp_path / "bad.txt"
    bad.write_text(SEED.read_text(encoding="utf-8").replace("30 september 2021", "31 februari 2021"))
    report = ingest_paths(store, [bad, SEED], SETTINGS)
    assert report.errors == [f"{bad.as_posix()}:5: impossible date '31 februari 2021'"]
    assert our_quads(store) == before


def test_validation_passes(store):
    ingest_paths(store, [EXAMPLES], SETTINGS)
    violations, checked = validate_store(store)
    assert violations == []
    assert checked > 2000
