"""The browse pages that are not about one IRI: the home page, the list of questions with facets and
the full-text search. Each answers in HTML or, by suffix, parameter or Accept header, as RDF (and
the lists as CSV and JSON).
"""
from __future__ import annotations

from flask import abort, request
from markupsafe import Markup, escape
from pyoxigraph import Literal, NamedNode

from kamergraph.endpoint.site import lists, schemaorg
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
from kamergraph.indexes.search import Matches, SearchIndex, SearchTimeout, index_path_for
from kamergraph.ontology.terms import DCTERMS, KG, RDF, XSD

bp = page_blueprint("browse", __name__, public=True)

HOME_LIST = 10  # recent questions and submitters on the home page
# Ranking every match by BM25 costs time in proportion to the number of matches, and a common word
# matches much of the store: beyond this many a search lists the most recently indexed first (a
# broad search, where the page says so and more words narrow it).
RANK_LIMIT = 2000
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
    active = []
    for person_iri, count in submitters:
        person_bits = index.bitmaps["submitter"][person_iri]
        party = max(parties, key=lambda p: (parties[p] & person_bits).bit_count(), default=None)
        if party is not None and not parties[party] & person_bits:
            party = None
        active.append((index._entity(person_iri), count,
                       index.entities.get(party) if party else None))
    counts = {
        "questions": index.size, "answered": answered, "unanswered": index.size - answered, "over_term": over,
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
    result = lists.listing(index, lists.filters_from_args(), page=page_number(), size=page_size(rep),
                           order=lists.order_from_args(), path=path)
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
    page, size = page_number(), page_size(rep)
    total, hits, ranked = _find(text, limit=size, offset=(page - 1) * size)
    path = request.script_root + "/search"
    here = with_query(path, {"q": text, "page": page if page > 1 else None})
    links = alternates_by_parameter(here, LIST)
    location = with_query(f"{path}.{rep.suffix}", dict(request.args))
    pages = max(1, -(-total // size))
    if rep is HTML_PAGE:
        context = {
            "q": text, "total": total, "page": page, "pages": pages, "size": size, "ranked": ranked,
            "hits": [(hit, highlight(hit.snippet)) for hit in hits],
            "prev_href": with_query(path, {"q": text, "page": page - 1 if page > 2 else None}) if page > 1 else None,
            "next_href": with_query(path, {"q": text, "page": page + 1}) if page < pages else None,
            "jsonld": schemaorg.search_page(_absolute(here), text, hits),
        }
        return respond(rep, by_accept, links, location, template="pages/search.html", context=context)
    if rep is CSV:
        body = csv_body(["question", "zaak", "submitted", "title", "snippet"],
                        [[h.iri, h.zaak, h.submitted, h.title, plain(h.snippet)] for h in hits])
    elif rep is JSON:
        body = json_body({"q": text, "total": total, "page": page, "pages": pages, "size": size, "ranked": ranked,
                          "hits": [{"question": h.iri, "zaak": h.zaak, "submitted": h.submitted, "title": h.title,
                                    "snippet": plain(h.snippet)} for h in hits]})
    else:
        triples = []
        for h in hits:
            triples += [(h.iri, RDF.type.value, NamedNode(KG.WrittenQuestion.value)),
                        (h.iri, KG.zaakNumber.value, Literal(h.zaak)),
                        (h.iri, DCTERMS.title.value, Literal(h.title))]
            if h.submitted:
                triples.append((h.iri, DCTERMS.dateSubmitted.value, Literal(h.submitted, datatype=XSD.date)))
        body = rdf_body(triples, rep)
    return respond(rep, by_accept, links, location, body=body)


def _find(text: str, *, limit: int, offset: int) -> Matches:
    if not text:
        return Matches(0, [], True)
    settings = backend().settings
    index = SearchIndex(index_path_for(settings.store), read_only=True)
    try:
        return index.find(text, limit=limit, offset=offset, rank_limit=RANK_LIMIT,
                          time_limit=min(SEARCH_SECONDS, settings.query_timeout))
    except SearchTimeout:
        abort(503, f"The search ran longer than its time limit of {min(SEARCH_SECONDS, settings.query_timeout):g} s; "
                   "try more or other words.")
    finally:
        index.close()


def highlight(snippet: str) -> Markup:
    """A search snippet, escaped, with the matched words (between \\x02 and \\x03) in <mark>."""
    return Markup(str(escape(snippet)).replace("\x02", "<mark>").replace("\x03", "</mark>"))


def plain(snippet: str) -> str:
    return snippet.replace("\x02", "").replace("\x03", "")

