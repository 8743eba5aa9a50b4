"""HTTP details shared by the endpoint's blueprints: replies to responses, plain-text errors, CORS."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from flask import Blueprint, Response, current_app, g, request
from werkzeug.exceptions import HTTPException, RequestURITooLarge

from kamergraph.endpoint.runtime.backend import EXTENSION, Backend
from kamergraph.endpoint.runtime.tasks import TEXT, Reply

TRUNCATED = "X-Result-Truncated"


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
        response.vary.add("Accept")
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
    """A cap on the query string, like the body cap (the WSGI server is told to allow long lines)."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit is not None and len(request.query_string) > limit:
        raise RequestURITooLarge(f"The query string is longer than the limit of {limit} bytes; use POST.")


def cors(methods: str):
    """An after-request hook that allows cross-origin reads (and answers preflight requests)."""

    def add_headers(response: Response) -> Response:
        if g.get("kamergraph_write"):
            return response  # writes stay same-origin
        headers = response.headers
        headers["Access-Control-Allow-Origin"] = "*"
        headers["Access-Control-Expose-Headers"] = f"{TRUNCATED}, Content-Length, Content-Type"
        if request.method == "OPTIONS":
            allow_preflight(headers, methods, "Accept, Content-Type")
        return response

    return add_headers


def allow_preflight(headers, methods: str, request_headers: str) -> None:
    """Answer a CORS preflight: any origin, these methods and request headers, for a day."""
    headers["Access-Control-Allow-Origin"] = "*"
    headers["Access-Control-Allow-Methods"] = methods
    headers["Access-Control-Allow-Headers"] = request_headers
    headers["Access-Control-Max-Age"] = "86400"


def install(blueprint: Blueprint, methods: str) -> None:
    """Give a blueprint plain-text errors, the URL cap and CORS for reads."""
    blueprint.register_error_handler(HTTPException, plain_error)
    blueprint.before_request(limit_url_length)
    blueprint.after_request(cors(methods))
