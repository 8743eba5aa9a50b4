"""Headers that say how a response may be used: the Content-Security-Policy of HTML pages, CORS for
public reads, and on every response ``X-Content-Type-Options: nosniff`` and a Referrer-Policy.

Every text of a document reaches a page through Jinja's autoescaping; on top of that, HTML pages
carry a Content-Security-Policy without inline scripts (scripts come from /static; a
``<script type="application/ld+json">`` block is data, which browsers do not run and the policy does
not need to allow). Each blueprint takes what it needs: ``protect_pages`` (the SPARQL editor, which
is configured by an inline script, does without), ``allow_cross_origin`` for what any web
application may read. ``init_app`` adds what every response carries. ``trusted_hosts`` names the
Host headers the app answers.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, abort, g, request

from kamergraph.config import Settings
from kamergraph.endpoint.runtime.formats import HTML

CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))


def init_app(app: Flask) -> None:
    app.after_request(_every_response)


def _every_response(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    return response


def with_policy(response: Response) -> Response:
    """The Content-Security-Policy on an HTML response."""
    if response.mimetype == HTML:
        response.headers.setdefault("Content-Security-Policy", CSP)
    return response


def protect_pages(blueprint: Blueprint) -> None:
    """The Content-Security-Policy on every HTML page of the blueprint."""
    blueprint.after_request(with_policy)


def same_origin_only() -> None:
    """Keep this request's response from other origins: a write, which browsers must not make
    cross-origin (without CORS headers they refuse to hand over the answer, and no preflight allows
    ``Authorization``)."""
    g.kamergraph_same_origin = True


def allow_cross_origin(blueprint: Blueprint, *, methods: str, request_headers: str, expose: str) -> None:
    """Let any web application read the blueprint's responses (but see ``same_origin_only``) and answer its
    browser's preflight requests: ``methods`` and ``request_headers`` allowed, for a day; ``expose``
    names the response headers a script may read."""

    def add_headers(response: Response) -> Response:
        if g.get("kamergraph_same_origin"):
            return response
        headers = response.headers
        headers["Access-Control-Allow-Origin"] = "*"
        headers["Access-Control-Expose-Headers"] = expose
        if request.method == "OPTIONS":
            headers["Access-Control-Allow-Methods"] = methods
            headers["Access-Control-Allow-Headers"] = request_headers
            headers["Access-Control-Max-Age"] = "86400"
        return response

    blueprint.after_request(add_headers)


LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]")


def trusted_hosts(settings: Settings) -> list[str]:
    """The Host names requests may carry: the base IRI's, the loopback names and ``allowed_hosts``.
    Links, sitemaps and redirects are built from the request's host (behind a proxy, the forwarded
    one), so an unchecked Host header would let anyone make them point to another site."""
    base_host = urlsplit(settings.base_iri).hostname or ""
    extra = [host.strip() for host in settings.allowed_hosts.split(",") if host.strip()]
    return [base_host, *LOOPBACK_HOSTS, *extra]


# What /static serves: the site's scripts and styles, and the vendored libraries with their licence
# and version notes; not the npm files and the script that fetch them (package.json, ...).
_ASSET = re.compile(r"(?:[\w.-]+/)*[\w.-]+\.(?:js|css)|vendor/[\w.-]+/(?:LICENSE|VERSION)")


def serve_only_assets(app: Flask) -> None:
    """404 for any file under /static that is not an asset."""
    send = app.view_functions["static"]

    def static(filename: str):
        if not _ASSET.fullmatch(filename):
            abort(404)
        return send(filename=filename)

    app.view_functions["static"] = static
