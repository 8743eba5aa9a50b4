"""Records to quads, in the kamergraph ontology. Builds pyoxigraph terms directly (the hot path).

A question's own statements go into its named graph; the entities it mentions that are not in
the reference tables (persons, parties, posts) go into the shared entities graph.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from itertools import chain

from pyoxigraph import Literal, NamedNode, Quad

from kamergraph.graph.base import Values, add_value
from kamergraph.iris import Iris, key_of
from kamergraph.ontology.terms import DCTERMS, FOAF, KG, ORG, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, XSD

from .records import (
    Addressee,
    AnswerDocument,
    Answerer,
    Kamervraag,
    NoticeKind,
    PageWarning,
    Role,
    SubQuestion,
    WarningKind,
)
from .refdata import TAXONOMY_SCHEME, Ministry, Reference
from .resolve import PostInfo, Resolver, canonical_name

Term = NamedNode | Literal
Triple = tuple[NamedNode, NamedNode, Term]
Add = Callable[[NamedNode, NamedNode, Term], None]  # states one triple of a question's graph


# Where others keep a person: the Tweede Kamer's Persoon record (its open-data API, whichever mirror
# a harvest read), Wikidata's item, parlement.com's biography.
TK_PERSOON = "https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/Persoon"
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
PARLEMENT_COM = "https://www.parlement.com/id/"


def tk_persoon(tk_id: str) -> NamedNode:
    return NamedNode(f"{TK_PERSOON}({tk_id})")


def _date(value: date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


@dataclass(frozen=True)
class Source:
    """Where a record came from, for the provenance of its graph."""

    path: str
    sha256: str
    ingested_at: datetime
    software: str
    # A harvest: every URL it read for the question (the graph is then a kg:HarvestedGraph), and
    # the pages (path, hash, time) that described the zaak before, whose provenance stays.
    derived_from: tuple[str, ...] = ()
    earlier_pages: tuple[tuple[str, str, str], ...] = ()


@dataclass
class MappedQuestion:
    zaak: str
    graph: NamedNode
    triples: list[Triple]  # the question's own graph
    entities: list[Quad]  # statements for the shared entities graph
    new_names: dict[NamedNode, list[Quad]] = field(default_factory=dict)  # name triples of minted entities
    flags: list[str] = field(default_factory=list)
    # The question graph by subject and predicate, gathered while mapping: the validator, the
    # crawl rank and the search document read it without walking quads again.
    values: Values = field(default_factory=dict)
    printed: str | None = None  # kg:printedSubmitters
    submitters: SubmitterParts = ()  # what it was made of

    def add(self, subject: NamedNode, predicate: NamedNode, value: Term) -> None:
        """One statement of the question's graph."""
        self.triples.append((subject, predicate, value))
        add_value(self.values, subject, predicate, value)

    @cached_property
    def quads(self) -> list[Quad]:
        """The question's own graph as quads (the ingest writes ``nquads()`` instead)."""
        g = self.graph
        return [Quad(s, p, o, g) for s, p, o in self.triples]

    def nquads(self) -> bytes:
        """The question graph as N-Quads, written directly: a term's ``str`` is its N-Triples form,
        and this is several times cheaper than making quads and serialising them."""
        end = f" {self.graph} .\n"
        return "".join([f"{s} {p} {o}{end}" for s, p, o in self.triples]).encode()


class Mapper:
    def __init__(self, iris: Iris, reference: Reference):
        self.iris = iris
        self.reference = reference
        self.resolver = Resolver(reference)
        self._reference_quads: tuple[Quad, ...] | None = None

    # -- one question

    def question(self, record: Kamervraag, source: Source) -> MappedQuestion:
        """The question's own graph and the shared entities it names, from its record."""
        zaak = record.zaak
        mapped = MappedQuestion(zaak, self.iris.question_graph(zaak), [], [])
        q = self.iris.question(zaak)
        add = mapped.add
        self._facts(record, q, add)
        self._submissions(record, q, mapped)
        self._addressings(record, q, mapped)
        self._answerings(record, q, mapped)
        self._topics(record, q, mapped)
        self._documents(record, q, add)
        self._footnotes(record, q, add)
        for sub in record.subquestions:
            self._subquestion(zaak, q, sub, add)
        self._notices(record, q, add)
        mapped.flags.extend(_warning_flags(record.warnings))
        for flag in mapped.flags:
            add(q, KG.flag, Literal(flag))
        self._list_entries(record, q, mapped)
        self._printed_submitters(q, mapped)
        self._provenance(q, source, mapped)
        return mapped

    def _facts(self, record: Kamervraag, q: NamedNode, add: Add) -> None:
        add(q, RDF.type, KG.WrittenQuestion)
        add(q, KG.zaakNumber, Literal(record.zaak))
        add(q, DCTERMS.title, Literal(record.title))
        add(q, DCTERMS.dateSubmitted, _date(record.submitted))
        deadline = record.deadline
        add(q, KG.deadline, _date(deadline))
        answered = _date_answered(record)
        if answered:
            add(q, KG.dateAnswered, _date(answered))
            add(q, KG.answeredWithinTerm, Literal(answered <= deadline))
        if record.days is not None:
            add(q, KG.daysTaken, Literal(record.days))
        elif answered:
            add(q, KG.daysTaken, Literal((answered - record.submitted).days))
        if record.withdrawn:
            add(q, KG.dateWithdrawn, _date(record.withdrawn))
        # Open or overdue is a matter of the day one asks (kg:deadline); these three stay true.
        add(q, KG.status, KG.Withdrawn if record.withdrawn else KG.Answered if answered else KG.Open)

    def _submissions(self, record: Kamervraag, q: NamedNode, mapped: MappedQuestion) -> None:
        add = mapped.add
        for position, member in enumerate(record.submitters, start=1):
            person = self._person(member.name, mapped, member.person_id)
            add(q, KG.mainSubmitter if position == 1 else KG.coSubmitter, person)
            node = self.iris.part(record.zaak, "submission", position)
            add(q, KG.submission, node)
            add(node, RDF.type, KG.Submission)
            add(node, KG.position, Literal(position))
            add(node, KG.person, person)
            add(node, KG.printedName, Literal(member.name))
            if member.party:
                add(node, KG.party, self._party(member.party, mapped))

    def _addressings(self, record: Kamervraag, q: NamedNode, mapped: MappedQuestion) -> None:
        ministries: list[NamedNode] = []
        for position, addressee in enumerate(record.addressees, start=1):
            for ministry in self._addressing(record, q, position, addressee, mapped):
                if ministry not in ministries:
                    ministries.append(ministry)
        for ministry in ministries:
            mapped.add(q, KG.addressedMinistry, ministry)

    def _addressing(self, record: Kamervraag, q: NamedNode, position: int, addressee: Addressee,
                    mapped: MappedQuestion) -> list[NamedNode]:
        """One addressee's statements; the ministries its roles stand for."""
        add = mapped.add
        person = self._person(addressee.name, mapped, addressee.person_id)
        node = self.iris.part(record.zaak, "addressing", position)
        add(q, KG.addressing, node)
        add(q, KG.addressedTo, person)
        add(node, RDF.type, KG.Addressing)
        add(node, KG.position, Literal(position))
        add(node, KG.person, person)
        add(node, KG.printedName, Literal(addressee.name))
        add(node, KG.printedRole, Literal(addressee.function or ", ".join(r.text for r in addressee.roles)))
        return self._posts(node, addressee, on=record.submitted, mapped=mapped)

    def _answerings(self, record: Kamervraag, q: NamedNode, mapped: MappedQuestion) -> None:
        ministries: list[NamedNode] = []
        position = 0
        for document in record.answers:
            on = document.date or _date_answered(record) or record.submitted
            for answerer in document.answerers:
                position += 1
                for ministry in self._answering(record.zaak, q, position, answerer, document, on=on, mapped=mapped):
                    if ministry not in ministries:
                        ministries.append(ministry)
        for ministry in ministries:
            mapped.add(q, KG.answeringMinistry, ministry)

    def _answering(self, zaak: str, q: NamedNode, position: int, answerer: Answerer, document: AnswerDocument, *,
                   on: date, mapped: MappedQuestion) -> list[NamedNode]:
        """One answerer's statements; the ministries its roles answer for."""
        add = mapped.add
        person = self._person(answerer.name, mapped, answerer.person_id)
        node = self.iris.part(zaak, "answering", position)
        add(q, KG.answering, node)
        add(q, KG.answeredBy, person)
        if document.identifier:
            add(node, KG.inDocument, self.iris.thing("document", document.identifier))
        add(node, RDF.type, KG.Answering)
        add(node, KG.position, Literal(position))
        add(node, KG.person, person)
        add(node, KG.printedName, Literal(answerer.name))
        add(node, KG.printedRole, Literal(", ".join(role.text for role in answerer.roles)))
        if answerer.party:
            add(node, KG.party, self._party(answerer.party, mapped))
        return self._posts(node, answerer, on=on, mapped=mapped)

    def _posts(self, node: NamedNode, holder: Answerer | Addressee, *, on: date,
               mapped: MappedQuestion) -> list[NamedNode]:
        """The cabinet posts of a qualified role (kg:post); the ministries they stand for."""
        ministries = []
        for role in holder.roles:
            post = self.resolver.post(role, on)
            mapped.add(node, KG.post, self._post(post, mapped))
            placed = self._ministry_of(holder, role, post, on)
            if placed and role.kind != "minister-president":
                ministries.append(self.iris.thing("ministry", placed.code))
        return ministries

    def _ministry_of(self, holder: Answerer | Addressee, role: Role, post: PostInfo, on: date) -> Ministry | None:
        if post.ministry is None and role.kind == "minister zonder portefeuille":
            # The post names no ministry; the holder's own tenure on that day does.
            person = self.resolver.person(holder.name, holder.person_id)
            if person.known:
                return self.resolver.ministry_of_tenure(person.key, role.kind, on)
        return post.ministry

    def _topics(self, record: Kamervraag, q: NamedNode, mapped: MappedQuestion) -> None:
        topics, topic_flags = self.resolver.topics(record.topics)
        mapped.flags.extend(topic_flags)
        for topic in topics:
            mapped.add(q, DCTERMS.subject, self.iris.thing("topic", topic.key))

    def _footnotes(self, record: Kamervraag, q: NamedNode, add: Add) -> None:
        for note in record.footnotes:
            node = self.iris.part(record.zaak, "footnote", note.number)
            add(q, KG.footnote, node)
            add(node, RDF.type, KG.Footnote)
            add(node, KG.number, Literal(note.number))
            add(node, KG.text, Literal(note.text))

    def _notices(self, record: Kamervraag, q: NamedNode, add: Add) -> None:
        for number, notice in enumerate(record.notices, start=1):
            node = self.iris.part(record.zaak, "notice", number)
            add(q, KG.notice, node)
            add(node, RDF.type, KG.Notice)
            if notice.kind is not NoticeKind.OTHER:
                add(node, RDF.type, _NOTICE_CLASSES[notice.kind])
            add(node, DCTERMS.date, _date(notice.date))
            add(node, KG.text, Literal(notice.text))
            if notice.identifier:
                add(node, DCTERMS.identifier, Literal(notice.identifier))

    def _list_entries(self, record: Kamervraag, q: NamedNode, mapped: MappedQuestion) -> None:
        """The question's key (kg:listKey) and its entry (kg:entry, the same integer) in every list it
        belongs to (see ``list_nodes``): a list of a person, party, ministry, post or topic is then one
        triple pattern, ordered by its entries, where the statements it summarises take a join per
        question. The key is the date of submission and the zaak number's digits (20210930202116860
        for 2021Z16860 of 2021-09-30): stores keep integers inline, so ordering reads no strings.
        Entries live in the question's graph, so replacing the question replaces them; what a list
        is (kg:questionList from its thing, kg:pairSource, kg:days, ...) in the entities graph, once.
        An open question has a second key, kg:openKey (its deadline first, see ``open_entry``), for
        the lists of open questions (``open_list_nodes``), which are read in order of deadline."""
        key = Literal(list_entry(record.submitted, record.zaak))
        mapped.add(q, KG.listKey, key)
        g = self.iris.entities_graph
        for node, about in list_nodes(mapped.values, q, self._topic_parents):
            mapped.add(node, KG.entry, key)
            mapped.entities.extend(Quad(s, p, o, g) for s, p, o in about)
        open_lists, links = open_list_nodes(mapped.values, q)
        mapped.entities.extend(Quad(s, p, o, g) for s, p, o in links)
        if open_lists:
            open_key = Literal(open_entry(record.submitted, record.deadline, record.zaak))
            mapped.add(q, KG.openKey, open_key)
            for node in open_lists:
                mapped.add(node, KG.entry, open_key)

    def _printed_submitters(self, q: NamedNode, mapped: MappedQuestion) -> None:
        """kg:printedSubmitters: the submitters as the lists of questions show them, in one literal, so
        a list does not join each question's submissions, persons and parties. The names are the
        reference's or those this page mints; where the store named a minted entity otherwise
        first, the ingest puts the stored name in (``Ingestor._as_named``)."""
        minted = {(quad.subject.value, quad.predicate): quad.object for quads in mapped.new_names.values()
                  for quad in quads if isinstance(quad.subject, NamedNode) and isinstance(quad.object, Literal)}
        mapped.submitters = submitter_parts(mapped.values, q)
        printed = render_submitters(mapped.submitters, lambda iri, predicate: (
            self.reference_names.get((iri, predicate)) or minted.get((iri, predicate))))
        if printed is not None:
            mapped.printed = printed
            mapped.add(q, KG.printedSubmitters, Literal(printed))

    @cached_property
    def reference_names(self) -> dict[tuple[str, NamedNode], Literal]:
        """The foaf:name of each reference person and the skos:prefLabel of each reference party, as
        the reference graph states them (_person_triples, _party_triples)."""
        thing = self.iris.thing
        names = {(thing("person", person.key).value, FOAF.name): Literal(person.name)
                 for person in self.reference.persons}
        names.update({(thing("party", party.key).value, SKOS.prefLabel): Literal(party.label)
                      for party in self.reference.parties})
        return names

    @cached_property
    def _topic_parents(self) -> dict[str, str]:
        """Topic IRI -> the IRI of its broader theme, from the reference taxonomy."""
        by_uri = {t.uri: t for t in self.reference.topics}
        parents = {}
        for topic in self.reference.topics:
            parent = by_uri.get(topic.parent_uri) if topic.parent_uri else None
            if parent:
                parents[self.iris.thing("topic", topic.key).value] = self.iris.thing("topic", parent.key).value
        return parents

    def _provenance(self, q: NamedNode, source: Source, mapped: MappedQuestion) -> None:
        g, add = mapped.graph, mapped.add
        add(g, RDF.type, KG.QuestionGraph)
        add(g, FOAF.primaryTopic, q)
        add(g, KG.sourceFile, Literal(source.path))
        add(g, PROV.generatedAtTime, Literal(source.ingested_at.isoformat(), datatype=XSD.dateTime))
        add(g, KG.softwareVersion, Literal(source.software))
        if source.derived_from:
            add(g, RDF.type, KG.HarvestedGraph)
            for url in source.derived_from:
                add(g, PROV.wasDerivedFrom, NamedNode(url))
        for number, (path, sha256, at) in enumerate(source.earlier_pages, start=1):
            page = NamedNode(f"{g.value}/bron/{number}")
            add(g, PROV.wasDerivedFrom, page)
            add(page, RDF.type, KG.PageSource)
            add(page, RDFS.label, Literal(path))
            add(page, KG.sourceHash, Literal(sha256))  # where ingest looks: the page is skipped unparsed
            add(page, PROV.generatedAtTime, Literal(at, datatype=XSD.dateTime))
        # Last: a store that takes a large graph in parts holds its hash, which marks the page
        # stored, only once the rest is in.
        add(g, KG.sourceHash, Literal("sha256:" + source.sha256))

    def _documents(self, record: Kamervraag, q: NamedNode, add: Add) -> None:
        if record.question_document:
            self._document(q, KG.questionDocument, KG.QuestionDocument, identifier=record.question_document,
                           title=record.question_document_title, url=record.question_url, add=add)
        for position, answer in enumerate((a for a in record.answers if a.identifier), start=1):
            assert answer.identifier is not None
            doc = self._document(q, KG.answerDocument, KG.AnswerDocument, identifier=answer.identifier,
                                 title=answer.title, url=answer.url, add=add)
            add(doc, KG.position, Literal(position))
            if answer.date:
                add(doc, DCTERMS.issued, _date(answer.date))
            if answer.supplementary:
                add(doc, KG.supplementary, Literal(True))
            if answer.number:
                add(doc, KG.documentNumber, Literal(answer.number))

    def _document(self, q: NamedNode, prop: NamedNode, cls: NamedNode, *, identifier: str, title: str | None,
                  url: str | None, add: Add) -> NamedNode:
        doc = self.iris.thing("document", identifier)
        add(q, prop, doc)
        add(doc, RDF.type, KG.SourceDocument)
        add(doc, RDF.type, cls)
        add(doc, DCTERMS.identifier, Literal(identifier))
        if title:
            add(doc, DCTERMS.title, Literal(title))
        if url:
            add(doc, FOAF.page, NamedNode(url))
        return doc

    def _subquestion(self, zaak: str, q: NamedNode, sub: SubQuestion, add: Add) -> None:
        node = self.iris.part(zaak, "subquestion", sub.number)
        add(q, KG.subQuestion, node)
        add(node, RDF.type, KG.SubQuestion)
        add(node, KG.number, Literal(sub.number))
        add(node, KG.text, Literal(sub.question))
        for marker in sub.question_footnotes:
            add(node, KG.footnoteMarker, Literal(marker))
        if sub.answer is None:
            return
        answer = self.iris.part(zaak, "answer", sub.number)
        add(node, KG.hasAnswer, answer)
        add(answer, RDF.type, KG.Answer)
        add(answer, KG.number, Literal(sub.number))
        add(answer, KG.text, Literal(sub.answer))
        add(answer, KG.answerTo, node)
        for marker in sub.answer_footnotes:
            add(answer, KG.footnoteMarker, Literal(marker))
        for target in sub.refers_to:
            add(answer, KG.refersTo, self.iris.part(zaak, "answer", target))
        if sub.combined:
            add(answer, KG.combinedAnswer, Literal(True))

    # -- shared entities

    def _person(self, name: str, mapped: MappedQuestion, tk_id: str | None = None) -> NamedNode:
        resolved = self.resolver.person(name, tk_id)
        node = self.iris.thing("person", resolved.key)
        if resolved.flag:
            mapped.flags.append(resolved.flag)
        if not resolved.known and node not in mapped.new_names:
            g = self.iris.entities_graph
            mapped.entities.append(Quad(node, RDF.type, KG.Person, g))
            mapped.new_names[node] = [Quad(node, FOAF.name, Literal(canonical_name(name)), g)]
        return node

    def _party(self, label: str, mapped: MappedQuestion) -> NamedNode:
        resolved = self.resolver.party(label)
        node = self.iris.thing("party", resolved.key)
        if not resolved.known:
            if resolved.flag:
                mapped.flags.append(resolved.flag)
            if node not in mapped.new_names:
                g = self.iris.entities_graph
                mapped.entities.append(Quad(node, RDF.type, KG.Party, g))
                mapped.entities.append(Quad(node, KG.flag, Literal("unknown-party"), g))
                mapped.new_names[node] = [Quad(node, SKOS.prefLabel, Literal(label), g)]
        return node

    def _post(self, post: PostInfo, mapped: MappedQuestion) -> NamedNode:
        node = self.iris.thing("post", post.key)
        if post.flag:
            mapped.flags.append(post.flag)
        if post.key not in self._reference_posts:
            # The union default graph repeats a triple stored in two graphs: state each post once.
            mapped.entities.extend(self._post_quads(node, post, self.iris.entities_graph))
        return node

    @cached_property
    def _reference_posts(self) -> set[str]:
        return {self.resolver.post(role, on).key for role, on in self._tenure_roles()}

    def _tenure_roles(self):
        for tenure in self.reference.tenures:
            role = Role(" ".join(p for p in (tenure.kind, tenure.portfolio) if p), tenure.kind, tenure.portfolio)
            yield role, tenure.start or date(2000, 1, 1)

    def _post_quads(self, node: NamedNode, post: PostInfo, g: NamedNode) -> list[Quad]:
        return [Quad(s, p, o, g) for s, p, o in self._post_triples(node, post)]

    def _post_triples(self, node: NamedNode, post: PostInfo) -> Iterator[Triple]:
        yield node, RDF.type, KG.CabinetPost
        yield node, SKOS.prefLabel, Literal(post.label, language="nl")
        yield node, KG.postKind, Literal(post.kind)
        if post.portfolio:
            yield node, KG.portfolio, Literal(post.portfolio)
        if post.ministry:
            yield node, ORG.postIn, self.iris.thing("ministry", post.ministry.code)

    # -- the reference graph

    def reference_quads(self) -> tuple[Quad, ...]:
        """Topics, ministries, parties, persons, memberships and posts of the reference tables
        (built once per mapper: the ingest both stores them and reads their types)."""
        if self._reference_quads is None:
            g = self.iris.reference_graph
            stable = _StableIris(self.iris)
            triples = chain(self._topic_triples(), self._ministry_triples(), self._party_triples(),
                            self._person_triples(), self._membership_triples(stable), self._tenure_triples(stable))
            self._reference_quads = tuple(Quad(s, p, o, g) for s, p, o in triples)
        return self._reference_quads

    def _topic_triples(self) -> Iterator[Triple]:
        iris, topics = self.iris, self.reference.topics
        scheme = iris.topic_scheme
        yield scheme, RDF.type, SKOS.ConceptScheme
        yield scheme, SKOS.prefLabel, Literal("TaxonomieBeleidsagenda", language="nl")
        yield scheme, SKOS.exactMatch, NamedNode(TAXONOMY_SCHEME)
        by_uri = {t.uri: t for t in topics}
        for topic in topics:
            node = iris.thing("topic", topic.key)
            yield node, RDF.type, KG.Topic
            yield node, RDF.type, SKOS.Concept
            yield node, SKOS.prefLabel, Literal(topic.label, language="nl")
            yield node, SKOS.exactMatch, NamedNode(topic.uri)
            yield node, SKOS.inScheme, scheme
            parent = by_uri.get(topic.parent_uri) if topic.parent_uri else None
            if parent:
                yield node, SKOS.broader, iris.thing("topic", parent.key)
                yield iris.thing("topic", parent.key), SKOS.narrower, node
            else:
                yield node, SKOS.topConceptOf, scheme
                yield scheme, SKOS.hasTopConcept, node

    def _ministry_triples(self) -> Iterator[Triple]:
        for ministry in self.reference.ministries:
            node = self.iris.thing("ministry", ministry.code)
            yield node, RDF.type, KG.Ministry
            yield node, RDF.type, ORG.FormalOrganization
            yield node, SKOS.prefLabel, Literal(ministry.name, language="nl")
            yield node, SKOS.altLabel, Literal(ministry.abbreviation, language="nl")
            yield node, SKOS.exactMatch, NamedNode(ministry.tooi)
            yield node, SKOS.notation, Literal(ministry.code)

    def _party_triples(self) -> Iterator[Triple]:
        for party in self.reference.parties:
            node = self.iris.thing("party", party.key)
            yield node, RDF.type, KG.Party
            yield node, SKOS.prefLabel, Literal(party.label)
            yield node, FOAF.name, Literal(party.name)
            for alias in party.aliases:
                if alias not in (party.label, party.name):
                    yield node, SKOS.altLabel, Literal(alias)

    def _person_triples(self) -> Iterator[Triple]:
        for person in self.reference.persons:
            node = self.iris.thing("person", person.key)
            yield node, RDF.type, KG.Person
            yield node, FOAF.name, Literal(person.name)
            if person.forename:
                yield node, FOAF.givenName, Literal(person.forename)
            yield node, FOAF.familyName, Literal(" ".join(p for p in (person.prefix, person.surname) if p))
            # Wikidata's item is the person: owl:sameAs. The Kamer's record and parlement.com's page
            # are about the person: skos:exactMatch (as the ontology says on kg:Person).
            if person.tk_id:
                yield node, KG.tkId, Literal(person.tk_id)
                yield node, SKOS.exactMatch, tk_persoon(person.tk_id)
            if person.wikidata:
                yield node, OWL.sameAs, NamedNode(WIKIDATA_ENTITY + person.wikidata)
            if person.parlement_com:
                yield node, SKOS.exactMatch, NamedNode(f"{PARLEMENT_COM}{person.parlement_com}/")
            if person.birthdate:
                yield node, SCHEMA.birthDate, _date(person.birthdate)

    def _membership_triples(self, stable: _StableIris) -> Iterator[Triple]:
        iris = self.iris
        for membership in self.reference.memberships:
            node = stable.mint("membership", f"{membership.person}-{membership.party}-{_since(membership.start)}")
            person = iris.thing("person", membership.person)
            yield node, RDF.type, KG.PartyMembership
            yield node, ORG.member, person
            yield node, ORG.organization, iris.thing("party", membership.party)
            yield person, ORG.hasMembership, node
            yield from _validity(node, membership.start, membership.end)

    def _tenure_triples(self, stable: _StableIris) -> Iterator[Triple]:
        seen_posts: set[str] = set()
        for tenure, (role, on) in zip(self.reference.tenures, self._tenure_roles(), strict=True):
            post = self.resolver.post(role, on)
            post_node = self.iris.thing("post", post.key)
            if post.key not in seen_posts:
                seen_posts.add(post.key)
                yield from self._post_triples(post_node, post)
            node = stable.mint("tenure", f"{tenure.person}-{post.key}-{_since(tenure.start)}")
            person = self.iris.thing("person", tenure.person)
            yield node, RDF.type, KG.PostTenure
            yield node, KG.person, person
            yield node, KG.post, post_node
            yield person, ORG.holds, post_node
            yield from _validity(node, tenure.start, tenure.end)


class _StableIris:
    """Membership and tenure IRIs made of what they are (who, where, from when), not of their
    place in the reference tables, so they stay the same when the tables gain or lose a row; a
    key that comes again gets a number."""

    def __init__(self, iris: Iris):
        self.iris = iris
        self._minted: dict[str, int] = {}

    def mint(self, kind: str, key: str) -> NamedNode:
        count = self._minted[key] = self._minted.get(key, 0) + 1
        return self.iris.thing(kind, key if count == 1 else f"{key}-{count}")


_NOTICE_CLASSES = {NoticeKind.DELAY: KG.DelayNotice, NoticeKind.WITHDRAWAL: KG.WithdrawalNotice}


def list_entry(submitted: date, zaak: str) -> int:
    """A question's kg:entry: YYYYMMDD of submission, then the zaak number (YYYYZNNNNN) without its Z."""
    return int(submitted.strftime("%Y%m%d") + zaak[:4] + zaak[5:])


def open_entry(submitted: date, deadline: date, zaak: str) -> int:
    """An open question's kg:openKey: YYYYMMDD of its deadline, the zaak number without its Z, then
    the weeks it was given (3, or 6 after a mededeling), from which a query tells its date of
    submission without reading it."""
    return list_entry(deadline, zaak) * 10 + (deadline - submitted).days // 7


def open_list_nodes(values: Values, q: NamedNode
                    ) -> tuple[list[NamedNode], list[tuple[NamedNode, NamedNode, NamedNode]]]:
    """The lists of open questions a mapped question belongs to (none unless kg:status kg:Open), whose
    entries are its kg:openKey: kg:OpenQuestions and ``X#open`` of each party printed with a
    submitter and each ministry it is addressed to (kg:addressedMinistry); and the statements
    linking those parties and ministries to their lists (kg:openList). The links come with every
    question, open or not, so that a question answered since leaves the entities graph as a fresh
    ingest of it would: an empty list is still linked, a link never depends on a status."""
    own = values.get(q, {})
    owners = [party for submission in own.get(KG.submission, [])
              for party in values.get(submission, {}).get(KG.party, [])]
    owners += own.get(KG.addressedMinistry, [])
    links = [(owner, KG.openList, NamedNode(owner.value + "#open"))
             for owner in dict.fromkeys(o for o in owners if isinstance(o, NamedNode))]
    if KG.Open not in own.get(KG.status, []):
        return [], links
    return [KG.OpenQuestions, *(node for _, _, node in links)], links


def list_nodes(values: Values, q: NamedNode, topic_parents: dict[str, str]
               ) -> list[tuple[NamedNode, list[tuple[NamedNode, NamedNode, Term]]]]:
    """Every list a mapped question belongs to, each once, with the statements that say what the
    list is (for the entities graph):

    - ``PERSON#vragen`` (submitted; ``PERSON kg:questionList`` it) and ``PERSON#beantwoord``
      (answered; kg:answeredList); ``X#vragen`` (kg:questionList) of a party printed with a
      submitter, an answering ministry, a post answered in, a topic and the theme above it;
    - ``SOURCE#aan-KIND-KEY``: a pair of who asked whom, from a member or printed party
      (kg:memberToMinister, kg:memberToMinistry, kg:partyToMinister, kg:partyToMinistry) to an
      answerer (kg:answeredBy) or answering ministry (kg:pairTarget);
    - ``MINISTRY#dagen-N``: answered (kg:dateAnswered) on behalf of the ministry in N days
      (kg:daysTaken; kg:daysList, kg:days), and so ``POST#dagen-N`` (kg:postDaysList), ``PARTY#dagen-N``
      (kg:partyDaysList) and ``PERSON#dagen-N-als-POST`` (kg:answererDaysList; POST the post's key);
      ``OWNER#binnen-termijn`` (``PERSON#binnen-termijn-als-POST``; kg:withinTermList) of each of them,
      answered by the deadline; ``MINISTRY#met-mededeling``
      (kg:noticedList) of those with a kg:notice;
    - ``PERSON#ingediend-eerste[-PARTY]`` and ``PERSON#ingediend-mede[-PARTY]`` (kg:mainSubmissionList,
      kg:coSubmissionList; kg:printedParty): submitted as main or co-submitter, with that party printed;
    - kg:UnansweredQuestions while no answer date is known;
    - ``PARTY#onderwerp-TOPIC`` (kg:topicList; kg:listTopic): a party printed with a submitter and
      a topic the question is tagged with (as tagged, not rolled up);
    - ``A#samen-met-B`` (kg:submittedWithList; kg:submittedWith): two members who submitted it
      together, A before B by IRI, and ``A#samen-met-B.PA.PB`` (kg:printedPartiesList;
      kg:firstPrintedParty, kg:secondPrintedParty): with those parties printed (empty for none).
    """
    found: dict[NamedNode, list[tuple[NamedNode, NamedNode, Term]]] = {}

    def of(subject: object, predicate: NamedNode) -> list[str]:
        """The IRIs a node's statements of one predicate point to."""
        objects = values.get(subject, {}).get(predicate, []) if isinstance(subject, NamedNode) else []
        return [o.value for o in objects if isinstance(o, NamedNode)]

    def listed(owner: str, link: NamedNode, fragment: str) -> None:
        node = NamedNode(owner + fragment)
        if node not in found:
            found[node] = [(NamedNode(owner), link, node)]

    own = values.get(q, {})
    members: dict[str, None] = {}
    parties: dict[str, None] = {}
    for submission in own.get(KG.submission, []):
        members.update(dict.fromkeys(of(submission, KG.person)))
        parties.update(dict.fromkeys(of(submission, KG.party)))
    for thing in [*members, *parties]:
        listed(thing, KG.questionList, "#vragen")
    for submission in own.get(KG.submission, []):
        _submission_lists(found, values, submission, of)
    posts: dict[str, None] = {}
    answerers_in_posts: dict[tuple[str, str], None] = {}
    for answering in own.get(KG.answering, []):
        for person in of(answering, KG.person):
            listed(person, KG.answeredList, "#beantwoord")
            answerers_in_posts.update(dict.fromkeys((person, post) for post in of(answering, KG.post)))
        for post in of(answering, KG.post):
            listed(post, KG.questionList, "#vragen")
            posts[post] = None
    ministries = of(q, KG.answeringMinistry)
    for ministry in ministries:
        listed(ministry, KG.questionList, "#vragen")
    for topic in of(q, DCTERMS.subject):
        listed(topic, KG.questionList, "#vragen")
        parent = topic_parents.get(topic)
        if parent:
            listed(parent, KG.questionList, "#vragen")
    answerers = of(q, KG.answeredBy)
    pairs = ((members, answerers, "persoon", KG.memberToMinister),
             (members, ministries, "ministerie", KG.memberToMinistry),
             (parties, answerers, "persoon", KG.partyToMinister),
             (parties, ministries, "ministerie", KG.partyToMinistry))
    for sources, targets, kind, link in pairs:
        for source in sources:
            for target in targets:
                node = NamedNode(f"{source}#aan-{kind}-{key_of(target)}")
                found.setdefault(node, [(NamedNode(source), link, node), (node, KG.pairTarget, NamedNode(target))])
    if KG.dateAnswered in own:
        days = [d for d in own.get(KG.daysTaken, []) if isinstance(d, Literal)]
        _answer_time_lists(found, days, Literal(True) in own.get(KG.answeredWithinTerm, []), [
            *((ministry, KG.daysList, None) for ministry in ministries),
            *((post, KG.postDaysList, None) for post in posts),
            *((party, KG.partyDaysList, None) for party in parties),
            *((person, KG.answererDaysList, post) for person, post in answerers_in_posts)])
        if days and KG.notice in own:
            for ministry in ministries:
                listed(ministry, KG.noticedList, "#met-mededeling")
    else:
        found[KG.UnansweredQuestions] = []
    for party in parties:
        for topic in of(q, DCTERMS.subject):
            node = NamedNode(f"{party}#onderwerp-{key_of(topic)}")
            found.setdefault(node, [(NamedNode(party), KG.topicList, node), (node, KG.listTopic, NamedNode(topic))])
    _co_submitter_lists(found, [(person, of(submission, KG.party))
                                for submission in own.get(KG.submission, []) for person in of(submission, KG.person)])
    return list(found.items())


def _answer_time_lists(found: dict[NamedNode, list[tuple[NamedNode, NamedNode, Term]]], days: list[Literal],
                       within: bool, owners: list[tuple[str, NamedNode, str | None]]) -> None:
    """The lists of an answered question by answer time: for each owner (a ministry, post, party, or
    a person in the post given), ``OWNER#dagen-N`` of those answered in N days (kg:days; linked by the
    owner's kind of days list) and ``OWNER#binnen-termijn`` (kg:withinTermList) of those answered by
    the deadline. A person's lists end in ``-als-`` and the post's key, and name the post with
    kg:answeredInPost. A percentile or share is then counted from a group's lists, not from a join
    of every question."""
    for owner, link, post in owners:
        suffix = f"-als-{key_of(post)}" if post else ""
        in_post: list[tuple[NamedNode, Term]] = [(KG.answeredInPost, NamedNode(post))] if post else []
        for day in days:
            node = NamedNode(f"{owner}#dagen-{day.value}{suffix}")
            found.setdefault(node, [(NamedNode(owner), link, node), (node, KG.days, day),
                                    *((node, p, o) for p, o in in_post)])
        if within and days:
            node = NamedNode(f"{owner}#binnen-termijn{suffix}")
            found.setdefault(node, [(NamedNode(owner), KG.withinTermList, node), *((node, p, o) for p, o in in_post)])


def _co_submitter_lists(found: dict[NamedNode, list[tuple[NamedNode, NamedNode, Term]]],
                        printed: list[tuple[str, list[str]]]) -> None:
    """For every two submissions of different members (each person with the parties printed with
    it): the pair's list ``A#samen-met-B`` (A sorts before B), and the list of the pair printed with
    each combination of their parties, ``A#samen-met-B.PA.PB`` (a key empty for no party; keys are
    slugs, which hold no dot)."""
    for index, first in enumerate(printed):
        for second in printed[index + 1:]:
            if first[0] == second[0]:
                continue
            (a, parties_a), (b, parties_b) = sorted((first, second))
            pair = NamedNode(f"{a}#samen-met-{key_of(b)}")
            found.setdefault(pair, [(NamedNode(a), KG.submittedWithList, pair), (pair, KG.submittedWith, NamedNode(b))])
            for party_a in parties_a or [""]:
                for party_b in parties_b or [""]:
                    keys = ".".join(key_of(party) if party else "" for party in (party_a, party_b))
                    node = NamedNode(f"{pair.value}.{keys}")
                    about: list[tuple[NamedNode, NamedNode, Term]] = [(pair, KG.printedPartiesList, node)]
                    about += [(node, link, NamedNode(party))
                              for link, party in ((KG.firstPrintedParty, party_a), (KG.secondPrintedParty, party_b))
                              if party]
                    found.setdefault(node, about)


def _submission_lists(found: dict[NamedNode, list[tuple[NamedNode, NamedNode, Term]]], values: Values,
                      submission: object, of: Callable[[object, NamedNode], list[str]]) -> None:
    """``PERSON#ingediend-ROLE[-PARTY]``: the person's questions as main (position 1, ``eerste``) or
    co-submitter (``mede``), printed with that party (kg:printedParty) or with none."""
    positions = values.get(submission, {}).get(KG.position, []) if isinstance(submission, NamedNode) else []
    main = any(isinstance(p, Literal) and p.value == "1" for p in positions)
    link, role = (KG.mainSubmissionList, "eerste") if main else (KG.coSubmissionList, "mede")
    for person in of(submission, KG.person):
        printed: list[str | None] = [*of(submission, KG.party)] or [None]
        for party in printed:
            node = NamedNode(f"{person}#ingediend-{role}" + (f"-{key_of(party)}" if party else ""))
            about: list[tuple[NamedNode, NamedNode, Term]] = [(NamedNode(person), link, node)]
            if party:
                about.append((node, KG.printedParty, NamedNode(party)))
            found.setdefault(node, about)


# A question's submitters in printed order: each person's IRI with the IRIs of the parties printed with it.
SubmitterParts = tuple[tuple[str, tuple[str, ...]], ...]
NameOf = Callable[[str, NamedNode], Literal | None]  # (IRI, foaf:name or skos:prefLabel) -> the name held


def submitter_parts(values: Values, q: NamedNode) -> SubmitterParts:
    """The question's submissions (kg:submission) in printed order (kg:position)."""
    parts = []
    for submission in values.get(q, {}).get(KG.submission, []):
        props = values.get(submission, {})
        position = min((int(p.value) for p in props.get(KG.position, []) if isinstance(p, Literal)), default=0)
        parties = tuple(party.value for party in props.get(KG.party, []) if isinstance(party, NamedNode))
        parts += [(position, person.value, parties) for person in props.get(KG.person, [])
                  if isinstance(person, NamedNode)]
    return tuple((person, parties) for _, person, parties in sorted(parts, key=lambda part: part[0]))


def render_submitters(parts: SubmitterParts, name_of: NameOf) -> str | None:
    """The value of kg:printedSubmitters: each submitter as the person's foaf:name, with the printed
    party's skos:prefLabel in brackets where one is printed, joined with "; " (None without
    submitters). As the joins it stands for: a person without a name is left out, a party
    without a label is not printed."""
    printed = []
    for person, parties in parts:
        name = name_of(person, FOAF.name)
        if name is None:
            continue
        labels = [label.value for party in parties for label in [name_of(party, SKOS.prefLabel)] if label is not None]
        printed += [f"{name.value} ({label})" for label in labels] or [name.value]
    return "; ".join(printed) if printed else None


def _date_answered(record: Kamervraag) -> date | None:
    """The day of the first answer: the page's date, or the first dated answer document."""
    if record.answered:
        return record.answered
    return next((a.date for a in record.answers if a.date and not a.supplementary), None)


def _validity(node: NamedNode, start: date | None, end: date | None) -> Iterator[Triple]:
    if start:
        yield node, SCHEMA.validFrom, _date(start)
    if end:
        yield node, SCHEMA.validUntil, _date(end)


def _since(start: date | None) -> str:
    return start.isoformat() if start else "onbekend"


# What the parser noticed that a user can query as a flag: repaired encoding damage, and a days
# count printed on the page that the dates do not give (kg:daysTaken keeps the printed one).
_WARNING_FLAGS = {WarningKind.ENCODING_REPAIRED: "encoding-repaired", WarningKind.DAYS_MISMATCH: "days-mismatch",
                  WarningKind.MISSING_OFFICIAL_DOCUMENT: "missing-official-document"}


def _warning_flags(warnings: tuple[PageWarning, ...]) -> list[str]:
    kinds = {warning.kind for warning in warnings}
    return [flag for kind, flag in _WARNING_FLAGS.items() if kind in kinds]
