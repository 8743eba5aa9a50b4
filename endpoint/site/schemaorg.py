"""schema.org descriptions of the pages, embedded in their head as JSON-LD
(``<script type="application/ld+json">``: data, which browsers do not run; written with Flask's
``tojson``, which escapes ``<``, ``>`` and ``&`` so no text can close the element)."""
from __future__ import annotations

CONTEXT = "https://schema.org"


def _clean(value):
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v not in (None, [], "")}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def dataset(url: str, counts: dict) -> dict:
    return _clean({
        "@context": CONTEXT, "@type": "Dataset", "@id": url, "url": url,
        "name": "kamergraph: Dutch parliamentary written questions",
        "description": "Written questions (Kamervragen) of the Tweede Kamer as linked data: who asked whom about "
                       "what, and how it was answered.",
        "inLanguage": "nl", "license": "https://creativecommons.org/licenses/by/4.0/",
        "variableMeasured": [{"@type": "PropertyValue", "name": name, "value": value}
                             for name, value in counts.items()],
    })


def item_list(rows, url: str) -> dict:
    return {
        "@context": CONTEXT, "@type": "ItemList", "url": url, "numberOfItems": len(rows),
        "itemListElement": [
            {"@type": "ListItem", "position": n, "item": {"@type": "Question", "@id": r.iri, "name": r.title,
                                                          "dateCreated": r.submitted}}
            for n, r in enumerate(rows, start=1)
        ],
    }


def question(iri: str, q: dict, *, submitters: list, answerers: list, topics: list, subquestions: list) -> dict:
    return _clean({
        "@context": CONTEXT, "@type": "Question", "@id": iri, "name": q.get("title"),
        "identifier": q.get("zaak"), "dateCreated": q.get("submitted"), "inLanguage": "nl",
        "author": [{"@type": "Person", "@id": s["item"], "name": s.get("name") or s.get("printedName"),
                    "memberOf": {"@type": "Organization", "@id": s["party"], "name": s.get("partyLabel")}
                    if s.get("party") else None} for s in submitters],
        "about": [{"@type": "DefinedTerm", "@id": t["topic"], "name": t.get("label")} for t in topics],
        "answerCount": sum(1 for s in subquestions if s.get("answerText")),
        "hasPart": [{"@type": "Question", "@id": s["item"], "position": s.get("number")} for s in subquestions],
        "recipient": [{"@type": "Person", "@id": a["item"], "name": a.get("name") or a.get("printedName")}
                      for a in answerers],
    })


def person(iri: str, name: str | None, same_as: list) -> dict:
    return _clean({"@context": CONTEXT, "@type": "Person", "@id": iri, "name": name, "sameAs": same_as})


def organization(iri: str, name: str | None, kind: str = "Organization", same_as=()) -> dict:
    return _clean({"@context": CONTEXT, "@type": kind, "@id": iri, "name": name, "sameAs": list(same_as)})


def term(iri: str, name: str | None, same_as=(), broader: str | None = None) -> dict:
    return _clean({"@context": CONTEXT, "@type": "DefinedTerm", "@id": iri, "name": name, "sameAs": list(same_as),
                   "inDefinedTermSet": broader})


def thing(iri: str, name: str | None) -> dict:
    return _clean({"@context": CONTEXT, "@type": "Thing", "@id": iri, "name": name})


def search_page(url: str, query: str, hits) -> dict:
    return _clean({
        "@context": CONTEXT, "@type": "SearchResultsPage", "url": url,
        "name": f"Search: {query}" if query else "Search",
        "mainEntity": {"@type": "ItemList", "numberOfItems": len(hits), "itemListElement": [
            {"@type": "ListItem", "position": n, "item": {"@type": "Question", "@id": h.iri, "name": h.title}}
            for n, h in enumerate(hits, start=1)]},
    })
