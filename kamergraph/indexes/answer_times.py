"""Answer times per minister (a person in a post), post, ministry or party, from the page index: what
the named query ``answer-times`` gives, in milliseconds instead of a scan of the store.

Per group: the questions answered (with a date and days taken), the lower median and the 90th
percentile of their days (the smallest day count that at least half, or nine in ten, of them took
or less), the share answered by the deadline, and the questions open and past their deadline on a
day. A minister's, post's or ministry's open questions are those put to it (addressees); a party's
those of its members. The period (from, until) is of submission: questions are numbered newest
first, so it is one run of numbers.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date
from typing import Any

from kamergraph.indexes.pages import PageIndex

GROUPINGS = ("minister", "post", "ministry", "party")


@dataclass(frozen=True)
class Facts:
    """Per question number: its submission date, days taken (None when not answered) and whether it
    was answered by the deadline."""

    submitted: list[str]  # newest first
    days: list[int | None]
    within: list[bool]
    timed: int  # the bitmap of the questions answered with a number of days


def facts(index: PageIndex) -> Facts:
    kept = getattr(index, "_answer_facts", None)
    if kept is None:
        rows = index.question_facts()
        days = [r[3] if r[2] is not None else None for r in rows]
        timed = bytearray((len(rows) + 7) // 8)
        for i, d in enumerate(days):
            if d is not None:
                timed[i >> 3] |= 1 << (i & 7)
        kept = Facts([r[1] for r in rows], days, [bool(r[4]) for r in rows], int.from_bytes(timed, "little"))
        index._answer_facts = kept  # type: ignore[attr-defined]  # one per index: it changes with the store
    return kept


def period(index: PageIndex, start: str | None, end: str | None) -> int:
    """The questions submitted from ``start`` to ``end`` (ISO dates, either may be None)."""
    ascending = facts(index).submitted[::-1]
    size = len(ascending)
    low = bisect.bisect_left(ascending, start) if start else 0
    high = bisect.bisect_right(ascending, end) if end else size
    if high <= low:
        return 0
    # ascending position p is question number size - 1 - p
    first, last = size - high, size - 1 - low
    return ((1 << (last + 1)) - 1) ^ ((1 << first) - 1)


def numbers(bits: int) -> list[int]:
    """The question numbers of the set bits."""
    out = []
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    for offset, value in enumerate(data):
        rest = value
        while rest:
            low = rest & -rest
            out.append(offset * 8 + low.bit_length() - 1)
            rest ^= low
    return out


def groups(index: PageIndex, by: str) -> tuple[dict[tuple[str, str | None], int], dict[tuple[str, str | None], int]]:
    """(group, post) -> the bitmap of its answered questions, and of the questions put to it."""
    answered: dict[tuple[str, str | None], int] = {}
    put: dict[tuple[str, str | None], int] = {}
    if by == "minister":
        for family, out in (("answered_as", answered), ("addressed_as", put)):
            for pair, bits in index.bitmaps.get(family, {}).items():
                person, post = pair.split(" ", 1)
                out[person, post] = bits
    elif by == "post":
        answered = {(post, None): bits for post, bits in index.bitmaps.get("post", {}).items()}
        for pair, bits in index.bitmaps.get("addressed_as", {}).items():
            post = pair.split(" ", 1)[1]
            put[post, None] = put.get((post, None), 0) | bits
    elif by == "ministry":
        answered = {(m, None): bits for m, bits in index.bitmaps.get("ministry", {}).items()}
        put = {(m, None): bits for m, bits in index.bitmaps.get("addressed", {}).items()}
    elif by == "party":
        answered = {(p, None): bits for p, bits in index.bitmaps.get("party", {}).items()}
        put = dict(answered)
    return answered, put


def answer_times(index: PageIndex, by: str, start: str | None = None, end: str | None = None,
                 day: date | None = None) -> list[dict]:
    """The rows of the named query ``answer-times`` for these parameters, most answered first."""
    known = facts(index)
    day = day or date.today()
    chosen = period(index, start, end)
    # open on the day asked about: submitted by then and not answered now
    open_now = index.bitmaps.get("status", {}).get("open", 0) & chosen & period(index, None, day.isoformat())
    overdue = open_now & index.overdue(day)
    with_days = known.timed & chosen
    answered, put = groups(index, by)
    rows: list[dict[str, Any]] = []
    for key in set(answered) | set(put):
        done = numbers(answered.get(key, 0) & with_days)
        waiting = put.get(key, 0) & open_now
        if not done and not waiting:
            continue
        days = sorted(known.days[i] or 0 for i in done)
        within = sum(1 for i in done if known.within[i])
        n = len(days)
        group, post = key
        rows.append({
            "group": group, "label": index.entity_of(group).label, "post": post,
            "postLabel": index.entity_of(post).label if post else None, "answered": n,
            "medianDays": days[-(-n // 2) - 1] if n else None, "p90Days": days[-(-9 * n // 10) - 1] if n else None,
            "withinTerm": (within * 2000 // n + 1) // 2 / 1000 if n else None,  # thousandths, halves up
            "open": waiting.bit_count(), "overdue": (waiting & overdue).bit_count(),
        })
    rows.sort(key=lambda r: (-r["answered"], -r["open"], r["label"], r["postLabel"] or "", r["group"], r["post"] or ""))
    return rows
