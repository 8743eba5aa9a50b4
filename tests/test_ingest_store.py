"""Ingest into a real on-disk Oxigraph store (tmp_path), then read back what was stored.

Covers issue #2: the round trip page -> store -> ``question-overview`` (CLI and queries.run), the
exact triples of the seed, idempotent and reproducible re-ingest, and the replacement of an earlier
crawl by a later, more complete one (and never the other way round).

Every expected value is written out by hand from the pages in examples/ and the reference tables
in ingest/refdata/ (TOOI codes of the ministries, OWMS URIs of the TaxonomieBeleidsagenda labels).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
from importlib import resources
from pathlib import Path

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Quad

import kamergraph
import stores
from kamergraph import queries
from kamergraph.config import Settings
from kamergraph.graph import open_store
from kamergraph.ingest.mapping import Mapper, Source
from kamergraph.ingest.parse import parse_page
from kamergraph.ingest.pipeline import ingest_paths
from kamergraph.ingest.records import PageWarning, WarningKind
from kamergraph.ingest.refdata import load_reference
from kamergraph.iris import Iris
from kamergraph.ontology.terms import DCTERMS, FOAF, KG, ORG, OWL, PROV, RDF, SKOS, XSD
from kamergraph.queries.run import run_named, solutions_to_table
from stores import FIXED_TIME, all_quads, ingest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SEED = EXAMPLES / "000_7b937e3f333bd3c8.txt"
UNANSWERED = EXAMPLES / "005a_1c27f41938a21a50.txt"  # 2019Z09418 before the answer
ANSWERED = EXAMPLES / "005b_092993d8bd7af6e5.txt"  # 2019Z09418 after the answer
FIXED_EPOCH = str(int(FIXED_TIME.timestamp()))

BASE = "https://kamergraph.nl/"
TOOI = "https://identifier.overheid.nl/tooi/id/ministerie/"
OWMS = "http://standaarden.overheid.nl/owms/terms/"
OB = "https://zoek.officielebekendmakingen.nl/"


# -- helpers (kept in this file: tests/conftest.py belongs to someone else)

REFERENCE_GRAPH = NamedNode(BASE + "graph/referentie")
ONTOLOGY_GRAPH = NamedNode(BASE + "graph/ontologie")


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory) -> Path:
    """A store holding only the reference and ontology graphs, to copy: loading them takes a second."""
    store_dir = tmp_path_factory.mktemp("template") / "store"
    store = open_store(str(store_dir))
    try:
        ingest_paths(store, [], Settings(store=str(store_dir), ingest_time=FIXED_TIME))
    finally:
        store.close()
    return store_dir


@pytest.fixture
def new_store(empty_store, tmp_path):
    """new_store(name): a folder holding a copy of the empty store (reference graphs loaded)."""

    def copy(name: str = "store") -> Path:
        target = tmp_path / name
        shutil.copytree(empty_store, target)
        return target

    return copy


def data_quads(store_dir: Path) -> set[Quad]:
    """Every quad outside the reference and ontology graphs: the question graphs and the entities."""
    store = open_store(str(store_dir), read_only=True)
    try:
        return {q for g in store.named_graphs() if g not in (REFERENCE_GRAPH, ONTOLOGY_GRAPH) for q in store.quads(g)}
    finally:
        store.close()


def cli(*args: str, env: dict | None = None):
    return stores.cli(*args, env=env, epoch=None, catch_exceptions=False)


def iri(path: str) -> NamedNode:
    return NamedNode(BASE + path)


def integer(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


def xsd_date(value: str) -> Literal:
    return Literal(value, datatype=XSD.date)


@pytest.fixture(scope="module")
def examples_store(empty_store, tmp_path_factory) -> Path:
    """examples/ ingested once into an on-disk store; the tests reading it must not change it."""
    store_dir = tmp_path_factory.mktemp("examples") / "store"
    shutil.copytree(empty_store, store_dir)
    report = ingest(store_dir, EXAMPLES)
    assert report.errors == []
    return store_dir


# -- 1. round trip: the overview of every example, by hand from the pages

COLUMNS = ["zaak", "title", "submitted", "answered", "days", "submitters", "answerers",
           "ministries", "topics", "subquestions", "answers", "mededelingen"]

EXPECTED_OVERVIEW = {
    "2021Z16860": {  # 000, the real seed page
        "zaak": "2021Z16860",
        "title": "Mogelijke dataverzameling van Chinese drones",
        "submitted": "2021-09-30",
        "answered": "2021-11-18",
        "days": "49",
        "submitters": "Barbara Kathmann (PvdA)",
        "answerers": "Barbara Visser; Ferdinand Grapperhaus",
        # minister infrastructuur en waterstaat (IenW) and minister justitie en veiligheid (JenV)
        "ministries": f"{TOOI}mnre1058; {TOOI}mnre1130",
        # "internationaal luchtvaart organisatie en beleid verkeer"
        "topics": f"{OWMS}Internationaal; {OWMS}Luchtvaart; {OWMS}Organisatie_en_beleid; {OWMS}Verkeer_(thema)",
        "subquestions": "22",
        "answers": "22",
        "mededelingen": "1",
    },
    "2019Z04512": {  # 001: three submitters of two parties, footnote lines present
        "zaak": "2019Z04512",
        "title": "Het bericht dat slimme deurbellen onveilig zijn",
        "submitted": "2019-03-07",
        "answered": "2019-04-01",
        "days": "25",
        "submitters": "Sadet Karabulut (SP); Ronald van Raak (SP); Attje Kuiken (PvdA)",
        "answerers": "Ferdinand Grapperhaus",
        "ministries": f"{TOOI}mnre1058",
        "topics": f"{OWMS}Criminaliteit; {OWMS}ICT; {OWMS}Openbare_orde_en_veiligheid",
        "subquestions": "4",
        "answers": "4",
        "mededelingen": "0",
    },
    "2019Z11873": {  # 002: submitters without party; minister-president + minister algemene zaken
        "zaak": "2019Z11873",
        "title": "Uitspraken van de minister-president over het eigen risico",
        "submitted": "2019-06-04",
        "answered": "2019-07-02",
        "days": "28",
        "submitters": "Jasper van Dijk; Renske Leijten",
        "answerers": "Mark Rutte; Hugo de Jonge",
        # AZ (minister algemene zaken; the minister-president post itself adds no ministry), VWS
        "ministries": f"{TOOI}mnre1010; {TOOI}mnre1025",
        "topics": f"{OWMS}Organisatie_en_beleid; {OWMS}Verzekeringen; {OWMS}Zorg_en_gezondheid",
        "subquestions": "6",
        "answers": "6",
        "mededelingen": "0",
    },
    "2019Z00412": {  # 003: minister voor medische zorg (VWS), "financiƫn" repaired; GL is GroenLinks
        "zaak": "2019Z00412",
        "title": "Het bericht dat hulpmiddelen voor chronisch zieken duurder worden door de btw-verhoging",
        "submitted": "2019-01-10",
        "answered": "2019-02-19",
        "days": "40",
        "submitters": "Corinne Ellemeet (GroenLinks)",
        "answerers": "Bruno Bruins; Menno Snel",
        "ministries": f"{TOOI}mnre1025; {TOOI}mnre1090",
        "topics": f"{OWMS}Belasting; {OWMS}Geneesmiddelen_en_medische_hulpmiddelen; {OWMS}Zorg_en_gezondheid",
        "subquestions": "4",
        "answers": "4",
        "mededelingen": "0",
    },
    "2019Z21877": {  # 004: not answered yet, one mededeling
        "zaak": "2019Z21877",
        "title": "Het bericht dat NS in de spits minder intercity’s laat rijden tussen Zwolle en Groningen",
        "submitted": "2019-11-12",
        "answered": "",
        "days": "",
        "submitters": "Cem Laçin (SP); Suzanne Kröger (GroenLinks)",
        "answerers": "",
        "ministries": "",
        "topics": f"{OWMS}Spoor; {OWMS}Verkeer_(thema)",
        "subquestions": "4",
        "answers": "0",
        "mededelingen": "1",
    },
    "2019Z09418": {  # 005b replaces 005a: answered, two mededelingen
        "zaak": "2019Z09418",
        "title": "Het bericht dat een wolf op de Veluwe schapen heeft doodgebeten",
        "submitted": "2019-05-10",
        "answered": "2019-07-09",
        "days": "60",
        "submitters": "Helma Lodders (VVD); Jaco Geurts (CDA)",
        "answerers": "Carola Schouten",
        "ministries": f"{TOOI}mnre1153",  # LNV in 2019
        "topics": f"{OWMS}Dieren_(thema); {OWMS}Landbouw_(thema); {OWMS}Natuur-_en_landschapsbeheer; "
                  f"{OWMS}Natuur_en_milieu",
        "subquestions": "5",
        "answers": "5",
        "mededelingen": "2",
    },
    "2019Z01187": {  # 006: minister zonder portefeuille, placed at OCW by his tenure; other indentation
        "zaak": "2019Z01187",
        "title": "Het bericht dat basisscholen klassen naar huis sturen door het lerarentekort",
        "submitted": "2019-01-24",
        "answered": "2019-02-18",
        "days": "25",
        "submitters": "Peter Kwint (SP)",
        "answerers": "Arie Slob",
        "ministries": "https://identifier.overheid.nl/tooi/id/ministerie/mnre1109",
        "topics": f"{OWMS}Basisonderwijs_(thema); {OWMS}Onderwijs_en_wetenschap",
        "subquestions": "4",
        "answers": "4",
        "mededelingen": "0",
    },
    "2019Z05301": {  # 007: answered, but no answer texts shown; minister voor rechtsbescherming (JenV)
        "zaak": "2019Z05301",
        "title": "Gokreclames rond sportwedstrijden",
        "submitted": "2019-03-18",
        "answered": "2019-04-10",
        "days": "23",
        "submitters": "Kees van der Staaij (SGP)",
        "answerers": "Sander Dekker",
        "ministries": f"{TOOI}mnre1058",
        "topics": f"{OWMS}Media; {OWMS}Recreatie_(thema); {OWMS}Sport_(thema)",
        "subquestions": "4",
        "answers": "0",
        "mededelingen": "0",
    },
    "2019Z16702": {  # 008: "Kees Van der Staaij" is the same person; "jongeren" placed under zorg
        "zaak": "2019Z16702",
        "title": "Het toenemende gebruik van lachgas door jongeren",
        "submitted": "2019-09-05",
        "answered": "2019-10-22",
        "days": "47",
        "submitters": "Kees van der Staaij (SGP); Carla Dik-Faber (ChristenUnie)",
        "answerers": "Paul Blokhuis",
        "ministries": f"{TOOI}mnre1025",
        "topics": f"{OWMS}Gezondheidsrisico's; {OWMS}Jongeren_(gezondheid-thema); {OWMS}Organisatie_en_beleid",
        "subquestions": "9",
        "answers": "9",
        "mededelingen": "0",
    },
    "2019Z08003": {  # 009: answered in one day ("na 1 dagen")
        "zaak": "2019Z08003",
        "title": "Het reisadvies voor Sri Lanka na de aanslagen op Eerste Paasdag",
        "submitted": "2019-04-23",
        "answered": "2019-04-24",
        "days": "1",
        "submitters": "Sjoerd Sjoerdsma (D66)",
        "answerers": "Stef Blok",
        "ministries": f"{TOOI}mnre1013",
        "topics": f"{OWMS}Internationaal; {OWMS}Reizen; {OWMS}Terrorisme_(thema)",
        "subquestions": "3",
        "answers": "3",
        "mededelingen": "0",
    },
}


def test_overview_of_all_examples_via_cli(examples_store):
    result = cli("query", "--store", str(examples_store), "question-overview", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows == [EXPECTED_OVERVIEW[zaak] for zaak in sorted(EXPECTED_OVERVIEW)]


@pytest.mark.parametrize("zaak", ["2021Z16860", "2019Z11873", "2019Z21877", "2019Z09418"])
def test_overview_of_one_question_via_cli(examples_store, zaak):
    result = cli("query", "--store", str(examples_store), "question-overview",
                 "--param", f"zaak={zaak}", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [EXPECTED_OVERVIEW[zaak]]


@pytest.mark.parametrize("zaak", ["2021Z16860", "2019Z04512", "2019Z00412", "2019Z01187", "2019Z08003"])
def test_overview_via_run_named(examples_store, zaak):
    store = open_store(str(examples_store), read_only=True)
    try:
        header, rows = solutions_to_table(run_named(store, queries.get("question-overview"), {"zaak": zaak}))
    finally:
        store.close()
    assert header == COLUMNS
    assert rows == [[EXPECTED_OVERVIEW[zaak][column] for column in COLUMNS]]


def test_overview_of_an_unknown_zaak_is_empty(examples_store):
    store = open_store(str(examples_store), read_only=True)
    try:
        header, rows = solutions_to_table(run_named(store, queries.get("question-overview"), {"zaak": "2099Z00001"}))
    finally:
        store.close()
    assert (header, rows) == (COLUMNS, [])


# -- 2. the exact triples of the seed

Q = iri("id/kamervraag/2021Z16860")
G = iri("graph/kamervraag/2021Z16860")


def part(kind: str, number: int) -> NamedNode:
    return iri(f"id/kamervraag/2021Z16860/{kind}/{number}")


def in_graph(*triples) -> set[Quad]:
    return {Quad(s, p, o, G) for s, p, o in triples}


@pytest.fixture(scope="module")
def seed_graph(examples_store) -> set[Quad]:
    return all_quads(examples_store, G)


def objects(quads: set[Quad], subject, predicate) -> set:
    return {q.object for q in quads if q.subject == subject and q.predicate == predicate}


def test_seed_question_triples(seed_graph):
    expected = in_graph(
        (Q, RDF.type, KG.WrittenQuestion),
        (Q, KG.zaakNumber, Literal("2021Z16860")),
        (Q, DCTERMS.title, Literal("Mogelijke dataverzameling van Chinese drones")),
        (Q, DCTERMS.dateSubmitted, xsd_date("2021-09-30")),
        (Q, KG.dateAnswered, xsd_date("2021-11-18")),
        (Q, KG.daysTaken, integer(49)),
        (Q, KG.mainSubmitter, iri("id/persoon/barbara-kathmann")),
    )
    assert expected <= seed_graph
    # One of each, nothing beside them.
    for predicate in (DCTERMS.title, DCTERMS.dateSubmitted, KG.dateAnswered, KG.daysTaken, KG.mainSubmitter):
        assert len(objects(seed_graph, Q, predicate)) == 1, predicate
    assert objects(seed_graph, Q, KG.coSubmitter) == set()
    assert objects(seed_graph, Q, RDF.type) == {KG.WrittenQuestion}


def test_seed_submission_and_answering_nodes(seed_graph):
    submission = part("indiener", 1)
    first, second = part("beantwoorder", 1), part("beantwoorder", 2)
    expected = in_graph(
        (Q, KG.submission, submission),
        (submission, RDF.type, KG.Submission),
        (submission, KG.position, integer(1)),
        (submission, KG.person, iri("id/persoon/barbara-kathmann")),
        (submission, KG.party, iri("id/partij/pvda")),
        (submission, KG.printedName, Literal("Barbara Kathmann")),
        (Q, KG.answering, first),
        (Q, KG.answering, second),
        (Q, KG.answeredBy, iri("id/persoon/barbara-visser")),
        (Q, KG.answeredBy, iri("id/persoon/ferdinand-grapperhaus")),
        (first, RDF.type, KG.Answering),
        (first, KG.position, integer(1)),
        (first, KG.person, iri("id/persoon/barbara-visser")),
        (first, KG.party, iri("id/partij/vvd")),
        (first, KG.post, iri("id/post/minister-infrastructuur-en-waterstaat")),
        (first, KG.printedName, Literal("Barbara Visser")),
        (first, KG.printedRole, Literal("minister infrastructuur en waterstaat")),
        (second, RDF.type, KG.Answering),
        (second, KG.position, integer(2)),
        (second, KG.person, iri("id/persoon/ferdinand-grapperhaus")),
        (second, KG.party, iri("id/partij/cda")),
        (second, KG.post, iri("id/post/minister-justitie-en-veiligheid")),
        (second, KG.printedName, Literal("Ferdinand Grapperhaus")),
        (second, KG.printedRole, Literal("minister justitie en veiligheid")),
        (Q, KG.answeringMinistry, iri("id/ministerie/mnre1130")),
        (Q, KG.answeringMinistry, iri("id/ministerie/mnre1058")),
    )
    assert expected <= seed_graph
    assert objects(seed_graph, Q, KG.submission) == {submission}
    assert objects(seed_graph, Q, KG.answering) == {first, second}
    assert objects(seed_graph, Q, KG.answeringMinistry) == {iri("id/ministerie/mnre1130"),
                                                            iri("id/ministerie/mnre1058")}


def test_seed_topics(seed_graph):
    assert objects(seed_graph, Q, DCTERMS.subject) == {
        iri("id/onderwerp/internationaal"),
        iri("id/onderwerp/luchtvaart"),
        iri("id/onderwerp/organisatie-en-beleid"),
        iri("id/onderwerp/verkeer-thema"),
    }


def test_seed_subquestions_answers_and_cross_references(seed_graph):
    assert objects(seed_graph, Q, KG.subQuestion) == {part("vraag", n) for n in range(1, 23)}
    for n in range(1, 23):
        assert in_graph(
            (part("vraag", n), RDF.type, KG.SubQuestion),
            (part("vraag", n), KG.number, integer(n)),
            (part("vraag", n), KG.hasAnswer, part("antwoord", n)),
            (part("antwoord", n), RDF.type, KG.Answer),
            (part("antwoord", n), KG.number, integer(n)),
            (part("antwoord", n), KG.answerTo, part("vraag", n)),
        ) <= seed_graph
    assert in_graph(
        (part("vraag", 3), KG.text, Literal("Om welke redenen maakt Defensie geen gebruik van deze drones?")),
        (part("antwoord", 1), KG.text, Literal("Ja.")),
    ) <= seed_graph
    # "Zoals aangegeven bij het antwoord op vragen 2 en 3 ... zoals toegelicht in antwoord 3."
    assert objects(seed_graph, part("antwoord", 4), KG.refersTo) == {part("antwoord", 2), part("antwoord", 3)}
    # "Zie het antwoord op vraag 4. De afweging ...": a pointer, but not only a pointer.
    assert objects(seed_graph, part("antwoord", 10), KG.refersTo) == {part("antwoord", 4)}
    assert not any(q.predicate == KG.combinedAnswer for q in seed_graph)
    assert objects(seed_graph, part("antwoord", 1), KG.refersTo) == set()


def test_seed_footnote_markers(seed_graph):
    markers = {(q.subject, q.object) for q in seed_graph if q.predicate == KG.footnoteMarker}
    assert markers == {
        (part("vraag", 1), integer(1)),  # «...onveilig»1
        (part("vraag", 1), integer(2)),  # «...zijn»2?
        (part("antwoord", 18), integer(3)),  # levenssfeer.3
        (part("antwoord", 20), integer(4)),
        (part("antwoord", 20), integer(5)),
    }
    # The footnote lines were lost by the crawl: markers, but no footnote nodes.
    assert objects(seed_graph, Q, KG.footnote) == set()


def test_seed_notice(seed_graph):
    lines = SEED.read_text(encoding="utf-8").split("\n")
    heading = next(i for i, line in enumerate(lines) if line.strip() == "• Mededeling - 21 oktober 2021")
    text = lines[heading + 2].strip()
    assert text.startswith("Hierbij deel ik u mede namens de Minister van Infrastructuur en Waterstaat")
    notice = part("mededeling", 1)
    assert objects(seed_graph, Q, KG.notice) == {notice}
    assert in_graph(
        (notice, RDF.type, KG.Notice),
        (notice, DCTERMS.date, xsd_date("2021-10-21")),
        (notice, KG.text, Literal(text)),
    ) <= seed_graph


def test_seed_documents(seed_graph):
    question_doc, answer_doc = iri("id/document/kv-tk-2021Z16860"), iri("id/document/ah-tk-20212022-753")
    assert in_graph(
        (Q, KG.questionDocument, question_doc),
        (question_doc, RDF.type, KG.SourceDocument),
        (question_doc, RDF.type, KG.QuestionDocument),
        (question_doc, DCTERMS.identifier, Literal("kv-tk-2021Z16860")),
        (question_doc, DCTERMS.title, Literal("Mogelijke dataverzameling van Chinese drones")),
        (question_doc, FOAF.page, NamedNode(OB + "kv-tk-2021Z16860.html")),
        (Q, KG.answerDocument, answer_doc),
        (answer_doc, RDF.type, KG.SourceDocument),
        (answer_doc, RDF.type, KG.AnswerDocument),
        (answer_doc, DCTERMS.identifier, Literal("ah-tk-20212022-753")),
        (answer_doc, DCTERMS.title,
         Literal("Antwoord op vragen van lid Kathmann over mogelijke dataverzameling van Chinese drones")),
        (answer_doc, FOAF.page, NamedNode(OB + "ah-tk-20212022-753.html")),
    ) <= seed_graph


def test_seed_graph_provenance(seed_graph):
    digest = hashlib.sha256(SEED.read_bytes()).hexdigest()
    provenance = {(q.predicate, q.object) for q in seed_graph if q.subject == G}
    assert provenance == {
        (RDF.type, KG.QuestionGraph),
        (FOAF.primaryTopic, Q),
        (KG.sourceFile, Literal(SEED.as_posix())),
        (KG.sourceHash, Literal("sha256:" + digest)),
        # Oxigraph keeps xsd:dateTime in its canonical form (Z for UTC).
        (PROV.generatedAtTime, Literal("2024-01-02T03:04:05Z", datatype=XSD.dateTime)),
        (KG.softwareVersion, Literal(f"kamergraph {kamergraph.__version__}")),
    }


def test_seed_graph_holds_only_its_own_statements(seed_graph):
    """Every subject of the question graph is the graph, the question or one of its parts/documents,
    or a list the question is an entry of (only its kg:listKey as kg:entry, replaced with the graph)."""
    prefix = BASE + "id/kamervraag/2021Z16860"
    entry, list_key = KG.entry, KG.listKey
    keys = {quad.object for quad in seed_graph if quad.subject == Q and quad.predicate == list_key}
    assert len(keys) == 1
    lists = 0
    for quad in seed_graph:
        subject = quad.subject.value
        if subject in (G.value, Q.value) or subject.startswith((prefix + "/", BASE + "id/document/")):
            continue
        assert (quad.predicate, quad.object) == (entry, *keys), quad
        lists += 1
    assert lists > 0


def test_minted_person_and_posts_go_to_the_entities_graph(examples_store):
    entities = all_quads(examples_store, iri("graph/entiteiten"))
    kathmann = iri("id/persoon/barbara-kathmann")  # not in the 2019 reference snapshot: minted
    assert objects(entities, kathmann, RDF.type) == {KG.Person}
    assert objects(entities, kathmann, FOAF.name) == {Literal("Barbara Kathmann")}
    # The cabinet posts the seed's answerers held, wherever they are stated (reference or entities).
    stated = {(q.subject, q.predicate, q.object) for q in all_quads(examples_store)}
    for key, label, code in (
        ("minister-infrastructuur-en-waterstaat", "minister van Infrastructuur en Waterstaat", "mnre1130"),
        ("minister-justitie-en-veiligheid", "minister van Justitie en Veiligheid", "mnre1058"),
    ):
        post = iri(f"id/post/{key}")
        assert {
            (post, RDF.type, KG.CabinetPost),
            (post, SKOS.prefLabel, Literal(label, language="nl")),
            (post, KG.postKind, Literal("minister")),
            (post, ORG.postIn, iri(f"id/ministerie/{code}")),
        } <= stated


def test_topic_and_ministry_reference(examples_store):
    reference = all_quads(examples_store, iri("graph/referentie"))
    luchtvaart, verkeer = iri("id/onderwerp/luchtvaart"), iri("id/onderwerp/verkeer-thema")
    assert objects(reference, luchtvaart, SKOS.broader) == {verkeer}
    assert objects(reference, luchtvaart, SKOS.exactMatch) == {NamedNode(OWMS + "Luchtvaart")}
    assert objects(reference, verkeer, SKOS.exactMatch) == {NamedNode(OWMS + "Verkeer_(thema)")}
    assert {KG.Topic, SKOS.Concept} <= objects(reference, luchtvaart, RDF.type)
    assert objects(reference, verkeer, SKOS.broader) == set()  # a theme: top concept
    for code in ("mnre1130", "mnre1058"):
        ministry = iri(f"id/ministerie/{code}")
        assert objects(reference, ministry, SKOS.exactMatch) == {NamedNode(TOOI + code)}
        assert KG.Ministry in objects(reference, ministry, RDF.type)


def test_persons_of_the_reference_are_persons_with_trusted_wikidata_links(examples_store):
    reference = all_quads(examples_store, iri("graph/referentie"))
    persons = {q.subject for q in reference if q.predicate == RDF.type and q.object == KG.Person}
    names = {q.object.value for q in reference if q.predicate == FOAF.name and q.subject in persons}
    # openkamer keeps committees and a placeholder as persons; they are not published as such.
    assert not [name for name in names if "commissie" in name.lower() or "n.v.t." in name]
    assert iri("id/persoon/vaste-commissie-voor-binnenlandse-zaken") not in persons
    # A whole name keeps its Wikidata link; openkamer matched forename-less records by surname alone.
    wikidata = "http://www.wikidata.org/entity/"
    assert objects(reference, iri("id/persoon/mark-rutte"), OWL.sameAs) == {NamedNode(wikidata + "Q57792")}
    assert iri("id/persoon/israel") in persons  # "M.Y. Israel": matched to Q801, the State of Israel
    assert objects(reference, iri("id/persoon/israel"), OWL.sameAs) == set()


def test_the_reference_graph_is_reloaded_when_its_mapping_changes(new_store, monkeypatch):
    """The tables did not change, but what they are mapped to did (a new rule in the code): the
    reference graph is remade, and remade again when the rule goes."""
    from kamergraph.ingest.mapping import Mapper
    from kamergraph.ingest.pipeline import Ingestor

    store_dir = new_store()
    added = Quad(iri("id/persoon/mark-rutte"), FOAF.nick, Literal("Mark"), iri("graph/referentie"))
    store = open_store(str(store_dir))
    try:
        assert Ingestor(store, BASE).ensure_reference() is False  # up to date
        original = Mapper.reference_quads
        monkeypatch.setattr(Mapper, "reference_quads", lambda self: (*original(self), added))
        assert Ingestor(store, BASE).ensure_reference() is True
        assert added in set(store.quads(iri("graph/referentie")))
        monkeypatch.setattr(Mapper, "reference_quads", original)
        assert Ingestor(store, BASE).ensure_reference() is True
        assert added not in set(store.quads(iri("graph/referentie")))
        assert Ingestor(store, BASE).ensure_reference() is False
    finally:
        store.close()


# -- 3. idempotent, reproducible


def test_reingest_leaves_exactly_the_same_quads(new_store):
    store_dir = new_store()
    first = ingest(store_dir, EXAMPLES)
    assert (first.files, first.questions, first.errors) == (11, 10, [])
    before = all_quads(store_dir)
    second = ingest(store_dir, EXAMPLES)
    assert all_quads(store_dir) == before
    assert (second.files, second.questions, second.errors) == (11, 0, [])
    assert second.unchanged == 10  # 005a is not stored (005b is), so it is not "unchanged"
    # Once more through the CLI, at another time of ingest: the same bytes are skipped, so not
    # even the provenance time moves.
    result = cli("ingest", "--store", str(store_dir), "--no-progress", str(EXAMPLES))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("11 files, 0 questions stored, 10 unchanged, ")
    assert all_quads(store_dir) == before


@pytest.mark.parametrize("workers", [0, 2])
def test_reparse_stores_unchanged_pages_again(new_store, workers, monkeypatch):
    """After an upgrade that maps pages differently, --reparse maps the stored bytes again; without
    it they are skipped. An answering ministry taken out of the store stands for the old mapping."""
    from kamergraph.ingest import pipeline
    monkeypatch.setattr(pipeline, "PARALLEL_THRESHOLD", 4)  # 11 files go to the worker processes
    store_dir = new_store()
    ingest(store_dir, EXAMPLES, workers=workers)
    before = all_quads(store_dir)
    q, g = iri("id/kamervraag/2019Z01187"), iri("graph/kamervraag/2019Z01187")
    old = Quad(q, KG.answeringMinistry, iri("id/ministerie/mnre1109"), g)
    assert old in before
    # The old mapping also made one answer more: a more complete crawl by rank, which must not
    # keep the page's own bytes from being stored again.
    extra = iri("id/kamervraag/2019Z01187/antwoord/99")
    store = open_store(str(store_dir))
    try:
        store.update(f"DELETE DATA {{ GRAPH {g} {{ {q} {KG.answeringMinistry} {old.object} }} }};"
                     f"INSERT DATA {{ GRAPH {g} {{ {extra} {RDF.type} {KG.Answer} }} }}")
    finally:
        store.close()

    skipped = ingest(store_dir, EXAMPLES, workers=workers)
    assert (skipped.questions, skipped.unchanged) == (0, 10)
    assert old not in all_quads(store_dir)

    again = ingest(store_dir, EXAMPLES, workers=workers, reparse=True)
    assert (again.questions, again.unchanged, again.superseded, again.errors) == (10, 0, 1, [])
    assert all_quads(store_dir) == before  # the same ingest time: exactly the first run's quads
    assert again.notices == []
    result = cli("ingest", "--store", str(store_dir), "--no-progress", "--reparse", str(EXAMPLES))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("11 files, 10 questions stored, 0 unchanged, ")


@pytest.mark.parametrize("batch_size", [1, 1000])
def test_the_same_bytes_twice_in_a_run_are_stored_once(new_store, tmp_path, batch_size):
    """A page copied twice is one crawl: stored once and then unchanged, with or without --reparse,
    whether the copies fall in one batch or in two."""
    pages = tmp_path / "pages"
    pages.mkdir()
    seed = EXAMPLES / "000_7b937e3f333bd3c8.txt"
    for name in ("a.txt", "b.txt"):
        shutil.copy(seed, pages / name)
    store_dir = new_store()
    first = ingest(store_dir, pages, workers=0, batch_size=batch_size)
    assert (first.questions, first.unchanged, first.superseded) == (1, 1, 0)
    again = ingest(store_dir, pages, workers=0, batch_size=batch_size, reparse=True)
    assert (again.questions, again.unchanged, again.superseded) == (1, 1, 0)


def test_a_large_run_compacts_the_store_and_keeps_every_quad(new_store):
    plain, compacted = new_store("plain"), new_store("compacted")
    small = ingest(plain, EXAMPLES, batch_size=2)
    assert small.compacted_seconds is None and "compacted" not in small.summary()
    large = ingest(compacted, EXAMPLES, batch_size=2, compact_after=10)  # 10 questions: the threshold
    assert large.compacted_seconds is not None and large.compacted_seconds > 0
    assert large.summary().endswith(f", store compacted in {large.compacted_seconds:.1f} s of it")
    assert all_quads(compacted) == all_quads(plain)
    # Compaction merges the table files the batches left behind.
    assert len(list(compacted.glob("*.sst"))) < len(list(plain.glob("*.sst")))


@pytest.fixture(scope="module")
def two_fresh_stores(tmp_path_factory) -> list[Path]:
    """Two stores made from nothing by the CLI, from the same input with SOURCE_DATE_EPOCH set."""
    stores = [tmp_path_factory.mktemp("fresh") / "store" for _ in range(2)]
    for store_dir in stores:
        result = cli("ingest", "--store", str(store_dir), "--no-progress", str(EXAMPLES),
                     env={"SOURCE_DATE_EPOCH": FIXED_EPOCH})
        assert result.exit_code == 0, result.output
    return stores


def test_two_fresh_stores_from_the_same_input_are_identical(two_fresh_stores):
    one, two = (all_quads(s) for s in two_fresh_stores)
    assert one == two
    assert Quad(G, PROV.generatedAtTime, Literal("2024-01-02T03:04:05Z", datatype=XSD.dateTime), G) in one
    # Blank nodes would get new labels on every run (the ontology's are skolemised).
    assert not [q for q in one if isinstance(q.subject, BlankNode) or isinstance(q.object, BlankNode)]


def test_cli_ingest_adds_nothing_of_its_own(two_fresh_stores, examples_store):
    """The CLI with SOURCE_DATE_EPOCH stores what ingest_paths with that time stores."""
    assert data_quads(two_fresh_stores[0]) == data_quads(examples_store)
    assert all_quads(two_fresh_stores[0], REFERENCE_GRAPH) == all_quads(examples_store, REFERENCE_GRAPH)


# -- 4. an earlier crawl is replaced by a later one, never the other way round

Z = "2019Z09418"
GZ = iri(f"graph/kamervraag/{Z}")
QZ = iri(f"id/kamervraag/{Z}")


def sha(path: Path) -> Literal:
    return Literal("sha256:" + hashlib.sha256(path.read_bytes()).hexdigest())


@pytest.fixture(scope="module")
def answered_only(empty_store, tmp_path_factory) -> set[Quad]:
    """The question graphs and entities of a store that only ever saw 005b."""
    store_dir = tmp_path_factory.mktemp("answered") / "store"
    shutil.copytree(empty_store, store_dir)
    assert ingest(store_dir, ANSWERED).errors == []
    return data_quads(store_dir)


def test_answered_crawl_replaces_unanswered_one(new_store, answered_only):
    store_dir = new_store()
    ingest(store_dir, UNANSWERED)
    graph = all_quads(store_dir, GZ)
    assert Quad(GZ, KG.sourceHash, sha(UNANSWERED), GZ) in graph
    assert not any(q.predicate == KG.dateAnswered for q in graph)
    reference = all_quads(store_dir, REFERENCE_GRAPH)

    report = ingest(store_dir, ANSWERED)
    assert (report.questions, report.errors, report.notices) == (1, [], [])
    graph = all_quads(store_dir, GZ)
    assert objects(graph, GZ, KG.sourceHash) == {sha(ANSWERED)}
    assert objects(graph, GZ, KG.sourceFile) == {Literal(ANSWERED.as_posix())}
    assert Quad(QZ, KG.dateAnswered, xsd_date("2019-07-09"), GZ) in graph
    assert Quad(QZ, KG.daysTaken, integer(60), GZ) in graph
    answer = iri(f"id/kamervraag/{Z}/antwoord/1")
    assert Quad(answer, KG.text, Literal("Ja."), GZ) in graph
    assert objects(graph, QZ, KG.notice) == {iri(f"id/kamervraag/{Z}/mededeling/{n}") for n in (1, 2)}
    # Nothing of the first crawl is left anywhere: the store is the one 005b alone gives.
    assert data_quads(store_dir) == answered_only
    assert all_quads(store_dir, REFERENCE_GRAPH) == reference


def test_unanswered_crawl_after_answered_one_is_kept_out_with_a_notice(new_store):
    store_dir = new_store()
    ingest(store_dir, ANSWERED)
    before = all_quads(store_dir)
    report = ingest(store_dir, UNANSWERED)
    assert report.errors == []
    assert report.questions == 0
    assert report.notices == [
        f"{UNANSWERED.as_posix()}: an earlier crawl of {Z}; the store keeps the more complete one"
    ]
    assert all_quads(store_dir) == before
    # And the CLI says so on standard error.
    result = cli("ingest", "--store", str(store_dir), "--no-progress", str(UNANSWERED))
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"note: {UNANSWERED.as_posix()}: an earlier crawl of {Z}; the store keeps the more complete one"
    ]
    assert all_quads(store_dir) == before


@pytest.mark.parametrize("order", [(UNANSWERED, ANSWERED), (ANSWERED, UNANSWERED)], ids=["a-then-b", "b-then-a"])
def test_both_crawls_in_one_batch_keep_the_answered_one(new_store, answered_only, order):
    store_dir = new_store()
    report = ingest(store_dir, *order)
    assert report.errors == []
    assert report.questions == 1
    assert objects(all_quads(store_dir, GZ), GZ, KG.sourceHash) == {sha(ANSWERED)}
    assert data_quads(store_dir) == answered_only


@pytest.mark.parametrize("order", [(UNANSWERED, SEED, ANSWERED), (ANSWERED, SEED, UNANSWERED)],
                         ids=["a-then-b", "b-then-a"])
def test_both_crawls_in_one_run_but_separate_batches_keep_the_answered_one(new_store, order):
    """Batches are written two at a time: the later crawl's batch must see the earlier one stored."""
    expected_dir = new_store("expected")
    assert ingest(expected_dir, SEED, ANSWERED).errors == []
    store_dir = new_store()
    report = ingest(store_dir, *order, batch_size=1)
    assert (report.errors, report.questions) == ([], 3 if order[0] == UNANSWERED else 2)
    assert report.superseded == (0 if order[0] == UNANSWERED else 1)
    assert data_quads(store_dir) == data_quads(expected_dir)


def test_a_batch_with_new_and_replaced_questions_stores_both(new_store, tmp_path, monkeypatch):
    """New graphs go in as a bulk load, replaced ones in transactions of REPLACE_CHUNK graphs: the
    same store as a run that never saw the earlier crawls, whatever the size of those."""
    from kamergraph.graph import embedded
    other = EXAMPLES / "009_e83b7efb311f44a9.txt"
    earlier = []
    for page in (SEED, ANSWERED):  # the same rank with another title: replaced, not superseded
        lines = page.read_text(encoding="utf-8").split("\n")
        lines[1] = "Eerder: " + lines[1]
        earlier.append(tmp_path / ("earlier-" + page.name))
        earlier[-1].write_text("\n".join(lines), encoding="utf-8")
    expected_dir = new_store("expected")
    assert ingest(expected_dir, SEED, ANSWERED, other).errors == []
    for chunk in (1, 100):
        monkeypatch.setattr(embedded, "REPLACE_CHUNK", chunk)
        store_dir = new_store(f"store-{chunk}")
        assert ingest(store_dir, *earlier).questions == 2
        report = ingest(store_dir, SEED, ANSWERED, other)
        assert (report.errors, report.questions, report.superseded) == ([], 3, 0)
        assert data_quads(store_dir) == data_quads(expected_dir)


def test_more_answers_replace_fewer(new_store, tmp_path):
    """Rank is (answered, answers, mededelingen): the same zaak with one answer lost is older."""
    fewer = tmp_path / "fewer.txt"
    text = ANSWERED.read_text(encoding="utf-8")
    # Drop the answer of Vraag 1 ("Ja."): the crawl that still lacks it is the less complete one.
    fewer.write_text(text.replace("  Ja.\n\n", "", 1), encoding="utf-8")
    store_dir = new_store()
    ingest(store_dir, fewer)
    assert len([q for q in all_quads(store_dir, GZ) if q.object == KG.Answer]) == 4
    ingest(store_dir, ANSWERED)
    assert objects(all_quads(store_dir, GZ), GZ, KG.sourceHash) == {sha(ANSWERED)}
    before = all_quads(store_dir)
    report = ingest(store_dir, fewer)
    assert len(report.notices) == 1 and all_quads(store_dir) == before


def test_replacement_leaves_no_orphan_entities_of_the_earlier_crawl(new_store, tmp_path):
    misprinted = tmp_path / "005a_misprinted.txt"
    misprinted.write_text(
        UNANSWERED.read_text(encoding="utf-8").replace("Helma Lodders (VVD)", "Helma Lodderz (VVD)"),
        encoding="utf-8")
    store_dir = new_store()
    ingest(store_dir, misprinted)
    orphan = iri("id/persoon/helma-lodderz")
    assert Quad(orphan, RDF.type, KG.Person, iri("graph/entiteiten")) in data_quads(store_dir)
    ingest(store_dir, ANSWERED)
    assert not any(q.subject == orphan for q in data_quads(store_dir))


def test_a_days_count_the_dates_do_not_give_is_flagged(tmp_path):
    page = tmp_path / "days.txt"
    page.write_text(SEED.read_text(encoding="utf-8").replace("(na 49 dagen)", "(na 50 dagen)"), encoding="utf-8")
    report = ingest(tmp_path / "store", page)
    assert report.ok, report.errors
    quads = all_quads(tmp_path / "store", G)
    assert objects(quads, Q, KG.flag) == {Literal("days-mismatch")}
    assert objects(quads, Q, KG.daysTaken) == {Literal(50)}  # as printed
    plain = ingest(tmp_path / "plain", SEED)
    assert plain.ok and objects(all_quads(tmp_path / "plain", G), Q, KG.flag) == set()


def test_the_ontology_graph_states_the_package_version(empty_store):
    """kamergraph.__version__ is the one source: the Turtle files state no version of their own."""
    ontology = NamedNode("https://kamergraph.nl/def")
    stated = {q.object for q in all_quads(empty_store, ONTOLOGY_GRAPH)
              if q.subject == ontology and q.predicate == OWL.versionInfo}
    assert stated == {Literal(kamergraph.__version__)}
    for name in ("kamergraph.ttl", "shapes.ttl"):
        assert b"versionInfo" not in resources.files("kamergraph.ontology").joinpath(name).read_bytes()


def test_a_warning_is_flagged_by_its_kind_whatever_its_message_says():
    record = dataclasses.replace(parse_page(SEED.read_text(encoding="utf-8")), warnings=(
        PageWarning(WarningKind.DAYS_MISMATCH, "worded anew"),
        PageWarning(WarningKind.UNKNOWN_TOPIC, "the dates are 2 days apart", 4),
        PageWarning(WarningKind.ENCODING_REPAIRED, "worded anew as well"),
    ))
    source = Source("seed.txt", "0" * 64, FIXED_TIME, "kamergraph test")
    mapped = Mapper(Iris(BASE), load_reference()).question(record, source)
    assert [o for s, p, o in mapped.triples if s == Q and p == KG.flag] == [
        Literal("encoding-repaired"), Literal("days-mismatch")]
