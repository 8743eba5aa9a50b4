"""The Low items of issue 16, each as it was found: Host headers, truncation headers, links from
stored IRIs, concurrent ingests, response size, bidirectional text, files under /static."""
from __future__ import annotations

import re
import subprocess
import sys
import time

import pytest

from conftest import ROOT, environment_without_settings
from stores import copy_store

EVIL = "evil.example"


# -- absolute links never follow an unknown Host header


@pytest.mark.parametrize("path", ["/robots.txt", "/sitemap.xml", "/sitemap-pages.xml", "/queries.json",
                                  "/questions.json", "/sparql", "/static//etc/passwd", "/id/partij/vvd"])
def test_an_unknown_host_is_400_and_appears_nowhere(client, path):
    response = client.get(path, base_url=f"http://{EVIL}", headers={"Accept": "text/html"})
    assert response.status_code == 400
    assert EVIL not in response.headers.get("Location", "")
    assert EVIL.encode() not in response.data or b"is not trusted" in response.data


def test_known_hosts_are_served_and_links_follow_them(client):
    for host in ("localhost:8000", "127.0.0.1:5000", "kamergraph.nl"):
        robots = client.get("/robots.txt", base_url=f"http://{host}")
        assert robots.status_code == 200
        assert f"Sitemap: http://{host}/sitemap.xml".encode() in robots.data
    redirect = client.get("/static//etc/passwd", base_url="http://localhost")
    assert redirect.status_code == 308 and redirect.headers["Location"].startswith("http://localhost/")


def test_allowed_hosts_adds_names(settings):
    from kamergraph.endpoint import create_app

    app = create_app(settings, allowed_hosts="mirror.example.net, .example.org")
    try:
        client = app.test_client()
        assert client.get("/robots.txt", base_url="http://mirror.example.net").status_code == 200
        assert client.get("/robots.txt", base_url="http://data.example.org").status_code == 200
        assert client.get("/robots.txt", base_url=f"http://{EVIL}").status_code == 400
    finally:
        app.extensions["kamergraph"].close()


# -- a named graph cut at the row cap says so


@pytest.fixture(scope="module")
def capped_app(settings):
    from kamergraph.endpoint import create_app

    app = create_app(settings, max_rows=100)
    yield app
    app.extensions["kamergraph"].close()


def test_a_named_graph_cut_at_the_cap_is_marked(capped_app, client):
    capped = capped_app.test_client().get("/graph/referentie.nt")
    assert capped.status_code == 200 and capped.headers["X-Result-Truncated"] == "true"
    assert len([line for line in capped.data.splitlines() if line.strip()]) == 100
    whole = client.get("/graph/kamervraag/2021Z16860.nt")
    assert whole.status_code == 200 and "X-Result-Truncated" not in whole.headers


# -- only http(s) IRIs become links in named-query tables


@pytest.mark.parametrize(("iri", "href"), [
    ("javascript:alert(document.domain)", None),
    ("JavaScript:alert(1)", None),
    ("data:text/html,<script>alert(1)</script>", None),
    ("vbscript:msgbox", None),
    ("urn:isbn:123", None),
    ("https://example.org/x", "https://example.org/x"),
    ("http://example.org/x", "http://example.org/x"),
    ("https://kamergraph.nl/id/partij/vvd", "/id/partij/vvd"),
])
def test_only_http_iris_and_our_own_become_links(app, iri, href):
    from kamergraph.endpoint.analysis.named_queries import cell_view

    with app.test_request_context("/queries/x"):
        cell = cell_view({"type": "uri", "value": iri})
    assert cell["href"] == href and cell["title"] == iri


# -- a second ingest beside a first


def test_a_second_ingest_says_another_process_holds_the_store(store_dir, tmp_path):
    store = copy_store(store_dir, tmp_path / "store")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, pyoxigraph; s = pyoxigraph.Store(sys.argv[1]); print('held', flush=True); "
                               "sys.stdin.read()", str(store)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        second = subprocess.run([sys.executable, "-m", "kamergraph.cli", "ingest", "--store", str(store),
                                 "--no-progress", str(ROOT / "examples")],
                                check=False, capture_output=True, text=True, env=environment_without_settings(),
                                timeout=60)
    finally:
        holder.communicate("")
    assert second.returncode == 1
    assert second.stderr == (f"Error: {store}: another process is writing to this store (another ingest, or a write "
                             "through the server); try again when it has finished\n")


# -- result size and memory


@pytest.fixture(scope="module")
def small_backend(settings):
    from kamergraph.endpoint.runtime.backend import Backend

    backend = Backend(settings.with_(query_workers=1, max_response=1_000_000, query_memory=400_000_000,
                                     query_timeout=20.0))
    yield backend
    backend.close()


# 100 rows of a 100,000-character string: 10 MB of terms.
BIG_ROWS = """SELECT ?i ?s WHERE {
  VALUES ?i { 0 1 2 3 4 5 6 7 8 9 } VALUES ?j { 0 1 2 3 4 5 6 7 8 9 }
  BIND("%s" AS ?k) BIND(CONCAT(?k, ?k, ?k, ?k, ?k, ?k, ?k, ?k, ?k, ?k) AS ?h)
  BIND(CONCAT(?h, ?h, ?h, ?h, ?h, ?h, ?h, ?h, ?h, ?h, STR(?j)) AS ?s) }""" % ("x" * 1000)


@pytest.mark.parametrize("fmt", [0, 1, 2, 3])
def test_a_result_is_cut_at_the_byte_cap(small_backend, fmt):
    from kamergraph.endpoint.runtime.formats import SOLUTIONS
    from kamergraph.endpoint.runtime.tasks import Query

    reply = small_backend.query(Query(BIG_ROWS, SOLUTIONS[fmt], None))
    assert reply.status == 200 and reply.truncated
    assert 900_000 < len(reply.body) < 1_200_000, len(reply.body)


def test_a_graph_is_cut_at_the_byte_cap(small_backend):
    from kamergraph.endpoint.runtime.formats import GRAPHS
    from kamergraph.endpoint.runtime.tasks import Query

    construct = BIG_ROWS.replace("SELECT ?i ?s WHERE", "CONSTRUCT { ?x <urn:p> ?s } WHERE").replace(
        "AS ?s) }", "AS ?s) BIND(IRI(CONCAT('urn:x:', STR(?i), STR(?j))) AS ?x) }")
    reply = small_backend.query(Query(construct, None, GRAPHS[1]))
    assert reply.status == 200 and reply.truncated
    assert 900_000 < len(reply.body) < 1_200_000, len(reply.body)


def test_a_query_over_the_memory_limit_is_503_and_others_go_on(small_backend):
    from kamergraph.endpoint.runtime.formats import SOLUTIONS
    from kamergraph.endpoint.runtime.tasks import Query

    # 1,000 strings of 1 MB sorted: a gigabyte held at once.
    hungry = ("SELECT ?s WHERE { VALUES ?i { 0 1 2 3 4 5 6 7 8 9 } VALUES ?j { 0 1 2 3 4 5 6 7 8 9 } "
              "VALUES ?k { 0 1 2 3 4 5 6 7 8 9 } BIND(\"%s\" AS ?a) "
              "BIND(CONCAT(?a,?a,?a,?a,?a,?a,?a,?a,?a,?a) AS ?b) "
              "BIND(CONCAT(?b,?b,?b,?b,?b,?b,?b,?b,?b,?b,STR(?i),STR(?j),STR(?k)) AS ?s) } ORDER BY DESC(?s) LIMIT 1"
              ) % ("y" * 10_000)
    started = time.monotonic()
    reply = small_backend.query(Query(hungry, SOLUTIONS[0], None))
    assert reply.status == 503, reply.body[:300]
    assert reply.body.startswith(b"Stopped: it needed more memory than")
    assert time.monotonic() - started < 20
    assert small_backend.query(Query("ASK { ?s ?p ?o }", SOLUTIONS[0], None)).status == 200


def test_rdf_xml_with_entities_is_refused(settings, tmp_path):
    from kamergraph.endpoint.runtime.backend import Backend
    from kamergraph.endpoint.runtime.formats import GRAPH_INPUTS
    from kamergraph.endpoint.runtime.tasks import WriteGraph

    rdf_xml = next(f for f in GRAPH_INPUTS if f.pyoxigraph == "RDF_XML")
    entities = '<!ENTITY a0 "xxxxxxxxxx">' + "".join(
        f'<!ENTITY a{i} "' + f"&a{i - 1};" * 10 + '">' for i in range(1, 9))
    body = (f'<?xml version="1.0"?><!DOCTYPE rdf:RDF [{entities}]><rdf:RDF '
            'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="urn:a">'
            '<p xmlns="urn:">&a8;</p></rdf:Description></rdf:RDF>').encode()
    backend = Backend(settings.with_(store=str(copy_store(settings.store, tmp_path / "store"))))
    try:
        started = time.monotonic()
        reply = backend.write(WriteGraph("PUT", "urn:x-test:laughs", body, rdf_xml))
        assert (reply.status, reply.body) == (400, b"RDF/XML with entity declarations (<!ENTITY) is not accepted.\n")
        assert time.monotonic() - started < 5
    finally:
        backend.close()


# -- bidirectional text is isolated


def test_text_with_bidi_controls_is_isolated_on_pages(app):
    from flask import render_template_string

    with app.test_request_context("/"):
        template = '<h1>{{ title }}</h1><a title="{{ title }}">{{ plain }}</a>{{ text | paragraphs }}'
        html = render_template_string(template, title="Vragen over \u202egnp.exe", plain="gewoon",
                                      text="regel\u202e een")
    assert "<h1>\u2068Vragen over \u202egnp.exe\u2069</h1>" in html
    assert 'title="\u2068Vragen over \u202egnp.exe\u2069"' in html
    assert ">gewoon</a>" in html
    assert '<p dir="auto">regel\u202e een</p>' in html


# -- /static serves assets only


@pytest.mark.parametrize(("path", "status"), [
    ("/static/package.json", 404), ("/static/package-lock.json", 404), ("/static/update-vendor.sh", 404),
    ("/static/site.css", 200), ("/static/site.js", 200), ("/static/vendor/yasgui/yasgui.min.js", 200),
    ("/static/vendor/yasgui/VERSION", 200), ("/static/vendor/vega/LICENSE", 200),
])
def test_static_serves_assets_only(client, path, status):
    assert client.get(path).status_code == status


def test_every_file_under_static_is_either_an_asset_or_refused(client):
    folder = ROOT / "endpoint" / "static"
    for file in folder.rglob("*"):
        if file.is_file() and "node_modules" not in file.parts:
            name = file.relative_to(folder).as_posix()
            expected = 200 if re.fullmatch(r".*\.(js|css)|vendor/[^/]+/(LICENSE|VERSION)", name) else 404
            assert client.get(f"/static/{name}").status_code == expected, name


# -- search lists only questions whose pages exist


def test_search_lists_no_question_the_store_does_not_hold_yet(store_dir, tmp_path):
    """During an ingest the search index runs ahead of what the server reads (its snapshot from
    before the ingest): a question found there but not yet in the store is not listed."""
    from kamergraph.config import Settings
    from kamergraph.endpoint import create_app
    from kamergraph.indexes.search import SearchDocument, SearchIndex, index_path_for

    store = copy_store(store_dir, tmp_path / "store")
    index = SearchIndex(index_path_for(str(store)))
    index.put([SearchDocument("https://kamergraph.nl/id/kamervraag/2099Z00001", "2099Z00001", "2099-01-01",
                              "Vragen aan de minister van de toekomst", "minister")])
    index.close()
    app = create_app(Settings(store=str(store)))
    try:
        client = app.test_client()
        found = client.get("/search.json?q=minister").get_json()
        listed = [hit["question"] for hit in found["hits"]]
        assert found["total"] == len(listed) == 4
        assert listed and "https://kamergraph.nl/id/kamervraag/2099Z00001" not in listed
        assert all(client.get(iri.removeprefix("https://kamergraph.nl"), headers={"Accept": "text/html"}).status_code
                   == 200 for iri in listed)
        assert client.get("/id/kamervraag/2099Z00001", headers={"Accept": "text/html"}).status_code == 404
    finally:
        app.extensions["kamergraph"].close()
