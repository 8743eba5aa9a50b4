"""The dataset as a whole: the VoID and DCAT description at /.well-known/void, the dumps (streamed,
gzipped N-Quads and Turtle holding what the store holds), the sitemap and robots.txt."""
from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET

from pyoxigraph import Literal, NamedNode, RdfFormat, parse

from stores import all_quads

BASE = "https://kamergraph.nl/"
DS = BASE + ".well-known/void#kamergraph"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_INTEGER = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_void_description(client):
    response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    assert response.headers["Content-Location"] == "/.well-known/void.ttl"
    got = {(t.subject.value, t.predicate.value, t.object) for t in parse(response.data, format=RdfFormat.TURTLE)}
    assert (DS, RDF_TYPE, NamedNode(VOID + "Dataset")) in got
    assert (DS, RDF_TYPE, NamedNode(DCAT + "Dataset")) in got
    assert (DS, VOID + "sparqlEndpoint", NamedNode(BASE + "sparql")) in got
    assert (DS, VOID + "dataDump", NamedNode(BASE + "downloads/kamergraph.nq.gz")) in got
    assert (DS, VOID + "dataDump", NamedNode(BASE + "downloads/kamergraph.ttl.gz")) in got
    assert (DS, VOID + "uriSpace", Literal(BASE + "id/")) in got
    assert (DS, VOID + "entities", Literal("10", datatype=XSD_INTEGER)) in got
    assert (DS, VOID + "exampleResource", NamedNode(BASE + "id/kamervraag/2021Z16860")) in got
    dist = DS + "-kamergraph-nq-gz"
    n_quads = NamedNode("https://www.iana.org/assignments/media-types/application/n-quads")
    assert (dist, DCAT + "mediaType", n_quads) in got
    assert (dist, DCAT + "downloadURL", NamedNode(BASE + "downloads/kamergraph.nq.gz")) in got


def test_void_page_and_home_link(client):
    page = client.get("/.well-known/void", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert b'href="/downloads/kamergraph.nq.gz"' in page.data
    home = client.get("/", headers={"Accept": "text/html"})
    assert b'href="/.well-known/void"' in home.data


def test_nquads_dump_is_the_whole_store(client, store_dir):
    response = client.get("/downloads/kamergraph.nq.gz")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/gzip"
    assert response.headers["Content-Disposition"] == 'attachment; filename="kamergraph.nq.gz"'
    assert response.is_streamed
    quads = set(parse(gzip.decompress(response.data), format=RdfFormat.N_QUADS))
    assert quads == all_quads(store_dir)


def test_turtle_dump_is_the_union_of_all_graphs(client, store_dir):
    response = client.get("/downloads/kamergraph.ttl.gz")
    assert response.status_code == 200
    dump = parse(gzip.decompress(response.data), format=RdfFormat.TURTLE)
    triples = {(t.subject, t.predicate, t.object) for t in dump}
    assert triples == {(q.subject, q.predicate, q.object) for q in all_quads(store_dir)}


def test_dump_head_and_unknown_names(client):
    head = client.head("/downloads/kamergraph.nq.gz")
    assert head.status_code == 200
    assert head.headers["Content-Type"] == "application/gzip"
    assert client.get("/downloads/secrets.txt").status_code == 404
    assert client.get("/downloads/../pyproject.toml").status_code == 404


def test_downloads_page(client):
    page = client.get("/downloads", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert b'href="/downloads/kamergraph.ttl.gz"' in page.data


def test_sitemap(client):
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert index.headers["Content-Type"] == "application/xml; charset=utf-8"
    locs = [e.text for e in ET.fromstring(index.data).iter(SITEMAP + "loc")]
    assert locs == ["http://localhost/sitemap-pages.xml", "http://localhost/sitemap-questions-1.xml"]
    questions = [e.text for e in ET.fromstring(client.get("/sitemap-questions-1.xml").data).iter(SITEMAP + "loc")]
    assert len(questions) == 10
    assert questions[0] == "http://localhost/id/kamervraag/2021Z16860"
    pages = [e.text for e in ET.fromstring(client.get("/sitemap-pages.xml").data).iter(SITEMAP + "loc")]
    assert "http://localhost/id/partij/sp" in pages
    assert "http://localhost/id/onderwerp/luchtvaart" in pages
    assert "http://localhost/def" in pages
    assert client.get("/sitemap-questions-2.xml").status_code == 404
    robots = client.get("/robots.txt")
    assert robots.data.decode().splitlines()[-1] == "Sitemap: http://localhost/sitemap.xml"
