"""Who asked whom, counted from the page index: the figures of the named query ``who-asked-whom``
without a scan of the store.

/explore filters the network by topic, party, ministry and period. In SPARQL each of those is a
join over every question of the store (seconds at 10,000 questions); here the topic and ministry
are bitmaps of the page index, and the pairs of each question are read once per index into flat
arrays: counting a view is one pass over the chosen questions (tens of milliseconds at 100,000).
The build of the page index stores those arrays (table ``pairs``), so a web process loads them in
milliseconds instead of reading every question (a second of its one core at 100,000).
The counting rules are the query's, and a test holds the two to the same rows: a question counts
once per source and target; a member's pair keeps the party printed with her on that question (the
party filter keeps those printed with the party); the party view leaves out submitters printed
without one; a minister is an answerer of the question, a ministry one it was answered for.
"""
from __future__ import annotations

import json
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field

from kamergraph.indexes.pages import PageIndex

BY = ("member", "party")
TO = ("minister", "ministry")
NO_PARTY = 0  # node number 0 stands for "no party printed"


@dataclass
class Entries:
    """The pairs of every question in one view: those of question i are ``starts[i]:starts[i + 1]``."""

    starts: array = field(default_factory=lambda: array("I", [0]))
    sources: array = field(default_factory=lambda: array("I"))
    targets: array = field(default_factory=lambda: array("I"))
    parties: array = field(default_factory=lambda: array("I"))


@dataclass
class Pairs:
    iris: list[str]  # node number -> IRI ("" for NO_PARTY)
    submitted: list[str]  # question number -> date submitted
    views: dict[tuple[str, str], Entries]
    member_party: dict[str, str]  # person IRI -> the party printed with her on her newest question


def build(index: PageIndex) -> Pairs:
    """The pairs of an index: as its build stored them, or (an index of an older format) read from
    its questions."""
    stored = index.pairs_data()
    return from_data(stored) if stored else from_rows(index.network_rows())


NetworkRow = tuple[str, list, list, list]  # date submitted, [(submitter, party)], [answerer], [ministry]


def from_rows(rows: Iterable[NetworkRow]) -> Pairs:
    """The pairs of questions given newest first, as ``PageIndex.network_rows`` gives them."""
    numbers: dict[str, int] = {"": NO_PARTY}
    iris = [""]

    def number(iri: str | None) -> int:
        if not iri:
            return NO_PARTY
        found = numbers.get(iri)
        if found is None:
            found = numbers[iri] = len(iris)
            iris.append(iri)
        return found

    views = {(by, to): Entries() for by in BY for to in TO}
    submitted: list[str] = []
    member_party: dict[str, str] = {}
    for date, submitters, answerers, ministries in rows:
        submitted.append(date)
        for person, party in submitters:
            if party and person not in member_party:
                member_party[person] = party
        targets = {"minister": [number(p) for p in dict.fromkeys(answerers)],
                   "ministry": [number(m) for m in dict.fromkeys(ministries)]}
        sources = {"member": {number(person): number(party) for person, party in reversed(submitters)},
                   "party": {number(party): number(party) for _, party in submitters if party}}
        for (by, to), entries in views.items():
            for source, party in sources[by].items():
                for target in targets[to]:
                    entries.sources.append(source)
                    entries.targets.append(target)
                    entries.parties.append(party)
            entries.starts.append(len(entries.sources))
    return Pairs(iris, submitted, views, member_party)


def to_data(pairs: Pairs) -> list[tuple[str, bytes]]:
    """The pairs as (name, bytes) for the page index's table ``pairs``: the arrays as their machine
    bytes (read back by ``from_data`` on the same machine), the rest as JSON."""
    out = [(name, json.dumps(value, separators=(",", ":")).encode())
           for name, value in (("iris", pairs.iris), ("submitted", pairs.submitted),
                               ("member_party", pairs.member_party))]
    out.extend((f"{by} {to} {part}", getattr(entries, part).tobytes())
               for (by, to), entries in pairs.views.items() for part in ("starts", "sources", "targets", "parties"))
    return out


def from_data(data: dict[str, bytes]) -> Pairs:
    def numbers(raw: bytes) -> array:
        found = array("I")
        found.frombytes(raw)
        return found

    views = {(by, to): Entries(*(numbers(data[f"{by} {to} {part}"])
                                 for part in ("starts", "sources", "targets", "parties")))
             for by in BY for to in TO}
    return Pairs(json.loads(data["iris"]), json.loads(data["submitted"]), views, json.loads(data["member_party"]))


def count(pairs: Pairs, by: str, to: str, chosen: list[int] | range, *, party: str | None = None,
          since: str | None = None, until: str | None = None) -> list[tuple[str, str, int]]:
    """(source IRI, target IRI, questions) of one view over the questions ``chosen`` (numbers),
    submitted from ``since`` to ``until`` (ISO dates, both included) with a submitter printed
    with ``party``; in no particular order."""
    entries = pairs.views[by, to]
    wanted = None
    if party is not None:
        wanted = pairs.iris.index(party) if party in pairs.iris else -1
    starts, sources, targets, parties, dates = (entries.starts, entries.sources, entries.targets,
                                                entries.parties, pairs.submitted)
    counts: dict[tuple[int, int], int] = {}
    for i in chosen:
        if (since and dates[i] < since) or (until and dates[i] > until):
            continue
        for k in range(starts[i], starts[i + 1]):
            if wanted is not None and parties[k] != wanted:
                continue
            key = (sources[k], targets[k])
            counts[key] = counts.get(key, 0) + 1
    iris = pairs.iris
    return [(iris[s], iris[t], n) for (s, t), n in counts.items()]


def question_numbers(bits: int) -> list[int]:
    """The numbers of the set bits of a page index bitmap, in order."""
    out: list[int] = []
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    for byte_number, value in enumerate(data):
        rest = value
        while rest:
            low = rest & -rest
            out.append(byte_number * 8 + low.bit_length() - 1)
            rest ^= low
    return out
