"""`kamergraph serve --store http://…`: the endpoint in front of a real `oxigraph serve` and a real
Virtuoso, queried with SPARQLWrapper and plain HTTP on 127.0.0.1. It answers queries and serves
question IRIs from the remote store; it never lets an update through its query service; a failure
of the store behind it is a 502 that does not give the store's address away."""
from __future__ import annotations

import urllib.parse

import pyoxigraph
import pytest
from pyoxigraph import NamedNode
from SPARQLWrapper import JSON, SPARQLWrapper

from backends import REMOTE_STORES, start_oxigraph, start_remote, stop
from conftest import http_request, start_kamergraph
from kamergraph.config import Settings
from kamergraph.graph import open_store
from kamergraph.ingest.pipeline import ingest_paths
from test_store_backends import BASE, EXAMPLES, SETTINGS, _canonical, clear, our_quads

QUESTION = NamedNode(BASE + "id/kamervraag/2021Z16860")
COUNT = "SELECT (COUNT(DISTINCT ?q) AS ?n) WHERE { ?q a <https://kamergraph.nl/def#WrittenQuestion> }"


@pytest.fixture(scope="module", params=REMOTE_STORES)
def served(request, tmp_path_factory):
    """(remote store URL, kamergraph server in front of it) with examples/ ingested."""
    folder = tmp_path_factory.mktemp(f"serve-{request.param}")
    url, process = start_remote(request.param, folder / "data")
    store = open_store(url)
    clear(store)
    assert ingest_paths(store, [EXAMPLES], SETTINGS).ok
    server = start_kamergraph(Settings(store=url, base_iri=BASE, index_wait=60.0), folder / "server.log")
    yield url, server
    server.stop()
    stop(process)


def _get(server, path: str, query: dict | None = None, accept: str = "*/*"):
    target = server.url + path + ("?" + urllib.parse.urlencode(query) if query else "")
    return http_request("GET", target, headers={"Accept": accept})


def test_sparqlwrapper_counts_the_questions(served):
    _, server = served
    client = SPARQLWrapper(server.sparql)
    client.setQuery(COUNT)
    client.setReturnFormat(JSON)
    bindings = client.query().convert()["results"]["bindings"]
    assert [row["n"]["value"] for row in bindings] == ["10"]


def test_an_update_sent_as_a_query_is_refused_and_changes_nothing(served):
    url, server = served
    before = our_quads(open_store(url))
    for text in ("DROP ALL", "PREFIX dl: <http://example.org/download#>\nCLEAR ALL"):
        reply = _get(server, "/sparql", {"query": text})
        assert reply.status == 400, reply.text
        assert "not a SPARQL query" in reply.text
    assert our_quads(open_store(url)) == before


def test_a_query_the_store_cannot_parse_is_a_400(served):
    _, server = served
    reply = _get(server, "/sparql", {"query": "SELECT * WHERE { ?s ?p"}, "application/sparql-results+json")
    assert reply.status == 400, reply.text


def test_a_question_iri_dereferences_to_what_the_store_says_about_it(served):
    url, server = served
    reply = _get(server, "/id/kamervraag/2021Z16860", accept="text/turtle")
    assert reply.status == 200, reply.text
    assert reply.headers["content-type"].startswith("text/turtle")
    served_triples = {_canonical(q).triple for q in pyoxigraph.parse(reply.body, format=pyoxigraph.RdfFormat.TURTLE)
                      if q.subject == QUESTION}
    stored = {q.triple for q in our_quads(open_store(url)) if q.subject == QUESTION}
    assert len(stored) > 20
    assert served_triples == stored


def test_the_default_graph_of_a_remote_store_is_not_implemented(served):
    _, server = served
    reply = _get(server, "/store", {"default": ""}, "application/n-triples")
    assert reply.status == 501, reply.text
    assert "union of its named graphs" in reply.text


def test_a_store_that_went_away_is_a_502_without_its_address(tmp_path):
    url, process = start_oxigraph(tmp_path / "data")
    server = start_kamergraph(Settings(store=url, base_iri=BASE, index_wait=60.0), tmp_path / "server.log")
    try:
        assert _get(server, "/sparql", {"query": COUNT}, "application/sparql-results+json").status == 200
        stop(process)
        reply = _get(server, "/sparql", {"query": COUNT}, "application/sparql-results+json")
        assert reply.status == 502, reply.text
        assert reply.text.startswith("The store behind this endpoint failed: ")
        assert urllib.parse.urlsplit(url).netloc not in reply.text
    finally:
        server.stop()
        stop(process)
