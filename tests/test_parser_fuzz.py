"""Property-based tests (hypothesis): whatever bytes come in, the reader answers with a record or a
PageError that names a line, never another exception; names always give valid IRI segments, and
two names give the same segment exactly when they are the same words.

What holds for slugs (ingest.names.slug): slug(a) == slug(b) exactly when the folded names have the
same words, a word being a maximal run of letters and digits of fold(). So "a-b" and "a b" (which
fold differently: fold keeps the hyphen) share the slug "a-b" on purpose, while names whose folds
differ in any letter or digit never share a slug; in particular two names whose folds are different
strings of letters and digits only never do.
"""
from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import NamedNode

from kamergraph.ingest.errors import PageError
from kamergraph.ingest.mapping import Mapper, Source
from kamergraph.ingest.names import fold, slug
from kamergraph.ingest.parse import parse_page
from kamergraph.ingest.pipeline import decode_page
from kamergraph.ingest.records import Kamervraag
from kamergraph.ingest.refdata import load_reference
from kamergraph.ingest.validate import Validator
from kamergraph.iris import Iris

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PAGES = [path.read_bytes() for path in sorted(EXAMPLES.glob("*.txt"))]
SLUG = re.compile(r"[a-z0-9-]+")
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that the page format gives meaning to, so that insertions often land on a real path.
FRAGMENTS = [
    "•", " • Vraag 3", " • Mededeling - 1 mei 2019", "Vraag", "Beantwoord ", "Beantwoord door ", "Indiener ",
    "Indieners ", "Ingediend ", "Onderwerpen ", "Bron vraag ", "Bron antwoord ", "Kamervraag ",
    "Kamervraag document nummer: ", "Kamerantwoord document nummer: ", "Volledige titel: ", "1. ",
    "(minister ", "(staatssecretaris ", ")", "(", ",", "»2?", ".3", " 31 februari 2021", " 1 januari 2019",
    "(na 5 dagen)", "Zie antwoord vraag 2.", "ƫ", "Ã«", "\t", "\r", "\u2028", "\ufeff", "\x85", "2021Z16860",
]

mutation = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 200)),
    st.tuples(st.just("duplicate"), st.integers(0, 200), st.integers(0, 200)),
    st.tuples(st.just("swap"), st.integers(0, 200), st.integers(0, 200)),
    st.tuples(st.just("insert-text"), st.integers(0, 200), st.integers(0, 300),
              st.one_of(st.text(max_size=20), st.sampled_from(FRAGMENTS))),
    st.tuples(st.just("insert-line"), st.integers(0, 200), st.one_of(st.text(max_size=40), st.sampled_from(FRAGMENTS))),
    st.tuples(st.just("insert-bytes"), st.integers(0, 200), st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("truncate"), st.floats(0, 1)),
    # The header (lines 1-15) is where most fields are: edit it more often.
    st.tuples(st.just("insert-text"), st.integers(0, 14), st.integers(0, 300),
              st.one_of(st.text(max_size=8), st.sampled_from(FRAGMENTS))),
    st.tuples(st.just("cut-line"), st.integers(0, 14), st.integers(0, 80)),
)


def mutate(page: bytes, mutations) -> bytes:
    lines = page.split(b"\n")
    for op, *args in mutations:
        at = args[0] % len(lines) if lines and op != "truncate" else 0
        if op == "delete" and lines:
            del lines[at]
        elif op == "duplicate" and lines:
            lines.insert(args[1] % (len(lines) + 1), lines[at])
        elif op == "swap" and lines:
            other = args[1] % len(lines)
            lines[at], lines[other] = lines[other], lines[at]
        elif op == "insert-text" and lines:
            line = lines[at].decode("utf-8", "replace")
            cut = args[1] % (len(line) + 1)
            lines[at] = (line[:cut] + args[2] + line[cut:]).encode("utf-8", "surrogatepass")
        elif op == "insert-line":
            lines.insert(at, args[1].encode("utf-8", "surrogatepass"))
        elif op == "insert-bytes":
            lines.insert(at, args[1])
        elif op == "cut-line" and lines:
            lines[at] = lines[at][: args[1]]
        elif op == "truncate":
            data = b"\n".join(lines)
            lines = data[: int(len(data) * args[0])].split(b"\n")
    return b"\n".join(lines)


@pytest.fixture(scope="module")
def mapper() -> Mapper:
    return Mapper(Iris(), load_reference())


SOURCE = Source("fuzz.txt", "0" * 64, datetime(2024, 1, 1, tzinfo=UTC), "kamergraph test")


def read(data: bytes) -> Kamervraag | PageError:
    """The record, or the PageError; any other exception fails the test."""
    try:
        return parse_page(decode_page(data))
    except PageError as error:
        assert isinstance(error.line, int) and 0 <= error.line <= data.count(b"\n") + 1, error.line
        assert error.message and "\n" not in error.message
        where = error.located("page.txt")
        assert where == (f"page.txt:{error.line}: {error.message}" if error.line else f"page.txt: {error.message}")
        return error


@pytest.mark.slow
@FUZZ
@given(page=st.sampled_from(PAGES), mutations=st.lists(mutation, min_size=1, max_size=5))
def test_mutated_pages_give_a_record_or_a_page_error(mapper, page, mutations):
    outcome = read(mutate(page, mutations))
    if isinstance(outcome, Kamervraag):
        # What the parser accepts, the mapping turns into quads and the validator checks, without
        # an exception: every IRI it makes from the page is a valid one.
        mapped = mapper.question(outcome, SOURCE)
        Validator().validate(mapped.quads + mapped.entities)
        # The N-Quads the ingest writes by hand are what pyoxigraph's serialiser writes, byte for
        # byte, whatever text the page carried.
        assert mapped.nquads() == pyoxigraph.serialize(mapped.quads, format=pyoxigraph.RdfFormat.N_QUADS)


@pytest.mark.slow
@FUZZ
@given(text=st.text())
def test_hand_written_nquads_match_the_serialiser_for_any_text(mapper, text):
    record = parse_page(decode_page(PAGES[0]))
    record = dataclasses.replace(record, title=text)
    mapped = mapper.question(record, SOURCE)
    assert mapped.nquads() == pyoxigraph.serialize(mapped.quads, format=pyoxigraph.RdfFormat.N_QUADS)
    parsed = pyoxigraph.parse(mapped.nquads(), format=pyoxigraph.RdfFormat.N_QUADS)
    assert pyoxigraph.Literal(text) in {q.object for q in parsed}


@pytest.mark.slow
@FUZZ
@given(data=st.binary(max_size=2000))
def test_random_bytes_give_a_record_or_a_page_error(data):
    assert isinstance(read(data), PageError)


@pytest.mark.slow
@FUZZ
@given(page=st.sampled_from(PAGES), at=st.floats(0, 1))
def test_truncated_pages_give_a_page_error(page, at):
    cut = page[: int(len(page) * at)]
    footer = page.index(b"Kamervraag document nummer:")
    outcome = read(cut)
    # Cut before the footer: never a record (the footer is what shows the page is whole).
    if len(cut) <= footer:
        assert isinstance(outcome, PageError)


def test_unmutated_pages_are_records():
    assert all(isinstance(read(page), Kamervraag) for page in PAGES)


# -- names


def words(name: str) -> list[str]:
    return "".join(c if c.isalnum() else " " for c in fold(name)).split()


@pytest.mark.slow
@FUZZ
@given(name=st.text())
def test_any_name_gives_a_valid_iri(name):
    value = slug(name)
    assert SLUG.fullmatch(value), value
    assert NamedNode(Iris().thing("person", value).value).value.endswith("/persoon/" + value)


# A small alphabet makes near-collisions frequent: case, hyphens, spaces, dots, diacritics, letters
# that fold() keeps outside a-z, digits.
NAMEISH = st.text(alphabet="aAbäB- .'1²ωΩœ", max_size=6)


@pytest.mark.slow
@FUZZ
@given(one=NAMEISH, other=NAMEISH)
def test_same_slug_exactly_when_same_words(one, other):
    if words(one) and words(other):
        assert (slug(one) == slug(other)) == (words(one) == words(other))
    elif words(one) != words(other):
        assert slug(one) != slug(other)


@pytest.mark.slow
@FUZZ
@given(one=st.text(alphabet="aAäbBωΩœ1²", min_size=1, max_size=4),
       other=st.text(alphabet="aAäbBωΩœ1²", min_size=1, max_size=4))
def test_different_alphanumeric_folds_give_different_slugs(one, other):
    if fold(one) != fold(other) and fold(one).isalnum() and fold(other).isalnum():
        assert slug(one) != slug(other)


def test_folds_that_differ_only_in_punctuation_share_a_slug():
    assert fold("a-b") != fold("a b")
    assert slug("a-b") == slug("a b") == "a-b"
    assert slug("Dik-Faber") == slug("Dik Faber") == slug("dik.faber")


SEED_TEXT = (EXAMPLES / "000_7b937e3f333bd3c8.txt").read_text(encoding="utf-8")
SEED_URL = "https://zoek.officielebekendmakingen.nl/kv-tk-2021Z16860.html"
URLISH = st.one_of(
    st.from_regex(r"https?://[a-z0-9.-]{1,12}(:[0-9]{0,4})?(/[-A-Za-z0-9._~!$&'()*+,;=:@%/?#\[\]<>\"{}|^` ]{0,20})?",
                  fullmatch=True),
    st.text(max_size=30),
)


@pytest.mark.slow
@FUZZ
@given(url=URLISH,
       document=st.one_of(st.from_regex(r"[-A-Za-z0-9._ /#<>]{1,20}", fullmatch=True), st.text(max_size=20)))
def test_what_the_parser_accepts_as_url_or_document_number_makes_an_iri(url, document):
    text = SEED_TEXT.replace("Bron vraag " + SEED_URL, "Bron vraag " + url).replace(
        "Kamervraag document nummer: kv-tk-2021Z16860", "Kamervraag document nummer: " + document)
    outcome = read(text.encode("utf-8", "surrogatepass"))
    if isinstance(outcome, Kamervraag):
        if outcome.question_url:
            NamedNode(outcome.question_url)
        if outcome.question_document:
            Iris().thing("document", outcome.question_document)
