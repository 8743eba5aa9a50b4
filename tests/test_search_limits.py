"""Search costs time in proportion to the text it shows and stops at its time limit (issue 16).

FTS5's snippet() cost the square of the matches in a document: 1,000 / 4,000 / 16,000 matches took
0.01 / 0.35 / 4.64 s, a 15 MB page more than half an hour, in the web process."""
from __future__ import annotations

import time

import pytest

from kamergraph.indexes.search import (
    SearchDocument,
    SearchIndex,
    SearchTimeout,
    index_path_for,
    query_words,
    snippet,
)
from stores import copy_store


def _document(number: int, body: str, title: str = "Vragen") -> SearchDocument:
    return SearchDocument(iri=f"urn:x-test:q{number}", zaak=f"2021Z{number:05d}", submitted="2021-01-01",
                          title=title, body=body)


@pytest.fixture(scope="module")
def heavy_index(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "heavy.sqlite"
    index = SearchIndex(path)
    index.put([_document(n, " ".join(["luchtvaart schiphol"] * n)) for n in (1_000, 4_000, 16_000, 64_000)])
    index.put([_document(99_999, "luchtvaart " + "x" * 15_000_000)])  # one line of 15 MB
    index.close()
    reader = SearchIndex(path, read_only=True)
    yield reader
    reader.close()


@pytest.mark.parametrize("words", ["luchtvaart", "schiphol luchtvaart", "luchtv"])
def test_documents_with_many_matches_are_searched_in_linear_time(heavy_index, words):
    started = time.monotonic()
    matches = heavy_index.find(words, limit=20, offset=0)
    took = time.monotonic() - started
    print(f"{words!r}: {matches.total} documents, {took * 1000:.0f} ms")
    assert matches.total == (5 if words != "schiphol luchtvaart" else 4)
    assert took < 1.0
    assert all("\x02luchtvaart\x03" in hit.snippet for hit in matches.hits)


def test_a_snippet_shows_the_words_around_the_first_match():
    body = ("Zijn de vragen gesteld. " * 10 + "De minister van Financiën zegt dat de begroting klopt, "
            "en dat de financiën van het Rijk op orde zijn. " + "Verder niets. " * 10)
    assert snippet(body, query_words("financien")) == (
        "…de vragen gesteld. De minister van \x02Financiën\x03 zegt dat de begroting klopt, en dat de "
        "\x02financiën\x03 van het Rijk op orde zijn. Verder niets…")  # 24 words, six before the first match
    assert snippet("Over de luchtvaart", query_words("luchtv")) == "Over de \x02luchtvaart\x03"
    assert snippet("Geen treffer hier.", query_words("luchtv")) is None
    assert snippet("De \x02 begroting.", query_words("begroting")) == "De  \x02begroting\x03."  # a stored mark goes


def test_a_search_past_its_time_limit_is_stopped(tmp_path):
    index = SearchIndex(tmp_path / "many.sqlite")
    index.put([_document(n, f"een vraag over de begroting nummer {n}") for n in range(30_000)])
    index.close()
    reader = SearchIndex(tmp_path / "many.sqlite", read_only=True)
    try:
        with pytest.raises(SearchTimeout, match=r"the search ran longer than 0\.001 s"):
            reader.find("begroting", limit=20, offset=0, time_limit=0.001)
        assert reader.find("begroting", limit=20, offset=0, time_limit=30).total == 30_000  # the connection is fine
    finally:
        reader.close()


def test_the_search_page_answers_503_past_the_time_limit(store_dir, tmp_path):
    from kamergraph.config import Settings
    from kamergraph.endpoint import create_app

    store = copy_store(store_dir, tmp_path / "store")
    index = SearchIndex(index_path_for(str(store)))
    index.put([_document(n, f"een vraag over de begroting nummer {n}") for n in range(30_000)])
    index.close()
    app = create_app(Settings(store=str(store), query_timeout=0.001))
    try:
        response = app.test_client().get("/search?q=begroting", headers={"Accept": "text/plain"})
        assert response.status_code == 503
        assert response.data == (b"The search ran longer than its time limit of 0.001 s; try more or other words.\n")
    finally:
        app.extensions["kamergraph"].close()
