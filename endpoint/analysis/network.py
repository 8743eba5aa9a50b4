"""What /explore needs besides the query: its filters in the keys of /questions, short labels and
party colours for the nodes, and the choices of its form, all from the page index.

The filters take the keys /questions takes (``topic=zorg-en-gezondheid``, ``party=sp``,
``ministry=mnre1025``, ``year=2021``), so a reader can go from a list to its network by changing the
path; an IRI is still taken for a key, as the links of earlier versions carry them. The named
queries take IRIs and dates, so the view keeps both: the keys for its own links, the IRIs and dates
for the queries.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from kamergraph.indexes import pairs
from kamergraph.indexes.pages import PageIndex
from kamergraph.iris import key_of

# The dimensions of /questions an /explore filter takes, with the kind of thing their keys name.
ENTITY_FILTERS = {"party": "party", "ministry": "ministry", "topic": "topic"}
DATE_FILTERS = ("from", "until")
FILTERS = (*ENTITY_FILTERS, "year", *DATE_FILTERS)
YEAR = re.compile(r"\d{4}")

# Party colours as the parties use them (their logos and campaign colours); a party not listed,
# or a member printed without one, is grey.
PARTY_COLOURS = {
    "vvd": "#1e3a8a", "pvda": "#d7001f", "cda": "#00a651", "d66": "#3aab2e", "sp": "#ee2e24",
    "groenlinks": "#5cb133", "groenlinks-pvda": "#b5174a", "christenunie": "#00a7eb", "pvv": "#002759",
    "pvdd": "#006b2d", "sgp": "#f07d00", "50plus": "#92278f", "denk": "#00b7b2", "fvd": "#841818",
    "ja21": "#242b57", "volt": "#502379", "bbb": "#94c11f", "bij1": "#fbd300", "nsc": "#f0c400",
    "omtzigt": "#f0c400",
}
NO_PARTY = "#8a8f98"
# Lower-case name parts that come between a forename and a surname ("Kees van der Staaij").
NAME_PREFIXES = {"van", "de", "der", "den", "het", "ter", "ten", "te", "in", "op", "'t", "la", "le", "du"}


class UnknownKey(ValueError):
    """A filter value that names nothing the store knows."""


@dataclass
class Filters:
    """A view's filters twice: as the URL gave them (keys) and as the named queries take them."""

    keys: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)


def read_filters(args: Mapping[str, str], index: PageIndex) -> tuple[Filters, list[str]]:
    """The filters of the URL, resolved through the page index, and one line per bad value."""
    result, problems = Filters(), []
    for name in FILTERS:
        given = (args.get(name) or "").strip()
        if given:
            result.keys[name] = given
    for name, kind in ENTITY_FILTERS.items():
        value = result.keys.get(name)
        if value is None:
            continue
        if "://" in value:
            result.query[name] = value
            continue
        entity = index.entity(kind, value)
        if entity is None:
            problems.append(f"{name} {value!r} is not the key of a {name} in this store")
        else:
            result.query[name] = entity.iri
    year = result.keys.get("year")
    if year is not None:
        if YEAR.fullmatch(year):
            result.query["from"], result.query["until"] = f"{year}-01-01", f"{year}-12-31"
        else:
            problems.append(f"year must be four digits, not {year!r}")
    for name in DATE_FILTERS:  # a date narrows the year further
        if name in result.keys:
            result.query[name] = result.keys[name]
    return result, problems


def short_name(label: str) -> str:
    """A person's name with the forename as an initial ("A. Mulder", "K. van der Staaij"); a name
    that starts with initials, a prefix or is one word stays as it is."""
    words = label.split()
    if len(words) < 2 or words[0].endswith(".") or words[0].lower() in NAME_PREFIXES or not words[0][:1].isupper():
        return label
    return f"{words[0][0]}. {' '.join(words[1:])}"


@lru_cache(maxsize=1)
def ministry_abbreviations() -> dict[str, str]:
    """TOOI code -> the abbreviation a ministry goes by (VWS, JenV), from the reference tables."""
    from kamergraph.ingest.refdata import load_reference

    return {m.code: m.abbreviation for m in load_reference().ministries}


def short_label(iri: str, label: str, kind: str) -> str:
    """The label a node shows: initials for persons, the abbreviation for ministries."""
    if kind == "ministry":
        return ministry_abbreviations().get(key_of(iri), label)
    if kind == "person":
        return short_name(label)
    return label


def party_colour(party_iri: str | None) -> str:
    return PARTY_COLOURS.get(key_of(party_iri), NO_PARTY) if party_iri else NO_PARTY


_pairs_of: dict[tuple, pairs.Pairs] = {}
_building = threading.Lock()


def pairs_of(index: PageIndex) -> pairs.Pairs:
    """The pairs of who asked whom of this page index, read once per index."""
    with _building:
        kept = _pairs_of.get(index.file_id)
        if kept is None:
            kept = pairs.build(index)
            _pairs_of.clear()
            _pairs_of[index.file_id] = kept
        return kept


def prepared(index: PageIndex) -> bool:
    """Whether the pairs of this page index have been read."""
    return index.file_id in _pairs_of


def forget_pairs() -> None:
    with _building:
        _pairs_of.clear()


def edges(index: PageIndex, by: str, to: str, query: dict[str, str]) -> list[dict[str, Any]]:
    """The rows of who-asked-whom for a view (``query``: its filters as the named query takes them,
    IRIs and dates), counted from the page index, in the query's order."""
    found = pairs_of(index)
    chosen: list[int] | range = range(index.size)
    for name in ("topic", "ministry"):
        if name in query:
            chosen = pairs.question_numbers(index.bitmaps.get(name, {}).get(query[name], 0))
    if "topic" in query and "ministry" in query:  # both: the questions in both bitmaps
        both = index.bitmaps.get("topic", {}).get(query["topic"], 0) & index.bitmaps.get("ministry", {}).get(
            query["ministry"], 0)
        chosen = pairs.question_numbers(both)
    counted = pairs.count(found, by, to, chosen, party=query.get("party"), since=query.get("from"),
                          until=query.get("until"))
    rows: list[dict[str, Any]] = [
        {"source": s, "sourceLabel": _label(index, s), "target": t, "targetLabel": _label(index, t), "questions": n}
        for s, t, n in counted]
    rows.sort(key=lambda r: (-r["questions"], r["sourceLabel"], r["targetLabel"], r["source"], r["target"]))
    return rows


def _label(index: PageIndex, iri: str) -> str:
    entity = index.entities.get(iri)
    return entity.label if entity else key_of(iri)


def choices(index: PageIndex, dim: str) -> list[dict[str, Any]]:
    """The values of one dimension over all questions, most first (years newest first), as the
    form lists them: key, label, count and, for a topic, whether it is a sub-topic. Topics come
    grouped: each theme followed by its sub-topics."""
    out: list[dict[str, Any]] = []
    for value, count in index.counts(dim, index.all):
        entity = index.entities.get(value)
        out.append({"key": entity.key if entity else value, "label": entity.label if entity else value,
                    "count": count, "iri": value if entity else None,
                    "parent": entity.parent if entity else None})
    if dim != "topic":
        return out
    grouped: list[dict[str, Any]] = []
    children: dict[str, list[dict[str, Any]]] = {}
    for item in out:
        if item["parent"]:
            children.setdefault(item["parent"], []).append(item)
    for item in out:
        if not item["parent"]:
            grouped.append(item)
            grouped.extend(children.pop(item["iri"], []))
    for rest in children.values():  # sub-topics whose theme has no question of its own
        grouped.extend(rest)
    return grouped
