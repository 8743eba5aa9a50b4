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
    """An IRI path segment: ASCII letters, digits and hyphens; never empty.

    Names that fold to the same words get the same slug (``a-b`` and ``a b``: punctuation and
    spacing do not matter); names whose words differ never do. Words of a-z and 0-9 give the
    readable form (``kees-van-der-staaij``). Letters that folding leaves outside a-z (Greek,
    Cyrillic, CJK, ``œ``, ``þ``) and names of symbols only would be lost from it, so those slugs
    add ``--`` and the hex of the words (or of the symbols): the readable form never holds ``--``.
    """
    folded = fold(text)
    readable = _NON_ALNUM.sub("-", folded).strip("-")
    words = "".join(c if c.isalnum() else " " for c in folded).split()
    if words and readable == "-".join(words):
        return readable
    key = "-".join(words) if words else text.strip()
    return f"{readable}--{key.encode('utf-8', 'surrogatepass').hex()}"
