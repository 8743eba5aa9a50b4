"""The messages between the web processes and the processes that touch the store.

Plain picklable data: a task goes to a query or write process, a Reply comes back, ready to become
an HTTP response.
"""
from __future__ import annotations

from dataclasses import dataclass

from kamergraph.endpoint.runtime.formats import Format

TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Reply:
    status: int
    content_type: str = TEXT
    body: bytes = b""
    truncated: bool = False  # the result was cut at the row limit
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def text(cls, status: int, message: str, **kwargs) -> Reply:
        return cls(status, TEXT, (message.rstrip("\n") + "\n").encode("utf-8"), **kwargs)


@dataclass(frozen=True)
class Query:
    """A SPARQL query and the formats the client accepts for each kind of result."""

    sparql: str
    solutions_format: Format | None  # for SELECT and ASK; None: the client accepts none
    graph_format: Format | None  # for CONSTRUCT and DESCRIBE
    default_graphs: tuple[str, ...] | None = None  # None: the union of all graphs
    named_graphs: tuple[str, ...] | None = None  # None: all named graphs
    accept: str = ""  # the Accept header, for the 406 message
    max_rows: int | None = None  # a lower row cap than the server's for this query (None: the server's)
    base_iri: str | None = None  # resolves relative IRIs in the query (None: they are a syntax error)


@dataclass(frozen=True)
class ReadGraph:
    """Graph Store Protocol GET: one named graph, or the default graph when graph is None."""

    graph: str | None
    format: Format


@dataclass(frozen=True)
class Rows:
    """SELECT queries for the browse pages, run one after the other on one snapshot: their solutions
    come back as rows (JSON in the reply body: per query ``{"vars": [...], "rows": [[term, ...]]}``,
    terms in the SPARQL JSON results form, ``null`` when unbound), at most ``max_rows`` per query."""

    queries: tuple[str, ...]
    max_rows: int = 10_000


ROWS = "application/x-kamergraph-rows+json"

# Whether a named graph exists (format with graph= a pyoxigraph NamedNode: the IRI written by
# pyoxigraph, bound through VALUES); asked by the query and write processes for Graph Store tasks.
GRAPH_EXISTS = "ASK {{ VALUES ?g {{ {graph} }} GRAPH ?g {{ }} }}"


@dataclass(frozen=True)
class Update:
    sparql: str
    base_iri: str | None = None  # resolves relative IRIs in the update


@dataclass(frozen=True)
class WriteGraph:
    """Graph Store Protocol PUT (replace), POST (merge) or DELETE of one graph (None: default)."""

    method: str
    graph: str | None
    data: bytes = b""
    format: Format | None = None
