"""``/id/persoon``: the directory of persons, members of the Tweede Kamer and members of the
cabinet, with party, periods and counts (``people``). The path is the common stem of every
person's IRI, so the directory is what that stem names, and a reader who shortens a person's
address lands on it.
"""
from __future__ import annotations

from flask import request
from pyoxigraph import Literal, NamedNode

from kamergraph.endpoint.site import people
from kamergraph.endpoint.site.addresses import with_query
from kamergraph.endpoint.site.render import page_blueprint, page_index, page_number, rdf_body, respond
from kamergraph.endpoint.site.representations import CSV, HTML_PAGE, JSON, LIST, alternates_by_parameter, choose
from kamergraph.endpoint.web import csv_body, json_body
from kamergraph.ontology.terms import FOAF, KG, RDF

bp = page_blueprint("directory", __name__, public=True)

ORDERS = ("name", "questions")
PAGE = 100  # persons a page shows; the CSV, JSON and RDF hold them all
CSV_HEADER = ["person", "name", "roles", "party", "asked", "addressed", "answered", "first", "last", "memberships",
              "posts"]


@bp.route("/id/persoon")
@bp.route("/id/persoon.<suffix>")
def persons(suffix: str | None = None):
    rep, by_accept = choose(LIST, suffix)
    index = page_index()
    every = people.directory(index)
    args = {name: request.args.get(name, "").strip() for name in ("q", "role", "party", "order")}
    role = args["role"] if args["role"] in people.ROLES else None
    order = args["order"] if args["order"] in ORDERS else ORDERS[0]
    shown = people.find(every, args["q"], role=role, party=args["party"] or None)
    if order == "questions":
        shown = sorted(shown, key=lambda p: (-p.questions, people.sort_name(p)))
    path = request.script_root + "/id/persoon"
    kept = {"q": args["q"] or None, "role": role, "party": args["party"] or None,
            "order": order if order != ORDERS[0] else None}
    here = with_query(path, kept)
    links = alternates_by_parameter(here, LIST)
    location = with_query(f"{path}.{rep.suffix}", dict(request.args))
    if rep is HTML_PAGE:
        counts = {r: sum(1 for p in people.find(every, args["q"], party=args["party"] or None) if r in p.roles)
                  for r in people.ROLES}
        parties = sorted({p.party for p in every if p.party is not None and (role is None or role in p.roles)},
                         key=lambda e: e.label.casefold())
        pages = max(1, -(-len(shown) // PAGE))
        page = min(page_number(), pages)
        window = shown[(page - 1) * PAGE:page * PAGE]
        context = {"people": window, "total": len(shown), "page": page, "pages": pages, "first": (page - 1) * PAGE + 1,
                   "args": args, "role": role, "order": order, "counts": counts, "parties": parties,
                   "href": lambda **changes: with_query(path, kept | changes),
                   "jsonld": _jsonld(request.host_url.rstrip("/") + here, window)}
        return respond(rep, by_accept, links, location, template="pages/persons.html", context=context)
    if rep is CSV:
        body = csv_body(CSV_HEADER, [_csv_row(p) for p in shown])
    elif rep is JSON:
        body = json_body({"total": len(shown), "persons": [_json_row(p) for p in shown]})
    else:
        body = rdf_body(_triples(shown), rep)
    return respond(rep, by_accept, links, location, body=body)


def _period(period: people.Period) -> str:
    return f"{period.item.label} {period.start or ''}–{period.end or ''}".strip()


def _csv_row(p: people.Person) -> list:
    return [p.iri, p.name, " ".join(p.roles), p.party.label if p.party else "", p.asked, p.addressed, p.answered,
            p.first or "", p.last or "", "; ".join(map(_period, p.memberships)), "; ".join(map(_period, p.tenures))]


def _json_row(p: people.Person) -> dict:
    def periods(items: list[people.Period]) -> list[dict]:
        return [{"iri": x.item.iri, "label": x.item.label, "from": x.start, "until": x.end} for x in items]

    return {"person": p.iri, "key": p.key, "name": p.name, "roles": list(p.roles),
            "party": {"iri": p.party.iri, "label": p.party.label} if p.party else None,
            "asked": p.asked, "addressed": p.addressed, "answered": p.answered, "first": p.first, "last": p.last,
            "memberships": periods(p.memberships), "posts": periods(p.tenures)}


def _triples(shown: list[people.Person]) -> list[tuple]:
    out: list[tuple] = []
    for p in shown:
        out += [(p.iri, RDF.type.value, NamedNode(KG.Person.value)), (p.iri, FOAF.name.value, Literal(p.name))]
    return out


def _jsonld(url: str, shown: list[people.Person]) -> dict:
    return {"@context": "https://schema.org", "@type": "ItemList", "url": url, "name": "Persons",
            "numberOfItems": len(shown),
            "itemListElement": [{"@type": "ListItem", "position": n, "item": {"@type": "Person", "@id": p.iri,
                                                                               "name": p.name}}
                                for n, p in enumerate(shown[:100], start=1)]}
