"""Name forms: folding for comparison and slugs for IRIs."""
from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Letters that do not decompose into a base letter plus a mark.
_SPECIAL = str.maketrans({"ß": "ss", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "æ": "ae", "Æ": "AE", "đ": "d", "ı": "i"})


def fold(text: str) -> str:
    """Case, diacritics and spacing dropped: ``Van der Staaij`` and ``van der staaij`` fold alike."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(ascii_only.lower().replace("-", " - ").split()).replace(" - ", "-")


def slug(text: str) -> str:
    """An IRI path segment: ASCII letters, digits and hyphens; never empty."""
    value = _NON_ALNUM.sub("-", fold(text)).strip("-")
    if not value:
        # Names of symbols only: keep them distinct rather than collapsing onto one IRI.
        value = "x" + "".join(f"{ord(c):x}" for c in text.strip())[:60] or "x"
    return value
