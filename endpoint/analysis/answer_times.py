"""``/answer-times``: which minister answers late? Per minister (the person in a post), post, ministry
or party: questions answered, median and 90th-percentile days, the share answered by the deadline,
and what is open and overdue now; over a period of submission, sortable by any column.

The figures come from the page index (``indexes/answer_times.py``: milliseconds where the named
query ``answer-times``, which gives the same rows from the store, takes seconds on a large store);
``/answer-times.json`` holds them as the JSON twin of a named query does, and
``/charts/answer-times-per-minister`` draws them.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, render_template, request, url_for

from kamergraph import queries
from kamergraph.endpoint.analysis.forms import editor_link
from kamergraph.endpoint.site import addresses
from kamergraph.endpoint.site.i18n import N_, chosen_language
from kamergraph.endpoint.site.render import page_blueprint, page_index
from kamergraph.endpoint.web import json_body
from kamergraph.indexes.answer_times import answer_times

bp = page_blueprint("answer_times", __name__, public=True)

QUERY = "answer-times"
GROUPS = {"minister": N_("Minister (person in a post)"), "post": N_("Cabinet post"), "ministry": N_("Ministry"),
          "party": N_("Party")}
COLUMNS = (("label", N_("Name")), ("answered", N_("Answered")), ("medianDays", N_("Median days")),
           ("p90Days", N_("90th percentile days")), ("withinTerm", N_("By the deadline")), ("open", N_("Open now")),
           ("overdue", N_("Overdue now")))
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
        if view[name]:
            try:
                date.fromisoformat(view[name])
            except ValueError:
                problems.append(f"{name} must be a date like 2019-12-20, not {view[name]!r}")
                view[name] = ""
    return view, problems


def figures(view: dict[str, str]) -> list[dict[str, Any]]:
    return answer_times(page_index(), view["by"], view["from"] or None, view["until"] or None,
                        date.fromisoformat(view["on"]) if view["on"] else None)


COLUMN_NAMES = ("group", "label", "post", "postLabel", "answered", "medianDays", "p90Days", "withinTerm", "open",
                "overdue")


@bp.get("/answer-times.json")
def data():
    """The figures as the JSON twin of the named query gives them (columns and rows)."""
    view, problems = read_view()
    if problems:
        return Response("\n".join(problems) + "\n", status=400, content_type="text/plain; charset=utf-8")
    body = json_body({"query": QUERY, "parameters": {k: view[k] for k in ("by", *PERIOD) if view[k]},
                      "columns": list(COLUMN_NAMES), "rows": figures(view), "truncated": False})
    return Response(body, content_type="application/json; charset=utf-8")


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
    rows = [] if problems else sorted_rows(figures(view), view["sort"], view["dir"] == "desc")
    text = named.bound_text(values)
    status = 400 if problems else 200
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
        "editor": editor_link(text, named.in_language(chosen_language()).title),
        "alternates": [
            {"href": url_for("named_queries.twin", name=QUERY, fmt="csv", **values), "type": "text/csv",
             "label": "CSV"},
            {"href": url_for("answer_times.data", **values), "type": "application/json", "label": "JSON"},
        ],
    }
    return render_template("pages/answer_times.html", **context), status
