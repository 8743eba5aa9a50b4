"""The SPARQL 1.1 Protocol's side of HTTP: how its blueprints answer, and reading a request (which
operation, on which dataset, in which format).

Query by GET ``?query=``, by POST form or by POST ``application/sparql-query`` (dataset in the URL);
update by POST form ``update=`` or by POST ``application/sparql-update``, its ``using-graph-uri`` and
``using-named-graph-uri`` written into it as USING clauses. Parameters that clients
add and the protocol does not know (``timeout``, ``output``...) are ignored.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from kamergraph.endpoint import security, web
from kamergraph.endpoint.negotiation import format_requests
from kamergraph.graph.keywords import with_using

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"


def protocol_blueprint(name: str, import_name: str, methods: str) -> Blueprint:
    """A blueprint that answers as SPARQL clients expect: errors as plain text (clients show the
    body as it is), the query string capped like the body, and any origin may read (writes excepted)
    with ``methods`` allowed in a preflight."""
    blueprint = Blueprint(name, import_name)
    web.handle_errors(blueprint, web.plain_error)
    blueprint.before_request(web.limit_url_length)
    security.allow_cross_origin(blueprint, methods=methods, request_headers="Accept, Content-Type",
                                expose=f"{web.TRUNCATED}, Content-Length, Content-Type")
    return blueprint


@dataclass(frozen=True)
class Operation:
    query: str | None = None
    update: str | None = None
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    format_requests: tuple[str, ...] = ()


def read_operation(request) -> Operation | None:
    """The operation a request asks for; None for a GET without a query (the service description)."""
    if request.method in ("GET", "HEAD"):
        if "update" in request.args:
            raise BadRequest("SPARQL Update needs POST (SPARQL 1.1 Protocol, section 2.2).")
        if "query" not in request.args:
            return None
        return _query(_single(request.args, "query"), request.args, request.args)
    mimetype = request.mimetype
    _require_utf8(request)
    if mimetype == FORM:
        form = request.form
        has_query, has_update = "query" in form, "update" in form
        if has_query and has_update:
            raise BadRequest("A request carries either query= or update=, not both.")
        # The protocol puts the other parameters in the form too; clients that put them in the
        # URL instead must not get an answer over another dataset without a word.
        params = MultiDict([*form.items(multi=True), *request.args.items(multi=True)])
        if has_update:
            return _update(_single(form, "update"), params)
        if has_query:
            return _query(_single(form, "query"), params, params)
        raise BadRequest("The form has neither query= nor update=.")
    if mimetype == QUERY:
        return _query(_body(request), request.args, request.args)
    if mimetype == UPDATE:
        return _update(_body(request), request.args)
    raise UnsupportedMediaType(
        f"POST to the SPARQL endpoint takes {FORM}, {QUERY} or {UPDATE}, not {mimetype or 'no Content-Type'}."
    )


def _query(text: str, params: MultiDict, format_params: MultiDict) -> Operation:
    """``params`` carry the dataset; ``format_params`` the client's format wishes."""
    default = params.getlist("default-graph-uri")
    named = params.getlist("named-graph-uri")
    dataset_given = bool(default or named)
    # A dataset named by the protocol replaces the whole dataset (and any FROM in the query); a
    # kind of graph it leaves out is empty (SPARQL 1.1 Protocol 2.1.4).
    return Operation(
        query=text,
        default_graphs=tuple(default) if dataset_given else None,
        named_graphs=tuple(named) if dataset_given else None,
        format_requests=format_requests(format_params),
    )


def _update(text: str, params: MultiDict) -> Operation:
    graphs, named = params.getlist("using-graph-uri"), params.getlist("using-named-graph-uri")
    if graphs or named:
        try:
            text = with_using(text, graphs, named)
        except ValueError as error:
            raise BadRequest(f"using-graph-uri, using-named-graph-uri: {error}.") from error
    return Operation(update=text)


def _single(params: MultiDict, name: str) -> str:
    values = params.getlist(name)
    if len(values) != 1:
        raise BadRequest(f"Exactly one {name}= parameter is allowed, not {len(values)}.")
    if not values[0].strip():
        raise BadRequest(f"The {name}= parameter is empty.")
    return values[0]


def _require_utf8(request) -> None:
    """SPARQL is UTF-8 (Protocol 2.1.2, 2.2.2): a body declared in another charset is refused before
    anything runs, not decoded and run."""
    charset = request.mimetype_params.get("charset")
    if charset is not None and charset.strip().lower() not in ("utf-8", "utf8"):
        raise BadRequest(f"The request body must be UTF-8, not {charset}.")


def _body(request) -> str:
    try:
        text = request.get_data().decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadRequest(f"The request body is not UTF-8: {error}") from error
    if not text.strip():
        raise BadRequest("The request body is empty.")
    return text
