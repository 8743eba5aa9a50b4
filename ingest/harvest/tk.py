"""The Tweede Kamer's open-data OData v4 API (the *gegevensmagazijn*): the zaken of Soort
'Schriftelijke vragen' with their actors, documents, signatories, document versions and persons,
in pages of 250 that ``@odata.nextLink`` chains.

Values are read as plain strings: an unknown Soort or Relatie is the caller's to log, never a crash.
"""
from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

from .client import Client, HarvestError

DEFAULT_TK_URL = "https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0"
SOORT = "Schriftelijke vragen"
# The document soorten a written question has; a change to any of them changes its zaak.
DOCUMENT_SOORTEN = (
    "Schriftelijke vragen",
    "Antwoord schriftelijke vragen",
    "Antwoord schriftelijke vragen (nader)",
    "Mededeling (uitstel antwoord)",
    "Mededeling",
)
_LIVE = "$filter=Verwijderd eq false"
# One zaak with everything the records need, in one request per page: its actors with their persons
# and party seats (membership with dates), its documents with signatories and versions.
_PERSOON = "Persoon($expand=FractieZetelPersoon($expand=FractieZetel($expand=Fractie)))"
ZAAK_EXPAND = (
    f"ZaakActor({_LIVE};$expand={_PERSOON},Fractie),"
    f"Document({_LIVE};$expand=DocumentActor({_LIVE};$expand=Persoon),DocumentVersie)"
)
ID_CHUNK = 20  # zaken asked for by id in one request

Entity = dict[str, Any]


def odata_time(moment: datetime) -> str:
    """A DateTimeOffset literal as OData v4 writes it in a $filter: unquoted, in UTC."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class TkApi:
    def __init__(self, client: Client, base_url: str = DEFAULT_TK_URL, log: Callable[[str], None] = lambda _: None,
                 on_count: Callable[[int], None] | None = None):
        self.client = client
        self.base = base_url.rstrip("/")
        self.log = log
        self.on_count = on_count  # told the ``@odata.count`` of a collection asked for with $count=true

    def url(self, entity: str, **options: str) -> str:
        query = "&".join(f"${name}={urllib.parse.quote(value, safe=_SAFE)}" for name, value in options.items())
        return f"{self.base}/{entity}" + (f"?{query}" if query else "")

    def pages(self, url: str) -> Iterator[list[Entity]]:
        """The rows of a collection, a page at a time, following ``@odata.nextLink``."""
        seen: set[str] = set()
        next_url: str | None = url
        while next_url:
            if next_url in seen:
                raise HarvestError(f"{next_url}: the API links a page to itself; stopped")
            seen.add(next_url)
            body = self.client.get(next_url, "application/json").body
            try:
                page = json.loads(body)
            except ValueError:
                raise HarvestError(f"{next_url}: the answer is not JSON") from None
            rows = page.get("value") if isinstance(page, dict) else None
            if not isinstance(rows, list):
                raise HarvestError(f"{next_url}: the answer has no 'value' list")
            count = page.get("@odata.count")
            if isinstance(count, int) and self.on_count is not None:
                self.on_count(count)
            yield [row for row in rows if isinstance(row, dict)]
            link = page.get("@odata.nextLink")
            next_url = urllib.parse.urljoin(next_url, link) if isinstance(link, str) and link else None

    # -- the zaken

    def zaken_started(self, since: datetime | None, until: datetime | None) -> Iterator[list[Entity]]:
        """Written questions started (GestartOp) in a window: deleted ones too, to be honoured."""
        clauses = [f"Soort eq {_quoted(SOORT)}"]
        if since:
            clauses.append(f"GestartOp ge {odata_time(since)}")
        if until:
            clauses.append(f"GestartOp lt {odata_time(until)}")
        return self.pages(self.url("Zaak", filter=" and ".join(clauses), expand=ZAAK_EXPAND, orderby="GestartOp,Id",
                                   count="true"))

    def zaken_changed(self, since: datetime) -> Iterator[list[Entity]]:
        """Written questions whose own record changed (ApiGewijzigdOp) since a moment."""
        clauses = f"Soort eq {_quoted(SOORT)} and ApiGewijzigdOp ge {odata_time(since)}"
        return self.pages(self.url("Zaak", filter=clauses, expand=ZAAK_EXPAND, orderby="ApiGewijzigdOp,Id",
                                   count="true"))

    def zaak_ids_touched(self, since: datetime) -> set[str]:
        """The zaken a changed document or actor belongs to: a new answer, a nader answer, a
        mededeling or a changed Gericht aan reaches an old zaak this way."""
        ids: set[str] = set()
        soorten = " or ".join(f"Soort eq {_quoted(s)}" for s in DOCUMENT_SOORTEN)
        documents = self.url("Document", filter=f"ApiGewijzigdOp ge {odata_time(since)} and ({soorten})",
                             select="Id", expand="Zaak($select=Id,Soort)")
        for rows in self.pages(documents):
            for row in rows:
                ids.update(_ids_of(row.get("Zaak")))
        actors = self.url("ZaakActor", filter=f"ApiGewijzigdOp ge {odata_time(since)}",
                          select="Id", expand="Zaak($select=Id,Soort)")
        for rows in self.pages(actors):
            for row in rows:
                ids.update(_ids_of(row.get("Zaak")))
        return ids

    def zaken_by_id(self, ids: Iterable[str]) -> Iterator[list[Entity]]:
        ordered = sorted(set(ids))
        for start in range(0, len(ordered), ID_CHUNK):
            chunk = ordered[start:start + ID_CHUNK]
            clauses = " or ".join(f"Id eq {guid}" for guid in chunk)
            yield from self.pages(self.url("Zaak", filter=clauses, expand=ZAAK_EXPAND))

    def zaken_by_number(self, numbers: Iterable[str]) -> Iterator[list[Entity]]:
        ordered = sorted(set(numbers))
        for start in range(0, len(ordered), ID_CHUNK):
            chunk = ordered[start:start + ID_CHUNK]
            clauses = " or ".join(f"Nummer eq {_quoted(number)}" for number in chunk)
            yield from self.pages(self.url("Zaak", filter=f"Soort eq {_quoted(SOORT)} and ({clauses})",
                                           expand=ZAAK_EXPAND))


_SAFE = "$(),;='/:"


def _ids_of(zaken: object) -> set[str]:
    """The ids of the written questions among a document's or actor's zaken (one or a list)."""
    items = zaken if isinstance(zaken, list) else [zaken]
    return {z["Id"] for z in items if isinstance(z, dict) and isinstance(z.get("Id"), str)
            and z.get("Soort") == SOORT}
