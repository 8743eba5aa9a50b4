"""A query process (started by the web process's pool): runs tasks on a read-only snapshot of the
store, one at a time.

The web process may kill it at any moment (that is how a query over the time limit is stopped), so
it holds nothing that needs cleaning up: a read-only store and a socket.
"""
from __future__ import annotations

import json
import sys

from pyoxigraph import DefaultGraph, NamedNode

from kamergraph.endpoint.runtime import child, policy
from kamergraph.endpoint.runtime.formats import GRAPHS, SOLUTIONS, media_type_list
from kamergraph.endpoint.runtime.results import DEFAULT_MAX_BYTES, render, render_triples, solution_rows
from kamergraph.endpoint.runtime.tasks import GRAPH_EXISTS, ROWS, Query, ReadGraph, Reply, Rows
from kamergraph.graph import GraphStore, RemoteStoreError, ResultKind
from kamergraph.graph.snapshot import Snapshot, StoreUnavailable

# The graph is bound through VALUES with the IRI written by pyoxigraph (a checked NamedNode), the
# mechanism of queries/, which works on every store.
GRAPH_TRIPLES = "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {graph} }} GRAPH ?g {{ ?s ?p ?o }} }}"
DEFAULT_TRIPLES = "CONSTRUCT WHERE { ?s ?p ?o }"


def handler(config: dict):
    """The task handler of one query process; the snapshot lives as long as the process."""
    snapshot = Snapshot(config["store"])
    try:
        snapshot.store()  # open now, so the first query does not wait for it
    except StoreUnavailable:
        pass  # reported to the client at its first query
    max_bytes = config.get("max_response") or DEFAULT_MAX_BYTES
    return lambda task: execute(task, snapshot, config["max_rows"], config["allow_service"], config["isolated"],
                                max_bytes=max_bytes)


def execute(task, snapshot: Snapshot, max_rows: int, allow_service: bool, isolated: bool = False, *,
            max_bytes: int = DEFAULT_MAX_BYTES) -> Reply:
    """The reply to a task. ``isolated``: this process has no network (``isolation.py``), so the text
    check only has to give a clear answer, and a SERVICE it misses fails here for want of a network."""
    if isinstance(task, Query):
        refusal = policy.nesting_refusal(task.sparql)
        if refusal is None and not allow_service:
            refusal = policy.federation_refusal(task.sparql, strict=not isolated)
        if refusal:
            return Reply.text(400, refusal)
    for attempt in (1, 2):
        try:
            store = snapshot.store()
        except StoreUnavailable as error:
            # Where the store lies is the operator's business: the log says, the client is told.
            print(f"kamergraph query process: {error}", file=sys.stderr, flush=True)
            return Reply.text(503, "The store is not available; the server's log says why.")
        try:
            if isinstance(task, Query):
                return run_query(task, store, min(max_rows, task.max_rows or max_rows), max_bytes)
            if isinstance(task, ReadGraph):
                return read_graph(task, store, max_rows, max_bytes)
            if isinstance(task, Rows):
                return run_rows(task, store)
            return Reply.text(500, f"Unknown task {type(task).__name__}")
        except SyntaxError as error:
            return Reply.text(400, f"Syntax error in the query: {error}")
        except RemoteStoreError as error:  # its reason, not its address: that is the operator's
            return Reply.text(502, f"The store behind this endpoint failed: {error.reason}")
        except NotImplementedError as error:  # what a remote store cannot do (read its own default graph)
            return Reply.text(501, str(error))
        except ValueError as error:
            return Reply.text(400, f"Query error: {error}")
        except MemoryError:
            return Reply.text(503, "Stopped: it needed more memory than a process of this endpoint may take.")
        except Exception as error:
            refusal = policy.network_refusal(error) if isolated else None
            if refusal:
                return Reply.text(400, refusal)
            # A read can fail on a snapshot whose files a writer has since compacted away: if the
            # store has changed, try once more on a fresh snapshot.
            if attempt == 2 or not snapshot.stale():
                return Reply.text(500, f"Query failed: {policy.without_remote_body(str(error))}")
            snapshot.invalidate()
    raise AssertionError("unreachable")


def run_query(task: Query, store: GraphStore, max_rows: int, max_bytes: int = DEFAULT_MAX_BYTES) -> Reply:
    result = store.query(
        task.sparql,
        default_graphs=_graphs(task.default_graphs),
        named_graphs=_graphs(task.named_graphs),
        base_iri=task.base_iri,
    )
    if result.kind is ResultKind.GRAPH:
        fmt, offered = task.graph_format, GRAPHS
    else:
        fmt, offered = task.solutions_format, SOLUTIONS
    if fmt is None:  # known only now: the kind of result decides which formats apply
        return Reply.text(
            406,
            f"This query gives a {'graph' if offered is GRAPHS else 'SPARQL result'}, which this endpoint "
            f"can send as {media_type_list(offered)}; the request accepts none of them (Accept: {task.accept}).",
        )
    return render(result, fmt, max_rows, max_bytes)


def run_rows(task: Rows, store: GraphStore) -> Reply:
    """The solutions of each SELECT query as rows, for the browse pages (see tasks.Rows)."""
    out = []
    for sparql in task.queries:
        result = store.query(sparql)
        if result.kind is not ResultKind.SOLUTIONS:
            return Reply.text(500, "A page query must be a SELECT query.")
        names, rows, _ = solution_rows(result.value, task.max_rows)
        out.append({"vars": names, "rows": rows})
    return Reply(200, ROWS, json.dumps(out, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def read_graph(task: ReadGraph, store: GraphStore, max_rows: int, max_bytes: int = DEFAULT_MAX_BYTES) -> Reply:
    if task.graph is None:
        result = store.query(DEFAULT_TRIPLES, default_graphs=[DefaultGraph()])
        return render_triples(result.value, task.format, max_rows, max_bytes)
    try:
        graph = NamedNode(task.graph)
    except ValueError as error:
        return Reply.text(400, f"The graph name is not an absolute IRI: {error}")
    if not bool(store.query(GRAPH_EXISTS.format(graph=graph)).value):
        return Reply.text(404, f"No graph {graph} in the store.")
    return render_triples(store.query(GRAPH_TRIPLES.format(graph=graph)).value, task.format, max_rows, max_bytes)


def _graphs(iris: tuple[str, ...] | None) -> list | None:
    if iris is None:
        return None
    return [NamedNode(iri) for iri in iris]


if __name__ == "__main__":
    child.serve(handler)
