"""The data of the browse pages: named queries of ``queries/`` run in the query processes, their
solutions back as rows of plain Python values.

Views name a query and pass parameters; this module binds them (``NamedQuery.bound_text``) and adds
the page window (``LIMIT``/``OFFSET``, integers only: a SPARQL LIMIT cannot be a bound variable).
Several queries of one page go to the query process in one task, so a page costs one round trip.

Terms come back as Python values (``endpoint.terms``).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from kamergraph import queries
from kamergraph.endpoint import terms
from kamergraph.endpoint.runtime.formats import Format
from kamergraph.endpoint.runtime.tasks import ROWS, Query, Reply, Rows
from kamergraph.endpoint.web import QueryFailed, backend

PAGE_ROWS = 10_000  # a page query never needs more rows than this


@dataclass(frozen=True)
class PageQuery:
    """One query of a page: a named query, its parameters (text), an optional window."""

    name: str
    params: dict[str, str] | None = None
    limit: int | None = None
    offset: int = 0

    def text(self) -> str:
        text = queries.get(self.name).bound_text({k: v for k, v in (self.params or {}).items() if v is not None})
        if self.limit is not None:
            text += f"\nLIMIT {int(self.limit)}"
        if self.offset:
            text += f"\nOFFSET {int(self.offset)}"
        return text


def select(*wanted: PageQuery) -> list[list[dict]]:
    """The rows (dicts of variable to value) of each query, in one task to a query process."""
    reply = backend().page_query(Rows(tuple(query.text() for query in wanted), PAGE_ROWS))
    if reply.status != 200 or reply.content_type != ROWS:
        raise QueryFailed(reply)
    results = json.loads(reply.body)
    return [
        [{name: terms.value(cell) for name, cell in zip(result["vars"], row, strict=True) if cell is not None}
         for row in result["rows"]]
        for result in results
    ]


def select_one(query: PageQuery) -> list[dict]:
    return select(query)[0]


def construct(query: PageQuery, fmt: Format) -> Reply:
    """A CONSTRUCT query's graph, serialized by the query process in ``fmt``."""
    reply = backend().page_query(Query(sparql=query.text(), solutions_format=None, graph_format=fmt))
    if reply.status != 200:
        raise QueryFailed(reply)
    return reply
