"""Refusing federation: SERVICE in queries and updates, LOAD in updates.

pyoxigraph evaluates SERVICE (and LOAD) with its own HTTP client and has no switch to turn that off,
so an operation that uses them is refused before it runs. The keywords are found with a real SPARQL
parser (rdflib's), not by matching text; the parser only runs when the text mentions a keyword at all,
because it is slow. Oxigraph does not accept keywords written with \\u escapes, so the cheap test on
the raw text cannot be dodged.
"""
from __future__ import annotations

REFUSED_IN_QUERY = {"ServiceGraphPattern": "SERVICE"}
REFUSED_IN_UPDATE = {"ServiceGraphPattern": "SERVICE", "Load": "LOAD"}


def federation_refusal(text: str, *, update: bool = False) -> str | None:
    """Why the operation is refused, or None when it calls no other service."""
    refused = REFUSED_IN_UPDATE if update else REFUSED_IN_QUERY
    lowered = text.lower()
    if not any(keyword.lower() in lowered for keyword in refused.values()):
        return None
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate  # slow to import: only when needed

    try:
        tree = parseUpdate(text) if update else parseQuery(text)
    except Exception as error:  # rdflib's grammar lags Oxigraph's; refuse rather than guess
        return (
            f"The {'update' if update else 'query'} mentions "
            f"{' or '.join(sorted(set(refused.values())))}, which this endpoint does not allow, "
            f"and it could not be checked further: {error}"
        )
    found = sorted({refused[name] for name in _names(tree) if name in refused})
    if not found:
        return None
    return f"{' and '.join(found)} is not allowed on this endpoint (federated queries are switched off)."


def _names(node):
    """The names of all grammar rules in an rdflib parse tree."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item.name
            stack.extend(item.values())
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, ParseResults)):
            stack.extend(item)
