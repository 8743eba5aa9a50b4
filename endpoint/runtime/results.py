"""Query results to response bodies, cut at the row limit, and at about ``max_bytes`` of terms (a
thousand rows of 100 KB strings would otherwise make 100 MB).

pyoxigraph serializes a whole result or nothing, so a capped SELECT result is first written as
SPARQL JSON from the rows kept and, for the other formats, read back and serialized by pyoxigraph:
every format is still written by pyoxigraph's own serializers.
"""
from __future__ import annotations

import json

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    RdfFormat,
    Triple,
    parse_query_results,
    serialize,
)

from kamergraph.endpoint.runtime.formats import Format
from kamergraph.endpoint.runtime.tasks import Reply
from kamergraph.graph import QueryResult, ResultKind
from kamergraph.ontology.terms import PREFIXES, XSD

XSD_STRING = XSD.iri + "string"
PRETTY = {"TURTLE", "TRIG", "RDF_XML"}  # formats that print prefixes
DEFAULT_MAX_BYTES = 33_554_432
TERM_OVERHEAD = 16  # bytes a serialized term adds to its text, about


def _kept(items, max_rows: int, max_bytes: int, size) -> tuple[list, bool]:
    """The first items within ``max_rows`` and ``max_bytes`` (as ``size`` counts them), and whether
    any were left out. At least one item is kept, so a result is never empty for its size alone."""
    kept: list = []
    used = 0
    for item in items:
        used += size(item)
        if len(kept) >= max_rows or (kept and used > max_bytes):
            return kept, True
        kept.append(item)
    return kept, False


def _terms_size(terms) -> int:
    return sum(TERM_OVERHEAD + len(str(term)) for term in terms if term is not None)


def written(body: bytes | None) -> bytes:
    """What a pyoxigraph serializer wrote: given no output file it returns the bytes (its signature
    allows None, for when it writes to a file)."""
    if body is None:
        raise TypeError("the serializer wrote to a file")
    return body


def render(result: QueryResult, fmt: Format, max_rows: int, max_bytes: int = DEFAULT_MAX_BYTES) -> Reply:
    if isinstance(result.value, QueryBoolean):
        body = written(result.value.serialize(format=getattr(QueryResultsFormat, fmt.pyoxigraph)))
        return Reply(200, fmt.content_type, body)
    if result.kind is ResultKind.SOLUTIONS:
        return _solutions(result.value, fmt, max_rows, max_bytes)
    return render_triples(result.value, fmt, max_rows, max_bytes)


def render_triples(triples, fmt: Format, max_rows: int, max_bytes: int = DEFAULT_MAX_BYTES) -> Reply:
    kept, truncated = _kept(triples, max_rows, max_bytes, lambda t: _terms_size((t.subject, t.predicate, t.object)))
    if fmt.dataset:
        kept = [Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in kept]
    rdf_format = getattr(RdfFormat, fmt.pyoxigraph)
    prefixes = PREFIXES if fmt.pyoxigraph in PRETTY else None
    return Reply(200, fmt.content_type, written(serialize(kept, format=rdf_format, prefixes=prefixes)), truncated)


def solution_rows(solutions, max_rows: int,
                  max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[list[str], list[list[dict | None]], bool]:
    """(variable names, rows of terms in the SPARQL JSON form or None, whether cut at max_rows or max_bytes)."""
    names = [v.value for v in solutions.variables]
    width = range(len(names))
    kept, truncated = _kept(solutions, max_rows, max_bytes, lambda s: _terms_size(s[i] for i in width))
    rows = [[None if solution[i] is None else term_json(solution[i]) for i in width] for solution in kept]
    return names, rows, truncated


def _solutions(solutions, fmt: Format, max_rows: int, max_bytes: int) -> Reply:
    names = [v.value for v in solutions.variables]
    width = range(len(names))
    rows, truncated = _kept(solutions, max_rows, max_bytes, lambda s: _terms_size(s[i] for i in width))
    bindings = []
    for solution in rows:
        binding = {}
        for i, name in enumerate(names):
            term = solution[i]
            if term is not None:
                binding[name] = term_json(term)
        bindings.append(binding)
    document = {"head": {"vars": names}, "results": {"bindings": bindings}}
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if fmt.pyoxigraph != "JSON":
        parsed = parse_query_results(body, QueryResultsFormat.JSON)
        body = written(parsed.serialize(format=getattr(QueryResultsFormat, fmt.pyoxigraph)))
    return Reply(200, fmt.content_type, body, truncated)


def term_json(term) -> dict:
    """One RDF term in the SPARQL 1.1 Query Results JSON Format (with RDF 1.2 triple terms)."""
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
            if term.direction:
                out["its:dir"] = str(term.direction)  # "ltr" or "rtl"
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, Triple):
        return {
            "type": "triple",
            "value": {
                "subject": term_json(term.subject),
                "predicate": term_json(term.predicate),
                "object": term_json(term.object),
            },
        }
    raise TypeError(f"not an RDF term: {term!r}")
