"""Records to quads, in the kamergraph ontology. Builds pyoxigraph terms directly (the hot path).

A question's own statements go into its named graph; the entities it mentions that are not in
the reference tables (persons, parties, posts) go into the shared entities graph.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, datetime

from pyoxigraph import Literal, NamedNode, Quad

from kamergraph.graph.base import Values, add_value
from kamergraph.ontology.terms import DCTERMS, FOAF, KG, ORG, OWL, PROV, RDF, SCHEMA, SKOS, XSD

from kamergraph.iris import Iris
from .records import Kamervraag, PageWarning, Role, WarningKind
from .refdata import TAXONOMY_SCHEME, Reference
from .resolve import PostInfo, Resolver, canonical_name


def _date(value: date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


@dataclass(frozen=True)
class Source:
    """Where a record came from, for the provenance of its graph."""

    path: str
    sha256: str
    ingested_at: datetime
    software: str


@dataclass
class MappedQuestion:
    zaak: str
    graph: NamedNode
    triples: list[tuple]  # the question's own graph, as (subject, predicate, object)
    entities: list[Quad]  # statements for the shared entities graph
    new_names: dict[NamedNode, list[Quad]] = field(default_factory=dict)  # name triples of minted entities
    flags: list[str] = field(default_factory=list)
    # The question graph by subject and predicate, gathered while mapping: the validator, the
    # crawl rank and the search document read it without walking quads again.
    values: Values = field(default_factory=dict)

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
        iris, zaak = self.iris, record.zaak
        g = iris.question_graph(zaak)
        q = iris.question(zaak)
        mapped = MappedQuestion(zaak, g, [], [])
        triples, values = mapped.triples, mapped.values

        def add(s, p, o):
            triples.append((s, p, o))
            add_value(values, s, p, o)

        add(q, RDF.type, KG.WrittenQuestion)
        add(q, KG.zaakNumber, Literal(zaak))
        add(q, DCTERMS.title, Literal(record.title))
        add(q, DCTERMS.dateSubmitted, _date(record.submitted))
        if record.answered:
            add(q, KG.dateAnswered, _date(record.answered))
        if record.days is not None:
            add(q, KG.daysTaken, Literal(record.days))

        for position, member in enumerate(record.submitters, start=1):
            person = self._person(member.name, mapped)
            add(q, KG.mainSubmitter if position == 1 else KG.coSubmitter, person)
            node = iris.part(zaak, "submission", position)
            add(q, KG.submission, node)
            add(node, RDF.type, KG.Submission)
            add(node, KG.position, Literal(position))
            add(node, KG.person, person)
            add(node, KG.printedName, Literal(member.name))
            if member.party:
                add(node, KG.party, self._party(member.party, mapped))

        ministries: list[NamedNode] = []
        for position, answerer in enumerate(record.answerers, start=1):
            person = self._person(answerer.name, mapped)
            node = iris.part(zaak, "answering", position)
            add(q, KG.answering, node)
            add(q, KG.answeredBy, person)
            add(node, RDF.type, KG.Answering)
            add(node, KG.position, Literal(position))
            add(node, KG.person, person)
            add(node, KG.printedName, Literal(answerer.name))
            add(node, KG.printedRole, Literal(", ".join(role.text for role in answerer.roles)))
            if answerer.party:
                add(node, KG.party, self._party(answerer.party, mapped))
            on = record.answered or record.submitted
            for role in answerer.roles:
                post = self.resolver.post(role, on)
                add(node, KG.post, self._post(post, mapped))
                placed = post.ministry
                if placed is None and role.kind == "minister zonder portefeuille":
                    # The post names no ministry; the answerer's own tenure on that day does.
                    holder = self.resolver.person(answerer.name)
                    if holder.known:
                        placed = self.resolver.ministry_of_tenure(holder.key, role.kind, on)
                if placed and role.kind != "minister-president":
                    ministry = iris.thing("ministry", placed.code)
                    if ministry not in ministries:
                        ministries.append(ministry)
        for ministry in ministries:
            add(q, KG.answeringMinistry, ministry)

        topics, topic_flags = self.resolver.topics(record.topics)
        mapped.flags.extend(topic_flags)
        for topic in topics:
            add(q, DCTERMS.subject, iris.thing("topic", topic.key))

        self._documents(record, q, add)
        for note in record.footnotes:
            node = iris.part(zaak, "footnote", note.number)
            add(q, KG.footnote, node)
            add(node, RDF.type, KG.Footnote)
            add(node, KG.number, Literal(note.number))
            add(node, KG.text, Literal(note.text))
        for sub in record.subquestions:
            self._subquestion(zaak, q, sub, add)
        for number, notice in enumerate(record.notices, start=1):
            node = iris.part(zaak, "notice", number)
            add(q, KG.notice, node)
            add(node, RDF.type, KG.Notice)
            add(node, DCTERMS.date, _date(notice.date))
            add(node, KG.text, Literal(notice.text))

        mapped.flags.extend(_warning_flags(record.warnings))
        for flag in mapped.flags:
            add(q, KG.flag, Literal(flag))
        add(g, RDF.type, KG.QuestionGraph)
        add(g, FOAF.primaryTopic, q)
        add(g, KG.sourceFile, Literal(source.path))
        add(g, PROV.generatedAtTime, Literal(source.ingested_at.isoformat(), datatype=XSD.dateTime))
        add(g, KG.softwareVersion, Literal(source.software))
        # Last: a store that takes a large graph in parts holds its hash, which marks the page
        # stored, only once the rest is in.
        add(g, KG.sourceHash, Literal("sha256:" + source.sha256))
        return mapped

    def _documents(self, record: Kamervraag, q: NamedNode, add) -> None:
        for kind, identifier, title, url, cls, prop in (
            ("vraag", record.question_document, record.question_document_title, record.question_url,
             KG.QuestionDocument, KG.questionDocument),
            ("antwoord", record.answer_document, record.answer_document_title, record.answer_url,
             KG.AnswerDocument, KG.answerDocument),
        ):
            if not identifier:
                continue
            doc = self.iris.thing("document", identifier)
            add(q, prop, doc)
            add(doc, RDF.type, KG.SourceDocument)
            add(doc, RDF.type, cls)
            add(doc, DCTERMS.identifier, Literal(identifier))
            if title:
                add(doc, DCTERMS.title, Literal(title))
            if url:
                add(doc, FOAF.page, NamedNode(url))

    def _subquestion(self, zaak: str, q: NamedNode, sub, add) -> None:
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

    def _person(self, name: str, mapped: MappedQuestion) -> NamedNode:
        resolved = self.resolver.person(name)
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
        quads = [
            Quad(node, RDF.type, KG.CabinetPost, g),
            Quad(node, SKOS.prefLabel, Literal(post.label, language="nl"), g),
            Quad(node, KG.postKind, Literal(post.kind), g),
        ]
        if post.portfolio:
            quads.append(Quad(node, KG.portfolio, Literal(post.portfolio), g))
        if post.ministry:
            quads.append(Quad(node, ORG.postIn, self.iris.thing("ministry", post.ministry.code), g))
        return quads

    # -- the reference graph

    def reference_quads(self) -> tuple[Quad, ...]:
        """Topics, ministries, parties, persons, memberships and posts of the reference tables
        (built once per mapper: the ingest both stores them and reads their types)."""
        if self._reference_quads is None:
            self._reference_quads = tuple(self._build_reference_quads())
        return self._reference_quads

    def _build_reference_quads(self) -> list[Quad]:
        iris, ref, g = self.iris, self.reference, self.iris.reference_graph
        quads: list[Quad] = []

        def add(s, p, o):
            quads.append(Quad(s, p, o, g))

        scheme = iris.topic_scheme
        add(scheme, RDF.type, SKOS.ConceptScheme)
        add(scheme, SKOS.prefLabel, Literal("TaxonomieBeleidsagenda", language="nl"))
        add(scheme, SKOS.exactMatch, NamedNode(TAXONOMY_SCHEME))
        by_uri = {t.uri: t for t in ref.topics}
        for topic in ref.topics:
            node = iris.thing("topic", topic.key)
            add(node, RDF.type, KG.Topic)
            add(node, RDF.type, SKOS.Concept)
            add(node, SKOS.prefLabel, Literal(topic.label, language="nl"))
            add(node, SKOS.exactMatch, NamedNode(topic.uri))
            add(node, SKOS.inScheme, scheme)
            parent = by_uri.get(topic.parent_uri) if topic.parent_uri else None
            if parent:
                add(node, SKOS.broader, iris.thing("topic", parent.key))
                add(iris.thing("topic", parent.key), SKOS.narrower, node)
            else:
                add(node, SKOS.topConceptOf, scheme)
                add(scheme, SKOS.hasTopConcept, node)

        for ministry in ref.ministries:
            node = iris.thing("ministry", ministry.code)
            add(node, RDF.type, KG.Ministry)
            add(node, RDF.type, ORG.FormalOrganization)
            add(node, SKOS.prefLabel, Literal(ministry.name, language="nl"))
            add(node, SKOS.altLabel, Literal(ministry.abbreviation, language="nl"))
            add(node, SKOS.exactMatch, NamedNode(ministry.tooi))
            add(node, SKOS.notation, Literal(ministry.code))

        for party in ref.parties:
            node = iris.thing("party", party.key)
            add(node, RDF.type, KG.Party)
            add(node, SKOS.prefLabel, Literal(party.label))
            add(node, FOAF.name, Literal(party.name))
            for alias in party.aliases:
                if alias not in (party.label, party.name):
                    add(node, SKOS.altLabel, Literal(alias))

        for person in ref.persons:
            node = iris.thing("person", person.key)
            add(node, RDF.type, KG.Person)
            add(node, FOAF.name, Literal(person.name))
            if person.forename:
                add(node, FOAF.givenName, Literal(person.forename))
            add(node, FOAF.familyName, Literal(" ".join(p for p in (person.prefix, person.surname) if p)))
            if person.tk_id:
                add(node, KG.tkId, Literal(person.tk_id))
            if person.wikidata:
                add(node, OWL.sameAs, NamedNode("http://www.wikidata.org/entity/" + person.wikidata))
            if person.birthdate:
                add(node, SCHEMA.birthDate, _date(person.birthdate))

        # Membership and tenure IRIs are made of what they are (who, where, from when), not of their
        # place in the reference tables, so they stay the same when the tables gain or lose a row.
        minted: dict[str, int] = {}

        def stable(kind: str, key: str) -> NamedNode:
            minted[key] = minted.get(key, 0) + 1
            return iris.thing(kind, key if minted[key] == 1 else f"{key}-{minted[key]}")

        for membership in ref.memberships:
            node = stable("membership", f"{membership.person}-{membership.party}-{_since(membership.start)}")
            add(node, RDF.type, KG.PartyMembership)
            add(node, ORG.member, iris.thing("person", membership.person))
            add(node, ORG.organization, iris.thing("party", membership.party))
            add(iris.thing("person", membership.person), ORG.hasMembership, node)
            if membership.start:
                add(node, SCHEMA.validFrom, _date(membership.start))
            if membership.end:
                add(node, SCHEMA.validUntil, _date(membership.end))

        seen_posts: set[str] = set()
        for tenure, (role, on) in zip(ref.tenures, self._tenure_roles()):
            post = self.resolver.post(role, on)
            post_node = iris.thing("post", post.key)
            if post.key not in seen_posts:
                seen_posts.add(post.key)
                quads.extend(self._post_quads(post_node, post, g))
            node = stable("tenure", f"{tenure.person}-{post.key}-{_since(tenure.start)}")
            person = iris.thing("person", tenure.person)
            add(node, RDF.type, KG.PostTenure)
            add(node, KG.person, person)
            add(node, KG.post, post_node)
            add(person, ORG.holds, post_node)
            if tenure.start:
                add(node, SCHEMA.validFrom, _date(tenure.start))
            if tenure.end:
                add(node, SCHEMA.validUntil, _date(tenure.end))
        return quads


def _since(start: date | None) -> str:
    return start.isoformat() if start else "onbekend"


# What the parser noticed that a user can query as a flag: repaired encoding damage, and a days
# count printed on the page that the dates do not give (kg:daysTaken keeps the printed one).
_WARNING_FLAGS = {WarningKind.ENCODING_REPAIRED: "encoding-repaired", WarningKind.DAYS_MISMATCH: "days-mismatch"}


def _warning_flags(warnings: tuple[PageWarning, ...]) -> list[str]:
    kinds = {warning.kind for warning in warnings}
    return [flag for kind, flag in _WARNING_FLAGS.items() if kind in kinds]
