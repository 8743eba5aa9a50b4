"""``/answer-times``: which minister answers late? Per minister (the person in a post), post, ministry
or party: questions answered, median and 90th-percentile days, the share answered by the deadline,
and what is open and overdue now; over a period of submission, sortable by any column.

The figures are the named query ``answer-times`` (its JSON and CSV twins hold the same rows, and
``/charts/answer-times-per-minister`` draws them); the page only sorts and links them.
"""
from __future__ import annotations

from typing import Any

from flask import render_template, request, url_for

from kamergraph import queries
from kamergraph.endpoint.analysis.forms import editor_link
from kamergraph.endpoint.analysis.tables import run_table
from kamergraph.endpoint.site import addresses
from kamergraph.endpoint.site.render import page_blueprint
from kamergraph.endpoint.web import QueryFailed

bp = page_blueprint("answer_times", __name__, public=True)

QUERY = "answer-times"
GROUPS = {"minister": "Minister (person in a post)", "post": "Cabinet post", "ministry": "Ministry", "party": "Party"}
COLUMNS = (("label", "Name"), ("answered", "Answered"), ("medianDays", "Median days"),
           ("p90Days", "90th percentile days"), ("withinTerm", "By the deadline"), ("open", "Open now"),
           ("overdue", "Overdue now"))
PERIOD = ("from", "until", "on")


def read_view() -> tuple[dict[str, str], list[str]]:
    """The view asked for (defaults filled in) and what was wrong with it."""
    args, problems = request.args, []
    view = {"by": args.get("by") or "minister", "sort": args.get("sort") or "answered",
            "dir": args.get("dir") or ""}
    if view["by"] not in GROUPS:
        problems.append(f"by must be one of {', '.join(GROUPS)}, not {view['by']!r}")
        view["by"] = "minister"
    if view["sort"] not in dict(COLUMNS):
        problems.append(f"sort must be one of {', '.join(dict(COLUMNS))}, not {view['sort']!r}")
        view["sort"] = "answered"
    if view["dir"] not in ("asc", "desc"):
        view["dir"] = "asc" if view["sort"] == "label" else "desc"
    for name in PERIOD:
        view[name] = (args.get(name) or "").strip()
    return view, problems


def sorted_rows(rows: list[dict[str, Any]], column: str, descending: bool) -> list[dict[str, Any]]:
    """Rows by one column (rows without a value last, whichever the direction), then by name."""
    def key(row: dict[str, Any]) -> tuple:
        value = row.get(column)
        if isinstance(value, str):
            value = value.lower()
        return (value is None, value if value is not None else 0)

    by_name = sorted(rows, key=lambda r: (str(r.get("label") or "").lower(), str(r.get("postLabel") or "")))
    present = [r for r in by_name if r.get(column) is not None]
    missing = [r for r in by_name if r.get(column) is None]
    return sorted(present, key=key, reverse=descending) + missing


@bp.get("/answer-times")
def page():
    view, problems = read_view()
    named = queries.registry()[QUERY]
    values: dict[str, Any] = {k: view[k] for k in ("by", *PERIOD) if view[k]}
    rows: list[dict[str, Any]] = []
    status, text = 200, named.text
    try:
        text = named.bound_text(values)
        if not problems:
            rows = sorted_rows(run_table(text).values(), view["sort"], view["dir"] == "desc")
    except queries.QueryError as error:
        problems.append(str(error))
    except QueryFailed as error:
        problems.append(str(error))
        status = error.status
    if problems and status == 200:
        status = 400
    for row in rows:
        row["href"] = addresses.local_href(str(row["group"])) or row["group"]
        row["post_href"] = addresses.local_href(str(row["post"])) if row.get("post") else None
    headers = []
    for column, title in COLUMNS:
        flip = "asc" if view["sort"] == column and view["dir"] == "desc" else "desc"
        if view["sort"] != column and column == "label":
            flip = "asc"
        headers.append({"column": column, "title": title, "current": view["sort"] == column, "dir": view["dir"],
                        "href": url_for("answer_times.page", **values, sort=column, dir=flip)})
    context = {
        "view": view, "groups": GROUPS, "rows": rows, "headers": headers, "problems": problems,
        "most_days": max([int(r["p90Days"]) for r in rows if r.get("p90Days") is not None] or [1]),
        "chart": url_for("charts.page", name="answer-times-per-minister", **values),
        "query_page": url_for("named_queries.page", name=QUERY, **values),
        "editor": editor_link(text, named.title),
        "alternates": [
            {"href": url_for("named_queries.twin", name=QUERY, fmt="csv", **values), "type": "text/csv",
             "label": "CSV"},
            {"href": url_for("named_queries.twin", name=QUERY, fmt="json", **values), "type": "application/json",
             "label": "JSON"},
        ],
    }
    return render_template("pages/answer_times.html", **context), status
