"""The HTTP face of kamergraph: a Flask app made by ``create_app``.

Nothing happens at import. ``create_app`` builds the app, attaches the backend (query and write
processes, started on first use) and registers the blueprints of the modules listed in
``BLUEPRINT_MODULES``: add a module there to add pages.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from kamergraph.config import Settings

if TYPE_CHECKING:
    from flask import Flask

# Modules with a ``bp`` Blueprint, registered in this order. Add the browse pages' module here.
BLUEPRINT_MODULES: tuple[str, ...] = (
    "kamergraph.endpoint.sparql.service",  # /sparql: SPARQL 1.1 Protocol, service description, query editor
    "kamergraph.endpoint.sparql.graph_store",  # /store: Graph Store HTTP Protocol
    "kamergraph.endpoint.analysis.named_queries",  # /queries: the named queries as pages, with .json, .csv and .rq twins
    "kamergraph.endpoint.analysis.explore",  # /explore: the who-asked-whom network
    "kamergraph.endpoint.analysis.charts",  # /charts: Vega-Lite charts of named queries
    "kamergraph.endpoint.site.browse",  # /, /questions (facets), /search: the browse pages
    "kamergraph.endpoint.site.linkeddata",  # /id/..., /graph/..., /def, /resource: every IRI answers (HTML or RDF)
    "kamergraph.endpoint.site.void",  # /.well-known/void, /sitemap.xml, /robots.txt
    "kamergraph.endpoint.site.downloads",  # /downloads: the whole store as gzipped N-Quads and Turtle
)


def create_app(settings: Settings | None = None, **overrides) -> Flask:
    """An app serving ``settings`` (default: from the environment), with fields overridden."""
    # Imported here, not above: the query, write and dump processes live in this package too and
    # must start without loading Flask.
    from flask import Flask
    from werkzeug.middleware.proxy_fix import ProxyFix

    from kamergraph.endpoint.runtime.backend import EXTENSION, Backend

    settings = (settings or Settings.from_env()).with_(**overrides)
    app = Flask(__name__, static_folder="static", static_url_path="/static")
    app.config.update(
        KAMERGRAPH_SETTINGS=settings,
        MAX_CONTENT_LENGTH=settings.max_body,  # 413 beyond it
        MAX_FORM_MEMORY_SIZE=settings.max_body,  # werkzeug's own 500 kB default would cut forms short
    )
    app.extensions[EXTENSION] = Backend(settings)
    if settings.trusted_proxies > 0:
        # Behind reverse proxies: take scheme, host, port and path prefix from their X-Forwarded-*
        # headers, so links and IRIs follow the address the browser used.
        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops)
    for module in BLUEPRINT_MODULES:
        app.register_blueprint(import_module(module).bp)
    from kamergraph.endpoint.site import render as pages
    from kamergraph.endpoint import security

    security.init_app(app)
    pages.init_app(app)
    return app

