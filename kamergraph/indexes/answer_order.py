"""The questions of a page index in the order of their (first) answer, newest answer first.

The page index numbers questions by submission; a feed of answers wants them by the day they were
answered. One sorted read of the index's question table gives that order, kept per index file
(``PageIndex.file_id``) and made anew when the index is replaced.
"""
from __future__ import annotations

import sqlite3
import threading

from kamergraph.indexes.pages import PageIndex

_kept: dict[tuple, list[tuple[int, str]]] = {}
_lock = threading.Lock()


def newest_answers(index: PageIndex) -> list[tuple[int, str]]:
    """(question number, answer date) of every answered question, newest answer first (the
    question submitted later first on the same day)."""
    with _lock:
        found = _kept.get(index.file_id)
    if found is None:
        db = sqlite3.connect(f"file:{index.path}?mode=ro", uri=True)
        try:
            found = [(number, answered) for number, answered in db.execute(
                "SELECT id, answered FROM question WHERE answered IS NOT NULL ORDER BY answered DESC, id")]
        finally:
            db.close()
        with _lock:
            _kept.clear()
            _kept[index.file_id] = found
    return found
