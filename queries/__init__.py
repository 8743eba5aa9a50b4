"""Named queries: one ``.rq`` file each, documented by a ``#+`` comment header.

A header line is ``#+ key: value``. Keys: ``title``, ``description`` (may repeat; lines are joined)
and ``param``, written ``#+ param: NAME (TYPE[, optional | , default VALUE]): what it means``.
TYPE is one of string, integer, decimal, date, year, iri, boolean. ``#+ internal: WHY`` marks a query
that the program runs itself and does not publish (``published`` leaves it out): the page index's bulk
reads give every question's rows at once, for a build, not an answer for a reader.

The same keys with a language tag give the texts in that language, shown on the site's pages in it:
``#+ title@nl: ...``, ``#+ description@nl: ...`` (may repeat) and ``#+ param@nl: NAME: what it means``.
They sit beside the English they translate, so one file stays the one source; being comments, they
change nothing for a store that runs the file. A text without a translation is shown in English.

A parameter is a SPARQL variable of the same name that the query declares, wherever it should be
bound, with the placeholder ``VALUES ?name { UNDEF }``: valid SPARQL that leaves it unbound. Binding
a value replaces ``UNDEF`` in those placeholders with the value as an RDF term serialised by
pyoxigraph (N-Triples escaping), so no text a user gives can change the query's structure; placing
a placeholder inside each subquery lets the store use the value there too. The same bound text
runs on the embedded and on a remote store.

Two parameter names are for paging and take a clause instead of a placeholder: ``limit`` sets every
``LIMIT n`` of the query, ``offset`` every ``OFFSET n`` (SPARQL takes no variable there). Both are
integers of 0 or more; the file runs as it is with the numbers written in it, which are their defaults.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from kamergraph.ontology.terms import XSD

_HEADER = re.compile(r"#\+\s*(\w+)(?:@([a-z]{2}))?\s*:\s*(.*)")
_PARAM_TRANSLATED = re.compile(r"(\w+)\s*:\s*(.*)")
_PARAM = re.compile(r"(\w+)\s*\((\w+)(?:\s*,\s*(optional|default\s+(.*?)))?\)\s*:\s*(.*)")
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
_PLACEHOLDER = re.compile(r"VALUES\s+\?(\w+)\s*\{\s*UNDEF\s*\}")
PAGING = {"limit": re.compile(r"\bLIMIT\s+\d+"), "offset": re.compile(r"\bOFFSET\s+\d+")}
TYPES = ("string", "integer", "decimal", "date", "year", "iri", "boolean")


class QueryError(ValueError):
    """A named query that does not exist, or a parameter value it cannot take."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    description: str
    required: bool
    default: str | None

    def bind(self, raw: str):
        """The RDF term for a value given as text; QueryError when it is not of the type."""
        try:
            if self.type == "string":
                return Literal(raw)
            if self.name in PAGING:
                if self.type != "integer" or int(raw.strip()) < 0:
                    raise ValueError(raw)
                return Literal(str(int(raw.strip())), datatype=XSD.integer)
            if self.type in ("integer", "year"):
                return Literal(str(int(raw.strip())), datatype=XSD.integer)
            if self.type == "decimal":
                return Literal(_decimal(raw), datatype=XSD.decimal)
            if self.type == "date":
                return Literal(date.fromisoformat(raw.strip()).isoformat(), datatype=XSD.date)
            if self.type == "boolean":
                value = raw.strip().lower()
                if value not in ("true", "false", "1", "0"):
                    raise ValueError(raw)
                return Literal(value in ("true", "1"))
            if self.type == "iri":
                return NamedNode(raw.strip())
        except (ValueError, ArithmeticError):
            pass
        kind = "whole number of 0 or more" if self.name in PAGING else self.type
        raise QueryError(f"parameter {self.name!r} must be a {kind}, not {raw!r}")


def _decimal(raw: str) -> str:
    """A number in xsd:decimal's lexical form (digits and a point, never an exponent: 1e-05 is no
    xsd:decimal); ValueError for what is no finite number or lies beyond what a double holds."""
    value = Decimal(raw.strip())
    if not value.is_finite() or not -308 <= value.adjusted() <= 308:
        raise ValueError(raw)
    return format(value, "f")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str
    internal: bool = False  # run by the program itself, not published at /queries (see ``#+ internal``)
    # per language tag: "title", "description" and "param NAME" in that language
    translations: dict[str, dict[str, str]] = field(default_factory=dict, compare=False)

    def in_language(self, language: str) -> NamedQuery:
        """This query with its title, description and parameter texts in the language where the
        file gives them (the English where not)."""
        texts = self.translations.get(language, {})
        if not texts:
            return self
        parameters = tuple(replace(p, description=texts.get(f"param {p.name}", p.description))
                           for p in self.parameters)
        return replace(self, title=texts.get("title", self.title),
                       description=texts.get("description", self.description), parameters=parameters)

    def bound_text(self, values: dict[str, str]) -> str:
        """The query with its parameters' placeholders filled with the given values (text)."""
        bound = self.bindings(values)

        def fill(match: re.Match) -> str:
            term = bound.get(match.group(1))
            return match.group(0) if term is None else f"VALUES ?{match.group(1)} {{ {term} }}"

        text = _PLACEHOLDER.sub(fill, self.text)
        for name, clause in PAGING.items():
            term = bound.get(name)
            if isinstance(term, Literal):
                text = clause.sub(f"{name.upper()} {term.value}", text)
        return text

    def bindings(self, values: dict[str, str]) -> dict[str, object]:
        """Substitutions for the given parameter values (text), defaults filled in."""
        known = {p.name: p for p in self.parameters}
        unknown = set(values) - set(known)
        if unknown:
            raise QueryError(f"query {self.name!r} has no parameter {sorted(unknown)[0]!r}")
        bound = {}
        for parameter in self.parameters:
            raw = values.get(parameter.name)
            if raw is None or raw == "":
                raw = parameter.default
            if raw is None or raw == "":
                if parameter.required:
                    raise QueryError(f"query {self.name!r} needs parameter {parameter.name!r}")
                continue
            bound[parameter.name] = parameter.bind(raw)
        return bound


def parse_query_file(name: str, text: str) -> NamedQuery:
    title, description, parameters = name, [], []
    internal = False
    translations: dict[str, dict[str, str]] = {}
    for line in text.splitlines():
        match = _HEADER.match(line.strip())
        if not match:
            continue
        key, language, value = match.groups()
        if language:
            _translation(name, translations.setdefault(language, {}), key, value.strip())
        elif key == "title":
            title = value.strip()
        elif key == "description":
            description.append(value.strip())
        elif key == "internal":
            internal = True
        elif key == "param":
            parsed = _PARAM.fullmatch(value.strip())
            if not parsed or parsed.group(2) not in TYPES:
                raise QueryError(f"{name}.rq: cannot read parameter line {value!r}")
            pname, ptype, flag, default, pdesc = parsed.groups()
            parameters.append(
                Parameter(pname, ptype, pdesc.strip(), required=flag is None, default=default)
            )
    for language, texts in translations.items():
        unknown = {k[6:] for k in texts if k.startswith("param ")} - {p.name for p in parameters}
        if unknown:
            raise QueryError(f"{name}.rq: 'param@{language}' for {sorted(unknown)[0]!r}, which is no parameter")
    placed = set(_PLACEHOLDER.findall(text))
    for parameter in parameters:
        if parameter.name in PAGING:
            if parameter.type != "integer" or parameter.default is None or not PAGING[parameter.name].search(text):
                raise QueryError(f"{name}.rq: paging parameter {parameter.name!r} needs type integer, a default "
                                 f"and a {parameter.name.upper()} clause")
        elif parameter.name not in placed:
            raise QueryError(f"{name}.rq: parameter {parameter.name!r} has no 'VALUES ?{parameter.name} {{ UNDEF }}'")
    return NamedQuery(name, title, " ".join(description), tuple(parameters), text, internal, translations)


def _translation(name: str, texts: dict[str, str], key: str, value: str) -> None:
    """One ``#+ key@language:`` line into that language's texts."""
    if key == "title":
        texts["title"] = value
    elif key == "description":
        texts["description"] = f"{texts['description']} {value}" if "description" in texts else value
    elif key == "param":
        parsed = _PARAM_TRANSLATED.fullmatch(value)
        if not parsed:
            raise QueryError(f"{name}.rq: cannot read translated parameter line {value!r} (want NAME: text)")
        texts[f"param {parsed.group(1)}"] = parsed.group(2).strip()
    else:
        raise QueryError(f"{name}.rq: no translated header key {key!r} (title, description, param)")


@lru_cache(maxsize=1)
def registry() -> dict[str, NamedQuery]:
    """All named queries shipped in this package, by name."""
    found = {}
    for entry in sorted(resources.files(__name__).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[:-3]
            found[name] = parse_query_file(name, entry.read_text(encoding="utf-8"))
    return found


def published() -> dict[str, NamedQuery]:
    """The named queries offered to users (at /queries, in the editor, by ``kamergraph queries``)."""
    return {name: named for name, named in registry().items() if not named.internal}


def get(name_or_path: str) -> NamedQuery:
    """A named query by name, or any .rq file by path."""
    if _NAME.fullmatch(name_or_path) and name_or_path in registry():
        return registry()[name_or_path]
    path = Path(name_or_path)
    if path.suffix == ".rq" and path.is_file():
        return parse_query_file(path.stem, path.read_text(encoding="utf-8"))
    raise QueryError(f"no named query {name_or_path!r} (known: {', '.join(registry())})")
