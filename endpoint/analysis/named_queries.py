"""``/queries``: every named query of ``queries/`` as a page, with machine-readable twins.

* ``/queries`` (and ``/queries.json``): the named queries with their titles, descriptions and
  parameters.
* ``/queries/NAME``: a form for the query's parameters (typed inputs, defaults filled in; IRI
  parameters take names or short keys, ``keys``), the results as a table of 100 rows a page
  (``_page=N``; IRIs under the base IRI link to this server's pages and show the thing's name), the
  bound query text and a link that opens it in the SPARQL editor.
* ``/queries/NAME.json``, ``.csv``, ``.rq``: the same result as JSON (columns and typed rows), as
  SPARQL CSV, and the bound query text itself.

Parameters come from the URL query string under their own names (``forms``); ``_limit=N`` cuts
the twins' results to the first N rows. The views never build SPARQL: they name a query and pass
its parameters to ``NamedQuery.bound_text``; results come as tables (``tables``).
"""
from __future__ import annotations

import shlex
from typing import Any

from flask import Response, abort, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from kamergraph import queries
from kamergraph.endpoint import web
from kamergraph.endpoint.analysis import keys
from kamergraph.endpoint.analysis.forms import editor_link, form_fields, parameter_values
from kamergraph.endpoint.analysis.tables import NTRIPLES, cached_reply, run_table
from kamergraph.endpoint.runtime.formats import SOLUTIONS
from kamergraph.endpoint.runtime.tasks import Query, Reply
from kamergraph.endpoint.site import addresses
from kamergraph.endpoint.site.i18n import N_
from kamergraph.endpoint.site.i18n import chosen_language as lang
from kamergraph.endpoint.site.render import page_blueprint, page_index
from kamergraph.endpoint.terms import NUMBERS
from kamergraph.endpoint.web import QueryFailed, backend, json_body
from kamergraph.indexes.pages import IndexUnavailable

bp = page_blueprint("named_queries", __name__, public=True)

HTML_ROWS = 100  # rows an HTML page shows at a time (_page=N); the twins give up to the server's max_rows
CSV_RESULTS = next(f for f in SOLUTIONS if f.pyoxigraph == "CSV")
PAGE_PREFIX = "page-"  # named queries that the browse pages run
TWINS = {"json": "application/json", "csv": "text/csv", "rq": "application/sparql-query"}


def cell_view(term: dict | None, labels: dict | None = None) -> dict:
    """What a table cell shows: text (a thing's name where ``labels``, the page index's entities,
    know it), an optional link, and a kind for the CSS."""
    if term is None:
        return {"text": "", "kind": "empty"}
    if term["type"] == "uri":
        local = addresses.local_href(term["value"])
        entity = (labels or {}).get(term["value"])
        text = entity.label if entity is not None else addresses.local_path(term["value"]) if local else term["value"]
        # Only our own pages and http(s) IRIs become links: never javascript:, data: and the like.
        external = term["value"] if term["value"].lower().startswith(("http://", "https://")) else None
        return {"text": text, "href": local or external, "title": term["value"], "kind": "iri"}
    if term["type"] == "bnode":
        return {"text": "_:" + term["value"], "kind": "bnode"}
    kind = "number" if term.get("datatype") in NUMBERS else "literal"
    return {"text": term["value"], "kind": kind, "lang": term.get("xml:lang")}


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


def twin_links(name: str, values: dict[str, str]) -> list[dict]:
    given: dict[str, Any] = {k: v for k, v in values.items() if v != ""}
    return [
        {"href": url_for("named_queries.twin", name=name, fmt="json", **given), "type": TWINS["json"], "label": "JSON"},
        {"href": url_for("named_queries.twin", name=name, fmt="csv", **given), "type": TWINS["csv"], "label": "CSV"},
        {"href": url_for("named_queries.twin", name=name, fmt="rq", **given), "type": TWINS["rq"], "label": "SPARQL"},
    ]


def _named(name: str) -> queries.NamedQuery:
    named = queries.published().get(name)
    if named is None:
        abort(404, f"There is no named query {name!r}; the list is at /queries.")
    return named


def _plain(status: int, message: str) -> Response:
    return web.to_response(Reply.text(status, message), vary_accept=False)


@bp.get("/queries")
def index():
    entries = [entry(q.in_language(lang())) for q in queries.published().values()]
    groups = [  # the queries behind the browse pages (named page-...) after the ones to ask questions with
        (N_("Questions to ask"), [e for e in entries if not e["name"].startswith(PAGE_PREFIX)]),
        (N_("The queries behind the pages"), [e for e in entries if e["name"].startswith(PAGE_PREFIX)]),
    ]
    alternates = [{"href": url_for("named_queries.index_json"), "type": "application/json", "label": "JSON"}]
    return render_template("queries/index.html", groups=[g for g in groups if g[1]], alternates=alternates)


@bp.get("/queries.json")
def index_json():
    response = _json({"queries": [entry(q, external=True) for q in queries.published().values()]})
    return response


def entry(named: queries.NamedQuery, external: bool = False) -> dict:
    return {
        "name": named.name,
        "title": named.title,
        "description": named.description,
        "parameters": [
            {"name": p.name, "type": p.type, "required": p.required, "default": p.default,
             "description": p.description}
            for p in named.parameters
        ],
        "page": url_for("named_queries.page", name=named.name, _external=external),
        "json": url_for("named_queries.twin", name=named.name, fmt="json", _external=external),
        "csv": url_for("named_queries.twin", name=named.name, fmt="csv", _external=external),
    }


@bp.get("/queries/<name>")
def page(name: str):
    named = _named(name)
    values = parameter_values()
    context: dict[str, Any] = {
        "query": named.in_language(lang()), "fields": form_fields(named, values, lang()), "table": None,
        "error": None,
        "missing": [], "text": named.text, "alternates": twin_links(name, values), "html_rows": HTML_ROWS,
    }
    status = 200
    resolved = dict(values)  # names and keys as the IRIs they stand for, once known
    missing = [p.name for p in named.parameters if p.required and not values.get(p.name) and not p.default]
    try:
        if missing and not set(values) - set(missing):
            context["missing"] = missing  # a first visit: show the form, no error
        else:
            resolved = keys.resolved(named, values)
            context["text"] = named.bound_text(resolved)
            table = run_table(context["text"], backend().settings.max_rows)
            number, pages = _page(len(table.rows))
            labels = _labels()
            shown = table.rows[(number - 1) * HTML_ROWS:number * HTML_ROWS]
            given: dict[str, Any] = dict(values)
            context["table"] = {
                "columns": table.columns,
                "rows": [[cell_view(row.get(c), labels) for c in table.columns] for row in shown],
                "truncated": table.truncated, "kind": table.kind, "total": len(table.rows),
                "first": (number - 1) * HTML_ROWS + 1, "page": number, "pages": pages,
                "prev": url_for("named_queries.page", name=name, **given, _page=number - 1) if number > 1 else None,
                "next": url_for("named_queries.page", name=name, **given, _page=number + 1) if number < pages else None,
            }
    except queries.QueryError as error:
        context["error"], status = str(error), 400
    except QueryFailed as error:
        context["error"], status = str(error), error.status
    context["editor"] = editor_link(context["text"], context["query"].title)
    # the command line takes IRIs: the resolved values
    context["command"] = " ".join(["kamergraph", "query", named.name] + [
        f"--param {shlex.quote(f['name'] + '=' + resolved.get(f['name'], f['value']))}"
        for f in context["fields"] if f["value"]])
    return render_template("queries/query.html", **context), status


def _page(rows: int) -> tuple[int, int]:
    """The page of rows asked for (``_page``, from 1, kept within the pages there are) and how many."""
    pages = max(1, -(-rows // HTML_ROWS))
    try:
        number = int(request.args.get("_page", "1"))
    except ValueError:
        number = 1
    return min(max(1, number), pages), pages


def _labels() -> dict:
    """The names of the things the page index knows (none when it cannot be had)."""
    try:
        return page_index().entities
    except IndexUnavailable:
        return {}


@bp.get("/queries/<name>.<any(json, csv, rq):fmt>")
def twin(name: str, fmt: str):
    named = queries.published().get(name)
    if named is None:
        return _plain(404, f"There is no named query {name!r}; the list is at /queries.json.")
    try:
        values = keys.resolved(named, parameter_values())
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
        reply = cached_reply(Query(text, CSV_RESULTS, NTRIPLES, max_rows=limit))
        if (reply.status == 200 and reply.content_type.startswith(NTRIPLES.media_type)) or reply.status == 406:
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
            "parameters": {k: str(getattr(v, "value", v)) for k, v in named.bindings(values).items()},
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
