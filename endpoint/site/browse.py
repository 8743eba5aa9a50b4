"""The browse pages that are not about one IRI: the home page, the list of questions with facets and
the full-text search. Each answers in HTML or, by suffix, parameter or Accept header, as RDF (and
the lists as CSV and JSON).
"""
from __future__ import annotations

from flask import abort, request

from kamergraph.endpoint.site import finding, lists, people, schemaorg
from kamergraph.endpoint.site.addresses import with_query
from kamergraph.endpoint.site.render import page_blueprint, page_index, page_number, page_size, rdf_body, respond
from kamergraph.endpoint.site.representations import (
    CSV,
    HTML_PAGE,
    JSON,
    LIST,
    THING,
    alternates,
    alternates_by_parameter,
    choose,
)
from kamergraph.endpoint.web import backend, csv_body, json_body
from kamergraph.indexes.search import SearchIndex, SearchTimeout, index_path_for

bp = page_blueprint("browse", __name__, public=True)
bp.add_app_template_filter(finding.status, "status")  # where a listed question stands today

HOME_LIST = 10  # recent questions and submitters on the home page
SEARCH_SECONDS = 10.0  # a search past this (or the query time limit, when shorter) is stopped: 503


def _absolute(path: str) -> str:
    return request.host_url.rstrip("/") + path


@bp.route("/")
@bp.route("/index.<suffix>")
def home(suffix: str | None = None):
    rep, by_accept = choose(THING, suffix)
    index = page_index()
    root = request.script_root
    links = alternates(root + "/index", THING)
    everything = index.select({})
    recent = index.rows(index.window(everything, 0, HOME_LIST))
    if rep is not HTML_PAGE:  # the home page's data: the dataset's description and the recent questions
        from kamergraph.endpoint.site.void import description

        return respond(rep, by_accept, links, f"{root}/index.{rep.suffix}",
                       body=rdf_body(description() + lists.triples(recent), rep))
    answered = index.bitmaps.get("answered", {}).get("yes", 0).bit_count()
    over = index.bitmaps.get("term", {}).get("over", 0).bit_count()
    submitters = index.counts("submitter", everything)[:HOME_LIST]
    parties = index.bitmaps.get("party", {})
    # Each with the parties printed for her on her own questions (most first), never a co-submitter's.
    active = [(index.entity_of(person_iri), count, [party for party, _ in index.parties_of(person_iri)])
              for person_iri, count in submitters]
    counts = {
        "questions": index.size, "answered": answered, "unanswered": index.size - answered, "over_term": over,
        "overdue": index.overdue().bit_count(),
        "submitters": len(index.bitmaps.get("submitter", {})), "answerers": len(index.bitmaps.get("answerer", {})),
        "parties": len(parties), "ministries": len(index.bitmaps.get("ministry", {})),
        "topics": len(index.bitmaps.get("topic", {})),
    }
    facets = {dim: [(index.entities[v], n) for v, n in index.counts(dim, everything) if v in index.entities]
              for dim in ("party", "ministry", "topic")}
    themes = [(t, n) for t, n in facets["topic"] if not t.parent]
    context = {"counts": counts, "recent": recent, "active": active, "parties": facets["party"],
               "ministries": facets["ministry"], "themes": themes,
               "jsonld": schemaorg.dataset(_absolute(root + "/"), counts)}
    return respond(rep, by_accept, links, f"{root}/index.html", template="pages/home.html", context=context)


@bp.route("/questions")
@bp.route("/questions.<suffix>")
def questions(suffix: str | None = None):
    rep, by_accept = choose(LIST, suffix)
    index = page_index()
    path = request.script_root + "/questions"
    filters = people.resolved(index, lists.filters_from_args())
    result = lists.listing(index, filters, page=page_number(), size=page_size(rep), order=lists.order_from_args(),
                           path=path)
    here = result.href(page=result.page if result.page > 1 else None)
    links = alternates_by_parameter(here, LIST)
    location = with_query(f"{path}.{rep.suffix}", dict(request.args))
    if rep is HTML_PAGE:
        return respond(rep, by_accept, links, location, template="pages/questions.html",
                       context={"listing": result, "jsonld": schemaorg.item_list(result.rows, _absolute(here))})
    return respond(rep, by_accept, links, location, body=_list_body(rep, result))


def _list_body(rep, result: lists.Listing) -> bytes:
    if rep is CSV:
        return csv_body(lists.CSV_HEADER, lists.csv_rows(result.rows))
    if rep is JSON:
        return json_body(lists.json_document(result, _absolute))
    return rdf_body(lists.triples(result.rows), rep)


@bp.route("/search")
@bp.route("/search.<suffix>")
def search(suffix: str | None = None):
    rep, by_accept = choose(LIST, suffix)
    text = request.args.get("q", "").strip()
    index = page_index()
    path = request.script_root + "/search"
    filters = people.resolved(index, lists.filters_from_args())
    settings = backend().settings
    search_index = SearchIndex(index_path_for(settings.store), read_only=True)
    limit = min(SEARCH_SECONDS, settings.query_timeout)
    try:
        found = finding.find(index, search_index, text, filters, page=page_number(), size=page_size(rep),
                             order=lists.order_from_args(orders=finding.ORDERS), path=path,
                             directory=people.directory(index) if rep is HTML_PAGE and text else None,
                             time_limit=limit)
    except SearchTimeout:
        abort(503, f"The search ran longer than its time limit of {limit:g} s; try more or other words.")
    finally:
        search_index.close()
    result = found.listing
    here = result.href(page=result.page if result.page > 1 else None)
    links = alternates_by_parameter(here, LIST)
    location = with_query(f"{path}.{rep.suffix}", dict(request.args))
    if rep is HTML_PAGE:
        context = {"found": found, "listing": result, "q": text,
                   "jsonld": schemaorg.search_page(_absolute(here), text, result.rows)}
        return respond(rep, by_accept, links, location, template="pages/search.html", context=context)
    if rep is CSV:
        body = csv_body([*lists.CSV_HEADER, "snippet"],
                        [[*row, found.plain(r.iri)]
                         for r, row in zip(result.rows, lists.csv_rows(result.rows), strict=True)])
    elif rep is JSON:
        document = lists.json_document(result, _absolute)
        hits = [entry | {"snippet": found.plain(entry["question"])} for entry in document.pop("questions")]
        body = json_body({"q": text, "ranked": found.ranked, **document, "hits": hits})
    else:
        body = rdf_body(lists.triples(result.rows), rep)
    return respond(rep, by_accept, links, location, body=body)


