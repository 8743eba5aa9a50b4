"""``/open``: the questions still open, like the Tweede Kamer's Monday list of overdue answers.

Overdue questions first, the most overdue on top, then the open ones by their deadline; beside
them how many each minister, ministry and party has open and overdue. Filters are the keys of
``/questions`` (``party=sp``, ``addressee=PERSON``, ``addressed=mnre1090``, ``topic=...``); ``on=``
asks about another day than today. ``/open.atom`` is the feed of the overdue questions (with
ETag and Last-Modified, so a reader's conditional GET costs nothing), ``/open.json`` the data.
Everything comes from the page index.
"""
from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta

from flask import Response, render_template, request
from markupsafe import escape

from kamergraph.endpoint.site import lists
from kamergraph.endpoint.site.addresses import with_query
from kamergraph.endpoint.site.i18n import N_
from kamergraph.endpoint.site.render import page_blueprint, page_index, page_number
from kamergraph.endpoint.web import json_body
from kamergraph.indexes.pages import PageIndex, Row

bp = page_blueprint("open_questions", __name__, public=True)

PAGE = 50
FILTERS = ("party", "addressee", "addressed", "ministry", "topic", "submitter")
RANKINGS = (("addressee", N_("Ministers")), ("addressed", N_("Ministries")), ("party", N_("Parties")))


def day_asked() -> tuple[date, str | None]:
    """The day asked about (``on=YYYY-MM-DD``, else today) and what was wrong with ``on``."""
    raw = request.args.get("on", "").strip()
    if not raw:
        return date.today(), None
    try:
        return date.fromisoformat(raw), None
    except ValueError:
        return date.today(), f"on must be a date like 2019-12-20, not {raw!r}"


def selection(index: PageIndex, day: date) -> tuple[dict[str, str], int, int]:
    """The filters given, the open questions they leave and the overdue ones among them."""
    filters = {dim: request.args[dim].strip() for dim in FILTERS if request.args.get(dim, "").strip()}
    chosen = index.select(filters, day) & index.bitmaps.get("status", {}).get("open", 0)
    return filters, chosen, chosen & index.overdue(day)


def ranking(index: PageIndex, dim: str, chosen: int, overdue: int, filters: dict[str, str]) -> list[dict]:
    """Per minister, ministry or party: open and overdue questions, most overdue first."""
    late = dict(index.counts(dim, overdue, filters))
    out = []
    for value, count in index.counts(dim, chosen, filters):
        entity = index.entity_of(value)
        out.append({"entity": entity, "open": count, "overdue": late.get(value, 0),
                    "href": with_query(request.path, {**filters, dim: entity.key})})
    return sorted(out, key=lambda r: (-r["overdue"], -r["open"], r["entity"].label))


def entry(row: Row, day: date) -> dict:
    status = row.status_on(day)
    late = (day - date.fromisoformat(row.deadline)).days if status == "overdue" and row.deadline else None
    return {"row": row, "status": status, "days_open": row.days_open(day), "days_late": late}


@bp.get("/open")
@bp.get("/open.<any(json, atom):suffix>")
def page(suffix: str | None = None):
    index = page_index()
    day, problem = day_asked()
    filters, chosen, overdue = selection(index, day)
    ordered = index.by_deadline(chosen)
    if suffix == "atom":
        return feed(index, [entry(r, day) for r in index.rows([i for i in ordered if overdue >> i & 1][:PAGE])],
                    day, filters)
    number = page_number()
    pages = max(1, -(-len(ordered) // PAGE))
    number = min(number, pages)
    entries = [entry(r, day) for r in index.rows(ordered[(number - 1) * PAGE:number * PAGE])]
    here = {**filters, **({"on": request.args["on"]} if request.args.get("on") else {})}
    if suffix == "json":
        body = json_body({"on": day.isoformat(), "open": chosen.bit_count(), "overdue": overdue.bit_count(),
                          "page": number, "pages": pages, "filters": filters,
                          "questions": [dict(lists.json_row(e["row"]), status=e["status"], deadline=e["row"].deadline,
                                             daysOpen=e["days_open"], daysOverdue=e["days_late"]) for e in entries],
                          "rankings": {dim: [{"value": r["entity"].iri, "label": r["entity"].label, "open": r["open"],
                                              "overdue": r["overdue"]} for r in ranking(index, dim, chosen, overdue,
                                                                                        filters)]
                                       for dim, _ in RANKINGS}})
        return Response(body, content_type="application/json; charset=utf-8")
    chosen_labels = [(lists.DIM_TITLES.get(dim, dim), lists.value_label(index, dim, value)[0],
                      with_query(request.path, {k: v for k, v in here.items() if k != dim}))
                     for dim, value in filters.items()]
    context = {
        "day": day, "problem": problem, "open": chosen.bit_count(), "overdue": overdue.bit_count(),
        "entries": entries, "page": number, "pages": pages, "chosen": chosen_labels,
        "rankings": [(dim, title, ranking(index, dim, chosen, overdue, filters)) for dim, title in RANKINGS],
        "prev_href": with_query(request.path, {**here, "page": number - 1}) if number > 1 else None,
        "next_href": with_query(request.path, {**here, "page": number + 1}) if number < pages else None,
        "feed_href": with_query(request.path + ".atom", here), "json_href": with_query(request.path + ".json", here),
        "alternates": [{"href": with_query(request.path + ".atom", here), "type": "application/atom+xml",
                        "label": N_("Atom feed of the overdue questions")},
                       {"href": with_query(request.path + ".json", here), "type": "application/json", "label": "JSON"}],
    }
    return render_template("pages/open.html", **context), 400 if problem else 200


def feed(index: PageIndex, entries: list[dict], day: date, filters: dict[str, str]) -> Response:
    """The overdue questions as an Atom feed; an entry is updated on the day its question became
    overdue (the day after its deadline)."""
    def overdue_since(e: dict) -> datetime:
        return datetime.combine(date.fromisoformat(e["row"].deadline) + timedelta(days=1), time(), UTC)

    entries = sorted(entries, key=overdue_since, reverse=True)
    built = datetime.fromtimestamp(int(index.built), UTC)
    updated = max([built] + [overdue_since(e) for e in entries])
    base = request.host_url.rstrip("/")
    asked = {"on": day.isoformat()} if request.args.get("on") else {}
    self_href = base + with_query(request.path, {**filters, **asked})
    parts = ['<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">',
             f"<title>Overdue written questions{escape(_described(index, filters))}</title>",
             f"<id>{escape(self_href)}</id>", f'<link rel="self" href="{escape(self_href)}"/>',
             f'<link rel="alternate" type="text/html" href="{escape(self_href.replace(".atom", "", 1))}"/>',
             f"<updated>{updated.isoformat()}</updated>", "<author><name>kamergraph</name></author>"]
    for e in entries:
        row = e["row"]
        who = ", ".join(p.label for p, _ in row.submitters)
        to = ", ".join(p.label for p, _ in row.addressees) or ", ".join(m.label for m in row.addressed)
        summary = (f"{row.zaak}, submitted {row.submitted} by {who}" + (f" to {to}" if to else "")
                   + f"; deadline {row.deadline}, {e['days_late']} days overdue on {day.isoformat()}.")
        parts += ["<entry>", f"<title>{escape(row.title)}</title>", f"<id>{escape(row.iri)}</id>",
                  f'<link href="{escape(row.iri)}"/>', f"<updated>{overdue_since(e).isoformat()}</updated>",
                  f"<summary>{escape(summary)}</summary>", "</entry>"]
    parts.append("</feed>\n")
    response = Response("\n".join(parts), content_type="application/atom+xml; charset=utf-8")
    tag = hashlib.sha256(f"{index.signature}|{index.built}|{day}|{sorted(filters.items())}".encode()).hexdigest()[:32]
    response.set_etag(tag)
    response.last_modified = updated
    response.headers["Cache-Control"] = "no-cache"
    response.make_conditional(request)
    return response


def _described(index: PageIndex, filters: dict[str, str]) -> str:
    if not filters:
        return ""
    return " (" + ", ".join(lists.value_label(index, dim, value)[0] for dim, value in filters.items()) + ")"



