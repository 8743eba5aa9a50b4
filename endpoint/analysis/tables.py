"""Named queries run for the analysis pages, their results as tables, kept until the store changes.

The aggregates behind /explore and /charts read the whole graph but change only with an ingest or
a write, so a reply is kept (``runtime.replies.ReplyCache``) and an aggregate costs its query once per change. A
SELECT gives its rows, a CONSTRUCT or DESCRIBE its triples as rows (subject, predicate, object), an
ASK one row.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from flask import Flask, current_app
from pyoxigraph import RdfFormat
from pyoxigraph import parse as parse_rdf  # N-Triples of a CONSTRUCT's reply into table rows

from kamergraph import queries
from kamergraph.endpoint import terms
from kamergraph.endpoint.runtime.formats import GRAPHS, SOLUTIONS
from kamergraph.endpoint.runtime.replies import ReplyCache
from kamergraph.endpoint.runtime.results import term_json
from kamergraph.endpoint.runtime.tasks import Query, Reply
from kamergraph.endpoint.terms import XSD_BOOLEAN
from kamergraph.endpoint.web import QueryFailed, backend, csv_body

JSON_RESULTS = SOLUTIONS[0]  # application/sparql-results+json
NTRIPLES = next(f for f in GRAPHS if f.pyoxigraph == "N_TRIPLES")  # a CONSTRUCT's triples come back so
CACHE = "kamergraph-named-results"


@dataclass(frozen=True)
class Table:
    """A query's result as a table: its columns and its rows as SPARQL JSON bindings (name -> term
    dict). A SELECT gives its variables; a CONSTRUCT or DESCRIBE its triples (subject, predicate,
    object); an ASK one column ``boolean``."""

    columns: list[str]
    rows: list[dict[str, dict]]
    truncated: bool
    kind: str = "solutions"  # or "graph" or "boolean"

    def values(self) -> list[dict[str, object]]:
        """The rows as plain JSON values: numbers and booleans typed, everything else as text."""
        return [{name: terms.value(row.get(name)) for name in self.columns} for row in self.rows]

    def csv(self) -> bytes:
        """The rows as CSV in the manner of the SPARQL 1.1 CSV results format (plain values, CRLF)."""
        return csv_body(self.columns, ([_csv_value(row.get(name)) for name in self.columns] for row in self.rows))


def init_app(app: Flask) -> None:
    # Apart from the backend's own: clients' queries must not push the costly aggregates out. Named
    # queries are kept whatever they say (their NOW() is today's date), as they were before.
    app.extensions[CACHE] = ReplyCache(app.config["KAMERGRAPH_SETTINGS"].store, entries=128)


def cached_reply(task: Query) -> Reply:
    """A query's reply, from the result cache when the store has not changed since."""
    return current_app.extensions[CACHE].reply(task, lambda: backend().query(task, keep=False))


def run_table(sparql: str, max_rows: int | None = None) -> Table:
    """Run a query in a query process (or take it from the cache); QueryFailed when it gives no result."""
    reply = cached_reply(Query(sparql, JSON_RESULTS, NTRIPLES, max_rows=max_rows))
    if reply.status != 200:
        raise QueryFailed(reply)
    if reply.content_type.startswith(NTRIPLES.media_type):
        rows = [{"subject": term_json(t.subject), "predicate": term_json(t.predicate), "object": term_json(t.object)}
                for t in parse_rdf(reply.body, format=RdfFormat.N_TRIPLES)]
        return Table(["subject", "predicate", "object"], rows, reply.truncated, "graph")
    document = json.loads(reply.body)
    if "boolean" in document:
        answer = "true" if document["boolean"] else "false"
        return Table(["boolean"], [{"boolean": {"type": "literal", "value": answer, "datatype": XSD_BOOLEAN}}],
                     False, "boolean")
    return Table(document["head"]["vars"], document["results"]["bindings"], reply.truncated)


def choices(name: str) -> list[dict]:
    """The rows of a small list query (parties, topics) for the choices of a form; none when it
    fails (the page's own query reports the failure)."""
    try:
        return run_table(queries.registry()[name].bound_text({})).values()
    except QueryFailed:
        return []


def _csv_value(term: dict | None) -> str:
    if term is None:
        return ""
    return "_:" + term["value"] if term["type"] == "bnode" else term["value"]
