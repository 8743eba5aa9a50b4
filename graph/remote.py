"""A remote store: any SPARQL 1.1 Query + Update endpoint (Oxigraph server, Virtuoso, GraphDB, …).

Queries go through SPARQLWrapper and come back as pyoxigraph result objects, so callers cannot
tell the two stores apart. Writes are SPARQL Update requests holding whole question graphs: a
store that runs each update request as one transaction (Oxigraph, Virtuoso, GraphDB do) replaces
a question's graph atomically. The store's default graph must be the union of its named graphs (Oxigraph:
``--union-default-graph``; Virtuoso and GraphDB do so without FROM clauses).
"""
from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping

from pyoxigraph import (
    NamedNode,
    Quad,
    QueryResultsFormat,
    RdfFormat,
    parse,
    parse_query_results,
    serialize,
)
from SPARQLWrapper import POST, URLENCODED, SPARQLWrapper

from .base import QueryResult, ResultKind

# Keeps one update request well below common request-size limits.
MAX_UPDATE_BYTES = 8 * 1024 * 1024


class RemoteStoreError(RuntimeError):
    pass


class TriplesResult:
    """CONSTRUCT/DESCRIBE answers parsed from the remote store, shaped like pyoxigraph's QueryTriples."""

    def __init__(self, triples: list):
        self._triples = triples

    def __iter__(self):
        return iter(self._triples)

    def serialize(self, output=None, format: RdfFormat = RdfFormat.N_TRIPLES):
        return serialize(self._triples, output, format=format)


def endpoints(url: str) -> tuple[str, str]:
    """Query and update URLs from the one URL the user gives.

    ``http://host:7878`` and ``http://host:7878/query`` are an Oxigraph server; a GraphDB
    repository ``…/repositories/ID`` takes updates at ``…/statements``; any other URL (Virtuoso's
    ``/sparql``, Neptune's) answers queries and updates itself.
    """
    parsed = urllib.parse.urlsplit(url)
    path = parsed.path.rstrip("/")
    root = urllib.parse.urlunsplit((parsed.scheme, parsed.netloc, "", "", ""))
    if path in ("", "/query"):
        return root + "/query", root + "/update"
    if re.fullmatch(r".*/repositories/[^/]+", path):
        return url.rstrip("/"), url.rstrip("/") + "/statements"
    return url, url


class RemoteStore:
    def __init__(self, url: str, *, timeout: float = 300.0, user_agent: str = "kamergraph", max_triples: int = 2000):
        self.query_url, self.update_url = endpoints(url)
        self.max_triples = max_triples
        self.timeout = timeout
        self.user_agent = user_agent

    # -- reading

    def _request(self, sparql: str, accept: str, default_graphs=None, named_graphs=None) -> bytes:
        wrapper = SPARQLWrapper(self.query_url, agent=self.user_agent)
        wrapper.setMethod(POST)
        # Form-encoded POST: every store takes it (Virtuoso 7 stalls on a direct sparql-query body).
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setQuery(sparql)
        wrapper.setTimeout(int(self.timeout))
        wrapper.setOnlyConneg(True)  # no format=/output= parameters: Virtuoso lets them override Accept
        wrapper.addCustomHttpHeader("Accept", accept)
        for graph in default_graphs or ():
            wrapper.addDefaultGraph(graph.value)
        for graph in named_graphs or ():
            wrapper.addNamedGraph(graph.value)
        try:
            return wrapper.query().response.read()
        except Exception as error:  # SPARQLWrapper wraps HTTP errors in its own classes
            raise RemoteStoreError(f"{self.query_url}: {error}") from error

    def query(self, sparql, *, substitutions=None, default_graphs=None, named_graphs=None) -> QueryResult:
        if substitutions:
            raise RemoteStoreError("substitutions are not sent to a remote store; bind with VALUES")
        accept = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
        body = self._request(sparql, accept, default_graphs, named_graphs)
        head = body.lstrip()[:1]
        if head == b"{":
            results = parse_query_results(body, format=QueryResultsFormat.JSON)
            return QueryResult.of(results)
        triples = [t for t in parse(body, format=RdfFormat.N_TRIPLES if b"@prefix" not in body[:2000] else RdfFormat.TURTLE)]
        return QueryResult(ResultKind.GRAPH, TriplesResult(triples))

    def _select(self, sparql: str) -> list[dict]:
        return self.query(sparql).rows()

    def objects(self, subject: NamedNode, predicate: NamedNode, graph: NamedNode) -> list:
        rows = self._select(f"SELECT ?o WHERE {{ GRAPH {graph} {{ {subject} {predicate} ?o }} }}")
        return [row["o"] for row in rows]

    def types(self, node) -> set:
        return {row["t"] for row in self._select(f"SELECT DISTINCT ?t WHERE {{ GRAPH ?g {{ {node} a ?t }} }}")}

    def quads_for_predicate(self, predicate: NamedNode) -> Iterator[Quad]:
        for row in self._select(f"SELECT ?s ?o ?g WHERE {{ GRAPH ?g {{ ?s {predicate} ?o }} }}"):
            yield Quad(row["s"], predicate, row["o"], row["g"])

    def quads(self, graph: NamedNode | None = None) -> Iterator[Quad]:
        if graph is None:
            rows = self._select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
            return (Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows)
        rows = self._select(f"SELECT ?s ?p ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
        return (Quad(r["s"], r["p"], r["o"], graph) for r in rows)

    def named_graphs(self) -> list[NamedNode]:
        return [row["g"] for row in self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")]

    def __len__(self) -> int:
        rows = self._select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(rows[0]["n"].value) if rows else 0

    def dump(self, output, fmt: RdfFormat, graph: NamedNode | None = None) -> None:
        if graph is not None:
            serialize((q.triple for q in self.quads(graph)), output, format=fmt)
        elif fmt.supports_datasets:
            serialize(self.quads(), output, format=fmt)
        else:
            serialize(sorted({q.triple for q in self.quads()}, key=str), output, format=fmt)

    # -- writing

    def update(self, sparql: str) -> None:
        self._update(sparql)

    def _update(self, text: str) -> None:
        request = urllib.request.Request(
            self.update_url,
            data=urllib.parse.urlencode({"update": text}).encode("ascii"),
            headers={"Content-Type": "application/x-www-form-urlencoded", "User-Agent": self.user_agent},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as error:
            detail = error.read()[:500].decode("utf-8", "replace")
            raise RemoteStoreError(f"{self.update_url}: HTTP {error.code}: {detail}") from None
        except urllib.error.URLError as error:
            raise RemoteStoreError(f"{self.update_url}: {error.reason}") from None

    def _replace(self, drops: Iterable[str], quads: Iterable[Quad]) -> None:
        """DROP the named graphs and INSERT the quads, in as few update requests as the store takes.

        A request holds whole graphs up to ``max_triples`` triples (Virtuoso's SPARQL compiler
        runs out of memory on a few thousand), so each question's replacement stays one request,
        one transaction. Only a graph larger than that (the reference graph) is sent in parts.
        """
        by_graph: dict[str, list] = {graph: [] for graph in drops}
        for quad in quads:
            by_graph.setdefault(quad.graph_name.value, []).append(quad.triple)
        dropping = set(drops)
        request: list[str] = []
        size = 0
        for graph, triples in by_graph.items():
            parts = [triples[i:i + self.max_triples] for i in range(0, len(triples), self.max_triples)] or [[]]
            for number, part in enumerate(parts):
                if request and size + len(part) > self.max_triples:
                    self._update(" ;\n".join(request))
                    request, size = [], 0
                if number == 0 and graph in dropping:
                    request.append(f"DROP SILENT GRAPH <{graph}>")
                if part:
                    body = serialize(part, format=RdfFormat.N_TRIPLES).decode("utf-8")
                    request.append(f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}")
                    size += len(part)
        if request:
            self._update(" ;\n".join(request))

    def write_nquads(self, data: bytes, replace: list[str] = ()) -> None:
        if not data and not replace:
            return
        self._replace(replace, parse(data, format=RdfFormat.N_QUADS) if data else [])

    def add_graphs(self, graphs: Mapping[NamedNode, list[Quad]], shared: Iterable[Quad] = ()) -> None:
        self._replace((), [q for quads in graphs.values() for q in quads] + list(shared))

    def replace_graphs(self, graphs: Mapping[NamedNode, list[Quad]], shared: Iterable[Quad] = ()) -> None:
        self._replace([g.value for g in graphs], [q for quads in graphs.values() for q in quads] + list(shared))

    def flush(self) -> None:
        pass

    def optimize(self) -> None:
        pass  # a remote store looks after its own storage

    def close(self) -> None:
        pass
