"""The page of each kind of thing: the data a template needs, from the ``page-*.rq`` named queries
(what the store says about the one thing) and the page index (its questions, their counts).

Each builder takes an IRI and gives the template context, or None when the store knows nothing of
it (the view answers 404).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask import request

from kamergraph.endpoint.site import lists, schemaorg
from kamergraph.endpoint.site.addresses import href, iris, local_path
from kamergraph.endpoint.site.i18n import N_
from kamergraph.endpoint.site.page_queries import PageQuery, select, select_one
from kamergraph.endpoint.site.render import page_index, page_number
from kamergraph.indexes.pages import TERM_DAYS
from kamergraph.iris import key_of

QUESTIONS_SHOWN = 10  # questions listed on a thing's page; the full list is one link away
FACET_VALUES = 12  # values per facet on a thing's page
INCOMING_PAGE = 100  # incoming statements per page on the generic page


def sections(rows: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        out[str(row.get("section", ""))].append(row)
    return out


def kind_of(iri: str) -> str:
    """The kind of page for one of our IRIs: a thing's own, a graph's, or the generic one."""
    scheme = iris()
    kind = scheme.kind_of(iri)
    if kind in BUILDERS:
        return kind
    return "graph" if scheme.is_graph(iri) else "resource"


def _listing(filters: dict, facets: tuple, facet_limit: int | None = FACET_VALUES) -> lists.Listing:
    return lists.listing(page_index(), filters, size=QUESTIONS_SHOWN, path=request.script_root + "/questions",
                         facets=facets, facet_limit=facet_limit, keep_size=False)


def _by_date(rows: list[dict]) -> list[dict]:
    """Newest first by their start date (rows without one last), then by label or name."""
    return sorted(rows, key=lambda r: (str(r.get("from") or ""), str(r.get("label") or r.get("name") or "")),
                  reverse=True)


def _about(kind: str, iri: str) -> tuple[dict[str, list[dict]], dict] | None:
    """The sections of the ``page-KIND`` query for one thing and its own row (the first of section
    KIND); None when the store knows nothing of it."""
    parts = sections(select_one(PageQuery(f"page-{kind}", {kind: iri})))
    if not parts.get(kind):
        return None
    return parts, parts[kind][0]


def question(iri: str) -> dict | None:
    found = _about("question", iri)
    if found is None:
        return None
    parts, q = found
    answerers, addressees = _with_posts(parts.get("answerer", [])), _with_posts(parts.get("addressee", []))
    submitters = {row["position"]: row for row in parts.get("submitter", [])}
    refs: dict[int, list[int]] = defaultdict(list)
    for row in parts.get("reference", []):
        if row["refersTo"] not in refs[row["number"]]:
            refs[row["number"]].append(row["refersTo"])
    markers: dict[int, dict[str, list]] = defaultdict(lambda: {"question": [], "answer": []})
    for row in parts.get("marker", []):
        if row.get("marker") is not None:
            markers[row["number"]]["question"].append(row["marker"])
        if row.get("answerMarker") is not None:
            markers[row["number"]]["answer"].append(row["answerMarker"])
    subquestions = []
    for row in sorted(parts.get("subquestion", []), key=lambda r: r["number"]):
        n = row["number"]
        subquestions.append(dict(row, refersTo=sorted(refs.get(n, [])),
                                 markers=sorted(set(markers[n]["question"])) if n in markers else [],
                                 answerMarkers=sorted(set(markers[n]["answer"])) if n in markers else []))
    topics: list[dict] = []
    for row in parts.get("topic", []):
        if all(t["topic"] != row["topic"] for t in topics):
            topics.append(row)
    days = q.get("days")
    ordered_submitters = [submitters[k] for k in sorted(submitters)]
    ordered_answerers = [answerers[k] for k in sorted(answerers)]
    context = {
        "iri": iri, "q": q, "days": days, "over_term": days is not None and days > TERM_DAYS,
        "standing": standing(q, date.today()), "addressees": [addressees[k] for k in sorted(addressees)],
        "submitters": ordered_submitters, "answerers": ordered_answerers,
        "ministries": parts.get("ministry", []), "topics": topics, "subquestions": subquestions,
        "answered_count": sum(1 for s in subquestions if s.get("answerText")),
        "notices": sorted(parts.get("notice", []), key=lambda r: str(r.get("date"))),
        "footnotes": sorted(parts.get("footnote", []), key=lambda r: r["number"]),
        "documents": sorted(parts.get("document", []), key=lambda r: r["position"]),
        "flags": [r["text"] for r in parts.get("flag", [])], "graph": next(iter(parts.get("graph", [])), None),
    }
    context["jsonld"] = schemaorg.question(iri, q, submitters=ordered_submitters, answerers=ordered_answerers,
                                           topics=topics, subquestions=subquestions)
    return context


def _with_posts(rows: list[dict]) -> dict[int, dict]:
    """Answerers or addressees by position, each with the posts (and their ministries) named."""
    out: dict[int, dict] = {}
    for row in rows:
        entry = out.setdefault(row["position"], dict(row, posts=[]))
        if row.get("post") and all(p["post"] != row["post"] for p in entry["posts"]):
            entry["posts"].append({k: row.get(k) for k in ("post", "postLabel", "ministry", "ministryLabel")})
    return out


def standing(q: dict, day: date) -> dict:
    """Where a question stands on a day: status (open, overdue, answered, withdrawn), the deadline,
    and the days it has been open or took."""
    status = str(q.get("status") or ("answered" if q.get("answered") else "open"))
    deadline = str(q["deadline"]) if q.get("deadline") else None
    if status == "open" and deadline and deadline < day.isoformat():
        status = "overdue"
    days_open = (day - date.fromisoformat(str(q["submitted"]))).days if status in ("open", "overdue") else None
    late = (day - date.fromisoformat(deadline)).days if status == "overdue" and deadline else None
    weeks = (date.fromisoformat(deadline) - date.fromisoformat(str(q["submitted"]))).days // 7 if deadline else None
    return {"status": status, "deadline": deadline, "days_open": days_open, "days_late": late, "weeks": weeks}


def person(iri: str) -> dict | None:
    found = _about("person", iri)
    if found is None:
        return None
    parts, info = found
    key = key_of(iri)
    asked = _listing({"submitter": key}, (
        ("topic", N_("Topics they ask about")),
        ("ministry", N_("Ministries they ask")),
        ("submitter", N_("Asks together with")),
        ("year", N_("Year")),
    ), facet_limit=None)
    for facet in asked.facets:  # co-submitters: the others (linked to their pages; one submitter per list)
        if facet.dim == "submitter":
            facet.values = [v for v in facet.values if v.iri != iri]
            for value in facet.values:
                if value.iri is not None:
                    value.href = href(value.iri)
        facet.values = facet.values[:FACET_VALUES]
    asked.facets = [f for f in asked.facets if f.values]
    answered = _listing({"answerer": key}, (
        ("party", N_("Parties that asked")),
        ("ministry", N_("On behalf of")),
        ("topic", N_("Topics")),
        ("year", N_("Year")),
    ))
    same = [r["item"] for r in parts.get("same", [])]
    return {"iri": iri, "info": info, "name": info.get("name") or key, "same": same,
            "memberships": _by_date(parts.get("membership", [])), "tenures": _by_date(parts.get("tenure", [])),
            "asked": asked, "answered": answered, "jsonld": schemaorg.person(iri, info.get("name"), same),
            "answered_as": page_index().answered_as(iri)}


def party(iri: str) -> dict | None:
    found = _about("party", iri)
    if found is None:
        return None
    parts, info = found
    listing = _listing({"party": key_of(iri)}, (
        ("submitter", N_("Most active members")),
        ("ministry", N_("Ministries asked")),
        ("topic", N_("Topics")),
        ("year", N_("Year")),
        ("answered", N_("Answered")),
        ("term", N_("Answer time")),
    ))
    members = _by_date(parts.get("member", []))
    return {"iri": iri, "info": info, "name": info.get("label") or key_of(iri),
            "aliases": [r["label"] for r in parts.get("alias", [])], "members": members, "listing": listing,
            "jsonld": schemaorg.organization(iri, info.get("name") or info.get("label"), "PoliticalParty")}


def ministry(iri: str) -> dict | None:
    found = _about("ministry", iri)
    if found is None:
        return None
    parts, info = found
    listing = _listing({"ministry": key_of(iri)}, (
        ("post", N_("Answered in the posts")),
        ("answerer", N_("Answered by")),
        ("party", N_("Parties that asked")),
        ("topic", N_("Topics")),
        ("year", N_("Year")),
        ("term", N_("Answer time")),
    ))
    index = page_index()
    for facet in listing.facets:  # a joint answer also counts the other ministry's post: leave those out
        if facet.dim == "post":
            facet.values = [v for v in facet.values
                            if (entity := index.entities.get(v.iri)) is not None and entity.parent == iri]
    listing.facets = [f for f in listing.facets if f.values]
    matches = [r["item"] for r in parts.get("match", [])]
    return {"iri": iri, "info": info, "name": info.get("label") or key_of(iri), "matches": matches,
            "posts": parts.get("post", []), "listing": listing, "term": _term_stats(listing),
            "jsonld": schemaorg.organization(iri, info.get("label"), "GovernmentOrganization", matches)}


def post(iri: str) -> dict | None:
    found = _about("post", iri)
    if found is None:
        return None
    parts, info = found
    listing = _listing({"post": key_of(iri)}, (
        ("answerer", N_("Answered by")),
        ("party", N_("Parties that asked")),
        ("topic", N_("Topics")),
        ("year", N_("Year")),
        ("term", N_("Answer time")),
    ))
    return {"iri": iri, "info": info, "name": info.get("label") or key_of(iri),
            "holders": holders(parts.get("holder", []), page_index().answered_in(iri)), "listing": listing,
            "term": _term_stats(listing),
            "jsonld": schemaorg.organization(iri, info.get("label"), "Role")}


def holders(tenures: list[dict], answerers: list) -> list[dict]:
    """Who held a post: the reference's tenures (which end in 2019) and everyone who answered in it,
    with how many questions and the dates of the first and last answer; latest first."""
    by_person: dict[str, dict] = {}
    for row in tenures:
        entry = by_person.setdefault(row["item"], {"item": row["item"], "name": row.get("name"), "tenures": [],
                                                    "answered": 0, "first": None, "last": None})
        entry["tenures"].append((row.get("from"), row.get("until")))
    for person, count, span in answerers:
        entry = by_person.setdefault(person.iri, {"item": person.iri, "name": person.label, "tenures": []})
        entry.update(answered=count, first=span[0] if span else None, last=span[1] if span else None)
    for entry in by_person.values():
        entry["tenures"].sort(key=lambda t: str(t[0] or ""), reverse=True)
    return sorted(by_person.values(), key=lambda e: (str(e.get("last") or ""), str(e["tenures"][0][0] or "")
                                                     if e["tenures"] else ""), reverse=True)


def topic(iri: str) -> dict | None:
    found = _about("topic", iri)
    if found is None:
        return None
    parts, info = found
    key = key_of(iri)
    listing = _listing({"topic": key}, (
        ("party", N_("Parties that asked")),
        ("ministry", N_("Ministries that answered")),
        ("year", N_("Year")),
        ("answered", N_("Answered")),
        ("term", N_("Answer time")),
    ))
    index = page_index()
    within = index.select({"topic": key})
    narrower = []
    for row in parts.get("narrower", []):
        bits = index.bitmaps.get("topic", {}).get(row["item"], 0)
        narrower.append(dict(row, count=(within & bits).bit_count()))
    narrower.sort(key=lambda r: (-r["count"], str(r.get("label"))))
    matches = [r["item"] for r in parts.get("match", [])]
    broader = parts.get("broader", [])
    return {"iri": iri, "info": info, "name": info.get("label") or key, "matches": matches, "broader": broader,
            "narrower": narrower, "listing": listing,
            "jsonld": schemaorg.term(iri, info.get("label"), matches, broader[0]["item"] if broader else None)}


def _term_stats(listing: lists.Listing) -> dict:
    counts = {v.value: v.count for f in listing.facets if f.dim == "term" for v in f.values}
    return {"within": counts.get("within", 0), "over": counts.get("over", 0)}


def resource(iri: str) -> dict | None:
    """The generic page: label, types, outgoing statements grouped by predicate, incoming ones a page
    at a time."""
    page = page_number()
    rows, incoming = select(
        PageQuery("page-resource", {"iri": iri}),
        PageQuery("page-resource-incoming", {"iri": iri, "limit": str(INCOMING_PAGE),
                                             "offset": str((page - 1) * INCOMING_PAGE)}),
    )
    parts = sections(rows)
    out = parts.get("out", [])
    incoming_total = parts["incoming"][0].get("incoming", 0) if parts.get("incoming") else 0
    if not out and not incoming_total and not incoming:
        return None
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in out:
        grouped[row["p"]].append(row)
    label = _label(out)
    types = [row["o"] for row in grouped.get(RDF_TYPE, [])]
    pages = max(1, -(-min(incoming_total, 10_000) // INCOMING_PAGE))
    return {"iri": iri, "label": label, "types": types,
            "outgoing": sorted(grouped.items(), key=lambda kv: _predicate_order(kv[0])),
            "incoming": incoming, "incoming_total": incoming_total, "incoming_capped": incoming_total > 10_000,
            "page": page, "pages": pages, "INCOMING_PAGE": INCOMING_PAGE,
            "is_graph": (local_path(iri) or "").startswith("graph/"),
            "jsonld": schemaorg.thing(iri, label)}


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABELS = ("http://www.w3.org/2004/02/skos/core#prefLabel", "http://xmlns.com/foaf/0.1/name",
          "http://purl.org/dc/terms/title", "http://www.w3.org/2000/01/rdf-schema#label")


def _label(out: list[dict]) -> str | None:
    for predicate in LABELS:
        values = [r["o"] for r in out if r["p"] == predicate]
        english = [v for v in values if getattr(v, "lang", None) == "en"]
        if english or values:
            return str((english or values)[0])
    return None


def _predicate_order(predicate: str) -> tuple:
    if predicate == RDF_TYPE:
        return (0, predicate)
    if predicate in LABELS:
        return (1, predicate)
    return (2, predicate)


BUILDERS = {"question": question, "person": person, "party": party, "ministry": ministry, "post": post,
            "topic": topic, "graph": resource, "resource": resource}
TEMPLATES = {"question": "pages/question.html", "person": "pages/person.html", "party": "pages/party.html",
             "ministry": "pages/ministry.html", "post": "pages/post.html", "topic": "pages/topic.html",
             "graph": "pages/resource.html", "resource": "pages/resource.html"}
