"""Finding a SPARQL keyword in query text without a parser: outside strings, IRIs and comments,
and the form of a query after its prologue.

Cheap enough for every query, and exact for keywords that can stand nowhere else (SERVICE, LOAD,
FROM): a word is a keyword unless it is part of a prefixed name (``service:p``, ``ex:from``,
``ex:a.service``), a variable, a blank node label or a language tag. A dot after anything else ends a
triple (``?x) .SERVICE``).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

# Where a keyword is not a keyword: long and short strings, IRIs, comments (a comment ends at a
# line feed or a carriage return, as in SPARQL and Oxigraph), escapes in prefixed names (an escaped
# quote there starts no string, an escaped \# no comment).
_NOT_CODE = re.compile(
    r"\\."  # an escape in a prefixed name (ex:a\'): no string starts at its quote
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|(?<!\\)#[^\n\r]*",
    re.DOTALL,
)


def keywords_in(text: str, keywords: set[str]) -> set[str]:
    """The keywords that stand as words in the SPARQL text."""
    lowered = text.lower()
    keywords = {keyword for keyword in keywords if keyword.lower() in lowered}
    if not keywords:  # the usual case, and this runs for every query: no scan
        return set()
    code = _NOT_CODE.sub(" ", text)
    return {keyword for keyword in keywords
            if re.search(rf"(?<![\w:?$@\\-])(?<![\w:\\-]\.){keyword}(?![\w:.-])", code, re.IGNORECASE)}


# What may come before the query form: BASE and PREFIX declarations, white space and comments.
# An IRI here may hold no backslash, so no \u escape can hide an update behind a query's prologue.
_PROLOGUE = re.compile(r"(?:\s+|#[^\n\r]*|BASE\s*<[^<>\s\\]*>|PREFIX\s*[^\s:#]*:\s*<[^<>\s\\]*>)*", re.IGNORECASE)
_FORM = re.compile(r"(SELECT|CONSTRUCT|DESCRIBE|ASK)\b", re.IGNORECASE)


def query_form(sparql: str) -> str:
    """SELECT, CONSTRUCT, DESCRIBE or ASK: the form of a query, read past its prologue. Anything
    else is refused here, so that no update reaches a store whose query URL also runs updates
    (Virtuoso's ``/sparql`` does, for a user allowed to write)."""
    prologue = _PROLOGUE.match(sparql)  # matches, if only the empty string
    start = prologue.end() if prologue else 0
    form = _FORM.match(sparql, start)
    if form is None:
        raise SyntaxError("not a SPARQL query: after its PREFIX and BASE declarations a query starts with "
                          "SELECT, CONSTRUCT, DESCRIBE or ASK (updates are not run through the query service)")
    return form.group(1).upper()


def nesting_depth(sparql: str) -> int:
    """How deep brackets ( { [ nest in the text outside strings, IRIs and comments: Oxigraph's parser
    recurses once per level, and a query thousands of levels deep overflows its stack."""
    depth = deepest = 0
    for char in _NOT_CODE.sub(" ", sparql):
        if char in "({[":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")}]":
            depth = max(0, depth - 1)
    return deepest


def with_base(sparql: str, base_iri: str | None) -> str:
    """The text with a BASE declaration in front, for a store that takes no base IRI of its own
    (a later BASE in the text still wins, as BASE declarations follow one another)."""
    if base_iri is None:
        return sparql
    if any(c in base_iri for c in '<>"{}|^`\\ \n\r\t'):
        raise ValueError(f"not an IRI: {base_iri!r}")
    return f"BASE <{base_iri}>\n{sparql}"


_DATASET_KEYWORDS = re.compile(r"[{}]|(?<![\w:?$@\\.-])(DELETE|INSERT|WHERE|WITH|USING)(?![\w:.-])", re.IGNORECASE)


def with_using(update: str, graphs: Sequence[str], named_graphs: Sequence[str]) -> str:
    """The update with ``USING <g>`` and ``USING NAMED <n>`` before the WHERE of each DELETE/INSERT
    operation: what the protocol's using-graph-uri and using-named-graph-uri mean (SPARQL 1.1
    Protocol 2.2.3). ValueError when the update names its own dataset (USING or WITH), which the
    protocol forbids alongside them, or when a graph is not an IRI that can be written."""
    for iri in (*graphs, *named_graphs):
        if not iri or any(c in iri for c in '<>"{}|^`\\ \n\r\t'):
            raise ValueError(f"not an IRI: {iri!r}")
    # Offsets stay those of the text: strings, IRIs and comments blanked out, not removed.
    code = _NOT_CODE.sub(lambda m: " " * len(m.group()), update)
    clauses = "".join(f"USING <{g}> " for g in graphs) + "".join(f"USING NAMED <{g}> " for g in named_graphs)
    depth, previous, cuts = 0, "", []
    for match in _DATASET_KEYWORDS.finditer(code):
        token = match.group().upper()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            previous = token
        elif depth == 0:
            if token in ("USING", "WITH"):
                raise ValueError(f"the update names its own dataset with {token}; "
                                 "leave out using-graph-uri and using-named-graph-uri, or the clause")
            if token == "WHERE" and previous != "DELETE":  # DELETE WHERE has no dataset clause
                cuts.append(match.start())
            previous = token
    for cut in reversed(cuts):
        update = update[:cut] + clauses + update[cut:]
    return update
