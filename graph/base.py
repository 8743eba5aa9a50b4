"""The one small storage interface that ingest, the CLI and the endpoint use."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

from pyoxigraph import DefaultGraph, NamedNode, Quad, QueryBoolean, QuerySolutions, QueryTriples, RdfFormat


class RemoteStoreError(RuntimeError):
    """The remote store failed or could not be reached; ``reason`` says why without its address
    (the endpoint passes that on to its clients, the CLI prints the whole message)."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"{_without_credentials(url)}: {reason}")
        self.reason = reason


def _without_credentials(url: str) -> str:
    """The URL as it may be shown: no user name, password or query string (a key may be there)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", ""))


Values = dict  # subject -> predicate -> [objects]: what a set of statements says, node by node


def group_by_subject(quads: Iterable[Quad], into: Values | None = None) -> Values:
    """What the quads say, by subject and then by predicate (added to ``into`` when given)."""
    values = into if into is not None else {}
    for quad in quads:
        add_value(values, quad.subject, quad.predicate, quad.object)
    return values


def add_value(values: Values, subject, predicate, value) -> None:
    by_predicate = values.get(subject)
    if by_predicate is None:
        values[subject] = {predicate: [value]}
        return
    objects = by_predicate.get(predicate)
    if objects is None:
        by_predicate[predicate] = [value]
    else:
        objects.append(value)


class ResultKind(Enum):
    SOLUTIONS = "solutions"  # SELECT
    BOOLEAN = "boolean"  # ASK
    GRAPH = "graph"  # CONSTRUCT, DESCRIBE


@dataclass
class QueryResult:
    """A query's answer: pyoxigraph's own result object, whichever store produced it."""

    kind: ResultKind
    value: QuerySolutions | QueryBoolean | QueryTriples

    @classmethod
    def of(cls, value) -> "QueryResult":
        if isinstance(value, QueryBoolean):
            return cls(ResultKind.BOOLEAN, value)
        if isinstance(value, QueryTriples):
            return cls(ResultKind.GRAPH, value)
        return cls(ResultKind.SOLUTIONS, value)

    def rows(self) -> list[dict[str, object]]:
        """SELECT answers as dicts of variable name to pyoxigraph term (absent when unbound)."""
        names = [v.value for v in self.value.variables]
        return [{n: s[n] for n in names if s[n] is not None} for s in self.value]


class GraphStore(Protocol):
    """What kamergraph needs from a quad store; default graph queries see the union of all graphs."""

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, object] | None = None,
        default_graphs: list[NamedNode | DefaultGraph] | None = None,  # DefaultGraph: the store's own
        named_graphs: list[NamedNode] | None = None,
    ) -> QueryResult: ...

    def add_graphs(self, graphs: Mapping[NamedNode, list[Quad]], shared: Iterable[Quad] = ()) -> None:
        """Store graphs that are not in the store yet, and shared statements, in one transaction."""

    def replace_graphs(self, graphs: Mapping[NamedNode, list[Quad]], shared: Iterable[Quad] = ()) -> None:
        """Drop these graphs and store their new content (and shared statements) in one transaction."""

    def write_nquads(self, data: bytes, replace: list[str] = ()) -> None:
        """Store N-Quads, each graph whole or not at all; the graphs named in ``replace`` are
        dropped and written again in the same transaction as their new content.

        Up to ``write_threads`` (an optional class attribute, 1 when absent) calls may run at once
        from different threads, on disjoint question graphs."""

    def quads_for_predicate(self, predicate: NamedNode) -> Iterator[Quad]:
        """Every quad with this predicate. Complete only where the optional class attribute
        ``complete_scans`` is true: a remote store may cut a long answer short without saying so,
        so the ingest does not take a graph missing from such a scan as absent from the store."""

    def update(self, sparql: str) -> None:
        """A SPARQL 1.1 Update, in one transaction."""

    def types(self, node) -> set:
        """rdf:type values of a node across all graphs."""

    def objects(self, subject: NamedNode, predicate: NamedNode, graph: NamedNode) -> list: ...

    def self_statements(self, predicate: NamedNode, graphs: list[NamedNode]) -> dict[str, list]:
        """What each of these graphs says about itself with this predicate, by graph IRI (graphs
        that say nothing are left out): a question graph's source hash, for a whole batch at once."""

    def named_graphs(self) -> list[NamedNode]: ...

    def quads(self, graph: NamedNode | None = None) -> Iterator[Quad]: ...

    def dump(self, output, fmt: RdfFormat, graph: NamedNode | None = None) -> None: ...

    def __len__(self) -> int: ...

    def flush(self) -> None:
        """Make what was written durable."""

    def optimize(self) -> bool:
        """Reorganise storage after a large load, so that reads are fast again; False when the
        store looks after its own storage and nothing was done."""

    def close(self) -> None: ...
