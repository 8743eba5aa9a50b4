"""A local stand-in for the official services on 127.0.0.1, answering as they do: the Tweede
Kamer's OData v4 JSON (``value`` pages chained by an absolute ``@odata.nextLink`` with a ``$skiptoken``, the $filter
clauses the harvest sends evaluated over a data set), and officielebekendmakingen's repository
(``/officielepublicaties/{id}/{id}.xml`` and ``…/metadata.xml``; a missing one answers 404).

Faults are queued per path: ``503``, ``timeout`` (no answer before the client gives up) and
``error`` (a 200 whose body is an ``<Error>`` document, as the Tweede Kamer's services send).
"""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.parse
from collections import defaultdict, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ODATA = "/OData/v4/2.0"
PAGE_SIZE = 2  # the real API pages at 250; small here so that paging happens


class Services:
    def __init__(self) -> None:
        self.zaken: dict[str, dict[str, Any]] = {}  # by Id
        self.documents: dict[str, bytes] = {}  # by path
        self.faults: dict[str, deque[str]] = defaultdict(deque)
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.timeout_seconds = 2.0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.tk_url = self.url + ODATA
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add_zaak(self, zaak: dict[str, Any]) -> None:
        self.zaken[zaak["Id"]] = zaak

    def publish(self, identifier: str, xml: str | None, metadata: str | None) -> None:
        base = f"/officielepublicaties/{identifier}/"
        for name, body in ((f"{identifier}.xml", xml), ("metadata.xml", metadata)):
            if body is None:
                self.documents.pop(base + name, None)
            else:
                self.documents[base + name] = body.encode("utf-8")

    def paths(self, prefix: str) -> list[str]:
        return [path for path, _ in self.requests if path.startswith(prefix)]

    # -- answering

    def answer(self, path: str, query: dict[str, str]) -> tuple[int, str, bytes]:
        if path.startswith(ODATA + "/"):
            return self._odata(path[len(ODATA) + 1 :], query)
        if path in self.documents:
            return 200, "application/xml", self.documents[path]
        return 404, "text/html", b"<html><body>Not found</body></html>"

    def _odata(self, entity: str, query: dict[str, str]) -> tuple[int, str, bytes]:
        clauses = query.get("$filter", "")
        if entity == "Zaak":
            rows = [z for z in self.zaken.values() if _matches(z, clauses)]
            rows.sort(key=lambda z: (z.get("ApiGewijzigdOp", ""), z["Id"]))
        elif entity in ("Document", "ZaakActor"):
            nav = "Document" if entity == "Document" else "ZaakActor"
            rows = []
            for zaak in self.zaken.values():
                for item in zaak.get(nav, []):
                    if _matches(item, clauses):
                        rows.append(
                            {
                                "Id": item["Id"],
                                "Zaak": [{"Id": zaak["Id"], "Soort": zaak["Soort"]}]
                                if entity == "Document"
                                else {"Id": zaak["Id"], "Soort": zaak["Soort"]},
                            }
                        )
        else:
            return 404, "application/json", b'{"error":{"code":"","message":"No HTTP resource was found"}}'
        # Server-side paging as the API has done since 2024-07-30 (OpenDataPortaal issue #82): the
        # next link carries the query and a $skiptoken naming the last row sent.
        token = query.get("$skiptoken")
        start = 0
        if token:
            start = next(i for i, row in enumerate(rows) if f"Id-{row['Id']}" == token) + 1
        sent = rows[start : start + PAGE_SIZE]
        page: dict[str, Any] = {"@odata.context": f"{self.tk_url}/$metadata#{entity}", "value": sent}
        if start + PAGE_SIZE < len(rows):
            following = dict(query, **{"$skiptoken": f"Id-{sent[-1]['Id']}"})
            page["@odata.nextLink"] = f"{self.tk_url}/{entity}?" + urllib.parse.urlencode(following, safe="$,()'")
        return 200, "application/json; odata.metadata=minimal", json.dumps(page).encode("utf-8")


_CLAUSE = re.compile(r"(\w+) (eq|ge|lt) ('(?:[^']|'')*'|[0-9a-fA-F-]{36}|\d{4}-\d\d-\d\dT[\d:]+Z|true|false)")


def _matches(row: dict[str, Any], clauses: str) -> bool:
    """The clauses the harvest sends: ``and`` of comparisons, and groups of ``or``-ed equalities."""
    if not clauses:
        return True
    groups = re.split(r"\s+and\s+(?![^()]*\))", clauses.strip())
    for group in groups:
        options = [c for c in re.split(r"\s+or\s+", group.strip("() ")) if c]
        if not any(_compare(row, option) for option in options):
            return False
    return True


def _compare(row: dict[str, Any], clause: str) -> bool:
    match = _CLAUSE.fullmatch(clause.strip("() "))
    if not match:
        raise ValueError(f"the stand-in does not understand the clause {clause!r}")
    name, op, literal = match.groups()
    value = row.get(name)
    if literal.startswith("'"):
        expected: Any = literal[1:-1].replace("''", "'")
    elif literal in ("true", "false"):
        expected = literal == "true"
    else:
        expected = literal
    if op == "eq":
        return value == expected
    if value is None:
        return False
    # Timestamps compare as instants: the rows carry offsets, the filter UTC.
    from datetime import datetime

    left = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    right = datetime.fromisoformat(expected.replace("Z", "+00:00"))
    return left >= right if op == "ge" else left < right


def _handler(services: Services) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_: object) -> None:
            pass

        def do_GET(self) -> None:  # the name http.server calls
            parts = urllib.parse.urlsplit(self.path)
            path = urllib.parse.unquote(parts.path)
            services.requests.append((path, {k.lower(): v for k, v in self.headers.items()}))
            faults = services.faults.get(path)
            if faults:
                fault = faults.popleft()
                if fault == "timeout":
                    time.sleep(services.timeout_seconds)
                    self._send(503, "text/plain", b"late")
                    return
                if fault == "error":
                    self._send(
                        200,
                        "application/xml",
                        b'<?xml version="1.0" encoding="utf-8"?><Error><Message>An error has occurred.'
                        b"</Message></Error>",
                    )
                    return
                self._send(int(fault), "text/html", b"<html><body>Service Unavailable</body></html>")
                return
            query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
            self._send(*services.answer(path, query))

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler
