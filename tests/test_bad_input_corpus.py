"""The bad-input corpus (tests/badinput/pages): each file's outcome as expected.tsv says, in one batch."""
from __future__ import annotations

import csv
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kamergraph.config import Settings
from kamergraph.graph import open_store
from kamergraph.ingest.errors import PageError
from kamergraph.ingest.parse import parse_page
from kamergraph.ingest.pipeline import decode_page, ingest_paths
from kamergraph.ontology.terms import KG

HERE = Path(__file__).resolve().parent
TABLE = HERE / "badinput" / "expected.tsv"
CORPUS = HERE / "badinput" / "pages"
SEED = HERE.parent / "examples" / "000_7b937e3f333bd3c8.txt"
SETTINGS = Settings(ingest_time=datetime(2026, 1, 1, tzinfo=UTC))
EXPECTED = list(csv.DictReader(TABLE.read_text(encoding="utf-8").splitlines(keepends=True), delimiter="\t"))


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The seed stored first, then the whole corpus ingested as one batch beside it again."""
    store = open_store(str(tmp_path_factory.mktemp("corpus") / "store"))
    ingest_paths(store, [SEED], SETTINGS)
    before = {q for q in store.quads() if "2021Z16860" in q.graph_name.value}
    report = ingest_paths(store, [CORPUS, SEED], SETTINGS)
    return store, report, before


def test_corpus_and_table_agree():
    files = {p.name for p in CORPUS.iterdir()}
    assert files == {row["file"] for row in EXPECTED}


@pytest.mark.parametrize("row", [r for r in EXPECTED if r["outcome"] == "error"], ids=lambda r: r["file"])
def test_error_names_file_line_and_problem(batch, row):
    _, report, _ = batch
    path = (CORPUS / row["file"]).as_posix()
    where = f"{path}:{row['line']}" if row["line"] != "0" else path
    assert f"{where}: {row['message or flags']}" in report.errors


@pytest.mark.parametrize("row", [r for r in EXPECTED if r["outcome"] == "stored"], ids=lambda r: r["file"])
def test_stored_with_the_unknown_part_flagged(batch, row):
    store, _, _ = batch
    zaak = re.search(r"Kamervraag (\S+)", (CORPUS / row["file"]).read_text(encoding="utf-8")).group(1)
    question = next(q.subject for q in store.quads_for_predicate(KG.zaakNumber) if q.object.value == zaak)
    flags = {o.value for o in store.objects(question, KG.flag, store_graph(zaak))}
    assert flags == {row["message or flags"]}


def store_graph(zaak):
    from pyoxigraph import NamedNode

    return NamedNode(f"https://kamergraph.nl/graph/kamervraag/{zaak}")


def test_the_batch_goes_on_and_the_stored_question_is_unchanged(batch):
    store, report, before = batch
    errors = sum(1 for r in EXPECTED if r["outcome"] == "error")
    assert (report.files, len(report.errors), report.questions, report.unchanged) == (len(EXPECTED) + 1, errors, 4, 1)
    assert {q for q in store.quads() if "2021Z16860" in q.graph_name.value} == before


SEED_LINES = SEED.read_text(encoding="utf-8").split("\n")
FOOTER_LINE = next(i for i, line in enumerate(SEED_LINES) if line.startswith("Kamervraag document nummer:"))


@pytest.mark.parametrize("keep", range(len(SEED_LINES)))
def test_seed_truncated_at_every_line(keep):
    """Cut after ``keep`` lines: an error naming a line until the footer begins, a record after."""
    text = "\n".join(SEED_LINES[:keep])
    if keep <= FOOTER_LINE:
        with pytest.raises(PageError) as caught:
            parse_page(decode_page(text.encode("utf-8")))
        error = caught.value
        assert error.message
        assert (error.line >= 1) if keep else (error.line == 0 and error.message == "empty file")
        assert error.line <= max(keep, 1)
    else:
        record = parse_page(decode_page(text.encode("utf-8")))
        assert record.zaak == "2021Z16860" and len(record.subquestions) == 22


def test_a_ten_megabyte_line_is_refused(tmp_path):
    page = tmp_path / "long-line.txt"
    page.write_text(SEED.read_text(encoding="utf-8").replace("  Ja.\n", "  " + "Ja. " * 2_621_440 + "\n"),
                    encoding="utf-8")
    store = open_store(str(tmp_path / "store"))
    report = ingest_paths(store, [page], SETTINGS)
    assert report.errors == [f"{page.as_posix()}:15: line is 10485762 characters long, more than 1000000"]
    assert report.questions == 0
