"""A local stand-in for the official services on 127.0.0.1, answering as they do: the Tweede
Kamer's OData v4 JSON (``value`` pages chained by an absolute ``@odata.nextLink`` with a ``$skiptoken``, the $filter
clauses the harvest sends evaluated over a data set), and officielebekendmakingen's repository
(an SRU 2.0 ``searchRetrieve`` in the ``gzd`` schema whose records name each document's
manifestations at its FRBR paths, ``…/1/xml/{id}.xml`` and ``…/1/metadata/metadata.xml``; a
missing one answers 404).

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

import cql_query
import odata_query

ODATA = "/OData/v4/2.0"
PAGE_SIZE = 2  # the real API pages at 250; small here so that paging happens


class Services:
    def __init__(self) -> None:
        self.zaken: dict[str, dict[str, Any]] = {}  # by Id
        self.documents: dict[str, bytes] = {}  # by path
        self.faults: dict[str, deque[str]] = defaultdict(deque)
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.timeout_seconds = 2.0
        self.raw_urls: list[str] = []  # every path with its query, as sent
        self.refused: list[str] = []  # why each refused request was refused
        self._tokens: set[str] = set()  # the $skiptokens handed out in next links
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
        """A document on the repository, at its FRBR paths, which its SRU record names."""
        for name, body in ((f"xml/{identifier}.xml", xml), ("metadata/metadata.xml", metadata)):
            path = self.frbr(identifier) + name
            if body is None:
                self.documents.pop(path, None)
            else:
                self.documents[path] = body.encode("utf-8")

    @staticmethod
    def frbr(identifier: str) -> str:
        kind = identifier.split("-", 1)[0]
        year = re.search(r"\d{4}", identifier)
        return f"/frbr/officielepublicaties/{kind}/{year.group() if year else '0000'}/{identifier}/1/"

    def paths(self, prefix: str) -> list[str]:
        return [path for path, _ in self.requests if path.startswith(prefix)]

    # -- answering

    def answer(self, path: str, query: dict[str, str], raw_query: str = "") -> tuple[int, str, bytes]:
        if path.startswith(ODATA + "/"):
            return self._odata(path[len(ODATA) + 1 :], query, raw_query)
        if path == "/sru":
            return self._sru(query)
        if path in self.documents:
            return 200, "application/xml", self.documents[path]
        return 404, "text/html", b"<html><body>Not found</body></html>"

    def _sru(self, query: dict[str, str]) -> tuple[int, str, bytes]:
        """searchRetrieve in SRU 2.0 with the gzd record schema, as repository.overheid.nl answers;
        what it refuses is a diagnostic (see cql_query)."""
        try:
            if query.get("operation") != "searchRetrieve" or not query.get("query"):
                raise cql_query.Diagnostic(7, "Mandatory parameter not supplied: operation, query")
            if query.get("version") != "2.0":
                raise cql_query.Diagnostic(5, f"Unsupported version: {query.get('version')}")
            if query.get("recordSchema") != "gzd":
                raise cql_query.Diagnostic(66, f"Unknown schema for retrieval: {query.get('recordSchema')}")
            start, most = int(query.get("startRecord", "1")), int(query.get("maximumRecords", "10"))
            test = cql_query.parse(query["query"])
        except ValueError:
            error = cql_query.Diagnostic(6, "Unsupported parameter value: startRecord, maximumRecords")
            self.refused.append(error.message)
            return 200, "application/xml", cql_query.diagnostic(error)
        except cql_query.Diagnostic as error:
            self.refused.append(error.message)
            return 200, "application/xml", cql_query.diagnostic(error)
        if start > cql_query.MAX_START_RECORD:
            self.refused.append(f"startRecord {start}")
            return 504, "text/html", b"<html><body>504 Gateway Time-out</body></html>"
        published = sorted({path.split("/")[5] for path in self.documents})
        hits = [i for i in published if test({"identifier": i, "product-area": "officielepublicaties"})]
        wanted = hits[start - 1 : start - 1 + most]
        records = []
        for position, identifier in enumerate(wanted, start=start - 1):
            base = self.url + self.frbr(identifier)
            items = "".join(
                f'<gzd:itemUrl manifestation="{kind}">{base}{name}</gzd:itemUrl>'
                for kind, name in (
                    ("metadata", "metadata/metadata.xml"),
                    ("xml", f"xml/{identifier}.xml"),
                    ("pdf", f"pdf/{identifier}.pdf"),
                )
            )
            records.append(
                "<sru:record><sru:recordSchema>http://standaarden.overheid.nl/sru/</sru:recordSchema>"
                "<sru:recordPacking>xml</sru:recordPacking><sru:recordData>"
                f'<gzd:gzd xmlns:gzd="http://standaarden.overheid.nl/sru" xmlns:dcterms="http://purl.org/dc/terms/" '
                'xmlns:overheidwetgeving="http://standaarden.overheid.nl/wetgeving/">'
                "<gzd:originalData><overheidwetgeving:meta><owmskern>"
                f"<dcterms:identifier>{identifier}</dcterms:identifier><dcterms:title>Kamervraag</dcterms:title>"
                "<dcterms:type>Kamervragen</dcterms:type></owmskern>"
                "<tpmeta><product-area>officielepublicaties</product-area></tpmeta>"
                "</overheidwetgeving:meta></gzd:originalData>"
                f"<gzd:enrichedData><gzd:url>{base}xml/{identifier}.xml</gzd:url>"
                f"<gzd:preferredUrl>https://zoek.officielebekendmakingen.nl/{identifier}.html</gzd:preferredUrl>"
                f"{items}<gzd:timestamp>2026-11-20T10:35:38.545935+01:00</gzd:timestamp></gzd:enrichedData>"
                f"</gzd:gzd></sru:recordData><sru:recordPosition>{position + 1}</sru:recordPosition></sru:record>"
            )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<sru:searchRetrieveResponse xmlns:sru="http://docs.oasis-open.org/ns/search-ws/sruResponse">'
            f"<sru:version>2.0</sru:version><sru:numberOfRecords>{len(hits)}</sru:numberOfRecords>"
            f"<sru:records>{''.join(records)}</sru:records></sru:searchRetrieveResponse>"
        )
        return 200, "application/xml", body.encode("utf-8")

    def _odata(self, entity: str, query: dict[str, str], raw_query: str) -> tuple[int, str, bytes]:
        try:
            expand = odata_query.parse(entity, query, raw_query)
            token = query.get("$skiptoken")
            if token and token not in self._tokens:
                raise odata_query.Refused(f"The skip token '{token}' is not valid.")
        except odata_query.Refused as refusal:
            self.refused.append(str(refusal))
            body = {"error": {"code": "", "message": f"The query specified in the URI is not valid. {refusal}"}}
            return 400, "application/json; odata.metadata=minimal", json.dumps(body).encode("utf-8")
        if entity == "Zaak":
            rows = list(self.zaken.values())
        elif entity in ("Document", "ZaakActor"):
            rows = []
            for zaak in self.zaken.values():
                for item in zaak.get(entity, []):
                    reference = {"Id": zaak["Id"], "Soort": zaak["Soort"]}
                    # A document belongs to zaken (a collection), an actor to one zaak.
                    rows.append(dict(item, Zaak=[reference] if entity == "Document" else reference))
        else:
            return 404, "application/json", b'{"error":{"code":"","message":"No HTTP resource was found"}}'
        rows = odata_query.ordered(entity, [row for row in rows if odata_query.matches(row, expand.filter)],
                                   query.get("$orderby", ""))
        # Server-side paging as the API has done since 2024-07-30 (OpenDataPortaal issue #82): the
        # next link carries the query and a $skiptoken naming the last row sent.
        start = 0
        if token:
            start = next(i for i, row in enumerate(rows) if f"Id-{row['Id']}" == token) + 1
        sent = rows[start : start + PAGE_SIZE]
        page: dict[str, Any] = {"@odata.context": f"{self.tk_url}/$metadata#{entity}"}
        if query.get("$count") == "true":
            page["@odata.count"] = len(rows)
        page["value"] = [odata_query.shape(row, expand) for row in sent]
        if start + PAGE_SIZE < len(rows):
            token = f"Id-{sent[-1]['Id']}"
            self._tokens.add(token)
            following = dict(query, **{"$skiptoken": token})
            page["@odata.nextLink"] = f"{self.tk_url}/{entity}?" + urllib.parse.urlencode(following, safe="$,()'")
        return 200, "application/json; odata.metadata=minimal", json.dumps(page).encode("utf-8")


def _handler(services: Services) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_: object) -> None:
            pass

        def do_GET(self) -> None:  # the name http.server calls
            parts = urllib.parse.urlsplit(self.path)
            path = urllib.parse.unquote(parts.path)
            services.requests.append((path, {k.lower(): v for k, v in self.headers.items()}))
            services.raw_urls.append(self.path)
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
            self._send(*services.answer(path, query, parts.query))

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
