"""SHACL Core validation, compiled from ontology/shapes.ttl into plain checks over pyoxigraph quads.

pySHACL needs an rdflib Graph per record, too slow for the ingest path; this implements the
subset of SHACL Core the shapes use (targetClass; single-IRI paths; min/maxCount, datatype,
class, nodeKind, pattern, min/maxInclusive, in, hasValue, minLength) and refuses shapes that use
anything else, which it would otherwise skip. The tests check that it reports what pySHACL reports.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from kamergraph.graph.base import Term, Values, group_by_subject
from kamergraph.ontology import SHAPES_FILE, read_text
from kamergraph.ontology.terms import RDF, SH, XSD

_NUMERIC = {XSD.integer.value, XSD.decimal.value, XSD.double.value, XSD.float.value, XSD.int.value}


@dataclass(frozen=True)
class Violation:
    focus: str  # the IRI of the node that violates the shape
    path: str
    message: str

    def __str__(self) -> str:
        return f"<{self.focus}> {self.path}: {self.message}"


@dataclass(frozen=True)
class PropertyCheck:
    path: NamedNode
    min_count: int | None = None
    max_count: int | None = None
    datatype: NamedNode | None = None
    cls: NamedNode | None = None
    node_kind: str | None = None
    pattern: re.Pattern | None = None
    min_inclusive: float | None = None
    max_inclusive: float | None = None
    allowed: frozenset | None = None
    has_value: object | None = None
    min_length: int | None = None
    message: str = ""


@dataclass(frozen=True)
class NodeShape:
    target_class: NamedNode
    properties: tuple[PropertyCheck, ...]


def _rdf_list(values, head) -> list:
    items = []
    while head != RDF.nil:
        items.append(values[head][RDF.first][0])
        head = values[head][RDF.rest][0]
    return items


class ShapesError(ValueError):
    """Shapes that use SHACL this validator does not implement: it would check less than they say."""


# Non-validating properties (SHACL 2.3): they name and describe a shape and check nothing.
_DESCRIPTIVE = frozenset({SH.name, SH.description, SH.order, SH.group})
_NODE_SHAPE = _DESCRIPTIVE | {SH.targetClass, SH.property}
_PROPERTY_SHAPE = _DESCRIPTIVE | {
    SH.path, SH.message, SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH.nodeKind, SH.pattern, SH.flags,
    SH.minInclusive, SH.maxInclusive, SH["in"], SH.hasValue, SH.minLength,
}
_NODE_KINDS = {SH.IRI: "IRI", SH.Literal: "Literal"}
_SHAPE_TYPES = {SH.NodeShape, SH.PropertyShape}


@lru_cache(maxsize=1)
def load_shapes() -> tuple[NodeShape, ...]:
    """The shapes of ontology/shapes.ttl."""
    try:
        return compile_shapes(read_text(SHAPES_FILE))
    except ShapesError as error:
        raise ShapesError(f"ontology/{SHAPES_FILE}: {error}") from None


def compile_shapes(text: str) -> tuple[NodeShape, ...]:
    """Shapes from Turtle text; ShapesError when they use a SHACL feature the checks lack."""
    by_subject = group_by_subject(pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.TURTLE))
    property_shapes = {node for props in by_subject.values() for node in props.get(SH.property, ())}
    shapes: list[NodeShape] = []
    for subject, props in by_subject.items():
        if subject in property_shapes or not _is_shape(props):
            continue
        where = str(subject)
        _only(props, _NODE_SHAPE, where)
        targets = props.get(SH.targetClass, [])
        if not targets:
            raise ShapesError(f"{where}: a shape without sh:targetClass is never applied")
        checks = tuple(_property_check(by_subject[node], by_subject, where) for node in props.get(SH.property, []))
        for target in targets:
            if not isinstance(target, NamedNode):
                raise ShapesError(f"{where}: sh:targetClass {target} is not an IRI")
            shapes.append(NodeShape(target, checks))
    return tuple(shapes)


def _is_shape(props) -> bool:
    return any(predicate.value.startswith(SH.iri) for predicate in props) or bool(
        _SHAPE_TYPES.intersection(props.get(RDF.type, ())))


def _only(props, implemented: frozenset, where: str) -> None:
    for predicate in props:
        if predicate.value.startswith(SH.iri) and predicate not in implemented:
            raise ShapesError(f"{where}: {_short(predicate)} is not implemented by the validator "
                              "(ingest/validate.py), so it would check nothing")


def _short(term: Term) -> str:
    """``sh:closed`` for a SHACL term, the N-Triples form of any other."""
    if isinstance(term, NamedNode) and term.value.startswith(SH.iri):
        return "sh:" + term.value[len(SH.iri):]
    return str(term)


def _property_check(props, by_subject, shape: str) -> PropertyCheck:
    def one(term):
        values = props.get(term)
        return values[0] if values else None

    def number(term):
        value = one(term)
        return None if value is None else float(value.value) if "." in value.value else int(value.value)

    path = one(SH.path)
    name = one(SH.name)
    where = f"{shape}, property " + (str(path) if isinstance(path, NamedNode) else f'"{name.value if name else path}"')
    _only(props, _PROPERTY_SHAPE, where)
    if not isinstance(path, NamedNode):
        raise ShapesError(f"{where}: sh:path is not a single IRI (the only kind of path implemented)")
    pattern = one(SH.pattern)
    flags = one(SH.flags)
    if flags is not None and set(flags.value) - {"i"}:
        raise ShapesError(f"{where}: sh:flags {flags.value!r}: only 'i' is implemented")
    ignore_case = re.IGNORECASE if flags is not None and "i" in flags.value else 0
    allowed = one(SH["in"])
    kind = one(SH.nodeKind)
    if kind is not None and kind not in _NODE_KINDS:
        raise ShapesError(f"{where}: sh:nodeKind {_short(kind)} is not implemented")
    return PropertyCheck(
        path=path,
        min_count=number(SH.minCount),
        max_count=number(SH.maxCount),
        datatype=one(SH.datatype),
        cls=one(SH["class"]),
        node_kind=_NODE_KINDS[kind] if kind is not None else None,
        pattern=re.compile(pattern.value, ignore_case) if pattern else None,
        min_inclusive=number(SH.minInclusive),
        max_inclusive=number(SH.maxInclusive),
        allowed=frozenset(_rdf_list(by_subject, allowed)) if allowed else None,
        has_value=one(SH.hasValue),
        min_length=number(SH.minLength),
        message=one(SH.message).value if one(SH.message) else "",
    )


TypeLookup = Callable[[Term], Iterable[Term]]


class Validator:
    """Checks a set of quads against the shapes; ``known_types`` answers rdf:type for nodes the
    quads only point to (persons and topics of the reference graph, say)."""

    def __init__(self, shapes: tuple[NodeShape, ...] | None = None):
        self.shapes = shapes if shapes is not None else load_shapes()
        self._by_class: dict[Term, list[NodeShape]] = defaultdict(list)
        for shape in self.shapes:
            self._by_class[shape.target_class].append(shape)

    def validate(self, quads: Iterable[Quad], known_types: TypeLookup | None = None) -> list[Violation]:
        return self.validate_nodes(group_by_subject(quads), known_types)

    def validate_nodes(self, values: Values, known_types: TypeLookup | None = None) -> list[Violation]:
        cache: dict[Term, set[Term]] = {}

        def has_type(node: Term, cls: NamedNode) -> bool:
            own = values.get(node)
            if own is not None and cls in own.get(RDF.type, ()):
                return True
            if known_types is None:
                return False
            found = cache.get(node)
            if found is None:
                found = cache[node] = set(known_types(node))
            return cls in found

        violations: list[Violation] = []
        by_class = self._by_class
        for node, props in values.items():
            for cls in set(props.get(RDF.type, ())):
                for shape in by_class.get(cls, ()):
                    for check in shape.properties:
                        problems = _problems(props.get(check.path, ()), check, has_type)
                        if problems:
                            violations.extend(_violation(node, check, p) for p in problems)
        return violations


def _violation(node, check: PropertyCheck, detail: str) -> Violation:
    focus = node.value if isinstance(node, (NamedNode, BlankNode)) else str(node)
    message = f"{check.message} ({detail})" if check.message else detail
    return Violation(focus, check.path.value, message)


def _problems(objects, check: PropertyCheck, has_type) -> list[str]:
    """What is wrong with the values of one property; empty (the usual case) when nothing is."""
    found = []
    unique = set(objects) if len(objects) > 1 else objects
    count = len(unique)
    if check.min_count is not None and count < check.min_count:
        found.append(f"{count} values, at least {check.min_count} required")
    if check.max_count is not None and count > check.max_count:
        found.append(f"{count} values, at most {check.max_count} allowed")
    for value in unique:
        is_literal = isinstance(value, Literal)
        if check.datatype is not None and not (is_literal and value.datatype == check.datatype and _well_formed(value)):
            found.append(f"value {value} is not a valid {check.datatype.value}")
        if check.node_kind is not None:
            if check.node_kind == "IRI" and not isinstance(value, NamedNode):
                found.append(f"value {value} is not an IRI")
            elif check.node_kind == "Literal" and not is_literal:
                found.append(f"value {value} is not a literal")
        if check.cls is not None and not has_type(value, check.cls):
            found.append(f"value {value} is not a {check.cls.value}")
        if check.pattern is not None or check.min_length is not None:
            text = value.value if isinstance(value, (Literal, NamedNode)) else None
            if check.pattern is not None and (text is None or not check.pattern.search(text)):
                found.append(f"value {value} does not match {check.pattern.pattern}")
            if check.min_length is not None and (text is None or len(text) < check.min_length):
                found.append(f"value {value} is shorter than {check.min_length}")
        if check.min_inclusive is not None or check.max_inclusive is not None:
            number = _number(value)
            if number is None or (check.min_inclusive is not None and number < check.min_inclusive) or (
                check.max_inclusive is not None and number > check.max_inclusive
            ):
                found.append(f"value {value} is out of range")
        if check.allowed is not None and value not in check.allowed:
            found.append(f"value {value} is not one of the allowed values")
    if check.has_value is not None and check.has_value not in unique:
        found.append(f"value {check.has_value} is missing")
    return found


def _number(value):
    if isinstance(value, Literal) and value.datatype.value in _NUMERIC:
        try:
            return float(value.value)
        except ValueError:
            return None
    return None


_LEXICAL = {
    XSD.date.value: re.compile(r"-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?"),
    XSD.integer.value: re.compile(r"[+-]?\d+"),
    XSD.boolean.value: re.compile(r"true|false|1|0"),
    XSD.dateTime.value: re.compile(r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?"),
}


def _well_formed(value: Literal) -> bool:
    pattern = _LEXICAL.get(value.datatype.value)
    return pattern is None or bool(pattern.fullmatch(value.value))
