"""Validating what is already stored, graph by graph, each node as the union default graph shows it."""
from __future__ import annotations

from kamergraph.graph import GraphStore
from kamergraph.graph.base import Term, Values, group_by_subject
from kamergraph.iris import Iris

from .validate import Validator, Violation


def validate_store(store: GraphStore, iris: Iris | None = None) -> tuple[list[Violation], int]:
    """All violations in the store and the number of nodes checked (question graphs are those
    under the base IRI of ``iris``, by default kamergraph's own).

    Question graphs are walked one at a time (bounded memory); what the shared graphs say about a
    node is added to it, and the types of the nodes it points to are looked up across all graphs,
    so each node is checked as queries (the union default graph) see it.
    """
    validator = Validator()
    types_cache: dict[Term, set[Term]] = {}

    def known_types(node: Term) -> set[Term]:
        found = types_cache.get(node)
        if found is None:
            found = store.types(node)
            types_cache[node] = found
        return found

    graphs = store.named_graphs()
    iris = iris or Iris()
    question_graphs = [g for g in graphs if iris.zaak_of_graph(g.value) is not None]
    shared_graphs = [g for g in graphs if iris.zaak_of_graph(g.value) is None]
    # The shared graphs (reference, entities, ontology, anything written by hand) are small: what
    # they say is kept by subject, so each node is checked with all the union says about it.
    shared: Values = {}
    for graph in shared_graphs:
        group_by_subject(store.quads(graph), into=shared)
    violations: list[Violation] = validator.validate_nodes(shared, known_types)
    checked = len(shared)
    for graph in question_graphs:
        values = group_by_subject(store.quads(graph))
        for subject, props in values.items():
            for predicate, objects in shared.get(subject, {}).items():
                props.setdefault(predicate, []).extend(objects)
        checked += len(values)
        violations.extend(validator.validate_nodes(values, known_types))
    return violations, checked

