"""``/queries``: every named query of ``queries/`` as a page, with machine-readable twins.

* ``/queries`` (and ``/queries.json``): the named queries with their titles, descriptions and
  parameters.
* ``/queries/NAME``: a form for the query's parameters (typed inputs, defaults filled in), the
  results as a table (IRIs under the base IRI link to this server's pages), the bound query text
  and a link that opens it in the SPARQL editor.
* ``/queries/NAME.json``, ``.csv``, ``.rq``: the same result as JSON (columns and typed rows), as
  SPARQL CSV, and the bound query text itself.

Parameters come from the URL query string under their own names; names starting with ``_`` are
left for the pages: ``_limit=N`` cuts the twins' results to the first N rows. The views never
build SPARQL: they name a query and pass its parameters to ``NamedQuery.bound_text``. A SELECT
gives its rows, a CONSTRUCT or DESCRIBE its triples as rows (subject, predicate, object), an ASK
one row. Parameters named ``party`` or ``topic`` (IRIs) are offered as a choice, from the named
queries ``party-counts`` and ``topic-counts``.

Replies are kept in a ``ResultCache`` until the store changes, so the aggregates behind /explore
and /charts cost their query once per ingest. ``run_table``, ``choices`` and the cell helpers are
shared with ``/explore`` and ``/charts``.
"""
from __future__ import annotations

import json
import re
import shlex
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock
from urllib.parse import quote, urlencode

from flask import Response, abort, current_app, render_template, request, url_for
from pyoxigraph import RdfFormat
from pyoxigraph import parse as parse_rdf  # N-Triples of a CONSTRUCT's reply into table rows
from werkzeug.exceptions import HTTPException

from kamergraph import queries
from kamergraph.endpoint import terms, web
from kamergraph.endpoint.runtime.formats import GRAPHS, SOLUTIONS
from kamergraph.endpoint.runtime.results import term_json
from kamergraph.endpoint.runtime.tasks import Query, Reply
from kamergraph.endpoint.site import addresses
from kamergraph.endpoint.site.render import page_blueprint
from kamergraph.endpoint.terms import NUMBERS, XSD_BOOLEAN
from kamergraph.endpoint.web import QueryFailed, backend, csv_body, json_body
from kamergraph.graph import snapshot

bp = page_blueprint("queries_pages", __name__, public=True)

HTML_ROWS = 1000  # rows an HTML page shows at most; the twins give up to the server's max_rows
JSON_RESULTS = SOLUTIONS[0]  # application/sparql-results+json
CSV_RESULTS = next(f for f in SOLUTIONS if f.pyoxigraph == "CSV")
NTRIPLES = next(f for f in GRAPHS if f.pyoxigraph == "N_TRIPLES")  # a CONSTRUCT's triples come back so
INPUT_TYPES = {  # a parameter type -> (HTML input type, extra attributes)
    "string": ("text", {}),
    "integer": ("number", {"step": "1"}),
    "year": ("number", {"step": "1", "min": "1800", "max": "2200"}),
    "decimal": ("number", {"step": "any"}),
    "date": ("date", {}),
    "iri": ("url", {}),
    "boolean": ("select", {}),
}
PAGE_PREFIX = "page-"  # named queries that the browse pages run
TWINS = {"json": "application/json", "csv": "text/csv", "rq": "application/sparql-query"}


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


class ResultCache:
    """Replies to named queries, kept until the store changes.

    The aggregates behind /explore and /charts read the whole graph (seconds on a full history) but
    change only with an ingest or a write. A reply is kept with the signature of the store folder
    (``snapshot.signature``: any committed write changes it) and served while the signature is the
    same; nothing is kept or served while a writer holds the store, or for a remote store. Bounded
    in entries and bytes, least recently used first out."""

    def __init__(self, location: str, entries: int = 128, max_bytes: int = 32 * 1024 * 1024,
                 max_entry: int = 4 * 1024 * 1024):
        self.location = location
        self.entries, self.max_bytes, self.max_entry = entries, max_bytes, max_entry
        self._kept: OrderedDict[Query, tuple[tuple, Reply]] = OrderedDict()
        self._bytes = 0
        self._lock = Lock()

    def _signature(self) -> tuple | None:
        if snapshot.is_remote(self.location):
            return None
        try:
            if snapshot.writer_active(self.location):
                return None
            return snapshot.signature(self.location)
        except OSError:
            return None

    def query(self, task: Query) -> Reply:
        signature = self._signature()
        if signature is not None:
            with self._lock:
                kept = self._kept.get(task)
                if kept is not None and kept[0] == signature:
                    self._kept.move_to_end(task)
                    return kept[1]
        reply = backend().query(task)
        if signature is not None and reply.status == 200 and len(reply.body) <= self.max_entry:
            with self._lock:
                old = self._kept.pop(task, None)
                if old is not None:
                    self._bytes -= len(old[1].body)
                self._kept[task] = (signature, reply)
                self._bytes += len(reply.body)
                while self._kept and (len(self._kept) > self.entries or self._bytes > self.max_bytes):
                    _, (_, dropped) = self._kept.popitem(last=False)
                    self._bytes -= len(dropped.body)
        return reply


CACHE = "kamergraph-named-results"


@bp.record_once
def _attach_cache(state) -> None:
    state.app.extensions[CACHE] = ResultCache(state.app.config["KAMERGRAPH_SETTINGS"].store)


def run_query(task: Query) -> Reply:
    """A named query's reply, from the result cache when the store has not changed since."""
    return current_app.extensions[CACHE].query(task)


def run_table(sparql: str, max_rows: int | None = None) -> Table:
    """Run a query in a query process (or take it from the cache); QueryFailed when it gives no result."""
    reply = run_query(Query(sparql, JSON_RESULTS, NTRIPLES, max_rows=max_rows))
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



def _csv_value(term: dict | None) -> str:
    if term is None:
        return ""
    return "_:" + term["value"] if term["type"] == "bnode" else term["value"]


CHOICES = {  # parameters offered as a choice, and the named query whose rows are the choices
    "party": ("party-counts", "party", "partyLabel"),
    "topic": ("topic-counts", "topic", "topicLabel"),
}


def choices(name: str) -> list[dict]:
    """The rows of a small list query (parties, topics) for the choices of a form; none when it
    fails (the page's own query reports the failure)."""
    try:
        return run_table(queries.registry()[name].bound_text({})).values()
    except QueryFailed:
        return []


def parameter_options(parameter: queries.Parameter) -> list[tuple[str, str]] | None:
    """(value, label) choices for a parameter that names a party or topic; None for a free input."""
    if parameter.type != "iri" or parameter.name not in CHOICES:
        return None
    source, value, label = CHOICES[parameter.name]
    rows = choices(source)
    if parameter.name == "topic" and "top-level" in parameter.description:
        rows = [r for r in rows if not r.get("theme")]  # the query takes themes only
    return [(r[value], f"{'— ' if r.get('theme') else ''}{r.get(label) or r[value]} ({r['questions']})") for r in rows]


def local_href(iri: str) -> str | None:
    """This server's page for an IRI under the base IRI (see ``addresses``); None for any other IRI."""
    return addresses.href(iri) if addresses.is_local(iri) else None


def cell_view(term: dict | None) -> dict:
    """What a table cell shows: text, an optional link, and a kind for the CSS."""
    if term is None:
        return {"text": "", "kind": "empty"}
    if term["type"] == "uri":
        local = local_href(term["value"])
        text = addresses.local_path(term["value"]) if local else term["value"]
        return {"text": text, "href": local or term["value"], "title": term["value"], "kind": "iri"}
    if term["type"] == "bnode":
        return {"text": "_:" + term["value"], "kind": "bnode"}
    kind = "number" if term.get("datatype") in NUMBERS else "literal"
    return {"text": term["value"], "kind": kind, "lang": term.get("xml:lang")}


def parameter_values() -> dict[str, str]:
    """The query's parameters given in the URL (names starting with ``_`` belong to the page)."""
    return {k: v for k, v in request.args.items() if not k.startswith("_")}


def row_limit() -> int | None:
    """The ``_limit`` page parameter: at most this many rows (never more than the server's cap)."""
    raw = request.args.get("_limit", "")
    if not raw:
        return None
    try:
        limit = int(raw)
    except ValueError:
        abort(400, f"_limit must be a whole number, not {raw!r}")
    if limit < 1:
        abort(400, "_limit must be at least 1")
    return min(limit, backend().settings.max_rows)


def editor_link(text: str, title: str) -> str:
    """The SPARQL editor (YASGUI) with a tab holding this query: YASGUI reads ``#query=`` and
    ``tabTitle=`` from the URL fragment when it starts."""
    fragment = urlencode({"query": text, "tabTitle": title}, quote_via=quote)
    return url_for("sparql.endpoint") + "#" + fragment


def twin_links(name: str, values: dict[str, str]) -> list[dict]:
    given = {k: v for k, v in values.items() if v != ""}
    return [
        {"href": url_for("queries_pages.twin", name=name, fmt="json", **given), "type": TWINS["json"], "label": "JSON"},
        {"href": url_for("queries_pages.twin", name=name, fmt="csv", **given), "type": TWINS["csv"], "label": "CSV"},
        {"href": url_for("queries_pages.twin", name=name, fmt="rq", **given), "type": TWINS["rq"], "label": "SPARQL"},
    ]


def form_fields(named: queries.NamedQuery, values: dict[str, str]) -> list[dict]:
    """One typed input per parameter: given value, else the default."""
    fields = []
    for p in named.parameters:
        input_type, attributes = INPUT_TYPES.get(p.type, ("text", {}))
        value = values.get(p.name)
        if value is None:
            value = p.default or ""
        suggestions = re.findall(r'"([^"\s]+)"', p.description) if p.type == "string" else []
        options = parameter_options(p)
        if options is not None:
            input_type = "choice"
            if value and value not in {v for v, _ in options}:
                options.append((value, value))
        fields.append({
            "name": p.name, "type": p.type, "input": input_type, "attributes": attributes, "options": options,
            "suggestions": list(dict.fromkeys(suggestions)),
            "value": value, "required": p.required, "default": p.default, "description": p.description,
        })
    return fields


def _named(name: str) -> queries.NamedQuery:
    named = queries.registry().get(name)
    if named is None:
        abort(404, f"There is no named query {name!r}; the list is at /queries.")
    return named


def _plain(status: int, message: str) -> Response:
    return web.to_response(Reply.text(status, message), vary_accept=False)


@bp.get("/queries")
def index():
    entries = [describe(q) for q in queries.registry().values()]
    groups = [  # the queries behind the browse pages (named page-...) after the ones to ask questions with
        ("Questions to ask", [e for e in entries if not e["name"].startswith(PAGE_PREFIX)]),
        ("The queries behind the pages", [e for e in entries if e["name"].startswith(PAGE_PREFIX)]),
    ]
    alternates = [{"href": url_for("queries_pages.index_json"), "type": "application/json", "label": "JSON"}]
    return render_template("queries/index.html", groups=[g for g in groups if g[1]], alternates=alternates)


@bp.get("/queries.json")
def index_json():
    response = _json({"queries": [describe(q, external=True) for q in queries.registry().values()]})
    return response


def describe(named: queries.NamedQuery, external: bool = False) -> dict:
    return {
        "name": named.name,
        "title": named.title,
        "description": named.description,
        "parameters": [
            {"name": p.name, "type": p.type, "required": p.required, "default": p.default,
             "description": p.description}
            for p in named.parameters
        ],
        "page": url_for("queries_pages.page", name=named.name, _external=external),
        "json": url_for("queries_pages.twin", name=named.name, fmt="json", _external=external),
        "csv": url_for("queries_pages.twin", name=named.name, fmt="csv", _external=external),
    }


@bp.get("/queries/<name>")
def page(name: str):
    named = _named(name)
    values = parameter_values()
    context = {
        "query": named, "fields": form_fields(named, values), "table": None, "error": None,
        "missing": [], "text": named.text, "alternates": twin_links(name, values), "html_rows": HTML_ROWS,
    }
    status = 200
    missing = [p.name for p in named.parameters if p.required and not values.get(p.name) and not p.default]
    try:
        if missing and not set(values) - set(missing):
            context["missing"] = missing  # a first visit: show the form, no error
        else:
            context["text"] = named.bound_text(values)
            table = run_table(context["text"], min(HTML_ROWS, backend().settings.max_rows))
            context["table"] = {
                "columns": table.columns,
                "rows": [[cell_view(row.get(c)) for c in table.columns] for row in table.rows],
                "truncated": table.truncated,
                "kind": table.kind,
            }
    except queries.QueryError as error:
        context["error"], status = str(error), 400
    except QueryFailed as error:
        context["error"], status = str(error), error.status
    context["editor"] = editor_link(context["text"], named.title)
    context["command"] = " ".join(["kamergraph", "query", named.name] + [
        f"--param {shlex.quote(f['name'] + '=' + f['value'])}" for f in context["fields"] if f["value"]])
    return render_template("queries/query.html", **context), status


@bp.get("/queries/<name>.<any(json, csv, rq):fmt>")
def twin(name: str, fmt: str):
    named = queries.registry().get(name)
    if named is None:
        return _plain(404, f"There is no named query {name!r}; the list is at /queries.json.")
    values = parameter_values()
    try:
        text = named.bound_text(values)
        limit = row_limit()
    except queries.QueryError as error:
        return _plain(400, str(error))
    except HTTPException as error:
        return _plain(error.code or 400, error.description or "")
    if fmt == "rq":
        response = Response(text, content_type="application/sparql-query; charset=utf-8")
    elif fmt == "csv":
        # A SELECT's CSV is written by the store's serializer; a graph's triples and an ASK's answer,
        # which SPARQL CSV does not cover, as a table of their own.
        reply = run_query(Query(text, CSV_RESULTS, NTRIPLES, max_rows=limit))
        if reply.status == 200 and reply.content_type.startswith(NTRIPLES.media_type) or reply.status == 406:
            try:
                table = run_table(text, limit)
            except QueryFailed as error:
                return _plain(error.status, str(error))
            reply = Reply(200, CSV_RESULTS.content_type, table.csv(), table.truncated)
        if reply.status != 200:
            return _plain(reply.status, reply.body.decode("utf-8", "replace"))
        response = web.to_response(reply, vary_accept=False)
    else:
        try:
            table = run_table(text, limit)
        except QueryFailed as error:
            return _plain(error.status, str(error))
        response = _json({
            "query": named.name,
            "title": named.title,
            "parameters": {k: str(v.value) for k, v in named.bindings(values).items()},
            "kind": table.kind,
            "columns": table.columns,
            "rows": table.values(),
            "truncated": table.truncated,
            "sparql": text,
        })
        if table.truncated:
            response.headers[web.TRUNCATED] = "true"
    response.headers["Content-Disposition"] = f'inline; filename="{name}.{fmt}"'
    return response


def _json(document: dict) -> Response:
    return Response(json_body(document), content_type="application/json; charset=utf-8")
