"""The body cap for every request, chunked ones included.

werkzeug enforces ``MAX_CONTENT_LENGTH`` on a declared Content-Length, but reads a chunked body
only up to the limit and hands on what it got: a chunked update or Graph Store PUT was cut at 1 MiB
and then run (issue 16). Here a chunked body is read whole, up to the limit, before the app sees
it, and one over the limit is a 413 like any other.
"""
from __future__ import annotations

import io
from collections.abc import Callable, Iterable

TEXT = "text/plain; charset=utf-8"


class BodyLimit:
    """WSGI middleware: 413 for a body over ``max_body`` bytes, a chunked body made a plain one."""

    def __init__(self, app: Callable, max_body: int):
        self.app, self.max_body = app, max_body

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        declared = environ.get("CONTENT_LENGTH") or ""
        if declared.isdigit() and int(declared) > self.max_body:
            return self._too_large(start_response)
        if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            body = environ["wsgi.input"].read(self.max_body + 1)
            if len(body) > self.max_body:
                return self._too_large(start_response)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            del environ["HTTP_TRANSFER_ENCODING"]
        return self.app(environ, start_response)

    def _too_large(self, start_response: Callable) -> list[bytes]:
        text = f"The request body is longer than the limit of {self.max_body} bytes.\n".encode()
        start_response("413 Content Too Large", [("Content-Type", TEXT), ("Content-Length", str(len(text)))])
        return [text]
