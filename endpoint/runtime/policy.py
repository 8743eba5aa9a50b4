"""Refusing federation: SERVICE in queries and updates, LOAD in updates.

pyoxigraph evaluates SERVICE (and LOAD) with its own HTTP client and has no switch to turn that off,
so an operation that uses them is refused before it runs. Two checks, and either refuses:

- a scan of the text for the keyword outside strings, IRIs and comments, where a comment ends at a
  line feed or a carriage return, as in SPARQL and in Oxigraph;
- a real SPARQL parser (rdflib's), which knows where a keyword can stand, on the text with carriage
  returns made line feeds: rdflib ends a comment at a line feed only, and would take the SERVICE
  of ``# \rSERVICE …`` for part of the comment while Oxigraph runs it. It only runs when the text
  mentions a keyword at all, because it is slow.

Oxigraph does not accept keywords written with \\u escapes, so the test on the raw text cannot be
dodged that way.
"""
from __future__ import annotations

from kamergraph.graph.keywords import keywords_in

REFUSED_IN_QUERY = {"ServiceGraphPattern": "SERVICE"}
REFUSED_IN_UPDATE = {"ServiceGraphPattern": "SERVICE", "Load": "LOAD"}


def federation_refusal(text: str, *, update: bool = False) -> str | None:
    """Why the operation is refused, or None when it calls no other service."""
    refused = REFUSED_IN_UPDATE if update else REFUSED_IN_QUERY
    lowered = text.lower()
    if not any(keyword.lower() in lowered for keyword in refused.values()):
        return None
    found = keywords_in(text, set(refused.values()))
    if not found:
        from rdflib.plugins.sparql.parser import parseQuery, parseUpdate  # slow to import: only when needed

        checked = text.replace("\r", "\n")  # both end a comment in SPARQL; rdflib knows only \n
        try:
            tree = parseUpdate(checked) if update else parseQuery(checked)
        except Exception as error:  # rdflib's grammar lags Oxigraph's; refuse rather than guess
            return (
                f"The {'update' if update else 'query'} mentions "
                f"{' or '.join(sorted(set(refused.values())))}, which this endpoint does not allow, "
                f"and it could not be checked further: {error}"
            )
        found = {refused[name] for name in _names(tree) if name in refused}
    if not found:
        return None
    return f"{' and '.join(sorted(found))} is not allowed on this endpoint (federated queries are switched off)."


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
