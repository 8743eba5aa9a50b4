"""The page index: a derived cache behind the question lists, facets and counts of the browse pages.

Counting questions per party, ministry, topic and year, for every combination of choices a reader
makes, is a scan of the whole store in SPARQL (hundreds of milliseconds at 100,000 questions). The
page index answers it in about a millisecond instead: questions are numbered newest first, and for
every facet value (a party, a ministry, a topic with its narrower ones, a year, answered or not,
within the three-week term or over it, a submitter, an answerer, a cabinet post) it keeps the set of
questions as a bitmap (a Python int). A list is the AND of the chosen bitmaps; its page is the
window of set bits; a facet count is ``(chosen & value).bit_count()``.

Everything in it comes from the store through the ``page-index-*.rq`` named queries, and it is
rebuilt from them whenever the store changes: it is a cache, never a source. It lives in an SQLite
file beside the store (``STORE.pages.sqlite``), written by a separate process
(``python -m endpoint.pageindex``) into a temporary file that replaces the old one in one rename,
so readers always see a complete index. ``Keeper`` (one per web process) loads it, notices a
changed store (the folder signature the query processes use, see ``snapshot``) and starts a
rebuild in the background; until it is done the previous index is served.
"""
from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from kamergraph.iris import key_of

TERM_DAYS = 21  # the rules of procedure expect an answer within three weeks
FORMAT_VERSION = "1"
REMOTE_REFRESH_SECONDS = 600.0  # a remote store gives no signature: rebuild this often
CHECK_SECONDS = 1.0  # how often a web process looks at the store's signature

# The dimensions a list can be filtered by. Entity dimensions take a key (the last segment of the
# IRI: "sp", "mnre1058", "luchtvaart"); the others fixed values.
ENTITY_DIMS = {"party": "party", "ministry": "ministry", "topic": "topic", "submitter": "person",
               "answerer": "person", "post": "post"}
VALUE_DIMS = {"year": None, "answered": ("yes", "no"), "term": ("within", "over")}
DIMS = tuple(ENTITY_DIMS) + tuple(VALUE_DIMS)

_SCHEMA = """
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
    from kamergraph.graph.snapshot import is_remote, signature

    if is_remote(location) or not os.path.isdir(location):
        return ""
    return hashlib.sha256(repr(signature(location)).encode()).hexdigest()


# -- building (in its own process) -------------------------------------------------------------


def _rows(store, name: str):
    from kamergraph import queries
    result = store.query(queries.get(name).bound_text({}))
    names = [v.value for v in result.value.variables]
    for solution in result.value:
        yield {n: (None if solution[n] is None else solution[n].value) for n in names}


def build(location: str, out: Path, signature: str) -> None:
    """Read the store through the page-index queries and write the index to ``out`` (atomically)."""
    from kamergraph.graph import open_store

    store = open_store(location, read_only=True)
    try:
        questions = list(_rows(store, "page-index-questions"))
        submissions = list(_rows(store, "page-index-submissions"))
        answerings = list(_rows(store, "page-index-answerings"))
        links = list(_rows(store, "page-index-links"))
        entities = list(_rows(store, "page-index-entities"))
    finally:
        store.close()

    # Newest first; the zaak number breaks ties (and a question stored twice counts once).
    unique = {}
    for row in questions:
        unique.setdefault(row["question"], row)
    ordered = sorted(unique.values(), key=lambda r: (r["submitted"], r["zaak"]), reverse=True)
    ids = {row["question"]: i for i, row in enumerate(ordered)}

    bitmaps: dict[tuple[str, str], int] = defaultdict(int)
    submitters: dict[int, dict[int, tuple]] = defaultdict(dict)
    answerers: dict[int, dict[int, list]] = defaultdict(dict)
    ministries: dict[int, list[str]] = defaultdict(list)
    topics: dict[int, list[str]] = defaultdict(list)

    broader = {e["entity"]: e["parent"] for e in entities if e["kind"] == "topic" and e.get("parent")}

    for row in ordered:
        i = ids[row["question"]]
        bit = 1 << i
        bitmaps["year", row["submitted"][:4]] |= bit
        answered = row.get("answered") is not None
        bitmaps["answered", "yes" if answered else "no"] |= bit
        if row.get("days") is not None:
            bitmaps["term", "over" if int(row["days"]) > TERM_DAYS else "within"] |= bit
    for row in submissions:
        i = ids.get(row["question"])
        if i is None:
            continue
        bit = 1 << i
        submitters[i][int(row["position"])] = (row["person"], row.get("party"))
        bitmaps["submitter", row["person"]] |= bit
        if row.get("party"):
            bitmaps["party", row["party"]] |= bit
    for row in answerings:
        i = ids.get(row["question"])
        if i is None:
            continue
        bit = 1 << i
        posts = answerers[i].setdefault(int(row["position"]), [row["person"], []])[1]
        bitmaps["answerer", row["person"]] |= bit
        if row.get("post"):
            if row["post"] not in posts:
                posts.append(row["post"])
            bitmaps["post", row["post"]] |= bit
            # who answered in which post, exactly (a question's posts may be another answerer's)
            bitmaps["answered_as", f"{row['person']} {row['post']}"] |= bit
    for row in links:
        i = ids.get(row["question"])
        if i is None:
            continue
        bit = 1 << i
        if row["link"] == "ministry":
            if row["value"] not in ministries[i]:
                ministries[i].append(row["value"])
            bitmaps["ministry", row["value"]] |= bit
        else:
            if row["value"] not in topics[i]:
                topics[i].append(row["value"])
            # A theme includes its sub-themes: the question counts for every broader topic too.
            topic, seen = row["value"], set()
            while topic and topic not in seen:
                seen.add(topic)
                bitmaps["topic", topic] |= bit
                topic = broader.get(topic)

    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(f"{out.name}.tmp-{os.getpid()}")
    if temporary.exists():
        temporary.unlink()
    db = sqlite3.connect(temporary)
    try:
        db.executescript(_SCHEMA)
        width = (len(ordered) + 7) // 8
        with db:
            db.executemany("INSERT INTO meta VALUES (?, ?)", [
                ("format", FORMAT_VERSION), ("signature", signature), ("store", location),
                ("questions", str(len(ordered))), ("built", f"{time.time():.3f}"),
            ])
            db.executemany(
                "INSERT INTO question VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        i, row["question"], row["zaak"], row["title"], row["submitted"], row.get("answered"),
                        None if row.get("days") is None else int(row["days"]),
                        json.dumps([list(submitters[i][p]) for p in sorted(submitters.get(i, {}))]),
                        json.dumps([answerers[i][p] for p in sorted(answerers.get(i, {}))]),
                        json.dumps(ministries.get(i, [])), json.dumps(topics.get(i, [])),
                    )
                    for i, row in enumerate(ordered)
                ),
            )
            db.executemany(
                "INSERT OR IGNORE INTO entity VALUES (?, ?, ?, ?, ?)",
                ((e["entity"], e["kind"], key_of(e["entity"]), e.get("label"), e.get("parent")) for e in entities),
            )
            db.executemany(
                "INSERT INTO bitmap VALUES (?, ?, ?)",
                ((dim, value, bits.to_bytes(width, "little")) for (dim, value), bits in bitmaps.items()),
            )
    finally:
        db.close()
    os.replace(temporary, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the page index of a kamergraph store.")
    parser.add_argument("--store", required=True)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--signature", default="")
    args = parser.parse_args(argv)
    lock_path = args.out.with_name(args.out.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # another process is building it: wait for that one instead
            fcntl.flock(lock, fcntl.LOCK_EX)
            return 0
        build(args.store, args.out, args.signature)
    return 0


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


class Keeper:
    """Holds the current page index of one web process and keeps it in step with the store.

    With no index at all (a new store), a request waits up to ``build_wait`` seconds for the first
    build (instant for a small store) and then gets IndexUnavailable (503 with Retry-After) while
    the build goes on; requests wait without holding the lock, so they do not queue behind it.
    """

    def __init__(self, location: str, build_wait: float = 20.0):
        self.location = location
        self.path = index_path_for(location)
        self.build_wait = build_wait
        self._index: PageIndex | None = None
        self._lock = threading.Lock()
        self._checked = 0.0
        self._builder: subprocess.Popen | None = None

    def get(self) -> PageIndex:
        now = time.monotonic()
        index = self._index
        if index is not None and now - self._checked < CHECK_SECONDS:
            return index
        with self._lock:
            self._checked = now
            if self._index is not None:
                self._refresh()
                return self._index
            self._index = self._try_load()
            if self._index is not None:
                if self._stale() and not self._writer_active():
                    self._start_build()  # serve this older index meanwhile
                return self._index
            self._start_build()
            builder = self._builder
        try:
            code = builder.wait(self.build_wait)
        except subprocess.TimeoutExpired:
            raise IndexUnavailable(f"the page index of {self.location} is being built; try again shortly") from None
        with self._lock:
            if self._index is None:
                self._index = self._try_load()
            if self._index is None:
                raise IndexUnavailable(f"building the page index of {self.location} failed (exit code {code})")
            return self._index

    def close(self) -> None:
        with self._lock:
            if self._builder is not None and self._builder.poll() is None:
                self._builder.kill()
                self._builder.wait()
            if self._index is not None:
                self._index.close()
                self._index = None

    # -- under self._lock

    def _refresh(self) -> None:
        if self._builder is not None and self._builder.poll() is not None:
            self._builder = None
        if self._file_changed():
            fresh = self._try_load()
            if fresh is not None:
                old, self._index = self._index, fresh
                old.close()
                return
        if self._builder is None and self._stale() and not self._writer_active():
            self._start_build()

    def _stale(self) -> bool:
        from kamergraph.graph.snapshot import is_remote

        if is_remote(self.location):
            return time.time() - self._index.built > REMOTE_REFRESH_SECONDS
        return self._index.signature != store_signature(self.location)

    def _file_changed(self) -> bool:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return False
        return (stat.st_ino, stat.st_mtime_ns, stat.st_size) != self._index.file_id

    def _try_load(self) -> PageIndex | None:
        try:
            index = PageIndex(self.path)
        except (sqlite3.Error, FileNotFoundError, ValueError):
            return None
        return index

    def _writer_active(self) -> bool:
        from kamergraph.graph.snapshot import is_remote, writer_active

        return not is_remote(self.location) and os.path.isdir(self.location) and writer_active(self.location)

    def _start_build(self) -> None:
        if self._builder is not None and self._builder.poll() is None:
            return
        command = [sys.executable, "-m", "kamergraph.indexes.pages", "--store", self.location, "--out", str(self.path),
                   "--signature", store_signature(self.location)]
        self._builder = subprocess.Popen(command, stdin=subprocess.DEVNULL)


if __name__ == "__main__":
    sys.exit(main())
