"""List sizes (kg:size in the statistics graph, ingest/sizes.py): after an ingest, a supersede, a
harvest deletion, an endpoint write and a stopped write, every list's size is the number of its
entries, a list without entries has none, and no mark of a pending recount is left.
"""
from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest

from conftest import WRITE_TOKEN
from kamergraph.graph import GraphStore, open_store
from kamergraph.ingest import sizes
from kamergraph.iris import Iris
from stores import ingest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
KG = "https://kamergraph.nl/def#"
ID = "https://kamergraph.nl/id/"
STATISTICS = Iris().statistics_graph.value
# The entries of every list, counted; the sizes the statistics graph states; the marks left.
COUNTS = f"SELECT ?list (COUNT(?entry) AS ?n) WHERE {{ GRAPH ?g {{ ?list <{KG}entry> ?entry }} }} GROUP BY ?list"
SIZES = f"SELECT ?list ?n WHERE {{ GRAPH <{STATISTICS}> {{ ?list <{KG}size> ?n }} }}"
MARKS = f"SELECT ?s ?o WHERE {{ GRAPH <{STATISTICS}> {{ ?s <{KG}recountList> ?o }} }}"


def table(store: GraphStore, query: str) -> dict[str, str]:
    return {row["list"].value: row["n"].value for row in store.query(query).rows()}


def sizes_of(store_dir: Path) -> dict[str, str]:
    """The sizes a store states, after checking each is its list's count and none is left over."""
    store = open_store(str(store_dir))
    try:
        counts, stated = table(store, COUNTS), table(store, SIZES)
        assert store.query(MARKS).rows() == []
    finally:
        store.close()
    assert counts, "no list has entries: the check would prove nothing"
    assert stated == counts
    return stated


def test_ingest_and_a_supersede_keep_every_size(tmp_path):
    store = tmp_path / "store"
    earlier = [p for p in sorted(EXAMPLES.iterdir()) if not p.name.startswith("005b")]
    ingest(store, *earlier)
    got = sizes_of(store)
    assert got[f"{KG}UnansweredQuestions"] == "2"  # 2019Z09418 (this crawl) and 2019Z21877
    assert got[ID + "partij/sp#vragen"] == "3"
    assert got[ID + "partij/sp#onderwerp-spoor"] == "1"
    assert got[ID + "persoon/ronald-van-raak#samen-met-sadet-karabulut"] == "1"
    assert got[ID + "persoon/ronald-van-raak#samen-met-sadet-karabulut.sp.sp"] == "1"
    assert got[ID + "persoon/jasper-van-dijk#samen-met-renske-leijten.."] == "1"  # no party printed
    schouten = ID + "persoon/helma-lodders#aan-persoon-carola-schouten"
    assert schouten not in got

    ingest(store, EXAMPLES / "005b_092993d8bd7af6e5.txt")  # the later crawl: answered by Schouten
    got = sizes_of(store)
    assert got[f"{KG}UnansweredQuestions"] == "1"
    assert got[schouten] == "1"


def test_a_replaced_question_that_leaves_a_list_empty_leaves_it_without_a_size(tmp_path):
    store = tmp_path / "store"
    ingest(store, EXAMPLES / "005a_1c27f41938a21a50.txt")
    assert sizes_of(store)[f"{KG}UnansweredQuestions"] == "1"
    ingest(store, EXAMPLES / "005b_092993d8bd7af6e5.txt")
    assert f"{KG}UnansweredQuestions" not in sizes_of(store)


def test_a_stopped_write_is_recounted_by_the_next_run(tmp_path, monkeypatch):
    """A run stopped between a batch and its recount (the recount fails here) leaves the batch's
    marks; the next run, with nothing new to store, recounts those lists first."""
    store = tmp_path / "store"
    ingest(store, EXAMPLES / "000_7b937e3f333bd3c8.txt")

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(sizes, "recount", stopped)
    with pytest.raises(KeyboardInterrupt):
        ingest(store, EXAMPLES)
    monkeypatch.undo()
    held = open_store(str(store))
    try:
        assert held.query(MARKS).rows() != []
        assert table(held, SIZES) != table(held, COUNTS)
    finally:
        held.close()
    report = ingest(store, EXAMPLES)
    assert report.questions == 0
    assert any("recounted" in notice for notice in report.notices)
    sizes_of(store)


def test_a_full_recount_gives_what_the_upkeep_gave(tmp_path):
    store = tmp_path / "store"
    ingest(store, EXAMPLES)
    kept = sizes_of(store)
    held = open_store(str(store))
    try:
        held.update(f"DROP GRAPH <{STATISTICS}>")
        sizes.recount(held, Iris(), None)
    finally:
        held.close()
    assert sizes_of(store) == kept


@pytest.mark.parametrize("update", [
    "DROP GRAPH <https://kamergraph.nl/graph/kamervraag/2019Z04512>",  # Karabulut, Van Raak (SP), Kuiken
    "PREFIX kg: <https://kamergraph.nl/def#> DELETE WHERE { GRAPH ?g { ?list kg:entry 20190307201904512 } } ;",
])
def test_an_endpoint_update_recounts_in_its_own_transaction(spawn_server, http, update):
    server = spawn_server(write_token=WRITE_TOKEN)
    assert _over_http(http, server)[ID + "partij/sp#vragen"] == "3"
    reply = http("POST", server.sparql, urllib.parse.urlencode({"update": update}),
                 {"Content-Type": "application/x-www-form-urlencoded", "Authorization": f"Bearer {WRITE_TOKEN}"})
    assert reply.status == 204, reply.text
    after = _over_http(http, server)  # at once: readers see the write and its sizes together
    assert after[ID + "partij/sp#vragen"] == "2"
    assert ID + "persoon/ronald-van-raak#samen-met-sadet-karabulut" not in after


def test_a_graph_store_delete_recounts_too(spawn_server, http):
    server = spawn_server(write_token=WRITE_TOKEN)
    graph = urllib.parse.quote("https://kamergraph.nl/graph/kamervraag/2019Z04512", safe="")
    reply = http("DELETE", f"{server.url}/store?graph={graph}", headers={"Authorization": f"Bearer {WRITE_TOKEN}"})
    assert reply.status == 204, reply.text
    assert _over_http(http, server)[ID + "partij/sp#vragen"] == "2"


def test_a_graph_store_put_recounts_the_lists_of_its_graph(spawn_server, http):
    """The lists the graph held and the lists its new statements give entries of, and no others."""
    server = spawn_server(write_token=WRITE_TOKEN)
    url = f"{server.url}/store?graph=" + urllib.parse.quote("https://example.org/g", safe="")
    headers = {"Authorization": f"Bearer {WRITE_TOKEN}", "Content-Type": "text/turtle"}
    body = (f"<{ID}partij/sp#vragen> <https://kamergraph.nl/def#entry> 20250101202500001 .\n"
            "<https://example.org/list> <https://kamergraph.nl/def#entry> 1 .\n")
    assert http("PUT", url, body, headers).status == 201
    after = _over_http(http, server)
    assert (after[ID + "partij/sp#vragen"], after["https://example.org/list"]) == ("4", "1")
    body = f"<{ID}partij/sp#vragen> <https://kamergraph.nl/def#entry> 20250101202500001 .\n"
    assert http("PUT", url, body, headers).status == 204  # the other list loses its only entry
    after = _over_http(http, server)
    assert after[ID + "partij/sp#vragen"] == "4" and "https://example.org/list" not in after
    assert http("DELETE", url, headers=headers).status == 204
    assert _over_http(http, server)[ID + "partij/sp#vragen"] == "3"


def _over_http(http, server) -> dict[str, str]:
    """The sizes through the server, after checking each is its list's count and none is left over."""
    def select(query: str) -> list[list[str]]:
        reply = http("POST", server.sparql, urllib.parse.urlencode({"query": query}),
                     {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"})
        assert reply.status == 200, reply.text
        return [line.split(",") for line in reply.text.splitlines()[1:]]

    counts = {row[0]: row[1] for row in select(COUNTS)}
    stated = {row[0]: row[1] for row in select(SIZES)}
    assert select(MARKS) == []
    assert counts
    assert stated == counts
    return stated


@pytest.mark.parametrize("update, joins", [
    ("DROP SILENT GRAPH <http://example.org/g>", True),
    ("DROP SILENT GRAPH <http://example.org/g> ;", True),  # its own ';' ends it
    ("CLEAR SILENT DEFAULT ; # a comment at the end", True),
    ("PREFIX ex: <http://example.org/>", True),  # a prologue and no operation: valid
    ("", True),
    ("WITH <http://example.org/g>", False),  # the recount must not complete what is unfinished
    ("INSERT DATA { <http://example.org/a> }", False),
    ('INSERT DATA { <http://example.org/a> <http://example.org/b> """x', False),
])
def test_a_client_update_joins_the_recount_only_when_it_is_valid_alone(update, joins):
    """The endpoint's write and the recount are one update only by joining their texts: one join
    must take every valid update, none an invalid one."""
    from pyoxigraph import Store

    from kamergraph.endpoint.runtime.write_process import joins as joined_forms

    def valid(text: str) -> bool:
        try:
            Store().update(text)
        except SyntaxError:
            return False
        return True

    assert valid(update) == joins
    assert any(valid(text) for text in joined_forms(update, sizes.recount_update(Iris()))) == joins
