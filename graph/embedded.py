"""The default store: Oxigraph embedded, on disk."""
from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, Store, Variable, parse, serialize

from kamergraph.ontology.terms import PREFIXES

from .base import GraphName, QueryResult, Term
from .keywords import keywords_in

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
# Readers open the store read-only and never compact it; every write through the endpoint opens it
# read-write for a moment and adds table files (and an info log). Past this many table files a
# read-write close compacts (a compacted store has 11 to 20), so the store recovers by itself
# instead of waiting for a large ingest.
MAX_TABLE_FILES = 32
# Deleted quads stay in the table files as tombstones until a compaction reaches them, and every read
# of their range steps over them: after two graphs of 200,000 triples about a party were dropped, the
# party's incoming links took 15-20 ms to read instead of 0.6 ms, with too few table files for the
# limit above to start a compaction (benchmarks/store_recovery.py). So a read-write close also
# compacts once this many bytes of write-ahead log (inserts and tombstones) went in since the last.
COMPACT_AFTER_WRITTEN = 32 * 1_048_576
WRITTEN_FILE = "kamergraph-written"  # in the store folder: write-ahead log bytes since the last compaction
KEEP_INFO_LOGS = 4  # RocksDB keeps up to 1,000 old info logs (LOG.old.*), one per read-write open
REPLACE_CHUNK = 100  # question graphs replaced per transaction


class EmbeddedStore:
    # Bulk loads let go of the GIL and use about one core each: two batches can be written at once.
    write_threads = 2
    complete_scans = True

    def __init__(self, path: str | Path, *, read_only: bool = False, max_table_files: int = MAX_TABLE_FILES,
                 compact_after_written: int = COMPACT_AFTER_WRITTEN):
        self.path = Path(path)
        self.max_table_files = max_table_files
        self.compact_after_written = compact_after_written
        if read_only:
            self._store = Store.read_only(str(self.path))
        else:
            self.path.mkdir(parents=True, exist_ok=True)
            self._store = Store(str(self.path))
            self._log_at_open = log_bytes(self.path)  # after the open, which replays and drops old logs
        self.read_only = read_only

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        default_graphs: Sequence[GraphName] | None = None,
        named_graphs: Sequence[NamedNode | BlankNode] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        options: dict[str, Any] = {"base_iri": base_iri}
        if default_graphs is not None:
            options["default_graph"] = list(default_graphs)
        elif not keywords_in(sparql, {"FROM"}):
            # The union is the default graph only for a query that names no dataset of its own:
            # given the option, pyoxigraph would ignore FROM and FROM NAMED.
            options["use_default_graph_as_union"] = True
        if named_graphs is not None:
            options["named_graphs"] = list(named_graphs)
        if substitutions:
            options["substitutions"] = {Variable(k): v for k, v in substitutions.items()}
        return QueryResult.of(self._store.query(sparql, **options))

    def replace_graphs(self, graphs: Mapping[NamedNode, list[Quad]]) -> None:
        # One SPARQL update is one transaction, so readers never see a question half replaced.
        drops = "".join(f"DROP SILENT GRAPH <{g.value}> ;\n" for g in graphs)
        body = [f"GRAPH <{g.value}> {{\n{_ntriples(quads)}}}\n" for g, quads in graphs.items()]
        self._store.update(drops + "INSERT DATA {\n" + "".join(body) + "}")

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """A SPARQL 1.1 Update, in one transaction."""
        self._store.update(sparql, base_iri=base_iri)

    def write_nquads(self, data: bytes, replace: Sequence[str] = ()) -> None:
        """Store N-Quads; each graph named in ``replace`` is dropped and written again whole, in
        a transaction of at most ``REPLACE_CHUNK`` such graphs, after everything else has gone in
        as one bulk load (so what a replaced graph points to is stored before it)."""
        if not replace:
            if data:
                # The bulk loader ingests its SST files in one RocksDB IngestExternalFiles call:
                # atomic across the indexes, and far cheaper than a transaction.
                self._store.bulk_load(data, format=RdfFormat.N_QUADS)
            return
        by_graph: dict[NamedNode, list[Quad]] = {NamedNode(g): [] for g in replace}
        added: list[Quad] = []
        for quad in parse(data, format=RdfFormat.N_QUADS):
            by_graph.get(quad.graph_name, added).append(quad)
        if added:
            self._store.bulk_extend(added)
        # A transaction's cost grows faster than its size, so replaced graphs go in transactions of
        # REPLACE_CHUNK graphs, after the rest has gone in as one bulk load.
        graphs = list(by_graph.items())
        for start in range(0, len(graphs), REPLACE_CHUNK):
            self.replace_graphs(dict(graphs[start:start + REPLACE_CHUNK]))

    def types(self, node: Term) -> set[Term]:
        """rdf:type values of a node across all graphs."""
        if not isinstance(node, (NamedNode, BlankNode)):
            return set()  # a literal (or a quoted triple) is the subject of nothing stored
        return {q.object for q in self._store.quads_for_pattern(node, RDF_TYPE, None, None)}

    def quads_for_predicate(self, predicate: NamedNode) -> Iterator[Quad]:
        return self._store.quads_for_pattern(None, predicate, None, None)

    def objects(self, subject: NamedNode | BlankNode, predicate: NamedNode, graph: NamedNode) -> list[Term]:
        return [q.object for q in self._store.quads_for_pattern(subject, predicate, None, graph)]

    def self_statements(self, predicate: NamedNode, graphs: list[NamedNode]) -> dict[str, list[Term]]:
        return {graph.value: objects for graph in graphs if (objects := self.objects(graph, predicate, graph))}

    def named_graphs(self) -> list[NamedNode | BlankNode]:
        return list(self._store.named_graphs())

    def quads(self, graph: NamedNode | BlankNode | None = None) -> Iterator[Quad]:
        return self._store.quads_for_pattern(None, None, None, graph)

    def dump(self, output: IO[bytes] | str, fmt: RdfFormat, graph: NamedNode | None = None) -> None:
        # Turtle and TriG are written with the project's prefixes, as the Turtle dump is.
        prefixes = PREFIXES if fmt in (RdfFormat.TURTLE, RdfFormat.TRIG) else None
        if graph is None and not fmt.supports_datasets:
            # Triple formats get the union of all graphs.
            triples = {q.triple for q in self._store}
            serialize(sorted(triples, key=str), output, format=fmt, prefixes=prefixes)
            return
        if graph is None:
            self._store.dump(output, format=fmt, prefixes=prefixes)
        else:
            self._store.dump(output, format=fmt, from_graph=graph, prefixes=prefixes)

    def __len__(self) -> int:
        return len(self._store)

    def flush(self) -> None:
        if not self.read_only:
            self._store.flush()

    def optimize(self) -> bool:
        """Merge the table files (RocksDB's full compaction): reads get faster after a large load."""
        self._store.optimize()
        if not self.read_only:
            (self.path / WRITTEN_FILE).write_text("0\n")
            self._log_at_open = log_bytes(self.path)
        return True

    def close(self, upkeep: bool = True) -> bool:
        """Flush; after writing, compact when the table files have piled up or much was written
        since the last compaction, and drop old info logs. Without ``upkeep``, only say whether a
        compaction is due (True), for the caller to make it later."""
        due = False
        if not self.read_only:
            written = _written_before(self.path) + max(0, log_bytes(self.path) - self._log_at_open)
            self.flush()
            due = table_files(self.path) > self.max_table_files or written > self.compact_after_written
            if due and upkeep:
                self._store.optimize()
                written, due = 0, False
            (self.path / WRITTEN_FILE).write_text(f"{written}\n")
        del self._store
        if not self.read_only:
            prune_info_logs(self.path)
        return due


def table_files(path: Path) -> int:
    return sum(1 for name in os.listdir(path) if name.endswith(".sst"))


def log_bytes(path: Path) -> int:
    """The size of RocksDB's write-ahead logs in a store folder."""
    return sum(entry.stat().st_size for entry in os.scandir(path) if entry.name.endswith(".log"))


def _written_before(path: Path) -> int:
    try:
        return int((path / WRITTEN_FILE).read_text())
    except (FileNotFoundError, ValueError):
        return 0


def prune_info_logs(path: Path, keep: int = KEEP_INFO_LOGS) -> None:
    """Remove all but the newest ``keep`` of RocksDB's old info logs (text, for people; nothing reads them)."""
    old = sorted((entry for entry in os.scandir(path) if entry.name.startswith("LOG.old.")),
                 key=lambda entry: entry.stat().st_mtime_ns)
    for entry in old[:max(0, len(old) - keep)]:
        try:
            os.unlink(entry.path)
        except FileNotFoundError:
            pass


def _ntriples(quads: list[Quad]) -> str:
    return (serialize([q.triple for q in quads], format=RdfFormat.N_TRIPLES) or b"").decode()
