"""A remote store: any SPARQL 1.1 Query + Update endpoint (Oxigraph server, Virtuoso, GraphDB, …).

Queries go through SPARQLWrapper and come back as pyoxigraph result objects, so callers cannot
tell the two stores apart. Writes are SPARQL Update requests holding whole question graphs: a
store that runs each update request as one transaction (Oxigraph, Virtuoso, GraphDB do) replaces
a question's graph atomically. The store's default graph must be the union of its named graphs (Oxigraph:
``--union-default-graph``; Virtuoso and GraphDB do so without FROM clauses).
"""
from __future__ import annotations

import ast
import base64
import http.client
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping, Sequence
from http.client import HTTPResponse
from typing import IO

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    NamedNode,
    Quad,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
    serialize,
)
from SPARQLWrapper import POST, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kamergraph.ontology.terms import PREFIXES

from .base import GraphName, QueryResult, RemoteStoreError, ResultKind, Term
from .keywords import query_form, with_base

# Keeps one update request (form-encoded) below common request-size limits: nginx takes 1 MiB
# by default, Virtuoso and GraphDB more.
MAX_UPDATE_BYTES = 768 * 1024
# Graphs named in one lookup query: 200 IRIs of a question graph are about 12 KB of query text.
SELF_STATEMENTS_PER_REQUEST = 200

SOLUTIONS_ACCEPT = "application/sparql-results+json"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
# Virtuoso answers 200 with what it found so far when it hits its limits, saying so only in headers.
_PARTIAL_HEADERS = ("X-SQL-State", "X-SPARQL-MaxRows")


def _encoded_size(text: str) -> int:
    """Its length once form-encoded: a byte outside [A-Za-z0-9_.~-] and space is written as three."""
    data = text.encode("utf-8")
    return len(data) + 2 * len(data.translate(None, _FORM_SAFE))


_FORM_SAFE = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.~- "
# Graphs a Virtuoso store keeps of its own (its RDF views schema, LDP, its service description):
# not part of the dataset that export, stats and the dumps show.
SYSTEM_GRAPHS = ("http://www.openlinksw.com/schemas/", "http://www.w3.org/ns/ldp#", "http://localuriqaserver/")
_NOT_SYSTEM = "FILTER(" + " && ".join(f'!STRSTARTS(STR(?g), "{prefix}")' for prefix in SYSTEM_GRAPHS) + ")"
_JOINER = len("+%3B%0A")  # " ;\n" between two operations of a request, form-encoded


def _server_says(error: Exception) -> str:
    """The remote store's own words from a SPARQLWrapper exception (it keeps only a repr of them)."""
    _, _, said = str(error).partition("Response:\n")
    try:
        said = ast.literal_eval(said).decode("utf-8", "replace") if said.startswith("b") else said
    except (ValueError, SyntaxError):
        pass
    return (said or str(error)).strip()[:500]


def _default_graph_alone(action: str) -> NotImplementedError:
    return NotImplementedError(f"a remote store's default graph is the union of its named graphs; it cannot be "
                               f"{action} on its own (name a graph instead)")


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
    # One update request at a time: a store's own limits on concurrent writers are unknown.
    write_threads = 1
    complete_scans = False  # a store may cut a long answer short without saying so

    def __init__(self, url: str, *, timeout: float = 300.0, user_agent: str = "kamergraph", max_triples: int = 2000):
        # A user name and password in the URL are sent as HTTP Basic credentials, never in the URL.
        parts = urllib.parse.urlsplit(url)
        self._credentials = None
        if parts.username is not None:
            self._credentials = (urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or ""))
            url = urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
        self.query_url, self.update_url = endpoints(url)
        self.max_triples = max_triples
        self.timeout = timeout
        self.user_agent = user_agent

    # -- reading

    def _request(self, sparql: str, form: str, default_graphs: Sequence[GraphName] | None = None,
                 named_graphs: Sequence[NamedNode | BlankNode] | None = None) -> tuple[str, HTTPResponse]:
        wrapper = SPARQLWrapper(self.query_url, agent=self.user_agent)
        wrapper.setMethod(POST)
        # Form-encoded POST: every store takes it (Virtuoso 7 stalls on a direct sparql-query body).
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setQuery(sparql)
        # SPARQLWrapper guesses the operation from keywords anywhere in the prologue, where a prefix
        # IRI can hold one; the form query_form read decides instead.
        wrapper.queryType = form
        wrapper.setTimeout(int(self.timeout))
        wrapper.setOnlyConneg(True)  # no format=/output= parameters: Virtuoso lets them override Accept
        if self._credentials:
            wrapper.setCredentials(*self._credentials)
        wrapper.addCustomHttpHeader("Accept", GRAPH_ACCEPT if form in ("CONSTRUCT", "DESCRIBE") else SOLUTIONS_ACCEPT)
        for graph in default_graphs or ():
            if isinstance(graph, DefaultGraph):
                raise _default_graph_alone("read")
            wrapper.addDefaultGraph(graph.value)
        for graph in named_graphs or ():
            wrapper.addNamedGraph(graph.value)
        try:
            response = wrapper.query().response
        except QueryBadFormed as error:
            raise SyntaxError(f"the remote store rejected the query: {_server_says(error)}") from None
        except Exception as error:  # SPARQLWrapper's own HTTP errors, and urllib's OSErrors
            raise RemoteStoreError(self.query_url, _server_says(error)) from None
        for header in _PARTIAL_HEADERS:
            if response.headers.get(header):
                raise RemoteStoreError(
                    self.query_url, f"the answer is incomplete ({header}: {response.headers[header]}); raise the "
                    "store's result and time limits (Virtuoso: ResultSetMaxRows, MaxQueryExecutionTime)")
        return response.headers.get_content_type(), response

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        default_graphs: Sequence[GraphName] | None = None,
        named_graphs: Sequence[NamedNode | BlankNode] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        sparql = with_base(sparql, base_iri)
        if substitutions:
            raise RemoteStoreError(self.query_url, "substitutions are not sent to a remote store; bind with VALUES")
        form = query_form(sparql)
        media_type, response = self._request(sparql, form, default_graphs, named_graphs)
        if form in ("SELECT", "ASK"):
            results_format = QueryResultsFormat.from_media_type(media_type)
            if results_format is None:
                response.close()
                raise RemoteStoreError(self.query_url, f"answered a {form} query with {media_type}")
            # Parsed as it arrives: a scan of the whole store (export, the dumps) is never held whole.
            return QueryResult.of(parse_query_results(response, format=results_format))
        rdf_format = RdfFormat.from_media_type(media_type)
        if rdf_format is None:
            response.close()
            raise RemoteStoreError(self.query_url, f"answered a {form} query with {media_type}")
        with response:
            return QueryResult(ResultKind.GRAPH, list(parse(response, format=rdf_format)))

    def _select(self, sparql: str) -> QuerySolutions:
        return self.query(sparql).solutions

    def objects(self, subject: NamedNode | BlankNode, predicate: NamedNode, graph: NamedNode) -> list[Term]:
        if isinstance(subject, BlankNode):
            return []  # a remote store's blank nodes cannot be named in a query
        return [row["o"] for row in self._select(f"SELECT ?o WHERE {{ GRAPH {graph} {{ {subject} {predicate} ?o }} }}")]

    def self_statements(self, predicate: NamedNode, graphs: list[NamedNode]) -> dict[str, list[Term]]:
        # One request for a batch of graphs rather than one for each of them.
        found: dict[str, list[Term]] = {}
        for start in range(0, len(graphs), SELF_STATEMENTS_PER_REQUEST):
            values = " ".join(str(graph) for graph in graphs[start:start + SELF_STATEMENTS_PER_REQUEST])
            query = f"SELECT ?g ?o WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?g {predicate} ?o }} }}"
            for row in self._select(query):
                found.setdefault(row["g"].value, []).append(row["o"])
        return found

    def types(self, node: Term) -> set[Term]:
        if isinstance(node, BlankNode):
            return set()  # (as in objects): written as _:b… in a query it would match every node
        return {row["t"] for row in self._select(f"SELECT DISTINCT ?t WHERE {{ GRAPH ?g {{ {node} a ?t }} }}")}

    def quads_for_predicate(self, predicate: NamedNode) -> Iterator[Quad]:
        for row in self._select(f"SELECT ?s ?o ?g WHERE {{ GRAPH ?g {{ ?s {predicate} ?o }} }}"):
            yield Quad(row["s"], predicate, row["o"], row["g"])

    def quads(self, graph: NamedNode | BlankNode | None = None) -> Iterator[Quad]:
        # Solutions one at a time, as they are parsed: a whole store's quads are never in memory.
        if graph is None:
            solutions = self._select(f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_NOT_SYSTEM} }}")
            return (Quad(s["s"], s["p"], s["o"], s["g"]) for s in solutions)
        if isinstance(graph, BlankNode):
            return iter(())  # (as in objects): a blank node in a query would match every graph
        solutions = self._select(f"SELECT ?s ?p ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
        return (Quad(s["s"], s["p"], s["o"], graph) for s in solutions)

    def named_graphs(self) -> list[NamedNode | BlankNode]:
        query = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_NOT_SYSTEM} }}"
        return [row["g"] for row in self._select(query)]

    def __len__(self) -> int:
        rows = list(self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_NOT_SYSTEM} }}"))
        return int(rows[0]["n"].value) if rows else 0

    def dump(self, output: IO[bytes] | str, fmt: RdfFormat, graph: NamedNode | None = None) -> None:
        prefixes = PREFIXES if fmt in (RdfFormat.TURTLE, RdfFormat.TRIG) else None  # as the embedded store
        if graph is not None:
            serialize((q.triple for q in self.quads(graph)), output, format=fmt, prefixes=prefixes)
        elif fmt.supports_datasets:
            serialize(self.quads(), output, format=fmt, prefixes=prefixes)
        else:
            serialize(sorted({q.triple for q in self.quads()}, key=str), output, format=fmt, prefixes=prefixes)

    # -- writing

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        self._update(with_base(sparql, base_iri))

    def update_fits(self, sparql: str) -> bool:
        """Whether an update is small enough for one request (what callers that split keep to)."""
        return _encoded_size(sparql) <= MAX_UPDATE_BYTES

    def _update(self, text: str) -> None:
        request = urllib.request.Request(
            self.update_url,
            data=urllib.parse.urlencode({"update": text}).encode("ascii"),
            headers={"Content-Type": "application/x-www-form-urlencoded", "User-Agent": self.user_agent},
            method="POST",
        )
        if self._credentials:
            token = base64.b64encode(":".join(self._credentials).encode("utf-8")).decode("ascii")
            request.add_header("Authorization", f"Basic {token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as error:
            detail = error.read()[:500].decode("utf-8", "replace").strip()
            if error.code == 400:
                raise SyntaxError(f"the remote store rejected the update: {detail}") from None
            raise RemoteStoreError(self.update_url, f"HTTP {error.code}: {detail}") from None
        except urllib.error.URLError as error:
            raise RemoteStoreError(self.update_url, str(error.reason)) from None
        except (OSError, http.client.HTTPException) as error:  # a timeout or a dropped connection mid-answer
            raise RemoteStoreError(self.update_url, f"{type(error).__name__}: {error}") from None

    def _replace(self, drops: Iterable[str], quads: Iterable[Quad]) -> None:
        """DROP the named graphs and INSERT the quads, in as few update requests as the store takes.

        A request holds whole graphs up to ``max_triples`` triples (Virtuoso's SPARQL compiler runs
        out of memory on a few thousand) and ``MAX_UPDATE_BYTES`` form-encoded, so each question's
        replacement stays one request, one transaction. Only a graph larger than that (the
        reference graph) is sent in parts; a single triple larger than the limit goes alone.
        Graphs go in the order their quads come, and a graph's parts in order: what a caller puts
        first (shared statements) is stored before what depends on it, and a graph's last quad (a
        question's source hash, the reference graph's version) last, so a failed request never
        leaves a graph marked as stored without the rest of it.
        """
        by_graph: dict[str, list[Triple]] = {}
        for quad in quads:
            if isinstance(quad.graph_name, DefaultGraph):
                raise _default_graph_alone("written to")
            by_graph.setdefault(quad.graph_name.value, []).append(quad.triple)
        dropping = set(drops)
        for graph in drops:
            by_graph.setdefault(graph, [])
        request: list[str] = []
        triples = size = 0
        for graph, statements in by_graph.items():
            for number, (lines, part_size) in enumerate(self._parts(statements)):
                operations, cost = [], 0
                if number == 0 and graph in dropping:
                    operations.append(f"DROP SILENT GRAPH <{graph}>")
                    cost += _encoded_size(operations[-1]) + _JOINER
                if lines:
                    head, tail = f"INSERT DATA {{ GRAPH <{graph}> {{\n", "} }"
                    operations.append(head + "".join(lines) + tail)
                    cost += _encoded_size(head + tail) + part_size + _JOINER
                if request and (triples + len(lines) > self.max_triples or size + cost > MAX_UPDATE_BYTES):
                    self._update(" ;\n".join(request))
                    request, triples, size = [], 0, 0
                request.extend(operations)
                triples += len(lines)
                size += cost
        if request:
            self._update(" ;\n".join(request))

    def _parts(self, triples: list[Triple]) -> Iterator[tuple[list[str], int]]:
        """A graph's triples as N-Triples lines in parts of at most ``max_triples`` lines and about
        ``MAX_UPDATE_BYTES`` form-encoded, with each part's encoded size; one empty part for none."""
        if not triples:
            yield [], 0
            return
        text = (serialize(triples, format=RdfFormat.N_TRIPLES) or b"").decode("utf-8")
        part: list[str] = []
        size = 0
        budget = MAX_UPDATE_BYTES - 1024  # room for the operation around the triples
        for statement in text.split("\n"):
            if not statement:
                continue
            line = statement + "\n"
            line_size = _encoded_size(line)
            if part and (len(part) >= self.max_triples or size + line_size > budget):
                yield part, size
                part, size = [], 0
            part.append(line)
            size += line_size
        yield part, size

    def write_nquads(self, data: bytes, replace: Sequence[str] = ()) -> None:
        if not data and not replace:
            return
        self._replace(replace, parse(data, format=RdfFormat.N_QUADS) if data else [])

    def replace_graphs(self, graphs: Mapping[NamedNode, list[Quad]]) -> None:
        self._replace([g.value for g in graphs], [q for quads in graphs.values() for q in quads])

    def flush(self) -> None:
        pass

    def optimize(self) -> bool:
        return False  # a remote store looks after its own storage

    def close(self, upkeep: bool = True) -> bool:
        return False  # a remote store looks after its own storage
