"""The parameter form of a named query, and the link that opens a query in the SPARQL editor.

Parameters come from the URL query string under their own names; names starting with ``_`` are
left for the pages. Parameters named ``party`` or ``topic`` (IRIs) are offered as a choice, from the
named queries ``party-counts`` and ``topic-counts``; the other IRI parameters take a name or a
short key, with suggestions (``keys``), and every IRI parameter is shown and linked by its key.
"""
from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from flask import request, url_for

from kamergraph import queries
from kamergraph.endpoint.analysis import keys
from kamergraph.endpoint.analysis.tables import choices

INPUT_TYPES = {  # a parameter type -> (HTML input type, extra attributes)
    "string": ("text", {}),
    "integer": ("number", {"step": "1"}),
    "year": ("number", {"step": "1", "min": "1800", "max": "2200"}),
    "decimal": ("number", {"step": "any"}),
    "date": ("date", {}),
    "iri": ("text", {"autocomplete": "off"}),  # a name, a key or an IRI (keys.resolved)
    "boolean": ("select", {}),
}
CHOICES = {  # parameters offered as a choice, and the named query whose rows are the choices
    "party": ("party-counts", "party", "partyLabel"),
    "topic": ("topic-counts", "topic", "topicLabel"),
}


def parameter_values() -> dict[str, str]:
    """The query's parameters given in the URL (names starting with ``_``, and ``lang``, the language
    switch, belong to the page)."""
    return {k: v for k, v in request.args.items() if not k.startswith("_") and k != "lang"}


def form_fields(named: queries.NamedQuery, values: dict[str, str], language: str = "en") -> list[dict]:
    """One typed input per parameter: given value, else the default; its help in the language."""
    fields = []
    shown = named.in_language(language).parameters
    for p, help_text in zip(named.parameters, (s.description for s in shown), strict=True):
        input_type, attributes = INPUT_TYPES.get(p.type, ("text", {}))
        value = values.get(p.name)
        if value is None:
            value = p.default or ""
        if p.type == "iri":
            value = keys.shown_value(value)
        suggestions = [(s, "") for s in re.findall(r'"([^"\s]+)"', p.description)] if p.type == "string" else []
        if keys.kinds_of(p):
            suggestions = keys.suggestions(p)
        options = parameter_options(p)
        if options is not None:
            input_type = "choice"
            if value and value not in {v for v, _ in options}:
                options.append((value, value))
        fields.append({
            "name": p.name, "type": p.type, "input": input_type, "attributes": attributes, "options": options,
            "suggestions": list(dict(suggestions).items()),
            "value": value, "required": p.required, "default": p.default, "description": help_text,
        })
    return fields


def parameter_options(parameter: queries.Parameter) -> list[tuple[str, str]] | None:
    """(value, label) choices for a parameter that names a party or topic; None for a free input."""
    if parameter.type != "iri" or parameter.name not in CHOICES:
        return None
    source, value, label = CHOICES[parameter.name]
    rows = choices(source)
    if parameter.name == "topic" and "top-level" in parameter.description:
        rows = [r for r in rows if not r.get("theme")]  # the query takes themes only
    return [(keys.shown_value(str(r[value])),
             f"{'— ' if r.get('theme') else ''}{r.get(label) or r[value]} ({r['questions']})") for r in rows]


def editor_link(text: str, title: str) -> str:
    """The SPARQL editor (YASGUI) with a tab holding this query: YASGUI reads ``#query=`` and
    ``tabTitle=`` from the URL fragment when it starts."""
    fragment = urlencode({"query": text, "tabTitle": title}, quote_via=quote)
    return url_for("sparql.endpoint") + "#" + fragment
