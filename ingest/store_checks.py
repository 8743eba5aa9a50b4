"""Validating what is already stored, graph by graph, each node as the union default graph shows it."""
from __future__ import annotations

from collections import defaultdict

from .validate import Validator, Violation


def validate_store(store) -> tuple[list[Violation], int]:
    """All violations in the store and the number of nodes checked.

    Graphs are walked one at a time (bounded memory); each node's statements and the types of the
    nodes it points to are looked up across all graphs, as queries see them.
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
    shared_seen: set = set()
    for graph in store.named_graphs():
        zaak_prefix = _question_prefix(graph)
        subjects = {quad.subject for quad in store.quads(graph)}
        values = defaultdict(lambda: defaultdict(list))
        for subject in subjects:
            # What the union default graph says about the node, not only this graph.
            if zaak_prefix is None or not subject.value.startswith(zaak_prefix):
                if subject in shared_seen:
                    continue
                shared_seen.add(subject)
            for quad in store.quads_for_subject(subject):
                values[subject][quad.predicate].append(quad.object)
        checked += len(values)
        violations.extend(validator.validate_nodes(values, known_types))
    return violations, checked


def _question_prefix(graph) -> str | None:
    """Nodes minted for one question start with its IRI and occur in its graph only."""
    value = getattr(graph, "value", "")
    if "/graph/kamervraag/" not in value:
        return None
    return value.replace("/graph/kamervraag/", "/id/kamervraag/", 1)
