"""List sizes: each list (a node with kg:entry, see mapping.list_nodes) has its number of entries as
kg:size in the statistics graph, so a count over the whole store reads one statement per list
instead of every entry. A list without entries has no size.

Every write that changes entries keeps them right. It marks the lists it touches (kg:recountList,
from a node naming the write, in the statistics graph) in the same write or before it; once it is
stored (by ingest and harvest once, at the end of their run), those lists are counted anew and
their marks removed, in one update. A run stopped in
between leaves the marks, and the next (``catch_up``) recounts their lists. A write through the
endpoint recounts in its own transaction the lists of the graph it writes (a Graph Store write:
those the graph held and those the new statements give entries of), or every list (a SPARQL Update,
which may change any).
"""
from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from functools import cache
from importlib import resources

from pyoxigraph import NamedNode, Triple

from kamergraph.graph import GraphStore
from kamergraph.iris import Iris
from kamergraph.ontology.terms import KG
from kamergraph.queries import NamedQuery, parse_query_file

# Lists per recount update (and graphs per lookup): a few hundred IRIs keep a request small enough
# for a remote store's compiler, and a recount of thousands of lists costs a few updates.
CHUNK = 500


@cache
def _named(file: str) -> NamedQuery:
    text = resources.files(__package__).joinpath("sparql", file).read_text(encoding="utf-8")
    return parse_query_file(file.rsplit(".", 1)[0], text)


def _chunks(items: Iterable[str]) -> Iterable[list[NamedNode]]:
    ordered = sorted(set(items))
    for start in range(0, len(ordered), CHUNK):
        yield [NamedNode(item) for item in ordered[start:start + CHUNK]]


def lists_in_graphs(store: GraphStore, graphs: Collection[str]) -> set[str]:
    """The lists these graphs hold entries of, as the store holds them now."""
    found: set[str] = set()
    for chunk in _chunks(graphs):
        text = _named("lists-in-graphs.rq").bound_text({}, terms={"graph": chunk})
        found.update(term.value for row in store.query(text).rows() if isinstance(term := row["list"], NamedNode))
    return found


def new_mark(iris: Iris) -> NamedNode:
    """A node naming one write, for its marks."""
    return NamedNode(f"{iris.statistics_graph.value}#schrijven-{uuid.uuid4().hex}")


def marks(iris: Iris, mark: NamedNode, lists: Iterable[str]) -> bytes:
    """N-Quads marking these lists to be recounted after the write ``mark`` names."""
    tail = f" {iris.statistics_graph} .\n"
    return "".join(f"{mark} {KG.recountList} {NamedNode(item)}{tail}" for item in sorted(set(lists))).encode()


def recount(store: GraphStore, iris: Iris, lists: Collection[str] | None, mark: NamedNode | None = None) -> None:
    """Count these lists' entries anew (every list when None) and remove the marks of them (those
    of ``mark`` only, when given)."""
    if lists is None:
        store.update(recount_update(iris, None, mark))
        return
    for chunk in _chunks(lists):
        _recount_chunk(store, iris, chunk, mark)


def _recount_chunk(store: GraphStore, iris: Iris, chunk: list[NamedNode], mark: NamedNode | None) -> None:
    """One update for the chunk, or halves of it where a remote store takes smaller requests."""
    text = recount_update(iris, [item.value for item in chunk], mark)
    fits = getattr(store, "update_fits", None)
    if len(chunk) > 1 and fits is not None and not fits(text):
        middle = len(chunk) // 2
        _recount_chunk(store, iris, chunk[:middle], mark)
        _recount_chunk(store, iris, chunk[middle:], mark)
        return
    store.update(text)


def recount_update(iris: Iris, lists: Collection[str] | None = None, mark: NamedNode | None = None) -> str:
    """The update that recounts these lists (every list when None) and removes their marks (those of
    ``mark`` only, when given); alone, or to follow a write in the same update (one transaction).
    None for no lists."""
    values = {"statistics": iris.statistics_graph.value} | ({"mark": mark.value} if mark else {})
    if lists is None:
        return _named("recount-sizes.ru").bound_text(values)
    if not lists:
        return ""
    terms = {"list": [NamedNode(item) for item in sorted(set(lists))]}
    return _named("recount-sizes.ru").bound_text(values, terms=terms)


def entries_of(triples: Iterable[Triple]) -> set[str]:
    """The lists these statements give entries of."""
    return {t.subject.value for t in triples if t.predicate == KG.entry and isinstance(t.subject, NamedNode)}


def catch_up(store: GraphStore, iris: Iris) -> int:
    """Recount the lists marked by writes that were not followed by their recount: how many."""
    text = _named("pending-recounts.rq").bound_text({"statistics": iris.statistics_graph.value})
    pending = [row["list"] for row in store.query(text).rows()]
    lists = {item.value for item in pending if isinstance(item, NamedNode)}
    if lists:
        recount(store, iris, lists)
    return len(lists)

