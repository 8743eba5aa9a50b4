"""What the pages share: their blueprints, template filters, the page index, rendering a page in
the representation the client chose (HTML, RDF, CSV, JSON) and paging.

Every text from the store reaches HTML through Jinja's autoescaping; the two filters that produce
markup (``paragraphs``, ``answer_text``) escape the text first and add only fixed tags.
"""
from __future__ import annotations

import re

from flask import Blueprint, Flask, Response, current_app, render_template, request
from markupsafe import Markup, escape
from pyoxigraph import NamedNode, RdfFormat, Triple, serialize

from kamergraph.endpoint import security
from kamergraph.endpoint.runtime.results import PRETTY, written
from kamergraph.endpoint.site import addresses, errors
from kamergraph.endpoint.site.representations import HTML_PAGE, Representation, decorate
from kamergraph.indexes import dumps
from kamergraph.indexes.page_keeper import Keeper
from kamergraph.indexes.pages import TERM_DAYS
from kamergraph.ontology.terms import PREFIXES

KEEPER = "kamergraph-pages"
DUMPS = "kamergraph-dumps"
ON_LOAD = "kamergraph-pages-on-load"  # what a blueprint wants done with each page index as it is loaded
PAGE_SIZE = 20
MAX_PAGE_SIZE = 1000  # rows per page a client may ask for (size=) in CSV and JSON


def page_index():
    """The current page index (built on first use, rebuilt in the background when the store changes)."""
    return current_app.extensions[KEEPER].get()


def current_dumps() -> dumps.DumpSet | None:
    """The dumps in place (maybe of an earlier state while the current one is written), or None."""
    return current_app.extensions[DUMPS].current()


# -- filters -----------------------------------------------------------------------------------


def prefixed(iri: str) -> str:
    """``kg:WrittenQuestion`` for a term of a known namespace, else the IRI."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(best):
            best, name = namespace, prefix
    if best:
        local = iri[len(best):]
        if re.fullmatch(r"[A-Za-z_][\w.-]*", local or "_"):
            return f"{name}:{local}"
    return iri


def local_name(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/#"))[-1] or iri


def paragraphs(text: str | None) -> Markup:
    """Text with line breaks as escaped paragraphs."""
    if not text:
        return Markup("")
    lines = (line for line in str(text).split("\n") if line.strip())
    return Markup("").join(Markup('<p dir="auto">{}</p>').format(line) for line in lines)


_REFERENCE = re.compile(r"(?P<words>\b(?:antwoord(?:en)?|vra(?:ag|gen))\s+(?:op\s+)?(?:vra(?:ag|gen)\s+)?)(?P<n>\d+)",
                        re.IGNORECASE)


def answer_text(text: str | None, refers_to=()) -> Markup:
    """An answer as escaped paragraphs in which each mention of an answer it refers to (kg:refersTo:
    "zie het antwoord op vraag 4") links to that answer on the page."""
    if not text:
        return Markup("")
    targets = {str(n) for n in refers_to}
    out = []
    for line in str(text).split("\n"):
        if not line.strip():
            continue
        escaped = str(escape(line))
        if targets:
            escaped = _REFERENCE.sub(
                lambda m: m.group("words") + (f'<a href="#antwoord-{m.group("n")}" class="xref">{m.group("n")}</a>'
                                              if m.group("n") in targets else m.group("n")),
                escaped,
            )
        out.append(f'<p dir="auto">{escaped}</p>')
    return Markup("".join(out))


# Controls that change the direction of the text after them (embeddings, overrides such as U+202E,
# isolates, marks): in a title or a name they could turn the page around them.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


def isolate_bidi(value):
    """Every value a template writes, a text with bidirectional controls isolated: between U+2068
    and U+2069, the plain-text form of ``<bdi>`` (which cannot go into attributes): its direction is
    its own first strong letter, and whatever it opens ends at U+2069. Markup made by filters is left
    as it is (the paragraphs say ``dir="auto"``); anything else passes unchanged."""
    if value is None or isinstance(value, (Markup, int, float)):
        return value
    text = str(value)
    if not _BIDI.search(text):
        return value
    return FIRST_STRONG_ISOLATE + text + POP_DIRECTIONAL_ISOLATE


def over_term(days) -> bool:
    return days is not None and int(days) > TERM_DAYS


# -- representations ---------------------------------------------------------------------------


def respond(rep: Representation, by_accept: bool, links: list[dict], content_location: str | None,
            *, template: str | None = None, context: dict | None = None, body: bytes | None = None,
            status: int = 200) -> Response:
    """A negotiated response: the HTML page, or the body of another representation."""
    if rep is HTML_PAGE:
        if template is None:
            raise ValueError("an HTML page needs its template")
        response = current_app.make_response(
            (render_template(template, alternates=links, **(context or {})), status)
        )
    else:
        response = Response(body, status=status, content_type=rep.content_type)
    return decorate(response, by_accept, links, content_location)


def rdf_body(triples: list[tuple], rep: Representation) -> bytes:
    """Triples (subject IRI, predicate IRI, object term) serialized in an RDF representation."""
    if rep.rdf is None:
        raise ValueError(f"{rep.label} is not an RDF format")
    fmt = getattr(RdfFormat, rep.rdf.pyoxigraph)
    prefixes = PREFIXES if rep.rdf.pyoxigraph in PRETTY else None
    statements = [Triple(NamedNode(s), NamedNode(p), o) for s, p, o in triples]
    return written(serialize(statements, format=fmt, prefixes=prefixes))


MAX_PAGE = 1_000_000  # far past any list's end; bigger numbers overflow SQLite's integers


def page_number() -> int:
    try:
        return min(MAX_PAGE, max(1, int(request.args.get("page", "1"))))
    except ValueError:
        return 1


def page_size(rep: Representation) -> int:
    if rep is HTML_PAGE:
        return PAGE_SIZE
    try:
        return min(MAX_PAGE_SIZE, max(1, int(request.args.get("size", PAGE_SIZE))))
    except ValueError:
        return PAGE_SIZE


# -- the app -----------------------------------------------------------------------------------


def page_blueprint(name: str, import_name: str, *, public: bool) -> Blueprint:
    """A blueprint of pages: the site's error pages and the Content-Security-Policy; any web
    application may read the ``public`` ones (as it may query /sparql)."""
    blueprint = Blueprint(name, import_name)
    errors.install(blueprint)
    security.protect_pages(blueprint)
    if public:
        # A linked-data client's long Accept header makes browsers ask with a preflight first.
        security.allow_cross_origin(blueprint, methods="GET, HEAD, OPTIONS", request_headers="Accept, Accept-Language",
                                    expose="Content-Location, Link, X-Result-Truncated")
    return blueprint


_CODE_SPAN = re.compile(r"`([^`]+)`")


def code_spans(text: str) -> Markup:
    """A text with `names` (columns, parameters of a query) in backticks, those shown as code."""
    return Markup(_CODE_SPAN.sub(lambda m: f"<code>{m.group(1)}</code>", str(escape(text))))


def init_app(app: Flask) -> None:
    """The page index and the templates' filters."""
    settings = app.config["KAMERGRAPH_SETTINGS"]
    app.extensions[KEEPER] = Keeper(settings.store, build_wait=settings.index_wait,
                                    on_load=app.extensions.get(ON_LOAD, []))
    app.extensions[DUMPS] = dumps.Keeper(settings.store)
    env = app.jinja_env
    env.finalize = isolate_bidi
    env.filters.update(href=lambda iri: addresses.href(str(iri)), prefixed=prefixed, local_name=local_name,
                       paragraphs=paragraphs, answer_text=answer_text, code_spans=code_spans)
    env.tests["over_term"] = over_term
    env.globals.update(TERM_DAYS=TERM_DAYS, is_local=addresses.is_local, with_query=addresses.with_query)

