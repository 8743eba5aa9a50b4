"""The dataset described: VoID and DCAT at ``/.well-known/void`` (RDF, or a page for people),
``/sitemap.xml`` (a sitemap index over every page) and ``/robots.txt`` pointing to it.

The description names the dataset, its SPARQL endpoint and its dumps by IRIs under the base IRI
(like the service description), so it reads the same wherever the server runs; its counts come
from the page index (the store's numbers when the index was last built).
"""
from __future__ import annotations

from datetime import UTC, datetime
from xml.sax.saxutils import escape as xml_escape

from flask import Response, request
from pyoxigraph import Literal, NamedNode

from kamergraph.endpoint.site import addresses, schemaorg
from kamergraph.endpoint.site.i18n import N_
from kamergraph.endpoint.site.render import current_dumps, page_blueprint, page_index, rdf_body, respond
from kamergraph.endpoint.site.representations import HTML_PAGE, for_document
from kamergraph.endpoint.terms import Iri, Lit
from kamergraph.ontology.terms import DCAT, DCTERMS, FOAF, KG, ONTOLOGY_IRI, RDF, SD, VOID, XSD

bp = page_blueprint("void", __name__, public=True)

SITEMAP_CHUNK = 50_000  # URLs per sitemap file (the protocol's limit)
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
IANA = "https://www.iana.org/assignments/media-types/"
SPDX = "http://spdx.org/rdf/terms#"  # DCAT 2 states a file's checksum with spdx:checksum
DUMPS = (("kamergraph.nq.gz", "application/n-quads", N_("N-Quads, gzipped: every named graph")),
         ("kamergraph.ttl.gz", "text/turtle", N_("Turtle, gzipped: the union of all graphs")))
VOCABULARIES = (KG.iri, "http://purl.org/dc/terms/", "http://xmlns.com/foaf/0.1/", "http://www.w3.org/2004/02/skos/core#",
                "http://www.w3.org/ns/org#", "http://www.w3.org/ns/prov#", "https://schema.org/")


def dataset_iri() -> str:
    return addresses.iris().dataset


def description() -> list[tuple]:
    """The VoID and DCAT statements (subject, predicate, object term)."""
    scheme = addresses.iris()
    base = scheme.base
    index = page_index()
    ds = scheme.dataset
    sparql = scheme.sparql_endpoint
    service = scheme.sparql_service
    u = NamedNode
    built = datetime.fromtimestamp(index.built, UTC).replace(microsecond=0).isoformat()
    out = [
        (ds, RDF.type.value, u(VOID.Dataset.value)), (ds, RDF.type.value, u(DCAT.Dataset.value)),
        (ds, DCTERMS.title.value, Literal("kamergraph", language="en")),
        (ds, DCTERMS.description.value, Literal(
            "Written parliamentary questions (Kamervragen) of the Dutch House of Representatives as linked data: "
            "who asked whom about what, and how it was answered.", language="en")),
        (ds, DCTERMS.license.value, u(LICENSE)),
        (ds, DCTERMS.modified.value, Literal(built, datatype=XSD.dateTime)),
        (ds, DCTERMS.language.value, u("http://id.loc.gov/vocabulary/iso639-1/nl")),
        (ds, FOAF.homepage.value, u(base)),
        (ds, DCAT.landingPage.value, u(base)),
        (ds, DCAT.keyword.value, Literal("Kamervragen", language="nl")),
        (ds, DCAT.keyword.value, Literal("parliamentary questions", language="en")),
        (ds, VOID.sparqlEndpoint.value, u(sparql)),
        (ds, VOID.uriSpace.value, Literal(scheme.id)),
        (ds, VOID.rootResource.value, scheme.topic_scheme),
        (ds, VOID.entities.value, Literal(str(index.size), datatype=XSD.integer)),
        (ds, VOID.classPartition.value, u(ds + "-questions")),
        (ds + "-questions", VOID["class"].value, u(KG.WrittenQuestion.value)),
        (ds + "-questions", VOID.entities.value, Literal(str(index.size), datatype=XSD.integer)),
        (ds, DCAT.distribution.value, u(ds + "-sparql")),
        (ds + "-sparql", RDF.type.value, u(DCAT.Distribution.value)),
        (ds + "-sparql", DCTERMS.title.value, Literal("SPARQL 1.1 endpoint", language="en")),
        (ds + "-sparql", DCAT.accessURL.value, u(sparql)),
        (ds + "-sparql", DCAT.accessService.value, u(service)),
        (service, RDF.type.value, u(DCAT.DataService.value)), (service, RDF.type.value, u(SD.Service.value)),
        (service, DCAT.endpointURL.value, u(sparql)),
        (service, DCAT.servesDataset.value, u(ds)),
        (ONTOLOGY_IRI, RDF.type.value, u("http://www.w3.org/2002/07/owl#Ontology")),
    ]
    if index.size:
        first = index.rows(index.window(index.all, 0, 1))
        if first:
            out.append((ds, VOID.exampleResource.value, u(first[0].iri)))
    out += [(ds, VOID.vocabulary.value, u(vocabulary)) for vocabulary in VOCABULARIES]
    written = current_dumps()
    for name, media_type, title in DUMPS:
        url = base + "downloads/" + name
        dist = f"{ds}-{name.replace('.', '-')}"
        out += [
            (ds, VOID.dataDump.value, u(url)),
            (ds, DCAT.distribution.value, u(dist)),
            (dist, RDF.type.value, u(DCAT.Distribution.value)),
            (dist, DCTERMS.title.value, Literal(title, language="en")),
            (dist, DCAT.downloadURL.value, u(url)),
            (dist, DCAT.mediaType.value, u(IANA + media_type)),
            (dist, DCAT.compressFormat.value, u(IANA + "application/gzip")),
            (dist, DCTERMS.license.value, u(LICENSE)),
        ]
        about = written.files.get(name) if written else None
        if about is not None:  # the file in place: its size, time and checksum
            checksum = f"{dist}-sha256"
            out += [
                (dist, DCAT.byteSize.value, Literal(str(about.size), datatype=XSD.nonNegativeInteger)),
                (dist, DCTERMS.modified.value, Literal(about.modified_iso, datatype=XSD.dateTime)),
                (dist, SPDX + "checksum", u(checksum)),
                (checksum, RDF.type.value, u(SPDX + "Checksum")),
                (checksum, SPDX + "algorithm", u(SPDX + "checksumAlgorithm_sha256")),
                (checksum, SPDX + "checksumValue", Literal(about.sha256, datatype=XSD.hexBinary)),
            ]
    return out


@bp.route("/.well-known/void")
@bp.route("/.well-known/void.<suffix>")
def void(suffix: str | None = None):
    rep, by_accept, links, location = for_document("/.well-known/void", suffix)
    triples = description()
    if rep is not HTML_PAGE:
        return respond(rep, by_accept, links, location, body=rdf_body(triples, rep))
    rows = [(Iri(s), Iri(p), Iri(o.value) if isinstance(o, NamedNode) else
             Lit(o.value, o.language, None if o.language else o.datatype.value)) for s, p, o in triples]
    return respond(rep, by_accept, links, location, template="pages/void.html",
                   context={"dataset": dataset_iri(), "statements": rows, "dumps": DUMPS,
                            "jsonld": schemaorg.thing(dataset_iri(), "kamergraph")})


# -- sitemaps ----------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return request.host_url.rstrip("/") + request.script_root + path


def _xml(body: str) -> Response:
    return Response('<?xml version="1.0" encoding="UTF-8"?>\n' + body, content_type="application/xml; charset=utf-8")


@bp.route("/sitemap.xml")
def sitemap_index():
    index = page_index()
    chunks = max(1, -(-index.size // SITEMAP_CHUNK))
    lastmod = datetime.fromtimestamp(index.built, UTC).date().isoformat()
    names = ["/sitemap-pages.xml"] + [f"/sitemap-questions-{n}.xml" for n in range(1, chunks + 1)]
    entries = "".join(f"<sitemap><loc>{xml_escape(_absolute(n))}</loc><lastmod>{lastmod}</lastmod></sitemap>\n"
                      for n in names)
    return _xml(f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</sitemapindex>\n')


@bp.route("/sitemap-pages.xml")
def sitemap_pages():
    index = page_index()
    paths = ["/", "/questions", "/def", "/.well-known/void", "/downloads"]
    for entity in sorted(index.entities.values(), key=lambda e: (e.kind, e.iri)):
        path = addresses.local_path(entity.iri)
        if path is not None:
            paths.append("/" + path)
    return _urlset(_absolute(p) for p in paths)


@bp.route("/sitemap-questions-<int:number>.xml")
def sitemap_questions(number: int):
    index = page_index()
    start = (number - 1) * SITEMAP_CHUNK
    if number < 1 or (start >= index.size and number > 1):
        return Response("No such sitemap.\n", status=404, content_type="text/plain; charset=utf-8")
    rows = index.question_iris(start, SITEMAP_CHUNK)
    return _urlset(addresses.absolute(iri) for iri in rows)


def _urlset(urls) -> Response:
    body = "".join(f"<url><loc>{xml_escape(url)}</loc></url>\n" for url in urls)
    return _xml(f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{body}</urlset>\n')


@bp.route("/robots.txt")
def robots():
    return Response(f"User-agent: *\nDisallow: /sparql\nDisallow: /store\nSitemap: {_absolute('/sitemap.xml')}\n",
                    content_type="text/plain; charset=utf-8")
