"""A real HTTP proxy on 127.0.0.1 in front of a remote store, for the tests: it passes every
request on, keeps each SPARQL query and update it sees, and can fail one of the updates (503) as a flaky store or
a proxy with a size limit would."""
from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class RecordingProxy:
    def __init__(self, store_url: str):
        parts = urllib.parse.urlsplit(store_url)
        self.target = f"{parts.scheme}://{parts.netloc}"
        self.updates: list[str] = []  # the text of each update request, in order
        self.queries: list[str] = []  # the text of each query request (form-encoded POST), in order
        self.update_bodies: list[int] = []  # their sizes as sent (form-encoded)
        self.authorizations: list[str | None] = []  # the Authorization header of each request
        self.fail_update: int | None = None  # the number (from 1) of the update request to fail
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self._forward(None)

            def do_POST(self):
                self._forward(self.rfile.read(int(self.headers.get("Content-Length", 0))))

            def _forward(self, body):
                proxy.authorizations.append(self.headers.get("Authorization"))
                form_encoded = self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded")
                if body is not None and form_encoded:
                    form = urllib.parse.parse_qs(body.decode("ascii"))
                    if "query" in form:
                        proxy.queries.append(form["query"][0])
                    if "update" in form:
                        proxy.updates.append(form["update"][0])
                        proxy.update_bodies.append(len(body))
                        if len(proxy.updates) == proxy.fail_update:
                            self._answer(503, {"Content-Type": "text/plain"}, b"failed on purpose by the test proxy")
                            return
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() in ("accept", "content-type", "user-agent")}
                request = urllib.request.Request(proxy.target + self.path, data=body, headers=headers,
                                                 method=self.command)
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:
                        self._answer(response.status, response.headers, response.read())
                except urllib.error.HTTPError as error:
                    self._answer(error.code, error.headers, error.read())

            def _answer(self, status, headers, data):
                self.send_response(status)
                for name in ("Content-Type", "X-SQL-State", "X-SPARQL-MaxRows"):
                    if headers.get(name):
                        self.send_header(name, headers[name])
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}{parts.path}"  # the store, through us
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
