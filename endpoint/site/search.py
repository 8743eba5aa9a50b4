"""The search page's use of the full-text index (graph/search.py), fast on a large store.

Ranking every match by BM25 costs time in proportion to the number of matches: 100-200 ms for a
common word at 100,000 questions. So the page ranks by relevance only when there are at most
``RANK_LIMIT`` matches (a specific search, where ranking matters), and otherwise lists the matches
most recently indexed first (a broad search, where the page says so and more words narrow it).
"""
from __future__ import annotations

from kamergraph.indexes.search import Hit, SearchIndex, match_expression

RANK_LIMIT = 2000


class PagedSearch(SearchIndex):
    def page(self, text: str, *, limit: int, offset: int) -> tuple[int, list[Hit], bool]:
        """(number of matches, one page of hits, whether ranked by relevance)."""
        expression = match_expression(text)
        if expression is None or self._db is None:
            return 0, [], True
        total = self._db.execute("SELECT count(*) FROM questions WHERE questions MATCH ?", (expression,)).fetchone()[0]
        if total <= RANK_LIMIT:
            return total, self.search(text, limit=limit, offset=offset)[1], True
        rows = self._db.execute(
            "SELECT documents.iri, zaak, submitted, title, snippet(questions, -1, char(2), char(3), '…', 24) "
            "FROM questions JOIN documents ON documents.id = questions.rowid "
            "WHERE questions MATCH ? ORDER BY questions.rowid DESC LIMIT ? OFFSET ?",
            (expression, limit, offset),
        ).fetchall()
        return total, [Hit(*row) for row in rows], False
