"""Parameters in people's terms: a named query's IRI parameters given as a name (``Kathmann``,
``Financiën``), a short key (``mnre1090``, ``barbara-kathmann``, ``sp``) or a zaak number, turned
into the IRIs the query binds; and the suggestions the forms offer for them.

What a parameter names follows from its name (``party``, ``ministry``, ``person``; ``source`` a
person or party, ``target`` a person or ministry). A key is looked up in the page index; a name is
matched word by word, without case, diacritics or name prefixes, and the match with the most
questions wins. An absolute IRI is taken as it is.
"""
from __future__ import annotations

import re

from kamergraph import queries
from kamergraph.endpoint.site.addresses import iris
from kamergraph.endpoint.site.people import name_matches, name_words
from kamergraph.endpoint.site.render import page_index
from kamergraph.indexes.pages import Entity, PageIndex

KINDS = {"party": ("party",), "ministry": ("ministry",), "topic": ("topic",), "post": ("post",),
         "person": ("person",), "source": ("person", "party"), "target": ("person", "ministry"),
         "question": ("question",)}
# The bitmaps that count an entity's questions, to prefer the namesake with the most.
COUNTED = {"party": ("party",), "ministry": ("ministry",), "topic": ("topic",), "post": ("post",),
           "person": ("submitter", "answerer", "addressee")}
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_ZAAK = re.compile(r"\d{4}Z\d{5}", re.IGNORECASE)


def kinds_of(parameter: queries.Parameter) -> tuple[str, ...]:
    return KINDS.get(parameter.name, ()) if parameter.type == "iri" else ()


def resolved(named: queries.NamedQuery, values: dict[str, str]) -> dict[str, str]:
    """The values with every name or key of an IRI parameter as its IRI; QueryError (one line)
    for a name nothing is known by."""
    out = dict(values)
    index = None
    for parameter in named.parameters:
        raw = (values.get(parameter.name) or "").strip()
        kinds = kinds_of(parameter)
        if not raw or not kinds or _ABSOLUTE.match(raw):
            continue
        index = index or page_index()
        found = find(index, kinds, raw)
        if found is None:
            wanted = " or ".join(kinds)
            raise queries.QueryError(f"parameter {parameter.name!r}: no {wanted} is known as {raw!r} "
                                     f"(give a name, a key such as sp or mnre1090, or an IRI)")
        out[parameter.name] = found
    return out


def find(index: PageIndex, kinds: tuple[str, ...], text: str) -> str | None:
    """The IRI of the entity of one of ``kinds`` with that key, else with that name (the one with
    most questions), else None."""
    if "question" in kinds:
        return iris().question(text.upper()).value if _ZAAK.fullmatch(text) else None
    for kind in kinds:
        entity = index.entity(kind, text.lower())
        if entity is not None:
            return entity.iri
    words = name_words(text)
    named = [e for e in index.entities.values() if e.kind in kinds and _named(words, e)]
    if not named:
        return None
    return max(named, key=lambda e: (questions(index, e), e.label)).iri


def _named(words: list[str], entity: Entity) -> bool:
    label = name_words(entity.label)
    if entity.kind == "person":
        return name_matches(words, label)
    return bool(words) and (words == label or all(word in label for word in words))


def questions(index: PageIndex, entity: Entity) -> int:
    return max((index.bitmaps.get(dim, {}).get(entity.iri, 0).bit_count() for dim in COUNTED.get(entity.kind, ())),
               default=0)


def suggestions(parameter: queries.Parameter) -> list[tuple[str, str]]:
    """(key, label) of every entity the parameter can name that has questions, most first."""
    kinds = [k for k in kinds_of(parameter) if k != "question"]
    if not kinds:
        return []
    index = page_index()
    counted = [(questions(index, e), e) for e in index.entities.values() if e.kind in kinds]
    return [(e.key, f"{e.label} ({n})") for n, e in sorted(counted, key=lambda item: (-item[0], item[1].label)) if n]


def shown_value(value: str) -> str:
    """A value as the form shows it: the key of one of our entities, else as given."""
    if not _ABSOLUTE.match(value):
        return value
    entity = page_index().entities.get(value)
    return entity.key if entity is not None else value
