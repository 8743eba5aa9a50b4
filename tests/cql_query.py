"""The CQL queries of the stand-in's SRU 2.0 service, read as repository.overheid.nl reads them,
refusing what it refuses with an SRU diagnostic (a 200 whose body is a ``<diagnostics>`` block).

On what authority: the CQL indexes are those the "Handleiding SRU 2.0" of overheid.nl lists for
the officiële publicaties (``c.product-area``, ``dt.identifier``, ``dt.modified``, ``w.vraagnummer``,
…, see HARVEST.md); the relations, booleans and diagnostics are SRU 2.0's and CQL's (an unknown
index is diagnostic 1/16, a syntax error 1/10); that ``dt.identifier==`` is exact and case-sensitive
while ``dt.identifier=`` matches whole tokens, and that a ``startRecord`` of 10,000 or more is
answered with an HTTP 504, are third parties' observations of the live service.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from xml.sax.saxutils import escape

KNOWN_INDEXES = {
    "c.product-area", "c.content-area", "dt.identifier", "dt.title", "dt.type", "dt.creator", "dt.modified",
    "dt.available", "dt.date", "dt.issued", "w.publicatienaam", "w.vraagnummer", "w.aanhangselnummer",
    "w.vergaderjaar", "w.indiener", "w.ontvanger", "w.datumIndiening", "w.datumOntvangst", "w.heeftMededeling",
    "w.mededelingOver", "w.organisatietype", "w.documentstatus", "w.hoofddocument", "cd.datumTijdstipWijzigingWork",
    "cql.textAndIndexes", "cql.serverChoice",
}
MAX_START_RECORD = 9999


class Diagnostic(Exception):
    def __init__(self, number: int, message: str):
        super().__init__(message)
        self.uri = f"info:srw/diagnostic/1/{number}"
        self.message = message


Test = Callable[[dict[str, str]], bool]  # a record's indexed values → matches

_TOKEN = re.compile(r'\s*(\(|\)|"(?:[^"\\]|\\.)*"|==|<>|>=|<=|=|>|<|[^\s()"=<>]+)')


def parse(query: str) -> Test:
    tokens = _tokens(query)
    test, rest = _or(tokens)
    if rest:
        raise Diagnostic(10, f"Query syntax error: unexpected '{rest[0]}'")
    return test


def _tokens(query: str) -> list[str]:
    tokens, position = [], 0
    while position < len(query):
        match = _TOKEN.match(query, position)
        if not match or not match.group(1):
            if query[position:].strip():
                raise Diagnostic(10, f"Query syntax error at '{query[position:]}'")
            break
        tokens.append(match.group(1))
        position = match.end()
    return tokens


def _or(tokens: list[str]) -> tuple[Test, list[str]]:
    left, rest = _and(tokens)
    while rest and rest[0].lower() == "or":
        right, rest = _and(rest[1:])
        left = _either(left, right)
    return left, rest


def _and(tokens: list[str]) -> tuple[Test, list[str]]:
    left, rest = _term(tokens)
    while rest and rest[0].lower() == "and":
        right, rest = _term(rest[1:])
        left = _both(left, right)
    return left, rest


def _either(a: Test, b: Test) -> Test:
    return lambda record: a(record) or b(record)


def _both(a: Test, b: Test) -> Test:
    return lambda record: a(record) and b(record)


def _term(tokens: list[str]) -> tuple[Test, list[str]]:
    if not tokens:
        raise Diagnostic(10, "Query syntax error: the query ends too soon")
    if tokens[0] == "(":
        test, rest = _or(tokens[1:])
        if not rest or rest[0] != ")":
            raise Diagnostic(10, "Query syntax error: a parenthesis is not closed")
        return test, rest[1:]
    if len(tokens) < 3 or tokens[1] not in ("==", "=", ">=", "<=", ">", "<", "<>"):
        raise Diagnostic(10, f"Query syntax error at '{' '.join(tokens[:3])}'")
    index, relation, value = tokens[0], tokens[1], tokens[2]
    if index not in KNOWN_INDEXES:
        raise Diagnostic(16, f"Unsupported index: {index}")
    value = value[1:-1].replace('\\"', '"') if value.startswith('"') else value
    return _clause(index, relation, value), tokens[3:]


def _clause(index: str, relation: str, value: str) -> Test:
    if index == "dt.identifier" and relation == "==":
        return lambda record: record["identifier"] == value  # exact, case-sensitive
    if index == "dt.identifier" and relation == "=":
        words = value.lower().split("-")
        return lambda record: _contains(record["identifier"].lower().split("-"), words)
    if index == "c.product-area" and relation in ("==", "="):
        return lambda record: record["product-area"] == value
    # The real service knows more; the stand-in says so rather than answer wrongly.
    raise Diagnostic(16, f"Unsupported index: {index} {relation} (not modelled by the stand-in)")


def _contains(words: list[str], wanted: list[str]) -> bool:
    return any(words[i:i + len(wanted)] == wanted for i in range(len(words) - len(wanted) + 1))


def diagnostic(error: Diagnostic) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><sru:searchRetrieveResponse '
        'xmlns:sru="http://docs.oasis-open.org/ns/search-ws/sruResponse"><sru:version>2.0</sru:version>'
        '<sru:diagnostics><diag:diagnostic xmlns:diag="http://docs.oasis-open.org/ns/search-ws/diagnostic">'
        f"<diag:uri>{error.uri}</diag:uri><diag:message>{escape(error.message)}</diag:message></diag:diagnostic>"
        "</sru:diagnostics></sru:searchRetrieveResponse>"
    ).encode()
