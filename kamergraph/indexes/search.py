"""Full-text search over questions: an SQLite FTS5 index kept beside the store.

SPARQL has no text index, and a regex over every literal is a scan of the whole store; FTS5 gives
ranked (BM25) matches with snippets in milliseconds. Diacritics are folded, so ``financien``
finds ``financiën``. The index is a derived cache: ``rebuild`` makes it again from the store.

Snippets are made here, not by FTS5's ``snippet()``, whose cost grows with the square of the
matches in a document (16,000 matches: 3 s for one snippet; a 15 MB page: more than half an hour):
one pass over at most SNIPPET_SCAN characters of each hit shown. A search has a time limit
(``time_limit``), past which SQLite is interrupted and ``SearchTimeout`` raised.
"""
from __future__ import annotations

import re
import sqlite3
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from pyoxigraph import BlankNode, Literal, NamedNode

from kamergraph.graph.base import Term, Values, group_by_subject
from kamergraph.ontology.terms import DCTERMS, KG

# The IRI lives in an ordinary table whose rowid is the FTS row's: replacing a document is a
# delete by rowid (an FTS5 UNINDEXED column has no index, so deleting by it scans the table).
# ``pending`` names the question graphs of batches sent to the store whose documents are not in
# yet: a run killed in between leaves them there, and the next one indexes them from the store.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE);
CREATE VIRTUAL TABLE IF NOT EXISTS questions USING fts5(
    zaak UNINDEXED, submitted UNINDEXED, title, body,
    tokenize = "unicode61 remove_diacritics 2"
);
CREATE TABLE IF NOT EXISTS pending (graph TEXT PRIMARY KEY);
"""
_WORD = re.compile(r"\w+", re.UNICODE)
SNIPPET_TOKENS = 24  # words around the first match, as FTS5's snippet() gave them
SNIPPET_SCAN = 200_000  # characters of a document searched for a match to show
PROGRESS_STEPS = 10_000  # SQLite virtual-machine steps between looks at the clock


class SearchTimeout(Exception):
    """A search ran past its time limit and was stopped."""
# The layout above, as PRAGMA user_version: an index of another layout (an earlier kamergraph's)
# is made anew rather than written to, and read as empty until then.
SCHEMA_VERSION = 3


@dataclass(frozen=True)
class SearchDocument:
    iri: str
    zaak: str
    submitted: str  # ISO date
    title: str
    body: str  # the sub-questions, answers and mededelingen


@dataclass(frozen=True)
class Hit:
    iri: str
    zaak: str
    submitted: str
    title: str
    snippet: str  # text around the match, the matched words between \x02 and \x03


class Matches(NamedTuple):
    total: int  # how many documents match
    hits: list[Hit]  # one page of them
    ranked: bool  # best first; else most recently indexed first


def index_path_for(store_location: str) -> Path:
    """Where the index of a store lives (see graph.cache_path)."""
    from kamergraph.graph import cache_path

    return cache_path(store_location, "search.sqlite")


def match_expression(text: str) -> str | None:
    """User text as an FTS5 query: every word must occur (prefix match on the last one).

    Only words are kept, each quoted, so FTS5's own syntax in user input has no effect.
    """
    words = _WORD.findall(text)
    if not words:
        return None
    quoted = [f'"{word}"' for word in words]
    quoted[-1] += "*"
    return " ".join(quoted)


class SearchIndex:
    def __init__(self, path: str | Path, *, read_only: bool = False):
        self.path = Path(path)
        self._db: sqlite3.Connection | None
        if read_only:
            if not self.path.exists():
                self._db = None
                return
            self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            if self._version() != SCHEMA_VERSION:
                self._conn.close()
                self._db = None
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False)
            # Write-ahead logging: a server reading the index sees the last commit while a long
            # refill runs (in the default mode the writer locks readers out once its cache spills).
            self._conn.execute("PRAGMA journal_mode=WAL")
            if self._version() != SCHEMA_VERSION:  # new, or an earlier layout: a derived cache, made anew
                self._conn.executescript(
                    "DROP TABLE IF EXISTS questions; DROP TABLE IF EXISTS documents; DROP TABLE IF EXISTS pending;"
                    + _SCHEMA + f"PRAGMA user_version = {SCHEMA_VERSION};"
                )

    @property
    def _conn(self) -> sqlite3.Connection:
        """The connection of an index opened for writing (or found, when opened read-only)."""
        if self._db is None:
            raise RuntimeError(f"the search index {self.path} is not open")
        return self._db

    def _version(self) -> int:
        return self._conn.execute("PRAGMA user_version").fetchone()[0]

    def put(self, documents: Iterable[SearchDocument], settled: Iterable[str] = ()) -> None:
        """Add or replace documents (by IRI), and take the ``settled`` graphs off the pending
        list, in one transaction."""
        with self._conn:
            self._write(documents, settled)

    def replace_all(self, documents: Iterable[SearchDocument], prefix: str = "", settled: Iterable[str] = ()) -> None:
        """Every document whose IRI starts with ``prefix`` anew, and the ``settled`` graphs off the
        pending list, in one transaction: a reader sees the old index until it ends."""
        with self._conn:
            self._conn.execute("DELETE FROM questions WHERE rowid IN "
                             "(SELECT id FROM documents WHERE substr(iri, 1, ?) = ?)", (len(prefix), prefix))
            self._conn.execute("DELETE FROM documents WHERE substr(iri, 1, ?) = ?", (len(prefix), prefix))
            self._write(documents, settled)

    def count(self, prefix: str = "") -> int:
        """How many documents have an IRI that starts with ``prefix``."""
        if self._db is None:
            return 0
        return self._db.execute("SELECT count(*) FROM documents WHERE substr(iri, 1, ?) = ?",
                                (len(prefix), prefix)).fetchone()[0]

    def remove(self, iris: Iterable[str]) -> None:
        with self._conn:
            for iri in iris:
                row = self._row(iri)
                if row:
                    self._conn.execute("DELETE FROM questions WHERE rowid = ?", row)
                    self._conn.execute("DELETE FROM documents WHERE id = ?", row)

    def mark_pending(self, graphs: Iterable[str]) -> None:
        """Note graphs about to be written to the store; ``put`` with them as settled ends it."""
        with self._conn:
            self._conn.executemany("INSERT OR IGNORE INTO pending (graph) VALUES (?)", ((graph,) for graph in graphs))

    def pending(self) -> list[str]:
        return [row[0] for row in self._conn.execute("SELECT graph FROM pending ORDER BY graph")]

    def _row(self, iri: str) -> tuple[int] | None:
        return self._conn.execute("SELECT id FROM documents WHERE iri = ?", (iri,)).fetchone()

    def _write(self, documents: Iterable[SearchDocument], settled: Iterable[str]) -> None:
        for doc in documents:
            row = self._row(doc.iri)
            if row:
                self._conn.execute("DELETE FROM questions WHERE rowid = ?", row)
                rowid: int | None = row[0]
            else:
                rowid = self._conn.execute("INSERT INTO documents (iri) VALUES (?)", (doc.iri,)).lastrowid
            self._conn.execute(
                "INSERT INTO questions (rowid, zaak, submitted, title, body) VALUES (?, ?, ?, ?, ?)",
                (rowid, doc.zaak, doc.submitted, doc.title, doc.body),
            )
        self._conn.executemany("DELETE FROM pending WHERE graph = ?", ((graph,) for graph in settled))

    def search(self, text: str, *, limit: int = 20, offset: int = 0) -> tuple[int, list[Hit]]:
        """(number of matches, one page of hits best first)."""
        matches = self.find(text, limit=limit, offset=offset)
        return matches.total, matches.hits

    def find(self, text: str, *, limit: int, offset: int, rank_limit: int | None = None,
             time_limit: float | None = None) -> Matches:
        """The matches of ``text``, one page of them: best first, or, when there are more than
        ``rank_limit``, most recently indexed first (ranking costs time in proportion to the number
        of matches, and with that many a reader narrows the search rather than reads on).
        SearchTimeout after ``time_limit`` seconds."""
        expression = match_expression(text)
        if expression is None or self._db is None:
            return Matches(0, [], True)
        deadline = None if time_limit is None else time.monotonic() + time_limit
        if deadline is not None:
            self._db.set_progress_handler(lambda: time.monotonic() > deadline, PROGRESS_STEPS)
        try:
            total = self._db.execute("SELECT count(*) FROM questions WHERE questions MATCH ?",
                                     (expression,)).fetchone()[0]
            ranked = rank_limit is None or total <= rank_limit
            order = "bm25(questions, 0, 0, 5.0, 1.0), zaak" if ranked else "questions.rowid DESC"
            rows = self._db.execute(
                "SELECT documents.iri, zaak, submitted, title, substr(body, 1, ?) "
                "FROM questions JOIN documents ON documents.id = questions.rowid "
                f"WHERE questions MATCH ? ORDER BY {order} LIMIT ? OFFSET ?",
                (SNIPPET_SCAN, expression, limit, offset),
            ).fetchall()
        except sqlite3.OperationalError:
            if deadline is not None and time.monotonic() > deadline:
                raise SearchTimeout(f"the search ran longer than {time_limit:g} s") from None
            raise
        finally:
            if deadline is not None:
                self._db.set_progress_handler(None, 0)
        words = _WORD.findall(text)
        return Matches(total, [Hit(iri, zaak, submitted, title, snippet(title, body, words))
                               for iri, zaak, submitted, title, body in rows], ranked)

    def __len__(self) -> int:
        return self.count()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()


def document_from_quads(quads: Iterable) -> SearchDocument | None:
    """The search document of one question graph, from its quads (as the store gives them)."""
    return document_from_values(group_by_subject(quads))


def document_from_values(values: Values) -> SearchDocument | None:
    """The search document of one question graph, from what it says by subject and predicate:
    the question's title, and every text in it (sub-questions, answers, footnotes, notices) in
    the natural order of their IRIs."""
    iri = zaak = submitted = title = None
    texts: list[tuple[str, str]] = []
    for subject, props in values.items():
        if KG.zaakNumber in props:
            iri, zaak = _lexical(subject), _lexical(props[KG.zaakNumber][-1])
            title = props.get(DCTERMS.title)
            submitted = props.get(DCTERMS.dateSubmitted)
        texts += [(_lexical(subject), _lexical(text)) for text in props.get(KG.text, ())]
    if iri is None or zaak is None:
        return None
    texts.sort(key=lambda item: _natural(item[0]))
    return SearchDocument(iri, zaak, _lexical(submitted[-1]) if submitted else "", _lexical(title[-1]) if title else "",
                          "\n".join(text for _, text in texts))


def _lexical(term: Term) -> str:
    """A literal's lexical form; a quoted triple (never a text here) as its N-Triples form."""
    return term.value if isinstance(term, Literal | NamedNode | BlankNode) else str(term)


def _natural(iri: str) -> tuple:
    head, _, number = iri.rpartition("/")
    return (head, int(number)) if number.isdigit() else (iri, 0)


def _fold(word: str) -> str:
    """A word as the index compares it: lower case, without diacritics (unicode61 remove_diacritics)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def snippet(title: str, body: str, words: list[str]) -> str:
    """About SNIPPET_TOKENS words of the body around its first match of ``words`` (the last one
    a prefix, as in ``match_expression``), the matched words between \\x02 and \\x03, '…' where text
    was left out; the title when the body has no match in its first SNIPPET_SCAN characters. One
    pass over the text: linear in its length, and bounded."""
    wanted = {_fold(word) for word in words[:-1]}
    prefix = _fold(words[-1]) if words else ""

    def matches(token: str) -> bool:
        folded = _fold(token)
        return folded in wanted or (bool(prefix) and folded.startswith(prefix))

    for raw in (body[:SNIPPET_SCAN], title):
        text = raw.replace("\x02", "").replace("\x03", "")  # the marks are ours alone
        tokens = list(_WORD.finditer(text))
        first = next((i for i, token in enumerate(tokens) if matches(token.group())), None)
        if first is None:
            continue
        start = max(0, min(first - SNIPPET_TOKENS // 4, len(tokens) - SNIPPET_TOKENS))
        window = tokens[start:start + SNIPPET_TOKENS]
        out, position = [], window[0].start()
        for token in window:
            out.append(text[position:token.start()])
            out.append(f"\x02{token.group()}\x03" if matches(token.group()) else token.group())
            position = token.end()
        # To the end of the text when the window takes its last word, else '…'.
        out.append(text[position:].rstrip() if start + SNIPPET_TOKENS >= len(tokens) else "…")
        return ("…" if start > 0 else "") + "".join(out)
    return title
