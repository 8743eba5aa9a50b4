"""The query options of the stand-in's OData service, read as the Tweede Kamer's OData v4 service
reads them, refusing what it refuses with its ``400`` and JSON error body, so that a test fails on
a query the real API would reject instead of answering it anyway.

What is checked, and on what authority (the README's harvest section says the same):

- the entity model: the properties and navigation properties of the entity types the harvest
  reads, with their types and whether a navigation is one entity or a collection, from the
  OpenDataPortaal XSDs and tkapi's model classes; an unknown property or navigation is refused;
- literals as OData v4 writes them: strings quoted, ``Edm.Guid`` and ``Edm.DateTimeOffset``
  unquoted (``guid'…'``, the OData v3 form, is refused: a third-party note in HARVEST.md says the
  real service answers it with a 400), a literal of another type than its property refused;
- the system query options OData v4 defines (an unknown ``$option`` is refused), ``$count`` only
  ``true`` or ``false``, ``$filter``, ``$orderby``, ``$select`` and nested ``$expand`` inside an
  ``$expand`` (OData v4 ``expandOption``s, separated by ``;``);
- ``$skiptoken`` is opaque: only one the service put in a ``@odata.nextLink`` is taken;
- a query string of at most 2,048 characters: IIS's default ``maxQueryString`` (the service
  answers errors in ASP.NET Web API's ``<Error>`` form, so IIS is assumed; not documented).

An expanded navigation is served with its own ``$filter`` applied; one not expanded is not
served at all, as the real service leaves it out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

STRING, GUID, MOMENT, DAY = "Edm.String", "Edm.Guid", "Edm.DateTimeOffset", "Edm.Date"
BOOL, INT = "Edm.Boolean", "Edm.Int32"
MAX_QUERY = 2048
SYSTEM_OPTIONS = {"$filter", "$expand", "$select", "$orderby", "$top", "$skip", "$count", "$skiptoken", "$format",
                  "$search", "$levels", "$apply", "$compute", "$index", "$schemaversion", "$id"}


def _common(**more: str) -> dict[str, str]:
    return {"Id": GUID, "GewijzigdOp": MOMENT, "ApiGewijzigdOp": MOMENT, "Verwijderd": BOOL, **more}


# Properties by entity type (tkData-v1-0-*.xsd; tkapi's models for the OData names).
PROPERTIES: dict[str, dict[str, str]] = {
    "Zaak": _common(Nummer=STRING, Soort=STRING, Titel=STRING, Citeertitel=STRING, Alias=STRING, Status=STRING,
                    Onderwerp=STRING, GestartOp=MOMENT, Organisatie=STRING, Grondslagvoorhang=STRING,
                    Termijn=MOMENT, Vergaderjaar=STRING, Volgnummer=INT, HuidigeBehandelstatus=STRING,
                    Afgedaan=BOOL, GrootProject=BOOL),
    "ZaakActor": _common(Zaak_Id=GUID, ActorNaam=STRING, ActorFractie=STRING, ActorAfkorting=STRING, Functie=STRING,
                         Relatie=STRING, SidActor=STRING, Persoon_Id=GUID, Fractie_Id=GUID, Commissie_Id=GUID),
    "Document": _common(Soort=STRING, DocumentNummer=STRING, Titel=STRING, Onderwerp=STRING, Datum=MOMENT,
                        Vergaderjaar=STRING, Kamer=INT, Volgnummer=INT, Citeertitel=STRING, Alias=STRING,
                        DatumRegistratie=MOMENT, DatumOntvangst=MOMENT, Aanhangselnummer=STRING,
                        KenmerkAfzender=STRING, Organisatie=STRING, ContentType=STRING, ContentLength=INT,
                        HuidigeDocumentVersie_Id=GUID),
    "DocumentActor": _common(Document_Id=GUID, ActorNaam=STRING, ActorFractie=STRING, Functie=STRING, Relatie=STRING,
                             SidActor=STRING, Persoon_Id=GUID, Fractie_Id=GUID, Commissie_Id=GUID),
    "DocumentVersie": _common(Document_Id=GUID, Status=STRING, Versienummer=INT, Bestandsgrootte=INT,
                              Extensie=STRING, Datum=MOMENT, ExterneIdentifier=STRING),
    "Persoon": _common(Nummer=INT, Titels=STRING, Initialen=STRING, Tussenvoegsel=STRING, Achternaam=STRING,
                       Voornamen=STRING, Roepnaam=STRING, Geslacht=STRING, Functie=STRING, Geboortedatum=DAY),
    "FractieZetelPersoon": _common(FractieZetel_Id=GUID, Persoon_Id=GUID, Functie=STRING, Van=DAY, TotEnMet=DAY),
    "FractieZetel": _common(Fractie_Id=GUID, Gewicht=INT),
    "Fractie": _common(Nummer=INT, Afkorting=STRING, NaamNL=STRING, NaamEN=STRING, AantalZetels=INT,
                       AantalStemmen=INT, DatumActief=DAY, DatumInactief=DAY),
}
# Navigation properties: (target type, a collection).
NAVIGATION: dict[str, dict[str, tuple[str, bool]]] = {
    "Zaak": {"ZaakActor": ("ZaakActor", True), "Document": ("Document", True)},
    "ZaakActor": {"Zaak": ("Zaak", False), "Persoon": ("Persoon", False), "Fractie": ("Fractie", False)},
    "Document": {"Zaak": ("Zaak", True), "DocumentActor": ("DocumentActor", True),
                 "DocumentVersie": ("DocumentVersie", True)},
    "DocumentActor": {"Document": ("Document", False), "Persoon": ("Persoon", False), "Fractie": ("Fractie", False)},
    "DocumentVersie": {"Document": ("Document", False)},
    "Persoon": {"FractieZetelPersoon": ("FractieZetelPersoon", True)},
    "FractieZetelPersoon": {"FractieZetel": ("FractieZetel", False), "Persoon": ("Persoon", False)},
    "FractieZetel": {"Fractie": ("Fractie", False), "FractieZetelPersoon": ("FractieZetelPersoon", True)},
    "Fractie": {"FractieZetel": ("FractieZetel", True)},
}


class Refused(Exception):
    """What the service answers with a 400 and an OData error body."""


@dataclass
class Expand:
    """What to serve of an entity: its $select (all when empty), filter clauses, navigations."""

    entity: str
    select: tuple[str, ...] = ()
    filter: list[list[tuple[str, str, Any]]] = field(default_factory=list)  # and of ors
    navigations: dict[str, Expand] = field(default_factory=dict)


def parse(entity: str, query: dict[str, str], raw_query: str) -> Expand:
    """The query options of a request to an entity set, checked; Refused when the service would refuse."""
    if len(raw_query) > MAX_QUERY:
        raise Refused(f"the query string is {len(raw_query)} characters, more than {MAX_QUERY}")
    if entity not in PROPERTIES:
        raise Refused(f"Resource not found for the segment '{entity}'.")
    for name in query:
        if name.startswith("$") and name not in SYSTEM_OPTIONS:
            raise Refused(f"The query parameter '{name}' is not supported.")
    if query.get("$count", "false") not in ("true", "false"):
        raise Refused(f"'{query['$count']}' is not a valid count option.")
    for part in _split(query.get("$orderby", ""), ","):
        name, _, direction = part.strip().partition(" ")
        _property(entity, name)
        if direction.strip() not in ("", "asc", "desc"):
            raise Refused(f"Syntax error: '{part}' is not a valid ordering")
    return _expand_of(entity, query.get("$select", ""), query.get("$filter", ""), query.get("$expand", ""))


def _expand_of(entity: str, select: str, clauses: str, expand: str) -> Expand:
    chosen = tuple(s.strip() for s in select.split(",") if s.strip())
    for name in chosen:
        _property(entity, name)
    found = Expand(entity, chosen, _filter(entity, clauses))
    for item in _split(expand, ","):
        match = re.fullmatch(r"\s*(\w+)\s*(?:\((.*)\))?\s*", item, re.S)
        if not match:
            raise Refused(f"Syntax error in $expand at '{item}'")
        name, options = match.group(1), match.group(2) or ""
        if name not in NAVIGATION[entity]:
            raise Refused(f"Could not find a property named '{name}' on type 'Model.{entity}'.")
        target, _ = NAVIGATION[entity][name]
        nested: dict[str, str] = {}
        for option in _split(options, ";"):
            key, equals, value = option.strip().partition("=")
            if not equals or key not in ("$filter", "$expand", "$select", "$orderby", "$top", "$skip", "$count",
                                         "$levels", "$search"):
                raise Refused(f"Syntax error in the options of the expansion of '{name}': '{option}'")
            nested[key] = value
        for part in _split(nested.get("$orderby", ""), ","):
            _property(target, part.strip().partition(" ")[0])
        found.navigations[name] = _expand_of(target, nested.get("$select", ""), nested.get("$filter", ""),
                                             nested.get("$expand", ""))
    return found


def _split(text: str, separator: str) -> list[str]:
    """Split at separators outside parentheses and quotes."""
    parts, depth, quoted, current = [], 0, False, ""
    for char in text:
        if char == "'":
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
            if depth < 0:
                raise Refused(f"Syntax error: unbalanced parentheses in '{text}'")
        if char == separator and depth == 0 and not quoted:
            parts.append(current)
            current = ""
        else:
            current += char
    if depth or quoted:
        raise Refused(f"Syntax error: unbalanced parentheses or quotes in '{text}'")
    if current.strip():
        parts.append(current)
    return [p for p in parts if p.strip()]


def _property(entity: str, name: str) -> str:
    kind = PROPERTIES[entity].get(name)
    if kind is None:
        raise Refused(f"Could not find a property named '{name}' on type 'Model.{entity}'.")
    return kind


_COMPARISON = re.compile(r"\s*(\w+)\s+(eq|ne|ge|gt|le|lt)\s+(.+?)\s*")


def _filter(entity: str, clauses: str) -> list[list[tuple[str, str, Any]]]:
    """``and`` of groups of ``or``-ed comparisons: the shapes the harvest sends; anything else the
    stand-in cannot evaluate is refused too, so a new shape is noticed and added here."""
    groups = []
    for group in _split_words(clauses, "and"):
        options = []
        for option in _split_words(_unwrap(group), "or"):
            match = _COMPARISON.fullmatch(_unwrap(option))
            if not match:
                raise Refused(f"the stand-in does not understand the clause '{option.strip()}'")
            name, op, literal = match.groups()
            options.append((name, op, _literal(_property(entity, name), literal, name)))
        groups.append(options)
    return groups


def _unwrap(text: str) -> str:
    text = text.strip()
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    return text


def _balanced(text: str) -> bool:
    try:
        _split(text, "\0")
    except Refused:
        return False
    return True


def _split_words(text: str, word: str) -> list[str]:
    """Split at `` and `` (or `` or ``) outside parentheses and quotes."""
    marked = ""
    depth, quoted, i = 0, False, 0
    needle = f" {word} "
    while i < len(text):
        char = text[i]
        if char == "'":
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
        if not quoted and depth == 0 and text[i:i + len(needle)] == needle:
            marked += "\0"
            i += len(needle)
            continue
        marked += char
        i += 1
    return [p for p in marked.split("\0") if p.strip()]


def _literal(kind: str, literal: str, name: str) -> Any:
    """The value of a literal for a property of a type; Refused for a literal of another type."""
    if re.fullmatch(r"guid'[^']*'", literal, re.I):
        raise Refused(f"Syntax error at '{literal}': the literal guid'…' of OData v3 is not OData v4")
    if literal.startswith("'") and literal.endswith("'") and len(literal) >= 2:
        if kind != STRING:
            raise Refused(f"A binary operator with incompatible types was detected. Found operand types "
                          f"'{kind}' and 'Edm.String' for operator kind 'Equal' ({name}).")
        return literal[1:-1].replace("''", "'")
    if literal in ("true", "false"):
        if kind != BOOL:
            raise Refused(f"incompatible types '{kind}' and 'Edm.Boolean' ({name})")
        return literal == "true"
    if literal == "null":
        return None
    if re.fullmatch(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", literal):
        if kind != GUID:
            raise Refused(f"incompatible types '{kind}' and 'Edm.Guid' ({name})")
        return literal.lower()
    if re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)", literal):
        if kind != MOMENT:
            raise Refused(f"incompatible types '{kind}' and 'Edm.DateTimeOffset' ({name})")
        return datetime.fromisoformat(literal.replace("Z", "+00:00"))
    if re.fullmatch(r"\d{4}-\d\d-\d\d", literal):
        if kind not in (DAY, MOMENT):
            raise Refused(f"incompatible types '{kind}' and 'Edm.Date' ({name})")
        return date.fromisoformat(literal)
    if re.fullmatch(r"-?\d+", literal):
        if kind != INT:
            raise Refused(f"incompatible types '{kind}' and 'Edm.Int32' ({name})")
        return int(literal)
    raise Refused(f"Syntax error at '{literal}' ({name})")


def matches(row: dict[str, Any], clauses: list[list[tuple[str, str, Any]]]) -> bool:
    return all(any(_compare(row.get(name), op, value) for name, op, value in group) for group in clauses)


def _compare(held: Any, op: str, value: Any) -> bool:
    if isinstance(value, datetime | date) and isinstance(held, str):
        held = _moment(held) if isinstance(value, datetime) else _moment(held).date()
    elif isinstance(value, str) and isinstance(held, str) and _is_guid(value):
        held = held.lower()
    if op == "eq":
        return held == value
    if op == "ne":
        return held != value
    if held is None or value is None:
        return False
    return {"ge": held >= value, "gt": held > value, "le": held <= value, "lt": held < value}[op]


def _is_guid(text: str) -> bool:
    return bool(re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text))


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.now().astimezone().tzinfo)


def ordered(entity: str, rows: list[dict[str, Any]], orderby: str) -> list[dict[str, Any]]:
    """The rows in the order of ``$orderby``, then of their key (the order a server pages in)."""
    rows = sorted(rows, key=lambda row: str(row["Id"]))
    for part in reversed(_split(orderby, ",")):
        name, _, direction = part.strip().partition(" ")
        kind = PROPERTIES[entity][name]

        def key(row: dict[str, Any], name: str = name, kind: str = kind) -> tuple[bool, Any]:
            value = row.get(name)
            if value is not None and kind == MOMENT:
                value = _moment(value)
            return value is not None, value

        rows = sorted(rows, key=key, reverse=direction.strip() == "desc")
    return rows


def shape(row: dict[str, Any], expand: Expand) -> dict[str, Any]:
    """The row as served: its properties (or those selected), and only the navigations expanded,
    each with its own filter applied."""
    navigation = NAVIGATION[expand.entity]
    served = {key: value for key, value in row.items()
              if key not in navigation and (not expand.select or key in expand.select)}
    for name, nested in expand.navigations.items():
        held = row.get(name)
        if navigation[name][1]:
            served[name] = [shape(item, nested) for item in held or [] if isinstance(item, dict)
                            and matches(item, nested.filter)]
        else:
            served[name] = shape(held, nested) if isinstance(held, dict) else None
    return served
