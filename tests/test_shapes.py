"""The SHACL shapes catch a broken record, our validator agrees with pySHACL, and a record that
breaks them is reported by the pipeline and never stored.

The broken records are the seed's mapped quads (ingest.mapping.Mapper.question) with one thing
taken out, added or changed. pySHACL gets the same data as an rdflib Graph (the question's quads
and the reference graph, where the classes of the persons, topics and ministries are stated).
"""
from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pyshacl
import pytest
import rdflib
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

from kamergraph.config import Settings
from kamergraph.graph import open_store
from kamergraph.ingest.mapping import Mapper, Source
from kamergraph.ingest.parse import parse_page
from kamergraph.ingest.pipeline import ingest_paths
from kamergraph.ingest.refdata import load_reference
from kamergraph.ingest.validate import ShapesError, Validator, compile_shapes
from kamergraph.iris import Iris
from kamergraph.ontology import SHAPES_FILE, read_text
from kamergraph.ontology.terms import DCTERMS, KG, RDF, XSD
from stores import FIXED_TIME, all_quads, ingest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SEED = EXAMPLES / "000_7b937e3f333bd3c8.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")

BASE = "https://kamergraph.nl/"
Q = NamedNode(BASE + "id/kamervraag/2021Z16860")
G = NamedNode(BASE + "graph/kamervraag/2021Z16860")
A1 = NamedNode(BASE + "id/kamervraag/2021Z16860/antwoord/1")
V1 = NamedNode(BASE + "id/kamervraag/2021Z16860/vraag/1")
VISSER = NamedNode(BASE + "id/persoon/barbara-visser")
LUCHTVAART = NamedNode(BASE + "id/onderwerp/luchtvaart")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


@pytest.fixture(scope="module")
def mapper() -> Mapper:
    return Mapper(Iris(), load_reference())


@pytest.fixture(scope="module")
def seed_quads(mapper) -> list[Quad]:
    """Everything the pipeline validates for the seed: its graph, entities and minted names."""
    source = Source(SEED.as_posix(), hashlib.sha256(SEED.read_bytes()).hexdigest(), FIXED_TIME, "kamergraph test")
    mapped = mapper.question(parse_page(SEED_TEXT), source)
    return mapped.quads + mapped.entities + [q for quads in mapped.new_names.values() for q in quads]


@pytest.fixture(scope="module")
def reference_quads(mapper) -> list[Quad]:
    return list(mapper.reference_quads())


@pytest.fixture(scope="module")
def known_types(reference_quads):
    types: dict = {}
    for quad in reference_quads:
        if quad.predicate == RDF.type:
            types.setdefault(quad.subject, set()).add(quad.object)
    return lambda node: types.get(node, set())


# -- the broken variants: (name, change to the quads, the (focus, path) pairs that must be reported)


def without(predicate, subject=Q):
    return lambda quads: [q for q in quads if not (q.subject == subject and q.predicate == predicate)]


def plus(*triples):
    return lambda quads: quads + [Quad(s, p, o, G) for s, p, o in triples]


def replaced(predicate, value, subject=Q):
    return lambda quads: [Quad(q.subject, q.predicate, value, q.graph_name)
                          if q.subject == subject and q.predicate == predicate else q for q in quads]


VARIANTS = {
    "valid": (lambda quads: quads, set()),
    "no-title": (without(DCTERMS.title), {(Q, DCTERMS.title)}),
    "two-main-submitters": (plus((Q, KG.mainSubmitter, VISSER)), {(Q, KG.mainSubmitter)}),
    "days-taken-a-string": (replaced(KG.daysTaken, Literal("49")), {(Q, KG.daysTaken)}),
    "days-taken-negative": (replaced(KG.daysTaken, Literal("-3", datatype=XSD.integer)), {(Q, KG.daysTaken)}),
    "two-titles": (plus((Q, DCTERMS.title, Literal("Een tweede titel"))), {(Q, DCTERMS.title)}),
    "date-not-a-date": (replaced(DCTERMS.dateSubmitted, Literal("30 september 2021")), {(Q, DCTERMS.dateSubmitted)}),
    "ministry-not-a-ministry": (plus((Q, KG.answeringMinistry, LUCHTVAART)), {(Q, KG.answeringMinistry)}),
    "answer-without-question": (without(KG.answerTo, A1), {(A1, KG.answerTo)}),
    "zaak-number-form": (replaced(KG.zaakNumber, Literal("2021-16860")), {(Q, KG.zaakNumber)}),
    "source-hash-form": (replaced(KG.sourceHash, Literal("md5:1234"), G), {(G, KG.sourceHash)}),
    "subquestion-number-zero": (replaced(KG.number, Literal("0", datatype=XSD.integer), V1), {(V1, KG.number)}),
}


def ours(validator, quads, known_types) -> set:
    return {(NamedNode(v.focus), NamedNode(v.path)) for v in validator.validate(quads, known_types)}


@pytest.mark.parametrize("name", VARIANTS)
def test_validator_reports_the_broken_variant_on_its_focus(name, seed_quads, known_types):
    change, expected = VARIANTS[name]
    validator = Validator()
    violations = validator.validate(change(list(seed_quads)), known_types)
    assert {(NamedNode(v.focus), NamedNode(v.path)) for v in violations} == expected
    for violation in violations:
        assert str(violation).startswith(f"<{violation.focus}> {violation.path}: ")


SHAPE = "<https://kamergraph.nl/def/shapes#WrittenQuestionShape>"
ZAAK_PROPERTY = f"{SHAPE}, property <https://kamergraph.nl/def#zaakNumber>"


@pytest.mark.parametrize("old, new, message", [
    ("sh:targetClass kg:WrittenQuestion ;", "sh:targetClass kg:WrittenQuestion ; sh:closed true ;",
     f"{SHAPE}: sh:closed is not implemented"),
    ("sh:path kg:zaakNumber ;", "sh:path kg:zaakNumber ; sh:uniqueLang true ;",
     f"{ZAAK_PROPERTY}: sh:uniqueLang is not implemented"),
    ("sh:path kg:zaakNumber ;", "sh:path kg:zaakNumber ; sh:nodeKind sh:BlankNode ;",
     f"{ZAAK_PROPERTY}: sh:nodeKind sh:BlankNode is not implemented"),
    ("sh:path kg:zaakNumber ;", "sh:path [ sh:inversePath kg:zaakNumber ] ;",
     f'{SHAPE}, property "zaak number": sh:path is not a single IRI'),
    ("sh:targetClass kg:WrittenQuestion ;", "sh:targetSubjectsOf kg:zaakNumber ;",
     f"{SHAPE}: sh:targetSubjectsOf is not implemented"),
])
def test_shapes_the_validator_cannot_check_are_refused(old, new, message):
    """A component the validator does not implement would check nothing: the shapes are refused."""
    text = read_text(SHAPES_FILE)
    assert old in text
    with pytest.raises(ShapesError, match="^" + re.escape(message)):
        compile_shapes(text.replace(old, new, 1))


def test_validator_messages(seed_quads, known_types):
    validator = Validator()
    [missing] = validator.validate(VARIANTS["no-title"][0](list(seed_quads)), known_types)
    assert str(missing) == (
        f"<{Q.value}> http://purl.org/dc/terms/title: A written question has exactly one non-empty "
        "title (xsd:string). (0 values, at least 1 required)")
    [double] = validator.validate(VARIANTS["two-main-submitters"][0](list(seed_quads)), known_types)
    assert str(double) == (
        f"<{Q.value}> https://kamergraph.nl/def#mainSubmitter: A written question has exactly one main "
        "submitter, a kg:Person. (2 values, at most 1 allowed)")
    problems = validator.validate(VARIANTS["days-taken-a-string"][0](list(seed_quads)), known_types)
    assert {v.message for v in problems} >= {
        "A written question has at most one number of days taken, a non-negative xsd:integer. "
        "(value \"49\" is not a valid http://www.w3.org/2001/XMLSchema#integer)"}


# -- pySHACL agrees


def rdflib_graph(quads) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(data=serialize([q.triple for q in quads], format=RdfFormat.N_TRIPLES), format="nt")
    return graph


@pytest.fixture(scope="module")
def shapes_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(data=read_text(SHAPES_FILE), format="turtle")


@pytest.fixture(scope="module")
def reference_graph(reference_quads) -> rdflib.Graph:
    return rdflib_graph(reference_quads)


def pyshacl_results(data: rdflib.Graph, shapes: rdflib.Graph, focus_nodes=None) -> tuple[bool, set]:
    options = {"focus_nodes": focus_nodes} if focus_nodes is not None else {}
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", **options)
    found = {
        (NamedNode(str(results.value(r, SH.focusNode))), NamedNode(str(results.value(r, SH.resultPath))))
        for r in results.subjects(RDF_TYPE, SH.ValidationResult)
    }
    return conforms, found


RDF_TYPE = rdflib.RDF.type


def test_pyshacl_and_our_validator_agree_on_the_whole_seed_and_reference(seed_quads, reference_quads,
                                                                        reference_graph, shapes_graph):
    """Every node of the reference graph and of the seed, checked by both: both find nothing."""
    data = rdflib_graph(seed_quads) + reference_graph
    assert pyshacl_results(data, shapes_graph) == (True, set())
    assert Validator().validate(seed_quads + reference_quads) == []


@pytest.mark.parametrize("name", VARIANTS)
def test_pyshacl_agrees_with_our_validator(name, seed_quads, known_types, reference_quads, shapes_graph):
    change, expected = VARIANTS[name]
    quads = change(list(seed_quads))
    # The nodes our validator checks: those the question's quads give a class; pySHACL checks the
    # same nodes, with the reference graph's classes of every node they point to.
    pointed_to = {q.object for q in quads}
    classes = [q for q in reference_quads if q.predicate == RDF.type and q.subject in pointed_to]
    data = rdflib_graph(quads + classes)
    focus = sorted({rdflib.URIRef(q.subject.value) for q in quads if q.predicate == RDF.type})
    conforms, found = pyshacl_results(data, shapes_graph, focus)
    mine = ours(Validator(), quads, known_types)
    assert conforms == (not mine)
    assert found == mine == expected


# -- the pipeline: a record that breaks the shapes is an error and is not stored


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    store_dir = tmp_path_factory.mktemp("seeded") / "store"
    store = open_store(str(store_dir))
    try:
        assert ingest_paths(store, [SEED], Settings(ingest_time=FIXED_TIME)).errors == []
    finally:
        store.close()
    return store_dir


@pytest.fixture
def store(seeded, tmp_path):
    target = tmp_path / "store"
    shutil.copytree(seeded, target)
    return target


def test_page_with_a_document_number_of_the_wrong_form_is_rejected(store, tmp_path):
    """A real case: the parser takes any one-word answer document number (a question's must be
    kv-tk-<zaak>, which the parser checks), the shapes want ah-tk-."""
    before = all_quads(store)
    page = tmp_path / "2019Z08003-document.txt"
    page.write_text((EXAMPLES / "009_e83b7efb311f44a9.txt").read_text(encoding="utf-8").replace(
        "Kamerantwoord document nummer: ah-tk-20182019-2519", "Kamerantwoord document nummer: ah-20182019-2519"),
        encoding="utf-8")
    report = ingest(store, page)
    assert report.errors == [
        f"{page.as_posix()}: does not conform to the shapes: <https://kamergraph.nl/id/document/ah-20182019-2519> "
        "http://purl.org/dc/terms/identifier: A source document has exactly one document number (xsd:string) "
        "of the form kv-tk-2021Z16860 or ah-tk-20212022-123. "
        "(value \"ah-20182019-2519\" does not match ^(kv-tk-[0-9]{4}Z[0-9]{5}|ah-tk-[0-9]{8}-[0-9]+)$)"
    ]
    assert report.questions == 0
    assert all_quads(store) == before


def test_page_with_a_footnote_number_twice_is_rejected(store, tmp_path):
    """A real case: two footnote lines '1. ...' give footnote 1 two texts."""
    before = all_quads(store)
    page = tmp_path / "2019Z04512-footnotes.txt"
    page.write_text((EXAMPLES / "001_6d703a94c753a9df.txt").read_text(encoding="utf-8").replace(
        "2. https://www.consumentenbond.nl", "1. https://www.consumentenbond.nl"), encoding="utf-8")
    report = ingest(store, page)
    assert report.errors == [
        f"{page.as_posix()}: does not conform to the shapes: "
        "<https://kamergraph.nl/id/kamervraag/2019Z04512/voetnoot/1> https://kamergraph.nl/def#text: "
        "A footnote has exactly one text (xsd:string). (2 values, at most 1 allowed)"
    ]
    assert all_quads(store) == before


def test_mapped_record_without_title_is_reported_and_not_stored(store, tmp_path, monkeypatch):
    """The mapping made to drop the title (no page gives that): the validator stops it."""
    original = Mapper.question

    def question_without_title(self, record, source):
        mapped = original(self, record, source)
        question = next(s for s in mapped.values if s.value.endswith(record.zaak))
        mapped.triples[:] = [t for t in mapped.triples if t[:2] != (question, DCTERMS.title)]
        del mapped.values[question][DCTERMS.title]
        return mapped

    monkeypatch.setattr(Mapper, "question", question_without_title)
    page = tmp_path / "009.txt"
    shutil.copy(EXAMPLES / "009_e83b7efb311f44a9.txt", page)
    before = all_quads(store)
    report = ingest(store, page, SEED)
    assert report.errors == [
        f"{page.as_posix()}: does not conform to the shapes: <https://kamergraph.nl/id/kamervraag/2019Z08003> "
        "http://purl.org/dc/terms/title: A written question has exactly one non-empty title (xsd:string). "
        "(0 values, at least 1 required)"
    ]
    assert (report.questions, report.unchanged) == (0, 1)
    assert all_quads(store) == before
