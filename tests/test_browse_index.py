"""The page index behind lists, facets and counts: it agrees with SPARQL over the store, its windows
are right, and it follows the store when an ingest changes it."""
from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from kamergraph.indexes.page_build import build
from kamergraph.indexes.pages import PageIndex, index_path_for, store_signature

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def index(store_dir, tmp_path_factory):
    path = tmp_path_factory.mktemp("pageindex") / "pages.sqlite"
    build(str(store_dir), path, store_signature(str(store_dir)))
    loaded = PageIndex(path)
    yield loaded
    loaded.close()


def sparql_counts(store_dir, text: str) -> dict[str, int]:
    from kamergraph.graph import open_store

    store = open_store(str(store_dir), read_only=True)
    try:
        return {row["value"].value: int(row["n"].value) for row in store.query(text).rows()}
    finally:
        store.close()


def test_facet_counts_agree_with_sparql(index, store_dir):
    per_party = sparql_counts(store_dir, """
        PREFIX kg: <https://kamergraph.nl/def#>
        SELECT ?value (COUNT(DISTINCT ?q) AS ?n) WHERE { ?q kg:submission/kg:party ?value } GROUP BY ?value""")
    assert dict(index.counts("party", index.all)) == per_party
    per_ministry = sparql_counts(store_dir, """
        PREFIX kg: <https://kamergraph.nl/def#>
        SELECT ?value (COUNT(DISTINCT ?q) AS ?n) WHERE { ?q kg:answeringMinistry ?value } GROUP BY ?value""")
    assert dict(index.counts("ministry", index.all)) == per_ministry
    per_topic = sparql_counts(store_dir, """
        PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?value (COUNT(DISTINCT ?q) AS ?n) WHERE { ?q dcterms:subject/skos:broader* ?value } GROUP BY ?value""")
    assert dict(index.counts("topic", index.all)) == per_topic
    sp = index.select({"party": "sp"})
    assert dict(index.counts("answered", sp)) == {"yes": 2, "no": 1}


def test_questions_are_numbered_newest_first(index):
    rows = index.rows(index.window(index.all, 0, 100))
    assert [r.submitted for r in rows] == sorted((r.submitted for r in rows), reverse=True)
    assert index.rows(index.window(index.all, 0, 100, newest_first=False)) == rows[::-1]


def test_windows_match_a_plain_scan(index):
    generator = random.Random(7)
    index.size = 5000  # only window() is used here, on synthetic bitmaps of this width
    try:
        for _ in range(50):
            bits = generator.getrandbits(5000) & generator.getrandbits(5000)
            positions = [i for i in range(5000) if bits >> i & 1]
            offset, limit = generator.randrange(0, 1500), generator.randrange(1, 60)
            assert index.window(bits, offset, limit) == positions[offset:offset + limit]
            assert index.window(bits, offset, limit, newest_first=False) == positions[::-1][offset:offset + limit]
    finally:
        index.size = len(index.rows(list(range(100))))


def test_the_stored_pairs_are_those_of_the_questions(index):
    """Who asked whom, as the build stores it, is what counting the index's own rows gives."""
    from kamergraph.indexes import pairs

    stored = pairs.from_data(index.pairs_data())
    assert stored == pairs.from_rows(index.network_rows())
    assert len(stored.submitted) == index.size and len(stored.views["member", "minister"].sources) > 10


def test_unknown_filter_values_match_nothing(index):
    assert index.select({"party": "no-such-party"}) == 0
    assert index.select({"answered": "maybe"}) == 0
    assert index.select({"year": "1850"}) == 0


def test_the_index_follows_an_ingest(tmp_path):
    """A server sees an ingest: the next requests rebuild the index in the background and then use it."""
    from conftest import EXAMPLES
    from kamergraph.config import Settings
    from kamergraph.endpoint import create_app
    from kamergraph.graph import open_store
    from kamergraph.ingest.pipeline import ingest_paths

    path = tmp_path / "store"
    settings = Settings(store=str(path), index_wait=60.0)  # a store ingested without its page index
    store = open_store(str(path))
    try:
        ingest_paths(store, [EXAMPLES / "000_7b937e3f333bd3c8.txt"], settings)
    finally:
        store.close()
    application = create_app(settings)
    try:
        client = application.test_client()
        assert client.get("/questions.json").get_json()["total"] == 1
        assert index_path_for(str(path)).exists()
        store = open_store(str(path))
        try:
            ingest_paths(store, [EXAMPLES / "006_5ba682804d63efbd.txt", DATA / "hostile_page.txt"], settings)
        finally:
            store.close()
        deadline = time.monotonic() + 30
        totals = []
        while time.monotonic() < deadline:
            totals.append(client.get("/questions.json").get_json()["total"])
            if totals[-1] == 3:
                break
            time.sleep(0.2)
        assert totals[-1] == 3
        assert set(totals) <= {1, 3}  # the old index until the new one is complete, never a partial one
        # the question pages (SPARQL) see the new question at once
        assert client.get("/id/kamervraag/2019Z01187.nt").status_code == 200
    finally:
        application.extensions["kamergraph"].close()
        application.extensions["kamergraph-pages"].close()


def test_a_new_store_answers_503_until_its_first_index_is_built(tmp_path, store_dir):
    """A request waits a while for the first build of the index; past that it gets 503 and Retry-After."""
    from conftest import copy_store
    from kamergraph.config import Settings
    from kamergraph.endpoint import create_app
    from kamergraph.indexes.page_keeper import Keeper

    store = copy_store(store_dir, tmp_path / "store")
    index_path_for(str(store)).unlink()
    application = create_app(Settings(store=str(store)))
    application.extensions["kamergraph-pages"] = Keeper(str(store), build_wait=0.0)
    try:
        client = application.test_client()
        first = client.get("/questions", headers={"Accept": "text/html"})
        assert first.status_code == 503
        assert first.headers["Retry-After"] == "5"
        assert b"being built" in first.data
        deadline = time.monotonic() + 30
        status = first.status_code
        while status == 503 and time.monotonic() < deadline:
            time.sleep(0.1)
            status = client.get("/questions.json").status_code
        assert status == 200
        assert client.get("/questions.json").get_json()["total"] == 10
    finally:
        application.extensions["kamergraph"].close()
        application.extensions["kamergraph-pages"].close()


def _tables(path: Path) -> dict[str, list[tuple]]:
    import sqlite3

    db = sqlite3.connect(path)
    try:
        tables = ("question", "entity", "bitmap", "raw", "pairs")
        return {table: sorted(db.execute(f"SELECT * FROM {table}")) for table in tables}
    finally:
        db.close()


def test_an_ingest_brings_the_index_up_to_date_as_a_build_would(tmp_path):
    """`kamergraph ingest` leaves an index of the store as it left it (no web process has to build
    one): made at the first ingest, updated from the new questions' rows at the next, and the same
    as a build from the whole store."""
    from click.testing import CliRunner

    from conftest import EXAMPLES
    from kamergraph.cli import main

    store = str(tmp_path / "store")
    runner = CliRunner()
    first = runner.invoke(main, ["ingest", "--store", store, str(EXAMPLES / "000_7b937e3f333bd3c8.txt")])
    assert first.exit_code == 0, first.output
    assert "page index built in" in first.output
    assert PageIndex(index_path_for(store)).signature == store_signature(store)
    more = [str(EXAMPLES / "006_5ba682804d63efbd.txt"), str(DATA / "hostile_page.txt")]
    second = runner.invoke(main, ["ingest", "--store", store, *more])
    assert second.exit_code == 0, second.output
    assert "page index updated in" in second.output
    updated = PageIndex(index_path_for(store))
    assert updated.signature == store_signature(store)
    assert updated.size == 3
    rebuilt = tmp_path / "rebuilt.sqlite"
    build(store, rebuilt, store_signature(store))
    assert _tables(index_path_for(store)) == _tables(rebuilt)
    # Nothing new: the same rows, under the store's new signature.
    again = runner.invoke(main, ["ingest", "--store", store, *more])
    assert again.exit_code == 0 and "page index updated in" in again.output
    assert PageIndex(index_path_for(store)).signature == store_signature(store)
    assert _tables(index_path_for(store)) == _tables(rebuilt)


def test_an_index_of_an_earlier_layout_is_built_anew(tmp_path, store_dir):
    """After an upgrade the index file beside the store is of the earlier format: the keeper builds
    the current one instead of reading columns that are not there."""
    import sqlite3

    from conftest import copy_store
    from kamergraph.indexes.page_keeper import Keeper
    from kamergraph.indexes.pages import FORMAT_VERSION

    store = copy_store(store_dir, tmp_path / "store")
    path = index_path_for(str(store))
    build(str(store), path, store_signature(str(store)))
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '1' WHERE key = 'format'")
    with pytest.raises(ValueError, match="format 1"):
        PageIndex(path)
    keeper = Keeper(str(store), build_wait=60.0)
    try:
        index = keeper.get()
        assert index.size == 10 and dict(index._db.execute("SELECT key, value FROM meta"))["format"] == FORMAT_VERSION
    finally:
        keeper.close()
