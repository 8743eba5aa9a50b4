"""Refusing federation: SERVICE in queries and updates, LOAD in updates.

pyoxigraph evaluates SERVICE (and LOAD) with its own HTTP client and has no switch to turn that off.
What stops it is the kernel: the query and write processes of a local store run in a network
namespace of their own (``isolation.py``), so the engine that executes cannot connect anywhere,
whatever the text says. The checks here come in front of that for a clear 400:

- a scan of the text for the keyword outside strings, IRIs and comments, where a comment ends at a
  line feed or a carriage return, as in SPARQL and in Oxigraph;
- a real SPARQL parser (rdflib's), which knows where a keyword can stand, on the text with carriage
  returns made line feeds: rdflib ends a comment at a line feed only. It only runs when the text
  mentions a keyword at all, because it is slow.

Both parse differently from Oxigraph (rdflib unescapes ``\\u0022`` before parsing, Oxigraph does not),
so they can be dodged; what they miss then fails in the namespace, and ``network_refusal`` words it.
Where a process keeps its network (a remote store, or a kernel that allows no namespace), the check
is ``strict``: any mention of the keyword, inside strings, IRIs and comments too, is refused. Oxigraph
takes keywords in ASCII letters only (not ``\\u`` escapes, not ``ſ`` for ``s``), so no text that runs
a SERVICE or LOAD gets past a search for the plain word.
"""
from __future__ import annotations

import re

from kamergraph.graph.keywords import keywords_in, nesting_depth

# Brackets nested deeper than this are refused: Oxigraph's parser recurses per level and overflowed
# its stack (a crash, not an error) at about 2,000 nested sub-SELECTs on an 8 MiB stack. The
# processes run their tasks on a 256 MiB stack (child.py) for a wide margin.
MAX_NESTING = 500

REFUSED_IN_QUERY = {"ServiceGraphPattern": "SERVICE"}
REFUSED_IN_UPDATE = {"ServiceGraphPattern": "SERVICE", "Load": "LOAD"}

# What Oxigraph says when SERVICE or LOAD finds no network: the namespace's loopback is down and no
# name resolves.
_NO_NETWORK = re.compile(r"os error 101|Network is unreachable|failed to lookup address|name resolution")
# Oxigraph quotes the body of a failed remote answer after this; it never goes back to a client.
_REMOTE_BODY = re.compile(r"\s+with payload:.*", re.DOTALL)


def federation_refusal(text: str, *, update: bool = False, strict: bool = False) -> str | None:
    """Why the operation is refused, or None when it calls no other service."""
    refused = REFUSED_IN_UPDATE if update else REFUSED_IN_QUERY
    lowered = text.lower()
    mentioned = {keyword for keyword in refused.values() if keyword.lower() in lowered}
    if not mentioned:
        return None
    if strict:
        return (f"The text mentions {' or '.join(sorted(mentioned))}, which this endpoint does not allow "
                "(federated queries are switched off; the word is refused anywhere, also in strings and IRIs).")
    found = keywords_in(text, mentioned)
    if not found:
        from rdflib.plugins.sparql.parser import parseQuery, parseUpdate  # slow to import: only when needed

        checked = text.replace("\r", "\n")  # both end a comment in SPARQL; rdflib knows only \n
        try:
            tree = parseUpdate(checked) if update else parseQuery(checked)
        except Exception as error:  # rdflib's grammar lags Oxigraph's; refuse rather than guess
            return (
                f"The {'update' if update else 'query'} mentions "
                f"{' or '.join(sorted(mentioned))}, which this endpoint does not allow, "
                f"and it could not be checked further: {error}"
            )
        found = {refused[name] for name in _names(tree) if name in refused}
    if not found:
        return None
    return _refused(found)


def nesting_refusal(text: str) -> str | None:
    """Why a query or update that nests too deep is refused, or None."""
    depth = nesting_depth(text)
    if depth <= MAX_NESTING:
        return None
    return f"The text nests brackets {depth} levels deep; this endpoint takes at most {MAX_NESTING}."


def network_refusal(error: Exception) -> str | None:
    """The refusal for an error Oxigraph raised because SERVICE or LOAD found no network, else None."""
    if isinstance(error, OSError) and _NO_NETWORK.search(str(error)):
        return _refused({"SERVICE or LOAD"})
    return None


def without_remote_body(message: str) -> str:
    """An error message with what a remote service answered cut off."""
    return _REMOTE_BODY.sub(" (its answer is not shown)", message)


def _refused(found: set[str]) -> str:
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
