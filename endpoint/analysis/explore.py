"""``/explore``: the network of who asked whom.

Members or parties on one side, ministers or ministries on the other, an edge per pair weighted by
the number of questions. The server aggregates (the named query ``who-asked-whom``) and sends only
the ``limit`` heaviest edges, as an HTML table that is both the accessible fallback and the data
``static/explore.js`` draws with Cytoscape.js. A click on an edge lists the questions behind it
from the JSON twin of ``questions-between``; the filters are a plain GET form, so every view has a
URL. The filter choices come from the named queries ``party-counts`` and ``topic-counts``.
"""
from __future__ import annotations

import json
from typing import Any

from flask import render_template, request, url_for

from kamergraph import queries
from kamergraph.endpoint.analysis import keys
from kamergraph.endpoint.analysis.forms import editor_link
from kamergraph.endpoint.analysis.tables import choices, run_table
from kamergraph.endpoint.site import addresses
from kamergraph.endpoint.site.render import page_blueprint
from kamergraph.endpoint.web import QueryFailed

bp = page_blueprint("explore", __name__, public=False)

NETWORK = "who-asked-whom"
EDGE_QUESTIONS = "questions-between"
DEFAULT_LIMIT = 150
MAX_LIMIT = 1000
SIDES = {
    "by": {"member": "Members", "party": "Parties"},
    "to": {"minister": "Ministers and state secretaries", "ministry": "Ministries"},
}
FILTERS = ("topic", "party", "from", "until")
LAYOUTS = {"force": "Force-directed", "columns": "Two columns"}
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
    for name in FILTERS:
        view[name] = (args.get(name) or "").strip()
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
    values: dict[str, Any] = {k: view[k] for k in ("by", "to", *FILTERS) if view[k]}
    filters: dict[str, Any] = {k: view[k] for k in FILTERS if view[k]}
    named = queries.registry()[NETWORK]
    edges, truncated, status, text = [], False, 200, named.text
    try:
        text = named.bound_text(keys.resolved(named, values))
        if not problems:
            table = run_table(text, int(view["limit"]))
            truncated = table.truncated
            edges = [edge(row, filters) for row in table.values()]
    except queries.QueryError as error:
        problems.append(str(error))
    except QueryFailed as error:
        problems.append(str(error))
        status = error.status
    if problems and status == 200:
        status = 400
    twin_args = dict(values, _limit=view["limit"])
    context = {
        "view": view,
        "base_iri": addresses.base_iri(),
        "sides": SIDES,
        "layouts": LAYOUTS,
        "edges": edges,
        "truncated": truncated,
        "problems": problems,
        "parties": choices("party-counts"),
        "topics": choices("topic-counts"),
        "limits": sorted({50, DEFAULT_LIMIT, 300, 1000, int(view["limit"])}),
        "filters_json": json.dumps(filters, ensure_ascii=False),
        "questions_src": url_for("named_queries.twin", name=EDGE_QUESTIONS, fmt="json"),
        "questions_page": url_for("named_queries.page", name=EDGE_QUESTIONS),
        "query_page": url_for("named_queries.page", name=NETWORK, **values),
        "editor": editor_link(text, named.title),
        "alternates": [
            {"href": url_for("named_queries.twin", name=NETWORK, fmt="json", **twin_args),
             "type": "application/json", "label": "JSON"},
            {"href": url_for("named_queries.twin", name=NETWORK, fmt="csv", **twin_args),
             "type": "text/csv", "label": "CSV"},
        ],
    }
    return render_template("explore/index.html", **context), status


def edge(row: dict, filters: dict[str, Any]) -> dict:
    """One row of who-asked-whom as an edge, with the pages of both ends on this server and the
    page of the questions behind it (``filters``: the view's filters, which that page keeps)."""
    source, target = row["source"], row["target"]
    return {
        "questions_href": url_for("named_queries.page", name=EDGE_QUESTIONS, source=source, target=target, **filters),
        "source": source,
        "source_label": row.get("sourceLabel") or source.rsplit("/", 1)[-1],
        "source_href": addresses.local_href(source) or source,
        "target": target,
        "target_label": row.get("targetLabel") or target.rsplit("/", 1)[-1],
        "target_href": addresses.local_href(target) or target,
        "questions": row["questions"],
    }
