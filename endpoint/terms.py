"""Terms of SPARQL JSON results as Python values, for the pages and for the JSON twins of named
queries.

A term becomes an ``Iri`` (a str: the IRI), a ``Lit`` (a str: the lexical form, with ``lang`` and
``datatype``), an ``int`` (xsd:integer and its kin), a ``float`` (xsd:decimal, double, float), a
``bool`` (xsd:boolean) or ``None`` when unbound. ``Iri`` and ``Lit`` are strings, so templates show
them and ``json.dumps`` writes them as they are; templates can still tell an IRI from a literal
(``kind``) and show a literal's language or datatype.
"""
from __future__ import annotations

import json

from kamergraph.ontology.terms import XSD

INTEGERS = frozenset(XSD.iri + name for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "negativeInteger",
    "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte"))
NUMBERS = INTEGERS | {XSD.iri + name for name in ("decimal", "double", "float")}
XSD_BOOLEAN = XSD.iri + "boolean"


class Iri(str):
    """An IRI; ``str`` of it is the IRI."""

    kind = "iri"
    lang = None
    datatype = None


class Lit(str):
    """A literal's lexical form, with its language tag or datatype IRI."""

    kind = "literal"
    lang: str | None
    datatype: str | None

    def __new__(cls, value: str, lang: str | None = None, datatype: str | None = None):
        self = super().__new__(cls, value)
        self.lang, self.datatype = lang, datatype
        return self


def value(term: dict | None) -> Iri | Lit | int | float | bool | None:
    """A term of the SPARQL JSON results form as a Python value (see the module docstring)."""
    if term is None:
        return None
    if term["type"] == "uri":
        return Iri(term["value"])
    if term["type"] == "literal":
        text, datatype = term["value"], term.get("datatype")
        try:
            if datatype in INTEGERS:
                return int(text)
            if datatype in NUMBERS:
                return float(text)
        except ValueError:  # not a valid number of its type: shown as written
            pass
        if datatype == XSD_BOOLEAN:
            return text in ("true", "1")
        return Lit(text, term.get("xml:lang"), datatype)
    if term["type"] == "bnode":
        return Lit("_:" + term["value"])
    return Lit(json.dumps(term["value"]))  # an RDF 1.2 triple term: shown as text
