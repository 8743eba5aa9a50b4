"""Every IRI kamergraph mints answers: ``/id/...`` (things), ``/graph/...`` (named graphs) and
``/def`` (the ontology), under whatever host and prefix the server is reached on.

One URL, several representations (200, not 303; see endpoint/README.md): the IRI itself answers
with the representation the Accept header picks (HTML for browsers; Turtle, JSON-LD, N-Triples,
RDF/XML for programs), says ``Vary: Accept`` and names the document it sent in
``Content-Location`` (``/id/kamervraag/2021Z16860.ttl``). Those documents answer on their own
with one fixed representation each, and ``?format=ttl`` does the same for clients that can set
neither. ``Link: rel="alternate"`` headers list every representation. ``/resource?iri=...`` shows
what the store says about any other IRI (TOOI ministries, taxonomy URIs, vocabulary terms).
"""
from __future__ import annotations

from functools import lru_cache

from flask import abort, request
from pyoxigraph import NamedNode, RdfFormat, parse, serialize

from kamergraph.endpoint.runtime.results import PRETTY, written
from kamergraph.endpoint.runtime.tasks import ReadGraph, Reply
from kamergraph.endpoint.site import addresses, schemaorg, things
from kamergraph.endpoint.site.page_queries import PageQuery, construct, select, select_one
from kamergraph.endpoint.site.render import page_blueprint, page_index, respond
from kamergraph.endpoint.site.representations import (
    HTML_PAGE,
    THING,
    TURTLE,
    alternates_by_parameter,
    choose,
    for_document,
    split_suffix,
)
from kamergraph.endpoint.web import TRUNCATED, QueryFailed, backend
from kamergraph.ontology import ONTOLOGY_FILE, read_text
from kamergraph.ontology.terms import ONTOLOGY_IRI, PREFIXES

bp = page_blueprint("linkeddata", __name__, public=True)


@bp.route("/id/<path:path>")
def thing(path: str):
    return _serve("id/" + path)


@bp.route("/graph/<path:path>")
def graph(path: str):
    return _serve("graph/" + path)


def _serve(full_path: str):
    stem, suffix = split_suffix(full_path)
    rep, by_accept, links, location = for_document("/" + stem, suffix)
    iri = addresses.iri_for_path(stem)
    if not _is_iri(iri):  # a space, a control character, "<>{}|\\^`, U+FFFF...: nothing of ours
        abort(404)
    kind = things.kind_of(iri)
    if rep is HTML_PAGE:
        context = things.BUILDERS[kind](iri)
        if context is None:
            abort(404)
        return respond(rep, by_accept, links, location, template=things.TEMPLATES[kind],
                       context=dict(context, kind=kind))
    return _respond_rdf(rep, by_accept, links, location, kind=kind, iri=iri)


def _respond_rdf(rep, by_accept: bool, links: list[dict], location: str, *, kind: str, iri: str):
    """The RDF twin, marked ``X-Result-Truncated`` when the row cap cut it."""
    reply = _rdf(kind, iri, rep)
    response = respond(rep, by_accept, links, location, body=reply.body)
    if reply.truncated:
        response.headers[TRUNCATED] = "true"
    return response


def _is_iri(text: str) -> bool:
    """Whether the text is an IRI as the queries take it (pyoxigraph's check, no white space at the ends)."""
    try:
        NamedNode(text)
    except ValueError:
        return False
    return text == text.strip()


def _rdf(kind: str, iri: str, rep) -> Reply:
    """A thing's RDF twin: a question's graph with the names it links to; a named graph's content;
    for anything else its statements both ways (see page-resource-rdf.rq)."""
    if kind == "graph":
        reply = backend().page_query(ReadGraph(iri, rep.rdf))
        if reply.status == 404:
            abort(404)
        if reply.status != 200:
            raise QueryFailed(reply)
        return reply
    if not select_one(PageQuery("page-exists", {"iri": iri})):
        abort(404)
    if kind == "question":
        return construct(PageQuery("page-question-rdf", {"question": iri}), rep.rdf)
    return construct(PageQuery("page-resource-rdf", {"iri": iri}), rep.rdf)


@bp.route("/resource")
@bp.route("/resource.<suffix>")
def resource(suffix: str | None = None):
    """The generic page of any IRI, given as ``?iri=``; IRIs this server answers for redirect there."""
    iri = request.args.get("iri", "").strip()
    if not iri:
        abort(404)
    rep, by_accept = choose(THING, suffix)
    path = addresses.local_path(iri)
    links = alternates_by_parameter(addresses.with_query(request.script_root + "/resource", {"iri": iri}), THING)
    location = addresses.with_query(f"{request.script_root}/resource.{rep.suffix}", {"iri": iri})
    if not _is_iri(iri):
        abort(404)
    if rep is HTML_PAGE:
        context = things.resource(iri)
        if context is None:
            abort(404)
        return respond(rep, by_accept, links, location, template="pages/resource.html",
                       context=dict(context, kind="resource", local=path))
    return _respond_rdf(rep, by_accept, links, location, kind="resource", iri=iri)


# -- the ontology ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def ontology_turtle() -> bytes:
    return read_text(ONTOLOGY_FILE).encode("utf-8")


@lru_cache(maxsize=8)
def ontology_as(pyoxigraph_format: str) -> bytes:
    triples = list(parse(ontology_turtle(), format=RdfFormat.TURTLE))
    fmt = getattr(RdfFormat, pyoxigraph_format)
    prefixes = PREFIXES if pyoxigraph_format in PRETTY else None
    return written(serialize(triples, format=fmt, prefixes=prefixes))


@bp.route("/def")
@bp.route("/def.<suffix>")
def ontology(suffix: str | None = None):
    """The ontology at its own IRI: documentation for people, the Turtle file as written (or
    converted to the other RDF formats) for programs."""
    rep, by_accept, links, location = for_document("/def", suffix)
    if rep is HTML_PAGE:
        return respond(rep, by_accept, links, location, template="pages/ontology.html", context=_ontology_page())
    body = ontology_turtle() if rep is TURTLE else ontology_as(rep.rdf.pyoxigraph)
    return respond(rep, by_accept, links, location, body=body)


_ONTOLOGY_PAGE: dict = {}


def _ontology_page() -> dict:
    """The documentation page's data, kept until the store changes (the page index notices that)."""
    version = page_index().signature, page_index().built
    cached = _ONTOLOGY_PAGE.get("context") if _ONTOLOGY_PAGE.get("version") == version else None
    if cached is None:
        cached = ontology_context(select(PageQuery("page-ontology"))[0])
        _ONTOLOGY_PAGE.update(version=version, context=cached)
    return cached


def ontology_context(rows: list[dict]) -> dict:
    """The ontology's terms, grouped into classes and properties, each with its labels, comments and
    links to the vocabularies it is tied to."""
    header: dict = {}
    terms: dict[str, dict] = {}
    for row in rows:
        if row.get("section") == "ontology":
            _add_value(header, row)
            continue
        term = terms.setdefault(row["term"], {"iri": row["term"], "name": row["term"].split("#", 1)[-1],
                                              "kinds": [], "labels": {}, "comments": {}, "links": {}})
        _add_value(term, row)
    classes = sorted((t for t in terms.values() if "Class" in " ".join(t["kinds"])), key=lambda t: t["name"])
    properties = sorted((t for t in terms.values() if t not in classes), key=lambda t: t["name"].lower())
    return {"header": header, "classes": classes, "properties": properties, "iri": ONTOLOGY_IRI,
            "jsonld": schemaorg.term(ONTOLOGY_IRI, (header.get("labels") or {}).get("en"))}


def _add_value(target: dict, row: dict) -> None:
    predicate, value = row.get("p"), row.get("o")
    if value is None:
        return
    name = str(predicate).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    lang = getattr(value, "lang", None) or ""
    if name == "type":
        target.setdefault("kinds", []).append(str(value).rsplit("#", 1)[-1])
    elif name in ("label", "title"):
        target.setdefault("labels", {})[lang] = str(value)
    elif name in ("comment", "description"):
        target.setdefault("comments", {})[lang] = str(value)
    else:
        target.setdefault("links", {}).setdefault(name, [])
        if value not in target["links"][name]:
            target["links"][name].append(value)
