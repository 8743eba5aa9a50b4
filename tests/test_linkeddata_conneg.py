"""Every IRI answers: content negotiation (Accept with q-values, suffixes, the format parameter),
the headers that go with it, RDF that parses to what the store holds, 404 and 406, and IRIs that do
not depend on the host the server is reached on."""
from __future__ import annotations

import json

import pytest
from pyoxigraph import Literal, NamedNode, RdfFormat, parse

BASE = "https://kamergraph.nl/"
Q = "2021Z16860"
Q_PATH = f"/id/kamervraag/{Q}"
Q_IRI = BASE + Q_PATH[1:]
KG = "https://kamergraph.nl/def#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

LINKS = (f'<{Q_PATH}.html>; rel="alternate"; type="text/html", '
         f'<{Q_PATH}.ttl>; rel="alternate"; type="text/turtle", '
         f'<{Q_PATH}.jsonld>; rel="alternate"; type="application/ld+json", '
         f'<{Q_PATH}.nt>; rel="alternate"; type="application/n-triples", '
         f'<{Q_PATH}.rdf>; rel="alternate"; type="application/rdf+xml"')

FORMATS = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/rdf+xml": RdfFormat.RDF_XML,
}


def triples(response) -> set:
    media_type = response.headers["Content-Type"].split(";")[0]
    return {(t.subject, t.predicate, t.object) for t in parse(response.data, format=FORMATS[media_type])}


@pytest.mark.parametrize("accept, media_type", [
    ("text/html", "text/html"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),  # a browser
    ("*/*", "text/html"),
    ("text/turtle", "text/turtle"),
    ("application/n-triples", "application/n-triples"),
    ("application/ld+json", "application/ld+json"),
    ("application/rdf+xml", "application/rdf+xml"),
    ("text/html;q=0.5, text/turtle", "text/turtle"),
    ("text/turtle;q=0.4, application/ld+json;q=0.9, text/html;q=0.1", "application/ld+json"),
    ("application/rdf+xml, text/turtle;q=0.9, */*;q=0.1", "application/rdf+xml"),  # rdflib's style
    ("text/plain", "application/n-triples"),
])
def test_accept_header_chooses_the_representation(client, accept, media_type):
    response = client.get(Q_PATH, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == f"{media_type}; charset=utf-8"
    assert response.headers["Vary"] == ("Accept, Cookie" if media_type == "text/html" else "Accept")
    suffix = {"text/html": "html", "text/turtle": "ttl", "application/n-triples": "nt",
              "application/ld+json": "jsonld", "application/rdf+xml": "rdf"}[media_type]
    assert response.headers["Content-Location"] == f"{Q_PATH}.{suffix}"
    assert response.headers["Link"] == LINKS


def test_no_accept_header_gets_html(client):
    response = client.get(Q_PATH, headers={})
    assert response.status_code == 200
    assert response.mimetype == "text/html"


@pytest.mark.parametrize("suffix, media_type", [
    ("html", "text/html"), ("ttl", "text/turtle"), ("nt", "application/n-triples"),
    ("jsonld", "application/ld+json"), ("rdf", "application/rdf+xml"),
])
def test_suffix_fixes_the_representation_whatever_the_accept_header(client, suffix, media_type):
    response = client.get(f"{Q_PATH}.{suffix}", headers={"Accept": "image/png"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == f"{media_type}; charset=utf-8"
    # not by Accept; an HTML page by the language cookie (site/i18n.py)
    assert response.headers.get("Vary") == ("Cookie" if suffix == "html" else None)
    assert "Content-Location" not in response.headers
    assert response.headers["Link"] == LINKS


@pytest.mark.parametrize("value, media_type", [
    ("ttl", "text/turtle"), ("turtle", "text/turtle"), ("jsonld", "application/ld+json"),
    ("nt", "application/n-triples"), ("rdf", "application/rdf+xml"), ("html", "text/html"),
    ("text/turtle", "text/turtle"),
])
def test_format_parameter(client, value, media_type):
    response = client.get(f"{Q_PATH}?format={value}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == f"{media_type}; charset=utf-8"


def test_turtle_of_a_question_is_its_graph_with_the_names_it_links_to(client):
    got = triples(client.get(f"{Q_PATH}.ttl"))
    q = NamedNode(Q_IRI)
    assert (q, NamedNode(RDF_TYPE), NamedNode(KG + "WrittenQuestion")) in got
    assert (q, NamedNode(DCT + "title"), Literal("Mogelijke dataverzameling van Chinese drones")) in got
    assert (q, NamedNode(KG + "daysTaken"), Literal(49)) in got
    assert (q, NamedNode(KG + "mainSubmitter"), NamedNode(BASE + "id/persoon/barbara-kathmann")) in got
    answer20 = NamedNode(Q_IRI + "/antwoord/20")
    assert (answer20, NamedNode(KG + "refersTo"), NamedNode(Q_IRI + "/antwoord/2")) in got
    # provenance of the graph, and the names of what the question links to
    graph = NamedNode(BASE + "graph/kamervraag/" + Q)
    assert (graph, NamedNode("http://xmlns.com/foaf/0.1/primaryTopic"), q) in got
    assert (NamedNode(BASE + "id/persoon/barbara-kathmann"), NamedNode("http://xmlns.com/foaf/0.1/name"),
            Literal("Barbara Kathmann")) in got
    assert (NamedNode(BASE + "id/partij/pvda"), NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
            Literal("PvdA")) in got


def test_all_rdf_formats_carry_the_same_triples(client):
    graphs = [triples(client.get(f"{Q_PATH}.{s}")) for s in ("ttl", "nt", "jsonld", "rdf")]
    assert len(graphs[0]) > 200
    assert all(g == graphs[0] for g in graphs[1:])


def test_question_graph_in_the_store_equals_the_twin(client, store_dir):
    from stores import all_quads

    graph = NamedNode(BASE + "graph/kamervraag/" + Q)
    stored = {(q.subject, q.predicate, q.object) for q in all_quads(store_dir, graph)}
    got = triples(client.get(f"{Q_PATH}.nt"))
    assert stored <= got
    assert {t for t in got if t not in stored} == {
        t for t in got if t[1].value in ("http://xmlns.com/foaf/0.1/name", "http://www.w3.org/2004/02/skos/core#prefLabel")
        and t not in stored}


def test_other_things_as_rdf_statements_both_ways(client):
    got = triples(client.get("/id/partij/sp.nt"))
    sp = NamedNode(BASE + "id/partij/sp")
    assert (sp, NamedNode(RDF_TYPE), NamedNode(KG + "Party")) in got
    assert (sp, NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"), Literal("SP")) in got
    incoming = {t for t in got if t[2] == sp}
    assert (NamedNode(Q_IRI.replace(Q, "2019Z04512") + "/indiener/1"), NamedNode(KG + "party"), sp) in incoming


def test_named_graph_iri_gives_its_content(client):
    response = client.get(f"/graph/kamervraag/{Q}", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    got = triples(response)
    assert (NamedNode(Q_IRI), NamedNode(KG + "zaakNumber"), Literal(Q)) in got
    own = {t for t in got if t[0].value.startswith((Q_IRI, BASE + "graph/kamervraag/" + Q, BASE + "id/document/"))}
    # Besides: the question's entries in the lists it belongs to (the derived kg:entry), and only those.
    key = Literal("20210930202116860", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    assert {t for t in got if t not in own} == {
        (NamedNode(BASE + "id/" + list_node), NamedNode(KG + "entry"), key) for list_node in (
            "persoon/barbara-kathmann#vragen", "partij/pvda#vragen",
            # Her submission: as main submitter, printed with her party.
            "persoon/barbara-kathmann#ingediend-eerste-pvda", "persoon/barbara-visser#beantwoord",
            "persoon/ferdinand-grapperhaus#beantwoord", "ministerie/mnre1058#vragen", "ministerie/mnre1130#vragen",
            "post/minister-justitie-en-veiligheid#vragen", "post/minister-infrastructuur-en-waterstaat#vragen",
            # Its topics, and the themes above them.
            "onderwerp/luchtvaart#vragen", "onderwerp/verkeer-thema#vragen", "onderwerp/internationaal#vragen",
            "onderwerp/organisatie-en-beleid#vragen", "onderwerp/bestuur#vragen",
            # Her party on each topic as tagged (not the theme above them).
            "partij/pvda#onderwerp-luchtvaart", "partij/pvda#onderwerp-verkeer-thema",
            "partij/pvda#onderwerp-internationaal", "partij/pvda#onderwerp-organisatie-en-beleid",
            # Who asked whom: the member and her party, to each answerer and answering ministry.
            *(f"{source}#aan-{target.replace('/', '-')}" for source in ("persoon/barbara-kathmann", "partij/pvda")
              for target in ("persoon/barbara-visser", "persoon/ferdinand-grapperhaus", "ministerie/mnre1058",
                             "ministerie/mnre1130")),
            # Answered in 49 days: for both ministries, both posts, each answerer in her post and the party
            # (after the deadline: in no list of those answered within it).
            "ministerie/mnre1058#dagen-49", "ministerie/mnre1130#dagen-49",
            "post/minister-justitie-en-veiligheid#dagen-49", "post/minister-infrastructuur-en-waterstaat#dagen-49",
            "persoon/barbara-visser#dagen-49-als-minister-infrastructuur-en-waterstaat",
            "persoon/ferdinand-grapperhaus#dagen-49-als-minister-justitie-en-veiligheid", "partij/pvda#dagen-49",
            # With a mededeling: in each ministry's list of those.
            "ministerie/mnre1058#met-mededeling", "ministerie/mnre1130#met-mededeling")}


def test_json_ld_is_json(client):
    response = client.get(Q_PATH, headers={"Accept": "application/ld+json"})
    document = json.loads(response.data)
    assert isinstance(document, (list, dict))


@pytest.mark.parametrize("path", [
    "/id/kamervraag/2099Z99999", "/id/persoon/nobody-at-all", "/id/partij/geen-partij", "/id/nothing",
    "/graph/kamervraag/2099Z99999", "/id/kamervraag/2099Z99999.ttl",
])
def test_unknown_iris_are_404_pages(client, path):
    html = client.get(path, headers={"Accept": "text/html"})
    assert html.status_code == 404
    assert html.mimetype == "text/html"
    assert "staat niets in deze dataset" in html.get_data(as_text=True)
    rdf = client.get(path, headers={"Accept": "text/turtle"})
    assert rdf.status_code == 404
    assert rdf.headers["Content-Type"] == "text/plain; charset=utf-8"


def test_not_acceptable(client):
    response = client.get(Q_PATH, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert b"Turtle" in response.data
    assert client.get(f"{Q_PATH}?format=docx").status_code == 406


def test_head_requests(client):
    response = client.head(Q_PATH, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    assert response.data == b""


# -- the ontology and any other IRI ------------------------------------------------------------


def test_ontology_at_its_own_iri(client):
    import kamergraph
    from kamergraph.ontology import ONTOLOGY_FILE, read_text

    html = client.get("/def", headers={"Accept": "text/html"})
    assert html.status_code == 200
    assert b'id="WrittenQuestion"' in html.data
    assert b'id="refersTo"' in html.data
    turtle = client.get("/def", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    assert turtle.headers["Content-Location"] == "/def.ttl"
    assert turtle.data == read_text(ONTOLOGY_FILE).encode("utf-8")
    assert f'#versionInfo> "{kamergraph.__version__}"'.encode() in turtle.data
    as_nt = triples(client.get("/def.nt"))
    assert (NamedNode(KG + "WrittenQuestion"), NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf"),
            NamedNode("https://schema.org/Question")) in as_nt
    from rdflib import Graph
    from rdflib.compare import isomorphic

    as_ttl = Graph().parse(data=turtle.data, format="turtle")
    assert isomorphic(as_ttl, Graph().parse(data=client.get("/def.jsonld").data, format="json-ld"))
    assert isomorphic(as_ttl, Graph().parse(data=client.get("/def.rdf").data, format="xml"))


def test_generic_page_for_any_iri(client):
    term = client.get("/resource", query_string={"iri": KG + "WrittenQuestion"}, headers={"Accept": "text/html"})
    assert term.status_code == 200
    assert b"written question" in term.data
    rdf = client.get("/resource", query_string={"iri": "https://identifier.overheid.nl/tooi/id/ministerie/mnre1058",
                                                 "format": "nt"})
    assert rdf.status_code == 200
    got = triples(rdf)
    assert (NamedNode(BASE + "id/ministerie/mnre1058"), NamedNode("http://www.w3.org/2004/02/skos/core#exactMatch"),
            NamedNode("https://identifier.overheid.nl/tooi/id/ministerie/mnre1058")) in got
    assert client.get("/resource", query_string={"iri": "https://example.org/unknown"}).status_code == 404
    assert client.get("/resource", query_string={"iri": "not an iri"}).status_code == 404
    assert client.get("/resource").status_code == 404


def test_sub_question_iri_has_the_generic_page(client):
    response = client.get(Q_PATH + "/vraag/1", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert b"Bent u bekend met de artikelen" in response.data
    assert f'href="{Q_PATH}"'.encode() in response.data  # the question that holds it, linked back


# -- host independence -------------------------------------------------------------------------


def test_iris_do_not_depend_on_the_host(client):
    here = client.get(f"{Q_PATH}.nt", base_url="http://localhost:8000")
    there = client.get(f"{Q_PATH}.nt", base_url="http://127.0.0.1:9000")
    assert triples(here) == triples(there)
    assert NamedNode(Q_IRI) in {t[0] for t in triples(here)}
    page = client.get(Q_PATH, base_url="http://127.0.0.1:9000", headers={"Accept": "text/html"})
    assert b'href="/id/persoon/barbara-kathmann"' in page.data
    assert b'href="https://kamergraph.nl/' not in page.data  # IRIs appear as text and JSON-LD, links go here


@pytest.fixture(scope="module")
def proxied_app(settings):
    from kamergraph.endpoint import create_app

    application = create_app(settings, trusted_proxies=1, allowed_hosts="public.example.org")
    application.config["TESTING"] = True
    yield application
    application.extensions["kamergraph"].close()


FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "public.example.org",
             "X-Forwarded-Prefix": "/kamervragen", "X-Forwarded-For": "203.0.113.9"}


def test_behind_a_proxy_links_follow_the_forwarded_host_and_prefix(proxied_app):
    client = proxied_app.test_client()
    page = client.get(Q_PATH, headers={"Accept": "text/html", **FORWARDED})
    assert page.status_code == 200
    assert b'href="/kamervragen/id/persoon/barbara-kathmann"' in page.data
    assert b'href="/kamervragen/static/site.css"' in page.data
    rdf = client.get(Q_PATH, headers={"Accept": "text/turtle", **FORWARDED})
    assert rdf.headers["Content-Location"] == f"/kamervragen{Q_PATH}.ttl"
    assert NamedNode(Q_IRI) in {t[0] for t in triples(rdf)}  # the IRIs stay those of the base
    sitemap = client.get("/sitemap-questions-1.xml", headers=FORWARDED)
    assert f"<loc>https://public.example.org/kamervragen{Q_PATH}</loc>".encode() in sitemap.data


def test_forwarded_headers_are_ignored_unless_trusted(client):
    page = client.get(Q_PATH, headers={"Accept": "text/html", **FORWARDED})
    assert b'href="/id/persoon/barbara-kathmann"' in page.data
    assert b"/kamervragen/" not in page.data


@pytest.fixture(scope="module")
def other_base(tmp_path_factory):
    """A store of two examples ingested under another base IRI, and an app serving it."""
    from conftest import EXAMPLES
    from kamergraph.config import Settings
    from kamergraph.endpoint import create_app
    from kamergraph.graph import open_store
    from kamergraph.ingest.pipeline import ingest_paths

    path = tmp_path_factory.mktemp("other-base") / "store"
    settings = Settings(store=str(path), base_iri="http://data.example.org/kv/", index_wait=60.0)  # no page index yet
    store = open_store(str(path))
    try:
        report = ingest_paths(store, [EXAMPLES / "000_7b937e3f333bd3c8.txt", EXAMPLES / "006_5ba682804d63efbd.txt"],
                              settings)
    finally:
        store.close()
    assert not report.errors
    application = create_app(settings)
    application.config["TESTING"] = True
    yield application
    application.extensions["kamergraph"].close()


def test_request_paths_map_to_the_configured_base_iri(other_base):
    client = other_base.test_client()
    response = client.get(f"{Q_PATH}.nt", base_url="http://127.0.0.1:5000")
    assert response.status_code == 200
    subjects = {t[0].value for t in triples(response)}
    assert "http://data.example.org/kv" + Q_PATH in subjects
    assert not any(s.startswith(BASE + "id/") for s in subjects)
    page = client.get(Q_PATH, headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert b'href="/id/persoon/barbara-kathmann"' in page.data
    listing = client.get("/questions.json").get_json()
    assert [q["question"] for q in listing["questions"]] == [
        "http://data.example.org/kv/id/kamervraag/2021Z16860", "http://data.example.org/kv/id/kamervraag/2019Z01187"]


def test_rdf_is_readable_cross_origin(client):
    response = client.get(Q_PATH, headers={"Accept": "application/ld+json", "Origin": "https://app.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Expose-Headers"] == "Content-Location, Link, X-Result-Truncated"


@pytest.mark.parametrize("path", [Q_PATH, "/.well-known/void", "/downloads", "/questions.json",
                                  "/queries/who-asked-whom.json"])
def test_a_cross_origin_preflight_is_answered(client, path):
    response = client.options(path, headers={
        "Origin": "https://app.example", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "accept"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert response.headers["Access-Control-Allow-Headers"] == "Accept, Accept-Language"


def test_home_page_data_is_the_dataset_description(client):
    response = client.get("/", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["Content-Location"] == "/index.ttl"
    subjects = {t.subject.value for t in parse(response.data, format=RdfFormat.TURTLE)}
    assert BASE + ".well-known/void#kamergraph" in subjects
    assert Q_IRI in subjects
