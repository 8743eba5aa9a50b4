"""``/explore``: the network of who asked whom.

Members or parties on one side, ministers or ministries on the other, an edge per pair weighted by
the number of questions: the rows of the named query ``who-asked-whom``, counted from the page
index (``network.edges``, ``indexes/pairs.py``: milliseconds where the query takes seconds). Only
the ``limit`` heaviest edges are sent (a few dozen by default, so the first view is readable; "show
more" doubles them), as an HTML table that is both the accessible fallback and the data
``static/explore.js`` draws with Cytoscape.js: short labels (the full name on hover), members and
parties in their party's colour. A click on an edge lists the questions behind it from the JSON
twin of ``questions-between``; the filters are a plain GET form with the keys of ``/questions``
(``network.read_filters``), so every view has a URL.
"""
from __future__ import annotations

import json
from typing import Any

from flask import render_template, request, url_for

from kamergraph import queries
from kamergraph.endpoint.analysis import network
from kamergraph.endpoint.analysis.forms import editor_link
from kamergraph.endpoint.site import addresses
from kamergraph.endpoint.site.addresses import with_query
from kamergraph.endpoint.site.i18n import N_, chosen_language
from kamergraph.endpoint.site.render import ON_LOAD, page_blueprint, page_index

bp = page_blueprint("explore", __name__, public=False)
# The pairs of who asked whom are read as soon as a page index is loaded, not on the first request.
bp.record_once(lambda state: state.app.extensions.setdefault(ON_LOAD, []).append(network.pairs_of))

NETWORK = "who-asked-whom"
EDGE_QUESTIONS = "questions-between"
DEFAULT_LIMIT = 40
MAX_LIMIT = 1000
SIDES = {
    "by": {"member": N_("Members"), "party": N_("Parties")},
    "to": {"minister": N_("Ministers and state secretaries"), "ministry": N_("Ministries")},
}
KINDS = {"member": "person", "party": "party", "minister": "person", "ministry": "ministry"}
LAYOUTS = {"force": N_("Force-directed"), "columns": N_("Two columns")}


def read_view() -> tuple[dict[str, str], list[str]]:
    """The view asked for in the URL (defaults filled in) and what was wrong with it."""
    args, problems = request.args, []
    view = {"by": args.get("by") or "member", "to": args.get("to") or "minister",
            "layout": args.get("layout") or "force"}
    for side in ("by", "to"):
        if view[side] not in SIDES[side]:
            problems.append(f"{side} must be one of {', '.join(SIDES[side])}, not {view[side]!r}")
            view[side] = next(iter(SIDES[side]))
    if view["layout"] not in LAYOUTS:
        view["layout"] = "force"
    raw = args.get("limit") or str(DEFAULT_LIMIT)
    try:
        limit = int(raw)
        if not 1 <= limit <= MAX_LIMIT:
            raise ValueError(raw)
    except ValueError:
        problems.append(f"limit must be a whole number from 1 to {MAX_LIMIT}, not {raw!r}")
        limit = DEFAULT_LIMIT
    view["limit"] = str(limit)
    return view, problems


@bp.get("/explore")
def page():
    view, problems = read_view()
    index = page_index()
    chosen, wrong = network.read_filters(request.args, index)
    problems += wrong
    filters: dict[str, Any] = dict(chosen.query)
    values: dict[str, Any] = {"by": view["by"], "to": view["to"], **filters}
    named = queries.registry()[NETWORK]
    edges, truncated, status, text = [], False, 200, named.text
    try:
        text = named.bound_text(values)  # checks the values as the named query would
        if not problems:
            rows = network.edges(index, view["by"], view["to"], filters)
            truncated = len(rows) > int(view["limit"])
            parties = network.pairs_of(index).member_party if view["by"] == "member" else {}
            edges = [edge(row, filters, view, parties) for row in rows[:int(view["limit"])]]
    except queries.QueryError as error:
        problems.append(str(error))
    if problems and status == 200:
        status = 400
    twin_args = dict(values, _limit=view["limit"])
    context = {
        "view": view,
        "keys": chosen.keys,
        "more_href": more_href(view, chosen.keys) if truncated else None,
        "base_iri": addresses.base_iri(),
        "sides": SIDES,
        "layouts": LAYOUTS,
        "edges": edges,
        "truncated": truncated,
        "problems": problems,
        "parties": network.choices(index, "party"),
        "ministries": network.choices(index, "ministry"),
        "topics": network.choices(index, "topic"),
        "years": network.choices(index, "year"),
        "limits": sorted({20, DEFAULT_LIMIT, 80, 150, 300, 1000, int(view["limit"])}),
        "filters_json": json.dumps(filters, ensure_ascii=False),
        "questions_src": url_for("named_queries.twin", name=EDGE_QUESTIONS, fmt="json"),
        "questions_page": url_for("named_queries.page", name=EDGE_QUESTIONS),
        "query_page": url_for("named_queries.page", name=NETWORK, **values),
        "editor": editor_link(text, named.in_language(chosen_language()).title),
        "alternates": [
            {"href": url_for("named_queries.twin", name=NETWORK, fmt="json", **twin_args),
             "type": "application/json", "label": "JSON"},
            {"href": url_for("named_queries.twin", name=NETWORK, fmt="csv", **twin_args),
             "type": "text/csv", "label": "CSV"},
        ],
    }
    return render_template("explore/index.html", **context), status


def more_href(view: dict[str, str], keys: dict[str, str]) -> str:
    """This view with twice the lines (at most MAX_LIMIT)."""
    params = {"by": view["by"], "to": view["to"], **keys,
              "limit": str(min(MAX_LIMIT, 2 * int(view["limit"]))), "layout": view["layout"]}
    return with_query(url_for("explore.page"), params)


def edge(row: dict, filters: dict[str, Any], view: dict[str, str], parties: dict[str, str]) -> dict:
    """One row of who-asked-whom as an edge, with the pages of both ends on this server, their
    short labels, the source's party colour and the page of the questions behind it (``filters``:
    the view's filters, which that page keeps)."""
    source, target = row["source"], row["target"]
    source_label = row.get("sourceLabel") or source.rsplit("/", 1)[-1]
    target_label = row.get("targetLabel") or target.rsplit("/", 1)[-1]
    party = source if view["by"] == "party" else parties.get(source)
    return {
        "questions_href": url_for("named_queries.page", name=EDGE_QUESTIONS, source=source, target=target, **filters),
        "source": source,
        "source_label": source_label,
        "source_short": network.short_label(source, source_label, KINDS[view["by"]]),
        "source_href": addresses.local_href(source) or source,
        "source_colour": network.party_colour(party),
        "target": target,
        "target_label": target_label,
        "target_short": network.short_label(target, target_label, KINDS[view["to"]]),
        "target_href": addresses.local_href(target) or target,
        "questions": row["questions"],
    }
