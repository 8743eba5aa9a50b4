"""Property-based tests of the HTTP parameter handling: any query string, header or body gives a
2xx, 3xx or 4xx answer, never a 5xx, and no error page shows a stack trace or a server path."""
from __future__ import annotations

import string
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.slow

ROUTES = [
    "/sparql", "/store", "/", "/queries", "/queries/who-asked-whom", "/queries/question-overview.json",
    "/queries/person-questions.csv", "/explore", "/charts", "/id/kamervraag/2021Z16860", "/id/persoon/barbara-kathmann",
    "/id/onderwerp/luchtvaart", "/def", "/.well-known/void", "/sitemap.xml", "/search", "/search.json", "/id/persoon",
    "/id/persoon.csv", "/questions", "/feeds/questions.atom", "/feeds/answers.atom", "/feeds/overdue.atom",
]
PARAMETERS = ["query", "update", "default-graph-uri", "named-graph-uri", "format", "output", "results", "timeout",
              "graph", "default", "q", "page", "party", "topic", "by", "to", "from", "until", "zaak", "person",
              "_limit", "limit", "offset", "year", "answered", "ministry", "submitter", "answerer", "role", "order"]
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
NASTY = st.sampled_from([
    "", " ", "SELECT * WHERE { ?s ?p ?o }", "ASK {}", "DESCRIBE <urn:x>", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2",
    "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }", "<script>alert(1)</script>", "javascript:alert(1)",
    "//evil.example/", "http://evil.example/", "\\\\evil", "%00", "../../etc/passwd", "1e999", "-1", "9" * 40,
    "2021-02-31", "true", "urn:x", "https://kamergraph.nl/id/partij/sp", "\"}}; DROP ALL; #", "json", "xml", "csv",
    "text/turtle", "application/sparql-results+json",
])
VALUES = st.one_of(TEXT, NASTY)
HEADER_TEXT = st.text(alphabet=string.ascii_letters + string.digits + string.punctuation + " ", max_size=40)  # one line
ACCEPT = st.one_of(st.sampled_from([
    "*/*", "text/html", "application/sparql-results+json", "text/turtle;q=0.5, application/ld+json",
    "application/n-triples", "image/png", "text/csv;q=0", "garbage/;;;q=x", "",
]), HEADER_TEXT)


def _leaks(response) -> bool:
    """An error page that shows a stack trace or where the server's files are."""
    if response.status_code < 400:
        return False  # data: provenance names the source file, as ingested
    text = response.data.decode("utf-8", "replace")
    return "Traceback (most recent call last)" in text or "/work/" in text or "site-packages" in text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    route=st.sampled_from(ROUTES),
    params=st.lists(st.tuples(st.sampled_from(PARAMETERS) | TEXT, VALUES), max_size=4),
    accept=ACCEPT,
)
def test_any_query_string_gets_a_client_answer(client, route, params, accept):
    query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in params)
    response = client.get(f"{route}?{query}" if query else route, headers={"Accept": accept} if accept else {})
    assert response.status_code < 500, (route, query, accept, response.status_code, response.data[:300])
    assert not _leaks(response)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    content_type=st.sampled_from([
        "application/sparql-query", "application/x-www-form-urlencoded", "application/sparql-update",
        "text/turtle", "application/json", "multipart/form-data; boundary=x", "", "text/plain; charset=latin-1",
    ]),
    body=st.binary(max_size=300) | VALUES.map(lambda v: v.encode("utf-8")),
)
def test_any_post_body_gets_a_client_answer(client, content_type, body):
    for route in ("/sparql", "/store?default"):
        response = client.post(route, data=body, headers={"Content-Type": content_type} if content_type else {})
        assert response.status_code < 500, (route, content_type, body[:100], response.status_code, response.data[:300])
        assert not _leaks(response)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.text(alphabet=string.ascii_letters + string.digits + "-_./%~:@!$&'()*+,;=", max_size=60))
def test_any_path_gets_a_client_answer(client, path):
    response = client.get("/" + path.lstrip("/"), headers={"Accept": "text/html"})
    assert response.status_code < 500, (path, response.status_code, response.data[:300])
    assert not _leaks(response)
    location = response.headers.get("Location", "")
    # No open redirect: a redirect stays on this server.
    assert not location.startswith(("//", "http://evil", "https://evil")), location
