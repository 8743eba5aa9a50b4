"""The dataset as a whole: the VoID and DCAT description at /.well-known/void, the dumps (files written
once per store state, gzipped N-Quads and Turtle holding what the store holds), the sitemap and robots.txt."""
from __future__ import annotations

import gzip
import hashlib
import re
import time
import xml.etree.ElementTree as ET
from datetime import datetime
from email.utils import formatdate

from babel.dates import format_date
from pyoxigraph import Literal, NamedNode, RdfFormat, parse

from stores import all_quads, copy_store

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


def _when_written(client, path: str, seconds: float = 120.0):
    """GET ``path`` until the dumps are written (503 with Retry-After before the first set exists)."""
    deadline = time.monotonic() + seconds
    while True:
        response = client.get(path)
        if response.status_code != 503 or time.monotonic() > deadline:
            return response
        assert response.headers["Retry-After"] == "30"
        time.sleep(0.2)


def test_nquads_dump_is_the_whole_store(client, store_dir):
    response = _when_written(client, "/downloads/kamergraph.nq.gz")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/gzip"
    assert response.headers["Content-Disposition"] == "attachment; filename=kamergraph.nq.gz"
    quads = set(parse(gzip.decompress(response.data), format=RdfFormat.N_QUADS))
    assert quads == all_quads(store_dir)


def test_turtle_dump_is_the_union_of_all_graphs(client, store_dir):
    response = _when_written(client, "/downloads/kamergraph.ttl.gz")
    assert response.status_code == 200
    dump = parse(gzip.decompress(response.data), format=RdfFormat.TURTLE)
    triples = {(t.subject, t.predicate, t.object) for t in dump}
    assert triples == {(q.subject, q.predicate, q.object) for q in all_quads(store_dir)}


def test_a_dump_is_a_file_with_length_etag_date_and_ranges(tmp_path, store_dir):
    from kamergraph.config import Settings
    from kamergraph.endpoint import create_app
    from kamergraph.indexes.dumps import dumps_path

    store = copy_store(store_dir, tmp_path / "store")
    app = create_app(Settings(store=str(store)))
    app.config["TESTING"] = True
    client = app.test_client()
    try:
        first = client.get("/downloads/kamergraph.nq.gz")
        # No set yet: the request starts the writing and does not wait for it.
        assert first.status_code == 503 and first.headers["Retry-After"] == "30"
        assert b"wordt geschreven" in client.get("/downloads", headers={"Accept": "text/html"}).data
        whole = _when_written(client, "/downloads/kamergraph.nq.gz")
        assert whole.status_code == 200
        body = whole.data
        digest = hashlib.sha256(body).hexdigest()
        assert whole.headers["Content-Length"] == str(len(body))
        assert whole.headers["ETag"] == f'"{digest}"'
        assert whole.headers["Accept-Ranges"] == "bytes"
        written_at = (dumps_path(str(store)) / "kamergraph.nq.gz").stat().st_mtime
        assert whole.headers["Last-Modified"] == formatdate(int(written_at), usegmt=True)
        head = client.head("/downloads/kamergraph.nq.gz")
        assert head.status_code == 200 and head.headers["Content-Length"] == str(len(body)) and head.data == b""
        part = client.get("/downloads/kamergraph.nq.gz", headers={"Range": "bytes=10-109"})
        assert part.status_code == 206
        assert part.headers["Content-Range"] == f"bytes 10-109/{len(body)}"
        assert part.data == body[10:110]
        unchanged = client.get("/downloads/kamergraph.nq.gz", headers={"If-None-Match": f'"{digest}"'})
        assert unchanged.status_code == 304
        # The same file again: written once per state of the store, not per request.
        assert client.get("/downloads/kamergraph.nq.gz").data == body
        assert (dumps_path(str(store)) / "kamergraph.nq.gz").stat().st_mtime == written_at
        page = client.get("/downloads", headers={"Accept": "text/html"}).data.decode()
        assert digest in page and f"{len(body):,} bytes".replace(",", ".") in page  # Dutch digit grouping
        # When each file was written: a Dutch long date, the ISO moment kept for machines.
        written = re.findall(r'<td><time datetime="([^"]+)">([^<]+)</time></td>', page)
        assert written and all(
            text == format_date(datetime.fromisoformat(moment).date(), format="long", locale="nl")
            for moment, text in written)
        void = client.get("/.well-known/void", headers={"Accept": "application/n-triples"}).data.decode()
        dist = f"<{DS}-kamergraph-nq-gz>"
        assert f'{dist} <{DCAT}byteSize> "{len(body)}"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>' in void
        assert f'"{digest}"^^<http://www.w3.org/2001/XMLSchema#hexBinary>' in void
    finally:
        app.extensions["kamergraph"].close()
        app.extensions["kamergraph-dumps"].close()


def test_dump_head_and_unknown_names(client):
    head = _when_written(client, "/downloads/kamergraph.nq.gz")
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
