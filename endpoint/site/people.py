"""The directory of persons (``/id/persoon``): members of the Tweede Kamer and members of the
cabinet, each with a party, periods and counts, and finding persons by name.

What the store says about a person (name, party memberships, cabinet posts held, with their dates)
comes from the ``page-directory`` query; the counts and the first and last question from the page
index (its submitter, answerer and addressee bitmaps). Both change only with the store, so the
directory is kept per page index and made anew with it.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass, field

from kamergraph.endpoint.site.page_queries import PageQuery, select_one
from kamergraph.indexes.pages import Entity, PageIndex
from kamergraph.iris import key_of

ROLES = ("member", "minister")
# Words of a Dutch (or Flemish, French, German) name that go before the family name; a reader may
# leave them out ("Staaij" for "Kees van der Staaij") or write them in any case.
NAME_PREFIXES = frozenset({"van", "de", "der", "den", "het", "ter", "ten", "te", "t", "in", "op", "aan", "bij", "la",
                           "le", "du", "d", "von", "zu", "zum", "del", "da", "di", "dos", "das"})
_NAME_WORD = re.compile(r"\w+")


def name_words(name: str) -> list[str]:
    """The words of a name, lower-cased and without diacritics: ``Laçin`` is ``lacin``."""
    decomposed = unicodedata.normalize("NFKD", name.replace("’", "").replace("'", ""))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NAME_WORD.findall(plain.casefold())


def name_matches(query: list[str], name: list[str]) -> bool:
    """Whether every word of the query starts a word of the name. Prefixes in the query do not
    count ("Van der Staaij" is written "van der" as often as not), but a query of prefixes only
    finds nobody."""
    significant = [word for word in query if word not in NAME_PREFIXES]
    return bool(significant) and all(any(part.startswith(word) for part in name) for word in significant)


@dataclass(frozen=True)
class Period:
    item: Entity  # a party or a cabinet post
    start: str | None
    end: str | None


@dataclass
class Person:
    iri: str
    key: str
    name: str
    words: list[str]
    party: Entity | None = None  # printed with the name on the newest question, else the latest membership
    memberships: list[Period] = field(default_factory=list)
    tenures: list[Period] = field(default_factory=list)
    asked: int = 0  # questions submitted (main or co-submitter)
    addressed: int = 0  # questions put to the person
    answered: int = 0  # questions the person answered
    first: str | None = None  # the date of the oldest question in any role
    last: str | None = None  # and of the newest

    @property
    def roles(self) -> tuple[str, ...]:
        """member (submitted questions, or only a party membership is known), minister (held a
        post, or answered or was addressed); both for a member who became a minister."""
        minister = bool(self.tenures or self.answered or self.addressed)
        member = bool(self.asked or not minister)
        return tuple(role for role, held in (("member", member), ("minister", minister)) if held)

    @property
    def questions(self) -> int:
        return self.asked + self.answered + self.addressed


_kept: dict[tuple, list[Person]] = {}
_lock = threading.Lock()


def directory(index: PageIndex) -> list[Person]:
    """Every person the store knows, by name; kept until the page index changes."""
    with _lock:
        found = _kept.get(index.file_id)
    if found is None:
        found = _made(index)
        with _lock:
            _kept.clear()
            _kept[index.file_id] = found
    return found


def _made(index: PageIndex) -> list[Person]:
    people: dict[str, Person] = {}
    rows = select_one(PageQuery("page-directory"))
    for row in rows:
        if row["section"] == "person":
            iri = str(row["person"])
            name = str(row.get("name") or key_of(iri))
            people[iri] = Person(iri, key_of(iri), name, name_words(name))
    for row in rows:
        person = people.get(str(row["person"]))
        if person is None or row["section"] == "person":
            continue
        item = index.entities.get(str(row["item"]))
        if item is None:
            continue
        period = Period(item, _text(row.get("from")), _text(row.get("until")))
        (person.memberships if row["section"] == "membership" else person.tenures).append(period)
    ends: dict[str, tuple[int, int]] = {}
    for person in people.values():
        person.memberships = _periods(person.memberships)
        person.tenures = _periods(person.tenures)
        person.asked, person.answered, person.addressed = (
            index.bitmaps.get(dim, {}).get(person.iri, 0).bit_count() for dim in ("submitter", "answerer", "addressee"))
        every = 0
        for dim in ("submitter", "answerer", "addressee"):
            every |= index.bitmaps.get(dim, {}).get(person.iri, 0)
        if every:  # questions are numbered newest first: the lowest bit is the newest question
            ends[person.iri] = ((every & -every).bit_length() - 1, every.bit_length() - 1)
    _dates(index, people, ends)
    # A name in the reference tables with no party, post or question (a stray spelling) is no one to list.
    known = [p for p in people.values() if p.memberships or p.tenures or p.questions]
    return sorted(known, key=lambda p: (sort_name(p), p.iri))


def _dates(index: PageIndex, people: dict[str, Person], ends: dict[str, tuple[int, int]]) -> None:
    """The dates of the newest and oldest question of each person, and the party printed with a
    submitter's name on her newest question (one read of the index for all)."""
    rows = {row.id: row for row in index.rows(sorted({i for pair in ends.values() for i in pair}))}
    for iri, (newest, oldest) in ends.items():
        person = people[iri]
        if oldest in rows:
            person.first = rows[oldest].submitted
        if newest in rows:
            person.last = rows[newest].submitted
            person.party = next((party for who, party in rows[newest].submitters if who.iri == iri and party), None)
    for person in people.values():
        if person.party is None and person.memberships:
            person.party = person.memberships[0].item


def _periods(periods: list[Period]) -> list[Period]:
    """Latest first, once each; a period without dates is left out when the same party or post has
    one with dates."""
    dated = {p.item.iri for p in periods if p.start or p.end}
    unique = {(p.item.iri, p.start, p.end): p for p in periods if p.start or p.end or p.item.iri not in dated}
    return sorted(unique.values(), key=lambda p: (p.start or "", p.end or "9999", p.item.label), reverse=True)


def sort_name(person: Person) -> tuple[str, str]:
    """Family name first, its prefixes left out ("Staaij, Kees van der" sorts under S)."""
    words = person.words
    family = [w for w in words[1:] if w not in NAME_PREFIXES] or words
    return (" ".join(family), " ".join(words))


def _text(value) -> str | None:
    return None if value is None else str(value)


def find(people: list[Person], text: str, *, role: str | None = None, party: str | None = None) -> list[Person]:
    """The persons whose name matches ``text`` (all when it is empty), in a role and a party."""
    words = name_words(text)
    return [p for p in people
            if (not words or name_matches(words, p.words))
            and (role is None or role in p.roles)
            and (party is None or (p.party is not None and p.party.key == party))]


PERSON_DIMS = ("submitter", "answerer", "addressee")


def resolved(index: PageIndex, filters: dict[str, str]) -> dict[str, str]:
    """The filters with each person given by name (``submitter=Lacin``) as her key (``cem-lacin``):
    the person of that name with the most questions in that role. A key, or a name nobody has, is
    left as it is (an unknown key matches nothing and the page says so)."""
    out = dict(filters)
    for dim in PERSON_DIMS:
        value = filters.get(dim)
        if not value or index.entity("person", value) is not None:
            continue
        words = name_words(value)
        role = index.bitmaps.get(dim, {})
        named = [(bits.bit_count(), index.entities[iri].key) for iri, bits in role.items()
                 if iri in index.entities and name_matches(words, name_words(index.entities[iri].label))]
        if named:
            out[dim] = max(named)[1]
    return out
