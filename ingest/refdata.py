"""The reference tables shipped in ingest/refdata/: topics, ministries, parties, persons, posts.

Read once per process (``load_reference``) and kept as plain values; nothing here knows RDF.
See ingest/refdata/README.md for where each table comes from and how far to trust it.
"""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

from .names import fold, slug

TAXONOMY_SCHEME = "http://standaarden.overheid.nl/owms/terms/TaxonomieBeleidsagenda"


@dataclass(frozen=True)
class Topic:
    key: str
    uri: str
    label: str
    parent_uri: str | None


@dataclass(frozen=True)
class Ministry:
    code: str  # TOOI organisatiecode, also our IRI key: stable across renames
    tooi: str
    name: str  # official name incl. "ministerie van"
    short_name: str
    abbreviation: str


@dataclass(frozen=True)
class Party:
    key: str
    label: str  # the abbreviation the Tweede Kamer writes
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Person:
    key: str
    forename: str
    prefix: str
    surname: str
    tk_id: str | None
    wikidata: str | None
    birthdate: date | None
    parlement_com: str | None = None  # the person's id at parlement.com (Parlementair Documentatie Centrum)

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.forename, self.prefix, self.surname) if part)


@dataclass(frozen=True)
class Membership:
    person: str
    party: str
    start: date | None
    end: date | None


@dataclass(frozen=True)
class Tenure:
    person: str
    kind: str
    portfolio: str | None
    start: date | None
    end: date | None
    ministry: str | None = None  # the ministry openkamer places the post at, as it names it


@dataclass(frozen=True)
class MinistryName:
    name: str
    code: str
    start: date | None
    end: date | None


@dataclass(frozen=True)
class Reference:
    topics: tuple[Topic, ...]
    ministries: tuple[Ministry, ...]
    ministry_names: tuple[MinistryName, ...]
    portfolios: dict[str, str]
    parties: tuple[Party, ...]
    persons: tuple[Person, ...]
    memberships: tuple[Membership, ...]
    tenures: tuple[Tenure, ...]


def _read(name: str) -> bytes:
    return resources.files(__package__).joinpath("refdata", name).read_bytes()


def _csv(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(_read(name).decode("utf-8").splitlines()))


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@lru_cache(maxsize=1)
def load_reference() -> Reference:
    topics = tuple(
        Topic(
            key=slug(row["uri"].rsplit("/", 1)[1]),
            uri=row["uri"],
            label=row["label"],
            parent_uri=row["parent_uri"] or None,
        )
        for row in _csv("taxonomiebeleidsagenda.csv")
    )
    ministries = tuple(
        Ministry(
            code=row["organisatiecode"],
            tooi=row["tooi_uri"],
            name=row["naam_incl_soort"].replace(" (oud)", ""),
            short_name=row["naam_excl_soort"],
            abbreviation=row["afkorting"].split(" ")[0],
        )
        for row in _csv("tooi_ministeries.csv")
    )
    ministry_names = tuple(
        MinistryName(row["name"], row["organisatiecode"], _date(row["valid_from"]), _date(row["valid_until"]))
        for row in _csv("ministerie_namen.csv")
    )
    portfolios = {row["portfolio"]: row["organisatiecode"] for row in _csv("portefeuilles.csv")}
    parties, party_by_pk = _parties()
    persons, person_by_pk = _persons()
    memberships = tuple(
        Membership(person_by_pk[f["person"]], party_by_pk[f["party"]], _date(f["joined"]), _date(f["left"]))
        for f in _records("parliament.json", "parliament.partymember")
        if f["person"] in person_by_pk and f["party"] in party_by_pk
    )
    return Reference(
        topics=topics,
        ministries=ministries,
        ministry_names=ministry_names,
        portfolios=portfolios,
        parties=parties,
        persons=persons,
        memberships=memberships,
        tenures=_tenures(person_by_pk),
    )


def _records(name: str, model: str):
    return [dict(r["fields"], pk=r["pk"]) for r in json.loads(_read(name)) if r["model"] == model]


def _parties() -> tuple[tuple[Party, ...], dict[int, str]]:
    by_key: dict[str, Party] = {}
    for row in _csv("tk_fracties.csv"):
        label = row["afkorting_in_tk_documents"]
        aliases = {label, row["naam"]} | ({row["openkamer_name_short"]} if row["openkamer_name_short"] else set())
        by_key[slug(label)] = Party(slug(label), label, row["naam"], tuple(sorted(aliases)))
    alias_key = {fold(alias): party.key for party in by_key.values() for alias in party.aliases}
    party_by_pk = {}
    for fields in _records("parliament.json", "parliament.politicalparty"):
        key = alias_key.get(fold(fields["name_short"])) or alias_key.get(fold(fields["name"]))
        if key is None:
            key = slug(fields["name_short"] or fields["name"])
            if key not in by_key:
                names = tuple(sorted({fields["name_short"], fields["name"]} - {""}))
                by_key[key] = Party(key, fields["name_short"] or fields["name"], fields["name"], names)
        party_by_pk[fields["pk"]] = key
    return tuple(by_key.values()), party_by_pk


# "vaste commissie voor Binnenlandse Zaken", "Indiener/ondertekenaar n.v.t."
_NOT_A_PERSON = re.compile(r"\bcommissie\b|\bn\.v\.t\.", re.IGNORECASE)


def _persons() -> tuple[tuple[Person, ...], dict[int, str]]:
    # openkamer keeps one placeholder record without a name ("unknown"), and some that name a
    # committee or no one: not persons.
    rows = [r for r in _records("person.json", "person.person")
            if (r["forename"] + r["surname"]).strip() and not _NOT_A_PERSON.search(r["surname"])]
    base_keys = [slug(" ".join(p for p in (r["forename"], r["surname_prefix"], r["surname"]) if p)) for r in rows]
    counts: dict[str, int] = {}
    for key in base_keys:
        counts[key] = counts.get(key, 0) + 1
    # openkamer gives twelve Tweede Kamer ids to two people each (Sander and Suzanne Dekker, …):
    # such an id says nothing about either, and published it would merge them elsewhere.
    tk_ids: dict[str, int] = {}
    for row in rows:
        if row.get("tk_id"):
            tk_ids[row["tk_id"]] = tk_ids.get(row["tk_id"], 0) + 1
    persons, by_pk = [], {}
    for row, base_key in zip(rows, base_keys, strict=True):
        key = base_key
        if counts[base_key] > 1:
            # Namesakes stay apart: the birth year (or the record number) tells them apart in the IRI.
            year = (row.get("birthdate") or "")[:4]
            key = f"{base_key}-{year or row['pk']}"
        person = Person(
            key=key,
            forename=row["forename"],
            prefix=row["surname_prefix"],
            surname=row["surname"],
            tk_id=row["tk_id"] if row.get("tk_id") and tk_ids[row["tk_id"]] == 1 else None,
            # openkamer matched records without a forename to Wikidata by surname alone ("Israel"
            # to Q801, the State of Israel): only whole names keep their Wikidata id.
            wikidata=(row.get("wikidata_id") or None) if row["forename"].strip() else None,
            birthdate=_date(row.get("birthdate")),
            # The same rule for parlement.com's ids (every one the table holds has a whole name).
            parlement_com=(row.get("parlement_and_politiek_id") or None) if row["forename"].strip() else None,
        )
        persons.append(person)
        by_pk[row["pk"]] = key
    return tuple(persons), by_pk


# Misspelt portfolios in openkamer's government.json, as the pages print them.
_PORTFOLIO_SPELLING = {
    "buitenlandse handel en ontwikkelinssamenwerking": "buitenlandse handel en ontwikkelingssamenwerking",
}

_POSITION_KINDS = {
    "PMI": "minister-president",
    "DPM": "viceminister-president",
    "MIN": "minister",
    "SOS": "staatssecretaris",
    "MWP": "minister voor",
}


def _tenures(person_by_pk: dict[int, str]) -> tuple[Tenure, ...]:
    ministry_names = {f["pk"]: f["name"] for f in _records("government.json", "government.ministry")}
    positions = {}
    for f in _records("government.json", "government.governmentposition"):
        kind = _POSITION_KINDS[f["position"]]
        portfolio = ministry_names.get(f["ministry"])
        if kind == "minister voor":
            portfolio = _PORTFOLIO_SPELLING.get(f["extra_info"], f["extra_info"]) or None
            if portfolio is None:
                kind = "minister zonder portefeuille"
        elif kind in ("minister-president", "viceminister-president"):
            portfolio = None
        elif portfolio is None:
            continue
        positions[f["pk"]] = (kind, portfolio, ministry_names.get(f["ministry"]))
    tenures = []
    for f in _records("government.json", "government.governmentmember"):
        if f["person"] in person_by_pk and f["position"] in positions:
            kind, portfolio, ministry = positions[f["position"]]
            tenures.append(Tenure(person_by_pk[f["person"]], kind, portfolio, _date(f["start_date"]),
                                  _date(f["end_date"]), ministry))
    return tuple(tenures)
