"""Realistic synthetic Kamervraag pages in openkamer's text form, for benchmarks and tests.

    python benchmarks/generate.py --count 10000 --seed 1 --out DIR [--stats]

or, from Python, ``generate_pages(count, seed)``: an iterator of ``(filename, text)``. The same
count and seed give the same bytes on every machine (only ``random.Random(seed)`` is used, never
the global generator, the clock or hash order).

What the pages look like (see /work/shared/GUIDE.md section 1 and examples/):

- submission dates spread over 2008-2024 in file order; zaak numbers ``YYYYZNNNNN`` unique, with the
  year of submission and increasing within a year;
- 1-4 submitters (55/30/10/5 %), drawn from a pool of about 300 members with a Zipf-like activity
  (weight 1/(rank+3)) among those seated on the date: about 220 real members of the Tweede Kamer
  from ingest/refdata (person.json, parliament.json) and about 90 generated Dutch names for the seats
  after 2019 that the fixture does not know; co-submitters from the same party 60 % of the time;
  2 % of submitters printed without a party (``Jasper van Dijk , Renske Leijten``);
- answerers (1, or 2 in 20 %) from the cabinet in office on the answer date: the real cabinets
  Balkenende IV to Rutte III from ingest/refdata/government.json (Rutte III kept until 2022-01-10),
  then Rutte IV and Schoof with their real posts but generated names (except the prime ministers);
  the ministry chosen from the topic, printed with the name valid then (ministerie_namen.csv):
  ``minister infrastructuur en milieu`` in 2015, ``minister infrastructuur en waterstaat`` in 2019;
  roles in the printed forms (``minister-president, minister algemene zaken``,
  ``viceminister-president , minister financiën``, ``minister voor medische zorg``,
  ``minister zonder portefeuille``);
- 1-5 topics of the TaxonomieBeleidsagenda: a theme and sub-themes of it, sometimes a second theme,
  sometimes the theme left out; printed lower-cased, sorted and space-joined;
- 1-25 sub-questions (median 6), questions of 100-400 characters; answers of 50-2000 characters
  (median about 400), except the short ``Ja.``/``Nee.`` replies to ``Bent u bekend met ...`` and
  the combined answers ``Zie het antwoord op vraag N.``; cross-references (``Zoals aangegeven in
  het antwoord op vraag 3, ...``) in 8 % of the answers;
- 85 % answered; days to answer log-normal (median 35, clipped to 1-300, 1 % within 1-3 days, so
  ``(na 1 dagen)`` occurs); 3 % of the answered pages show no answer texts; a question whose answer
  would fall after 2024 stays unanswered;
- a mededeling on 30 % of the pages (more often on slow and unanswered questions), a second one on
  some of the slowest;
- footnote markers glued to the text on 20 % of the pages (``«...»2?``, ``levenssfeer.3 Voor``,
  ``ontvangen.5Zoals``), the footnote lines in the header on three quarters of those;
- both indentation styles (bullets at 1 or 2 spaces, text at 2 or 4), a lost sub-list now and then
  (``... de volgende vragen te geven:``), ``ƫ`` for ``ë`` on 1 % of the pages (those with an ``ë``), and the footer.

Every page parses with ``ingest.parse.parse_page`` and ingests without error (tests/test_generator.py).
"""
from __future__ import annotations

import argparse
import bisect
import csv
import hashlib
import itertools
import json
import math
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

REFDATA = Path(__file__).resolve().parent.parent / "ingest" / "refdata"

FIRST_DAY = date(2008, 1, 1)
LAST_DAY = date(2024, 12, 31)
_WORLD_SEED = 20240101  # the pool of members and generated ministers; the same for every --seed

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december")
OB = "https://zoek.officielebekendmakingen.nl/"

# -------------------------------------------------------------------------------------------------
# Names
# -------------------------------------------------------------------------------------------------

FORENAMES = (
    "Anne", "Bart", "Bas", "Carla", "Chantal", "Daan", "Dennis", "Dirk", "Eline", "Esther", "Eva",
    "Femke", "Floor", "Frank", "Geert", "Gert-Jan", "Hanneke", "Harm", "Henk", "Ilse", "Inge",
    "Iris", "Jaap", "Jan", "Jan Willem", "Jasper", "Jeroen", "Joost", "Joris", "Judith", "Karin",
    "Kees", "Klaas", "Laura", "Lisa", "Lotte", "Maarten", "Marieke", "Marjolein", "Mark", "Martijn",
    "Meindert", "Mirjam", "Nicole", "Niels", "Pieter", "Rens", "Rianne", "Rik", "Rob", "Roelof",
    "Ruben", "Sander", "Sanne", "Sietse", "Sjoerd", "Stephan", "Suzanne", "Thijs", "Tom", "Tjeerd",
    "Wieke", "Willemijn", "Wim", "Wouter", "Yvonne", "Zeynep", "Mohamed", "Fatma", "Hülya", "Sören",
    "Ilana", "Derk", "Aukje", "Gijs", "Hester", "Jesse", "Lilian", "Nathalie", "Olger", "Pepijn",
    "Quirine", "Reinette", "Tunahan", "Corinne", "Habtamu", "Ingrid", "Mariëlle", "Lucille", "Doğukan",
)
# (prefix, surname) pairs as Dutch names combine them.
SURNAMES = (
    ("", "Jansen"), ("de", "Vries"), ("van den", "Berg"), ("van", "Dijk"), ("", "Bakker"),
    ("", "Janssen"), ("", "Visser"), ("", "Smit"), ("", "Meijer"), ("de", "Boer"), ("", "Mulder"),
    ("de", "Groot"), ("", "Bos"), ("", "Vos"), ("", "Peters"), ("", "Hendriks"), ("van", "Leeuwen"),
    ("", "Dekker"), ("", "Brouwer"), ("de", "Wit"), ("", "Dijkstra"), ("", "Smits"), ("de", "Graaf"),
    ("van der", "Meer"), ("van der", "Linden"), ("", "Kok"), ("", "Jacobs"), ("de", "Haan"),
    ("", "Vermeulen"), ("van den", "Heuvel"), ("van der", "Veen"), ("van den", "Broek"),
    ("de", "Bruijn"), ("de", "Jong"), ("", "Schouten"), ("van", "Beek"), ("", "Willems"),
    ("van", "Vliet"), ("van de", "Ven"), ("", "Hoekstra"), ("", "Maas"), ("", "Verhoeven"),
    ("", "Koster"), ("van", "Dam"), ("van der", "Wal"), ("", "Prins"), ("", "Blom"), ("", "Huisman"),
    ("", "Peeters"), ("de", "Jonge"), ("", "Kuipers"), ("van", "Veen"), ("", "Post"), ("", "Kuiper"),
    ("", "Veenstra"), ("", "Kramer"), ("van den", "Brink"), ("", "Scholten"), ("van", "Wijk"),
    ("", "Postma"), ("", "Martens"), ("", "Vink"), ("de", "Ruiter"), ("", "Timmermans"),
    ("", "Groen"), ("", "Gerritsen"), ("", "Jonker"), ("van", "Loon"), ("", "Boers"),
    ("van der", "Heijden"), ("ter", "Horst"), ("ten", "Brink"), ("in 't", "Veld"), ("", "Yılmaz"),
    ("", "Öztürk"), ("", "Bouzian"), ("", "El Idrissi"), ("", "Şahin"), ("", "Mertens"),
    ("", "Wijnands"), ("", "Oudshoorn"), ("", "Zwart"), ("", "Hofstra"), ("van", "Houten"),
    ("", "Kröner"), ("", "Ruijgrok"), ("", "Terpstra"), ("", "Wessels"), ("", "Haverkamp"),
)

# The fracties' abbreviations as openkamer prints them (GL and CU; GroenLinks-PvdA since 2023).
MAIN_PARTIES = ("VVD", "PvdA", "CDA", "D66", "SP", "GL", "CU", "PVV", "PvdD", "SGP", "50PLUS",
                "DENK", "FvD")
# Seats of the generated members after 2019, by election (about the real proportions).
SEATS_2021 = {"VVD": 34, "D66": 24, "PVV": 17, "CDA": 15, "SP": 9, "PvdA": 9, "GL": 8, "FvD": 8,
              "PvdD": 6, "CU": 5, "JA21": 3, "SGP": 3, "DENK": 3, "Volt": 3, "BBB": 1, "BIJ1": 1}
SEATS_2023 = {"PVV": 37, "GroenLinks-PvdA": 25, "VVD": 24, "NSC": 20, "D66": 9, "BBB": 7, "CDA": 5,
              "SP": 5, "DENK": 3, "PvdD": 3, "FvD": 3, "SGP": 3, "CU": 3, "Volt": 2, "JA21": 1}
ELECTION_2021 = date(2021, 3, 31)
ELECTION_2023 = date(2023, 12, 6)
AFTER = date(2026, 1, 1)


def _capitalised_surname(prefix: str, surname: str) -> str:
    """``Van der Staaij``: how a surname with a prefix is written without the forename."""
    full = f"{prefix} {surname}".strip()
    return full[:1].upper() + full[1:]


@dataclass(frozen=True)
class MP:
    name: str
    surname: str  # "Van Raak", for "het lid Van Raak"
    party: str | None
    start: date
    end: date  # exclusive


@dataclass(frozen=True)
class Post:
    name: str
    surname: str
    party: str | None
    roles: str  # as printed inside the parentheses
    domain: str  # which ministry's business it is, to match the topic
    weight: float
    start: date
    end: date  # exclusive


# -------------------------------------------------------------------------------------------------
# Cabinets
# -------------------------------------------------------------------------------------------------

# Ministry names as the page prints them -> the business (domain) they answer for.
MINISTRY_DOMAIN = {
    "algemene zaken": "AZ",
    "binnenlandse zaken en koninkrijksrelaties": "BZK",
    "buitenlandse zaken": "BZ",
    "defensie": "DEF",
    "economische zaken": "EZ",
    "economische zaken, landbouw en innovatie": "EZ",
    "economische zaken en klimaat": "EZ",
    "financiën": "FIN",
    "verkeer en waterstaat": "IW",
    "infrastructuur en milieu": "IW",
    "infrastructuur en waterstaat": "IW",
    "justitie": "JV",
    "veiligheid en justitie": "JV",
    "justitie en veiligheid": "JV",
    "landbouw, natuur en voedselkwaliteit": "LNV",
    "landbouw, visserij, voedselzekerheid en natuur": "LNV",
    "onderwijs, cultuur en wetenschap": "OCW",
    "sociale zaken en werkgelegenheid": "SZW",
    "volksgezondheid, welzijn en sport": "VWS",
    "volkshuisvesting, ruimtelijke ordening en milieubeheer": "VROM",
    "asiel en migratie": "AM",
    "klimaat en groene groei": "KGG",
    "volkshuisvesting en ruimtelijke ordening": "VRO",
}
PORTFOLIO_DOMAIN = {
    "jeugd en gezin": "VWS",
    "wonen, wijken en integratie": "VROM",
    "ontwikkelingssamenwerking": "BZ",
    "immigratie, integratie en asiel": "JV",
    "wonen en rijksdienst": "BZK",
    "buitenlandse handel en ontwikkelingssamenwerking": "BZ",
    "buitenlandse handel en ontwikkelingshulp": "BZ",
    "medische zorg": "VWS",
    "rechtsbescherming": "JV",
    "basis- en voortgezet onderwijs en media": "OCW",
    "klimaat en energie": "EZ",
    "natuur en stikstof": "LNV",
    "volkshuisvesting en ruimtelijke ordening": "BZK",
    "armoedebeleid, participatie en pensioenen": "SZW",
    "langdurige zorg, jeugd en sport": "VWS",
    "primair en voortgezet onderwijs": "OCW",
}
# The fixture is Wikidata-derived and keeps some old names; the printed name of each cabinet.
_RENAMED = {
    "Kabinet-Rutte I": {"economische zaken": "economische zaken, landbouw en innovatie"},
    "Kabinet-Rutte III": {
        "economische zaken": "economische zaken en klimaat",
        "infrastructuur en milieu": "infrastructuur en waterstaat",
        "veiligheid en justitie": "justitie en veiligheid",
    },
}
_PORTFOLIO_FIXES = {
    "buitenlandse handel en ontwikkelinssamenwerking": "buitenlandse handel en ontwikkelingssamenwerking",
    "programma jeugd en gezin": "jeugd en gezin",
}
RUTTE_III_END = date(2022, 1, 10)
SCHOOF_START = date(2024, 7, 2)

# Rutte IV and Schoof: the real posts and parties; (kind, ministry or portfolio, party, deputy PM).
RUTTE_IV = (
    ("minister", "binnenlandse zaken en koninkrijksrelaties", "CDA", False),
    ("minister", "buitenlandse zaken", "CDA", True),
    ("minister", "defensie", "D66", False),
    ("minister", "economische zaken en klimaat", "VVD", False),
    ("minister", "financiën", "D66", True),
    ("minister", "infrastructuur en waterstaat", "VVD", False),
    ("minister", "justitie en veiligheid", "VVD", False),
    ("minister", "landbouw, natuur en voedselkwaliteit", "CDA", False),
    ("minister", "onderwijs, cultuur en wetenschap", "D66", False),
    ("minister", "sociale zaken en werkgelegenheid", "D66", False),
    ("minister", "volksgezondheid, welzijn en sport", "CDA", False),
    ("minister voor", "klimaat en energie", "D66", False),
    ("minister voor", "natuur en stikstof", "VVD", False),
    ("minister voor", "volkshuisvesting en ruimtelijke ordening", "CDA", False),
    ("minister voor", "armoedebeleid, participatie en pensioenen", "CU", True),
    ("minister voor", "langdurige zorg, jeugd en sport", "VVD", False),
    ("minister voor", "primair en voortgezet onderwijs", "VVD", False),
    ("minister voor", "buitenlandse handel en ontwikkelingssamenwerking", "VVD", False),
    ("minister voor", "rechtsbescherming", "D66", False),
    ("staatssecretaris", "binnenlandse zaken en koninkrijksrelaties", "D66", False),
    ("staatssecretaris", "binnenlandse zaken en koninkrijksrelaties", "CDA", False),
    ("staatssecretaris", "financiën", "VVD", False),
    ("staatssecretaris", "financiën", "CDA", False),
    ("staatssecretaris", "justitie en veiligheid", "VVD", False),
    ("staatssecretaris", "infrastructuur en waterstaat", "D66", False),
    ("staatssecretaris", "economische zaken en klimaat", "D66", False),
    ("staatssecretaris", "sociale zaken en werkgelegenheid", "CDA", False),
    ("staatssecretaris", "volksgezondheid, welzijn en sport", "D66", False),
    ("staatssecretaris", "onderwijs, cultuur en wetenschap", "D66", False),
    ("staatssecretaris", "defensie", "VVD", False),
)
SCHOOF = (
    ("minister", "asiel en migratie", "PVV", False),
    ("minister", "binnenlandse zaken en koninkrijksrelaties", "NSC", False),
    ("minister", "buitenlandse zaken", "PVV", False),
    ("minister", "defensie", "VVD", False),
    ("minister", "economische zaken", "NSC", False),
    ("minister", "financiën", "VVD", False),
    ("minister", "infrastructuur en waterstaat", "PVV", False),
    ("minister", "justitie en veiligheid", "VVD", False),
    ("minister", "klimaat en groene groei", "VVD", True),
    ("minister", "landbouw, visserij, voedselzekerheid en natuur", "BBB", False),
    ("minister", "onderwijs, cultuur en wetenschap", "NSC", False),
    ("minister", "sociale zaken en werkgelegenheid", "NSC", True),
    ("minister", "volksgezondheid, welzijn en sport", "PVV", True),
    ("minister", "volkshuisvesting en ruimtelijke ordening", "BBB", True),
    ("minister voor", "buitenlandse handel en ontwikkelingshulp", "VVD", False),
    ("staatssecretaris", "financiën", "NSC", False),
    ("staatssecretaris", "financiën", "VVD", False),
    ("staatssecretaris", "justitie en veiligheid", "VVD", False),
    ("staatssecretaris", "infrastructuur en waterstaat", "VVD", False),
    ("staatssecretaris", "volksgezondheid, welzijn en sport", "PVV", False),
    ("staatssecretaris", "volksgezondheid, welzijn en sport", "NSC", False),
    ("staatssecretaris", "onderwijs, cultuur en wetenschap", "BBB", False),
    ("staatssecretaris", "sociale zaken en werkgelegenheid", "PVV", False),
    ("staatssecretaris", "binnenlandse zaken en koninkrijksrelaties", "BBB", False),
    ("staatssecretaris", "defensie", "NSC", False),
    ("staatssecretaris", "asiel en migratie", "PVV", False),
)
_KIND_WEIGHT = {"minister": 2.0, "minister voor": 1.5, "staatssecretaris": 1.5, "minister zonder portefeuille": 1.0}

# Topic themes -> the ministries that answer for them, most likely first.
THEME_DOMAINS = {
    "bestuur": ("BZK", "AZ"),
    "cultuur en recreatie": ("OCW", "VWS"),
    "economie": ("EZ", "FIN"),
    "financiën": ("FIN",),
    "huisvesting": ("VRO", "BZK", "VROM"),
    "internationaal": ("BZ", "DEF"),
    "landbouw": ("LNV", "EZ"),
    "migratie en integratie": ("AM", "JV", "SZW"),
    "natuur en milieu": ("IW", "LNV", "KGG", "EZ", "VROM"),
    "onderwijs en wetenschap": ("OCW",),
    "openbare orde en veiligheid": ("JV", "BZK"),
    "recht": ("JV",),
    "ruimte en infrastructuur": ("IW", "BZK", "VRO", "VROM"),
    "sociale zekerheid": ("SZW",),
    "verkeer": ("IW",),
    "werk": ("SZW",),
    "zorg en gezondheid": ("VWS",),
}
# How often each theme is the main theme (about the spread of real Kamervragen).
THEME_WEIGHTS = {
    "zorg en gezondheid": 14, "openbare orde en veiligheid": 11, "internationaal": 11, "bestuur": 7,
    "verkeer": 6, "onderwijs en wetenschap": 6, "economie": 6, "natuur en milieu": 6, "recht": 5,
    "migratie en integratie": 5, "financiën": 5, "sociale zekerheid": 4, "werk": 4, "landbouw": 4,
    "huisvesting": 3, "cultuur en recreatie": 3, "ruimte en infrastructuur": 3,
}


# -------------------------------------------------------------------------------------------------
# The world: members, cabinets and topics, built once per process from the reference tables
# -------------------------------------------------------------------------------------------------


def _iso(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _records(name: str) -> dict[str, list[dict]]:
    by_model: dict[str, list[dict]] = defaultdict(list)
    for record in json.loads((REFDATA / name).read_text(encoding="utf-8")):
        by_model[record["model"]].append(dict(record["fields"], pk=record["pk"]))
    return by_model


def _fold(name: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", name)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


class _Timeline:
    """Items with [start, end) periods; ``at(day)`` gives those in office that day, with cumulative
    weights for ``random.choices``; computed once per segment between two boundaries."""

    def __init__(self, items, weight):
        self.items = list(items)
        self.weight = weight
        self.bounds = sorted({d for item in self.items for d in (item.start, item.end)})
        self._cache: dict[int, tuple[list, list[float]]] = {}

    def at(self, day: date) -> tuple[list, list[float]]:
        index = bisect.bisect_right(self.bounds, day)
        found = self._cache.get(index)
        if found is None:
            active = [item for item in self.items if item.start <= day < item.end]
            found = (active, list(accumulate(self.weight(item) for item in active)))
            self._cache[index] = found
        return found


@dataclass
class World:
    members: _Timeline
    posts: _Timeline
    themes: dict[str, tuple[str, ...]]  # theme label -> its sub-theme labels (lower case)
    theme_names: tuple[str, ...]
    theme_weights: tuple[float, ...]


@lru_cache(maxsize=1)
def world() -> World:
    rng = random.Random(_WORLD_SEED)
    persons = {p["pk"]: p for p in _records("person.json")["person.person"]}
    parliament = _records("parliament.json")
    parties = {p["pk"]: p["name_short"] for p in parliament["parliament.politicalparty"]}
    party_of: dict[int, str] = {}
    for membership in parliament["parliament.partymember"]:
        short = parties.get(membership["party"])
        if short in MAIN_PARTIES and membership["person"] not in party_of:
            party_of[membership["person"]] = short

    def full_name(person: dict) -> str:
        return " ".join(p for p in (person["forename"], person["surname_prefix"], person["surname"]) if p)

    name_counts: dict[str, int] = defaultdict(int)
    for person in persons.values():
        name_counts[_fold(full_name(person))] += 1
    taken = set(name_counts)

    # Real members seated since 2008, with a main party and a unique name.
    seats: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for seat in parliament["parliament.parliamentmember"]:
        start = _iso(seat["joined"]) or FIRST_DAY
        end = _iso(seat["left"])
        if end is None:  # still seated in December 2019: until one of the next elections
            end = rng.choices((ELECTION_2021, ELECTION_2023, AFTER), (5, 3, 2))[0]
        if end > FIRST_DAY and start < AFTER:
            seats[seat["person"]].append((max(start, FIRST_DAY), end))
    eligible = sorted(
        pk for pk in seats
        if pk in party_of and pk in persons and name_counts[_fold(full_name(persons[pk]))] == 1
    )
    chosen = rng.sample(eligible, min(220, len(eligible)))
    members: list[MP] = []
    for pk in sorted(chosen):
        person = persons[pk]
        surname = _capitalised_surname(person["surname_prefix"], person["surname"])
        for start, end in seats[pk]:
            members.append(MP(full_name(person), surname, party_of[pk], start, end))

    def new_name() -> tuple[str, str]:
        while True:
            forename = rng.choice(FORENAMES)
            prefix, surname = rng.choice(SURNAMES)
            if rng.random() < 0.05:
                surname = f"{surname}-{rng.choice(SURNAMES)[1]}"
            name = " ".join(p for p in (forename, prefix, surname) if p)
            if _fold(name) not in taken:
                taken.add(_fold(name))
                return name, _capitalised_surname(prefix, surname)

    # Generated members for the Kamers of 2021 and 2023 (a quarter of the seats of each party).
    for seats_by_party, start, end in ((SEATS_2021, ELECTION_2021, ELECTION_2023), (SEATS_2023, ELECTION_2023, AFTER)):
        for party, count in seats_by_party.items():
            for _ in range(max(1, round(count / 4))):
                name, surname = new_name()
                members.append(MP(name, surname, party, start, end))
                if start == ELECTION_2021 and rng.random() < 0.4:  # re-elected in 2023
                    members.append(MP(name, surname, party, ELECTION_2023, AFTER))

    # Zipf-like activity: one rank per person, in a random order.
    people = sorted({m.name for m in members})
    rng.shuffle(people)
    rank = {name: index for index, name in enumerate(people)}
    member_line = _Timeline(members, lambda m: 1.0 / (rank[m.name] + 3))

    posts = _fixture_posts(persons, party_of) + _recent_posts(rng, new_name)
    post_line = _Timeline(posts, lambda p: p.weight)

    themes: dict[str, list[str]] = {}
    with (REFDATA / "taxonomiebeleidsagenda.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    uri_label = {row["uri"]: row["label_lower"] for row in rows}
    for row in rows:
        if row["level"] == "1":
            themes.setdefault(row["label_lower"], [])
    for row in rows:
        if row["level"] == "2":
            themes[uri_label[row["parent_uri"]]].append(row["label_lower"])
    names = tuple(sorted(themes))
    return World(
        members=member_line,
        posts=post_line,
        themes={k: tuple(v) for k, v in themes.items()},
        theme_names=names,
        theme_weights=tuple(THEME_WEIGHTS[n] for n in names),
    )


def _fixture_posts(persons: dict, party_of: dict) -> list[Post]:
    """The cabinets of government.json from 2008 on, with the roles as the page prints them."""
    gov = _records("government.json")
    cabinets = {g["pk"]: g["name"] for g in gov["government.government"]}
    ministries = {m["pk"]: m["name"] for m in gov["government.ministry"]}
    positions = {p["pk"]: p for p in gov["government.governmentposition"]}
    leads: dict[int, list[tuple[str, date, date]]] = defaultdict(list)  # person -> (PMI/DPM, start, end)
    tenures = []
    for member in gov["government.governmentmember"]:
        position = positions.get(member["position"])
        if position is None or member["person"] not in persons:
            continue
        start = _iso(member["start_date"])
        end = _iso(member["end_date"]) or RUTTE_III_END
        if end <= FIRST_DAY or end <= start:
            continue
        start = max(start, FIRST_DAY)
        if position["position"] in ("PMI", "DPM"):
            leads[member["person"]].append((position["position"], start, end))
        else:
            tenures.append((member["person"], position, cabinets[position["government"]], start, end))
    posts = []
    for pk, position, cabinet, start, end in tenures:
        person = persons[pk]
        ministry = ministries.get(position["ministry"])
        if ministry is not None:
            ministry = _RENAMED.get(cabinet, {}).get(ministry, ministry)
        extra = _PORTFOLIO_FIXES.get(position["extra_info"], position["extra_info"])
        if position["position"] == "MWP":
            if extra:
                kind, role, domain = "minister voor", f"minister voor {extra}", PORTFOLIO_DOMAIN.get(extra)
            else:
                kind, role = "minister zonder portefeuille", "minister zonder portefeuille"
                domain = MINISTRY_DOMAIN.get(ministry or "")
        elif ministry is None:
            continue
        else:
            kind = "minister" if position["position"] == "MIN" else "staatssecretaris"
            role, domain = f"{kind} {ministry}", MINISTRY_DOMAIN[ministry]
        if domain is None:
            continue
        # The prime minister's and deputies' roles come first, split at the dates they change.
        cuts = sorted({start, end} | {d for _, s, e in leads.get(pk, ()) for d in (s, e) if start < d < end})
        for piece_start, piece_end in itertools.pairwise(cuts):
            lead = next((kind_ for kind_, s, e in leads.get(pk, ()) if s <= piece_start < e), None)
            roles = role
            weight = _KIND_WEIGHT[kind]
            if lead == "PMI" and domain == "AZ":
                roles, weight = "minister-president, " + role, 0.3
            elif lead == "DPM":
                roles = "viceminister-president , " + role
            elif domain == "AZ":
                continue
            name = " ".join(p for p in (person["forename"], person["surname_prefix"], person["surname"]) if p)
            surname = _capitalised_surname(person["surname_prefix"], person["surname"])
            posts.append(Post(name, surname, party_of.get(pk), roles, domain, weight, piece_start, piece_end))
    return posts


def _recent_posts(rng: random.Random, new_name) -> list[Post]:
    posts = [
        Post("Mark Rutte", "Rutte", "VVD", "minister-president, minister algemene zaken", "AZ", 0.3,
             RUTTE_III_END, SCHOOF_START),
        Post("Dick Schoof", "Schoof", None, "minister-president, minister algemene zaken", "AZ", 0.3,
             SCHOOF_START, AFTER),
    ]
    for cabinet, start, end in ((RUTTE_IV, RUTTE_III_END, SCHOOF_START), (SCHOOF, SCHOOF_START, AFTER)):
        for kind, what, party, deputy in cabinet:
            name, surname = new_name()
            role = f"{kind} {what}"
            domain = PORTFOLIO_DOMAIN[what] if kind == "minister voor" else MINISTRY_DOMAIN[what]
            roles = ("viceminister-president , " if deputy else "") + role
            posts.append(Post(name, surname, party, roles, domain, _KIND_WEIGHT[kind], start, end))
    return posts


# -------------------------------------------------------------------------------------------------
# Text
# -------------------------------------------------------------------------------------------------

SUBJECTS = (
    "Het kabinet", "De minister", "De inspectie", "De toezichthouder", "De gemeente", "Het ministerie",
    "De Nederlandse Voedsel- en Warenautoriteit", "De politie", "Rijkswaterstaat", "Het UWV",
    "De Belastingdienst", "De provincie", "Het RIVM", "De Autoriteit Persoonsgegevens", "De sector",
    "De uitvoeringsorganisatie", "Het Openbaar Ministerie", "De regering", "De werkgroep",
    "Het Centraal Planbureau", "De Raad van State", "De ambassade", "De IND", "Zorgverzekeraars Nederland",
    "De Onderwijsinspectie", "De netbeheerder", "ProRail", "De NS", "De VNG", "Het CBS",
)
VERBS = (
    "heeft besloten tot een onderzoek naar", "onderzoekt op dit moment", "is verantwoordelijk voor",
    "heeft mij geïnformeerd over", "werkt aan", "zal in overleg met de sector kijken naar",
    "volgt nauwlettend", "heeft recent gekeken naar", "heeft overleg gevoerd over", "houdt rekening met",
    "heeft zorgen geuit over", "maakt afspraken over", "ziet geen aanleiding voor aanpassing van",
    "neemt maatregelen tegen", "bereidt een voorstel voor over", "evalueert", "brengt in kaart",
    "heeft contact gehad over", "informeert uw Kamer over", "zet zich in voor", "rapporteert jaarlijks over",
    "heeft extra aandacht voor",
)
OBJECTS = (
    "de uitvoering van de regeling", "de gevolgen voor burgers", "de kosten van de maatregelen",
    "de taken van de betrokken instanties", "de veiligheid van de omgeving", "het huidige beleid",
    "de bescherming van persoonsgegevens", "de financiering van de plannen", "de wettelijke kaders",
    "de beschikbare capaciteit", "de rol van de toezichthouder", "de afspraken met de provincies",
    "de resultaten van het onderzoek", "de signalen uit de praktijk", "de administratieve lasten",
    "de positie van de werknemers", "de gevolgen voor het milieu", "de toegankelijkheid van de zorg",
    "de kwaliteit van het onderwijs", "de handhaving van de regels", "de doorlooptijden",
    "de gezondheid van omwonenden", "de situatie ter plaatse", "het tekort aan personeel",
    "de internationale afspraken", "de Europese regelgeving", "de subsidieregeling",
    "de gevolgen voor ondernemers", "de inzet van extra middelen", "de evaluatie van de wet",
    "de wachttijden", "de rechtsbescherming van burgers", "de risico’s voor de volksgezondheid",
)
ADVERBIALS = (
    "in 2019", "op korte termijn", "zoals eerder aangegeven", "in overleg met de sector",
    "voor het zomerreces", "de afgelopen jaren", "op dit moment", "in de komende maanden",
    "waar nodig", "na afloop van de pilot", "in het voorjaar", "binnen de bestaande kaders",
    "in samenwerking met de gemeenten", "voor zover bekend", "in de voortgangsrapportage",
    "in het bijzonder", "met ingang van volgend jaar", "naar aanleiding van de signalen",
)
CLAUSES = (
    "omdat de gevolgen nog niet volledig bekend zijn", "zodat de uitvoering niet in gevaar komt",
    "waarbij de belangen van alle betrokkenen worden meegewogen", "voordat een besluit wordt genomen",
    "terwijl de kosten naar verwachting beperkt blijven", "opdat burgers tijdig worden geïnformeerd",
    "nu het onderzoek is afgerond", "aangezien de wet daar geen ruimte voor biedt",
    "mede gelet op de internationale verplichtingen", "waarna ik uw Kamer zal informeren",
)
QUESTION_STARTS = (
    "Klopt het dat", "Hoe beoordeelt u het dat", "Deelt u de mening dat", "Kunt u aangeven waarom",
    "Bent u bereid om te onderzoeken of", "Hoeveel gevallen zijn er bekend waarin",
    "Welke maatregelen neemt u nu", "Wat is uw reactie op het feit dat", "Waarom is ervoor gekozen dat",
    "Kunt u toelichten hoe", "Is het waar dat", "In hoeverre bent u van mening dat",
    "Op welke wijze gaat u ervoor zorgen dat", "Wanneer verwacht u dat",
)
QUESTION_FOLLOW = (
    "Zo ja, waarom? Zo nee, waarom niet?", "Zo nee, waarom niet?", "Kunt u dit toelichten?",
    "Wat gaat u hieraan doen?", "Welke stappen gaat u zetten?", "Hoe gaat u dit voorkomen?",
    "Wanneer kan de Kamer hierover worden geïnformeerd?", "Welke gevolgen heeft dit voor {}?",
    "Hoe verhoudt dit zich tot {}?", "Bent u bereid {} {} te laten onderzoeken?",
    "Welke rol speelt {} hierbij?", "Wat betekent dit voor {} {}?", "Is er overleg geweest over {}?",
)
NEWS = (
    "Zorgen over", "Kritiek op", "Onderzoek naar", "Tekort aan", "Problemen met", "Nieuwe regels voor",
    "Vertraging bij", "Ophef over", "Rapport over", "Meer geld voor",
)
NEWS_OBJECTS = (
    "de jeugdzorg", "de luchtvaart", "het openbaar vervoer", "de stikstofuitstoot", "de huurmarkt",
    "de ggz", "het basisonderwijs", "de Belastingdienst", "de politie", "het asielbeleid",
    "de energierekening", "de kinderopvang", "de dijkversterking", "de pensioenen", "de boeren",
    "de wachtlijsten", "de zorgkosten", "het spoor", "de grensbewaking", "het drinkwater",
)
REASONS = (
    "voor de beantwoording interdepartementale afstemming nodig is",
    "nog niet alle benodigde informatie is ontvangen",
    "voor de beantwoording informatie van de betrokken organisaties nodig is",
    "de beantwoording meer tijd vergt",
)
SITES = ("nos.nl/artikel", "www.nu.nl/politiek", "www.volkskrant.nl/nieuws", "www.trouw.nl/binnenland",
         "www.rijksoverheid.nl/documenten", "www.rtlnieuws.nl/nieuws", "fd.nl/economie")


def _sentence(rng: random.Random) -> str:
    parts = [rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS)]
    if rng.random() < 0.5:
        parts.append(rng.choice(ADVERBIALS))
    text = " ".join(parts)
    if rng.random() < 0.4:
        text += ", " + rng.choice(CLAUSES)
    return text + "."


def _sentences(rng: random.Random, length: int) -> list[str]:
    """Sentences that add up to at least ``length`` characters (and at most a sentence more)."""
    out: list[str] = []
    total = -1
    while total < length:
        sentence = _sentence(rng)
        out.append(sentence)
        total += 1 + len(sentence)
    return out


def _headline(rng: random.Random) -> str:
    return f"{rng.choice(NEWS)} {rng.choice(NEWS_OBJECTS)}"


def _question_text(rng: random.Random, length: int, first: bool) -> tuple[list[str], bool]:
    """Sentences of one question (100-400 characters); True for a ``Bent u bekend met ...`` question."""
    known = first and rng.random() < 0.55
    if known:
        news = _headline(rng)
        if rng.random() < 0.8:
            sentences = [f"Bent u bekend met het bericht «{news}»?"]
        else:
            sentences = [f"Bent u bekend met het bericht over {news[0].lower()}{news[1:]}?"]
    else:
        subject = rng.choice(SUBJECTS)
        if subject.startswith(("De ", "Het ")):
            subject = subject[0].lower() + subject[1:]
        body = f"{rng.choice(QUESTION_STARTS)} {subject} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
        if rng.random() < 0.6:
            body += f" {rng.choice(ADVERBIALS)}"
        sentences = [body + "?"]
    total = len(sentences[0])
    target = max(length, 100)
    while total < target:
        extra = rng.choice(QUESTION_FOLLOW)
        if "{" in extra:
            extra = extra.format(rng.choice(OBJECTS), rng.choice(ADVERBIALS))
        if extra in sentences:
            continue
        if total + 1 + len(extra) > 400:
            if total >= 100:
                break
            extra = "Kunt u dit toelichten?"
        sentences.append(extra)
        total += 1 + len(extra)
    suffix = ", en daarbij antwoord op de volgende vragen te geven:"
    if rng.random() < 0.01 and total + len(suffix) <= 400:  # the crawl lost a sub-list
        sentences[-1] = sentences[-1][:-1] + suffix
    return sentences, known


def _long_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _parliamentary_year(day: date) -> str:
    """``20182019``: the session runs from Prinsjesdag, the third Tuesday of September."""
    first = date(day.year, 9, 1)
    prinsjesdag = first + timedelta(days=(1 - first.weekday()) % 7 + 14)
    start = day.year if day >= prinsjesdag else day.year - 1
    return f"{start}{start + 1}"


def _lognormal_int(rng: random.Random, median: float, sigma: float, low: int, high: int) -> int:
    return max(low, min(high, round(rng.lognormvariate(math.log(median), sigma))))


# -------------------------------------------------------------------------------------------------
# Pages
# -------------------------------------------------------------------------------------------------


@dataclass
class _Sub:
    question: list[str]
    answer: list[list[str]] | None  # lines of sentences
    short_answer: str | None = None  # "Ja.", a pointer


class _Generator:
    def __init__(self, count: int, seed: int):
        self.count = count
        self.rng = random.Random(seed)
        self.world = world()
        span = (LAST_DAY - FIRST_DAY).days + 1
        self.span = span
        per_year = count * 366 / span + 1
        self.max_step = max(1, min(12, int(90_000 / per_year)))
        self.zaak_next: dict[int, int] = {}
        self.answer_next: dict[str, int] = {}

    # -- the parts of one page

    def submitted(self, index: int) -> date:
        offset = int((index + self.rng.random()) * self.span / self.count)
        day = FIRST_DAY + timedelta(days=min(offset, self.span - 1))
        if day.weekday() >= 5:  # Kamervragen come in on working days
            day -= timedelta(days=day.weekday() - 4)
            if day < FIRST_DAY:
                day += timedelta(days=3)
        return day

    def zaak(self, day: date) -> str:
        current = self.zaak_next.get(day.year)
        if current is None:
            current = self.rng.randint(20, 400)
        number = current
        self.zaak_next[day.year] = number + self.rng.randint(1, self.max_step)
        if number > 99_999:
            raise ValueError(f"too many pages for the zaak numbers of {day.year}")
        return f"{day.year}Z{number:05d}"

    def answer_document(self, day: date) -> str:
        year = _parliamentary_year(day)
        number = self.answer_next.get(year) or self.rng.randint(1, 60)
        self.answer_next[year] = number + self.rng.randint(1, 3)
        return f"ah-tk-{year}-{number}"

    def submitters(self, day: date) -> list[MP]:
        rng = self.rng
        active, cumulative = self.world.members.at(day)
        size = rng.choices((1, 2, 3, 4), (55, 30, 10, 5))[0]
        chosen = [rng.choices(active, cum_weights=cumulative)[0]]
        names = {chosen[0].name}
        for _ in range(20 * size):
            if len(chosen) == size:
                break
            if rng.random() < 0.6:
                same = [m for m in active if m.party == chosen[0].party and m.name not in names]
                if same:
                    pick = rng.choice(same)
                    chosen.append(pick)
                    names.add(pick.name)
                    continue
            pick = rng.choices(active, cum_weights=cumulative)[0]
            if pick.name not in names:
                chosen.append(pick)
                names.add(pick.name)
        return chosen

    def topics(self) -> tuple[str, list[str]]:
        rng, themes = self.rng, self.world.themes
        theme = rng.choices(self.world.theme_names, self.world.theme_weights)[0]
        size = rng.choices((1, 2, 3, 4, 5), (10, 35, 30, 15, 10))[0]
        labels = [theme]
        subs = list(themes[theme])
        rng.shuffle(subs)
        second = size >= 3 and rng.random() < 0.25
        labels += subs[: size - 1 - (2 if second else 0)]
        if second:
            other = rng.choice([t for t in self.world.theme_names if t != theme])
            labels += [other, rng.choice(themes[other])]
        if len(labels) > 1 and rng.random() < 0.1:
            labels.remove(theme)  # the theme is not always printed
        return theme, sorted(set(labels))

    def answerers(self, day: date, theme: str) -> list[Post]:
        rng = self.rng
        active, cumulative = self.world.posts.at(day)
        if not active:
            raise ValueError(f"no cabinet in office on {day}")
        chosen: list[Post] = []
        domains = ("AZ",) if rng.random() < 0.02 else THEME_DOMAINS[theme]  # now and then the prime minister
        for domain in domains:
            fitting = [p for p in active if p.domain == domain]
            if fitting:
                chosen.append(rng.choices(fitting, [p.weight for p in fitting])[0])
                break
        else:
            chosen.append(rng.choices(active, cum_weights=cumulative)[0])
        if rng.random() < 0.2:
            others = [p for p in active if p.domain != chosen[0].domain and p.name != chosen[0].name]
            if others:
                chosen.append(rng.choices(others, [p.weight for p in others])[0])
        return chosen

    def subquestions(self, answered: bool, show_answers: bool) -> list[_Sub]:
        rng = self.rng
        count = _lognormal_int(rng, 6, 0.55, 1, 25)
        subs = []
        for number in range(1, count + 1):
            question, known = _question_text(rng, _lognormal_int(rng, 170, 0.4, 100, 400), number == 1)
            sub = _Sub(question, None)
            if answered and show_answers:
                if known and rng.random() < 0.8:
                    sub.short_answer = rng.choice(("Ja.", "Ja.", "Ja.", "Nee."))
                elif number > 1 and rng.random() < 0.05:
                    target = rng.randint(1, number - 1)
                    if target > 1 and rng.random() < 0.3:
                        sub.short_answer = f"Zie het antwoord op de vragen {target - 1} en {target}."
                    else:
                        sub.short_answer = rng.choice(("Zie het antwoord op vraag {}.", "Zie antwoord vraag {}."))
                        sub.short_answer = sub.short_answer.format(target)
                else:
                    sentences = _sentences(rng, _lognormal_int(rng, 400, 0.8, 50, 1800))
                    if count > 1 and rng.random() < 0.08:
                        target = rng.choice([n for n in range(1, count + 1) if n != number])
                        first = sentences[0]
                        sentences[0] = (f"Zoals aangegeven in het antwoord op vraag {target}, "
                                        + first[0].lower() + first[1:])
                    lines = []
                    while sentences:
                        take = rng.randint(1, 4)
                        lines.append(sentences[:take])
                        sentences = sentences[take:]
                    sub.answer = lines
            subs.append(sub)
        return subs

    def footnotes(self, subs: list[_Sub]) -> int:
        """Glue markers 1..k onto sentence ends, numbered in page order; return k (0 for none)."""
        rng = self.rng
        if rng.random() >= 0.20:
            return 0
        slots = []
        for s, sub in enumerate(subs):
            texts = [(-1, sub.question), *enumerate(sub.answer or ())]
            for line, sentences in texts:
                # not after a number: "in 2019.3" is no marker for the parser (a decimal)
                slots += [(s, line, i) for i, text in enumerate(sentences) if not text[-2].isdigit()]
        k = min(len(slots), rng.choices((1, 2, 3, 4, 5), (40, 25, 15, 10, 10))[0])
        chosen = sorted(rng.sample(slots, k))
        # Backwards, so that gluing sentence i to i + 1 leaves the earlier slots where they were.
        for number, (s, line, i) in reversed(list(enumerate(chosen, start=1))):
            sentences = subs[s].question if line == -1 else subs[s].answer[line]
            text = sentences[i]
            if text.endswith("»?"):  # zijn»2?
                sentences[i] = f"{text[:-1]}{number}?"
            elif text.endswith(".") and i + 1 < len(sentences) and rng.random() < 0.3:
                sentences[i] = f"{text}{number}{sentences.pop(i + 1)}"  # ontvangen.5Zoals
            else:
                sentences[i] = f"{text}{number}"  # levenssfeer.3
        return k

    # -- one page

    def page(self, index: int) -> tuple[str, str]:
        rng = self.rng
        submitted = self.submitted(index)
        zaak = self.zaak(submitted)
        title = self.title()
        theme, topics = self.topics()
        submitters = self.submitters(submitted)
        days = _lognormal_int(rng, 35, 0.7, 1, 300) if rng.random() >= 0.01 else rng.randint(1, 3)
        answered_on = submitted + timedelta(days=days)
        answered = rng.random() < 0.85 and answered_on <= LAST_DAY
        answerers = self.answerers(answered_on, theme) if answered else []
        show_answers = rng.random() >= 0.03
        subs = self.subquestions(answered, show_answers)
        notes = self.footnotes(subs)
        notices = self.notices(submitted, answered_on if answered else None, submitters, title, days)
        style = (" ", "  ") if rng.random() < 0.7 else ("  ", "    ")

        lines = [f"Kamervraag {zaak}", "", title, "", f"Ingediend {_long_date(submitted)}"]
        if answered:
            lines.append(f"Beantwoord {_long_date(answered_on)} (na {days} dagen)")
        lines.append(("Indieners " if len(submitters) > 1 else "Indiener ") + self.member_list(submitters))
        if answered:
            lines.append("Beantwoord door " + ", ".join(
                f"{p.name} ({p.roles})" + (f" ({p.party})" if p.party else "") for p in answerers))
        lines.append("Onderwerpen " + " ".join(topics))
        lines.append(f"Bron vraag {OB}kv-tk-{zaak}.html")
        answer_doc = self.answer_document(answered_on) if answered else None
        if answer_doc:
            lines.append(f"Bron antwoord {OB}{answer_doc}.html")
        if notes and rng.random() < 0.75:
            lines.extend(f"{number}. {self.footnote_text()}" for number in range(1, notes + 1))
        bullet, indent = style
        for number, sub in enumerate(subs, start=1):
            lines.append(f"{bullet}• Vraag {number}")
            lines.append(indent + " ".join(s for s in sub.question if s))
            lines.append("")
            if sub.short_answer:
                lines += [indent + sub.short_answer, ""]
            elif sub.answer:
                lines += [indent + " ".join(s for s in line if s) for line in sub.answer if any(line)]
                lines.append("")
        for when, text in notices:
            lines += [f"{bullet}• Mededeling - {_long_date(when)}", "", indent + text, ""]
        lines += ["", f"Kamervraag document nummer: kv-tk-{zaak}", f"Volledige titel: {title}"]
        if answer_doc:
            lines.append(f"Kamerantwoord document nummer: {answer_doc}")
            lines.append(f"Volledige titel: Antwoord op vragen van {self.members_phrase(submitters, False)} over "
                         f"{title[0].lower()}{title[1:]}")
        text = "\n".join(lines)
        if rng.random() < 0.01:
            text = text.replace("ë", "ƫ")  # encoding damage seen in crawls
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        width = max(6, len(str(self.count - 1)))
        return f"{index:0{width}d}_{digest}.txt", text

    def title(self) -> str:
        rng = self.rng
        form = rng.random()
        if form < 0.45:
            subject = rng.choice(SUBJECTS)
            if subject.startswith(("De ", "Het ")):
                subject = subject[0].lower() + subject[1:]
            return f"Het bericht dat {subject} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
        if form < 0.7:
            return f"Het bericht ‘{_headline(rng)}’"
        return f"{_headline(rng)} {rng.choice(ADVERBIALS)}"

    def member_list(self, members: list[MP]) -> str:
        parts = []
        for m in members:
            if m.party and self.rng.random() >= 0.02:
                parts.append(f"{m.name} ({m.party})")
            else:
                parts.append(f"{m.name} ")  # openkamer prints "Jasper van Dijk , Renske Leijten"
        return ", ".join(parts).rstrip()

    @staticmethod
    def members_phrase(members: list[MP], with_party: bool) -> str:
        names = [m.surname + (f" ({m.party})" if with_party and m.party else "") for m in members]
        if len(names) == 1:
            return f"het lid {names[0]}"
        return "de leden " + ", ".join(names[:-1]) + " en " + names[-1]

    def notices(self, submitted: date, answered: date | None, members: list[MP], title: str, days: int):
        rng = self.rng
        chance = 0.38 if answered is None else (0.36 if days > 21 else 0.0)
        if rng.random() >= chance:
            return []
        first = submitted + timedelta(days=rng.randint(14, 21))
        limit = answered or LAST_DAY
        if first >= limit:
            return []
        who = self.members_phrase(members, True)
        subject = title[0].lower() + title[1:]
        texts = [(first, f"Hierbij deel ik u mede dat de schriftelijke vragen van {who} over {subject} "
                         f"(ingezonden {_long_date(submitted)}) niet binnen de gebruikelijke termijn kunnen worden "
                         f"beantwoord, omdat {rng.choice(REASONS)}. Ik streef ernaar de vragen zo spoedig mogelijk "
                         f"te beantwoorden.")]
        second = first + timedelta(days=rng.randint(14, 40))
        if (answered is None or days > 60) and second < limit and rng.random() < 0.15:
            texts.append((second, f"Hierbij deel ik u mede dat de beantwoording van de schriftelijke vragen van "
                                  f"{who} over {subject} (ingezonden {_long_date(submitted)}) meer tijd vergt. "
                                  f"Ik streef ernaar de vragen zo spoedig mogelijk te beantwoorden."))
        return texts

    def footnote_text(self) -> str:
        rng = self.rng
        kind = rng.random()
        if kind < 0.6:
            slug = "-".join(_headline(rng).lower().split())
            return f"https://{rng.choice(SITES)}/{rng.randint(100000, 2999999)}-{slug}"
        if kind < 0.85:
            return f"Kamerstuk {rng.randint(21, 36)} {rng.randint(100, 999)}, nr. {rng.randint(1, 999)}"
        year = rng.randint(2007, 2023)
        return f"Aanhangsel Handelingen II {year}/{(year + 1) % 100:02d}, nr. {rng.randint(1, 3999)}"


def generate_pages(count: int, seed: int = 1) -> Iterator[tuple[str, str]]:
    """``count`` pages as ``(filename, text)``, in submission order; the same for the same count and seed."""
    generator = _Generator(count, seed)
    for index in range(count):
        yield generator.page(index)


def write_pages(out: Path, count: int, seed: int = 1) -> int:
    """Write the pages into ``out`` (created); the number of bytes written."""
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    for name, text in generate_pages(count, seed):
        data = text.encode("utf-8")
        (out / name).write_bytes(data)
        total += len(data)
    return total


def describe(pages: list[str]) -> dict[str, object]:
    """Distributions of parsed pages, to compare with the real ones (``--stats``)."""
    from statistics import median

    from kamergraph.ingest.parse import parse_page

    def spread(values: list[int]) -> str:
        return f"{median(values)} ({min(values)}-{max(values)})" if values else "-"

    records = [parse_page(text) for text in pages]
    n = len(records)
    answered = [r for r in records if r.is_answered]
    answers = [s.answer for r in records for s in r.subquestions if s.answer]
    subquestions = [s for r in records for s in r.subquestions]
    with_markers = sum(any(s.question_footnotes or s.answer_footnotes for s in r.subquestions) for r in records)
    return {
        "pages": n,
        "submitters per page (1/2/3/4)": [sum(len(r.submitters) == k for r in records) for k in (1, 2, 3, 4)],
        "submitters without party": f"{sum(m.party is None for r in records for m in r.submitters)}",
        "sub-questions median (min-max)": spread([len(r.subquestions) for r in records]),
        "answered share": round(len(answered) / n, 3),
        "days median (min-max)": spread([r.days for r in answered]),
        "pages with a mededeling (with 2)":
            f"{sum(bool(r.notices) for r in records)} ({sum(len(r.notices) > 1 for r in records)})",
        "pages with footnote markers (with lines)": f"{with_markers} ({sum(bool(r.footnotes) for r in records)})",
        "combined answers / answers with cross-references":
            f"{sum(s.combined for s in subquestions)} / {sum(bool(s.refers_to) for s in subquestions)}",
        "answer length median (min-max)": spread([len(a) for a in answers]),
        "topics per page median": median(len(r.topics) for r in records),
        "answerers per answered page (1/2)": [sum(len(r.answerers) == k for r in answered) for k in (1, 2)],
        "distinct submitters": len({m.name for r in records for m in r.submitters}),
        "warnings": sum(len(r.warnings) for r in records),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="number of pages (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", type=Path, help="folder to write the pages into")
    parser.add_argument("--stats", action="store_true", help="parse the pages and print their distributions")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    started = time.perf_counter()
    if args.out:
        total = write_pages(args.out, args.count, args.seed)
        print(f"{args.count} pages, {total / 1e6:.1f} MB in {args.out} ({time.perf_counter() - started:.1f} s)",
              file=sys.stderr)
    if args.stats:
        pages = [text for _, text in generate_pages(args.count, args.seed)]
        for key, value in describe(pages).items():
            print(f"{key:50} {value}")
    if not args.out and not args.stats:
        parser.error("give --out DIR and/or --stats")
    return 0


if __name__ == "__main__":
    sys.exit(main())
