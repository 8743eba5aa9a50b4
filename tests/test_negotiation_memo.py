"""The negotiation memo (endpoint/negotiation.py): an Accept header's text gives what werkzeug's
parse of it gives to ``negotiate`` and ``by_accept``, whatever came before it, for each set of offers."""
from __future__ import annotations

import itertools

import pytest
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from kamergraph.endpoint import negotiation
from kamergraph.endpoint.runtime.formats import GRAPHS, SOLUTIONS
from kamergraph.endpoint.site.representations import THING

HEADERS = [
    None, "", "*/*", "text/html", "text/turtle", "text/turtle; charset=utf-8", "text/turtle; charset=latin-1",
    "application/json", "application/sparql-results+json;q=0.5, text/csv", "application/n-triples",
    "application/rdf+xml;q=0.9, text/turtle;q=0.8", "text/*", "image/png", "application/ld+json, */*;q=0.1",
]


def parsed(header):
    return parse_accept_header(header, MIMEAccept)


@pytest.mark.parametrize("requested", [(), ("csv",), ("text/turtle",), ("nonsense",)])
def test_negotiate_header_is_negotiate(requested):
    negotiation._MATCHES.clear()
    for _ in range(2):  # the second time from the memo
        for formats, header in itertools.product((SOLUTIONS, GRAPHS), HEADERS):
            assert (negotiation.negotiate_header(formats, header, requested)
                    == negotiation.negotiate(formats, parsed(header), requested)), (formats, header)


def test_by_accept_header_is_by_accept():
    negotiation._MATCHES.clear()
    for _ in range(2):
        for offered, header in itertools.product((THING, SOLUTIONS, GRAPHS), HEADERS):
            assert negotiation.by_accept_header(offered, header) == negotiation.by_accept(offered, parsed(header))


def test_offers_with_a_reused_id_are_not_confused():
    negotiation._MATCHES.clear()
    first = tuple(GRAPHS)
    turtle = negotiation.negotiate_header(first, "text/turtle")
    assert turtle is not None and turtle.media_type == "text/turtle"
    del first
    others = tuple(SOLUTIONS)  # may get the freed id (a tuple of the same length often does)
    assert negotiation.negotiate_header(others, "text/turtle") is None


def test_the_memo_stays_bounded(monkeypatch):
    monkeypatch.setattr(negotiation, "MATCHES_KEPT", 10)
    negotiation._MATCHES.clear()
    for q in range(50):
        negotiation.negotiate_header(GRAPHS, f"text/turtle;q=0.{q:02d}")
    assert len(negotiation._MATCHES) <= 10
