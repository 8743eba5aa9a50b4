"""The benchmark page generator (benchmarks/generate.py): deterministic for a seed, shaped like the
real pages, and every page it writes is one the product reads: 300 pages parse, ingest with no
error into 300 questions, and ``kamergraph validate`` passes on the store.
"""
from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from statistics import median

import pytest

from kamergraph.ingest.parse import parse_page
from kamergraph.ingest.records import WarningKind
from stores import cli

ROOT = Path(__file__).resolve().parent.parent
COUNT = 300


def _load_generator():
    spec = importlib.util.spec_from_file_location("kamergraph_bench_generate", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


generate = _load_generator()


@pytest.fixture(scope="module")
def pages() -> list[tuple[str, str]]:
    return list(generate.generate_pages(COUNT, seed=1))


@pytest.fixture(scope="module")
def records(pages):
    return [parse_page(text) for _, text in pages]


def test_same_seed_same_bytes(pages):
    again = list(generate.generate_pages(COUNT, seed=1))
    assert [(name, text.encode("utf-8")) for name, text in again] == [
        (name, text.encode("utf-8")) for name, text in pages
    ]


def test_other_seed_other_pages(pages):
    other = list(generate.generate_pages(COUNT, seed=2))
    assert len(other) == COUNT
    assert [text for _, text in other] != [text for _, text in pages]
    assert len({text for _, text in other} & {text for _, text in pages}) == 0


def test_written_files_are_the_generated_pages(tmp_path, pages):
    assert generate.main(["--count", "20", "--seed", "1", "--out", str(tmp_path)]) == 0
    written = sorted(path.name for path in tmp_path.iterdir())
    expected = list(generate.generate_pages(20, seed=1))
    assert written == [name for name, _ in expected]
    for name, text in expected:
        assert (tmp_path / name).read_bytes() == text.encode("utf-8")


def test_every_page_parses_without_warnings(records):
    assert len(records) == COUNT
    for record in records:
        # Only the deliberate encoding damage (ƫ for ë) may leave a warning; never an unknown topic.
        assert {w.kind for w in record.warnings} <= {WarningKind.ENCODING_REPAIRED}, (record.zaak, record.warnings)


def test_zaak_numbers_unique_with_the_year_of_submission(records):
    zaken = [r.zaak for r in records]
    assert len(set(zaken)) == COUNT
    for record in records:
        assert re.fullmatch(r"\d{4}Z\d{5}", record.zaak)
        assert int(record.zaak[:4]) == record.submitted.year
        assert date(2008, 1, 1) <= record.submitted <= date(2024, 12, 31)
        if record.answered:
            assert record.answered <= date(2024, 12, 31)
            assert record.days == (record.answered - record.submitted).days


def test_distributions_look_like_the_real_ones(records, pages):
    n = len(records)
    submitters = Counter(len(r.submitters) for r in records)
    assert set(submitters) <= {1, 2, 3, 4}
    assert submitters[1] + submitters[2] > 0.75 * n
    assert submitters[3] + submitters[4] > 0
    answered = [r for r in records if r.is_answered]
    assert 0.78 <= len(answered) / n <= 0.92
    assert 25 <= median(r.days for r in answered) <= 45
    assert max(r.days for r in answered) > 100
    assert all(1 <= len(r.subquestions) <= 25 for r in records)
    assert 5 <= median(len(r.subquestions) for r in records) <= 7
    assert 0.2 <= sum(bool(r.notices) for r in records) / n <= 0.4
    assert any(len(r.notices) == 2 for r in records)
    marked = sum(any(s.question_footnotes or s.answer_footnotes for s in r.subquestions) for r in records)
    assert 0.1 <= marked / n <= 0.3
    assert any(r.footnotes for r in records)
    assert all(1 <= len(r.topics) <= 5 for r in records)
    subs = [s for r in records for s in r.subquestions]
    assert all(90 <= len(s.question) <= 420 for s in subs)
    texts = [s.answer for s in subs if s.answer and not s.combined and s.answer not in ("Ja.", "Nee.")]
    assert all(50 <= len(t) <= 2100 for t in texts)
    assert any(s.combined for s in subs) and any(s.refers_to and not s.combined for s in subs)
    assert any(m.party is None for r in records for m in r.submitters)
    # The answerers and their roles in the printed forms.
    roles = Counter(role.kind for r in records for a in r.answerers for role in a.roles)
    assert roles["minister"] and roles["staatssecretaris"] and roles["minister voor"]
    assert roles["viceminister-president"]
    assert all(1 <= len(r.answerers) <= 2 for r in answered)
    # Both indentation styles; the footer on every page.
    texts = [text for _, text in pages]
    assert any("\n • Vraag 1\n  " in t for t in texts) and any("\n  • Vraag 1\n    " in t for t in texts)
    assert all(r.question_document == f"kv-tk-{r.zaak}" for r in records)
    assert all(bool(r.answer_document) == r.is_answered for r in records)


# The years in which the pages print each ministry name (the cabinets' own names).
NAME_PERIODS = {
    "justitie": (date(2007, 2, 22), date(2010, 10, 14)),
    "verkeer en waterstaat": (date(2007, 2, 22), date(2010, 10, 14)),
    "volkshuisvesting, ruimtelijke ordening en milieubeheer": (date(2007, 2, 22), date(2010, 10, 14)),
    "economische zaken, landbouw en innovatie": (date(2010, 10, 14), date(2012, 11, 5)),
    "veiligheid en justitie": (date(2010, 10, 14), date(2017, 10, 26)),
    "infrastructuur en milieu": (date(2010, 10, 14), date(2017, 10, 26)),
    "infrastructuur en waterstaat": (date(2017, 10, 26), date(2099, 1, 1)),
    "justitie en veiligheid": (date(2017, 10, 26), date(2099, 1, 1)),
    "economische zaken en klimaat": (date(2017, 10, 26), date(2024, 7, 2)),
    "asiel en migratie": (date(2024, 7, 2), date(2099, 1, 1)),
    "klimaat en groene groei": (date(2024, 7, 2), date(2099, 1, 1)),
    "landbouw, visserij, voedselzekerheid en natuur": (date(2024, 7, 2), date(2099, 1, 1)),
}


def test_ministry_names_valid_on_the_answer_date():
    """A ministry name is printed only in the years the ministry carried it."""
    records = [parse_page(text) for _, text in generate.generate_pages(2000, seed=3)]
    seen: dict[str, list[date]] = {}
    for record in records:
        for answerer in record.answerers:
            for role in answerer.roles:
                if role.kind in ("minister", "staatssecretaris"):
                    seen.setdefault(role.portfolio, []).append(record.answered)
    assert len(set(seen) & set(NAME_PERIODS)) >= 8, sorted(seen)
    for name, (start, end) in NAME_PERIODS.items():
        for day in seen.get(name, ()):
            assert start <= day < end, (name, day)


def test_pages_ingest_and_validate(tmp_path, pages):
    folder = tmp_path / "pages"
    folder.mkdir()
    for name, text in pages:
        (folder / name).write_bytes(text.encode("utf-8"))
    store = tmp_path / "store"
    result = cli("ingest", "--store", str(store), "--no-progress", str(folder))
    assert result.exit_code == 0, result.output
    summary = result.output.strip().splitlines()[-1]
    assert re.search(rf"\b{COUNT} files, {COUNT} questions stored\b", summary), summary
    assert re.search(r"\b0 errors\b", summary), summary
    validated = cli("validate", "--store", str(store))
    assert validated.exit_code == 0, validated.output
    assert re.search(r"\b0 violations\b", validated.output), validated.output


def test_large_counts_keep_zaak_numbers_in_range():
    """100,000 pages (about 5,900 a year) still fit the five digits of a zaak number."""
    generator = generate._Generator(100_000, seed=1)
    assert generator.max_step * (100_000 * 366 / ((date(2024, 12, 31) - date(2008, 1, 1)).days + 1)) + 400 < 99_999
