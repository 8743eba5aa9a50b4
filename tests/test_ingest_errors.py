"""Bad input: one error line ``path:line: message`` per failed file, the rest of the batch stored,
a non-zero exit code, and a store that the failed file did not change in any way.

The bad pages are made in tmp_path from the seed page (examples/000_...), each with one defect;
the expected line numbers are those of the seed (see the comments at each case).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kamergraph.cli import main
from kamergraph.ingest.pipeline import iter_files
from stores import FIXED_TIME, all_quads, copy_store, ingest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SEED = EXAMPLES / "000_7b937e3f333bd3c8.txt"
OTHER = EXAMPLES / "009_e83b7efb311f44a9.txt"  # a good page not yet stored
SEED_TEXT = SEED.read_text(encoding="utf-8")
SEED_LINES = SEED_TEXT.split("\n")  # no final newline: 141 lines
FOOTER = "('Kamervraag document nummer: ...')"


def seed_with(old: str, new: str) -> bytes:
    assert SEED_TEXT.count(old) == 1, old
    return SEED_TEXT.replace(old, new).encode("utf-8")


def first_lines(count: int) -> bytes:
    return ("\n".join(SEED_LINES[:count]) + "\n").encode("utf-8")


# (name, file bytes, line, message); line 0: the whole file (``path: message``, see ingest.errors).
CASES = [
    ("plain.txt", b"Dit is gewoon een tekst over drones.\nGeen Kamervraag.\n", 1,
     "not a Kamervraag page: expected 'Kamervraag <zaak number>', found 'Dit is gewoon een tekst over drones.'"),
    ("page.html", b"\n<!DOCTYPE html>\n<html><head><title>Kamervraag 2021Z16860</title></head></html>\n", 2,
     "not a Kamervraag page: looks like HTML or XML"),
    ("empty.txt", b"", 0, "empty file"),
    ("blank.txt", b"\n   \n\t\n", 0, "empty file"),
    # NUL after two newlines
    ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", 3, "binary file (NUL byte)"),
    # A NUL byte inside the seed, on line 40.
    ("nul.txt", first_lines(39) + b"  Voorafgaand\x00 aan het gebruik\n" + "\n".join(SEED_LINES[40:]).encode(), 40,
     "binary file (NUL byte)"),
    # Cut after Vraag 5's question line (line 38): the blocks run to the end, no footer.
    ("cut-after-vraag-5.txt", first_lines(38), 38,
     f"truncated: the page ends at line 38 without its footer {FOOTER}"),
    # Cut in the middle of that line, without a final newline.
    ("cut-mid-line.txt", SEED_TEXT[: SEED_TEXT.index("Rijkswaterstaat en Defensie over")].encode(), 38,
     f"truncated: the page ends at line 38 without its footer {FOOTER}"),
    # Cut just before the footer (line 138): lines 136 and 137 are blank.
    ("cut-before-footer.txt", SEED_TEXT[: SEED_TEXT.index("Kamervraag document nummer:")].encode(), 137,
     f"truncated: the page ends at line 137 without its footer {FOOTER}"),
    # Latin-1 bytes: the first byte that is not UTF-8 is the « (0xab) on line 13 (the bullet on line
    # 12 has no Latin-1 form and became "?").
    ("latin-1.txt", SEED_TEXT.encode("latin-1", errors="replace"), 13,
     "not valid UTF-8 (byte 0xab); binary or another encoding"),
    ("31-februari.txt", seed_with("Ingediend 30 september 2021", "Ingediend 31 februari 2021"), 5,
     "impossible date '31 februari 2021'"),
    ("unknown-month.txt", seed_with("Ingediend 30 september 2021", "Ingediend 30 septober 2021"), 5,
     "unknown month 'septober' in date '30 septober 2021'"),
    ("unknown-month-notice.txt", seed_with("Mededeling - 21 oktober 2021", "Mededeling - 21 octobre 2021"), 133,
     "unknown month 'octobre' in date '21 octobre 2021'"),
    ("zaak-form.txt", seed_with("Kamervraag 2021Z16860\n", "Kamervraag 2021-16860\n"), 1,
     "zaak number '2021-16860' is not of the form YYYYZNNNNN (e.g. 2021Z16860)"),
    ("zaak-short.txt", seed_with("Kamervraag 2021Z16860\n", "Kamervraag 21Z16860\n"), 1,
     "zaak number '21Z16860' is not of the form YYYYZNNNNN (e.g. 2021Z16860)"),
    ("answered-before.txt",
     seed_with("Beantwoord 18 november 2021 (na 49 dagen)", "Beantwoord 18 september 2021 (na 49 dagen)"), 6,
     "answered on 2021-09-18, before it was submitted on 2021-09-30"),
    ("answered-no-date.txt", seed_with("Beantwoord 18 november 2021 (na 49 dagen)", "Beantwoord"), 6,
     "'Beantwoord' without a date"),
    ("vraag-numbering.txt", seed_with(" • Vraag 2\n", " • Vraag 3\n"), 17, "Vraag 3 where Vraag 2 was expected"),
    ("source-url.txt", seed_with("Bron vraag https://zoek.officielebekendmakingen.nl/kv-tk-2021Z16860.html",
                                 "Bron vraag zie de website"), 10,
     "source URL 'zie de website' is not an http(s) URL"),
    ("document-number.txt", seed_with("nummer: kv-tk-2021Z16860", "nummer: kv tk 2021Z16860"), 138,
     "document number 'kv tk 2021Z16860' is not one word of letters, digits and hyphens"),
    ("other-questions-document.txt", seed_with("nummer: kv-tk-2021Z16860", "nummer: kv-tk-2019Z04512"), 138,
     "the question document 'kv-tk-2019Z04512' is not this question's (kv-tk-2021Z16860)"),
    ("unknown-role.txt", seed_with("(minister justitie en veiligheid)", "(ministerie van justitie)"), 8,
     "unknown cabinet role 'ministerie van justitie'"),
]
IDS = [case[0] for case in CASES]


def error_line(path: Path, line: int, message: str) -> str:
    return f"{path.as_posix()}:{line}: {message}" if line else f"{path.as_posix()}: {message}"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    """A store holding the seed (and the reference graphs): copied for each test."""
    store_dir = tmp_path_factory.mktemp("seeded") / "store"
    assert ingest(store_dir, SEED).errors == []
    return store_dir


@pytest.fixture(scope="module")
def seeded_quads(seeded) -> set:
    return all_quads(seeded)


@pytest.fixture(scope="module")
def seeded_and_other_quads(seeded, tmp_path_factory) -> set:
    """What the store holds after the good files of a batch: the seed and OTHER."""
    store_dir = tmp_path_factory.mktemp("expected") / "store"
    shutil.copytree(seeded, store_dir)
    assert ingest(store_dir, SEED, OTHER).errors == []
    return all_quads(store_dir)


@pytest.fixture
def store(seeded, tmp_path) -> Path:
    return copy_store(seeded, tmp_path / "store")


def test_the_cases_are_made_as_described():
    """Sanity of the fixtures themselves: the lines the cases name hold what the comments say."""
    assert SEED_LINES[4] == "Ingediend 30 september 2021"  # line 5
    assert SEED_LINES[5].startswith("Beantwoord 18 november")  # line 6
    assert SEED_LINES[36].strip() == "• Vraag 5"  # line 37
    assert SEED_LINES[37].strip().startswith("Is er contact geweest")  # line 38
    assert SEED_LINES[16].strip() == "• Vraag 2"  # line 17
    assert SEED_LINES[132].strip() == "• Mededeling - 21 oktober 2021"  # line 133
    assert SEED_LINES[137].startswith("Kamervraag document nummer:")  # line 138
    assert SEED_LINES[135:137] == ["", ""]
    assert SEED_LINES[12].strip().startswith("Bent u bekend met de artikelen «")  # line 13
    assert all(line.isascii() for line in SEED_LINES[:11])


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bad")
    for name, data, _, _ in CASES:
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture(scope="module")
def batch(seeded, bad_files, tmp_path_factory):
    """The stored seed again plus every bad file, in one batch: (report, the store's quads after)."""
    store_dir = tmp_path_factory.mktemp("batch") / "store"
    shutil.copytree(seeded, store_dir)
    report = ingest(store_dir, SEED, *(bad_files / name for name, _, _, _ in CASES))
    return report, all_quads(store_dir)


@pytest.mark.parametrize("name, data, line, message", CASES, ids=IDS)
def test_bad_file_gives_exactly_one_error_line(batch, bad_files, name, data, line, message):
    report, _ = batch
    path = (bad_files / name).as_posix()
    mine = [error for error in report.errors if error.startswith(path + ":")]
    assert mine == [error_line(bad_files / name, line, message)]


def test_bad_files_leave_the_store_unchanged(batch, seeded_quads):
    report, after = batch
    assert len(report.errors) == len(CASES)
    assert (report.files, report.questions, report.unchanged) == (len(CASES) + 1, 0, 1)
    # The full set of quads, graph names included, is the one the seed alone left.
    assert after == seeded_quads


def test_cli_batch_with_every_bad_file(store, seeded_and_other_quads, tmp_path):
    """All bad files in one batch with the stored seed and a new good page, through the CLI."""
    folder = tmp_path / "batch"
    folder.mkdir()
    paths = []
    for name, data, _, _ in CASES:
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    result = CliRunner().invoke(
        main, ["ingest", "--store", str(store), "--no-progress", str(SEED), *map(str, paths), str(OTHER)],
        env={"SOURCE_DATE_EPOCH": str(int(FIXED_TIME.timestamp())), "KAMERGRAPH_BASE_IRI": None},
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    # One line per failed file, in the order of the batch, each naming the file, line and problem.
    assert result.stderr.splitlines() == [
        error_line(folder / name, line, message) for name, _, line, message in CASES
    ]
    count = len(CASES) + 2
    assert result.stdout.startswith(
        f"{count} files, 1 questions stored, 1 unchanged, 0 superseded, "
    )
    assert f", {len(CASES)} errors, " in result.stdout
    # The good page of the batch is stored; the bad ones left no trace.
    assert all_quads(store) == seeded_and_other_quads


def test_cli_error_line_is_exactly_file_line_message(store, tmp_path):
    bad = tmp_path / "31-februari.txt"
    bad.write_bytes(seed_with("Ingediend 30 september 2021", "Ingediend 31 februari 2021"))
    result = CliRunner().invoke(main, ["ingest", "--store", str(store), "--no-progress", str(bad)],
                                env={"KAMERGRAPH_BASE_IRI": None})
    assert result.stderr.splitlines() == [f"{bad.as_posix()}:5: impossible date '31 februari 2021'"]


def test_unreadable_file_in_a_folder(store, seeded_and_other_quads, tmp_path):
    """A dangling symlink among the pages: one 'cannot read' line, the other pages stored."""
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(SEED, folder / "a.txt")
    (folder / "b.txt").symlink_to(tmp_path / "gone.txt")
    shutil.copy(OTHER, folder / "c.txt")
    shutil.copy(OTHER, folder / ".hidden.txt")  # hidden files are left out
    report = ingest(store, folder)
    assert report.errors == [f"{(folder / 'b.txt').as_posix()}: cannot read: No such file or directory"]
    assert (report.files, report.questions, report.unchanged) == (3, 1, 1)
    assert {q.graph_name.value for q in all_quads(store)} >= {
        "https://kamergraph.nl/graph/kamervraag/2021Z16860", "https://kamergraph.nl/graph/kamervraag/2019Z08003"}


def test_failed_file_does_not_replace_the_stored_version(store, seeded_quads, tmp_path):
    """A broken later crawl of a stored zaak (same zaak, cut short) leaves the stored one alone."""
    bad = tmp_path / "2021Z16860-later.txt"
    bad.write_bytes(first_lines(38))
    report = ingest(store, bad)
    assert report.errors == [error_line(bad, 38, f"truncated: the page ends at line 38 without its footer {FOOTER}")]
    assert all_quads(store) == seeded_quads


def test_unexpected_error_in_one_file_does_not_abort_the_batch(store, seeded_quads, tmp_path, monkeypatch):
    from kamergraph.ingest.mapping import Mapper

    original = Mapper.question

    def question(self, record, source):
        if record.zaak == "2019Z08003":
            raise ValueError("Invalid IRI code point ' '")  # what pyoxigraph.NamedNode raises
        return original(self, record, source)

    monkeypatch.setattr(Mapper, "question", question)
    page = tmp_path / "009.txt"
    shutil.copy(OTHER, page)
    report = ingest(store, page, SEED)
    assert len(report.errors) == 1 and report.errors[0].startswith(page.as_posix() + ": ")
    assert all_quads(store) == seeded_quads


def test_a_folder_walk_leaves_out_hidden_files_stores_and_their_indexes(tmp_path):
    (tmp_path / "b.txt").write_text("page")
    (tmp_path / "a.txt").write_text("page")
    (tmp_path / ".hidden.txt").write_text("not a page")
    store = tmp_path / "store"
    store.mkdir()
    (store / "CURRENT").write_text("MANIFEST-000001\n")
    (store / "MANIFEST-000001").write_bytes(b"")
    for name in ("store.search.sqlite", "store.search.sqlite-wal", "store.pages.sqlite", "store.pages.sqlite.lock"):
        (tmp_path / name).write_bytes(b"SQLite format 3\x00")
    assert list(iter_files([tmp_path])) == [tmp_path / "a.txt", tmp_path / "b.txt"]
