"""Validating what is already stored: each question graph on its own, then the shared graphs."""
from __future__ import annotations

from collections import defaultdict

from .validate import Validator, Violation


def validate_store(store) -> tuple[list[Violation], int]:
    """All violations in the store and the number of nodes checked.

    Question graphs are checked one at a time (bounded memory); the types of nodes they point to
    are looked up across all graphs, as the union default graph would show them.
    """
    validator = Validator()
    types_cache: dict[object, set] = {}

    def known_types(node):
        found = types_cache.get(node)
        if found is None:
            found = store.types(node)
            types_cache[node] = found
        return found

    violations: list[Violation] = []
    checked = 0
    for graph in store.named_graphs():
        values = defaultdict(lambda: defaultdict(list))
        for quad in store.quads(graph):
            values[quad.subject][quad.predicate].append(quad.object)
        checked += len(values)
        violations.extend(validator.validate_nodes(values, known_types))
    return violations, checked
