"""Files to store: read, parse, map, validate, then write in bounded batches.

Each file either becomes one question graph or one error line; a failed file never touches the
store. A batch is written in one atomic write, two at a time beside the parsing on an embedded
store (``writes.BatchWriter``). A question already stored from the same bytes is skipped, and an
earlier, less complete crawl never replaces a later one.
"""
from __future__ import annotations

import dataclasses
import hashlib
import multiprocessing
import os
import signal
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from importlib import resources
from itertools import chain, islice
from pathlib import Path

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode, Quad

import kamergraph
from kamergraph.graph import GraphStore
from kamergraph.graph.base import Term, Values, group_by_subject
from kamergraph.indexes import index_file_suffixes
from kamergraph.indexes.search import SearchDocument, SearchIndex, document_from_quads, document_from_values
from kamergraph.iris import Iris
from kamergraph.ontology import ONTOLOGY_FILE, read_text
from kamergraph.ontology.terms import DCTERMS, KG, ONTOLOGY_IRI, PROV, RDF, RDFS, XSD
from kamergraph.processes import die_with_parent
from kamergraph.queries import parse_query_file

from . import sizes
from .errors import PageError
from .mapping import Mapper, Source, SubmitterParts, render_submitters
from .parse import parse_page
from .records import Kamervraag
from .refdata import load_reference
from .validate import Validator
from .writes import BatchWriter

BATCH_SIZE = 1000  # questions per write: ~100k quads, ~10 MB; one bulk load each
# After this many questions written in one run the store is compacted: each batch leaves table
# files that overlap all the others, and reads stay slow until they are merged. Small runs leave
# that to RocksDB's own compactions.
COMPACT_AFTER = 10_000
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_LINE_CHARS = 1_000_000
SOFTWARE = f"kamergraph {kamergraph.__version__}"


@dataclass
class Report:
    files: int = 0
    questions: int = 0  # question graphs written (added or replaced)
    unchanged: int = 0  # skipped: the same bytes are stored already
    superseded: int = 0  # skipped: the store holds a more complete crawl of the zaak
    triples: int = 0
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    seconds: float = 0.0
    compacted_seconds: float | None = None  # the store's compaction at the end of a large run
    graphs: set[str] = field(default_factory=set)  # the question graphs written
    interrupted: bool = False  # stopped early (SIGINT, SIGTERM): what was stored stays, the rest was not read
    recount_seconds: float = 0.0  # of the list sizes' upkeep (ingest/sizes.py)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        rate = self.questions / self.seconds if self.seconds else 0.0
        return (
            f"{self.files} files, {self.questions} questions stored, {self.unchanged} unchanged, "
            f"{self.superseded} superseded, {self.triples} triples, {len(self.errors)} errors, "
            f"{self.seconds:.2f} s ({rate:.0f} questions/s)"
            + ("" if self.compacted_seconds is None else f", store compacted in {self.compacted_seconds:.1f} s of it")
            + ("; interrupted: the files not counted here were not read, run again to go on" if self.interrupted
               else "")
        )


@dataclass
class Prepared:
    """One file made ready to store, in a compact form that crosses process boundaries cheaply:
    N-Quads bytes rather than pyoxigraph objects (pickling those costs as much as parsing)."""

    path: str
    sha256: str
    zaak: str
    graph: str
    rank: tuple[int, int, int, int]
    quads: bytes  # N-Quads of the question graph
    triples: int
    entities: bytes  # N-Quads for the shared entities graph
    names: tuple[tuple[str, str, bytes], ...]  # minted entities: (IRI, name predicate, N-Quads)
    search: SearchDocument | None = None  # for the full-text index
    harvested: bool = False  # from the official sources: replaces what the store holds whenever it differs
    lists: tuple[str, ...] = ()  # the lists the question has entries in (their sizes change with it)
    # With minted entities among the submitters: kg:printedSubmitters as mapped and what it was made
    # of, to be made again where the store holds another name for one of them (Ingestor._as_named).
    printed: str | None = None
    submitters: SubmitterParts = ()


UNCHANGED = "unchanged"


def _nquads(quads: list[Quad]) -> bytes:
    return (pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS) or b"") if quads else b""


def _lexical(term: Term) -> str | None:
    return term.value if isinstance(term, Literal) else None


def _rank(values: Values) -> tuple[int, int, int, int]:
    """How complete a crawl is: harvested from the official sources (above any page), answered,
    number of answers, number of mededelingen."""
    harvested = answered = answers = notices = 0
    for props in values.values():
        if KG.dateAnswered in props:
            answered = 1
        types = props.get(RDF.type, ())
        if KG.HarvestedGraph in types:
            harvested = 1
        answers += types.count(KG.Answer)
        notices += types.count(KG.Notice)
    return harvested, answered, answers, notices


def skolemize(triples: Iterable) -> list:
    """Blank nodes as IRIs numbered in order of appearance (``…/.well-known/genid/N``), so that
    loading the same Turtle twice gives the same triples (and the nodes can be linked to)."""
    names: dict[str, NamedNode] = {}

    def term(node):
        if isinstance(node, pyoxigraph.BlankNode):
            if node.value not in names:
                names[node.value] = NamedNode(f"{ONTOLOGY_IRI}/.well-known/genid/{len(names) + 1}")
            return names[node.value]
        return node

    return [pyoxigraph.Triple(term(t.subject), t.predicate, term(t.object)) for t in triples]


def _is_store(folder: Path) -> bool:
    # An Oxigraph (RocksDB) store: never pages, even when it lies under a folder being ingested.
    try:
        return (folder / "CURRENT").is_file() and any(folder.glob("MANIFEST-*"))
    except OSError:  # unreadable: os.walk reports it when it tries to go in
        return False


def iter_files(paths: Iterable[Path], on_error: Callable[[str], None] | None = None) -> Iterator[Path]:
    """Files named, and the files under folders named: sorted, leaving out hidden files, stores
    and the indexes kept beside them. A folder that cannot be read goes to ``on_error`` as one
    line, and the walk goes on."""

    def unreadable(error: OSError) -> None:
        if on_error is not None:
            where = Path(error.filename).as_posix() if error.filename else "?"
            on_error(f"{where}: cannot read this folder: {error.strerror or error}")

    for named in paths:
        path = Path(named)
        if path.is_dir():
            for root, dirs, files in os.walk(path, onerror=unreadable):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _is_store(Path(root) / d))
                for name in sorted(files):
                    if not name.startswith(".") and not name.endswith(index_file_suffixes()):
                        yield Path(root) / name
        else:
            yield path


def read_page(path: Path) -> bytes:
    """A page's bytes, from a regular file (a symbolic link to one is followed) of at most
    MAX_FILE_BYTES: a FIFO, a device (``/dev/zero``) or a socket is refused before it is read, and
    the size is checked before reading. Opened without blocking, so a FIFO put in its place since
    the check cannot hold the ingest either."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise PageError(f"not a regular file ({_kind(os.stat(path).st_mode)}); only files are read")
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise PageError(f"not a regular file ({_kind(status.st_mode)}); only files are read")
        if status.st_size > MAX_FILE_BYTES:
            raise PageError(f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
        with os.fdopen(fd, "rb", closefd=False) as file:
            return file.read(MAX_FILE_BYTES + 1)  # decode_page refuses a file that grew meanwhile
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "not a plain file"


def decode_page(data: bytes) -> str:
    """The page's text, or a PageError for empty, binary, oversized or non-UTF-8 content."""
    if not data.strip():
        raise PageError("empty file")
    if len(data) > MAX_FILE_BYTES:
        raise PageError(f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    if b"\x00" in data:
        return _fail_binary(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        where = data[: error.start].count(b"\n") + 1
        problem = f"not valid UTF-8 (byte 0x{data[error.start]:02x}); binary or another encoding"
        raise PageError(problem, where) from None
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise PageError(f"line is {len(line)} characters long, more than {MAX_LINE_CHARS}", number)
    return text


def _fail_binary(data: bytes):
    line = data[: data.index(b"\x00")].count(b"\n") + 1
    raise PageError("binary file (NUL byte)", line)


class Preparer:
    """Reads, parses, maps and validates one file at a time. It needs no store, so the worker
    processes each hold one."""

    def __init__(self, mapper: Mapper, ingest_time: datetime, skip: set[str]):
        self.mapper = mapper
        self.validator = Validator()
        self.ingest_time = ingest_time
        self.skip = skip  # the source hashes ("sha256:…") of pages stored already: not prepared again

    @cached_property
    def reference_types(self) -> dict[Term, set[Term]]:
        types: dict[Term, set[Term]] = {}
        for quad in self.mapper.reference_quads():
            if quad.predicate == RDF.type:
                types.setdefault(quad.subject, set()).add(quad.object)
        return types

    def known_types(self, node: Term) -> set[Term]:
        return self.reference_types.get(node, set())

    def prepare(self, path: Path, display: str | None = None) -> Prepared | str:
        """Read, parse, map and validate one file; PageError (with a line) when it cannot be stored.

        UNCHANGED when the store already holds a question from exactly these bytes.
        """
        display = display or path.as_posix()
        data = read_page(path)
        digest = hashlib.sha256(data).hexdigest()
        if "sha256:" + digest in self.skip:
            return UNCHANGED
        record = parse_page(decode_page(data))
        return self.prepare_record(record, Source(display, digest, self.ingest_time, SOFTWARE))

    def prepare_record(self, record: Kamervraag, source: Source, entities: list[Quad] | None = None) -> Prepared:
        """Map and validate one record from any source; ``entities`` are further statements for the
        shared entities graph (what a harvest knows of the persons it names)."""
        mapped = self.mapper.question(record, source)
        mapped.entities.extend(entities or ())
        rank, search = _rank(mapped.values), document_from_values(mapped.values)
        # What the page says about shared entities is checked with the question graph.
        everything = group_by_subject(mapped.entities, into=mapped.values)
        for quads in mapped.new_names.values():
            group_by_subject(quads, into=everything)
        violations = self.validator.validate_nodes(everything, self.known_types)
        if violations:
            raise PageError("does not conform to the shapes: " + "; ".join(map(str, violations[:5]))
                            + (f" (and {len(violations) - 5} more)" if len(violations) > 5 else ""))
        return Prepared(
            path=source.path,
            sha256=source.sha256,
            zaak=mapped.zaak,
            graph=mapped.graph.value,
            rank=rank,
            quads=mapped.nquads(),
            triples=len(mapped.triples),
            entities=_nquads(mapped.entities),
            names=tuple((node.value, qs[0].predicate.value, _nquads(qs)) for node, qs in mapped.new_names.items()),
            search=search,
            harvested=bool(source.derived_from),
            lists=tuple({s.value for s, p, _ in mapped.triples if p == KG.entry}),
            # Only a question that mints an entity: its stored name may be another (the rest never change).
            printed=mapped.printed if mapped.new_names else None,
            submitters=mapped.submitters if mapped.new_names else (),
        )


class Ingestor:
    """Holds what a run needs once: reference data, mapper, validator, the store."""

    def __init__(self, store: GraphStore, base_iri: str, ingest_time: datetime | None = None,
                 search_index: SearchIndex | None = None, reparse: bool = False):
        self.store = store
        self.reparse = reparse  # map and store pages again even when the store holds their very bytes
        self._rewritten: set[str] = set()  # with reparse: the bytes this run has stored again
        self.search_index = search_index
        self.iris = Iris(base_iri)
        self.mapper = Mapper(self.iris, load_reference())
        self.ingest_time = ingest_time or datetime.now(UTC).replace(microsecond=0)
        self._named: dict[tuple[str, str], Literal] = {}  # minted entities' names: the first stored wins
        self.replaced_any = False

    @cached_property
    def writer(self) -> BatchWriter:
        return BatchWriter(self.store)

    @cached_property
    def preparer(self) -> Preparer:
        # The stored hashes are shared, not copied: a page this run stores is skipped when it
        # comes again. With reparse none are skipped.
        return Preparer(self.mapper, self.ingest_time, set() if self.reparse else self.stored_hashes)

    # -- the fixed graphs

    def ensure_reference(self) -> bool:
        """Load the ontology and reference graphs when missing or out of date; True when loaded.

        Out of date means other quads, not only other tables: the marker holds a digest of what
        the tables and the ontology become, so a change in how they are mapped reloads them too."""
        ontology_text = read_text(ONTOLOGY_FILE)
        digest = hashlib.sha256(ontology_text.encode("utf-8"))
        digest.update(_nquads(list(self.mapper.reference_quads())))
        marker = Literal(f"{SOFTWARE} {digest.hexdigest()}")
        graph = self.iris.reference_graph
        if marker in self.store.objects(graph, KG.softwareVersion, graph):
            return False
        quads = [*self.mapper.reference_quads(), Quad(graph, KG.softwareVersion, marker, graph)]
        ontology = [
            Quad(t.subject, t.predicate, t.object, self.iris.ontology_graph)
            for t in skolemize(pyoxigraph.parse(ontology_text, format=pyoxigraph.RdfFormat.TURTLE))
        ]
        # The version marker is the last quad written: a store that takes these in several
        # requests (a remote one) marks them current only once both graphs are in.
        self.store.replace_graphs({self.iris.ontology_graph: ontology, graph: quads})
        return True

    # -- what the store holds

    @cached_property
    def stored_hashes(self) -> set[str]:
        """The source hashes of all stored questions: unchanged files are skipped before parsing."""
        return self._stored[0]

    @cached_property
    def stored_graphs(self) -> set[str] | None:
        """The graphs of all stored questions, and of those written since: a graph not in it is
        new to the store, so the batch needs no lookup for it (a first ingest would look up every page).
        None when the store's scans may be incomplete: then every graph is looked up."""
        return self._stored[1] if self.store.complete_scans else None

    @property
    def stored_question_count(self) -> int:
        """How many questions under this base IRI the store held when this ingest began."""
        return sum(1 for graph in self._stored[1] if self.iris.zaak_of_graph(graph) is not None)

    @cached_property
    def _stored(self) -> tuple[set[str], set[str]]:
        hashes: set[str] = set()
        graphs: set[str] = set()
        for quad in self.store.quads_for_predicate(KG.sourceHash):
            if isinstance(quad.object, Literal):
                hashes.add(quad.object.value)
            if quad.subject == quad.graph_name and isinstance(quad.graph_name, NamedNode):
                graphs.add(quad.graph_name.value)  # a question graph says its own source hash
        return hashes, graphs

    def prune_entities(self) -> None:
        """Drop minted entities that no question refers to any more (after replaced crawls)."""
        text = resources.files(__package__).joinpath("sparql", "prune-entities.ru").read_text(encoding="utf-8")
        update = parse_query_file("prune-entities", text)
        self.store.update(update.bound_text({"entities": self.iris.entities_graph.value}))

    # -- a batch

    def write(self, batch: list[Prepared], report: Report) -> None:
        """Store a batch in one write: its new questions, and the stored ones it replaces."""
        chosen = _one_crawl_each(batch, report)
        # What the store holds for these graphs is read below: writes still running for any of
        # them (a zaak crawled twice, in two batches) must end first.
        self.writer.wait_for(item.graph for item in chosen)
        new, replaced = self._against_the_store(chosen, report)
        if new or replaced:
            self._submit(new, replaced, report)

    def _against_the_store(self, chosen: list[Prepared], report: Report) -> tuple[list[Prepared], list[Prepared]]:
        """The questions the store does not hold yet, and those that replace what it holds; the
        rest are counted as unchanged or superseded."""
        # The stored source hashes of the graphs that may be stored, in one lookup for the batch.
        known = self.stored_graphs
        hashes = self.store.self_statements(
            KG.sourceHash, [NamedNode(item.graph) for item in chosen if known is None or item.graph in known])
        new, replaced = [], []
        for item in chosen:
            stored_hash = hashes.get(item.graph)
            if not stored_hash:
                new.append(item)
            elif item.harvested and _lexical(stored_hash[0]) != "sha256:" + item.sha256:
                replaced.append(item)  # the official sources say otherwise now: a deletion counts too
            elif _lexical(stored_hash[0]) == "sha256:" + item.sha256:
                if self.reparse and item.sha256 not in self._rewritten:
                    # The very crawl the store holds, mapped anew: its rank is no reason to keep
                    # what an older mapping made of it.
                    replaced.append(item)
                else:
                    report.unchanged += 1
            elif item.rank < _rank(stored := group_by_subject(self.store.quads(NamedNode(item.graph)))):
                report.superseded += 1
                if item.harvested or KG.HarvestedGraph not in stored.get(NamedNode(item.graph), {}).get(RDF.type, ()):
                    report.notices.append(
                        f"{item.path}: an earlier crawl of {item.zaak}; the store keeps the more complete one")
                else:
                    report.notices.append(f"{item.path}: {item.zaak} is harvested from the official sources, which "
                                          "win; the page is kept as a source of it")
                    self._keep_page_source(item, stored)
            else:
                replaced.append(item)
        return new, replaced

    def _keep_page_source(self, item: Prepared, stored: Values) -> None:
        """Add a page's provenance (a kg:PageSource) to the harvested graph of its zaak, unless
        the graph names that page's bytes already. Its hash is a kg:sourceHash, which the next run
        finds among the stored hashes: the page is then skipped before it is parsed."""
        graph = NamedNode(item.graph)
        sources = [node for node in stored.get(graph, {}).get(PROV.wasDerivedFrom, ())
                   if KG.PageSource in stored.get(node, {}).get(RDF.type, ())]
        digest = Literal("sha256:" + item.sha256)
        self.stored_hashes.add(digest.value)  # the same bytes again in this run: skipped too
        if any(digest in stored.get(node, {}).get(KG.sourceHash, ()) for node in sources):
            return
        # A store made before the hash was a kg:sourceHash states it as dcterms:identifier: that
        # page source is this page's, and gets its hash where the next ingest looks.
        earlier = [node for node in sources if isinstance(node, NamedNode)
                   and digest in stored.get(node, {}).get(DCTERMS.identifier, ())]
        if earlier:
            self.writer.submit(_nquads([Quad(earlier[0], KG.sourceHash, digest, graph)]), [], [item.graph],
                               lambda: None)
            return
        node = NamedNode(f"{item.graph}/bron/{len(sources) + 1}")
        when = Literal(self.ingest_time.isoformat(), datatype=XSD.dateTime)
        quads = [Quad(graph, PROV.wasDerivedFrom, node, graph), Quad(node, RDF.type, KG.PageSource, graph),
                 Quad(node, RDFS.label, Literal(item.path), graph), Quad(node, KG.sourceHash, digest, graph),
                 Quad(node, PROV.generatedAtTime, when, graph)]
        self.writer.submit(_nquads(quads), [], [item.graph], lambda: None)

    def _submit(self, new: list[Prepared], replaced: list[Prepared], report: Report) -> None:
        items = new + replaced
        shared = self._shared(items)
        items = [self._as_named(item) for item in items]
        # The shared statements first: a store that takes a batch in several requests (a remote
        # one) then never holds a question, marked stored by its hash, without the entities it names.
        data = shared + b"".join(item.quads for item in items)
        report.questions += len(items)
        report.triples += sum(item.triples for item in items) + shared.count(b"\n")
        self.stored_hashes.update("sha256:" + item.sha256 for item in items)
        if self.reparse:
            self._rewritten.update(item.sha256 for item in items)
        if self.stored_graphs is not None:
            self.stored_graphs.update(item.graph for item in items)
        self.replaced_any = self.replaced_any or bool(replaced)
        documents = [item.search for item in items if item.search]
        graphs = [item.graph for item in items]
        # The lists whose sizes change: those of the entries written, and those of the entries of the
        # graphs replaced, read before they go. Marked in the same write and recounted once, at the end
        # of the run (``recount_marked``): a large list touched by every batch is counted once, not per batch.
        touched = {name for item in items for name in item.lists}
        touched |= sizes.lists_in_graphs(self.store, [item.graph for item in replaced])
        mark = sizes.new_mark(self.iris)
        data = sizes.marks(self.iris, mark, touched) + data
        report.graphs.update(graphs)
        search_index = self.search_index
        if search_index is not None:
            search_index.mark_pending(graphs)  # until their documents are in (see ingest_paths)

        def written() -> None:
            if search_index is not None:
                search_index.put(documents, settled=graphs)

        # One write per batch: a failure or a crash leaves every question of it whole or absent.
        self.writer.submit(data, [item.graph for item in replaced], graphs, written)

    def recount_marked(self, report: Report) -> None:
        """Count anew the lists this run's writes marked (and any a stopped run left marked)."""
        started = time.perf_counter()
        sizes.catch_up(self.store, self.iris)
        report.recount_seconds += time.perf_counter() - started

    def _shared(self, items: list[Prepared]) -> bytes:
        lines: dict[bytes, None] = {}
        g = self.iris.entities_graph
        for item in items:
            lines.update(dict.fromkeys(item.entities.splitlines(keepends=True)))
            for iri, predicate, data in item.names:
                # A minted entity keeps the first name it was stored with.
                if (iri, predicate) in self._named:
                    continue
                held = self.store.objects(NamedNode(iri), NamedNode(predicate), g)
                if not held:
                    lines.update(dict.fromkeys(data.splitlines(keepends=True)))
                own = next(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_QUADS)).object
                name = held[0] if held else own
                if isinstance(name, Literal):
                    self._named[iri, predicate] = name
        return b"".join(lines)

    def _as_named(self, item: Prepared) -> Prepared:
        """The item with its kg:printedSubmitters made of the names the store keeps for its minted
        entities (``_shared`` decides them), where those differ from the names the page gave."""
        if item.printed is None:
            return item
        reference = self.mapper.reference_names
        printed = render_submitters(item.submitters, lambda iri, predicate: (
            reference.get((iri, predicate)) or self._named.get((iri, predicate.value))))
        if printed == item.printed:
            return item
        start = f"{self.iris.question(item.zaak)} {KG.printedSubmitters} "
        end = f" {NamedNode(item.graph)} .\n"  # as MappedQuestion.nquads states it
        stated = f"{start}{Literal(item.printed)}{end}".encode()
        made = f"{start}{Literal(printed)}{end}".encode() if printed is not None else b""
        return dataclasses.replace(item, quads=item.quads.replace(stated, made), printed=printed)


def _one_crawl_each(batch: list[Prepared], report: Report) -> list[Prepared]:
    """The most complete crawl of each zaak in the batch (the later one of equals); the others
    are counted as unchanged (the same bytes twice are one crawl) or superseded."""
    chosen: dict[str, Prepared] = {}
    for item in batch:
        held = chosen.get(item.zaak)
        if held is None or item.rank >= held.rank:
            chosen[item.zaak] = item
        if held is not None:
            if held.sha256 == item.sha256:
                report.unchanged += 1
            else:
                report.superseded += 1
    return list(chosen.values())


def _prepare(preparer: Preparer, job: tuple[str, str]) -> Prepared | str:
    """One file's prepared record, or its error line."""
    path, display = job
    try:
        return preparer.prepare(Path(path), display)
    except PageError as error:
        return error.located(display)
    except OSError as error:
        return f"{display}: cannot read: {error.strerror or error}"
    except Exception as error:  # one file's surprise must not end the batch
        return f"{display}: internal error while reading this file: {type(error).__name__}: {error}"


def _prepare_in_worker(job: tuple[str, str]) -> Prepared | str:
    if _WORKER is None:
        raise RuntimeError("a worker process prepares files only after _start_worker")
    return _prepare(_WORKER, job)


_WORKER: Preparer | None = None  # a worker process's own, made by the pool's initializer


def _start_worker(base_iri: str, ingest_time: datetime, skip: set[str]) -> None:
    global _WORKER  # noqa: PLW0603 (the pool's initializer is how a worker process gets its state)
    # Ctrl-C and SIGTERM reach the whole process group: the ingest decides how to stop, and its
    # workers end with it (below) or when it shuts the pool down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _WORKER = Preparer(Mapper(Iris(base_iri), load_reference()), ingest_time, skip)
    # A worker inherits both ends of its job queue's pipe, so it never reads an end of file when
    # the ingest is killed: without this it would wait for jobs forever, an orphan.
    die_with_parent(os.getppid())


def _job(path: Path) -> tuple[str, str]:
    return str(path), path.as_posix()  # what a worker opens, what its messages name


def _prepared(ingestor: Ingestor, files: Iterator[Path], workers: int,
              stop: threading.Event) -> Iterator[tuple[Path, Prepared | str]]:
    """Each file with its prepared record or error line, in file order; parsed in worker
    processes when it pays. The files are taken from the iterator a window at a time, so no list
    of every file is held. Once ``stop`` is set nothing more is read: the jobs not started are
    cancelled, and the workers end with the chunk they hold."""
    window = list(islice(files, WINDOW))
    if workers < 1 or len(window) < PARALLEL_THRESHOLD:
        for path in chain(window, files):
            if stop.is_set():
                return
            yield path, _prepare(ingestor.preparer, _job(path))
        return
    context = multiprocessing.get_context("fork")
    # concurrent.futures rather than multiprocessing.Pool: the Pool's worker-minding thread spins
    # while results wait in its pipe, taking CPU from the parsing and the writes.
    pool = ProcessPoolExecutor(workers, context, initializer=_start_worker,
                               initargs=(ingestor.iris.base, ingestor.ingest_time, ingestor.preparer.skip))
    try:
        # All jobs at once would queue every result the writer has not taken yet; windows of a
        # batch keep memory flat however many pages there are. The next window is handed out
        # before this one is read, so the workers never wait for the writer.
        pending: tuple[list[Path], Iterator[Prepared | str]] | None = (
            window, pool.map(_prepare_in_worker, map(_job, window), chunksize=8))
        while pending and not stop.is_set():
            window, results = pending
            following = list(islice(files, WINDOW))
            pending = None
            if following:
                pending = following, pool.map(_prepare_in_worker, map(_job, following), chunksize=8)
            for item in zip(window, results, strict=True):
                yield item
                if stop.is_set():
                    return
    finally:
        # On a stop, the jobs not started are cancelled, and no result of theirs is waited for.
        pool.shutdown(wait=True, cancel_futures=stop.is_set())


PARALLEL_THRESHOLD = 64
WINDOW = BATCH_SIZE


def ingest_paths(
    store: GraphStore,
    paths: Iterable[Path],
    settings=None,
    *,
    base_iri: str | None = None,
    on_file: Callable[[Path], None] | None = None,
    batch_size: int = BATCH_SIZE,
    workers: int | None = None,
    search_index: SearchIndex | None = None,
    compact_after: int = COMPACT_AFTER,
    reparse: bool = False,
    stop: threading.Event | None = None,
) -> Report:
    """Ingest files and folders into the store; errors are collected, never raised per file.

    Files are parsed, mapped and validated in worker processes (one per core) while this process
    writes the finished batches, so both cores work on a large ingest. With ``reparse``, pages whose
    bytes the store already holds are mapped and stored again (after an upgrade that maps them
    differently); otherwise they are skipped before parsing. When ``stop`` is set (the command
    sets it on SIGINT and SIGTERM) no more files are read: the batch in hand is stored, the workers
    are stopped, and the report says it was interrupted.
    """
    started = time.perf_counter()
    ingestor = Ingestor(
        store,
        base_iri or (settings.base_iri if settings else Iris().base),
        settings.ingest_time if settings else None,
        search_index,
        reparse,
    )
    ingestor.ensure_reference()
    catch_up = _SearchCatchUp.before(ingestor, search_index)
    report = Report()
    recounted = sizes.catch_up(store, ingestor.iris)
    if recounted:
        report.notices.append(f"the sizes of {recounted} lists a stopped run had changed were recounted")
    workers = workers if workers is not None else (os.cpu_count() or 1)
    stop = stop or threading.Event()
    files = iter_files(paths, on_error=report.errors.append)
    try:
        _write_batches(ingestor, _prepared(ingestor, files, workers, stop), report, batch_size, on_file, stop=stop)
    finally:
        ingestor.writer.finish()
    ingestor.recount_marked(report)  # an interrupted run too: what it stored is counted
    report.interrupted = stop.is_set()
    if ingestor.replaced_any:
        ingestor.prune_entities()
    store.flush()
    if report.interrupted:  # compaction and the search catch-up wait for the next run
        report.seconds = time.perf_counter() - started
        return report
    if report.questions >= compact_after:
        compacting = time.perf_counter()
        if store.optimize():
            report.compacted_seconds = time.perf_counter() - compacting
    catch_up.after(store, report)
    report.seconds = time.perf_counter() - started
    return report


def _write_batches(ingestor: Ingestor, outcomes: Iterator[tuple[Path, Prepared | str]], report: Report,
                   batch_size: int, on_file: Callable[[Path], None] | None, *, stop: threading.Event) -> None:
    """Count each file's outcome and write the prepared ones, a batch at a time, until ``stop``."""
    batch: list[Prepared] = []
    for path, outcome in outcomes:
        if stop.is_set():
            break
        report.files += 1
        if outcome == UNCHANGED:
            report.unchanged += 1
        elif isinstance(outcome, str):
            report.errors.append(outcome)
        else:
            batch.append(outcome)
        if on_file:
            on_file(path)
        if len(batch) >= batch_size:
            ingestor.write(batch, report)
            batch = []
    if batch:
        ingestor.write(batch, report)


@dataclass
class _SearchCatchUp:
    """The search index catches up with the store at the end of a run, since the unchanged pages
    of the run never reach it: filled anew when it holds fewer questions than the store (new
    beside an existing store, or made anew after a change of layout); the graphs of batches a
    killed run sent to the store before their documents went in are indexed from the store."""

    search_index: SearchIndex | None
    iris: Iris
    behind: bool = False
    interrupted: list[str] = field(default_factory=list)

    @classmethod
    def before(cls, ingestor: Ingestor, search_index: SearchIndex | None) -> _SearchCatchUp:
        """What the index lacks before this run writes anything."""
        iris = ingestor.iris
        if search_index is None:
            return cls(None, iris)
        behind = search_index.count(iris.questions) < ingestor.stored_question_count
        return cls(search_index, iris, behind, search_index.pending())

    def after(self, store: GraphStore, report: Report) -> None:
        if self.search_index is None:
            return
        if self.behind:
            report.notices.append(f"the search index held fewer questions than the store: rebuilt, "
                                  f"{reindex(store, self.search_index, self.iris)} questions indexed")
        elif self.interrupted:
            _settle(store, self.search_index, self.iris, self.interrupted)
            report.notices.append(f"the search index missed {len(self.interrupted)} questions of an interrupted "
                                  "run: indexed from the store")


def reindex(store: GraphStore, search_index: SearchIndex, iris: Iris) -> int:
    """Fill the search index anew from the question graphs in the store, in one transaction (a
    server reads the old index until it ends); the number indexed."""
    graphs = [graph for graph in store.named_graphs() if iris.zaak_of_graph(graph.value) is not None]
    search_index.replace_all(_documents(store, graphs), iris.questions, settled=[graph.value for graph in graphs])
    return search_index.count(iris.questions)


def _settle(store: GraphStore, search_index: SearchIndex, iris: Iris, graphs: list[str]) -> None:
    """Index these question graphs as the store holds them (a graph it does not hold, none)."""
    held = store.self_statements(KG.sourceHash, [NamedNode(graph) for graph in graphs])
    search_index.remove(iris.question(zaak).value for graph in graphs
                        if graph not in held and (zaak := iris.zaak_of_graph(graph)) is not None)
    search_index.put(_documents(store, (NamedNode(graph) for graph in graphs if graph in held)), settled=graphs)


def _documents(store: GraphStore, graphs: Iterable[NamedNode | BlankNode]) -> Iterator[SearchDocument]:
    for graph in graphs:
        document = document_from_quads(store.quads(graph))
        if document:
            yield document
