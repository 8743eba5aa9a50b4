"""What the endpoint's blueprints share: the backend, replies to responses, bodies, the failure of a
query, plain-text errors, the URL cap, and which blueprint answers an error."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from flask import Blueprint, Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException, RequestURITooLarge

from kamergraph.endpoint.runtime.backend import EXTENSION, Backend
from kamergraph.endpoint.runtime.tasks import TEXT, Reply

if TYPE_CHECKING:
    from flask.blueprints import BlueprintSetupState

TRUNCATED = "X-Result-Truncated"
ERROR_HANDLERS = "kamergraph-error-handlers"  # app.extensions: blueprint name -> its error handler


def backend() -> Backend:
    """The app's backend: its query and write processes."""
    return current_app.extensions[EXTENSION]


class QueryFailed(Exception):
    """A query run for a page gave no result: the reply (status and plain-text message) says why."""

    def __init__(self, reply: Reply):
        super().__init__(reply.body.decode("utf-8", "replace").strip())
        self.reply = reply

    @property
    def status(self) -> int:
        return self.reply.status


def to_response(reply: Reply, vary_accept: bool = True) -> Response:
    response = Response(reply.body, status=reply.status, content_type=reply.content_type)
    if reply.status == 204:
        del response.headers["Content-Type"]  # no content, so no type of it
    if reply.truncated:
        response.headers[TRUNCATED] = "true"
    for name, value in reply.headers:
        response.headers[name] = value
    if vary_accept:
        if "Vary" in response.headers:
            response.vary.add("Accept")
        else:  # the same header, without parsing an empty one first (this runs for every query)
            response.headers["Vary"] = "Accept"
    return response


def csv_body(header: list[str], rows: Iterable[list]) -> bytes:
    """Rows as CSV in the manner of RFC 4180 and SPARQL's CSV results: CRLF line ends, None empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue().encode("utf-8")


def json_body(document) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def plain_error(error: HTTPException) -> Response:
    """Errors as plain text: SPARQL clients show the body to their users as it is."""
    response = Response(f"{error.description}\n", status=error.code, content_type=TEXT)
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def limit_url_length() -> None:
    """A cap on the query string, like the body cap, for WSGI servers that take long request lines
    (``kamergraph serve`` stops them at 8,190 bytes already: endpoint/server.py)."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit is not None and len(request.query_string) > limit:
        raise RequestURITooLarge(f"The query string is longer than the limit of {limit} bytes; use POST.")


def handle_errors(blueprint: Blueprint, handler: Callable[[HTTPException], Response]) -> None:
    """``handler`` answers the blueprint's HTTP errors: the ones its views raise, and the routing
    errors on its paths (``handle_routing_errors``)."""
    blueprint.register_error_handler(HTTPException, handler)

    @blueprint.record_once
    def remember(state: BlueprintSetupState) -> None:
        state.app.extensions.setdefault(ERROR_HANDLERS, {})[blueprint.name] = handler


def handle_routing_errors(app: Flask, default: Callable[[HTTPException], Response]) -> None:
    """Routing errors (no route for the path, or none for the method) come before Flask knows the
    blueprint, so no blueprint's handler sees them: each goes to the handler of the blueprint whose
    route takes the path (``PUT /sparql`` to the SPARQL service's), else to ``default``."""

    def handle(error: HTTPException) -> Response:
        handlers = current_app.extensions.get(ERROR_HANDLERS, {})
        return handlers.get(_route_owner(request.path), default)(error)

    app.register_error_handler(HTTPException, handle)


def _route_owner(path: str) -> str | None:
    """The name of the blueprint whose route takes the path (by GET), if any."""
    try:
        endpoint, _ = current_app.url_map.bind("").match(path, method="GET")
    except HTTPException:
        return None
    return endpoint.rpartition(".")[0] or None
