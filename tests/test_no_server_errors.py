"""No 5xx for any path, query string, header or body (issue 16): 404 or 400 instead, and a query
nested too deep is a 400, not a crashed query process.

Every route of the app's URL map is fuzzed with hypothesis: its variables filled with any text
(control characters, spaces, ``"<>{}|\\^```, lone and broken percent escapes, invalid UTF-8,
U+FFFF), any query string and Accept header. The only 5xx allowed is a documented 503.
"""
from __future__ import annotations

import re
import urllib.parse
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import WRITE_TOKEN

pytestmark = pytest.mark.slow

KINDS = ["id/kamervraag/", "id/persoon/", "id/partij/", "id/ministerie/", "id/post/", "id/onderwerp/",
         "id/document/", "id/kamervraag/2021Z16860/vraag/", "graph/kamervraag/", "graph/", "id/"]
BAD = ["%01", "%1f", "%7f", "%20", "%22", "%3C", "%3E", "%7B", "%7D", "%7C", "%5C", "%5E", "%60", "%", "%zz",
       "%ff", "%c3%28", "%ef%bf%bf", "%00", "%0a", "%0d"]
SUFFIXES = ["", ".ttl", ".html", ".nt", ".jsonld", ".rdf"]


def test_every_kind_of_iri_with_any_bad_character_is_404(client):
    statuses: dict[int, list[str]] = {}
    for kind in KINDS:
        for bad in BAD:
            for suffix in SUFFIXES:
                path = f"/{kind}a{bad}b{suffix}"
                statuses.setdefault(client.get(path, headers={"Accept": "text/html"}).status_code, []).append(path)
    assert set(statuses) == {404}, {status: paths[:5] for status, paths in statuses.items() if status != 404}


def _routes(app) -> list[str]:
    return sorted({rule.rule for rule in app.url_map.iter_rules()})


ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
ESCAPES = st.lists(st.sampled_from([*BAD, "%2F", "%2e%2e", "..", "/", "%e2%80%ae", "%ef%bf%be"]), max_size=4)
SEGMENT = st.tuples(ANY_TEXT, ESCAPES).map(lambda pair: quote(pair[0], safe="") + "".join(pair[1]))
QUERY = st.lists(st.tuples(ANY_TEXT, ANY_TEXT), max_size=3).map(
    lambda pairs: "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs))
ACCEPT = st.sampled_from(["*/*", "text/html", "text/turtle", "application/ld+json", "text/csv", "application/json",
                          "application/sparql-results+json", "image/png", "x/y;q=garbage", ""])


def _fill(rule: str, segment: str) -> str:
    """The rule with each variable replaced by the segment (a path converter takes it whole)."""
    def value(match: re.Match) -> str:
        converter = match.group(1) or ""
        if converter.startswith("int"):
            return "1"
        if converter.startswith("any"):
            return converter[converter.index("(") + 1:].split(",")[0].strip(" )")
        return segment or "x"
    return re.sub(r"<(?:([^:>]+):)?[^>]+>", value, rule)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), segment=SEGMENT, query=QUERY, accept=ACCEPT)
def test_any_route_with_any_value_answers_below_500(app, client, data, segment, query, accept):
    rule = data.draw(st.sampled_from(_routes(app)))
    path = _fill(rule, segment)
    url = path + ("?" + query if query else "")
    response = client.get(url, headers={"Accept": accept} if accept else {})
    assert response.status_code < 500 or (
        response.status_code == 503 and "Retry-After" in response.headers), (url, accept, response.status_code,
                                                                              response.data[:300])


@pytest.mark.parametrize("kind", ["paren", "brace", "select", "path", "not"])
def test_a_query_nested_too_deep_is_400_and_the_process_lives(http, live_server, kind):
    depth = 10_000

    def nested(d: int) -> str:
        return {
            "paren": "SELECT * WHERE { BIND(" + "(" * d + "1" + ")" * d + " AS ?x) }",
            "brace": "SELECT * WHERE " + "{" * d + "?s ?p ?o" + "}" * d,
            "select": "SELECT * WHERE { " + "{ SELECT * WHERE { " * d + "?s ?p ?o" + " } }" * d + " }",
            "path": "SELECT * WHERE { ?s " + "(" * d + "<urn:p>" + ")" * d + " ?o }",
            "not": "SELECT * WHERE { FILTER(" + "!(" * d + "true" + ")" * d + ") }",
        }[kind]

    sparql = nested(depth)
    reply = http("POST", live_server.sparql, body=sparql,
                 headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    assert reply.status == 400, reply.text[:300]
    assert re.fullmatch(r"The text nests brackets \d+ levels deep; this endpoint takes at most 500\.\n", reply.text)
    shallow = http("GET", live_server.sparql + "?" + urllib.parse.urlencode({"query": nested(100)}),
                   headers={"Accept": "application/sparql-results+json"})
    assert shallow.status == 200, shallow.text[:300]


def test_an_update_nested_too_deep_is_400(http, live_server):
    sparql = "INSERT { <urn:a> <urn:b> ?x } WHERE { " + "{ " * 5000 + "BIND(1 AS ?x)" + " }" * 5000 + " }"
    reply = http("POST", live_server.sparql, body=sparql, headers={
        "Content-Type": "application/sparql-update", "Authorization": f"Bearer {WRITE_TOKEN}"})
    assert reply.status == 400 and "levels deep" in reply.text


def test_a_query_process_survives_the_deepest_nesting_allowed(settings):
    """At the limit, with the deepest kind (sub-SELECTs), the engine answers: the 256 MiB stack holds."""
    from kamergraph.endpoint.runtime.backend import Backend
    from kamergraph.endpoint.runtime.formats import SOLUTIONS
    from kamergraph.endpoint.runtime.policy import MAX_NESTING
    from kamergraph.endpoint.runtime.tasks import Query

    levels = MAX_NESTING // 2 - 1  # two braces a level, inside the outer one
    sparql = "SELECT * WHERE { " + "{ SELECT * WHERE { " * levels + "?s ?p ?o" + " } }" * levels + " } LIMIT 1"
    backend = Backend(settings.with_(query_workers=1))
    try:
        reply = backend.query(Query(sparql, SOLUTIONS[0], None))
        assert reply.status == 200, reply.body[:300]
    finally:
        backend.close()


HEADER_VALUE = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7e), max_size=40)
HEADERS = st.dictionaries(
    st.sampled_from(["Host", "Accept", "Accept-Language", "Content-Type", "X-Forwarded-Host", "X-Forwarded-Proto",
                     "X-Forwarded-Prefix", "Authorization", "Origin", "If-None-Match", "Range", "Cookie"]),
    HEADER_VALUE, max_size=4)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), segment=SEGMENT, method=st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS",
                                                                 "PATCH"]),
       headers=HEADERS, body=st.binary(max_size=200))
def test_any_method_header_and_body_on_any_route_answers_below_500(app, client, data, segment, method, headers,
                                                                    body):
    rule = data.draw(st.sampled_from(_routes(app)))
    path = _fill(rule, segment)
    response = client.open(path, method=method, headers=headers, data=body)
    assert response.status_code < 500 or (
        response.status_code == 503 and "Retry-After" in response.headers), (method, path, headers,
                                                                              response.status_code,
                                                                              response.data[:300])
