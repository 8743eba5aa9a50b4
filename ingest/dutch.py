"""Dutch text conventions of the pages: long dates and the encoding damage seen in crawls."""
from __future__ import annotations

import re
from datetime import date

import ftfy

MONTHS = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6,
    "juli": 7, "augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}

_LONG_DATE = re.compile(r"(\d{1,2})\s+([a-z]+)\s+(\d{4})", re.IGNORECASE)

# Characters that crawls put where a Dutch letter with a diaeresis belongs (``financiƫn``); no
# decoding mistake makes them, so ftfy does not know them.
_MOJIBAKE = {"\u01ab": "ë"}
_MOJIBAKE_RE = re.compile("|".join(map(re.escape, _MOJIBAKE)))
# UTF-8 read as cp1252 shows a lead byte 0xC2-0xF4 as Â-ô and a continuation byte 0x80-0xBF as what
# cp1252 has there: two bytes (``financiÃ«n``, ``YeÅŸilgÃ¶z``), three (``risicoâ€™s``, ``â€“``) or
# four. Only text with such a pair goes to ftfy, which undoes it where the result reads better (about
# a millisecond a page, so not for every page).
_CONTINUATION = "".join(bytes([b]).decode("cp1252", "ignore") for b in range(0x80, 0xC0))
_SUSPECT = re.compile(f"[\u00c2-\u00f4][{re.escape(_CONTINUATION)}]")


def parse_long_date(text: str) -> date:
    """``30 september 2021`` as a date; ValueError with the reason when it is not a real date."""
    match = _LONG_DATE.fullmatch(text.strip())
    if not match:
        raise ValueError(f"not a Dutch long date (day month year): {text.strip()!r}")
    day, month_name, year = match.groups()
    month = MONTHS.get(month_name.lower())
    if month is None:
        raise ValueError(f"unknown month {month_name!r} in date {text.strip()!r}")
    try:
        return date(int(year), month, int(day))
    except ValueError:
        raise ValueError(f"impossible date {text.strip()!r}") from None


def repair_encoding(text: str) -> tuple[str, bool]:
    """The text with known encoding damage undone, and whether anything was repaired."""
    repaired = _MOJIBAKE_RE.sub(lambda m: _MOJIBAKE[m.group()], text)
    if _SUSPECT.search(repaired):
        repaired = ftfy.fix_encoding(repaired)
    return repaired, repaired != text
