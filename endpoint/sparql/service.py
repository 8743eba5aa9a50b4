"""``/sparql``: the SPARQL 1.1 Protocol, the service description and the query editor."""
from __future__ import annotations

from flask import current_app, render_template, request, url_for
from werkzeug.exceptions import NotAcceptable

from kamergraph import queries
from kamergraph.endpoint import web
from kamergraph.endpoint.negotiation import format_requests, negotiate, plain_types
from kamergraph.endpoint.runtime.formats import GRAPHS, HTML, SOLUTIONS, media_type_list
from kamergraph.endpoint.runtime.tasks import Query, Update
from kamergraph.endpoint.site.i18n import chosen_language
from kamergraph.endpoint.sparql import auth
from kamergraph.endpoint.sparql.description import service_description
from kamergraph.endpoint.sparql.protocol import protocol_blueprint, read_operation
from kamergraph.endpoint.web import backend

FIRST_EXAMPLE = "dataset-counts"  # the query a new editor tab starts with: short, and shows the data

bp = protocol_blueprint("sparql", __name__, "GET, HEAD, POST, OPTIONS")


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    operation = read_operation(request)
    settings = backend().settings
    if operation is None:
        return _description()
    if operation.update is not None:
        auth.require_writer(settings.write_token)
        # Relative IRIs resolve against the base IRI of the site: <id/kamervraag/Z> is the question.
        update = Update(operation.update, base_iri=settings.base_iri)
        return web.to_response(backend().write(update), vary_accept=False)
    assert operation.query is not None  # an operation is an update or a query
    accept = request.accept_mimetypes
    task = Query(
        sparql=operation.query,
        solutions_format=negotiate(SOLUTIONS, accept, operation.format_requests),
        graph_format=negotiate(GRAPHS, accept, operation.format_requests),
        default_graphs=operation.default_graphs,
        named_graphs=operation.named_graphs,
        accept=request.headers.get("Accept", ""),
        base_iri=settings.base_iri,
    )
    return web.to_response(backend().query(task))


def _description():
    """The service description in RDF, or the query editor for a browser."""
    requested = format_requests(request.args)
    fmt = negotiate(GRAPHS, request.accept_mimetypes, requested)
    if not requested and request.accept_mimetypes:
        offers = [t for f in GRAPHS for t in f.media_types] + [HTML]
        if plain_types(request.accept_mimetypes).best_match(offers) == HTML:
            return _editor()
    if fmt is None:
        raise NotAcceptable(f"The service description is available as {media_type_list(GRAPHS)} and {HTML}.")
    return web.to_response(service_description(backend().settings, fmt))


def _editor():
    shown = [q.in_language(chosen_language()) for q in queries.published().values()]
    examples = [  # a tooltip shows no code: the backticks around names go
        {"name": q.name, "title": q.title, "description": q.description.replace("`", ""), "query": example_text(q)}
        for q in shown
    ]
    names = [e["name"] for e in examples]
    response = current_app.make_response(
        render_template(
            "sparql/editor.html",
            endpoint=url_for("sparql.endpoint", _external=True),
            examples=examples,
            first=names.index(FIRST_EXAMPLE) if FIRST_EXAMPLE in names else 0,
        )
    )
    response.vary.add("Accept")
    return response


def example_text(named: queries.NamedQuery) -> str:
    """A named query as an editor example: defaults filled in, other parameters left open (their
    ``VALUES ?x { UNDEF }`` placeholders stay, for the user to fill in)."""
    try:
        return named.bound_text({})
    except queries.QueryError:  # a required parameter: show the query as written
        return named.text
