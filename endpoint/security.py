"""Headers that say how a response may be used: the Content-Security-Policy of HTML pages, CORS for
public reads, and on every response ``X-Content-Type-Options: nosniff`` and a Referrer-Policy.

Every text of a document reaches a page through Jinja's autoescaping; on top of that, HTML pages
carry a Content-Security-Policy without inline scripts (scripts come from /static; a
``<script type="application/ld+json">`` block is data, which browsers do not run and the policy does
not need to allow). Each blueprint takes what it needs: ``protect_pages`` (the SPARQL editor, which
is configured by an inline script, does without), ``allow_cross_origin`` for what any web
application may read. ``init_app`` adds what every response carries.
"""
from __future__ import annotations

from flask import Blueprint, Flask, Response, g, request

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
