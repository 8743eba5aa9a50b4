"""What the browse pages share: template filters, the page index, rendering a page in the
representation the client chose (HTML, RDF, CSV, JSON) and the HTML error pages.

Every text from the store reaches HTML through Jinja's autoescaping; the two filters that produce
markup (``paragraphs``, ``answer_text``) escape the text first and add only fixed tags.
"""
from __future__ import annotations

import re

from flask import Flask, Response, current_app, render_template, request
from markupsafe import Markup, escape
from pyoxigraph import NamedNode, RdfFormat, Triple, serialize
from werkzeug.exceptions import HTTPException

from kamergraph.ontology.terms import PREFIXES

from kamergraph.endpoint.site import addresses
from kamergraph.endpoint.web import QueryFailed, plain_error
from kamergraph.endpoint.site.representations import HTML_PAGE, Representation, decorate
from kamergraph.indexes.pages import TERM_DAYS, IndexUnavailable, Keeper
from kamergraph.endpoint.runtime.formats import HTML
from kamergraph.endpoint.runtime.results import PRETTY

KEEPER = "kamergraph-pages"
PAGE_SIZE = 20
MAX_PAGE_SIZE = 1000  # rows per page a client may ask for (size=) in CSV and JSON
PAGE_BLUEPRINTS = frozenset({"browse", "linkeddata", "void", "dumps"})


def page_index():
    """The current page index (built on first use, rebuilt in the background when the store changes)."""
    return current_app.extensions[KEEPER].get()


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
    return Markup("").join(Markup("<p>{}</p>").format(line) for line in str(text).split("\n") if line.strip())


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
        out.append(f"<p>{escaped}</p>")
    return Markup("".join(out))


def over_term(days) -> bool:
    return days is not None and int(days) > TERM_DAYS


# -- representations ---------------------------------------------------------------------------


def respond(rep: Representation, by_accept: bool, links: list[dict], content_location: str | None,
            *, template: str | None = None, context: dict | None = None, body: bytes | None = None,
            status: int = 200) -> Response:
    """A negotiated response: the HTML page, or the body of another representation."""
    if rep is HTML_PAGE:
        response = current_app.make_response(
            (render_template(template, alternates=links, **(context or {})), status)
        )
    else:
        response = Response(body, status=status, content_type=rep.content_type)
    return decorate(response, by_accept, links, content_location)


def rdf_body(triples: list[tuple], rep: Representation) -> bytes:
    """Triples (subject IRI, predicate IRI, object term) serialized in an RDF representation."""
    fmt = getattr(RdfFormat, rep.rdf.pyoxigraph)
    prefixes = PREFIXES if rep.rdf.pyoxigraph in PRETTY else None
    return serialize([Triple(NamedNode(s), NamedNode(p), o) for s, p, o in triples], format=fmt, prefixes=prefixes)


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


# -- errors ------------------------------------------------------------------------------------


def wants_html() -> bool:
    accept = request.accept_mimetypes
    if not accept:
        return True
    return accept.best_match([HTML, "text/plain"]) == HTML


def error_page(status: int, title: str, message: str, headers: dict | None = None) -> Response:
    if wants_html():
        response = current_app.make_response(
            (render_template("pages/error.html", status=status, title=title, message=message), status)
        )
    else:
        response = Response(f"{message}\n", status=status, content_type="text/plain; charset=utf-8")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    response.vary.add("Accept")
    return response


def _http_error(error: HTTPException):
    # Only our pages and URLs no blueprint claims: /sparql and /store keep their plain-text errors.
    if request.blueprint not in PAGE_BLUEPRINTS and request.blueprint is not None:
        return error
    if request.blueprint is None and _blueprint_at(request.path) not in PAGE_BLUEPRINTS | {None}:
        # A method the route does not take (PUT /sparql) fails before a blueprint is chosen.
        return plain_error(error)
    titles = {404: "Not found", 405: "Method not allowed", 406: "Not acceptable"}
    message = error.description or ""
    if error.code == 404:
        message = f"There is nothing at {request.path} in this dataset."
    allow = {name: value for name, value in error.get_headers() if name == "Allow"}  # a 405 must say
    return error_page(error.code or 500, titles.get(error.code, error.name), message, allow)


def _blueprint_at(path: str) -> str | None:
    """The blueprint whose route takes the path by some method, if any."""
    try:
        endpoint, _ = current_app.url_map.bind("").match(path, method="GET")
    except HTTPException:
        return None
    return endpoint.rpartition(".")[0] or None


def _data_error(error: QueryFailed):
    reply = error.reply
    headers = dict(reply.headers)
    status = reply.status if reply.status >= 500 else 500
    return error_page(status, "The data could not be read", str(error), headers)


def _index_error(error: IndexUnavailable):
    return error_page(503, "Lists not ready", f"The lists are not ready: {error}.", {"Retry-After": "5"})


# -- the app -----------------------------------------------------------------------------------


def init_app(app: Flask) -> None:
    settings = app.config["KAMERGRAPH_SETTINGS"]
    app.extensions[KEEPER] = Keeper(settings.store, build_wait=max(20.0, settings.query_timeout))
    env = app.jinja_env
    env.filters.update(href=lambda iri: addresses.href(str(iri)), prefixed=prefixed, local_name=local_name,
                       paragraphs=paragraphs, answer_text=answer_text)
    env.tests["over_term"] = over_term
    env.globals.update(TERM_DAYS=TERM_DAYS, is_local=addresses.is_local, with_query=addresses.with_query)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(QueryFailed, _data_error)
    app.register_error_handler(IndexUnavailable, _index_error)


__all__ = ["page_index", "respond"]
