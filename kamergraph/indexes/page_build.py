"""Building the page index (``indexes/pages.py``), in a process of its own: ``python -m
kamergraph.indexes.page_build --store S --out FILE --signature SIG``, or, at the end of an ingest,
as an update for the questions it stored (``update``).

The store is read through the ``page-index-*.rq`` named queries; questions are numbered newest
first, each facet value gets the bitmap of its questions, and the index is written to a temporary
file that replaces ``FILE`` in one rename, so readers always see a complete index. A build that
finds another one running for the same file waits for it instead.

The index keeps the rows the queries gave for each question (table ``raw``). An update reads only
the changed questions from the store (the queries run over their graphs alone), puts their rows in
place of the old ones and numbers and counts again from the rows in memory: for 1,000 new questions
in 100,000 seconds instead of the minute a build from the store takes.
"""
from __future__ import annotations

import argparse
import fcntl
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode, QuerySolutions

from kamergraph import queries
from kamergraph.graph import GraphStore, open_store
from kamergraph.indexes import page_journal, pairs
from kamergraph.indexes.pages import FORMAT_VERSION, RAW_FORMATS, SCHEMA, TERM_DAYS
from kamergraph.iris import key_of

Row = dict[str, str | None]  # one solution of a page-index query: variable -> lexical form


@dataclass
class StoreRows:
    """What the page-index queries say."""

    questions: list[Row]
    submissions: list[Row]
    cabinet: list[Row]  # answerings and addressings (role tells which)
    links: list[Row]  # a question's ministries and topics
    entities: list[Row]


@dataclass
class Collected:
    """For each facet value the bitmap of its questions (bit i: question i), and for each question
    what its list row shows."""

    bitmaps: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    submitters: dict[int, dict[int, tuple]] = field(default_factory=lambda: defaultdict(dict))
    answerers: dict[int, dict[int, list]] = field(default_factory=lambda: defaultdict(dict))
    addressees: dict[int, dict[int, list]] = field(default_factory=lambda: defaultdict(dict))
    ministries: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    addressed: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    topics: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    # (dim, value) -> the dates of the first and last answer: who answered in a post, from when to when
    spans: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)


QUESTION_ROWS = ("questions", "submissions", "cabinet", "links")  # the queries with rows per question
RAW_SCHEMA = """CREATE TABLE raw (question TEXT PRIMARY KEY, rows TEXT NOT NULL);
CREATE TABLE pairs (name TEXT PRIMARY KEY, data BLOB NOT NULL);"""
QUESTION_GRAPHS = "/graph/kamervraag/"  # in the IRI of every question graph (iris.Iris.question_graph)
# For tests and benchmarks of serving while the index is built: seconds a build started by a web
# process (--catch-up) waits, holding the index's lock, before it reads the store.
PAUSE_VARIABLE = "KAMERGRAPH_INDEX_BUILD_PAUSE"
NICENESS = 10  # a build started by a web process yields the cores to the requests it serves


def build(location: str, out: Path, signature: str) -> None:
    """Read the store through the page-index queries and write the index to ``out`` (atomically)."""
    store = open_store(location, read_only=True)
    try:
        rows = read_from(store)
    finally:
        store.close()
    write_rows(out, location=location, signature=signature, rows=rows)


def update(store: GraphStore, location: str, out: Path, signature: str, graphs: set[str]) -> bool:
    """Bring the index at ``out`` up to date after the question graphs ``graphs`` were written:
    their rows are read from ``store``, the other questions' rows from the index. False (nothing
    written) when there is no index of this layout to update; a full build is then due."""
    kept = _raw_rows(out)
    if kept is None:
        return False
    fresh = read_from(store, graphs)
    # A question whose graph was written is replaced by what its graph holds now: nothing, when
    # the graph was dropped.
    changed = {str(row["question"]) for row in fresh.questions} | {_question_of(graph) for graph in graphs}
    by_question: dict[str, dict[str, list[Row]]] = {q: r for q, r in kept.items() if q not in changed}
    for name in QUESTION_ROWS:
        for row in getattr(fresh, name):
            by_question.setdefault(str(row["question"]), {n: [] for n in QUESTION_ROWS})[name].append(row)
    merged = {name: [row for q in by_question.values() for row in q.get(name, [])] for name in QUESTION_ROWS}
    rows = StoreRows(**merged, entities=fresh.entities)
    write_rows(out, location=location, signature=signature, rows=rows)
    return True


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold the lock of the index at ``out``: a build started meanwhile (by a web process that saw
    the store change) waits for it, then finds the index current."""
    lock_path = out.with_name(out.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def after_ingest(location: str, graphs: set[str]) -> tuple[str, float]:
    """Bring the page index of an embedded store up to date after an ingest wrote ``graphs`` and
    closed the store (call it holding ``locked``): an update when an index of this layout exists,
    else a build. The endpoint's writes not yet in the index (page_journal) are taken in too. Says
    which, and how long it took."""
    from kamergraph.indexes.pages import index_path_for

    started = time.perf_counter()
    out = index_path_for(location)
    with page_journal.catching_up(location, since="") as found:
        store = open_store(location, read_only=True)
    written = page_journal.graphs_in(found.lines)
    how = _update_or_build(store, location, out, found.signature, None if written is None else graphs | written)
    page_journal.forget(location, found.lines)
    return how, time.perf_counter() - started


def catch_up(location: str, out: Path) -> str:
    """Bring the index at ``out`` up to the store (call it holding ``locked``): from the graphs the
    endpoint's writes changed, when its journal (page_journal) leads from the index's state to the
    store's and they are all question graphs; else by a build. Says which: updated, built, current."""
    since = _signature_of(out)
    with page_journal.catching_up(location, since) as found:
        current = since == found.signature
        if not current:
            store = open_store(location, read_only=True)
    if current:
        page_journal.forget(location, found.lines)  # outside the journal's lock: forget takes it again
        return "current"
    graphs = found.graphs
    if graphs is not None and not all(is_question_graph(graph) for graph in graphs):
        graphs = None  # a shared graph (names, the reference tables) or another one: any row may change
    how = _update_or_build(store, location, out, found.signature, graphs)
    page_journal.forget(location, found.lines)
    return how


def _update_or_build(store: GraphStore, location: str, out: Path, signature: str, graphs: set[str] | None) -> str:
    """Update the index at ``out`` from ``graphs`` when there are some to go by and an index of this
    layout; else build it from the whole store. Closes ``store``."""
    try:
        if graphs is not None and update(store, location, out, signature, graphs):
            return "updated"
        write_rows(out, location=location, signature=signature, rows=read_from(store))
        return "built"
    finally:
        store.close()


def _signature_of(out: Path) -> str:
    """The store signature the index at ``out`` was made at; '' without an index of this format."""
    try:
        db = sqlite3.connect(f"file:{out}?mode=ro", uri=True)
    except sqlite3.Error:
        return ""
    try:
        meta = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('signature', 'format')"))
    except sqlite3.Error:
        return ""
    finally:
        db.close()
    return meta.get("signature", "") if meta.get("format") == FORMAT_VERSION else ""


def _raw_rows(out: Path) -> dict[str, dict[str, list[Row]]] | None:
    """The rows of each question kept in the index at ``out``; None without an index of this layout."""
    try:
        db = sqlite3.connect(f"file:{out}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        version = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        if version is None or version[0] not in RAW_FORMATS:
            return None
        return {question: json.loads(rows) for question, rows in db.execute("SELECT question, rows FROM raw")}
    except sqlite3.Error:
        return None
    finally:
        db.close()


def write_rows(out: Path, *, location: str, signature: str, rows: StoreRows) -> None:
    """Number the questions, count every facet value and write the index (atomically)."""
    ordered = newest_first(rows.questions)
    ids = {row["question"]: i for i, row in enumerate(ordered)}
    collected = Collected()
    add_questions(collected, ordered)
    add_submissions(collected, rows.submissions, ids)
    add_links(collected, rows.links, ids, broader_topics(rows.entities))
    answerings = [row for row in rows.cabinet if row["role"] == "answering"]
    add_answerings(collected, answered_for(answerings, rows.links), ids, ordered)
    add_addressings(collected, [row for row in rows.cabinet if row["role"] == "addressing"], ids)
    write(out, location=location, signature=signature, ordered=ordered, entities=rows.entities, collected=collected,
          raw=_by_question(rows))


def _by_question(rows: StoreRows) -> dict[str, dict[str, list[Row]]]:
    """Each question's rows of the question-level queries, to be kept in the index."""
    found: dict[str, dict[str, list[Row]]] = {}
    for name in QUESTION_ROWS:
        for row in getattr(rows, name):
            found.setdefault(str(row["question"]), {n: [] for n in QUESTION_ROWS})[name].append(row)
    return found


def read(location: str) -> StoreRows:
    store = open_store(location, read_only=True)
    try:
        return read_from(store)
    finally:
        store.close()


def read_from(store: GraphStore, graphs: set[str] | None = None) -> StoreRows:
    """What the page-index queries say: about every question, or about those of ``graphs`` only
    (each graph alone with the shared graphs as the default graph: a default graph of many question
    graphs makes a store scan every pattern in all of them); the entities always from the whole store."""
    found: dict[str, list[Row]] = {name: [] for name in QUESTION_ROWS}
    for name in QUESTION_ROWS:
        if graphs is None:
            found[name] = list(_rows(store, f"page-index-{name}"))
            continue
        for graph in sorted(graphs):
            found[name].extend(_rows(store, f"page-index-{name}", _with_shared(graph)))
    return StoreRows(**found, entities=list(_rows(store, "page-index-entities")))


def is_question_graph(graph: str) -> bool:
    return QUESTION_GRAPHS in graph


def _question_of(graph: str) -> str:
    """The question a question graph holds (``{base}graph/kamervraag/Z`` holds ``{base}id/kamervraag/Z``)."""
    from kamergraph.iris import Iris

    if not is_question_graph(graph):
        return graph
    iris = Iris(graph[:graph.rindex(QUESTION_GRAPHS) + 1])
    return iris.question(iris.zaak_of_graph(graph) or "").value


def _with_shared(graph: str) -> list[NamedNode]:
    """A question's graph with the graphs its statements lean on (the reference tables, the entities
    first met in documents), under the base IRI the graph's own IRI was minted under."""
    from kamergraph.iris import Iris

    iris = Iris(graph[:graph.rindex(QUESTION_GRAPHS) + 1])
    return [NamedNode(graph), iris.reference_graph, iris.entities_graph]


def _rows(store: GraphStore, name: str, graphs: list[NamedNode] | None = None) -> Iterator[Row]:
    if graphs is not None and not graphs:
        return
    solutions = store.query(queries.get(name).bound_text({}), default_graphs=graphs).value
    if not isinstance(solutions, QuerySolutions):
        raise ValueError(f"the named query {name} is not a SELECT query")
    names = [v.value for v in solutions.variables]
    for solution in solutions:
        yield {n: (None if solution[n] is None else solution[n].value) for n in names}


def newest_first(questions: list[Row]) -> list[Row]:
    """The questions newest first; the zaak number breaks ties (and a question stored twice counts once)."""
    unique: dict[str | None, Row] = {}
    for row in questions:
        unique.setdefault(row["question"], row)
    return sorted(unique.values(), key=lambda r: (r["submitted"], r["zaak"]), reverse=True)


def broader_topics(entities: list[Row]) -> dict[str | None, str | None]:
    return {e["entity"]: e["parent"] for e in entities if e["kind"] == "topic" and e.get("parent")}


def add_questions(collected: Collected, ordered: list[Row]) -> None:
    """The year, answered or not, the status as stored, and within the three weeks or over them."""
    bitmaps = collected.bitmaps
    for i, row in enumerate(ordered):
        bit = 1 << i
        bitmaps["year", str(row["submitted"])[:4]] |= bit
        bitmaps["answered", "no" if row.get("answered") is None else "yes"] |= bit
        bitmaps["status", status_of(row)] |= bit
        if row.get("days") is not None:
            bitmaps["term", "over" if int(str(row["days"])) > TERM_DAYS else "within"] |= bit


def _of_numbered(rows: list[Row], ids: dict[str | None, int]) -> Iterator[tuple[int, Row]]:
    """The rows about a numbered question, with its number."""
    for row in rows:
        i = ids.get(row["question"])
        if i is not None:
            yield i, row


def status_of(row: Row) -> str:
    """open, answered or withdrawn (kg:status); a store of an older mapping has none: from the dates."""
    stored = row.get("status")
    if stored:
        return stored.lower()
    return "answered" if row.get("answered") else "open"


def add_submissions(collected: Collected, submissions: list[Row], ids: dict[str | None, int]) -> None:
    """Submitters in their printed order, and the party printed for each."""
    bitmaps = collected.bitmaps
    for i, row in _of_numbered(submissions, ids):
        person, party = str(row["person"]), row.get("party")
        collected.submitters[i][int(str(row["position"]))] = (person, party)
        bitmaps["submitter", person] |= 1 << i
        if party:
            bitmaps["party", party] |= 1 << i
            bitmaps["submitted_as", f"{person} {party}"] |= 1 << i


UNPLACED_KIND = "minister zonder portefeuille"  # a post in no ministry whose holder still answers for one


def answered_for(answerings: list[Row], links: list[Row]) -> list[Row]:
    """The answerings with the ministry each answered for: the ministry of the post; for a minister
    zonder portefeuille, the question's answering ministries that no other answerer's post is in
    (the mapping placed the minister there from the reference tables' tenures)."""
    placed: dict[str | None, set[str]] = defaultdict(set)
    for row in answerings:
        if row.get("ministry"):
            placed[row["question"]].add(str(row["ministry"]))
    answering_ministries: dict[str | None, list[str]] = defaultdict(list)
    for row in links:
        if row["link"] == "ministry":
            answering_ministries[row["question"]].append(str(row["value"]))
    out: list[Row] = []
    for row in answerings:
        if row.get("kind") == UNPLACED_KIND and not row.get("ministry"):
            rest = [m for m in answering_ministries[row["question"]] if m not in placed[row["question"]]]
            out.extend(dict(row, ministry=m) for m in rest)
            if rest:
                continue
        out.append(row)
    return out


def add_answerings(collected: Collected, answerings: list[Row], ids: dict[str | None, int],
                   ordered: list[Row]) -> None:
    """Answerers in their printed order, with the posts they answered in and the ministries they
    answered for in them; when each first and last answered in a post."""
    bitmaps = collected.bitmaps
    for i, row in _of_numbered(answerings, ids):
        person, post, ministry = str(row["person"]), row.get("post"), row.get("ministry")
        posts = collected.answerers[i].setdefault(int(str(row["position"])), [person, []])[1]
        bitmaps["answerer", person] |= 1 << i
        if ministry:
            bitmaps["answered_for", f"{person} {ministry}"] |= 1 << i
        if post:
            if post not in posts:
                posts.append(post)
            bitmaps["post", post] |= 1 << i
            pair = f"{person} {post}"
            bitmaps["answered_as", pair] |= 1 << i
            answered = ordered[i].get("answered") or ordered[i]["submitted"]
            _widen(collected.spans, ("answered_as", pair), str(answered))


def _widen(spans: dict[tuple[str, str], tuple[str, str]], key: tuple[str, str], day: str) -> None:
    first, last = spans.get(key, (day, day))
    spans[key] = (min(first, day), max(last, day))


def add_addressings(collected: Collected, addressings: list[Row], ids: dict[str | None, int]) -> None:
    """Addressees in their order, with their posts and the ministries they were addressed for."""
    bitmaps = collected.bitmaps
    for i, row in _of_numbered(addressings, ids):
        person, post, ministry = str(row["person"]), row.get("post"), row.get("ministry")
        posts = collected.addressees[i].setdefault(int(str(row["position"])), [person, []])[1]
        bitmaps["addressee", person] |= 1 << i
        if post:
            if post not in posts:
                posts.append(post)
            bitmaps["addressed_as", f"{person} {post}"] |= 1 << i
        if ministry:
            bitmaps["addressed_for", f"{person} {ministry}"] |= 1 << i


def add_links(collected: Collected, links: list[Row], ids: dict[str | None, int],
              broader: dict[str | None, str | None]) -> None:
    """Ministries and topics; a question counts for every broader topic of its topics too."""
    bitmaps = collected.bitmaps
    for i, row in _of_numbered(links, ids):
        value = str(row["value"])
        if row["link"] == "addressed":
            if value not in collected.addressed[i]:
                collected.addressed[i].append(value)
            bitmaps["addressed", value] |= 1 << i
            continue
        if row["link"] == "ministry":
            if value not in collected.ministries[i]:
                collected.ministries[i].append(value)
            bitmaps["ministry", value] |= 1 << i
            continue
        if value not in collected.topics[i]:
            collected.topics[i].append(value)
        topic: str | None = value
        seen: set[str] = set()
        while topic and topic not in seen:
            seen.add(topic)
            bitmaps["topic", topic] |= 1 << i
            topic = broader.get(topic)


def write(out: Path, *, location: str, signature: str, ordered: list[Row], entities: list[Row],
          collected: Collected, raw: dict[str, dict[str, list[Row]]]) -> None:
    """The index into a temporary file beside ``out``, renamed into place."""
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(f"{out.name}.tmp-{os.getpid()}")
    if temporary.exists():
        temporary.unlink()
    db = sqlite3.connect(temporary)
    try:
        db.executescript(SCHEMA + RAW_SCHEMA)
        width = (len(ordered) + 7) // 8
        with db:
            db.executemany("INSERT INTO meta VALUES (?, ?)", [
                ("format", FORMAT_VERSION), ("signature", signature), ("store", location),
                ("questions", str(len(ordered))), ("built", f"{time.time():.3f}"),
            ])
            db.executemany("INSERT INTO question VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           (_question_row(i, row, collected) for i, row in enumerate(ordered)))
            db.executemany("INSERT INTO pairs VALUES (?, ?)", pairs.to_data(pairs.from_rows(
                _network_row(i, row, collected) for i, row in enumerate(ordered))))
            db.executemany(
                "INSERT OR IGNORE INTO entity VALUES (?, ?, ?, ?, ?)",
                ((e["entity"], e["kind"], key_of(str(e["entity"])), e.get("label"), e.get("parent")) for e in entities),
            )
            db.executemany("INSERT INTO raw VALUES (?, ?)",
                           ((question, json.dumps(rows, separators=(",", ":"))) for question, rows in raw.items()))
            db.executemany(
                "INSERT INTO bitmap VALUES (?, ?, ?)",
                ((dim, value, bits.to_bytes(width, "little")) for (dim, value), bits in collected.bitmaps.items()),
            )
            db.executemany("INSERT INTO span VALUES (?, ?, ?, ?)",
                           ((dim, value, first, last) for (dim, value), (first, last) in collected.spans.items()))
    finally:
        db.close()
    os.replace(temporary, out)


def _network_row(i: int, row: Row, collected: Collected) -> pairs.NetworkRow:
    """A question as who asked whom counts it, as PageIndex.network_rows reads it from the index."""
    submitters, answerers = collected.submitters.get(i, {}), collected.answerers.get(i, {})
    return (str(row["submitted"]), [list(submitters[p]) for p in sorted(submitters)],
            [answerers[p][0] for p in sorted(answerers)], collected.ministries.get(i, []))


def _question_row(i: int, row: Row, collected: Collected) -> tuple:
    submitters, answerers = collected.submitters.get(i, {}), collected.answerers.get(i, {})
    addressees = collected.addressees.get(i, {})
    within = row.get("withinTerm")
    return (
        i, row["question"], row["zaak"], row["title"], row["submitted"], row.get("answered"),
        None if row.get("days") is None else int(str(row["days"])),
        json.dumps([list(submitters[p]) for p in sorted(submitters)]),
        json.dumps([answerers[p] for p in sorted(answerers)]),
        json.dumps(collected.ministries.get(i, [])), json.dumps(collected.topics.get(i, [])),
        row.get("deadline"), status_of(row), None if within is None else int(within in ("true", "1")),
        row.get("withdrawn"), json.dumps([addressees[p] for p in sorted(addressees)]),
        json.dumps(collected.addressed.get(i, [])),
    )


def after_ingest_in_child(location: str, graphs: set[str]) -> tuple[str, float]:
    """``after_ingest`` in a process of its own (the caller holding ``locked``): the rows of every
    question are then held beside the ingest's own memory only while the index is written."""
    command = [sys.executable, "-m", __name__, "--store", location, "--after-ingest"]
    done = subprocess.run(command, input="".join(g + "\n" for g in sorted(graphs)), capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise RuntimeError(f"updating the page index of {location} failed: {done.stderr.strip()}")
    how, seconds = done.stdout.split()
    return how, float(seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the page index of a kamergraph store.")
    parser.add_argument("--store", required=True)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--signature", default="")
    parser.add_argument("--after-ingest", action="store_true",
                        help="update after an ingest (question graph IRIs on standard input, one a line; "
                             "the caller holds the index lock)")
    parser.add_argument("--catch-up", action="store_true",
                        help="bring the index up to the store, from the endpoint's writes when it can (a web "
                             "process's build: at low priority; waits $KAMERGRAPH_INDEX_BUILD_PAUSE seconds first)")
    args = parser.parse_args(argv)
    if args.after_ingest:
        how, seconds = after_ingest(args.store, {line.strip() for line in sys.stdin if line.strip()})
        print(how, f"{seconds:.3f}")
        return 0
    if args.out is None:
        parser.error("--out is needed for a build")
    lock_path = args.out.with_name(args.out.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # another process is building it: wait for that one instead
            fcntl.flock(lock, fcntl.LOCK_EX)
            return 0
        if args.catch_up:
            os.nice(NICENESS)
            time.sleep(_pause())
            started = time.perf_counter()
            how = catch_up(args.store, args.out)
            # Into the server's log: whether the endpoint's writes could be followed or a build was due.
            print(f"page index of {args.store} {how} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        else:
            build(args.store, args.out, args.signature)
    return 0


def _pause() -> float:
    raw = os.environ.get(PAUSE_VARIABLE, "")
    try:
        return max(0.0, float(raw)) if raw else 0.0
    except ValueError:
        raise SystemExit(f"{PAUSE_VARIABLE}={raw!r} is not a number of seconds; set it to one or unset it") from None


if __name__ == "__main__":
    sys.exit(main())
