"""Running named queries against a store, and their SELECT results as plain text cells."""
from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode

from kamergraph.graph import GraphStore, QueryResult, ResultKind
from kamergraph.graph.base import Term

from . import NamedQuery


def run_named(store: GraphStore, named: NamedQuery, values: dict[str, str]) -> QueryResult:
    """Run a named query with its parameters bound (see queries.NamedQuery.bound_text)."""
    return store.query(named.bound_text(values))


def cell(term: Term | None) -> str:
    """A term as a table cell: the IRI, the literal's lexical form, ``_:id`` for blank nodes."""
    if term is None:
        return ""
    if isinstance(term, (NamedNode, Literal)):
        return term.value
    if isinstance(term, BlankNode):
        return "_:" + term.value
    return str(term)


def solutions_to_table(result: QueryResult) -> tuple[list[str], list[list[str]]]:
    if result.kind is not ResultKind.SOLUTIONS:
        raise ValueError("only SELECT queries give a table")
    solutions = result.solutions
    header = [v.value for v in solutions.variables]
    rows = [[cell(solution[name]) for name in header] for solution in solutions]
    return header, rows
