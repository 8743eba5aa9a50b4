"""Dutch text conventions of the pages: long dates and the encoding damage seen in crawls."""
from __future__ import annotations

import re
from datetime import date

MONTHS = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6,
    "juli": 7, "augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}

_LONG_DATE = re.compile(r"(\d{1,2})\s+([a-z]+)\s+(\d{4})", re.IGNORECASE)

# Characters that crawls put where a Dutch letter with a diaeresis belongs (``financiƫn``).
_MOJIBAKE = {"\u01ab": "ë"}
_MOJIBAKE_RE = re.compile("|".join(map(re.escape, _MOJIBAKE)))
# UTF-8 read as cp1252 leaves pairs behind: a lead byte 0xC2-0xDF shows as Â-ß, a continuation
# byte 0x80-0xBF as what cp1252 has there (``financiÃ«n``, ``YeÅŸilgÃ¶z``).
_CONTINUATION = "".join(bytes([b]).decode("cp1252", "ignore") for b in range(0x80, 0xC0))
_DOUBLE_ENCODED = re.compile(f"[\u00c2-\u00df][{re.escape(_CONTINUATION)}]")


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
    if _DOUBLE_ENCODED.search(repaired):
        repaired = _DOUBLE_ENCODED.sub(_undo_double_encoding, repaired)
    return repaired, repaired != text


def _undo_double_encoding(match: re.Match) -> str:
    try:
        letter = match.group().encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return match.group()
    # Â and Ã start most damage (Â before a sign or a no-break space); other leads only count
    # when they make a letter, as a pair such as "Ö®" may be meant as printed.
    return letter if letter.isalpha() or match.group()[0] in "ÂÃ" else match.group()
