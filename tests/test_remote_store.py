"""The remote store's own guarantees, against a real `oxigraph serve` and Virtuoso (and, where a
request has to be seen or made to fail, through a real proxy on 127.0.0.1 in front of them):

- only queries go through the query service, whatever their prologue holds (Virtuoso's /sparql
  runs updates sent as queries, for a user allowed to write);
- a batch is written shared statements first and each graph's marker last, so a failed request
  never leaves a question marked stored without what it needs, and a rerun completes the store;
- no update request is larger than MAX_UPDATE_BYTES (nginx's default limit is 1 MiB);
- failures name the store without its credentials; the store's own syntax errors stay syntax errors.
"""
from __future__ import annotations

import base64
import re

import pytest

from backends import REMOTE_STORES, free_port, start_remote, start_virtuoso, stop, virtuoso_available
from kamergraph.graph import RemoteStoreError, open_store, remote
from kamergraph.graph.remote import RemoteStore, query_form
from kamergraph.ingest.pipeline import ingest_paths
from kamergraph.iris import Iris
from recording_proxy import RecordingProxy
from test_store_backends import BASE, EXAMPLES, SETTINGS, clear, our_quads

IRIS = Iris(BASE)
QUESTIONS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?q a <https://kamergraph.nl/def#WrittenQuestion> } }"


@pytest.mark.parametrize("text, form", [
    ("PREFIX dl: <http://example.org/download#> SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("# questions added\n# and dropped\nselect * { ?s ?p ?o }", "SELECT"),
    ("BASE <http://e/> PREFIX : <x#> PREFIX load: <y> CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("DESCRIBE <http://e/a>", "DESCRIBE"),
    ("  ASK{}", "ASK"),
])
def test_the_form_of_a_query_is_read_past_its_prologue(text, form):
    assert query_form(text) == form


@pytest.mark.parametrize("text", [
    "DROP ALL",
    "INSERT DATA { <a:b> <a:c> <a:d> }",
    "# SELECT\nDROP ALL",
    "PREFIX a: <x> DROP ALL",
    # an escape in a prologue IRI could hide an update from this check on a store that reads escapes first
    "PREFIX a: <\\u003EDROP\\u0020ALL\\u003B#> SELECT * {}",
])
def test_anything_but_a_query_is_refused_before_it_is_sent(text):
    with pytest.raises(SyntaxError, match="not a SPARQL query"):
        query_form(text)


@pytest.fixture(scope="module", params=REMOTE_STORES)
def server(request, tmp_path_factory):
    """(kind, URL) of a running remote store of each kind, empty of kamergraph's graphs."""
    folder = tmp_path_factory.mktemp(request.param)
    url, process = start_remote(request.param, folder / "data")
    yield request.param, url
    stop(process)


@pytest.fixture
def proxy(server):
    opened = RecordingProxy(server[1])
    clear(open_store(server[1]))
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    store = open_store(str(tmp_path_factory.mktemp("reference") / "store"))
    assert ingest_paths(store, [EXAMPLES], SETTINGS).ok
    return our_quads(store)


def _graphs_written(updates: list[str]) -> list[str]:
    """The graphs the update requests insert into, in the order they were sent."""
    return [m for update in updates for m in re.findall(r"INSERT DATA \{ GRAPH <([^>]+)>", update)]


def test_a_query_whose_prologue_names_update_words_is_run_as_a_query(server, proxy):
    store = RemoteStore(proxy.url)
    assert ingest_paths(store, [EXAMPLES], SETTINGS).ok
    sent = len(proxy.updates)
    text = f"PREFIX dl: <http://example.org/download#>\n# questions added, then dropped\n{QUESTIONS}"
    assert store.query(text).rows()[0]["n"].value == "10"
    assert len(proxy.updates) == sent  # it went to the query service


def test_an_update_is_never_sent_as_a_query(server, proxy, reference):
    store = RemoteStore(proxy.url)
    assert ingest_paths(store, [EXAMPLES], SETTINGS).ok
    sent = len(proxy.updates)
    with pytest.raises(SyntaxError, match="not a SPARQL query"):
        store.query("DROP ALL")
    assert len(proxy.updates) == sent
    assert our_quads(store) == reference


def test_the_stores_own_syntax_error_is_a_syntax_error(server):
    with pytest.raises(SyntaxError, match="the remote store rejected the query"):
        open_store(server[1]).query("SELECT * WHERE { ?s ?p")


def test_a_batch_goes_in_shared_statements_first_and_each_marker_last(server, proxy, reference):
    store = RemoteStore(proxy.url, max_triples=150)  # many requests, and graphs sent in parts
    assert ingest_paths(store, [EXAMPLES], SETTINGS).ok
    assert our_quads(store) == reference
    graphs = _graphs_written(proxy.updates)
    questions = [n for n, g in enumerate(graphs) if "/graph/kamervraag/" in g]
    assert graphs.index(IRIS.entities_graph.value) < questions[0]
    last_ontology_request = max(n for n, g in enumerate(graphs) if g == IRIS.ontology_graph.value)
    assert last_ontology_request < graphs.index(IRIS.reference_graph.value)
    # The version marker is in the last request that writes the reference graph.
    reference_requests = [u for u in proxy.updates if f"GRAPH <{IRIS.reference_graph.value}>" in u]
    assert "softwareVersion" in reference_requests[-1]
    assert all("softwareVersion> \"kamergraph" not in u for u in reference_requests[:-1])


@pytest.mark.parametrize("failing", [1, 2, 5, 8, 13])
def test_a_failed_request_leaves_nothing_a_rerun_would_skip(server, proxy, reference, tmp_path, failing):
    """The failing-th update request of the question batch fails: a rerun must store the rest.
    Requests of 40 triples: every question graph goes in several parts."""
    store = RemoteStore(proxy.url, max_triples=40)
    empty = tmp_path / "nothing"
    empty.mkdir()
    assert ingest_paths(store, [empty], SETTINGS).ok  # the ontology and reference graphs only
    proxy.fail_update = len(proxy.updates) + failing
    with pytest.raises(RemoteStoreError, match="HTTP 503: failed on purpose"):
        ingest_paths(store, [EXAMPLES], SETTINGS)
    proxy.fail_update = None
    report = ingest_paths(store, [EXAMPLES], SETTINGS)
    assert report.ok, report.errors
    assert our_quads(store) == reference


def test_no_update_request_is_larger_than_the_limit(server, proxy, reference, monkeypatch):
    monkeypatch.setattr(remote, "MAX_UPDATE_BYTES", 40_000)
    store = RemoteStore(proxy.url)
    assert ingest_paths(store, [EXAMPLES], SETTINGS).ok
    assert our_quads(store) == reference
    assert len(proxy.update_bodies) > 10
    assert max(proxy.update_bodies) <= 40_000 + len("update=")


def test_an_unreachable_store_is_named_without_its_credentials():
    port = free_port()  # nothing listens there
    store = RemoteStore(f"http://reader:s3cret@127.0.0.1:{port}/sparql?key=t0ken")
    with pytest.raises(RemoteStoreError) as failure:
        store.query("ASK {}")
    message = str(failure.value)
    assert message.startswith(f"http://127.0.0.1:{port}/sparql: ")
    assert "s3cret" not in message and "t0ken" not in message and "reader" not in message
    assert "s3cret" not in failure.value.reason


def test_credentials_in_the_url_go_as_basic_authentication(server, proxy, reference):
    proxy_parts = proxy.url.split("://", 1)
    store = RemoteStore(f"{proxy_parts[0]}://kamer%40graph:p%C3%A4ss:word@{proxy_parts[1]}")
    assert ingest_paths(store, [EXAMPLES], SETTINGS).ok
    assert store.query(QUESTIONS).rows()[0]["n"].value == "10"
    expected = "Basic " + base64.b64encode("kamer@graph:päss:word".encode()).decode("ascii")
    assert len(proxy.authorizations) > 3 and set(proxy.authorizations) == {expected}
    assert len(proxy.updates) > 0


@pytest.mark.virtuoso
def test_an_answer_virtuoso_cut_at_its_row_limit_is_an_error(tmp_path):
    """Virtuoso answers 200 with the first ResultSetMaxRows rows, saying so only in a header."""
    if not virtuoso_available():
        pytest.fail("virtuoso-t is not installed: run `make system-deps`")
    url, process = start_virtuoso(tmp_path / "data", max_rows=5)
    try:
        store = open_store(url)
        assert len(store.query("SELECT * WHERE { ?s ?p ?o } LIMIT 3").rows()) == 3
        with pytest.raises(RemoteStoreError, match=r"the answer is incomplete \(X-SPARQL-MaxRows: 5\)"):
            store.query("SELECT * WHERE { ?s ?p ?o } LIMIT 50")
    finally:
        stop(process)


def test_the_dataset_leaves_out_the_stores_own_graphs(server, proxy, tmp_path):
    """Virtuoso keeps graphs of its own (virtrdf#, ldp#, its service description): export, stats and
    the dumps show kamergraph's graphs only, as the embedded store does."""
    store = open_store(server[1])
    assert ingest_paths(store, [EXAMPLES], SETTINGS).ok
    embedded = open_store(str(tmp_path / "store"))
    assert ingest_paths(embedded, [EXAMPLES], SETTINGS).ok
    assert {g.value for g in store.named_graphs()} == {g.value for g in embedded.named_graphs()}
    assert len(store) == len(embedded)
    assert {q.graph_name.value for q in store.quads()} == {g.value for g in embedded.named_graphs()}


def test_the_source_hashes_of_a_batch_are_looked_up_together(server, proxy, reference, monkeypatch):
    """One query for every 200 graphs (here 3, to see the split), not one a graph; graphs the
    store does not hold are left out, the others give exactly their stored hash."""
    from pyoxigraph import NamedNode

    from kamergraph.ontology.terms import KG

    store = RemoteStore(proxy.url)
    assert ingest_paths(store, [EXAMPLES], SETTINGS).ok
    expected = {q.graph_name.value: [q.object] for q in reference
                if q.predicate == KG.sourceHash and q.subject == q.graph_name}
    assert len(expected) == 10
    graphs = [NamedNode(g) for g in sorted(expected)] + [NamedNode(BASE + "graph/kamervraag/2099Z99999")]
    monkeypatch.setattr(remote, "SELF_STATEMENTS_PER_REQUEST", 3)
    sent = len(proxy.queries)
    assert store.self_statements(KG.sourceHash, graphs) == expected
    assert len(proxy.queries) - sent == 4  # 11 graphs, 3 a query


def test_a_large_remote_run_does_not_claim_a_compaction(server):
    """A remote store looks after its own storage: the summary must not say it was compacted."""
    store = open_store(server[1])
    clear(store)
    report = ingest_paths(store, [EXAMPLES], SETTINGS, compact_after=5)
    assert report.questions == 10
    assert report.compacted_seconds is None and "compacted" not in report.summary()
