"""The HTTP face of kamergraph: a Flask app made by ``create_app``.

Nothing happens at import. ``create_app`` builds the app, attaches the backend (query and write
processes, started on first use) and registers the blueprints; each blueprint answers its own
errors and sets its own CORS and security headers.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from kamergraph.config import Settings

if TYPE_CHECKING:
    from flask import Flask


def create_app(settings: Settings | None = None, **overrides) -> Flask:
    """An app serving ``settings`` (default: from the environment), with fields overridden."""
    # Imported here, not above: the query, write and dump processes live in this package too and
    # must start without loading Flask.
    from flask import Flask
    from werkzeug.middleware.proxy_fix import ProxyFix

    from kamergraph.endpoint import security, web
    from kamergraph.endpoint.analysis import answer_times, charts, explore, named_queries, tables
    from kamergraph.endpoint.body_limit import BodyLimit
    from kamergraph.endpoint.runtime.backend import EXTENSION, Backend
    from kamergraph.endpoint.site import (
        browse,
        directory,
        downloads,
        errors,
        feeds,
        i18n,
        linkeddata,
        open_questions,
        render,
        void,
    )
    from kamergraph.endpoint.sparql import graph_store, service

    settings = (settings or Settings.from_env()).with_(**overrides)
    app = Flask(__name__, static_folder="static", static_url_path="/static")
    app.config.update(
        KAMERGRAPH_SETTINGS=settings,
        MAX_CONTENT_LENGTH=settings.max_body,  # 413 beyond it
        MAX_FORM_MEMORY_SIZE=settings.max_body,  # werkzeug's own 500 kB default would cut forms short
        TRUSTED_HOSTS=security.trusted_hosts(settings),  # 400 for any other Host (absolute links use it)
    )
    app.extensions[EXTENSION] = Backend(settings)
    if settings.trusted_proxies > 0:
        # Behind reverse proxies: take scheme, host, port and path prefix from their X-Forwarded-*
        # headers, so links and IRIs follow the address the browser used.
        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # Flask's documented way to wrap it
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops)
    # Outermost: a body over the limit, chunked or not, is refused before anything reads it.
    app.wsgi_app = BodyLimit(app.wsgi_app, settings.max_body)  # type: ignore[method-assign]
    app.register_blueprint(service.bp)  # /sparql: SPARQL 1.1 Protocol, service description, query editor
    app.register_blueprint(graph_store.bp)  # /store: Graph Store HTTP Protocol
    app.register_blueprint(named_queries.bp)  # /queries: the named queries as pages, with .json, .csv and .rq twins
    app.register_blueprint(explore.bp)  # /explore: the who-asked-whom network
    app.register_blueprint(charts.bp)  # /charts: Vega-Lite charts of named queries
    app.register_blueprint(answer_times.bp)  # /answer-times: answer times per minister, post, ministry, party
    app.register_blueprint(browse.bp)  # /, /questions (facets), /search
    app.register_blueprint(open_questions.bp)  # /open: open and overdue questions, with an Atom feed
    app.register_blueprint(directory.bp)  # /id/persoon: the directory of members and ministers
    app.register_blueprint(feeds.bp)  # /feeds/KIND.atom: Atom feeds of new questions, answers, overdue questions
    app.register_blueprint(linkeddata.bp)  # /id/..., /graph/..., /def, /resource: every IRI answers
    app.register_blueprint(void.bp)  # /.well-known/void, /sitemap.xml, /robots.txt
    app.register_blueprint(downloads.bp)  # /downloads: the whole store as gzipped N-Quads and Turtle
    web.handle_routing_errors(app, default=errors.http_error)  # paths no route takes get the site's page
    security.serve_only_assets(app)
    security.init_app(app)
    render.init_app(app)
    i18n.init_app(app)  # Dutch by default, English with ?lang=en
    tables.init_app(app)
    return app
