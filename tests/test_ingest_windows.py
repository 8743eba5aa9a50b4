"""Worker processes take the files a window at a time: every file is paired with its own outcome,
in file order, across window boundaries, and the store ends up exactly as a one-process ingest
leaves it. The windows are made small here so that 30 files span several of them. Also: a batch
looks up in the store only the graphs it already holds."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kamergraph.ingest import pipeline
from stores import all_quads, ingest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PAGES = 30
BAD = {4: b"", 8: b"\x00binary", 23: b"  \n"}  # positions: inside, on and past window edges of 8
MESSAGES = {4: ": empty file", 8: ":1: binary file (NUL byte)", 23: ": empty file"}


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> Path:
    """Distinct questions (the examples with fresh zaak numbers) with bad files between them."""
    folder = tmp_path_factory.mktemp("windows") / "pages"
    folder.mkdir()
    sources = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    for number in range(PAGES):
        path = folder / f"page{number:03d}.txt"
        if number in BAD:
            path.write_bytes(BAD[number])
            continue
        text = sources[number % len(sources)]
        zaak = re.search(r"Kamervraag (\d{4}Z\d{5})", text).group(1)
        path.write_text(text.replace(zaak, f"{zaak[:5]}{number:05d}"), encoding="utf-8")
    return folder


def test_windows_pair_each_file_with_its_outcome(pages, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "WINDOW", 8)
    monkeypatch.setattr(pipeline, "PARALLEL_THRESHOLD", 4)
    seen: list[Path] = []
    windowed = ingest(tmp_path / "windowed", pages, workers=2, batch_size=5, on_file=seen.append)
    one_process = ingest(tmp_path / "serial", pages, workers=0, batch_size=5)

    assert seen == sorted(pages.iterdir())
    expected_errors = [f"{(pages / f'page{n:03d}.txt').as_posix()}{MESSAGES[n]}" for n in sorted(BAD)]
    assert windowed.errors == one_process.errors == expected_errors
    assert ((windowed.files, windowed.questions) == (one_process.files, one_process.questions)
            == (PAGES, PAGES - len(BAD)))
    assert all_quads(tmp_path / "windowed") == all_quads(tmp_path / "serial")


def test_a_window_shorter_than_the_threshold_is_read_in_this_process(pages, tmp_path, monkeypatch):
    """Fewer files than the threshold: no worker processes, and every file is still read."""
    monkeypatch.setattr(pipeline, "PARALLEL_THRESHOLD", PAGES + 1)
    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", None)  # any use of it fails the test
    report = ingest(tmp_path / "store", pages, workers=2)
    assert (report.files, report.questions, len(report.errors)) == (PAGES, PAGES - len(BAD), len(BAD))


def test_only_graphs_already_stored_are_looked_up(pages, tmp_path, monkeypatch):
    """A batch looks up the stored source hash only of graphs the store already holds (or that this
    run has written): on a first ingest none, on a rerun each stored graph once."""
    from kamergraph.graph.embedded import EmbeddedStore
    from kamergraph.ontology.terms import KG

    looked_up: list[str] = []
    self_statements = EmbeddedStore.self_statements

    def counting(self, predicate, graphs):
        if predicate == KG.sourceHash:
            looked_up.extend(graph.value for graph in graphs)
        return self_statements(self, predicate, graphs)

    monkeypatch.setattr(EmbeddedStore, "self_statements", counting)
    first = ingest(tmp_path / "store", pages, workers=0, batch_size=5)
    assert (first.questions, looked_up) == (PAGES - len(BAD), [])

    # Change one page: the rerun skips the unchanged files before parsing and looks up the one graph.
    changed = sorted(pages.iterdir())[0]
    original = changed.read_text(encoding="utf-8")
    changed.write_text(original.replace("\n\n", "\n\n\n", 1), encoding="utf-8")
    try:
        second = ingest(tmp_path / "store", pages, workers=0, batch_size=5)
    finally:
        changed.write_text(original, encoding="utf-8")
    zaak = re.search(r"Kamervraag (\d{4}Z\d{5})", original).group(1)
    assert (second.questions, second.unchanged) == (1, PAGES - len(BAD) - 1)
    assert looked_up == [f"https://kamergraph.nl/graph/kamervraag/{zaak}"]


def test_a_remote_store_has_every_graph_looked_up(tmp_path):
    """A remote store may cut a long answer short without saying so, so a graph missing from the
    scan at the start is not taken as new there (it would be added to, not replaced)."""
    from kamergraph.graph import open_store
    from kamergraph.graph.remote import RemoteStore
    from kamergraph.ingest.pipeline import Ingestor

    assert Ingestor(RemoteStore("http://127.0.0.1:9/sparql"), "https://kamergraph.nl/").stored_graphs is None
    embedded = open_store(str(tmp_path / "store"))
    try:
        assert Ingestor(embedded, "https://kamergraph.nl/").stored_graphs == set()
    finally:
        embedded.close()
