"""The site's error pages: an HTML page for browsers, plain text for programs (by Accept), for the
errors of the site's and the analysis pages' blueprints and for paths no route takes."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request
from werkzeug.exceptions import HTTPException

from kamergraph.endpoint import security, web
from kamergraph.endpoint.negotiation import plain_types
from kamergraph.endpoint.runtime.formats import HTML
from kamergraph.endpoint.runtime.tasks import TEXT
from kamergraph.endpoint.site import i18n
from kamergraph.endpoint.site.i18n import N_
from kamergraph.indexes.pages import IndexUnavailable

TITLES = {404: N_("Not found"), 405: N_("Method not allowed"), 406: N_("Not acceptable")}


def install(blueprint: Blueprint) -> None:
    """The site's error pages for every error of the blueprint's pages."""
    web.handle_errors(blueprint, http_error)
    blueprint.register_error_handler(web.QueryFailed, query_failed)
    blueprint.register_error_handler(IndexUnavailable, index_unavailable)


def http_error(error: HTTPException) -> Response:
    message = error.description or ""
    if error.code == 404 and message == type(error).description:  # werkzeug's words: say ours
        message = (i18n.gettext("There is nothing at %(path)s in this dataset.") if _wants_html()
                   else "There is nothing at %(path)s in this dataset.") % {"path": request.path}
    allow = {name: value for name, value in error.get_headers() if name == "Allow"}  # a 405 must say
    return error_page(error.code or 500, TITLES.get(error.code or 500, error.name), message, allow)


def query_failed(error: web.QueryFailed) -> Response:
    reply = error.reply
    return error_page(max(reply.status, 500), N_("The data could not be read"), str(error), dict(reply.headers))


def index_unavailable(error: IndexUnavailable) -> Response:
    return error_page(503, N_("Lists not ready"), f"The lists are not ready: {error}.",
                      {"Retry-After": str(error.retry_after)})


def error_page(status: int, title: str, message: str, headers: dict | None = None) -> Response:
    if _wants_html():
        response = current_app.make_response(
            (render_template("pages/error.html", status=status, title=title, message=message), status)
        )
    else:
        response = Response(f"{message}\n", status=status, content_type=TEXT)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    response.vary.add("Accept")
    return security.with_policy(response)  # also where no blueprint's headers apply: no route took the path


def _wants_html() -> bool:
    accept = request.accept_mimetypes
    if not accept:
        return True
    return plain_types(accept).best_match([HTML, "text/plain"]) == HTML
