"""Lists of questions with facets, from the page index: what /questions shows, and the question
lists and counts on the pages of persons, parties, ministries, posts and topics.

A list is named by its filters (``party=sp&year=2021&answered=no``: the keys of the URL); every
facet value links to the same list with one more (or one other) choice, and its count is the number
of questions that choice would leave, so the counts follow each choice.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import request
from pyoxigraph import NamedNode

from kamergraph.endpoint.site.addresses import with_query
from kamergraph.endpoint.site.i18n import N_
from kamergraph.indexes.pages import DIMS, ENTITY_DIMS, PageIndex, Row
from kamergraph.ontology.terms import DCTERMS, KG, RDF, XSD

# The facets /questions shows, in order, with their headings.
FACETS = (("party", N_("Party")), ("ministry", N_("Ministry")), ("topic", N_("Topic")), ("year", N_("Year")),
          ("status", N_("Status")), ("answered", N_("Answered")), ("term", N_("Answer time")),
          ("submitter", N_("Asked by")), ("answerer", N_("Answered by")))
VALUE_LABELS = {
    ("answered", "yes"): N_("answered"), ("answered", "no"): N_("not answered yet"),
    ("term", "within"): N_("answered within three weeks"), ("term", "over"): N_("answered after more than three weeks"),
    ("status", "open"): N_("open"), ("status", "overdue"): N_("overdue"), ("status", "answered"): N_("answered"),
    ("status", "withdrawn"): N_("withdrawn"),
}
DIM_TITLES = dict(FACETS) | {"post": N_("Cabinet post"), "addressee": N_("Put to"), "addressed": N_("Ministry put to")}
ORDERS = ("newest", "oldest")
DEFAULT_SIZE = 20
# Values a facet lists at most, most questions first: thousands of persons ask and answer, and a
# reader looking for one types her name (in the form above the list, or in a search).
FACET_VALUES = {"submitter": 30, "answerer": 30}


@dataclass
class FacetValue:
    value: str  # as in the URL
    label: str
    count: int
    href: str
    selected: bool = False
    iri: str | None = None


@dataclass
class Facet:
    dim: str
    title: str
    values: list[FacetValue]


@dataclass
class Chosen:
    dim: str
    title: str
    label: str
    remove_href: str
    iri: str | None = None
    known: bool = True


@dataclass
class Listing:
    filters: dict[str, str]
    order: str
    total: int
    page: int
    size: int
    rows: list[Row]
    facets: list[Facet] = field(default_factory=list)
    chosen: list[Chosen] = field(default_factory=list)
    path: str = ""
    keep_size: bool = True  # links keep a size other than the default (lists); thing pages link to full lists
    extra: dict[str, str] = field(default_factory=dict)  # parameters every link keeps (a search's q=)
    default_order: str = "newest"  # the order links leave unsaid

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:
        return (self.page - 1) * self.size + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.total, self.page * self.size)

    def href(self, **changes) -> str:
        """This list with some parameters changed (None removes one); the page resets unless given."""
        params = dict(self.extra) | dict(self.filters)
        if self.order != self.default_order:
            params["order"] = self.order
        if self.keep_size and self.size != DEFAULT_SIZE:
            params["size"] = str(self.size)
        if "page" not in changes:
            changes["page"] = None
        for name, value in changes.items():
            if value is None:
                params.pop(name, None)
            else:
                params[name] = str(value)
        if params.get("page") == "1":
            del params["page"]
        return with_query(self.path, _ordered(params))


def _ordered(params: dict) -> dict:
    keys = (["q"] if "q" in params else []) + [d for d in DIMS if d in params] + [
        k for k in ("order", "page", "size", "format") if k in params]
    return {k: params[k] for k in keys}


def filters_from_args(args=None) -> dict[str, str]:
    args = request.args if args is None else args
    return {dim: args[dim].strip() for dim in DIMS if args.get(dim, "").strip()}


def order_from_args(args=None, orders: tuple[str, ...] = ORDERS) -> str:
    """The order the URL asks for, if it is one of ``orders``; else the first of them."""
    args = request.args if args is None else args
    order = args.get("order", orders[0])
    return order if order in orders else orders[0]


def value_label(index: PageIndex, dim: str, value: str) -> tuple[str, str | None, bool]:
    """(label, IRI or None, whether the value is known) of a facet value as it appears in a URL."""
    if dim in ENTITY_DIMS:
        entity = index.entity(ENTITY_DIMS[dim], value)
        return (entity.label, entity.iri, True) if entity else (value, None, False)
    if (dim, value) in VALUE_LABELS:
        return VALUE_LABELS[dim, value], None, True
    return value, None, index.bits_for(dim, value) is not None


def listing(index: PageIndex, filters: dict[str, str], *, page: int = 1, size: int = 20, order: str = "newest",
            path: str = "", facets: tuple = FACETS, facet_limit: int | None = None,
            keep_size: bool = True, within: int | None = None, ranking: list[int] | None = None,
            extra: dict[str, str] | None = None, default_order: str = "newest") -> Listing:
    """One page of the questions matching ``filters`` (and among ``within``, when given), with the
    counts of each facet's values. Newest or oldest first; in the order of ``ranking`` (question
    numbers, best first) when it is given."""
    bits = index.select(filters)
    if within is not None:
        bits &= within
    total = bits.bit_count()
    page = min(page, max(1, -(-total // size)))
    if ranking is not None:
        ids = [i for i in ranking if bits >> i & 1][(page - 1) * size:page * size] if bits else []
    else:
        ids = index.window(bits, (page - 1) * size, size, newest_first=(order != "oldest"))
    result = Listing(filters, order, total, page, size, index.rows(ids), path=path, keep_size=keep_size,
                     extra=dict(extra or {}), default_order=default_order)
    for dim, value in filters.items():
        label, iri, known = value_label(index, dim, value)
        result.chosen.append(Chosen(dim, DIM_TITLES.get(dim, dim), label, result.href(**{dim: None}), iri, known))
    for dim, title in facets:
        values = []
        for value, count in index.counts(dim, bits, filters):
            entity = index.entities.get(value)
            key = entity.key if entity else value
            label = entity.label if entity else VALUE_LABELS.get((dim, value), value)
            values.append(FacetValue(key, label, count, result.href(**{dim: key}), filters.get(dim) == key,
                                     entity.iri if entity else None))
        limit = facet_limit if facet_limit is not None else FACET_VALUES.get(dim)
        if limit is not None:
            values = values[:limit]
        if values:
            result.facets.append(Facet(dim, title, values))
    return result


# -- machine twins -----------------------------------------------------------------------------

CSV_HEADER = ["question", "zaak", "title", "submitted", "answered", "days", "submitters", "parties",
              "answerers", "ministries", "topics"]


def csv_rows(rows: list[Row]) -> list[list]:
    return [
        [r.iri, r.zaak, r.title, r.submitted, r.answered, r.days,
         "; ".join(p.label for p, _ in r.submitters),
         "; ".join(party.label if party else "" for _, party in r.submitters),
         "; ".join(p.label for p, _ in r.answerers),
         "; ".join(m.label for m in r.ministries),
         "; ".join(t.label for t in r.topics)]
        for r in rows
    ]


def json_row(r: Row) -> dict:
    return {
        "question": r.iri, "zaak": r.zaak, "title": r.title, "submitted": r.submitted, "answered": r.answered,
        "days": r.days, "overTerm": r.over_term, "deadline": r.deadline, "status": r.status_on(date.today()),
        "withinTerm": r.within_term,
        "submitters": [{"person": p.iri, "name": p.label, "party": party.iri if party else None,
                        "partyLabel": party.label if party else None} for p, party in r.submitters],
        "answerers": [{"person": p.iri, "name": p.label, "posts": [{"post": x.iri, "label": x.label} for x in posts]}
                      for p, posts in r.answerers],
        "ministries": [{"ministry": m.iri, "label": m.label} for m in r.ministries],
        "topics": [{"topic": t.iri, "label": t.label} for t in r.topics],
        "addressees": [{"person": p.iri, "name": p.label, "posts": [{"post": x.iri, "label": x.label} for x in posts]}
                       for p, posts in r.addressees],
    }


def json_document(result: Listing, absolute) -> dict:
    return {
        "total": result.total, "page": result.page, "pages": result.pages, "size": result.size,
        "order": result.order, "filters": result.filters,
        "next": absolute(result.href(page=result.page + 1, format="json")) if result.page < result.pages else None,
        "questions": [json_row(r) for r in result.rows],
        "facets": {f.dim: [{"value": v.value, "label": v.label, "count": v.count, "iri": v.iri} for v in f.values]
                   for f in result.facets},
    }


def triples(rows: list[Row]) -> list[tuple]:
    """The listed questions as RDF, in the terms the store uses."""
    from pyoxigraph import Literal

    out = []
    for r in rows:
        q = r.iri
        out += [
            (q, RDF.type.value, NamedNode(KG.WrittenQuestion.value)),
            (q, KG.zaakNumber.value, Literal(r.zaak)),
            (q, DCTERMS.title.value, Literal(r.title)),
            (q, DCTERMS.dateSubmitted.value, Literal(r.submitted, datatype=XSD.date)),
        ]
        if r.answered:
            out.append((q, KG.dateAnswered.value, Literal(r.answered, datatype=XSD.date)))
        if r.days is not None:
            out.append((q, KG.daysTaken.value, Literal(str(r.days), datatype=XSD.integer)))
        for position, (person, _) in enumerate(r.submitters, start=1):
            predicate = KG.mainSubmitter if position == 1 else KG.coSubmitter
            out.append((q, predicate.value, NamedNode(person.iri)))
        for person, _ in r.answerers:
            out.append((q, KG.answeredBy.value, NamedNode(person.iri)))
        for m in r.ministries:
            out.append((q, KG.answeringMinistry.value, NamedNode(m.iri)))
        for t in r.topics:
            out.append((q, DCTERMS.subject.value, NamedNode(t.iri)))
    return out
