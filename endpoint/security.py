"""Headers that make the HTML pages safe to show text from documents in.

Every text of a document reaches a page through Jinja's autoescaping; on top of that, HTML pages
carry a Content-Security-Policy without inline scripts (scripts come from /static; a
``<script type="application/ld+json">`` block is data, which browsers do not run and the policy does
not need to allow), and every response ``X-Content-Type-Options: nosniff`` and a Referrer-Policy.
"""
from __future__ import annotations

from flask import Flask, Response, request

from kamergraph.endpoint.web import allow_preflight

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
# Pages of other blueprints that set a policy of their own, or need inline script (the YASGUI editor
# at /sparql is configured by an inline script) are left to their blueprint.
EXEMPT_BLUEPRINTS = frozenset({"sparql"})
# Read-only public pages and their RDF: any web application may read them (as /sparql allows).
OPEN_BLUEPRINTS = frozenset({"browse", "linkeddata", "void", "dumps", "queries_pages"})


def add_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if response.mimetype == "text/html" and request.blueprint not in EXEMPT_BLUEPRINTS:
        headers.setdefault("Content-Security-Policy", CSP)
    if request.blueprint in OPEN_BLUEPRINTS and request.method in ("GET", "HEAD"):
        headers.setdefault("Access-Control-Allow-Origin", "*")
        headers.setdefault("Access-Control-Expose-Headers", "Content-Location, Link, X-Result-Truncated")
    elif request.blueprint in OPEN_BLUEPRINTS and request.method == "OPTIONS":
        # A preflight: a linked-data client's long Accept header makes browsers send one first.
        allow_preflight(headers, "GET, HEAD, OPTIONS", "Accept, Accept-Language")
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_headers)
