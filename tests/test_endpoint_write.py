"""Writes on a real server whose serving processes hold the store read-only: the bearer token
(401 with WWW-Authenticate, 403, and nothing changed), SPARQL Update by form and by body, the Graph
Store Protocol (GET, HEAD, PUT, POST, DELETE on named graphs, the default graph and the store itself,
with their 200/201/204/400/404/406/413/415), refusals of SERVICE and LOAD, and a write while an
ingest holds the store's write lock (503, then fine once it lets go).
"""
from __future__ import annotations

import subprocess
import sys
import time
import urllib.parse

import pytest
from pyoxigraph import RdfFormat, parse

from conftest import WRITE_TOKEN

TOKEN = {"Authorization": f"Bearer {WRITE_TOKEN}"}
TEXT = "text/plain; charset=utf-8"
G = "http://example.org/test/graph-one"
TURTLE_ONE = '<http://example.org/s> <http://example.org/p> "één" , 2 .'
TURTLE_TWO = "<http://example.org/s> <http://example.org/p> <http://example.org/o> ."
LOCK_WAIT = 2.0  # the server below: time limit 4 s, so a write waits at most 2 s for the lock


@pytest.fixture(scope="module")
def server(spawn_server):
    return spawn_server(write_token=WRITE_TOKEN, query_timeout=2 * LOCK_WAIT)


def store_url(server, **params) -> str:
    return server.url + "/store?" + urllib.parse.urlencode(params)


def triples(reply) -> set[str]:
    return {str(t) for t in parse(reply.body, format=RdfFormat.N_TRIPLES)}


def ask(http, server, query: str) -> bool:
    reply = http("POST", server.sparql, urllib.parse.urlencode({"query": query}),
                 {"Content-Type": "application/x-www-form-urlencoded",
                  "Accept": "text/csv"})
    assert reply.status == 200, reply.text
    return reply.text == "true"


def get_graph(http, server, graph: str | None):
    params = {"graph": graph} if graph else {"default": ""}
    return http("GET", store_url(server, **params), headers={"Accept": "application/n-triples"})


# -- the token


@pytest.mark.parametrize("headers, status", [
    ({}, 401),
    ({"Authorization": "Basic dXNlcjpwYXNz"}, 401),
    ({"Authorization": "Bearer"}, 401),
    ({"Authorization": "Bearer wrong-token"}, 403),
    ({"Authorization": f"Bearer {WRITE_TOKEN}x"}, 403),
])
def test_graph_store_writes_need_the_token(http, server, headers, status):
    graph = "http://example.org/test/never"
    for method in ("PUT", "POST", "DELETE"):
        reply = http(method, store_url(server, graph=graph), TURTLE_ONE, {"Content-Type": "text/turtle", **headers})
        assert reply.status == status, (method, reply.text)
        assert reply.headers["content-type"] == TEXT
        assert "access-control-allow-origin" not in reply.headers  # writes stay same-origin
        if status == 401:
            assert reply.headers["www-authenticate"] == "Bearer realm=kamergraph"
        else:
            assert reply.text == "The bearer token is not the one that allows writes.\n"
    assert get_graph(http, server, graph).status == 404  # nothing changed


@pytest.mark.parametrize("headers, status", [({}, 401), ({"Authorization": "Bearer nope"}, 403)])
def test_sparql_update_needs_the_token(http, server, headers, status):
    update = 'INSERT DATA { <http://example.org/u> <http://example.org/p> "unauthorised" }'
    form = http("POST", server.sparql, urllib.parse.urlencode({"update": update}),
                {"Content-Type": "application/x-www-form-urlencoded", **headers})
    direct = http("POST", server.sparql, update, {"Content-Type": "application/sparql-update", **headers})
    for reply in (form, direct):
        assert reply.status == status
        if status == 401:
            assert reply.headers["www-authenticate"] == "Bearer realm=kamergraph"
    assert not ask(http, server, 'ASK { ?s ?p "unauthorised" }')


def test_no_token_configured_means_no_writes(client):
    # The shared app has no write token: every write is refused, whatever the request carries.
    reply = client.post("/sparql", data={"update": "CLEAR ALL"}, headers=TOKEN)
    assert reply.status_code == 403
    assert reply.data.decode() == "Writes are switched off on this server: no write token is configured.\n"
    reply = client.delete("/store?graph=https://kamergraph.nl/graph/kamervraag/2021Z16860", headers=TOKEN)
    assert reply.status_code == 403
    assert client.get("/store?graph=https://kamergraph.nl/graph/kamervraag/2021Z16860").status_code == 200


# -- SPARQL Update


def test_update_by_form_and_by_body(http, server):
    assert ask(http, server, "ASK { ?s ?p ?o }")  # the query processes have the store open read-only now
    first = ('INSERT DATA { GRAPH <http://example.org/test/upd> '
             '{ <http://example.org/a> <http://example.org/p> "form" } }')
    reply = http("POST", server.sparql, urllib.parse.urlencode({"update": first}),
                 {"Content-Type": "application/x-www-form-urlencoded", **TOKEN})
    assert (reply.status, reply.body) == (204, b"")
    assert "content-type" not in reply.headers  # no content, so no type of it
    assert ask(http, server, 'ASK { GRAPH <http://example.org/test/upd> { ?s ?p "form" } }')
    # An update's WHERE reads the store's own default graph, not the union: name the graph.
    second = """WITH <http://example.org/test/upd>
        DELETE { ?s ?p "form" } INSERT { ?s ?p "body" } WHERE { ?s ?p "form" }"""
    reply = http("POST", server.sparql, second, {"Content-Type": "application/sparql-update", **TOKEN})
    assert reply.status == 204
    assert ask(http, server, 'ASK { ?s ?p "body" }')
    assert not ask(http, server, 'ASK { ?s ?p "form" }')


@pytest.mark.parametrize("update, status, message", [
    ("INSERT DATA { <http://example.org/a> }", 400, "Syntax error: error at 1:"),
    ("LOAD <http://127.0.0.1:9/data.ttl>", 400,
     "LOAD is not allowed on this endpoint (federated queries are switched off)."),
    ("# \rLOAD <http://127.0.0.1:9/data.ttl> INTO GRAPH <http://ex/l>\n", 400,
     "LOAD is not allowed on this endpoint (federated queries are switched off)."),
    ("INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", 400,
     "SERVICE is not allowed on this endpoint (federated queries are switched off)."),
])
def test_bad_updates(http, server, update, status, message):
    reply = http("POST", server.sparql, update, {"Content-Type": "application/sparql-update", **TOKEN})
    assert reply.status == status
    assert reply.headers["content-type"] == TEXT
    assert reply.text.startswith(message)


@pytest.mark.parametrize("content_type, encoding", [
    ("application/sparql-update; charset=UTF-16", "utf-16"),
    ("application/sparql-update; charset=iso-8859-1", "latin-1"),
    ("application/x-www-form-urlencoded; charset=UTF-16", "utf-16"),
])
def test_an_update_in_another_charset_than_utf8_is_refused_and_not_run(http, server, content_type, encoding):
    update = ("INSERT DATA { GRAPH <http://example.org/test/charset> "
              "{ <http://example.org/a> <http://example.org/p> 1 } }")
    body = update if "sparql-update" in content_type else urllib.parse.urlencode({"update": update})
    reply = http("POST", server.sparql, body.encode(encoding), {"Content-Type": content_type, **TOKEN})
    assert reply.status == 400
    assert reply.text == f"The request body must be UTF-8, not {content_type.partition('charset=')[2]}.\n"
    assert not ask(http, server, "ASK { GRAPH <http://example.org/test/charset> { ?s ?p ?o } }")


def _post_update(http, server, update: str, **params):
    url = server.sparql + ("?" + urllib.parse.urlencode(params, doseq=True) if params else "")
    return http("POST", url, update, {"Content-Type": "application/sparql-update", **TOKEN})


USING_DATA = """INSERT DATA {
    GRAPH <http://example.org/using/one> { <http://example.org/a> a <http://example.org/T> }
    GRAPH <http://example.org/using/two> { <http://example.org/b> a <http://example.org/T> } }"""


@pytest.mark.parametrize("params, query, expected", [
    # using-graph-uri: the WHERE's default graph is the named graphs merged, no others
    ({"using-graph-uri": ["http://example.org/using/one"]}, "?s a <http://example.org/T>", {"a"}),
    ({"using-graph-uri": ["http://example.org/using/one", "http://example.org/using/two"]},
     "?s a <http://example.org/T>", {"a", "b"}),
    # using-named-graph-uri alone: an empty default graph, these named graphs
    ({"using-named-graph-uri": ["http://example.org/using/two"]}, "GRAPH ?g { ?s a <http://example.org/T> }",
     {"b"}),
    ({"using-named-graph-uri": ["http://example.org/using/two"]}, "?s a <http://example.org/T>", set()),
    ({"using-graph-uri": ["http://example.org/using/one"], "using-named-graph-uri": ["http://example.org/using/two"]},
     "?s a <http://example.org/T> GRAPH ?g { ?t a <http://example.org/T> }", {"a"}),
])
def test_using_graph_uri_and_using_named_graph_uri(http, server, params, query, expected):
    target = "http://example.org/using/result"
    reply = _post_update(http, server, f"DROP SILENT GRAPH <{target}> ; {USING_DATA}")
    assert reply.status == 204, reply.text
    update = f"INSERT {{ GRAPH <{target}> {{ ?s a <http://example.org/Found> }} }} WHERE {{ {query} }}"
    reply = _post_update(http, server, update, **params)
    assert reply.status == 204, reply.text
    found = http("GET", store_url(server, graph=target), headers={"Accept": "application/n-triples"})
    got = set() if found.status == 404 else {t.split()[0].rsplit("/", 1)[-1].rstrip(">") for t in triples(found)}
    assert got == expected


@pytest.mark.parametrize("update", [
    "WITH <http://example.org/using/one> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "DELETE { GRAPH <http://example.org/using/one> { ?s ?p ?o } } USING <http://example.org/using/one> "
    "WHERE { ?s ?p ?o }",
])
def test_using_graph_uri_beside_the_updates_own_dataset_is_400_and_runs_nothing(http, server, update):
    assert _post_update(http, server, f"DROP SILENT GRAPH <http://example.org/using/one> ; {USING_DATA}").status == 204
    reply = _post_update(http, server, update, **{"using-named-graph-uri": "http://example.org/using/two"})
    assert reply.status == 400
    assert reply.text.startswith("using-graph-uri, using-named-graph-uri: the update names its own dataset with ")
    assert ask(http, server, "ASK { GRAPH <http://example.org/using/one> { ?s ?p ?o } }")


def test_relative_iris_in_an_update_resolve_against_the_base_iri(http, server):
    graph = "https://kamergraph.nl/graph/test/relative"
    reply = _post_update(http, server, "INSERT DATA { GRAPH <graph/test/relative> { <id/test/a> <def#p> <b> } }")
    assert reply.status == 204, reply.text
    found = http("GET", store_url(server, graph=graph), headers={"Accept": "application/n-triples"})
    assert triples(found) == {
        "<https://kamergraph.nl/id/test/a> <https://kamergraph.nl/def#p> <https://kamergraph.nl/b>"}


# -- the Graph Store Protocol


def test_put_get_head_replace_delete(http, server):
    assert get_graph(http, server, G).status == 404
    reply = http("PUT", store_url(server, graph=G), TURTLE_ONE, {"Content-Type": "text/turtle", **TOKEN})
    assert (reply.status, reply.body) == (201, b"")
    got = get_graph(http, server, G)
    assert got.status == 200
    assert got.headers["content-type"] == "application/n-triples; charset=utf-8"
    assert triples(got) == {
        '<http://example.org/s> <http://example.org/p> "één"',
        '<http://example.org/s> <http://example.org/p> "2"^^<http://www.w3.org/2001/XMLSchema#integer>',
    }
    head = http("HEAD", store_url(server, graph=G), headers={"Accept": "text/turtle"})
    assert (head.status, head.body, head.headers["content-type"]) == (200, b"", "text/turtle; charset=utf-8")
    reply = http("PUT", store_url(server, graph=G), TURTLE_TWO, {"Content-Type": "application/n-triples", **TOKEN})
    assert reply.status == 204  # replaced
    assert triples(get_graph(http, server, G)) == {"<http://example.org/s> <http://example.org/p> <http://example.org/o>"}
    assert http("DELETE", store_url(server, graph=G), headers=TOKEN).status == 204
    assert get_graph(http, server, G).status == 404
    assert http("DELETE", store_url(server, graph=G), headers=TOKEN).status == 404
    assert http("HEAD", store_url(server, graph=G)).status == 404


def test_post_merges_and_creates(http, server):
    graph = "http://example.org/test/merge"
    first = http("POST", store_url(server, graph=graph), TURTLE_ONE, {"Content-Type": "text/turtle", **TOKEN})
    second = http("POST", store_url(server, graph=graph), TURTLE_TWO, {"Content-Type": "text/turtle", **TOKEN})
    assert (first.status, second.status) == (201, 204)
    assert len(triples(get_graph(http, server, graph))) == 3


def test_post_to_the_store_makes_a_new_graph(http, server):
    reply = http("POST", server.url + "/store", TURTLE_TWO, {"Content-Type": "text/turtle", **TOKEN})
    assert reply.status == 201
    location = reply.headers["location"]
    assert location.startswith("https://kamergraph.nl/graph/store/")
    assert triples(get_graph(http, server, location)) == {
        "<http://example.org/s> <http://example.org/p> <http://example.org/o>"}


def test_default_graph(http, server):
    # The store's own default graph is empty after ingest: the union is what queries see.
    assert (get_graph(http, server, None).status, get_graph(http, server, None).body) == (200, b"")
    data = "<http://example.org/d> <http://example.org/p> 1 ."
    assert http("PUT", store_url(server, default=""), data, {"Content-Type": "text/turtle", **TOKEN}).status == 204
    assert triples(get_graph(http, server, None)) == {
        '<http://example.org/d> <http://example.org/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer>'}
    assert ask(http, server, "ASK { <http://example.org/d> ?p ?o }")
    assert http("DELETE", store_url(server, default=""), headers=TOKEN).status == 204
    assert get_graph(http, server, None).body == b""


def test_empty_put_makes_an_empty_graph(http, server):
    graph = "http://example.org/test/empty"
    assert http("PUT", store_url(server, graph=graph), b"", {"Content-Type": "text/turtle", **TOKEN}).status == 201
    got = get_graph(http, server, graph)
    assert (got.status, got.body) == (200, b"")


@pytest.mark.parametrize("method, url_params, body, headers, status, message", [
    ("GET", {}, None, {}, 400, "Name the graph: ?graph=IRI for a named graph or ?default for the default graph."),
    ("GET", {"graph": G, "default": ""}, None, {}, 400, "Name one graph: either ?graph=IRI or ?default."),
    ("GET", {"graph": "relative"}, None, {}, 400,
     "The graph name is not an absolute IRI: No scheme found in an absolute IRI"),
    ("PUT", {"graph": "relative"}, TURTLE_ONE, {"Content-Type": "text/turtle"}, 400,
     "The graph name is not an absolute IRI: No scheme found in an absolute IRI"),
    ("GET", {"graph": G}, None, {"Accept": "image/png"}, 406, "Graphs are available as text/turtle"),
    ("PUT", {"graph": G}, TURTLE_ONE, {"Content-Type": "application/pdf"}, 415,
     "Send the graph as text/turtle, application/n-triples, application/ld+json, application/rdf+xml, text/n3, "
     "not application/pdf."),
    ("PUT", {"graph": G}, TURTLE_ONE, {"Content-Type": "application/trig"}, 415, "Send the graph as"),
    ("PUT", {"graph": G}, "<http://example.org/s> <p", {"Content-Type": "text/turtle"}, 400, "Syntax error: "),
    ("PUT", {"graph": G}, "@prefix : <http://example.org/> . { :alice :says :lie } => { :bob :is :liar } .",
     {"Content-Type": "text/n3"}, 400, "The body holds statements inside a formula or a named graph"),
    ("POST", {"graph": G}, '{"@id": "http://example.org/g", "@graph": [{"@id": "http://example.org/s", '
     '"http://example.org/p": "o"}]}', {"Content-Type": "application/ld+json"}, 400,
     "The body holds statements inside a formula or a named graph"),
    ("PUT", {}, TURTLE_ONE, {"Content-Type": "text/turtle"}, 400, "Name the graph"),
    ("DELETE", {}, None, {}, 400, "Name the graph"),
])
def test_graph_store_errors(http, server, method, url_params, body, headers, status, message):
    if method != "GET":
        headers = {**headers, **TOKEN}
    reply = http(method, store_url(server, **url_params), body, headers)
    assert reply.status == status, reply.text
    assert reply.headers["content-type"] == TEXT
    assert reply.text.startswith(message)


def test_body_over_the_cap_is_413(http, server):
    graph = "http://example.org/test/too-big"
    body = "# padding\n" * (server.settings.max_body // 10 + 1)
    reply = http("PUT", store_url(server, graph=graph), body, {"Content-Type": "text/turtle", **TOKEN})
    assert reply.status == 413
    assert reply.headers["content-type"] == TEXT
    assert get_graph(http, server, graph).status == 404


def test_gsp_reads_need_no_token_and_allow_cors(http, server):
    reply = http("GET", store_url(server, graph="https://kamergraph.nl/graph/kamervraag/2021Z16860"),
                 headers={"Accept": "text/turtle", "Origin": "http://example.org"})
    assert reply.status == 200
    assert reply.headers["access-control-allow-origin"] == "*"
    assert "<https://kamergraph.nl/id/kamervraag/2021Z16860>" in reply.text


# -- a write beside an ingest


HOLD_LOCK = """
import sys, time
from kamergraph.graph import open_store
store = open_store(sys.argv[1])
print("locked", flush=True)
sys.stdin.readline()
store.close()
"""


def test_write_while_another_process_holds_the_write_lock(http, server):
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(server.store)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        reply = http("PUT", store_url(server, graph=G), TURTLE_TWO, {"Content-Type": "text/turtle", **TOKEN})
        waited = time.monotonic() - started
        assert reply.status == 503
        assert reply.headers["retry-after"] == "5"
        assert reply.text.startswith("The store is being written by another process; try again later.")
        assert LOCK_WAIT <= waited < LOCK_WAIT + 2
        # Reads go on meanwhile, from the last complete snapshot.
        assert ask(http, server, "ASK { <https://kamergraph.nl/id/kamervraag/2021Z16860> ?p ?o }")
    finally:
        holder.communicate("\n", timeout=30)
    reply = http("PUT", store_url(server, graph=G), TURTLE_TWO, {"Content-Type": "text/turtle", **TOKEN})
    assert reply.status in (201, 204)
    assert http("DELETE", store_url(server, graph=G), headers=TOKEN).status == 204


def test_a_write_over_the_time_limit_is_stopped_and_changes_nothing(http, server):
    slow = """INSERT { GRAPH <http://example.org/test/slow> { ?a ?b ?c } }
              WHERE { GRAPH ?x { ?a ?b ?c } GRAPH ?y { ?d ?e ?f } GRAPH ?z { ?g ?h ?i } }"""
    started = time.monotonic()
    reply = http("POST", server.sparql, slow, {"Content-Type": "application/sparql-update", **TOKEN})
    seconds = time.monotonic() - started
    assert reply.status == 503
    limit = server.settings.query_timeout
    assert reply.text == f"Write stopped: it ran longer than the time limit of {limit:g} s; nothing was changed.\n"
    assert limit <= seconds < limit + 1.5
    assert not ask(http, server, "ASK { GRAPH <http://example.org/test/slow> { ?s ?p ?o } }")
    # The writer was replaced and the lock released: the next write goes through.
    reply = http("PUT", store_url(server, graph="http://example.org/test/after-slow"), TURTLE_TWO,
                 {"Content-Type": "text/turtle", **TOKEN})
    assert reply.status == 201
