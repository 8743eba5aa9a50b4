"""Search as a list: the questions the full-text index finds, narrowed and counted by the same
facets as ``/questions``, each shown as a list row (who asked whom, dates, status), best first or
by date; and the persons whose name matches.

The full-text index gives the matching questions (all of them, best first while there are at most
``RANK_LIMIT``); their numbers in the page index make a bitmap, and from there a search is a list
like any other: the AND with the chosen facets, the facet counts, the page. Every step costs time
in proportion to the number of matches or of questions, never their product.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup, escape

from kamergraph.endpoint.site import lists, people
from kamergraph.indexes.pages import PageIndex, Row
from kamergraph.indexes.search import SearchIndex

ORDERS = ("relevance", "newest", "oldest")
# Ranking every match by BM25 costs time in proportion to the number of matches, and a common word
# matches much of the store: beyond this many a search lists the newest first (a broad search,
# where the page says so and more words narrow it).
RANK_LIMIT = 2000
PEOPLE_SHOWN = 8


@dataclass
class Found:
    text: str
    listing: lists.Listing
    ranked: bool  # the matches are in order of relevance (else by date)
    snippets: dict[str, str] = field(default_factory=dict)  # question IRI -> text around the match, \x02 marked \x03
    people: list[people.Person] = field(default_factory=list)  # persons whose name matches

    def marked(self, iri: str) -> Markup:
        """The snippet of a question as HTML, the matched words in <mark>."""
        return highlight(self.snippets.get(iri, ""))

    def plain(self, iri: str) -> str:
        return plain(self.snippets.get(iri, ""))

    def names(self, label: str) -> bool:
        """Whether a person's name is what was searched for (the hit's row marks it)."""
        return people.name_matches(people.name_words(self.text), people.name_words(label))


_numbers: dict[tuple, dict[str, int]] = {}
_lock = threading.Lock()


def question_numbers(index: PageIndex) -> dict[str, int]:
    """Each question's number in the page index, by IRI; kept until the index changes."""
    with _lock:
        found = _numbers.get(index.file_id)
    if found is None:
        found = {iri: number for number, iri in enumerate(index.question_iris(0, index.size))}
        with _lock:
            _numbers.clear()
            _numbers[index.file_id] = found
    return found


def bitmap(numbers: list[int], size: int) -> int:
    """The set of question numbers as a page-index bitmap, made in one pass (OR-ing one bit at a
    time into a big integer would copy it once per match)."""
    data = bytearray((size + 7) // 8)
    for number in numbers:
        data[number >> 3] |= 1 << (number & 7)
    return int.from_bytes(data, "little")


def contains(bits: int, size: int) -> Callable[[int], bool]:
    """A test of membership in a bitmap that costs the same for any question (a shift of the big
    integer costs time in proportion to its size)."""
    data = bits.to_bytes((size + 7) // 8, "little") if bits > 0 else b""
    return lambda number: bool(data) and number >> 3 < len(data) and bool(data[number >> 3] >> (number & 7) & 1)


def find(index: PageIndex, search_index: SearchIndex, text: str, filters: dict[str, str], *, page: int, size: int,
         order: str, path: str, directory: list[people.Person] | None = None,
         time_limit: float | None = None) -> Found:
    """One page of the questions matching ``text`` and ``filters``, with facets, snippets and
    (given the ``directory``) the persons whose name matches. SearchTimeout past ``time_limit``
    seconds in the full-text index."""
    started = time.monotonic()
    iris, ranked = search_index.matching(text, rank_limit=RANK_LIMIT, time_limit=time_limit) if text else ([], True)
    numbers = question_numbers(index)
    matched = [numbers[iri] for iri in iris if iri in numbers]  # the page index may lag behind a moment
    ranking = matched if order == "relevance" and ranked else None
    listing = lists.listing(index, filters, page=page, size=size, order=order, path=path,
                            within=bitmap(matched, index.size),
                            ranking=ranking, extra={"q": text}, default_order=ORDERS[0])
    left = None if time_limit is None else max(0.0, time_limit - (time.monotonic() - started))
    snippets = search_index.snippets(text, [row.iri for row in listing.rows], time_limit=left) if text else {}
    found_people = []
    if directory is not None and text:
        found_people = sorted(people.find(directory, text), key=lambda p: (-p.questions, p.name))[:PEOPLE_SHOWN]
    return Found(text, listing, ranked or order != "relevance", snippets, found_people)


def highlight(snippet: str) -> Markup:
    """A search snippet, escaped, with the matched words (between \\x02 and \\x03) in <mark>."""
    return Markup(str(escape(snippet)).replace("\x02", "<mark>").replace("\x03", "</mark>"))


def plain(snippet: str) -> str:
    return snippet.replace("\x02", "").replace("\x03", "")


def status(row: Row, day: date | None = None) -> str:
    """Where a listed question stands on a day (today when None): open, overdue, answered or
    withdrawn, as the page index says; an index without statuses knows answered and open only."""
    status_on = getattr(row, "status_on", None)
    if status_on is not None:
        return status_on(day or date.today())
    return "answered" if row.answered else "open"
