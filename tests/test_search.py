"""The full-text index: built at ingest, rebuilt from the store, folded diacritics, safe input."""
from pathlib import Path

import pytest
from click.testing import CliRunner

from kamergraph.cli import main
from kamergraph.indexes.search import SearchIndex, match_expression

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    store = tmp_path_factory.mktemp("search") / "store"
    result = CliRunner().invoke(main, ["ingest", "--store", str(store), "--no-progress", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    return store


def _index(store_dir):
    return SearchIndex(Path(str(store_dir) + ".search.sqlite"), read_only=True)


def test_ingest_fills_the_index_with_each_stored_question(store_dir):
    assert len(_index(store_dir)) == 10


def test_search_finds_answer_text_with_a_snippet(store_dir):
    total, hits = _index(store_dir).search("DJI besturingsapp")
    assert total == 1
    assert hits[0].iri == "https://kamergraph.nl/id/kamervraag/2021Z16860"
    assert hits[0].title == "Mogelijke dataverzameling van Chinese drones"
    assert "\x02DJI\x03" in hits[0].snippet


def test_diacritics_are_folded(store_dir):
    with_marks = _index(store_dir).search("financiën")
    without = _index(store_dir).search("financien")
    assert with_marks[0] == without[0] > 0
    assert [h.zaak for h in with_marks[1]] == [h.zaak for h in without[1]]


def test_fts_syntax_in_user_text_is_only_words():
    assert match_expression('drones" OR title:* NEAR(') == '"drones" "OR" "title" "NEAR"*'
    assert match_expression("  ?! ") is None
    assert match_expression("0\x00drones\x1f") == '"0" "drones"*'


def test_control_characters_in_user_text_are_no_error(store_dir):
    assert _found(store_dir, "dro\x00nes") == []
    assert _found(store_dir, "drones\x00") == ["2021Z16860"]


def test_rebuild_from_the_store_gives_the_same_index(store_dir):
    before = [(h.iri, h.snippet) for h in _index(store_dir).search("vraag", limit=50)[1]]
    result = CliRunner().invoke(main, ["index", "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert "10 questions indexed" in result.output
    after = [(h.iri, h.snippet) for h in _index(store_dir).search("vraag", limit=50)[1]]
    assert after == before


def _ingest(store, *extra):
    result = CliRunner().invoke(main, ["ingest", "--store", str(store), "--no-progress", *extra, str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    return result


def test_an_index_gone_missing_is_refilled_by_the_next_ingest(tmp_path):
    """Unchanged pages are skipped, so without the refill the new index would stay empty."""
    store = tmp_path / "store"
    _ingest(store)
    Path(str(store) + ".search.sqlite").unlink()
    result = _ingest(store)
    assert result.stdout.startswith("11 files, 0 questions stored, 10 unchanged, ")
    assert "note: the search index held fewer questions than the store: rebuilt, 10 questions indexed" in result.stderr
    assert len(_index(store)) == 10
    assert _index(store).search("DJI besturingsapp")[0] == 1
    assert "search index" not in _ingest(store).stderr  # complete now: not rebuilt again


def test_an_index_of_an_earlier_layout_is_made_anew(tmp_path):
    """An earlier kamergraph's index (the FTS table alone, no documents table, no user_version)
    made the ingest fail with an IntegrityError; the server now reads it as empty, the ingest
    remakes it."""
    import sqlite3

    store = tmp_path / "store"
    path = Path(str(store) + ".search.sqlite")
    old = sqlite3.connect(path)
    old.executescript(
        "CREATE VIRTUAL TABLE questions USING fts5(iri UNINDEXED, zaak UNINDEXED, submitted UNINDEXED, title, body);"
        "INSERT INTO questions VALUES ('https://kamergraph.nl/id/kamervraag/x', 'x', '', 'oud', 'DJI');"
    )
    old.commit()
    old.close()
    assert len(_index(store)) == 0 and _index(store).search("DJI") == (0, [])
    _ingest(store)
    assert len(_index(store)) == 10
    assert [h.iri for h in _index(store).search("DJI besturingsapp")[1]] == ["https://kamergraph.nl/id/kamervraag/2021Z16860"]


def test_documents_of_an_interrupted_run_are_indexed_from_the_store(tmp_path):
    """A run killed after a batch of replacements was stored but before its documents went in
    leaves the same number of documents, the old text among them, and the graphs on the pending
    list: the next run indexes those graphs from the store, although every page is unchanged."""
    from kamergraph.indexes.search import SearchDocument, index_path_for

    store = tmp_path / "store"
    _ingest(store)
    graph, question = "https://kamergraph.nl/graph/kamervraag/2021Z16860", "https://kamergraph.nl/id/kamervraag/2021Z16860"
    index = SearchIndex(index_path_for(str(store)))
    index.mark_pending([graph])
    index.put([SearchDocument(question, "2021Z16860", "2021-09-30", "oud", "een eerdere crawl")])
    index.close()
    assert _index(store).search("eerdere crawl")[0] == 1 and len(_index(store)) == 10

    result = _ingest(store)
    assert result.stdout.startswith("11 files, 0 questions stored, 10 unchanged, ")
    assert "note: the search index missed 1 questions of an interrupted run: indexed from the store" in result.stderr
    assert _index(store).search("eerdere crawl")[0] == 0
    assert [h.iri for h in _index(store).search("DJI besturingsapp")[1]] == [question]
    assert SearchIndex(index_path_for(str(store))).pending() == []
    assert "search index" not in _ingest(store).stderr


def test_each_remote_store_has_caches_of_its_own():
    from kamergraph.indexes.search import index_path_for

    one, other = index_path_for("http://127.0.0.1:7878"), index_path_for("http://127.0.0.1:7879")
    assert one != other and one.parent == other.parent == Path("var")
    # One store however its URL is written: with credentials (the ingest), as its query URL (a server).
    assert index_path_for("http://127.0.0.1:7878") == one
    assert index_path_for("http://user:secret@127.0.0.1:7878/") == one
    assert index_path_for("http://127.0.0.1:7878/query") == one
    assert "secret" not in str(index_path_for("http://user:secret@127.0.0.1:7878"))
    assert index_path_for("var/store") == Path("var/store.search.sqlite")
    from kamergraph.indexes.pages import index_path_for as pages_path_for

    assert pages_path_for("http://127.0.0.1:7878") == one.with_name(one.name.replace("search", "pages"))


def test_a_reader_sees_the_old_index_while_a_refill_runs(tmp_path):
    """A refill is one transaction; in write-ahead-log mode a server's read during it gets the last
    commit at once (in SQLite's default mode the writer locks readers out once its cache spills)."""
    import sqlite3

    from kamergraph.indexes.search import SearchDocument

    path = tmp_path / "index.sqlite"
    index = SearchIndex(path)
    old = "https://kamergraph.nl/id/kamervraag/2019Z00001"
    index.put([SearchDocument(old, "2019Z00001", "2019-01-01", "oud", "een eerdere tekst")])
    seen = []

    def documents():
        for n in range(4000):  # about 8 MB of text: well past the page cache
            yield SearchDocument(f"https://kamergraph.nl/id/kamervraag/2020Z{n:05d}", f"2020Z{n:05d}", "2020-01-01",
                                 f"vraag {n}", "tekst " * 400)
            if n == 3000:
                reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.5)
                seen.append(reader.execute("SELECT count(*) FROM documents").fetchone()[0])
                reader.close()

    index.replace_all(documents(), "https://kamergraph.nl/id/kamervraag/")
    assert seen == [1] and index.count() == 4000
    index.close()


def test_a_refill_keeps_the_documents_under_another_base_iri(tmp_path):
    from kamergraph.indexes.search import SearchDocument

    index = SearchIndex(tmp_path / "index.sqlite")
    ours, theirs = "https://kamergraph.nl/id/kamervraag/", "https://example.org/kg/id/kamervraag/"
    index.put([SearchDocument(ours + "2019Z00001", "2019Z00001", "", "a", "b"),
               SearchDocument(theirs + "2019Z00001", "2019Z00001", "", "a", "b")])
    assert (index.count(), index.count(ours), index.count(theirs)) == (2, 1, 1)
    index.replace_all([SearchDocument(ours + "2019Z00002", "2019Z00002", "", "c", "d")], ours)
    assert (index.count(ours), index.count(theirs)) == (1, 1)
    assert [h.iri for h in index.search("c")[1]] == [ours + "2019Z00002"]
    index.close()


def _found(store_dir, text):
    return sorted(hit.zaak for hit in _index(store_dir).search(text, limit=50)[1])


@pytest.mark.parametrize(("text", "zaken"), [
    # names printed for submitters, answerers: with or without first name, prefix, diacritics, case
    ("Grapperhaus", ["2019Z04512", "2021Z16860"]),
    ("Ferdinand Grapperhaus", ["2019Z04512", "2021Z16860"]),
    ("Laçin", ["2019Z21877"]),
    ("Lacin", ["2019Z21877"]),
    ("cem lacin", ["2019Z21877"]),
    ("Staaij", ["2019Z05301", "2019Z16702"]),
    ("van der Staaij", ["2019Z05301", "2019Z16702"]),
    ("Kees Van der Staaij", ["2019Z05301", "2019Z16702"]),
    ("Dik-Faber", ["2019Z16702"]),
    # zaak numbers and document ids, in any case
    ("2021Z16860", ["2021Z16860"]),
    ("2019z09418", ["2019Z09418"]),
    ("kv-tk-2019Z04512", ["2019Z04512"]),
    ("ah-tk-20212022-753", ["2021Z16860"]),
    ("AH-TK-20182019-3296", ["2019Z11873"]),
    # a word written with an apostrophe, typed with one, another or none
    ("intercitys", ["2019Z21877"]),
    ("intercity’s", ["2019Z21877"]),
    ("intercity's", ["2019Z21877"]),
    ("deurbelcameras", ["2019Z04512"]),
])
def test_names_identifiers_and_apostrophes_are_found_exactly(store_dir, text, zaken):
    assert _found(store_dir, text) == zaken


def test_a_document_id_is_a_phrase_not_loose_words(store_dir):
    # 753 and 20212022 as loose words, in another order, are not the document id
    assert _found(store_dir, "ah-tk-753-20212022") == []
    assert match_expression("ah-tk-20212022-753") == '"ah-tk-20212022-753"*'


def test_snippets_and_titles_keep_their_apostrophes(store_dir):
    index = _index(store_dir)
    total, hits = index.search("intercitys")
    assert total == 1
    assert "\x02intercity’s\x03" in hits[0].snippet
    snippets = index.snippets("risicos", ["https://kamergraph.nl/id/kamervraag/2021Z16860"])
    assert "\x02risico’s\x03" in snippets["https://kamergraph.nl/id/kamervraag/2021Z16860"]
