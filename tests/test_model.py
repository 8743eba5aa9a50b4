"""The model of what the official sources add to a question, and of where it stands: addressees,
answer documents in order with their signatories, notices of delay and withdrawal, the deadline and
the status. Exact triples, from pages of examples/ and from records as a harvest makes them."""
from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from kamergraph.ingest.mapping import Mapper, Source
from kamergraph.ingest.parse import notice_kind, parse_page
from kamergraph.ingest.records import (
    Addressee,
    AnswerDocument,
    Answerer,
    Kamervraag,
    Member,
    Notice,
    NoticeKind,
    Role,
)
from kamergraph.ingest.refdata import load_reference
from kamergraph.ingest.validate import Validator
from kamergraph.iris import Iris
from kamergraph.ontology.terms import DCTERMS, KG, RDF, XSD

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ID = "https://kamergraph.nl/id/"
SOURCE = Source("test", "0" * 64, datetime(2024, 1, 2, tzinfo=UTC), "kamergraph test")
RUTTE_TK_ID = "8b3664bd-77e4-468b-af96-f3f4ec27fcce"  # in the reference tables: mark-rutte


def day(text: str) -> Literal:
    return Literal(text, datatype=XSD.date)


def node(path: str) -> NamedNode:
    return NamedNode(ID + path)


@pytest.fixture(scope="module")
def mapper() -> Mapper:
    return Mapper(Iris(), load_reference())


def mapped_page(mapper: Mapper, name: str):
    path = next(EXAMPLES.glob(name + "_*.txt"))
    return mapper.question(parse_page(path.read_text(encoding="utf-8")), SOURCE)


def about(mapped, subject: NamedNode, predicate: NamedNode) -> set:
    return {o for s, p, o in mapped.triples if s == subject and p == predicate}


def test_an_answer_after_a_notice_of_delay_is_due_six_weeks_after_submission(mapper):
    # Submitted 30 September 2021, a mededeling on 21 October, answered 18 November: the term ran
    # to 11 November, so the answer came a week late.
    mapped = mapped_page(mapper, "000")
    q = node("kamervraag/2021Z16860")
    assert about(mapped, q, KG.deadline) == {day("2021-11-11")}
    assert about(mapped, q, KG.status) == {KG.Answered}
    assert about(mapped, q, KG.answeredWithinTerm) == {Literal(False)}
    assert about(mapped, q, KG.dateAnswered) == {day("2021-11-18")}
    assert about(mapped, node("kamervraag/2021Z16860/mededeling/1"), RDF.type) == {KG.Notice, KG.DelayNotice}
    doc = node("document/ah-tk-20212022-753")
    assert about(mapped, doc, KG.position) == {Literal(1)}
    assert about(mapped, doc, DCTERMS.issued) == {day("2021-11-18")}
    assert about(mapped, doc, KG.supplementary) == set()
    for position in (1, 2):
        assert about(mapped, node(f"kamervraag/2021Z16860/beantwoorder/{position}"), KG.inDocument) == {doc}


def test_an_answer_within_three_weeks_is_within_the_term(mapper):
    mapped = mapped_page(mapper, "009")  # submitted 23 April 2019, answered the next day
    q = node("kamervraag/2019Z08003")
    assert about(mapped, q, KG.deadline) == {day("2019-05-14")}
    assert about(mapped, q, KG.answeredWithinTerm) == {Literal(True)}
    assert about(mapped, q, KG.status) == {KG.Answered}


def test_an_unanswered_question_is_open_with_its_deadline(mapper):
    mapped = mapped_page(mapper, "004")  # submitted 12 November 2019, a mededeling on 3 December
    q = node("kamervraag/2019Z21877")
    assert about(mapped, q, KG.status) == {KG.Open}
    assert about(mapped, q, KG.deadline) == {day("2019-12-24")}
    assert about(mapped, q, KG.answeredWithinTerm) == set()
    assert about(mapped, q, KG.dateAnswered) == set()


@pytest.mark.parametrize(("text", "kind"), [
    ("Hierbij deel ik u mede dat de schriftelijke vragen van het lid X niet binnen de gebruikelijke termijn van "
     "drie weken kunnen worden beantwoord.", NoticeKind.DELAY),
    ("Het lid X heeft zijn schriftelijke vragen ingetrokken.", NoticeKind.WITHDRAWAL),
    ("Mededeling over het intrekken van de schriftelijke vragen van het lid X.", NoticeKind.WITHDRAWAL),
])
def test_a_notice_is_told_apart_by_what_it_announces(text, kind):
    assert notice_kind(text) is kind


def test_a_page_whose_notice_withdraws_the_question_is_withdrawn(mapper):
    path = next(EXAMPLES.glob("004_*.txt"))
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("• Mededeling"))
    lines[at + 1:at + 2] = ["  Het lid heeft de schriftelijke vragen ingetrokken."]
    record = parse_page("\n".join(lines))
    assert record.withdrawn == date(2019, 12, 3)
    mapped = mapper.question(record, SOURCE)
    q = node("kamervraag/2019Z21877")
    assert about(mapped, q, KG.status) == {KG.Withdrawn}
    assert about(mapped, q, KG.dateWithdrawn) == {day("2019-12-03")}
    assert about(mapped, node("kamervraag/2019Z21877/mededeling/1"), RDF.type) == {KG.Notice, KG.WithdrawalNotice}
    # No notice of delay: the term stays three weeks.
    assert about(mapped, q, KG.deadline) == {day("2019-12-03")}


def harvested(**changes) -> Kamervraag:
    """A record as the official sources give it: three ministers addressed, one signs the answer,
    a further answer follows."""
    minister_az = Role("minister-president, minister van algemene zaken", "minister-president")
    finance = Role("minister van financiën", "minister", "financiën")
    health = Role("minister van volksgezondheid, welzijn en sport", "minister", "volksgezondheid, welzijn en sport")
    values = {
        "zaak": "2018Z01234",
        "title": "Een vraag",
        "submitted": date(2018, 3, 1),
        "submitters": (Member("Lilian Marijnissen", "SP"),),
        "addressees": (
            Addressee("M. Rutte", (minister_az,), "minister-president, minister van Algemene Zaken", RUTTE_TK_ID),
            Addressee("W.B. Hoekstra", (finance,), "minister van Financiën"),
            Addressee("H.M. de Jonge", (health,), "minister van Volksgezondheid, Welzijn en Sport"),
        ),
        "answer_documents": (
            AnswerDocument("ah-tk-20172018-1500", date(2018, 4, 10), "Antwoord", number="2018D20000",
                           answerers=(Answerer("W.B. Hoekstra", (finance,)),)),
            AnswerDocument("ah-tk-20172018-1900", date(2018, 5, 2), "Nader antwoord", supplementary=True,
                           answerers=(Answerer("W.B. Hoekstra", (finance,)), Answerer("H.M. de Jonge", (health,)))),
        ),
        "notices": (Notice(date(2018, 3, 20), "Uitstel.", NoticeKind.DELAY, "ah-tk-20172018-1400"),),
    }
    values.update(changes)
    return Kamervraag(**values)


def test_addressees_are_stated_apart_from_answerers(mapper):
    mapped = mapper.question(harvested(), SOURCE)
    q = node("kamervraag/2018Z01234")
    first = node("kamervraag/2018Z01234/gericht-aan/1")
    assert about(mapped, q, KG.addressing) == {node(f"kamervraag/2018Z01234/gericht-aan/{n}") for n in (1, 2, 3)}
    # The Tweede Kamer's Persoon id decides who a name stands for.
    assert about(mapped, first, KG.person) == {node("persoon/mark-rutte")}
    assert about(mapped, first, KG.printedName) == {Literal("M. Rutte")}
    assert about(mapped, first, KG.printedRole) == {Literal("minister-president, minister van Algemene Zaken")}
    assert about(mapped, first, KG.post) == {node("post/minister-president")}
    assert about(mapped, first, RDF.type) == {KG.Addressing}
    assert node("persoon/mark-rutte") in about(mapped, q, KG.addressedTo)
    # Financiën and VWS; the minister-president counts for no ministry, as for answerers.
    assert about(mapped, q, KG.addressedMinistry) == {node("ministerie/mnre1090"), node("ministerie/mnre1025")}


def test_answer_documents_in_order_with_their_signatories(mapper):
    mapped = mapper.question(harvested(), SOURCE)
    q = node("kamervraag/2018Z01234")
    first, nader = node("document/ah-tk-20172018-1500"), node("document/ah-tk-20172018-1900")
    assert about(mapped, q, KG.answerDocument) == {first, nader}
    assert about(mapped, first, KG.position) == {Literal(1)}
    assert about(mapped, nader, KG.position) == {Literal(2)}
    assert about(mapped, first, DCTERMS.issued) == {day("2018-04-10")}
    assert about(mapped, nader, KG.supplementary) == {Literal(True)}
    assert about(mapped, first, KG.documentNumber) == {Literal("2018D20000")}
    answerings = {n: node(f"kamervraag/2018Z01234/beantwoorder/{n}") for n in (1, 2, 3)}
    assert about(mapped, q, KG.answering) == set(answerings.values())
    assert about(mapped, answerings[1], KG.inDocument) == {first}
    assert about(mapped, answerings[2], KG.inDocument) == {nader}
    assert about(mapped, answerings[3], KG.inDocument) == {nader}
    # The first answer is the date answered; the delay notice gave six weeks.
    assert about(mapped, q, KG.dateAnswered) == {day("2018-04-10")}
    assert about(mapped, q, KG.daysTaken) == {Literal(40)}
    assert about(mapped, q, KG.deadline) == {day("2018-04-12")}
    assert about(mapped, q, KG.answeredWithinTerm) == {Literal(True)}
    assert about(mapped, node("kamervraag/2018Z01234/mededeling/1"), DCTERMS.identifier) == {
        Literal("ah-tk-20172018-1400")}


def test_a_withdrawn_question_is_withdrawn_whatever_else(mapper):
    mapped = mapper.question(harvested(answer_documents=(), withdrawn=date(2018, 3, 15)), SOURCE)
    q = node("kamervraag/2018Z01234")
    assert about(mapped, q, KG.status) == {KG.Withdrawn}
    assert about(mapped, q, KG.dateWithdrawn) == {day("2018-03-15")}


def known_types(mapper: Mapper, *more: Quad):
    types: dict = {}
    for quad in (*mapper.reference_quads(), *more):
        if quad.predicate == RDF.type:
            types.setdefault(quad.subject, set()).add(quad.object)
    return lambda term: types.get(term, set())


def test_the_new_statements_conform_to_the_shapes(mapper):
    mapped = mapper.question(harvested(), SOURCE)
    assert Validator().validate(mapped.quads, known_types(mapper, *mapped.entities)) == []


def test_a_status_outside_the_three_is_a_violation(mapper):
    mapped = mapper.question(harvested(), SOURCE)
    q = node("kamervraag/2018Z01234")
    quads = [Quad(s, p, o, mapped.graph) for s, p, o in mapped.triples if p != KG.status]
    quads.append(Quad(q, KG.status, NamedNode(KG.iri + "Overdue"), mapped.graph))
    messages = [str(v) for v in Validator().validate(quads, known_types(mapper, *mapped.entities))]
    assert any("exactly one status" in m for m in messages), messages
