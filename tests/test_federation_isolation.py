"""SERVICE and LOAD reach no network while federation is off, whatever the text (issue 16).

A listener on 127.0.0.1 records every connection and answers with a secret; the payloads of the
issue and hypothesis-generated variants go to a real server. None may arrive, and no answer may
carry the secret. The query processes have no network (runtime/isolation.py), so this holds even
where the text check in front is fooled: the tests below also run a query process with the check
off, and one with its network, which the listener does hear (so the listener can fail the test).
"""
from __future__ import annotations

import socket
import threading
import urllib.parse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import WRITE_TOKEN

SECRET = b"SECRET-BODY-OF-THE-TARGET"


class Listener:
    """A TCP server on 127.0.0.1 that records each connection and answers 403 with SECRET."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        self.connections: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            with connection:
                connection.settimeout(2)
                try:
                    self.connections.append(connection.recv(4096))
                    head = b"HTTP/1.1 403 Forbidden\r\nContent-Length: %d\r\n\r\n" % len(SECRET)
                    connection.sendall(head + SECRET)
                except OSError:
                    pass

    def close(self) -> None:
        self.socket.close()


@pytest.fixture(scope="module")
def listener():
    target = Listener()
    yield target
    target.close()


def issue_queries(target: str, server: str) -> list[str]:
    """The queries of issue 16 that got past the text checks, and their neighbours."""
    leak = "{ ?leak ?b ?c }"
    return [
        f'SELECT * WHERE {{ BIND("\\u0022" AS ?x) .SERVICE <{target}/sparql> {leak} BIND("\\u0022" AS ?y) }}',
        f"SELECT * WHERE {{ BIND('\\u0027' AS ?x) .SERVICE <{target}/sparql> {leak} BIND('\\u0027' AS ?y) }}",
        f'select * where {{ bind("\\u0022" as ?x) .service <{target}/sparql> {leak} bind("\\u0022" as ?y) }}',
        f'SELECT * WHERE {{ {{ SELECT * WHERE {{ BIND("\\u0022" AS ?x) .SERVICE <{target}/sparql> {{ ?leak ?b ?c }} '
        f'BIND("\\u0022" AS ?y) }} }} }}',
        f'CONSTRUCT {{ ?leak ?b ?c }} WHERE {{ BIND("\\u0022" AS ?x) .SERVICE <{target}/sparql> {{ ?leak ?b ?c }} '
        f'BIND("\\u0022" AS ?y) }}',
        f"PREFIX ex: <http://example.org/> SELECT * WHERE {{ ?s ex:a\\' ?o . SERVICE <{target}/sparql> "
        f"{{ ?leak ?b ?c }} BIND('x' AS ?y) }}",
        f"SELECT * WHERE {{ SERVICE <{target}/admin> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <{server}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ # \r SERVICE <{target}/sparql> {{ ?s ?p ?o }} }}",
    ]


def issue_updates(target: str) -> list[str]:
    return [
        f"LOAD <{target}/load.ttl> INTO GRAPH <urn:leak>",
        f'INSERT {{ GRAPH <urn:leak> {{ <urn:a> <urn:b> "\\u0022" }} }} WHERE {{}} ; LOAD <{target}/load.ttl> '
        f'INTO GRAPH <urn:leak> ; INSERT DATA {{ GRAPH <urn:leak> {{ <urn:a> <urn:b> "\\u0022" }} }}',
        f"INSERT {{ GRAPH <urn:leak> {{ ?leak ?b ?c }} }} WHERE {{ BIND(\"\\u0022\" AS ?x) .SERVICE <{target}/s> "
        f"{{ ?leak ?b ?c }} BIND(\"\\u0022\" AS ?y) }}",
    ]


def ask(http, server, sparql: str):
    return http("GET", server.sparql + "?" + urllib.parse.urlencode({"query": sparql}),
                headers={"Accept": "application/sparql-results+json"})


def update(http, server, sparql: str):
    return http("POST", server.sparql, body=sparql.encode("utf-8"),
                headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {WRITE_TOKEN}"})


def test_no_payload_of_the_issue_reaches_the_network(http, live_server, listener):
    for sparql in issue_queries(listener.url, live_server.url):
        reply = ask(http, live_server, sparql)
        assert reply.status == 400, (sparql, reply.status, reply.body)
        assert SECRET not in reply.body
    for sparql in issue_updates(listener.url):
        reply = update(http, live_server, sparql)
        assert reply.status == 400, (sparql, reply.status, reply.body)
        assert SECRET not in reply.body
    assert listener.connections == []
    leaked = ask(http, live_server, "ASK { GRAPH <urn:leak> { ?s ?p ?o } }")
    assert leaked.status == 200 and b'"boolean":false' in leaked.body.replace(b" ", b"")


# Pieces that make text checks and Oxigraph disagree: escapes that one parser unescapes and the other
# does not, comments ended by CR, strings, prefixed names with escaped quotes and dots.
NOISE = st.sampled_from([
    'BIND("\\u0022" AS ?n1) .', "BIND('\\u0027' AS ?n2) .", '# a comment\r', "# a comment\n", '"""x"""',
    "'''x'''", "?s <urn:p> 'a\\'b' .", '?s <urn:p> "a\\"b" .', "PREFIX_ESC", "?s <urn:p> ?o .", "{ }",
    'FILTER("SERVICE" != "x")', "OPTIONAL { ?s <urn:service> ?o }", "", " ", "\t", "\r\n",
])
KEYWORD = st.sampled_from(["SERVICE", "service", "SeRvIcE", "SERVICE SILENT", "service silent"])
TARGET_PATH = st.sampled_from(["/sparql", "/", "/admin", "/x?y=1"])


def variant(before: list[str], keyword: str, path: str, after: list[str], target: str) -> str:
    def piece(text: str) -> str:
        return "?s ex:a\\' ?o ." if text == "PREFIX_ESC" else text

    body = " ".join(piece(p) for p in before) + f" .{keyword} <{target}{path}> {{ ?leak ?b ?c }} " + \
        " ".join(piece(p) for p in after)
    return f"PREFIX ex: <http://example.org/> SELECT * WHERE {{ {body} }}"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.lists(NOISE, max_size=3), keyword=KEYWORD, path=TARGET_PATH, after=st.lists(NOISE, max_size=3))
def test_generated_service_variants_reach_no_network(http, live_server, listener, before, keyword, path, after):
    sparql = variant(before, keyword, path, after, listener.url)
    reply = ask(http, live_server, sparql)
    assert reply.status in (200, 400), (sparql, reply.status, reply.body)
    assert SECRET not in reply.body
    assert listener.connections == [], sparql


def _run_in_child(config: dict, sparql: str):
    from kamergraph.endpoint.runtime import query_process
    from kamergraph.endpoint.runtime.formats import SOLUTIONS
    from kamergraph.endpoint.runtime.pool import Child
    from kamergraph.endpoint.runtime.tasks import Query

    child = Child(query_process, config)
    try:
        return child.ask(Query(sparql, SOLUTIONS[0], None), timeout=20)
    finally:
        child.kill()


def test_a_query_process_without_network_stops_what_the_text_check_lets_through(store_dir, listener):
    """The text check switched off (allow_service) in an isolated process: the kernel alone refuses."""
    config = {"store": str(store_dir), "max_rows": 10, "allow_service": True, "isolate_network": True}
    reply = _run_in_child(config, f"SELECT * WHERE {{ SERVICE <{listener.url}/sparql> {{ ?s ?p ?o }} }}")
    assert (reply.status, reply.body) == (
        400, b"SERVICE or LOAD is not allowed on this endpoint (federated queries are switched off).\n")
    assert listener.connections == []


def test_with_its_network_a_query_process_reaches_the_listener_and_hides_its_answer(store_dir):
    """The control: the same query in a process that keeps its network arrives, and the target's
    answer does not come back to the client."""
    target = Listener()
    try:
        config = {"store": str(store_dir), "max_rows": 10, "allow_service": True, "isolate_network": False}
        reply = _run_in_child(config, f"SELECT * WHERE {{ SERVICE <{target.url}/sparql> {{ ?s ?p ?o }} }}")
        assert len(target.connections) == 1 and target.connections[0].startswith(b"POST /sparql")
        assert reply.status == 500 and SECRET not in reply.body
        assert b"(its answer is not shown)" in reply.body
    finally:
        target.close()


def test_where_a_process_keeps_its_network_any_mention_is_refused():
    from kamergraph.endpoint.runtime.policy import federation_refusal

    assert federation_refusal('SELECT * WHERE { BIND("service" AS ?x) }', strict=True) == (
        "The text mentions SERVICE, which this endpoint does not allow (federated queries are switched off; "
        "the word is refused anywhere, also in strings and IRIs).")
    assert federation_refusal('SELECT * WHERE { BIND("service" AS ?x) }') is None
    assert federation_refusal("INSERT DATA { <urn:download> <urn:p> 1 }", update=True, strict=True) is not None
    assert federation_refusal("SELECT * WHERE { ?s ?p ?o }", strict=True) is None


@pytest.mark.parametrize("keyword", ["ſERVICE", "SERVİCE", "SERV\\u0049CE", "S\\u0045RVICE"])
def test_oxigraph_takes_the_keyword_in_plain_ascii_only(keyword):
    """What the strict check relies on: Oxigraph's parser refuses the keyword spelled any other way."""
    from pyoxigraph import Store

    with pytest.raises(SyntaxError):
        Store().query(f"SELECT * WHERE {{ {keyword} <http://127.0.0.1:9/> {{ ?s ?p ?o }} }}")
