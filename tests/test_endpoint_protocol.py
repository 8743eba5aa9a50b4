"""The SPARQL 1.1 Protocol at /sparql, through the app's test client on the shared store (the same
code a real server runs; see test_endpoint_reference for real clients on a real server):
the three ways to send a query, the dataset parameters, ignored client parameters, every result
format with its exact Content-Type, negotiation by Accept with q-values and by format parameters,
406/400/415/413/414 and the service description (RDF by Accept, the YASGUI editor for browsers).
"""
from __future__ import annotations

import csv
import html
import io
import json
import re

import pytest
from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results
from rdflib import Graph

from kamergraph import queries
from kamergraph.endpoint.sparql.service import example_text

KG = "https://kamergraph.nl/def#"
QUESTIONS = f"SELECT ?q WHERE {{ ?q a <{KG}WrittenQuestion> }} ORDER BY ?q"
ZAAKS = [
    "2019Z00412", "2019Z01187", "2019Z04512", "2019Z05301", "2019Z08003",
    "2019Z09418", "2019Z11873", "2019Z16702", "2019Z21877", "2021Z16860",
]
QUESTION_IRIS = [f"https://kamergraph.nl/id/kamervraag/{z}" for z in ZAAKS]
DRONES = "https://kamergraph.nl/id/kamervraag/2021Z16860"
DRONES_GRAPH = "https://kamergraph.nl/graph/kamervraag/2021Z16860"
TITLE = f"""SELECT ?title WHERE {{ <{DRONES}> <http://purl.org/dc/terms/title> ?title }}"""
CONSTRUCT_TITLE = f"""CONSTRUCT {{ <{DRONES}> <http://purl.org/dc/terms/title> ?t }}
WHERE {{ <{DRONES}> <http://purl.org/dc/terms/title> ?t }}"""
DRONES_TITLE = "Mogelijke dataverzameling van Chinese drones"

JSON = "application/sparql-results+json; charset=utf-8"
XML = "application/sparql-results+xml; charset=utf-8"
CSV = "text/csv; charset=utf-8"
TSV = "text/tab-separated-values; charset=utf-8"
TURTLE = "text/turtle; charset=utf-8"
TEXT = "text/plain; charset=utf-8"


def iris(response) -> list[str]:
    body = json.loads(response.data)
    return [b["q"]["value"] for b in body["results"]["bindings"]]


# -- the three ways to send a query


def test_get(client):
    response = client.get("/sparql", query_string={"query": QUESTIONS})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == JSON
    assert iris(response) == QUESTION_IRIS


def test_post_form(client):
    response = client.post("/sparql", data={"query": QUESTIONS})
    assert response.status_code == 200
    assert iris(response) == QUESTION_IRIS


def test_post_direct(client):
    response = client.post("/sparql", data=QUESTIONS.encode(), content_type="application/sparql-query")
    assert response.status_code == 200
    assert iris(response) == QUESTION_IRIS


def test_post_direct_with_charset_and_utf8_text(client):
    query = 'ASK { ?q <http://purl.org/dc/terms/title> ?t FILTER(CONTAINS(?t, "intercity’s")) }'
    response = client.post("/sparql", data=query.encode("utf-8"),
                           content_type="application/sparql-query; charset=utf-8")
    assert response.status_code == 200
    assert json.loads(response.data) == {"head": {}, "boolean": True}


@pytest.mark.parametrize("extra", [
    {"timeout": "5000"}, {"output": "json"}, {"results": "json"}, {"format": "json"},
    {"format": "no-such-format"}, {"output": "", "timeout": "abc"}, {"debug": "on", "infer": "false"},
])
def test_parameters_clients_add_are_never_an_error(client, extra):
    response = client.get("/sparql", query_string={"query": QUESTIONS, **extra})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == JSON
    assert iris(response) == QUESTION_IRIS


# -- the dataset of a query


def test_default_graph_is_the_union_of_all_graphs(client):
    response = client.get("/sparql", query_string={"query": TITLE})
    assert [b["title"]["value"] for b in json.loads(response.data)["results"]["bindings"]] == [DRONES_TITLE]


def test_default_graph_uri_narrows_the_default_graph(client):
    other = "https://kamergraph.nl/graph/kamervraag/2019Z00412"
    for graph, expected in ((DRONES_GRAPH, [DRONES_TITLE]), (other, [])):
        response = client.get("/sparql", query_string={"query": TITLE, "default-graph-uri": graph})
        assert response.status_code == 200
        assert [b["title"]["value"] for b in json.loads(response.data)["results"]["bindings"]] == expected


def test_named_graph_uri_limits_graph_patterns(client):
    query = f"SELECT ?g WHERE {{ GRAPH ?g {{ ?q a <{KG}WrittenQuestion> }} }} ORDER BY ?g"
    wanted = [DRONES_GRAPH, "https://kamergraph.nl/graph/kamervraag/2019Z00412"]
    response = client.post("/sparql", data={"query": query, "named-graph-uri": wanted})
    assert response.status_code == 200
    graphs = [b["g"]["value"] for b in json.loads(response.data)["results"]["bindings"]]
    assert graphs == sorted(wanted)
    # Named graphs given without default graphs: the default graph is empty (Protocol 2.1.4).
    response = client.post("/sparql", data={"query": TITLE, "named-graph-uri": wanted})
    assert json.loads(response.data)["results"]["bindings"] == []


def _titles(client, query: str, **parameters) -> list[str]:
    response = client.get("/sparql", query_string={"query": query, **parameters})
    assert response.status_code == 200, response.data
    return [b["title"]["value"] for b in json.loads(response.data)["results"]["bindings"]]


def test_from_in_the_query_names_its_default_graph(client):
    other = "https://kamergraph.nl/graph/kamervraag/2019Z00412"
    for graph, expected in ((DRONES_GRAPH, [DRONES_TITLE]), (other, [])):
        assert _titles(client, TITLE.replace("WHERE", f"FROM <{graph}> WHERE", 1)) == expected


def test_from_named_alone_leaves_the_default_graph_empty(client):
    assert _titles(client, TITLE.replace("WHERE", f"FROM NAMED <{DRONES_GRAPH}> WHERE", 1)) == []


def test_the_protocols_dataset_overrides_the_querys(client):
    other = "https://kamergraph.nl/graph/kamervraag/2019Z00412"
    query = TITLE.replace("WHERE", f"FROM <{other}> WHERE", 1)
    assert _titles(client, query, **{"default-graph-uri": DRONES_GRAPH}) == [DRONES_TITLE]


def test_from_in_a_string_or_a_name_is_no_dataset(client):
    query = f'SELECT ?title WHERE {{ <{DRONES}> <http://purl.org/dc/terms/title> ?title BIND("FROM <x>" AS ?from) }}'
    assert _titles(client, query) == [DRONES_TITLE]
    assert _titles(client, TITLE + " # FROM <http://example.org/nothing>") == [DRONES_TITLE]


def test_dataset_in_the_url_of_a_form_post(client):
    other = "https://kamergraph.nl/graph/kamervraag/2019Z00412"
    for graph, expected in ((DRONES_GRAPH, [DRONES_TITLE]), (other, [])):
        response = client.post("/sparql?default-graph-uri=" + graph, data={"query": TITLE})
        assert [b["title"]["value"] for b in json.loads(response.data)["results"]["bindings"]] == expected


def test_dataset_in_the_url_of_a_direct_post(client):
    response = client.post("/sparql?default-graph-uri=" + DRONES_GRAPH, data=TITLE.encode(),
                           content_type="application/sparql-query")
    assert [b["title"]["value"] for b in json.loads(response.data)["results"]["bindings"]] == [DRONES_TITLE]


# -- result formats


@pytest.mark.parametrize("accept, content_type, pyoxigraph_format", [
    ("application/sparql-results+json", JSON, QueryResultsFormat.JSON),
    ("application/json", "application/json; charset=utf-8", QueryResultsFormat.JSON),  # labelled as asked
    ("application/sparql-results+xml", XML, QueryResultsFormat.XML),
    ("application/xml", "application/xml; charset=utf-8", QueryResultsFormat.XML),
    ("text/tab-separated-values", TSV, QueryResultsFormat.TSV),
])
def test_select_formats(client, accept, content_type, pyoxigraph_format):
    response = client.get("/sparql", query_string={"query": QUESTIONS}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    rows = parse_query_results(response.data, pyoxigraph_format)
    assert [row["q"].value for row in rows] == QUESTION_IRIS


def test_select_csv(client):
    response = client.get("/sparql", query_string={"query": QUESTIONS}, headers={"Accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == CSV
    assert list(csv.reader(io.StringIO(response.data.decode()))) == [["q"], *([i] for i in QUESTION_IRIS)]


@pytest.mark.parametrize("accept, content_type, body", [
    ("application/sparql-results+json", JSON, b'{"head":{},"boolean":true}'),
    ("application/sparql-results+xml", XML,
     b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head></head>'
     b"<boolean>true</boolean></sparql>"),
    ("text/csv", CSV, b"true"),
    ("text/tab-separated-values", TSV, b"true"),
])
def test_ask_formats(client, accept, content_type, body):
    response = client.get("/sparql", query_string={"query": f"ASK {{ <{DRONES}> ?p ?o }}"},
                          headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.data == body


@pytest.mark.parametrize("accept, media_type, rdflib_format", [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("application/n-quads", "application/n-quads", "nquads"),
    ("application/trig", "application/trig", "trig"),
])
def test_graph_formats(client, accept, media_type, rdflib_format):
    response = client.post("/sparql", data={"query": CONSTRUCT_TITLE}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == f"{media_type}; charset=utf-8"
    graph = Graph()
    graph.parse(data=response.data.decode(), format=rdflib_format)
    assert [(str(s), str(p), str(o)) for s, p, o in graph] == [
        (DRONES, "http://purl.org/dc/terms/title", DRONES_TITLE)
    ]


def test_describe(client):
    response = client.get("/sparql", query_string={"query": f"DESCRIBE <{DRONES}>"},
                          headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    triples = list(parse(response.data, format=RdfFormat.N_TRIPLES))
    assert {str(t.subject) for t in triples} >= {f"<{DRONES}>"}
    assert any(t.object.value == DRONES_TITLE for t in triples)


# -- negotiation


@pytest.mark.parametrize("accept, expected", [
    (None, JSON),  # no Accept header: the first format
    ("*/*", JSON),
    ("text/*", CSV),  # wildcards pick a canonical type, never an alias such as text/xml
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", XML),
    ("application/sparql-results+json;q=0.1, text/tab-separated-values;q=0.2", TSV),
    ("text/turtle, application/sparql-results+xml;q=0.1", XML),  # turtle fits no SELECT result
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/xml; charset=utf-8"),
    ("application/sparql-results+json;q=0, */*;q=0.1", XML),  # q=0: not acceptable
])
def test_accept_with_q_values(client, accept, expected):
    headers = {} if accept is None else {"Accept": accept}
    response = client.get("/sparql", query_string={"query": QUESTIONS}, headers=headers)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == expected
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize("name, expected", [
    ("json", JSON), ("xml", XML), ("csv", CSV), ("tsv", TSV),
    ("application/sparql-results+xml", XML), ("text/csv", CSV),
])
def test_format_parameter_wins_over_accept(client, name, expected):
    response = client.get("/sparql", query_string={"query": QUESTIONS, "format": name},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.headers["Content-Type"] == expected


@pytest.mark.parametrize("parameter, value, expected", [
    ("format", "json", "application/ld+json"),  # SPARQLWrapper's names mean the graph format here
    ("output", "xml", "application/rdf+xml"),
    ("results", "turtle", "text/turtle"),
    ("format", "nt", "application/n-triples"),
    ("format", "csv", "text/turtle"),  # no graph format of that name: Accept decides
])
def test_format_parameters_for_graphs(client, parameter, value, expected):
    response = client.get("/sparql", query_string={"query": CONSTRUCT_TITLE, parameter: value},
                          headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == f"{expected}; charset=utf-8"


def test_unsatisfiable_accept_is_406(client):
    response = client.get("/sparql", query_string={"query": QUESTIONS}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.headers["Content-Type"] == TEXT
    assert response.data.decode() == (
        "This query gives a SPARQL result, which this endpoint can send as application/sparql-results+json, "
        "application/sparql-results+xml, text/csv, text/tab-separated-values; the request accepts none of "
        "them (Accept: image/png).\n"
    )
    response = client.get("/sparql", query_string={"query": CONSTRUCT_TITLE},
                          headers={"Accept": "text/csv"})
    assert response.status_code == 406
    response = client.get("/sparql", query_string={"query": "ASK {}"},
                          headers={"Accept": "application/sparql-results+json;q=0"})
    assert response.status_code == 406


# -- errors


def test_syntax_error_is_400_with_the_parser_message(client):
    response = client.get("/sparql", query_string={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert response.status_code == 400
    assert response.headers["Content-Type"] == TEXT
    assert response.data.decode().startswith("Syntax error in the query: error at 1:")


def test_syntax_error_message_is_pyoxigraphs(client):
    from pyoxigraph import Store

    query = "SELEC * WHERE { ?s ?p ?o }"
    with pytest.raises(SyntaxError) as raised:
        Store().query(query)
    response = client.post("/sparql", data=query, content_type="application/sparql-query")
    assert response.status_code == 400
    assert response.data.decode() == f"Syntax error in the query: {raised.value}\n"


@pytest.mark.parametrize("kwargs, message", [
    ({"method": "POST", "data": {"other": "x"}}, "The form has neither query= nor update=."),
    ({"method": "POST", "data": {"query": "ASK {}", "update": "CLEAR ALL"}},
     "A request carries either query= or update=, not both."),
    ({"method": "GET", "query_string": [("query", "ASK {}"), ("query", "ASK {}")]},
     "Exactly one query= parameter is allowed, not 2."),
    ({"method": "GET", "query_string": {"query": " "}}, "The query= parameter is empty."),
    ({"method": "GET", "query_string": {"update": "CLEAR ALL"}},
     "SPARQL Update needs POST (SPARQL 1.1 Protocol, section 2.2)."),
    ({"method": "POST", "data": b"", "content_type": "application/sparql-query"}, "The request body is empty."),
    ({"method": "POST", "data": b"\xff\xfe", "content_type": "application/sparql-query"},
     "The request body is not UTF-8: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"),
    # SPARQL is UTF-8: another charset is refused, even where the body would decode in it.
    ({"method": "POST", "data": "ASK {}".encode("utf-16"), "content_type": "application/sparql-query; charset=UTF-16"},
     "The request body must be UTF-8, not UTF-16."),
    ({"method": "POST", "data": b"ASK {}", "content_type": "application/sparql-query; charset=latin-1"},
     "The request body must be UTF-8, not latin-1."),
    ({"method": "POST", "data": b"query=ASK+%7B%7D",
      "content_type": "application/x-www-form-urlencoded; charset=utf-16"},
     "The request body must be UTF-8, not utf-16."),
])
def test_malformed_requests_are_400(client, kwargs, message):
    response = client.open("/sparql", **kwargs)
    assert response.status_code == 400
    assert response.headers["Content-Type"] == TEXT
    assert response.data.decode() == message + "\n"


def test_unknown_body_type_is_415(client):
    response = client.post("/sparql", data="ASK {}", content_type="text/plain")
    assert response.status_code == 415
    assert response.data.decode() == (
        "POST to the SPARQL endpoint takes application/x-www-form-urlencoded, application/sparql-query "
        "or application/sparql-update, not text/plain.\n"
    )


def test_body_over_the_cap_is_413(client, settings):
    padding = "#" * settings.max_body + "\nASK {}"
    for response in (
        client.post("/sparql", data=padding, content_type="application/sparql-query"),
        client.post("/sparql", data={"query": padding}),
    ):
        assert response.status_code == 413
        assert response.headers["Content-Type"] == TEXT


def test_body_under_the_cap_is_fine(client, settings):
    query = " " * (settings.max_body - 100) + "ASK {}"  # a space is one byte form-encoded
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 200


def test_query_string_over_the_cap_is_414(client, settings):
    response = client.get("/sparql", query_string={"query": "#" * settings.max_body + "\nASK {}"})
    assert response.status_code == 414
    assert response.headers["Content-Type"] == TEXT


def test_service_is_refused(client):
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 400
    assert response.data.decode() == (
        "SERVICE is not allowed on this endpoint (federated queries are switched off).\n"
    )


@pytest.mark.parametrize("query", [
    # rdflib ends a comment at a line feed only; SPARQL and Oxigraph at a carriage return too
    "SELECT * WHERE { # \rSERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o }\n}",
    "SELECT * WHERE { # a comment\r\n  SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    # an escaped # is part of a prefixed name, not a comment
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:a\\#b ?o . SERVICE <http://127.0.0.1:9/x> { ?x ?y ?z } }",
    "SELECT * WHERE { ?s ?p \"\"\"a long\nstring\"\"\" . SERVICE SILENT <http://127.0.0.1:9/x> { ?x ?y ?z } }",
])
def test_service_hidden_from_one_parser_is_refused(client, query):
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 400, response.data
    assert response.data.decode() == "SERVICE is not allowed on this endpoint (federated queries are switched off).\n"


@pytest.mark.parametrize("query", [
    'SELECT ?service WHERE { BIND("SERVICE" AS ?service) }',
    'SELECT * WHERE { ?s ?p "SERVICE"@en, """a\nSERVICE <http://x/> {}""" } LIMIT 1',
    "SELECT * WHERE { ?s <http://example.org/service#SERVICE> ?o } LIMIT 1",
    "PREFIX service: <http://example.org/> SELECT * WHERE { ?s service:p ?o } LIMIT 1",
    "# SERVICE <http://example.org/>\nASK {}",
])
def test_the_word_service_alone_is_fine(client, query):
    assert client.get("/sparql", query_string={"query": query}).status_code == 200


# -- the service description


def test_service_description_in_turtle(client, settings):
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == TURTLE
    graph = Graph().parse(data=response.data.decode(), format="turtle")
    rows = {tuple(str(t) for t in row) for row in graph.query("""
        PREFIX sd: <http://www.w3.org/ns/sparql-service-description#>
        SELECT ?endpoint ?language ?feature WHERE {
          ?service a sd:Service ; sd:endpoint ?endpoint ; sd:supportedLanguage ?language ; sd:feature ?feature .
        }""")}
    endpoint = settings.base_iri + "sparql"
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert rows == {
        (endpoint, sd + "SPARQL11Query", sd + "UnionDefaultGraph"),
        (endpoint, sd + "SPARQL11Query", sd + "EmptyGraphs"),
    }  # no SPARQL11Update and no BasicFederatedQuery: no write token, no SERVICE
    # The default graph is the union of all graphs (why W3C exists-graph-variable differs): said twice.
    descriptions = [str(o) for o in graph.objects(None, graph.namespace_manager.expand_curie("dcterms:description"))]
    assert len(descriptions) == 1 and "The default graph is the union of all graphs." in descriptions[0]
    formats = {str(o) for o in graph.objects(None, graph.namespace_manager.expand_curie("sd:resultFormat"))}
    assert formats == {
        "http://www.w3.org/ns/formats/SPARQL_Results_JSON", "http://www.w3.org/ns/formats/SPARQL_Results_XML",
        "http://www.w3.org/ns/formats/SPARQL_Results_CSV", "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
        "http://www.w3.org/ns/formats/Turtle", "http://www.w3.org/ns/formats/N-Triples",
        "http://www.w3.org/ns/formats/JSON-LD", "http://www.w3.org/ns/formats/RDF_XML",
        "http://www.w3.org/ns/formats/N-Quads", "http://www.w3.org/ns/formats/TriG",
    }


@pytest.mark.parametrize("accept, media_type", [
    (None, "text/turtle"), ("*/*", "text/turtle"), ("application/ld+json", "application/ld+json"),
    ("application/rdf+xml", "application/rdf+xml"), ("application/n-triples", "application/n-triples"),
    ("application/trig;q=0.9, text/turtle;q=0.1", "application/trig"),
])
def test_service_description_formats(client, accept, media_type):
    response = client.get("/sparql", headers={} if accept is None else {"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == f"{media_type}; charset=utf-8"
    assert b"http://www.w3.org/ns/sparql-service-description#Service" in response.data or b"sd:Service" in response.data


def test_service_description_406(client):
    response = client.get("/sparql", headers={"Accept": "application/pdf"})
    assert response.status_code == 406
    assert response.headers["Content-Type"] == TEXT


def test_browser_gets_the_yasgui_editor_with_the_named_queries(client):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/sparql", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Vary"] == "Accept, Cookie"  # the language cookie (site/i18n.py)
    page = response.data.decode()
    assert '<script src="/static/vendor/yasgui/yasgui.min.js"></script>' in page
    assert 'href="/static/vendor/yasgui/yasgui.min.css"' in page
    assert "http" + "s://cdn" not in page and "unpkg" not in page and "jsdelivr" not in page
    examples = json.loads(re.search(r"var examples = (.*);\n", page).group(1))
    dutch = [q.in_language("nl") for q in queries.published().values()]  # the page's language
    assert examples == [
        {"name": q.name, "title": q.title, "description": q.description.replace("`", ""), "query": example_text(q)}
        for q in dutch
    ]
    assert examples[0]["title"] == "Verdeling van antwoordtijden"
    first = int(re.search(r"Yasgui.defaults.yasqe.value = examples\[(\d+)\].query", page).group(1))
    assert examples[first]["name"] == "dataset-counts"  # what a new tab starts with
    for named in dutch:
        assert f">{html.escape(named.title)}</button>" in page  # the list of examples


@pytest.mark.parametrize("path, content_type", [
    ("/static/vendor/yasgui/yasgui.min.js", "text/javascript; charset=utf-8"),
    ("/static/vendor/yasgui/yasgui.min.css", "text/css; charset=utf-8"),
])
def test_yasgui_files_are_served_locally(client, path, content_type):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert len(response.data) > 10_000
    response.close()


@pytest.mark.parametrize("method, path, allow", [
    ("PUT", "/sparql", {"GET", "HEAD", "POST", "OPTIONS"}),
    ("PATCH", "/store", {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"}),
])
def test_a_method_the_protocol_endpoints_do_not_take_is_a_plain_405(client, method, path, allow):
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert response.headers["Content-Type"] == TEXT
    assert set(response.headers["Allow"].split(", ")) == allow


def test_a_method_a_page_does_not_take_is_a_405_that_says_what_it_takes(client):
    response = client.delete("/id/kamervraag/2021Z16860")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


# -- media-type parameters in Accept (any HTTP client may send them)


@pytest.mark.parametrize("accept, expected", [
    ("application/sparql-results+json; charset=utf-8", JSON),
    ("application/sparql-results+xml;charset=UTF-8, application/sparql-results+json;q=0.5", XML),
    ('text/csv; charset="utf-8"; header=present', CSV),
    # Every answer is UTF-8: a type asked for in another charset is not on offer.
    ("application/sparql-results+json; charset=iso-8859-1, text/tab-separated-values;q=0.1", TSV),
])
def test_accept_with_media_type_parameters(client, accept, expected):
    response = client.get("/sparql", query_string={"query": QUESTIONS}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == expected


def test_graph_store_read_with_a_charset_in_accept(client):
    for method in (client.get, client.head):
        response = method("/store", query_string={"graph": DRONES_GRAPH}, headers={"Accept": TURTLE})
        assert response.status_code == 200
        assert response.headers["Content-Type"] == TURTLE
    response = client.head("/store", query_string={"graph": "http://example.org/none"}, headers={"Accept": TURTLE})
    assert response.status_code == 404


def test_service_description_with_a_charset_in_accept(client):
    response = client.get("/sparql", headers={"Accept": "application/n-triples; charset=utf-8"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/n-triples; charset=utf-8"


def test_page_with_a_charset_in_accept(client):
    response = client.get("/id/kamervraag/2021Z16860", headers={"Accept": "text/turtle; charset=utf-8"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == TURTLE


# -- relative IRIs: resolved against the base IRI of the site


def test_relative_iris_in_a_query_resolve_against_the_base_iri(client):
    query = "SELECT ?t WHERE { <id/kamervraag/2021Z16860> <http://purl.org/dc/terms/title> ?t }"
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
    assert response.status_code == 200
    assert response.data.decode() == f"t\r\n{DRONES_TITLE}\r\n"
    response = client.post("/sparql", data="CONSTRUCT { <s> <p> 1 } WHERE {}", content_type="application/sparql-query",
                           headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert response.data.decode() == (
        '<https://kamergraph.nl/s> <https://kamergraph.nl/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n')


def test_a_base_in_the_query_wins(client):
    query = "BASE <http://example.org/> CONSTRUCT { <s> <p> <o> } WHERE {}"
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/n-triples"})
    assert response.data.decode() == "<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n"


# -- using-graph-uri and using-named-graph-uri as USING clauses (the write itself: test_endpoint_write)


@pytest.mark.parametrize("update, expected", [
    ("INSERT { ?s a <x:T> } WHERE { ?s ?p ?o }",
     "INSERT { ?s a <x:T> } USING <x:g> USING NAMED <x:n> WHERE { ?s ?p ?o }"),
    ("DELETE { ?s ?p ?o } where { ?s ?p ?o }", "DELETE { ?s ?p ?o } USING <x:g> USING NAMED <x:n> where { ?s ?p ?o }"),
    # DELETE WHERE takes no USING; a WHERE in braces, a string, an IRI, a comment or a name is no clause
    ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE { ?s ?p ?o }"),
    ('INSERT DATA { <x:a> <x:p> "WHERE" } ; # WHERE\n'
     'INSERT { <x:a> <x:p> ?o } WHERE { { SELECT ?o WHERE { ?o ?p ex:where } } }',
     'INSERT DATA { <x:a> <x:p> "WHERE" } ; # WHERE\nINSERT { <x:a> <x:p> ?o } USING <x:g> USING NAMED <x:n> '
     'WHERE { { SELECT ?o WHERE { ?o ?p ex:where } } }'),
])
def test_using_clauses_go_before_each_where(update, expected):
    from kamergraph.graph.keywords import with_using

    assert with_using(update, ["x:g"], ["x:n"]) == expected


@pytest.mark.parametrize("update, graphs", [
    ("WITH <x:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", ["x:g"]),
    ("DELETE { ?s ?p ?o } USING <x:g> WHERE { ?s ?p ?o }", ["x:g"]),
    ("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", ["x:g> } ; DROP ALL ; <x:h"]),  # no injection through the IRI
])
def test_using_clauses_refused(update, graphs):
    from kamergraph.graph.keywords import with_using

    with pytest.raises(ValueError):
        with_using(update, graphs, [])
