"""``/charts``: named queries drawn with Vega-Lite.

Each chart is one named query: the page has the query's parameter form, the chart (drawn by
``static/charts.js`` from the query's JSON twin, as SVG) and, beside it, links to the same data as
CSV and JSON, to the query's page and to the SPARQL editor. The Vega-Lite specification of each
chart lives in ``charts.js`` under the chart's name.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from babel.dates import get_day_names, get_month_names
from babel.numbers import get_decimal_symbol, get_group_symbol
from flask import abort, render_template, url_for

from kamergraph import queries
from kamergraph.endpoint.analysis import keys
from kamergraph.endpoint.analysis.forms import editor_link, form_fields, parameter_values
from kamergraph.endpoint.site.i18n import N_, gettext
from kamergraph.endpoint.site.i18n import chosen_language as lang
from kamergraph.endpoint.site.render import page_blueprint

bp = page_blueprint("charts", __name__, public=False)


@dataclass(frozen=True)
class Chart:
    name: str  # the path under /charts and the key of the specification in charts.js
    title: str
    query: str  # the named query that gives the data
    description: str
    data: str | None = None  # the view that gives the rows, where not the named query's JSON twin


CHARTS = (
    Chart("questions-per-month", N_("Questions per month by party"), "questions-per-month-by-party",
          N_("How many written questions each party submitted per month: a bar per month, a colour per party. "
             "A question of members of two parties counts for both.")),
    Chart("answer-times", N_("Answer times per ministry"), "answer-time-distribution",
          N_("How long each ministry took to answer: the share of its answers that came within a week, within "
             "the three-week term, within six weeks, within three months and later.")),
    Chart("answer-times-per-minister", N_("Answer times per minister"), "answer-times",
          N_("For the 25 ministers (or posts, ministries, parties: the by choice) with the most answers, the "
             "median number of days to answer (dot) and the 90th percentile (red tick), the slowest on top; the "
             "dashed line is the three-week term."), data="answer_times.data"),
    Chart("topics-over-time", N_("Topics over time"), "topics-over-time",
          N_("How many written questions touched each theme of the TaxonomieBeleidsagenda per year: the "
             "darker, the more questions.")),
)
BY_NAME = {chart.name: chart for chart in CHARTS}

# The words charts.js writes (its t("...") and filled("...")), translated for the page in #chart-texts.
TEXTS = (
    N_("90th percentile"), N_("Answered in all"), N_("Answered"), N_("By the deadline"), N_("Days to answer"),
    N_("Days to answer: median (dot) to 90th percentile"), N_("Days"), N_("Median days"), N_("Ministry"),
    N_("Month submitted"), N_("Month"), N_("Party"), N_("Questions"), N_("Share of its answered questions"),
    N_("Share"), N_("Theme"), N_("Who"), N_("Year submitted"), N_("Year"),
    N_("The chart could not be drawn: %(message)s"), N_("no chart named %(name)s"),
    N_("No questions match these parameters."), N_("%(count)s row from the query %(query)s."),
    N_("%(count)s rows from the query %(query)s."), N_("(cut at the server's row limit)"),
)


def vega_locale(language: str) -> dict:
    """Vega's number and time format locales (d3's form) for the language, from Babel's CLDR data:
    month names on a time axis and decimal marks in the chart's language, as on the rest of the page."""
    def names(found) -> list[str]:
        return [found[key] for key in sorted(found)]

    def sunday_first(found) -> list[str]:  # Babel counts from Monday (0), d3 from Sunday
        return [found[6]] + [found[key] for key in range(6)]

    return {
        "number": {"decimal": get_decimal_symbol(language), "thousands": get_group_symbol(language),
                   "grouping": [3], "currency": ["€", ""]},
        "time": {"dateTime": "%e %B %Y %X", "date": "%Y-%m-%d", "time": "%H:%M:%S", "periods": ["AM", "PM"],
                 "days": sunday_first(get_day_names("wide", context="stand-alone", locale=language)),
                 "shortDays": sunday_first(get_day_names("abbreviated", context="stand-alone", locale=language)),
                 "months": names(get_month_names("wide", context="stand-alone", locale=language)),
                 "shortMonths": names(get_month_names("abbreviated", context="stand-alone", locale=language))},
    }


@bp.get("/charts")
def index():
    entries = [
        {"chart": chart, "href": url_for("charts.page", name=chart.name),
         "csv": url_for("named_queries.twin", name=chart.query, fmt="csv")}
        for chart in CHARTS
    ]
    return render_template("charts/index.html", entries=entries)


@bp.get("/charts/<name>")
def page(name: str):
    chart = BY_NAME.get(name)
    if chart is None:
        abort(404)
    named = queries.registry()[chart.query]
    shown = named.in_language(lang())
    values = parameter_values()
    given: dict[str, Any] = {k: v for k, v in values.items() if v != ""}
    error, status, text = None, 200, named.text
    try:
        text = named.bound_text(keys.resolved(named, values))
    except queries.QueryError as problem:
        error, status = str(problem), 400
    json_href = (url_for(chart.data, **given) if chart.data
                 else url_for("named_queries.twin", name=named.name, fmt="json", **given))
    csv_href = url_for("named_queries.twin", name=named.name, fmt="csv", **given)
    context = {
        "chart": chart,
        "query": shown,
        "texts": {english: gettext(english) for english in TEXTS},
        "locale": vega_locale(lang()),
        "fields": form_fields(named, values, lang()),
        "error": error,
        "data_src": json_href,
        "csv_href": csv_href,
        "query_page": url_for("named_queries.page", name=named.name, **given),
        "editor": editor_link(text, shown.title),
        "alternates": [
            {"href": csv_href, "type": "text/csv", "label": "CSV"},
            {"href": json_href, "type": "application/json", "label": "JSON"},
        ],
    }
    return render_template("charts/chart.html", **context), status
