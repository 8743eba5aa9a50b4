"""The page index: a derived cache behind the question lists, facets and counts of the browse pages.

Counting questions per party, ministry, topic and year, for every combination of choices a reader
makes, is a scan of the whole store in SPARQL, for every count. The page index answers it with a
few integer operations instead: questions are numbered newest first, and for
every facet value (a party, a ministry, a topic with its narrower ones, a year, answered or not,
within the three-week term or over it, a submitter, an answerer, a cabinet post) it keeps the set of
questions as a bitmap (a Python int). A list is the AND of the chosen bitmaps; its page is the
window of set bits; a facet count is ``(chosen & value).bit_count()``.

Everything in it comes from the store through the ``page-index-*.rq`` named queries, and it is
rebuilt from them whenever the store changes: it is a cache, never a source. It lives in an SQLite
file beside the store (``STORE.pages.sqlite``), written by a process of its own (``page_build``)
into a temporary file that replaces the old one in one rename, so readers always see a complete
index. This module reads it; ``page_keeper.Keeper`` (one per web process) loads it, notices a
changed store (the folder signature the query processes use, see ``snapshot``) and starts a
rebuild in the background; until it is done the previous index is served.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from kamergraph.iris import key_of

TERM_DAYS = 21  # the rules of procedure expect an answer within three weeks
FORMAT_VERSION = "2"  # 2: the rows of each question kept (table raw) for updates

# The dimensions a list can be filtered by. Entity dimensions take a key (the last segment of the
# IRI: "sp", "mnre1058", "luchtvaart"); the others fixed values.
ENTITY_DIMS = {"party": "party", "ministry": "ministry", "topic": "topic", "submitter": "person",
               "answerer": "person", "post": "post"}
VALUE_DIMS = {"year": None, "answered": ("yes", "no"), "term": ("within", "over")}
DIMS = tuple(ENTITY_DIMS) + tuple(VALUE_DIMS)

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE question (
    id INTEGER PRIMARY KEY, iri TEXT NOT NULL, zaak TEXT NOT NULL, title TEXT NOT NULL,
    submitted TEXT NOT NULL, answered TEXT, days INTEGER,
    submitters TEXT NOT NULL, answerers TEXT NOT NULL, ministries TEXT NOT NULL, topics TEXT NOT NULL
);
CREATE TABLE entity (iri TEXT PRIMARY KEY, kind TEXT NOT NULL, key TEXT NOT NULL, label TEXT, parent TEXT);
CREATE TABLE bitmap (dim TEXT NOT NULL, value TEXT NOT NULL, bits BLOB NOT NULL, PRIMARY KEY (dim, value));
"""


def index_path_for(store_location: str) -> Path:
    """Beside an embedded store; under var/ for a remote one, a file for each URL (graph.cache_path)."""
    from kamergraph.graph import cache_path

    return cache_path(store_location, "pages.sqlite")


def store_signature(location: str) -> str:
    """A digest of the store folder's signature ('' for a remote store or a missing folder)."""
    from kamergraph.graph import is_remote
    from kamergraph.graph.snapshot import signature

    if is_remote(location) or not os.path.isdir(location):
        return ""
    return hashlib.sha256(repr(signature(location)).encode()).hexdigest()


# -- reading (in the web process) --------------------------------------------------------------


@dataclass(frozen=True)
class Entity:
    iri: str
    kind: str
    key: str
    label: str
    parent: str | None


@dataclass
class Row:
    """One question of a list, with the entities it links to resolved to Entity objects."""

    id: int
    iri: str
    zaak: str
    title: str
    submitted: str
    answered: str | None
    days: int | None
    submitters: list  # [(Entity person, Entity party or None)], in printed order
    answerers: list  # [(Entity person, [Entity post])]
    ministries: list  # [Entity]
    topics: list  # [Entity]

    @property
    def over_term(self) -> bool:
        return self.days is not None and self.days > TERM_DAYS


class PageIndex:
    def __init__(self, path: Path):
        self.path = path
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        meta = dict(self._db.execute("SELECT key, value FROM meta"))
        self.signature = meta.get("signature", "")
        self.built = float(meta.get("built", "0"))
        self.size = int(meta.get("questions", "0"))
        self.all = (1 << self.size) - 1
        self.entities: dict[str, Entity] = {}
        self.by_key: dict[tuple[str, str], Entity] = {}
        for iri, kind, key, label, parent in self._db.execute("SELECT iri, kind, key, label, parent FROM entity"):
            entity = Entity(iri, kind, key, label or key, parent)
            self.entities[iri] = entity
            self.by_key.setdefault((kind, key), entity)
        self.bitmaps: dict[str, dict[str, int]] = defaultdict(dict)
        for dim, value, bits in self._db.execute("SELECT dim, value, bits FROM bitmap"):
            self.bitmaps[dim][value] = int.from_bytes(bits, "little")
        stat = path.stat()
        self.file_id = (stat.st_ino, stat.st_mtime_ns, stat.st_size)

    def close(self) -> None:
        self._db.close()

    # filters: {dim: value}, values as in URLs (entity keys, years, yes/no, within/over)

    def entity(self, kind: str, key: str) -> Entity | None:
        return self.by_key.get((kind, key))

    def bits_for(self, dim: str, value: str) -> int | None:
        """The bitmap of one filter value; None when the value is unknown."""
        if dim in ENTITY_DIMS:
            entity = self.by_key.get((ENTITY_DIMS[dim], value))
            if entity is None:
                return None
            return self.bitmaps.get(dim, {}).get(entity.iri, 0)
        if dim in VALUE_DIMS:
            allowed = VALUE_DIMS[dim]
            if allowed is not None and value not in allowed:
                return None
            return self.bitmaps.get(dim, {}).get(value, 0)
        return None

    def select(self, filters: dict[str, str]) -> int:
        """The questions matching every filter (unknown values match nothing)."""
        bits = self.all
        for dim, value in filters.items():
            chosen = self.bits_for(dim, value)
            bits &= chosen if chosen is not None else 0
        return bits

    def counts(self, dim: str, within: int) -> list[tuple[str, int]]:
        """(value, number of questions of ``within`` with it) for every value of a dimension that
        occurs in ``within``, most first (years: newest first)."""
        out = [(value, (within & bits).bit_count()) for value, bits in self.bitmaps.get(dim, {}).items()]
        out = [(v, n) for v, n in out if n]
        if dim == "year":
            out.sort(key=lambda item: item[0], reverse=True)
        else:
            out.sort(key=lambda item: (-item[1], self._label(item[0])))
        return out

    def _label(self, value: str) -> str:
        entity = self.entities.get(value)
        return (entity.label if entity else value).lower()

    def window(self, bits: int, offset: int, limit: int, newest_first: bool = True) -> list[int]:
        """Question numbers of the set bits from ``offset``, at most ``limit`` (newest first, or
        oldest first)."""
        if bits <= 0 or limit <= 0:
            return []
        width = (self.size + 7) // 8
        data = bits.to_bytes(width, "little")
        found: list[int] = []
        skip = offset
        chunk = 256  # bytes: 2,048 questions at a time
        starts = range(0, width, chunk) if newest_first else range(((width - 1) // chunk) * chunk, -1, -chunk)
        for start in starts:
            word = int.from_bytes(data[start:start + chunk], "little")
            if not word:
                continue
            count = word.bit_count()
            if skip >= count:
                skip -= count
                continue
            positions = [start * 8 + b for b in range(word.bit_length()) if word >> b & 1]
            if not newest_first:
                positions.reverse()
            take = positions[skip:skip + limit - len(found)]
            skip = 0
            found.extend(take)
            if len(found) >= limit:
                break
        return found

    def rows(self, ids: list[int]) -> list[Row]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        with self._lock:
            raw = self._db.execute(
                f"SELECT id, iri, zaak, title, submitted, answered, days, submitters, answerers, ministries, topics "
                f"FROM question WHERE id IN ({marks})", ids
            ).fetchall()
        by_id = {r[0]: r for r in raw}
        return [self._row(by_id[i]) for i in ids if i in by_id]

    def question_iris(self, start: int, count: int) -> list[str]:
        """The IRIs of questions ``start`` to ``start + count`` (newest first)."""
        with self._lock:
            return [r[0] for r in self._db.execute(
                "SELECT iri FROM question WHERE id >= ? AND id < ? ORDER BY id", (start, start + count))]

    def answered_as(self, person: str) -> list[tuple[Entity, int]]:
        """The cabinet posts a person answered questions in, with how many, most first."""
        out = []
        for pair, bits in self.bitmaps.get("answered_as", {}).items():
            who, post = pair.split(" ", 1)
            if who == person:
                out.append((self._entity(post), bits.bit_count()))
        return sorted(out, key=lambda item: (-item[1], item[0].label))

    def _row(self, r) -> Row:
        ent = self._entity
        return Row(
            id=r[0], iri=r[1], zaak=r[2], title=r[3], submitted=r[4], answered=r[5], days=r[6],
            submitters=[(ent(person), ent(party) if party else None) for person, party in json.loads(r[7])],
            answerers=[(ent(person), [ent(p) for p in posts]) for person, posts in json.loads(r[8])],
            ministries=[ent(m) for m in json.loads(r[9])],
            topics=[ent(t) for t in json.loads(r[10])],
        )

    def _entity(self, iri: str) -> Entity:
        found = self.entities.get(iri)
        if found is None:
            found = Entity(iri, "", key_of(iri), key_of(iri), None)
        return found


class IndexUnavailable(RuntimeError):
    """The page index could not be built (the store is missing or cannot be read)."""
