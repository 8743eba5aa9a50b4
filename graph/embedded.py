"""The default store: Oxigraph embedded, on disk."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store, Variable, serialize

from .base import QueryResult


class EmbeddedStore:
    def __init__(self, path: str | Path, *, read_only: bool = False):
        self.path = Path(path)
        if read_only:
            self._store = Store.read_only(str(self.path))
        else:
            self.path.mkdir(parents=True, exist_ok=True)
            self._store = Store(str(self.path))
        self.read_only = read_only

    def query(self, sparql, *, substitutions=None, default_graphs=None, named_graphs=None) -> QueryResult:
        options = {}
        if default_graphs:
            options["default_graph"] = default_graphs
        else:
            options["use_default_graph_as_union"] = True
        if named_graphs:
            options["named_graphs"] = named_graphs
        if substitutions:
            options["substitutions"] = {Variable(k): v for k, v in substitutions.items()}
        return QueryResult.of(self._store.query(sparql, **options))

    def add_graphs(self, graphs: Mapping[NamedNode, list[Quad]], shared: Iterable[Quad] = ()) -> None:
        # One extend is one transaction: the batch is stored whole or not at all.
        self._store.extend([q for quads in graphs.values() for q in quads] + list(shared))

    def replace_graphs(self, graphs: Mapping[NamedNode, list[Quad]], shared: Iterable[Quad] = ()) -> None:
        # One SPARQL update is one transaction, so readers never see a question half replaced.
        drops = "".join(f"DROP SILENT GRAPH <{g.value}> ;\n" for g in graphs)
        body = [
            f"GRAPH <{g.value}> {{\n{serialize([q.triple for q in quads], format=RdfFormat.N_TRIPLES).decode()}}}\n"
            for g, quads in graphs.items()
        ]
        shared = [q for q in shared]
        for graph in {q.graph_name for q in shared}:
            triples = [q.triple for q in shared if q.graph_name == graph]
            body.append(f"GRAPH <{graph.value}> {{\n{serialize(triples, format=RdfFormat.N_TRIPLES).decode()}}}\n")
        self._store.update(drops + "INSERT DATA {\n" + "".join(body) + "}")

    def objects(self, subject, predicate, graph) -> list:
        return [q.object for q in self._store.quads_for_pattern(subject, predicate, None, graph)]

    def named_graphs(self) -> list[NamedNode]:
        return list(self._store.named_graphs())

    def quads(self, graph: NamedNode | None = None) -> Iterator[Quad]:
        return self._store.quads_for_pattern(None, None, None, graph)

    def dump(self, output, fmt: RdfFormat, graph: NamedNode | None = None) -> None:
        if graph is None and not fmt.supports_datasets:
            # Triple formats get the union of all graphs.
            triples = {q.triple for q in self._store}
            serialize(sorted(triples, key=str), output, format=fmt)
            return
        if graph is None:
            self._store.dump(output, format=fmt)
        else:
            self._store.dump(output, format=fmt, from_graph=graph)

    def __len__(self) -> int:
        return len(self._store)

    def flush(self) -> None:
        if not self.read_only:
            self._store.flush()

    def close(self) -> None:
        self.flush()
        del self._store
