"""The write process (one per web process, started by its pool): each write through a short-lived read-write
handle on the store.

RocksDB allows one read-write opener at a time (its LOCK file) beside any number of read-only ones.
The serving processes only ever open the store read-only, so a write opens it read-write for the
length of one SPARQL Update or Graph Store request and closes it again, so an ingest can take the
lock between writes. The process is killed at the time limit: an unfinished transaction is never
committed, so a killed write changes nothing. If an ingest holds the lock, the write waits a little
and then gives up with 503. The store's upkeep (a compaction, which can take longer than the time
limit on a large store) runs only after the reply is sent: a kill then can only stop the upkeep,
never turn a stored write into a reported failure. The sizes of the lists a write changes
(ingest/sizes.py) are counted anew in the same update, one transaction with it: a Graph Store
write's lists are those of its graph, before and after; a SPARQL Update may change any list's
entries, so all of them.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Collection
from functools import partial

from pyoxigraph import DefaultGraph, NamedNode, RdfFormat, parse, serialize

from kamergraph.endpoint.runtime import child, policy
from kamergraph.endpoint.runtime.results import written
from kamergraph.endpoint.runtime.tasks import GRAPH_EXISTS, Reply, Update, WriteGraph
from kamergraph.graph import GraphStore, RemoteStoreError, open_store, snapshot
from kamergraph.indexes import page_journal
from kamergraph.ingest import sizes
from kamergraph.iris import Iris

LOCK_RETRY_SECONDS = 0.05

# The update recounting these lists (every list for None) after a write, in its transaction.
Recount = Callable[[Collection[str] | None], str]


class Handler:
    """Applies each write; ``after_reply`` gives the store its upkeep once the reply is on its way."""

    def __init__(self, config: dict):
        self.config = config
        self.recount: Recount = partial(sizes.recount_update, Iris(config["base_iri"]))
        self.upkeep_due = False

    def __call__(self, task) -> Reply:
        config = self.config
        reply, due = apply(task, config["store"], config["allow_service"], config["lock_wait"],
                           config["isolated"], recount=self.recount)
        self.upkeep_due = self.upkeep_due or due
        return reply

    def after_reply(self) -> None:
        if not self.upkeep_due:
            return
        self.upkeep_due = False
        location = self.config["store"]
        with page_journal.recording(location, []), snapshot.upkeep(location):  # files change, statements do not
            try:
                store = _open_writable(location, self.config["lock_wait"])
            except OSError:  # an ingest holds the store: it does the upkeep itself when it closes
                return
            store.close()


def handler(config: dict) -> Handler:
    return Handler(config)


def apply(task, location: str, allow_service: bool, lock_wait: float,
          isolated: bool = False, *, recount: Recount | None = None) -> tuple[Reply, bool]:
    """The reply to a write, and whether the store's upkeep is due (to be made after the reply).
    ``recount`` gives the update run in the write's transaction after it (the list sizes' recount)."""
    if isinstance(task, Update):
        refusal = policy.nesting_refusal(task.sparql)
        if refusal is None and not allow_service:
            refusal = policy.federation_refusal(task.sparql, update=True, strict=not isolated)
        if refusal:
            return Reply.text(400, refusal), False
    with page_journal.recording(location, graphs_written(task)):
        try:
            store = _open_writable(location, lock_wait)
        except OSError as error:
            return Reply.text(
                503,
                f"The store is being written by another process; try again later. ({error})",
                headers=(("Retry-After", "5"),),
            ), False
        try:
            reply = _run(store, task, isolated, recount)
        finally:
            due = store.close(upkeep=False)  # flushes: readers re-open on a short log, so quickly
    return reply, due


def graphs_written(task) -> list[str] | None:
    """The graphs a write can change, for the page index to catch up from (indexes/page_journal.py):
    a Graph Store write names its graph; a SPARQL Update may write any graph its WHERE clause finds,
    and the default graph is not one graph of the store: None, not known."""
    if isinstance(task, WriteGraph) and task.graph is not None:
        return [task.graph]
    return None


def _run(store: GraphStore, task, isolated: bool, recount: Recount | None) -> Reply:
    try:
        if isinstance(task, Update):
            _update_then(store, task.sparql, task.base_iri, recount(None) if recount else "")
            return Reply(204)
        return _write_graph(store, task, recount)
    except SyntaxError as error:
        return Reply.text(400, f"Syntax error: {error}")
    except ValueError as error:
        return Reply.text(400, str(error))
    except RemoteStoreError as error:
        return Reply.text(502, f"The store behind this endpoint failed: {error.reason}")
    except OSError as error:  # LOAD that found no network, or a failed remote answer
        refusal = policy.network_refusal(error) if isolated else None
        if refusal:
            return Reply.text(400, refusal)
        return Reply.text(500, f"The write failed: {policy.without_remote_body(str(error))}")


def _open_writable(location: str, lock_wait: float) -> GraphStore:
    deadline = time.monotonic() + lock_wait
    while True:
        try:
            return open_store(location)
        except OSError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(LOCK_RETRY_SECONDS)


def _update_then(store: GraphStore, sparql: str, base_iri: str | None, recount: str) -> None:
    """A client's update and then ``recount`` (operations without a prologue), as one update: after
    a ';', or, when the client's ends where an operation may begin (after its own ';', or when it
    holds none), directly, led by an empty DELETE DATA, which nothing before can take as its
    continuation. So only an update that is valid alone joins validly; when neither join is, it is
    run alone, to fail with its own syntax error."""
    if not recount:
        store.update(sparql, base_iri=base_iri)
        return
    for joined in joins(sparql, recount):
        try:
            store.update(joined, base_iri=base_iri)
            return
        except SyntaxError:
            continue
    store.update(sparql, base_iri=base_iri)  # raises its own SyntaxError: the joins fail only then
    store.update(recount)


def joins(sparql: str, recount: str) -> tuple[str, str]:
    """The two ways to follow a client's update with the recount in one request (see _update_then)."""
    return f"{sparql}\n;\n{recount}", f"{sparql}\nDELETE DATA {{ }} ;\n{recount}"


def _write_graph(store: GraphStore, task: WriteGraph, recount: Recount | None = None) -> Reply:
    try:
        target = NamedNode(task.graph) if task.graph is not None else None
    except ValueError as error:
        return Reply.text(400, f"The graph name is not an absolute IRI: {error}")
    existed = target is None or bool(store.query(GRAPH_EXISTS.format(graph=target)).value)
    if task.method == "DELETE":
        if not existed:
            return Reply.text(404, f"No graph <{task.graph}> in the store.")
        drop = f"DROP GRAPH {target}" if target else "CLEAR DEFAULT"
        store.update(" ;\n".join(filter(None, [drop, _recount_of(store, target, [], recount)])))
        return Reply(204)
    if task.format is None:
        raise ValueError("The graph comes without a format.")
    if task.format.pyoxigraph == "RDF_XML" and b"<!ENTITY" in task.data:
        # Entities expand: a 1 KB "billion laughs" body held the writer for its whole time limit.
        return Reply.text(400, "RDF/XML with entity declarations (<!ENTITY) is not accepted.")
    quads = list(parse(task.data, format=getattr(RdfFormat, task.format.pyoxigraph), base_iri=task.graph))
    if any(not isinstance(quad.graph_name, DefaultGraph) for quad in quads):
        # An N3 formula or a named JSON-LD @graph: flattened, what it only quotes would be asserted.
        return Reply.text(400, "The body holds statements inside a formula or a named graph; "
                               "the Graph Store takes one graph of plain statements.")
    triples = [quad.triple for quad in quads]
    # The payload was parsed and is written back as N-Triples: user text never reaches the update.
    data = written(serialize(triples, format=RdfFormat.N_TRIPLES)).decode("utf-8")
    steps = []
    if target is None:
        if task.method == "PUT":
            steps.append("CLEAR DEFAULT")
        steps.append(f"INSERT DATA {{\n{data}}}")
    else:
        if task.method == "PUT":
            steps.append(f"DROP SILENT GRAPH {target}")
        steps.append(f"CREATE SILENT GRAPH {target}")  # an empty PUT or POST still makes the graph
        steps.append(f"INSERT DATA {{ GRAPH {target} {{\n{data}}} }}")
    steps += filter(None, [_recount_of(store, target, triples, recount)])
    store.update(" ;\n".join(steps))  # one update, one transaction: readers see all or nothing
    return Reply(204 if existed else 201)


def _recount_of(store: GraphStore, target: NamedNode | None, triples: list, recount: Recount | None) -> str:
    """The recount after writing ``triples`` to ``target``: the lists the graph holds entries of now
    and those the triples give entries of (every list for the default graph, which is not one graph
    of the store)."""
    if recount is None:
        return ""
    if target is None:
        return recount(None)
    return recount(sizes.lists_in_graphs(store, [target.value]) | sizes.entries_of(triples))


if __name__ == "__main__":
    child.serve(handler)
