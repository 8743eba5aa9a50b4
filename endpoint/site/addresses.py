"""Request URLs to IRIs and IRIs to links, independent of the host the server answers on.

Every IRI kamergraph mints lives under the configured base IRI (``settings.base_iri``); the
ontology's terms under the fixed ``https://kamergraph.nl/def``. A request for ``/id/kamervraag/X``
on whatever host (localhost, behind a proxy under a prefix, the public domain) is about the IRI
``{base}id/kamervraag/X``. A link on a page points to the host and prefix the browser used
(``request.host_url`` and ``request.script_root``, which ProxyFix sets from the X-Forwarded-*
headers when configured), so the pages work wherever the store is served.
"""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote, urlencode

from flask import request, url_for

from kamergraph.endpoint.web import backend
from kamergraph.iris import ROOTS, Iris
from kamergraph.ontology.terms import ONTOLOGY_IRI

# The first path segments of IRIs under the base that the server answers for (things, graphs, the
# dataset description, the dumps and the SPARQL endpoint).
SERVED_ROOTS = (*ROOTS, ".well-known", "downloads", "sparql")
DEF_PATH = "def"


def base_iri() -> str:
    return backend().settings.base_iri


def iris() -> Iris:
    """The IRI scheme under this server's base IRI."""
    return _iris(base_iri())


@lru_cache(maxsize=8)
def _iris(base: str) -> Iris:
    return Iris(base)


def iri_for_path(path: str) -> str:
    """The IRI a request path (below the app's root, no leading slash) stands for."""
    if path == DEF_PATH or path.startswith(DEF_PATH + "#"):
        return ONTOLOGY_IRI + path[len(DEF_PATH):]
    return base_iri() + path


def local_path(iri: str) -> str | None:
    """The path (below the app's root, no leading slash) where this server answers for an IRI, or
    None when the IRI is not one of ours. Fragments stay (``def#Question``)."""
    base = base_iri()
    if iri == ONTOLOGY_IRI or iri.startswith(ONTOLOGY_IRI + "#"):
        return DEF_PATH + iri[len(ONTOLOGY_IRI):]
    if iri.startswith(base):
        rest = iri[len(base):]
        if rest.split("/", 1)[0].split("#", 1)[0] in (*SERVED_ROOTS, DEF_PATH):
            return rest
    return None


def href(iri: str) -> str:
    """Where a link to an IRI goes on a page: our own IRIs on the host the browser used, any other
    IRI to the generic page that shows what the store says about it."""
    return local_href(iri) or url_for("linkeddata.resource", iri=iri)


def absolute(iri: str) -> str:
    """The absolute URL of an IRI's page on the host the request came to."""
    local = local_href(iri)
    if local is not None:
        return request.host_url.rstrip("/") + local
    return url_for("linkeddata.resource", iri=iri, _external=True)


def local_href(iri: str) -> str | None:
    """This server's page for an IRI under the base IRI; None for any other IRI."""
    path = local_path(iri)
    return None if path is None else request.script_root + "/" + _quote_path(path)


def is_local(iri: str) -> bool:
    return local_path(iri) is not None


def with_query(path: str, params: dict) -> str:
    """A path with a query string of the non-empty parameters."""
    kept = [(k, v) for k, v in params.items() if v not in (None, "", False)]
    return path + ("?" + urlencode(kept) if kept else "")


def _quote_path(path: str) -> str:
    head, sep, fragment = path.partition("#")
    return quote(head, safe="/:@!$&'()*+,;=-._~") + sep + quote(fragment, safe="-._~")
