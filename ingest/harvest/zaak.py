"""One zaak of the OData API, with its official texts, made into the record a page gives
(``records.Kamervraag``) and the persons it names. Whatever does not fit (an unknown Soort or
Relatie, a placeholder person, an empty Fractie, a missing official document) becomes a problem
line naming the zaak; the record is made of what is left."""
from __future__ import annotations

import hashlib
import json
import urllib.parse
from dataclasses import dataclass, field
from datetime import date, datetime

from kamergraph.ingest.parse import cabinet_roles, notice_kind
from kamergraph.ingest.records import (
    Addressee,
    AnswerDocument,
    Answerer,
    Kamervraag,
    Member,
    Notice,
    NoticeKind,
    PageWarning,
    SubQuestion,
    WarningKind,
)

from .client import Client, HarvestError, NotFound
from .official import Metadata, OfficialError, OfficialText, parse_document, parse_metadata, parse_sru, subquestions
from .tk import DOCUMENT_SOORTEN, SOORT, Entity

DEFAULT_OB_URL = "https://repository.overheid.nl"
READER_URL = "https://zoek.officielebekendmakingen.nl/"  # where a person reads a published document
SUBMITTER_RELATIES = ("Indiener", "Medeindiener")
ADDRESSEE_RELATIE = "Gericht aan"
SIGNATORY_RELATIES = ("Eerste ondertekenaar", "Mede ondertekenaar")
OTHER_RELATIES = ("Rapporteur", "Volgcommissie", "Voortouwcommissie")
ANSWER, NADER = "Antwoord schriftelijke vragen", "Antwoord schriftelijke vragen (nader)"
DELAY, NOTICE = "Mededeling (uitstel antwoord)", "Mededeling"


@dataclass(frozen=True)
class Seat:
    """A party membership from FractieZetelPersoon: one seat of one Fractie, with its dates."""

    id: str
    party: str  # the Fractie's Afkorting
    party_name: str | None
    start: date | None
    end: date | None  # TotEnMet: the last day, included
    fractie_id: str | None = None  # the Fractie record, with the period it sat (DatumActief to DatumInactief)
    fractie_start: date | None = None
    fractie_end: date | None = None

    def holds(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class HarvestedPerson:
    tk_id: str
    name: str
    seats: tuple[Seat, ...] = ()


@dataclass
class Harvested:
    """One zaak as the sources give it: deleted, or a record with what it was made of."""

    zaak: str
    deleted: bool = False
    record: Kamervraag | None = None
    sources: list[str] = field(default_factory=list)  # every URL read for it, in order
    bodies: list[bytes] = field(default_factory=list)  # what was read there: the source hash covers it
    persons: dict[str, HarvestedPerson] = field(default_factory=dict)  # by TK Persoon id
    problems: list[str] = field(default_factory=list)
    changed: str = ""  # ApiGewijzigdOp

    @property
    def sha256(self) -> str:
        digest = hashlib.sha256()
        for url, body in zip(self.sources, self.bodies, strict=True):
            digest.update(url.encode("utf-8") + b"\n" + hashlib.sha256(body).digest())
        return digest.hexdigest()


class OfficialSource:
    """Where the official XML and metadata.xml of published documents are: one SRU search of
    repository.overheid.nl per zaak finds every document's manifestations (``itemUrl``)."""

    def __init__(self, client: Client, base_url: str = DEFAULT_OB_URL):
        self.client = client
        self.base = base_url.rstrip("/")

    def search_url(self, identifiers: list[str]) -> str:
        wanted = " or ".join(f'dt.identifier=="{identifier}"' for identifier in identifiers)
        query = urllib.parse.quote(f"c.product-area==officielepublicaties and ({wanted})", safe="")
        return (f"{self.base}/sru?operation=searchRetrieve&version=2.0&recordSchema=gzd"
                f"&startRecord=1&maximumRecords={max(10, len(identifiers))}&query={query}")

    def locate(self, identifiers: list[str]) -> dict[str, dict[str, str]]:
        """Each identifier the repository knows, with its manifestations' URLs."""
        if not identifiers:
            return {}
        return parse_sru(self.client.get(self.search_url(identifiers), "application/xml").body)

    def get(self, url: str) -> bytes:
        return self.client.get(url, "application/xml", reuse=True).body  # a published version does not change


def build(zaak: Entity, official: OfficialSource, zaak_url: str) -> Harvested:
    """The harvested zaak: its record, or deleted. Never raises for what the data says; raises
    HarvestError when an official source stays out of reach."""
    number = _text(zaak.get("Nummer")) or _text(zaak.get("Id")) or "?"
    harvested = Harvested(number, changed=_text(zaak.get("ApiGewijzigdOp")) or "")
    harvested.sources.append(zaak_url)
    harvested.bodies.append(json.dumps(zaak, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    if zaak.get("Verwijderd") is True:
        harvested.deleted = True
        return harvested
    if zaak.get("Soort") != SOORT:
        harvested.problems.append(f"{number}: Soort {zaak.get('Soort')!r} is not {SOORT!r}; skipped")
        return harvested
    _Builder(zaak, official, harvested).run()
    return harvested


class _Builder:
    def __init__(self, zaak: Entity, official: OfficialSource, harvested: Harvested):
        self.zaak = zaak
        self.official = official
        self.harvested = harvested
        self.number = harvested.zaak
        self.warnings: list[PageWarning] = []
        self.located: dict[str, dict[str, str]] = {}

    def problem(self, text: str) -> None:
        self.harvested.problems.append(f"{self.number}: {text}")

    def run(self) -> None:
        actors = [a for a in _list(self.zaak.get("ZaakActor")) if a.get("Verwijderd") is not True]
        documents = [d for d in _list(self.zaak.get("Document")) if d.get("Verwijderd") is not True]
        for document in documents:
            if document.get("Soort") not in DOCUMENT_SOORTEN:
                self.problem(f"document {_text(document.get('DocumentNummer'))} of unknown Soort "
                             f"{document.get('Soort')!r}; left out")
        by_soort = {soort: sorted((d for d in documents if d.get("Soort") == soort), key=_document_order)
                    for soort in DOCUMENT_SOORTEN}
        question_docs = by_soort[SOORT]
        question_doc = question_docs[0] if question_docs else None
        question_id = _external_id(question_doc) if question_doc else None
        if question_id is None:
            question_id = f"kv-tk-{self.number}"
        wanted = [question_id, *(i for d in documents if d.get("Soort") != SOORT and (i := _external_id(d)))]
        try:
            self.located = self.official.locate(list(dict.fromkeys(wanted)))
        except OfficialError as error:
            raise HarvestError(f"the search for its official documents failed: {error}") from None
        question_meta, question_text = self.read(question_id)
        answers = self.answer_documents(by_soort[ANSWER] + by_soort[NADER])
        notices = self.notices(by_soort[DELAY] + by_soort[NOTICE])
        submitted = (_day(self.zaak.get("GestartOp")) or (_day(question_doc.get("Datum")) if question_doc else None)
                     or (question_meta.submitted if question_meta else None))
        if submitted is None:
            self.problem("no date of submission (GestartOp) anywhere; skipped")
            return
        # The text of the sub-questions: the latest answer document holds questions and answers.
        texts = [t for t in (*(a[1] for a in answers), question_text) if t is not None]
        subs = _merged_subquestions(texts)
        footnotes = next((t.footnotes for t in texts if t.footnotes), ())
        title, full_title = self.titles(question_doc, question_meta)
        topics = next((m.topics for m in (question_meta, *(a[2] for a in answers)) if m and m.topics), ())
        withdrawn = next((n.date for n in notices if n.kind is NoticeKind.WITHDRAWAL), None)
        self.harvested.record = Kamervraag(
            zaak=self.number,
            title=title,
            submitted=submitted,
            submitters=self.submitters(actors, submitted),
            addressees=self.addressees(actors),
            answer_documents=tuple(a[0] for a in answers),
            topics=topics,
            question_url=READER_URL + question_id + ".html",
            question_document=question_id,
            question_document_title=full_title,
            footnotes=footnotes,
            subquestions=subs,
            notices=tuple(notices),
            withdrawn=withdrawn,
            warnings=tuple(self.warnings),
        )

    # -- the official texts

    def read(self, identifier: str) -> tuple[Metadata | None, OfficialText | None]:
        """A document's metadata.xml and XML, where the search found them."""
        urls = self.located.get(identifier)
        if urls is None:
            self.missing(identifier, "not in the repository's search")
            return None, None
        meta = text = None
        for manifestation, parse in (("metadata", parse_metadata), ("xml", parse_document)):
            url = urls.get(manifestation)
            if url is None:
                self.missing(identifier, f"the search gives no {manifestation} for it")
                continue
            try:
                body = self.official.get(url)
                parsed = parse(body)
            except NotFound:
                self.missing(identifier, f"not found at {url}")
                continue
            except OfficialError as error:
                self.missing(identifier, str(error))
                continue
            # Any other HarvestError (out of reach after the retries) is the caller's: the zaak is
            # not stored from part of its sources, and the cursor stays for the next run.
            self.harvested.sources.append(url)
            self.harvested.bodies.append(body)
            if isinstance(parsed, Metadata):
                meta = parsed
            else:
                text = parsed
        return meta, text

    def missing(self, identifier: str, why: str) -> None:
        self.problem(f"official document {identifier}: {why}")
        if not any(w.kind is WarningKind.MISSING_OFFICIAL_DOCUMENT for w in self.warnings):
            self.warnings.append(PageWarning(WarningKind.MISSING_OFFICIAL_DOCUMENT,
                                             f"official document {identifier} missing"))

    def titles(self, question_doc: Entity | None, meta: Metadata | None) -> tuple[str, str | None]:
        full = (_text(self.zaak.get("Onderwerp")) or (_text(question_doc.get("Onderwerp")) if question_doc else None)
                or (meta.title if meta else None) or _text(self.zaak.get("Titel")))
        if not full:
            self.problem("no title (Onderwerp) anywhere; the zaak number stands for it")
            return self.number, None
        return _short_title(full), full

    # -- the actors

    def submitters(self, actors: list[Entity], submitted: date) -> tuple[Member, ...]:
        ordered = sorted((a for a in actors if a.get("Relatie") in SUBMITTER_RELATIES),
                         key=lambda a: SUBMITTER_RELATIES.index(a["Relatie"]))
        for actor in actors:
            relatie = actor.get("Relatie")
            if relatie not in (*SUBMITTER_RELATIES, ADDRESSEE_RELATIE, *OTHER_RELATIES):
                self.problem(f"actor {_text(actor.get('ActorNaam'))!r} with unknown Relatie {relatie!r}; left out")
        members = []
        for actor in ordered:
            name, person_id = self.person(actor)
            if name is None:
                continue
            named = _text(actor.get("ActorFractie"))
            fractie = actor.get("Fractie")
            if isinstance(fractie, dict) and not _text(fractie.get("Afkorting")) and not _text(fractie.get("NaamNL")):
                self.problem(f"{name}: linked to an empty Fractie {_text(fractie.get('Id'))}")
            # The party printed is the one of her seat on the day of the question (FractieZetelPersoon);
            # the actor's own ActorFractie, linked by hand and sometimes late, only where no seat says.
            persoon = actor.get("Persoon")
            seat = _seat_on(_seats(persoon) if isinstance(persoon, dict) else (), submitted)
            party = seat.party if seat else named
            if seat and named and seat.party != named:
                self.problem(f"{name}: the actor names the party {named!r}, the seat on {submitted.isoformat()} "
                             f"is in {seat.party!r}; the seat's is used")
            if party is None:
                self.problem(f"{name}: no party (ActorFractie) given")
            members.append(Member(name, party, person_id))
        if not members:
            self.problem("no submitter (Indiener)")
        return tuple(members)

    def addressees(self, actors: list[Entity]) -> tuple[Addressee, ...]:
        found = []
        for actor in actors:
            if actor.get("Relatie") != ADDRESSEE_RELATIE:
                continue
            name, person_id = self.person(actor)
            if name is None:
                continue
            function = _text(actor.get("Functie")) or ""
            roles = cabinet_roles(function)
            if not roles:
                self.problem(f"addressee {name}: function {function!r} names no cabinet post")
            found.append(Addressee(name, roles, function, person_id))
        return tuple(found)

    def person(self, actor: Entity) -> tuple[str | None, str | None]:
        """The name to print and the Persoon id; a placeholder Persoon (every field null) leaves
        the name the actor row gives."""
        persoon = actor.get("Persoon")
        person_id = _text(actor.get("Persoon_Id"))
        name = None
        if isinstance(persoon, dict):
            name = _full_name(persoon)
            person_id = _text(persoon.get("Id")) or person_id
            if name is None:
                self.problem(f"Persoon {person_id} of {_text(actor.get('ActorNaam'))!r} is a placeholder "
                             "(no name); the actor's name is used")
        name = name or _text(actor.get("ActorNaam"))
        if name is None:
            self.problem(f"an actor ({actor.get('Relatie')}) without any name; left out")
            return None, None
        if isinstance(persoon, dict) and person_id and _full_name(persoon):
            self.harvested.persons[person_id] = HarvestedPerson(person_id, name, _seats(persoon))
        return name, person_id

    # -- the documents

    def answer_documents(self, documents: list[Entity]) -> list[tuple[AnswerDocument, OfficialText | None,
                                                                       Metadata | None]]:
        found = []
        for position, document in enumerate(sorted(documents, key=_document_order)):
            identifier = _external_id(document)
            meta = text = None
            if identifier:
                meta, text = self.read(identifier)
            else:
                self.problem(f"answer {_text(document.get('DocumentNummer'))} has no ExterneIdentifier")
            signatories = []
            for actor in _list(document.get("DocumentActor")):
                if actor.get("Verwijderd") is True:
                    continue
                if actor.get("Relatie") not in SIGNATORY_RELATIES:
                    self.problem(f"signatory {_text(actor.get('ActorNaam'))!r} with unknown Relatie "
                                 f"{actor.get('Relatie')!r}; left out")
                    continue
                name, person_id = self.person(actor)
                if name is None:
                    continue
                function = _text(actor.get("Functie")) or ""
                signatories.append((actor.get("Relatie") != SIGNATORY_RELATIES[0],
                                    Answerer(name, cabinet_roles(function), None, person_id)))
            if not signatories:
                self.problem(f"answer {identifier or _text(document.get('DocumentNummer'))} names no signatory")
            answered = _day(document.get("Datum")) or (meta.received or meta.issued if meta else None)
            found.append((AnswerDocument(
                identifier=identifier,
                date=answered,
                title=_text(document.get("Onderwerp")) or (meta.title if meta else None),
                url=READER_URL + identifier + ".html" if identifier else None,
                supplementary=position > 0 or document.get("Soort") == NADER,
                answerers=tuple(answerer for _, answerer in sorted(signatories, key=lambda s: s[0])),
                number=_text(document.get("DocumentNummer")),
            ), text, meta))
        return found

    def notices(self, documents: list[Entity]) -> list[Notice]:
        found = []
        for document in sorted(documents, key=_document_order):
            identifier = _external_id(document)
            text = None
            if identifier:
                _, official = self.read(identifier)
                text = official.remark if official else None
            subject = _text(document.get("Onderwerp")) or ""
            text = text or subject or (document.get("Soort") or "")
            on = _day(document.get("Datum"))
            if on is None:
                self.problem(f"mededeling {_text(document.get('DocumentNummer'))} has no date; left out")
                continue
            kind = NoticeKind.DELAY if document.get("Soort") == DELAY else notice_kind(f"{subject} {text}")
            found.append(Notice(on, text, kind, identifier))
        return found


def _merged_subquestions(texts: list[OfficialText]) -> tuple[SubQuestion, ...]:
    """The sub-questions of the first text that has any (the first answer document, else the
    question document); answers a later document adds to sub-questions without one are taken in."""
    base = next((t for t in texts if t.questions or t.answers), None)
    if base is None:
        return ()
    subs = {s.number: s for s in subquestions(base)}
    for text in texts:
        if text is base:
            continue
        for sub in subquestions(text):
            held = subs.get(sub.number)
            if held is None and sub.question:
                subs[sub.number] = sub
            elif held is not None and held.answer is None and sub.answer is not None:
                subs[sub.number] = SubQuestion(held.number, held.question or sub.question, sub.answer,
                                               held.question_footnotes, sub.answer_footnotes,
                                               sub.refers_to, sub.combined)
    return tuple(subs[n] for n in sorted(subs))


def _short_title(full: str) -> str:
    """``Vragen van het lid X aan de minister van Y over mogelijke dataverzameling`` → ``Mogelijke
    dataverzameling``: what a page shows as the title."""
    head, sep, rest = full.partition(" over ")
    if sep and head.lower().startswith(("vragen", "vraag")) and rest.strip():
        rest = rest.strip().rstrip(".")
        for suffix in (" (ingezonden",):
            rest = rest.split(suffix)[0].strip()
        return rest[:1].upper() + rest[1:]
    return full


def _full_name(persoon: Entity) -> str | None:
    forename = _text(persoon.get("Roepnaam")) or _text(persoon.get("Voornamen")) or _text(persoon.get("Initialen"))
    surname = _text(persoon.get("Achternaam"))
    if surname is None:
        return None
    return " ".join(p for p in (forename, _text(persoon.get("Tussenvoegsel")), surname) if p)


def _seats(persoon: Entity) -> tuple[Seat, ...]:
    seats = []
    for seat in _list(persoon.get("FractieZetelPersoon")):
        if seat.get("Verwijderd") is True:
            continue
        zetel = seat.get("FractieZetel")
        fractie = zetel.get("Fractie") if isinstance(zetel, dict) else None
        label = _text(fractie.get("Afkorting")) if isinstance(fractie, dict) else None
        if not label or not _text(seat.get("Id")):
            continue  # a seat of an empty Fractie says nothing about the party
        assert isinstance(fractie, dict)
        seats.append(Seat(str(seat["Id"]), label, _text(fractie.get("NaamNL")), _day(seat.get("Van")),
                          _day(seat.get("TotEnMet")), _text(fractie.get("Id")), _day(fractie.get("DatumActief")),
                          _day(fractie.get("DatumInactief"))))
    return tuple(sorted(seats, key=lambda s: (s.start or date.min, s.id)))


def _seat_on(seats: tuple[Seat, ...], day: date) -> Seat | None:
    """The seat held on a day; on the day one ends and the next begins (a split), the new one."""
    held = [seat for seat in seats if seat.holds(day)]
    return held[-1] if held else None


def _document_order(document: Entity) -> tuple[str, str]:
    return _text(document.get("Datum")) or "", _text(document.get("DocumentNummer")) or ""


def _external_id(document: Entity | None) -> str | None:
    """The officielebekendmakingen id of a document's latest version (kv-tk-…, ah-tk-…)."""
    if document is None:
        return None
    versions = [v for v in _list(document.get("DocumentVersie"))
                if v.get("Verwijderd") is not True and _text(v.get("ExterneIdentifier"))]
    if not versions:
        return None
    latest = max(versions, key=lambda v: v["Versienummer"] if isinstance(v.get("Versienummer"), int) else 0)
    return _text(latest.get("ExterneIdentifier"))


def _list(value: object) -> list[Entity]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None


def _day(value: object) -> date | None:
    """The calendar day of an OData DateTimeOffset (``2021-09-30T00:00:00+02:00``), as the
    Tweede Kamer wrote it (its local day, not UTC's)."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
