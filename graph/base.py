"""The one small storage interface that ingest, the CLI and the endpoint use."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import IO, Protocol
from urllib.parse import urlsplit, urlunsplit

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Triple,
)


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


Term = NamedNode | BlankNode | Literal | Triple  # what an RDF statement may have as its object
GraphName = NamedNode | BlankNode | DefaultGraph
Values = dict[Term, dict[NamedNode, list[Term]]]  # subject -> predicate -> objects: what statements say, node by node


def group_by_subject(quads: Iterable[Quad | Triple], into: Values | None = None) -> Values:
    """What the quads say, by subject and then by predicate (added to ``into`` when given)."""
    values: Values = into if into is not None else {}
    for quad in quads:
        add_value(values, quad.subject, quad.predicate, quad.object)
    return values


def add_value(values: Values, subject: Term, predicate: NamedNode, value: Term) -> None:
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


class Triples(Protocol):
    """A CONSTRUCT or DESCRIBE answer, read by iterating: pyoxigraph's QueryTriples from the
    embedded store, the triples parsed from a remote store's answer."""

    def __iter__(self) -> Iterator[Triple]: ...


@dataclass
class QueryResult:
    """A query's answer: pyoxigraph's own result objects, whichever store produced it."""

    kind: ResultKind
    value: QuerySolutions | QueryBoolean | Triples

    @classmethod
    def of(cls, value: QuerySolutions | QueryBoolean | QueryTriples) -> QueryResult:
        if isinstance(value, QueryBoolean):
            return cls(ResultKind.BOOLEAN, value)
        if isinstance(value, QueryTriples):
            return cls(ResultKind.GRAPH, value)
        return cls(ResultKind.SOLUTIONS, value)

    @property
    def solutions(self) -> QuerySolutions:
        """A SELECT query's answer; TypeError for the other forms."""
        if not isinstance(self.value, QuerySolutions):
            raise TypeError(f"a {self.kind.value} answer has no solutions")
        return self.value

    def rows(self) -> list[dict[str, Term]]:
        """SELECT answers as dicts of variable name to pyoxigraph term (absent when unbound)."""
        solutions = self.solutions
        names = [v.value for v in solutions.variables]
        return [{n: term for n in names if (term := s[n]) is not None} for s in solutions]


class GraphStore(Protocol):
    """What kamergraph needs from a quad store; default graph queries see the union of all graphs."""

    # Batches whose write_nquads may run at once, from different threads, on disjoint question graphs.
    write_threads: int
    # Whether a scan (quads_for_predicate) sees every quad: a remote store may cut a long answer
    # short without saying so, so the ingest does not take a graph missing from such a scan as
    # absent from the store.
    complete_scans: bool

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        default_graphs: Sequence[GraphName] | None = None,
        named_graphs: Sequence[NamedNode | BlankNode] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """``base_iri`` resolves the query's relative IRIs (None: they are an error)."""

    def replace_graphs(self, graphs: Mapping[NamedNode, list[Quad]]) -> None:
        """Drop these graphs and store their new content, in one transaction."""

    def write_nquads(self, data: bytes, replace: Sequence[str] = ()) -> None:
        """Store N-Quads, each graph whole or not at all; the graphs named in ``replace`` are
        dropped and written again in the same transaction as their new content."""

    def quads_for_predicate(self, predicate: NamedNode) -> Iterator[Quad]:
        """Every quad with this predicate (see ``complete_scans``)."""

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """A SPARQL 1.1 Update, in one transaction; ``base_iri`` as for ``query``."""

    def types(self, node: Term) -> set[Term]:
        """rdf:type values of a node across all graphs."""

    def objects(self, subject: NamedNode | BlankNode, predicate: NamedNode, graph: NamedNode) -> list[Term]: ...

    def self_statements(self, predicate: NamedNode, graphs: list[NamedNode]) -> dict[str, list[Term]]:
        """What each of these graphs says about itself with this predicate, by graph IRI (graphs
        that say nothing are left out): a question graph's source hash, for a whole batch at once."""

    def named_graphs(self) -> list[NamedNode | BlankNode]: ...

    def quads(self, graph: NamedNode | BlankNode | None = None) -> Iterator[Quad]: ...

    def dump(self, output: IO[bytes] | str, fmt: RdfFormat, graph: NamedNode | None = None) -> None: ...

    def __len__(self) -> int: ...

    def flush(self) -> None:
        """Make what was written durable."""

    def optimize(self) -> bool:
        """Reorganise storage after a large load, so that reads are fast again; False when the
        store looks after its own storage and nothing was done."""

    def close(self, upkeep: bool = True) -> bool:
        """Flush and let go; with ``upkeep``, also compact storage that writes have worn. Without
        it, say whether that is due (a process that must answer first makes it after its answer)."""
