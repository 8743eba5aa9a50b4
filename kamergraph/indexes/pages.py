"""The page index: a derived cache behind the question lists, facets and counts of the browse pages.

Counting questions per party, ministry, topic and year, for every combination of choices a reader
makes, is a scan of the whole store in SPARQL, for every count. The page index answers it with a
few integer operations instead: questions are numbered newest first, and for
every facet value (a party, a ministry, a topic with its narrower ones, a year, answered or not,
within the three-week term or over it, a status, a submitter, an answerer, an addressee, a cabinet
post) it keeps the set of questions as a bitmap (a Python int). A list is the AND of the chosen
bitmaps; its page is the window of set bits; a facet count is ``(chosen & value).bit_count()``.

A person is counted in her own place on a question: a bitmap per pair (submitter and the party
printed for her on that question, answerer and the post she answered in, answerer and the ministry
of that post, addressee and ministry), so that a co-submitter of another party, or a co-answerer
for another ministry, never counts for this one. A list filtered on a person and on her party,
ministry or post takes that pair's bitmap, and so do the facet counts that add one of them.

Whether an open question is overdue depends on the day one asks, so it is not stored: the open
questions' deadlines are, and the overdue bitmap is made from them for the day asked about.

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
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kamergraph.iris import key_of

TERM_DAYS = 21  # the rules of procedure expect an answer within three weeks
FORMAT_VERSION = "4"  # 3: the rows of each question kept (table raw); 4: who asked whom stored (table pairs)
# The formats whose tables this version reads as they are: an index of an older one among them is
# served (and rebuilt in the background, page_keeper) after an upgrade, instead of no index at all.
READABLE_FORMATS = ("2", "3", "4")
RAW_FORMATS = ("3", "4")  # the formats whose table raw an update after an ingest can start from

# The dimensions a list can be filtered by. Entity dimensions take a key (the last segment of the
# IRI: "sp", "mnre1058", "luchtvaart"); the others fixed values.
ENTITY_DIMS = {"party": "party", "ministry": "ministry", "topic": "topic", "submitter": "person",
               "answerer": "person", "post": "post", "addressee": "person", "addressed": "ministry"}
STATUSES = ("open", "overdue", "answered", "withdrawn")  # open: not answered, deadline not yet passed
VALUE_DIMS = {"year": None, "answered": ("yes", "no"), "term": ("within", "over"), "status": STATUSES}
DIMS = tuple(ENTITY_DIMS) + tuple(VALUE_DIMS)
# A person dimension and a dimension of her place on the question -> the bitmaps of the pairs
# ("PERSON-IRI OTHER-IRI"): she submitted printed with that party, answered in that post or for that
# ministry, was addressed for that ministry.
ROLE_PAIRS = {("submitter", "party"): "submitted_as", ("answerer", "post"): "answered_as",
              ("answerer", "ministry"): "answered_for", ("addressee", "addressed"): "addressed_for"}

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE question (
    id INTEGER PRIMARY KEY, iri TEXT NOT NULL, zaak TEXT NOT NULL, title TEXT NOT NULL,
    submitted TEXT NOT NULL, answered TEXT, days INTEGER,
    submitters TEXT NOT NULL, answerers TEXT NOT NULL, ministries TEXT NOT NULL, topics TEXT NOT NULL,
    deadline TEXT, status TEXT NOT NULL, within INTEGER, withdrawn TEXT,
    addressees TEXT NOT NULL, addressed TEXT NOT NULL
);
CREATE TABLE entity (iri TEXT PRIMARY KEY, kind TEXT NOT NULL, key TEXT NOT NULL, label TEXT, parent TEXT);
CREATE TABLE bitmap (dim TEXT NOT NULL, value TEXT NOT NULL, bits BLOB NOT NULL, PRIMARY KEY (dim, value));
CREATE TABLE span (dim TEXT NOT NULL, value TEXT NOT NULL, first TEXT NOT NULL, last TEXT NOT NULL,
                   PRIMARY KEY (dim, value));
"""
QUESTION_COLUMNS = ("id, iri, zaak, title, submitted, answered, days, submitters, answerers, ministries, topics, "
                    "deadline, status, within, withdrawn, addressees, addressed")



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
    deadline: str | None = None
    status: str = "open"  # open, answered or withdrawn, as stored (see status_on)
    within_term: bool | None = None  # the first answer came by the deadline
    withdrawn: str | None = None
    addressees: list = field(default_factory=list)  # [(Entity person, [Entity post])]
    addressed: list = field(default_factory=list)  # [Entity ministry]

    @property
    def over_term(self) -> bool:
        return self.days is not None and self.days > TERM_DAYS

    def status_on(self, day: date) -> str:
        """open, overdue, answered or withdrawn on a day: an open question is overdue once the day
        after its deadline has come."""
        if self.status == "open" and self.deadline and self.deadline < day.isoformat():
            return "overdue"
        return self.status

    def days_open(self, day: date) -> int | None:
        """Days from submission to the day asked about, for an open question."""
        if self.status != "open":
            return None
        return (day - date.fromisoformat(self.submitted)).days


class PageIndex:
    def __init__(self, path: Path):
        self.path = path
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        meta = dict(self._db.execute("SELECT key, value FROM meta"))
        if meta.get("format") not in READABLE_FORMATS:
            self._db.close()
            raise ValueError(f"{path} is a page index of format {meta.get('format')}, not {FORMAT_VERSION}")
        self.current_format = meta.get("format") == FORMAT_VERSION  # an older one is served until rebuilt
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
        self.spans: dict[tuple[str, str], tuple[str, str]] = {
            (dim, value): (first, last) for dim, value, first, last in self._db.execute("SELECT * FROM span")}
        # The deadlines of the open questions, latest first: the overdue ones of a day are a prefix.
        self._deadlines = sorted(((str(d), i) for i, d in self._db.execute(
            "SELECT id, deadline FROM question WHERE status = 'open' AND deadline IS NOT NULL")), reverse=True)
        self._overdue: tuple[str, int] | None = None
        stat = path.stat()
        self.file_id = (stat.st_ino, stat.st_mtime_ns, stat.st_size)

    def close(self) -> None:
        self._db.close()

    # filters: {dim: value}, values as in URLs (entity keys, years, yes/no, within/over)

    def entity(self, kind: str, key: str) -> Entity | None:
        return self.by_key.get((kind, key))

    def overdue(self, day: date | None = None) -> int:
        """The open questions whose deadline lies before ``day`` (today when None)."""
        key = (day or date.today()).isoformat()
        kept = self._overdue
        if kept is not None and kept[0] == key:
            return kept[1]
        bits = 0
        for deadline, i in reversed(self._deadlines):
            if deadline >= key:
                break
            bits |= 1 << i
        self._overdue = (key, bits)
        return bits

    def by_deadline(self, bits: int) -> list[int]:
        """The open questions of ``bits``, earliest deadline first (most overdue first)."""
        return [i for _, i in reversed(self._deadlines) if bits >> i & 1]

    def status_bits(self, status: str, day: date | None = None) -> int:
        stored = self.bitmaps.get("status", {})
        if status == "overdue":
            return self.overdue(day)
        if status == "open":
            return stored.get("open", 0) & ~self.overdue(day)
        return stored.get(status, 0)

    def bits_for(self, dim: str, value: str, day: date | None = None) -> int | None:
        """The bitmap of one filter value; None when the value is unknown."""
        if dim == "status":
            return self.status_bits(value, day) if value in STATUSES else None
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

    def select(self, filters: dict[str, str], day: date | None = None) -> int:
        """The questions matching every filter (unknown values match nothing); a person and her
        party, post or ministry together match the questions where she had that place."""
        bits = self.all
        for dim, value in filters.items():
            chosen = self.bits_for(dim, value, day)
            bits &= chosen if chosen is not None else 0
        for (person_dim, place_dim), family in ROLE_PAIRS.items():
            if person_dim in filters and place_dim in filters:
                person = self.by_key.get((ENTITY_DIMS[person_dim], filters[person_dim]))
                place = self.by_key.get((ENTITY_DIMS[place_dim], filters[place_dim]))
                pair = f"{person.iri} {place.iri}" if person and place else ""
                bits &= self.bitmaps.get(family, {}).get(pair, 0)
        return bits

    def _value_bitmaps(self, dim: str, filters: dict[str, str], day: date | None) -> dict[str, int]:
        """The bitmaps of a dimension's values; for a person's place (or the persons in a place)
        when the filters name the other half of a role pair, the pair's bitmaps."""
        for (person_dim, place_dim), family in ROLE_PAIRS.items():
            if dim == place_dim and person_dim in filters:
                person = self.by_key.get((ENTITY_DIMS[person_dim], filters[person_dim]))
                return self.pairs(family, first=person.iri) if person else {}
            if dim == person_dim and place_dim in filters:
                place = self.by_key.get((ENTITY_DIMS[place_dim], filters[place_dim]))
                return self.pairs(family, second=place.iri) if place else {}
        if dim == "status":
            return {status: self.status_bits(status, day) for status in STATUSES}
        return self.bitmaps.get(dim, {})

    def pairs(self, family: str, first: str | None = None, second: str | None = None) -> dict[str, int]:
        """The bitmaps of one family of pairs with one half fixed, by the other half."""
        out = {}
        for pair, bits in self.bitmaps.get(family, {}).items():
            a, b = pair.split(" ", 1)
            if first is not None and a == first:
                out[b] = bits
            elif second is not None and b == second:
                out[a] = bits
        return out

    def counts(self, dim: str, within: int, filters: dict[str, str] | None = None,
               day: date | None = None) -> list[tuple[str, int]]:
        """(value, number of questions of ``within`` with it) for every value of a dimension that
        occurs in ``within``, most first (years: newest first). ``filters`` (the list's) make a
        person's facet count her in her place on each question (see ROLE_PAIRS)."""
        values = self._value_bitmaps(dim, filters or {}, day)
        out = [(value, (within & bits).bit_count()) for value, bits in values.items()]
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
            raw = self._db.execute(f"SELECT {QUESTION_COLUMNS} FROM question WHERE id IN ({marks})", ids).fetchall()
        by_id = {r[0]: r for r in raw}
        return [self._row(by_id[i]) for i in ids if i in by_id]

    def question_facts(self) -> list[tuple]:
        """(id, submitted, answered, days, within) of every question, newest first."""
        with self._lock:
            return self._db.execute("SELECT id, submitted, answered, days, within FROM question ORDER BY id").fetchall()

    def question_iris(self, start: int, count: int) -> list[str]:
        """The IRIs of questions ``start`` to ``start + count`` (newest first)."""
        with self._lock:
            return [r[0] for r in self._db.execute(
                "SELECT iri FROM question WHERE id >= ? AND id < ? ORDER BY id", (start, start + count))]

    def network_rows(self):
        """For every question, newest first: (date submitted, [(submitter, party printed or None)],
        [answerer], [ministry answered for]), as who asked whom (``pairs``) counts them."""
        with self._lock:  # one JSON document a question: [date, submitters, answerers, ministries]
            rows = self._db.execute("SELECT '[' || json_quote(submitted) || ',' || submitters || ',' || answerers"
                                    " || ',' || ministries || ']' FROM question ORDER BY id").fetchall()
        for (row,) in rows:
            submitted, submitters, answerers, ministries = json.loads(row)
            yield submitted, submitters, [person for person, _ in answerers], ministries

    def pairs_data(self) -> dict[str, bytes]:
        """The stored pairs of who asked whom (indexes/pairs.py); none in an index of format 3 or older."""
        with self._lock:
            try:
                return dict(self._db.execute("SELECT name, data FROM pairs"))
            except sqlite3.OperationalError:  # no such table
                return {}

    def answered_as(self, person: str) -> list[tuple[Entity, int]]:
        """The cabinet posts a person answered questions in, with how many, most first."""
        out = [(self._entity(post), bits.bit_count()) for post, bits in self.pairs("answered_as", first=person).items()]
        return sorted(out, key=lambda item: (-item[1], item[0].label))

    def answered_in(self, post: str) -> list[tuple[Entity, int, tuple[str, str] | None]]:
        """The persons who answered questions in a post: how many, and the dates of their first and
        last answer in it; latest first."""
        out = [(self._entity(person), bits.bit_count(), self.spans.get(("answered_as", f"{person} {post}")))
               for person, bits in self.pairs("answered_as", second=post).items()]
        return sorted(out, key=lambda item: (item[2][1] if item[2] else "", item[1]), reverse=True)

    def parties_of(self, person: str, within: int | None = None) -> list[tuple[Entity, int]]:
        """The parties printed with a submitter's name, with on how many of her questions, most first."""
        out = [(self._entity(party), ((self.all if within is None else within) & bits).bit_count())
               for party, bits in self.pairs("submitted_as", first=person).items()]
        return sorted([item for item in out if item[1]], key=lambda item: (-item[1], item[0].label))

    def _row(self, r) -> Row:
        ent = self._entity
        return Row(
            id=r[0], iri=r[1], zaak=r[2], title=r[3], submitted=r[4], answered=r[5], days=r[6],
            submitters=[(ent(person), ent(party) if party else None) for person, party in json.loads(r[7])],
            answerers=[(ent(person), [ent(p) for p in posts]) for person, posts in json.loads(r[8])],
            ministries=[ent(m) for m in json.loads(r[9])],
            topics=[ent(t) for t in json.loads(r[10])],
            deadline=r[11], status=r[12], within_term=None if r[13] is None else bool(r[13]), withdrawn=r[14],
            addressees=[(ent(person), [ent(p) for p in posts]) for person, posts in json.loads(r[15])],
            addressed=[ent(m) for m in json.loads(r[16])],
        )

    def entity_of(self, iri: str) -> Entity:
        """The entity of an IRI; one named by its key when the index has no name for it."""
        return self._entity(iri)

    def _entity(self, iri: str) -> Entity:
        found = self.entities.get(iri)
        if found is None:
            found = Entity(iri, "", key_of(iri), key_of(iri), None)
        return found


class IndexUnavailable(RuntimeError):
    """There is no page index to serve: it is being built, or could not be (the store is missing or
    cannot be read); ``retry_after``: seconds after which asking again may help."""

    def __init__(self, message: str, retry_after: int = 5):
        super().__init__(message)
        self.retry_after = retry_after
