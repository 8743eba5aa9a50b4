"""Full-text search over questions: an SQLite FTS5 index kept beside the store.

SPARQL has no text index, and a regex over every literal is a scan of the whole store; FTS5 gives
ranked (BM25) matches with snippets in milliseconds. Diacritics are folded, so ``financien``
finds ``financiën``; so are apostrophes inside words, so ``intercitys`` finds ``intercity’s``.
Besides the texts, a question is found by the names printed in it (submitters, addressees,
answerers: ``Grapperhaus``, ``Lacin``) and by its identifiers (the zaak number and the ids of its
documents: ``2021Z16860``, ``kv-tk-2021Z16860``, ``ah-tk-20212022-753``). Every document is made
from its question graph alone, so ingesting one question updates one row. The index is a derived
cache: ``rebuild`` makes it again from the store.

Snippets are made here, not by FTS5's ``snippet()``, whose cost grows with the square of the
matches in a document (16,000 matches: 3 s for one snippet; a 15 MB page: more than half an hour):
one pass over at most SNIPPET_SCAN characters of each text shown. A search has a time limit
(``time_limit``), past which SQLite is interrupted and ``SearchTimeout`` raised.
"""
from __future__ import annotations

import re
import sqlite3
import time
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
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
    zaak UNINDEXED, submitted UNINDEXED, ids, names, title, body,
    tokenize = "unicode61 remove_diacritics 2"
);
CREATE TABLE IF NOT EXISTS pending (graph TEXT PRIMARY KEY);
"""
# The layout above, as PRAGMA user_version: an index of another layout (an earlier kamergraph's)
# is made anew rather than written to, and read as empty until then.
SCHEMA_VERSION = 4
# BM25 weights of the columns (zaak, submitted, ids, names, title, body): an identifier or a name
# that matches says more than a word of the text.
_WEIGHTS = "0, 0, 20.0, 10.0, 5.0, 1.0"


SNIPPET_TOKENS = 24  # words around the first match, as FTS5's snippet() gave them
SNIPPET_SCAN = 200_000  # characters of a text searched for a match to show
PROGRESS_STEPS = 10_000  # SQLite virtual-machine steps between looks at the clock
# A word of a stored text: the combining marks that stand for apostrophes (above) stay inside it.
_STORED_WORD = re.compile(r"[\w\u0300-\u036f]+")


class SearchTimeout(Exception):
    """A search ran past its time limit and was stopped."""

# The tokenizer splits words at an apostrophe ("intercity’s" is "intercity" and "s"), so a reader
# who types "intercitys" would not find it. FTS5 cannot take a tokenizer of ours from Python, but
# its unicode61 tokenizer drops combining diacritical marks inside a word: each apostrophe is stored
# as one of these (rare, after NFC) marks, which makes "intercity’s" the one word "intercitys", and
# is put back in every text that comes out of the index.
_APOSTROPHES = {"\u2019": "\u0311", "'": "\u030f", "\u02bc": "\u032e"}
_TO_MARK = str.maketrans(_APOSTROPHES)
_FROM_MARK = str.maketrans({mark: apostrophe for apostrophe, mark in _APOSTROPHES.items()})
_QUERY_FOLD = str.maketrans(dict.fromkeys((*_APOSTROPHES, "\u2018", "`", "\u00b4")))
# A query term: what lies between spaces, quotes and the FTS5 operators' characters. A term of
# several words ("kv-tk-2021Z16860", "Dik-Faber") is matched as a phrase: its words in that order.
_TERM = re.compile(r'[^\s"()*:^+{},\x00-\x1f\x7f]+')  # control characters (NUL ends SQLite's text) neither
_HAS_WORD = re.compile(r"\w")


def stored(text: str) -> str:
    """A text as the index holds it: NFC, apostrophes as marks the tokenizer drops."""
    return unicodedata.normalize("NFC", text).translate(_TO_MARK)


def shown(text: str) -> str:
    """A text from the index as it was given (apostrophes back)."""
    return text.translate(_FROM_MARK)


@dataclass(frozen=True)
class SearchDocument:
    iri: str
    zaak: str
    submitted: str  # ISO date
    title: str
    body: str  # the sub-questions, answers and mededelingen
    names: str = ""  # the names printed for submitters, addressees and answerers, one a line
    ids: str = ""  # the zaak number and the identifiers of the question's documents, one a line


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
    """User text as an FTS5 query: every term must occur (a prefix match on the last one); a term
    of several words joined by hyphens, dots or slashes must occur as that phrase.

    Each term is quoted, so FTS5's own syntax in user input has no effect; apostrophes are left
    out, as in the index.
    """
    folded = unicodedata.normalize("NFC", text).translate(_QUERY_FOLD)
    terms = [term for term in _TERM.findall(folded) if _HAS_WORD.search(term)]
    if not terms:
        return None
    quoted = [f'"{term}"' for term in terms]
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
                "INSERT INTO questions (rowid, zaak, submitted, ids, names, title, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (rowid, doc.zaak, doc.submitted, doc.ids, stored(doc.names), stored(doc.title), stored(doc.body)),
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
        with self._limited(time_limit):
            total = self._db.execute("SELECT count(*) FROM questions WHERE questions MATCH ?",
                                     (expression,)).fetchone()[0]
            ranked = rank_limit is None or total <= rank_limit
            order = f"bm25(questions, {_WEIGHTS}), zaak" if ranked else "questions.rowid DESC"
            rows = self._db.execute(
                "SELECT documents.iri, zaak, submitted, title, substr(body, 1, ?) "
                "FROM questions JOIN documents ON documents.id = questions.rowid "
                f"WHERE questions MATCH ? ORDER BY {order} LIMIT ? OFFSET ?",
                (SNIPPET_SCAN, expression, limit, offset),
            ).fetchall()
        words = query_words(text)
        return Matches(total, [Hit(iri, zaak, submitted, shown(title),
                                   shown(snippet(body, words) or snippet(title, words) or title))
                               for iri, zaak, submitted, title, body in rows], ranked)

    def matching(self, text: str, *, rank_limit: int, time_limit: float | None = None) -> tuple[list[str], bool]:
        """The IRIs of every document that matches ``text``, best first when there are at most
        ``rank_limit`` of them (else in no particular order), and whether they are ranked. Costs
        time in proportion to the number of matches; SearchTimeout after ``time_limit`` seconds."""
        expression = match_expression(text)
        if expression is None or self._db is None:
            return [], True
        with self._limited(time_limit):
            total = self._db.execute("SELECT count(*) FROM questions WHERE questions MATCH ?",
                                     (expression,)).fetchone()[0]
            ranked = total <= rank_limit
            order = f"ORDER BY bm25(questions, {_WEIGHTS}), zaak" if ranked else ""
            rows = self._db.execute(
                "SELECT documents.iri FROM questions JOIN documents ON documents.id = questions.rowid "
                f"WHERE questions MATCH ? {order}", (expression,)).fetchall()
        return [row[0] for row in rows], ranked

    def snippets(self, text: str, iris: Iterable[str], time_limit: float | None = None) -> dict[str, str]:
        """The snippet of each of ``iris`` whose title or text matches ``text``: the text around the
        match, the matched words between \\x02 and \\x03."""
        expression = match_expression(text)
        wanted = list(iris)
        if expression is None or self._db is None or not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        # From the texts: a match in the names or ids says no more than the list row around it.
        with self._limited(time_limit):
            rows = self._db.execute(
                "SELECT documents.iri, substr(body, 1, ?), title "
                "FROM questions JOIN documents ON documents.id = questions.rowid "
                f"WHERE questions MATCH ? AND documents.iri IN ({marks})",
                (SNIPPET_SCAN, expression, *wanted)).fetchall()
        words = query_words(text)
        out = {}
        for iri, body, title in rows:
            marked = snippet(body, words) or snippet(title, words)
            if marked is not None:
                out[iri] = shown(marked)
        return out

    @contextmanager
    def _limited(self, time_limit: float | None) -> Iterator[None]:
        """SQLite interrupted past ``time_limit`` seconds (checked every PROGRESS_STEPS steps)."""
        if time_limit is None or self._db is None:
            yield
            return
        deadline = time.monotonic() + time_limit
        self._db.set_progress_handler(lambda: time.monotonic() > deadline, PROGRESS_STEPS)
        try:
            yield
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise SearchTimeout(f"the search ran longer than {time_limit:g} s") from None
            raise
        finally:
            self._db.set_progress_handler(None, 0)

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
    the question's title, every text in it (sub-questions, answers, footnotes, notices), the names
    printed in it and the identifiers of its documents, each in the natural order of their IRIs."""
    iri = zaak = submitted = title = None
    texts: list[tuple[str, str]] = []
    names: list[tuple[str, str]] = []
    ids: list[tuple[str, str]] = []
    for subject, props in values.items():
        if KG.zaakNumber in props:
            iri, zaak = _lexical(subject), _lexical(props[KG.zaakNumber][-1])
            title = props.get(DCTERMS.title)
            submitted = props.get(DCTERMS.dateSubmitted)
        key = _lexical(subject)
        texts += [(key, _lexical(text)) for text in props.get(KG.text, ())]
        names += [(key, _lexical(name)) for name in props.get(KG.printedName, ())]
        ids += [(key, _lexical(identifier)) for identifier in props.get(DCTERMS.identifier, ())]
    if iri is None or zaak is None:
        return None
    return SearchDocument(iri, zaak, _lexical(submitted[-1]) if submitted else "", _lexical(title[-1]) if title else "",
                          "\n".join(text for _, text in sorted(texts, key=lambda item: _natural(item[0]))),
                          names=_once(names), ids="\n".join([zaak, *(i for _, i in sorted(ids))]))


def _once(items: list[tuple[str, str]]) -> str:
    """The names in the natural order of their subjects' IRIs, once each, one a line."""
    seen: dict[str, None] = {}
    for _, text in sorted(items, key=lambda item: _natural(item[0])):
        seen.setdefault(text, None)
    return "\n".join(seen)


def _lexical(term: Term) -> str:
    """A literal's lexical form; a quoted triple (never a text here) as its N-Triples form."""
    return term.value if isinstance(term, Literal | NamedNode | BlankNode) else str(term)


def _natural(iri: str) -> tuple:
    head, _, number = iri.rpartition("/")
    return (head, int(number)) if number.isdigit() else (iri, 0)


def _fold(word: str) -> str:
    """A word as the index compares it: lower case, without diacritics or apostrophe marks."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def query_words(text: str) -> list[str]:
    """The words of a search, folded, in order; the last one is matched as a prefix."""
    folded = unicodedata.normalize("NFC", text).translate(_QUERY_FOLD)
    return [_fold(word) for term in _TERM.findall(folded) for word in _STORED_WORD.findall(term)]


def snippet(text: str, words: list[str]) -> str | None:
    """About SNIPPET_TOKENS words of a stored text around its first match of ``words`` (the last a
    prefix, as in ``match_expression``), the matched words between \\x02 and \\x03, '…' where text
    was left out; None when its first SNIPPET_SCAN characters hold no match. One pass over the
    text: linear in its length, and bounded."""
    if not words:
        return None
    wanted, prefix = set(words[:-1]), words[-1]

    def matches(token: str) -> bool:
        folded = _fold(token)
        return folded in wanted or folded.startswith(prefix)

    text = text[:SNIPPET_SCAN].replace("\x02", "").replace("\x03", "")  # the marks are ours alone
    tokens = list(_STORED_WORD.finditer(text))
    first = next((i for i, token in enumerate(tokens) if matches(token.group())), None)
    if first is None:
        return None
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
