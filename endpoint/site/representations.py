"""The representations of a page: HTML for people, RDF (or CSV and JSON for lists) for programs.

The choice, in order: a format suffix on the path (``/id/kamervraag/2021Z16860.ttl``), a ``format``
parameter (``?format=ttl``, also media types), then the Accept header with its q-values
(``endpoint.negotiation``). No Accept header, or one that takes anything (``*/*``), gets HTML. A
response chosen by the Accept header says ``Vary: Accept`` and names the document it sent in
``Content-Location``; every response lists all representations in ``Link`` headers
(``rel="alternate"``). A representation nobody offers is a 406.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Response, request
from werkzeug.exceptions import NotAcceptable

from kamergraph.endpoint.negotiation import PAGE_PARAMETERS, by_accept_header, format_requests
from kamergraph.endpoint.runtime.formats import GRAPHS, HTML, Format


@dataclass(frozen=True)
class Representation:
    suffix: str  # the path suffix without its dot, also the value of the format parameter
    media_type: str
    label: str  # for "this data as ..."
    aliases: tuple[str, ...] = ()  # other media types in an Accept header that mean this one
    rdf: Format | None = None  # the pyoxigraph serialization, for RDF representations

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"


def _rdf(suffix: str, name: str, label: str) -> Representation:
    fmt = next(f for f in GRAPHS if f.pyoxigraph == name)
    return Representation(suffix, fmt.media_type, label, fmt.aliases, fmt)


HTML_PAGE = Representation("html", HTML, "HTML", ("application/xhtml+xml",))
TURTLE = _rdf("ttl", "TURTLE", "Turtle")
JSONLD = _rdf("jsonld", "JSON_LD", "JSON-LD")
NTRIPLES = _rdf("nt", "N_TRIPLES", "N-Triples")
RDFXML = _rdf("rdf", "RDF_XML", "RDF/XML")
CSV = Representation("csv", "text/csv", "CSV")
JSON = Representation("json", "application/json", "JSON")

# What a thing's IRI answers with; lists add CSV and JSON. HTML first: it is the default.
THING = (HTML_PAGE, TURTLE, JSONLD, NTRIPLES, RDFXML)
LIST = (HTML_PAGE, TURTLE, JSONLD, NTRIPLES, RDFXML, CSV, JSON)
SUFFIXES = {r.suffix for r in LIST}


def split_suffix(path: str) -> tuple[str, str | None]:
    """``("id/kamervraag/X", "ttl")`` for ``id/kamervraag/X.ttl``; the suffix is None when the last
    segment ends in none of the known ones (kamergraph never mints an IRI that does)."""
    head, dot, ext = path.rpartition(".")
    if dot and "/" not in ext and ext in SUFFIXES:
        return head, ext
    return path, None


def choose(offered: tuple[Representation, ...], suffix: str | None = None) -> tuple[Representation, bool]:
    """(the representation to send, whether the Accept header chose it); 406 if none fits.

    ``offered`` starts with the default. ``suffix`` is the path's format suffix, if any.
    """
    if suffix is not None:
        for rep in offered:
            if rep.suffix == suffix:
                return rep, False
        raise _not_offered(suffix)
    for value in format_requests(request.args, PAGE_PARAMETERS):
        if value:
            return _by_parameter(offered, value), False
    matched = by_accept_header(offered, request.headers.get("Accept"))
    if matched is None:
        raise _not_offered(request.headers.get("Accept", ""))
    return matched[0], True


def _by_parameter(offered: tuple[Representation, ...], value: str) -> Representation:
    wanted = value.split(";", 1)[0].strip().lower()
    # Exact names first: "json" is the JSON of a list before it is a name of JSON-LD.
    for rep in offered:
        if wanted in (rep.suffix, rep.media_type):
            return rep
    for rep in offered:
        if wanted in rep.aliases or (rep.rdf is not None and wanted in rep.rdf.names):
            return rep
    raise _not_offered(value)


def _not_offered(asked: str) -> NotAcceptable:
    return NotAcceptable(f"This page is available as HTML, Turtle, JSON-LD, N-Triples and RDF/XML (lists also as CSV "
                         f"and JSON), by Accept header or by suffix; not as {asked}.")


def for_document(path: str, suffix: str | None, offered: tuple[Representation, ...] = THING):
    """(representation, chosen by Accept, alternate links, Content-Location) for the document at
    ``path`` (below the app's root, without suffix): what every negotiated view starts with."""
    rep, by_accept = choose(offered, suffix)
    document = request.script_root + path
    return rep, by_accept, alternates(document, offered), f"{document}.{rep.suffix}"


def alternates(document: str, offered: tuple[Representation, ...]) -> list[dict]:
    """The representations of a document (a URL without suffix) as links: href, type, label."""
    return [{"href": f"{document}.{r.suffix}", "type": r.media_type, "label": r.label, "suffix": r.suffix}
            for r in offered]


def alternates_by_parameter(url: str, offered: tuple[Representation, ...]) -> list[dict]:
    """Like ``alternates`` for pages whose representations differ by a ``format`` parameter (pages
    with a query string, such as lists and search)."""
    joiner = "&" if "?" in url else "?"
    return [{"href": f"{url}{joiner}format={r.suffix}", "type": r.media_type, "label": r.label, "suffix": r.suffix}
            for r in offered]


def decorate(response: Response, by_accept: bool, links: list[dict], content_location: str | None) -> Response:
    """Vary, Content-Location and Link headers for a negotiated response."""
    if by_accept:
        response.vary.add("Accept")
        if content_location:
            response.headers["Content-Location"] = content_location
    response.headers["Link"] = ", ".join(
        f'<{link["href"]}>; rel="alternate"; type="{link["type"]}"' for link in links
    )
    return response
