"""Printed names to reference entities: persons, parties, ministries, posts, topics.

Each ``resolve_*`` answers with a key (the IRI's last segment) and, where the name could not be
placed, a flag that ends up on the question so that nothing unknown is silently dropped or merged.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from .names import fold, slug
from .records import Role
from .refdata import Ministry, Reference, Topic
from .topics import normalise_label

# Words that start a Dutch surname prefix; written in lower case inside a full name.
_PREFIX_WORDS = {
    "van", "der", "de", "den", "het", "ten", "ter", "te", "in", "'t", "op", "von", "vande",
    "la", "le", "du", "da", "di",
}


_INITIALS = re.compile(r"((?:[A-Z][a-z]{0,2}\.\s?)+)\s*(\S.*)")  # "W.B. Hoekstra", "Th. de Graaf"


@dataclass(frozen=True)
class Resolved:
    key: str
    known: bool  # found in the reference tables
    flag: str | None = None


@dataclass(frozen=True)
class PostInfo:
    key: str
    label: str
    kind: str
    portfolio: str | None
    ministry: Ministry | None
    flag: str | None


def canonical_name(name: str) -> str:
    """``Kees Van der Staaij`` → ``Kees van der Staaij``: prefixes in lower case after the forename."""
    words = name.split()
    return " ".join(
        word.lower() if index and word.lower() in _PREFIX_WORDS and index < len(words) - 1 else word
        for index, word in enumerate(words)
    )


class Resolver:
    def __init__(self, reference: Reference):
        self.reference = reference
        self._persons_by_name: dict[str, list[str]] = defaultdict(list)
        self._persons_by_surname: dict[str, list[str]] = defaultdict(list)
        # By slug too: a name that differs from a reference name only in punctuation or spacing
        # ("Carla Dik Faber") would otherwise be minted onto the reference person's own IRI.
        self._persons_by_slug: dict[str, list[str]] = defaultdict(list)
        # openkamer keeps some people twice: once whole and once as a surname without a forename
        # ("VAN DER STAAIJ"). A name given as a surname alone goes to the whole record if only one
        # fits, not to the bare one.
        self._bare = {person.key for person in reference.persons if not person.forename}
        self._forename = {person.key: person.forename for person in reference.persons}
        self._persons_by_tk_id = {person.tk_id: person.key for person in reference.persons if person.tk_id}
        # Persons minted outside the reference with a Tweede Kamer id (a harvest's): the id keeps
        # deciding, whatever name a later record gives.
        self.minted_tk_ids: dict[str, str] = {}
        for person in reference.persons:
            self._persons_by_name[fold(person.name)].append(person.key)
            self._persons_by_slug[slug(person.name)].append(person.key)
            surname = " ".join(p for p in (person.prefix, person.surname) if p)
            self._persons_by_surname[fold(surname)].append(person.key)
        self._party_by_alias = {fold(alias): party.key for party in reference.parties for alias in party.aliases}
        self._party_by_slug = {slug(alias): party.key for party in reference.parties for alias in party.aliases}
        self._ministries = {m.code: m for m in reference.ministries}
        self._shared_short_names: dict[str, int] = defaultdict(int)
        for ministry in reference.ministries:
            self._shared_short_names[ministry.short_name] += 1
        self._ministry_names: dict[str, list] = defaultdict(list)
        for entry in reference.ministry_names:
            self._ministry_names[entry.name].append(entry)
        self._tenures: dict[str, list] = defaultdict(list)
        for tenure in reference.tenures:
            self._tenures[tenure.person].append(tenure)
        self._topics_by_label: dict[str, list[Topic]] = defaultdict(list)
        for topic in reference.topics:
            self._topics_by_label[normalise_label(topic.label)].append(topic)

    # -- persons and parties

    def person(self, name: str, tk_id: str | None = None) -> Resolved:
        """The person a printed name stands for; the Tweede Kamer's Persoon id, where the source
        gives one, decides before the name does (names change, ids do not)."""
        if tk_id and tk_id in self._persons_by_tk_id:
            return Resolved(self._persons_by_tk_id[tk_id], True)
        if tk_id and tk_id in self.minted_tk_ids:
            return Resolved(self.minted_tk_ids[tk_id], False)
        folded = fold(name)
        candidates = self._persons_by_name.get(folded) or self._persons_by_slug.get(slug(name)) or []
        bare_only = bool(candidates) and all(key in self._bare for key in candidates)
        surname_alone = all(word in _PREFIX_WORDS for word in folded.split()[:-1])  # "Van Dijk", "Kathmann"
        if bare_only or (not candidates and surname_alone):
            whole = [key for key in self._persons_by_surname.get(folded, ()) if key not in self._bare]
            candidates = whole or candidates
        if not candidates:
            candidates = self._by_initials(name)
        if candidates and len(candidates) == 1:
            return Resolved(candidates[0], True)
        key = slug(canonical_name(name))
        if candidates:
            # Namesakes in the reference: never pick one silently.
            return Resolved(key, False, f"ambiguous-person:{name}")
        return Resolved(key, False)

    def in_reference(self, tk_id: str) -> bool:
        """The reference tables hold a person with this Persoon id (and so state its links)."""
        return tk_id in self._persons_by_tk_id

    def _by_initials(self, name: str) -> list[str]:
        """``W.B. Hoekstra``, as the Tweede Kamer names an actor: the reference persons of that
        surname whose forename starts with the first initial."""
        match = _INITIALS.fullmatch(name.strip())
        if not match:
            return []
        initial = match.group(1)[0].lower()
        return [key for key in self._persons_by_surname.get(fold(match.group(2)), ())
                if key not in self._bare and fold(self._forename[key])[:1] == initial]

    def party(self, label: str) -> Resolved:
        key = self._party_by_alias.get(fold(label)) or self._party_by_slug.get(slug(label))
        if key:
            return Resolved(key, True)
        return Resolved(slug(label), False, f"unknown-party:{label}")

    # -- ministries and posts

    def ministry(self, name: str, on: date) -> Ministry | None:
        """The ministry a name stood for on a date; else the ministry a portfolio of that name
        belonged to (the minister voor VRO served at BZK until VRO became a ministry in 2024)."""
        for entry in self._ministry_names.get(name.strip(), ()):
            if _valid_on(entry.start, entry.end, on):
                return self._ministries[entry.code]
        code = self.reference.portfolios.get(name.strip())
        return self._ministries.get(code) if code else None

    def ministry_of_tenure(self, person: str, kind: str, on: date) -> Ministry | None:
        """The ministry where the reference places a person's post of this kind on a date: a
        minister zonder portefeuille (Arie Slob, from 2017) is still placed at a ministry (OCW).
        The reference's openkamer snapshot ends in 2019: tenures then running have no end date."""
        for tenure in self._tenures.get(person, ()):
            if tenure.kind == kind and tenure.ministry and _valid_on(tenure.start, tenure.end, on):
                return self.ministry(tenure.ministry, on)
        return None

    def post(self, role: Role, on: date) -> PostInfo:
        ministry = None
        flag = None
        if role.kind == "minister-president":
            ministry = self._ministries.get("mnre1010")
        elif role.portfolio is not None:
            ministry = self.ministry(role.portfolio, on)
            if ministry is None:
                # A minister voor a portfolio the tables do not place (ingest/refdata/portefeuilles.csv)
                # is flagged too: the question then has no answering ministry, and users can find why.
                flag = f"unknown-ministry:{role.portfolio}"
        if ministry is not None and role.kind in ("minister", "staatssecretaris"):
            # The post follows the ministry, not the name printed for it: "veiligheid en justitie"
            # (2010-2017, and in the openkamer tables) and "justitie en veiligheid" are one post.
            key = slug(f"{role.kind} {ministry.short_name}")
            if self._shared_short_names.get(ministry.short_name, 0) > 1:
                key = f"{key}-{ministry.code}"  # Economische Zaken: two TOOI ministries
        else:
            key = slug(" ".join(p for p in (role.kind, role.portfolio) if p))
        return PostInfo(key, _post_label(role, ministry), role.kind, role.portfolio, ministry, flag)

    # -- topics

    def topics(self, labels: tuple[str, ...]) -> tuple[list[Topic], list[str]]:
        """The topics of one question, with flags for labels that are unknown or stay ambiguous."""
        found: list[Topic] = []
        flags: list[str] = []
        ambiguous: list[tuple[str, list[Topic]]] = []
        for label in labels:
            candidates = self._topics_by_label.get(normalise_label(label), [])
            if len(candidates) == 1:
                found.append(candidates[0])
            elif candidates:
                ambiguous.append((label, candidates))
            else:
                flags.append(f"unknown-topic:{label}")
        themes = {t.uri for t in found} | {t.parent_uri for t in found if t.parent_uri}
        for label, candidates in ambiguous:
            fitting = [t for t in candidates if t.parent_uri in themes]
            if len(fitting) == 1:
                found.append(fitting[0])
            else:
                found.extend(candidates)
                flags.append(f"ambiguous-topic:{label}")
        return found, flags


def _valid_on(start: date | None, end: date | None, on: date) -> bool:
    """A period of the reference tables (open at either end when unknown) holds the date."""
    return (start is None or start <= on) and (end is None or on <= end)


def _post_label(role: Role, ministry: Ministry | None) -> str:
    if role.kind in ("minister", "staatssecretaris"):
        target = ministry.short_name if ministry else (role.portfolio or "")
        return f"{role.kind} van {target}"
    if role.kind == "minister voor":
        portfolio = role.portfolio or ""
        return f"minister voor {portfolio[:1].upper()}{portfolio[1:]}"
    return role.kind
