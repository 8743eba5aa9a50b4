"""``/store``: the SPARQL 1.1 Graph Store HTTP Protocol with indirect graph identification.

``?graph=IRI`` names a named graph, ``?default`` the store's own default graph (which holds only what
was put there: the union of all graphs is what queries see, not a graph one can write to).
GET and HEAD read without a token; PUT, POST and DELETE need the write token.
"""
from __future__ import annotations

import uuid

from flask import request
from werkzeug.exceptions import BadRequest, NotAcceptable, UnsupportedMediaType

from kamergraph.endpoint import web
from kamergraph.endpoint.negotiation import format_requests, negotiate_header
from kamergraph.endpoint.runtime.formats import GRAPH_INPUTS, GRAPHS, by_media_type, media_type_list
from kamergraph.endpoint.runtime.tasks import ReadGraph, WriteGraph
from kamergraph.endpoint.sparql import auth
from kamergraph.endpoint.sparql.protocol import protocol_blueprint
from kamergraph.endpoint.web import backend
from kamergraph.iris import Iris

bp = protocol_blueprint("graph_store", __name__, "GET, HEAD, OPTIONS")

_MISSING = object()


@bp.route("/store", methods=["GET", "PUT", "POST", "DELETE"])
def graph_store():
    if request.method in ("GET", "HEAD"):  # Flask routes HEAD here and drops the body
        return _read(_target(required=True))
    settings = backend().settings
    auth.require_writer(settings.write_token)
    target = _target(required=request.method != "POST")
    if request.method == "DELETE":
        return web.to_response(backend().write(WriteGraph("DELETE", target)), vary_accept=False)
    fmt = by_media_type(GRAPH_INPUTS, request.mimetype)
    if fmt is None:
        raise UnsupportedMediaType(
            f"Send the graph as {media_type_list(GRAPH_INPUTS)}, not {request.mimetype or 'no Content-Type'}."
        )
    location = None
    if target is _MISSING:  # POST to the store itself: a new graph with an IRI of our choosing
        target = Iris(settings.base_iri).posted_graph(str(uuid.uuid4()))
        location = target
    task = WriteGraph(request.method, target, request.get_data(), fmt)
    response = web.to_response(backend().write(task), vary_accept=False)
    if location and response.status_code == 201:
        response.headers["Location"] = location
    return response


def _read(target):
    fmt = negotiate_header(GRAPHS, request.headers.get("Accept"), format_requests(request.args))
    if fmt is None:
        raise NotAcceptable(f"Graphs are available as {media_type_list(GRAPHS)}.")
    return web.to_response(backend().query(ReadGraph(target, fmt)))


def _target(required: bool):
    """The graph IRI, None for the default graph, or _MISSING when neither is named."""
    graphs = request.args.getlist("graph")
    default = "default" in request.args
    if len(graphs) > 1 or (graphs and default):
        raise BadRequest("Name one graph: either ?graph=IRI or ?default.")
    if graphs:
        if not graphs[0]:
            raise BadRequest("The graph parameter is empty.")
        return graphs[0]
    if default:
        return None
    if required:
        raise BadRequest("Name the graph: ?graph=IRI for a named graph or ?default for the default graph.")
    return _MISSING
