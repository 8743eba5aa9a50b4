"""A harvest run: the zaken the window, the cursor or ``--zaak`` names, made into records and
stored in batches through the ingest's own writes, so each question is stored whole or not at
all; deleted zaken dropped; the cursor moved on only when the run has ended.

The cursor lives in the store (graph ``{base}graph/oogst``): the moment the last complete run
began. The next run asks for what changed since then, less an overlap, so a record that became
visible late is still seen.
"""
from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as day_time

from pyoxigraph import Literal, NamedNode, Quad

from kamergraph.graph import GraphStore
from kamergraph.graph.base import group_by_subject
from kamergraph.indexes.search import SearchIndex
from kamergraph.ingest import sizes
from kamergraph.ingest.mapping import Source, tk_persoon
from kamergraph.ingest.pipeline import SOFTWARE, Ingestor, Prepared, Report
from kamergraph.ontology.terms import DCTERMS, FOAF, KG, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, XSD

from .client import Client, HarvestError
from .tk import DEFAULT_TK_URL, Entity, TkApi
from .zaak import DEFAULT_OB_URL, Harvested, HarvestedPerson, OfficialSource, Seat, build

OVERLAP = timedelta(days=1)
# Zaken per atomic write: what a killed run can lose, and redo on the rerun (the crash test sets 1).
BATCH = int(os.environ.get("KAMERGRAPH_HARVEST_BATCH", "50"))
FRACTIE_ID_BASE = DEFAULT_TK_URL + "/Fractie"


@dataclass
class HarvestReport:
    zaken: int = 0  # zaken read from the API
    deleted: int = 0
    stored: Report = field(default_factory=Report)
    problems: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: int = 0
    retried: int = 0
    cursor: datetime | None = None  # where the next run starts (before the overlap)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        stored = self.stored
        return (f"{self.zaken} zaken, {stored.questions} questions stored, {stored.unchanged} unchanged, "
                f"{self.deleted} deleted, {stored.triples} triples, {len(self.problems)} problems, "
                f"{len(self.errors)} errors, {self.requests} requests ({self.retried} retried), {self.seconds:.1f} s"
                + (f"; next run from {self.cursor.isoformat()}" if self.cursor else ""))


@dataclass(frozen=True)
class Window:
    """What to harvest: zaken by number, zaken started in [since, until), or (neither) what
    changed since the cursor."""

    since: date | None = None
    until: date | None = None
    zaken: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        """A run that reaches every change up to its start: only such a run moves the cursor."""
        return not self.zaken and self.until is None


def cursor_graph(base: str) -> NamedNode:
    return NamedNode(base + "graph/oogst")


def read_cursor(store: GraphStore, base: str) -> datetime | None:
    graph = cursor_graph(base)
    values = [o for o in store.objects(graph, KG.harvestCursor, graph) if isinstance(o, Literal)]
    if not values:
        return None
    return datetime.fromisoformat(values[0].value.replace("Z", "+00:00"))


def write_cursor(store: GraphStore, base: str, moment: datetime) -> None:
    graph = cursor_graph(base)
    value = Literal(moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime)
    store.replace_graphs({graph: [Quad(graph, KG.harvestCursor, value, graph)]})


class Harvester:
    def __init__(self, store: GraphStore, base_iri: str, client: Client, *, tk_url: str = DEFAULT_TK_URL,
                 ob_url: str = DEFAULT_OB_URL, ingest_time: datetime | None = None,
                 search_index: SearchIndex | None = None, log: Callable[[str], None] = lambda _: None,
                 on_zaak: Callable[[str], None] | None = None, on_count: Callable[[int], None] | None = None,
                 now: Callable[[], datetime] | None = None):
        self.store = store
        self.client = client
        self.tk = TkApi(client, tk_url, log, on_count)
        self.official = OfficialSource(client, ob_url)
        self.ingestor = Ingestor(store, base_iri, ingest_time, search_index)
        self.iris = self.ingestor.iris
        self.search_index = search_index
        self.log = log
        self.on_zaak = on_zaak
        self.now = now or (lambda: datetime.now(UTC).replace(microsecond=0))
        self._numbers_seen: set[str] = set()
        self._tk_ids_by_key = self._minted_persons()

    def _minted_persons(self) -> dict[str, str]:
        """The persons earlier harvests minted, by IRI key, with their Persoon ids; the resolver
        learns them, so the same Persoon id gets the same IRI."""
        by_key: dict[str, str] = {}
        graph = self.iris.entities_graph
        for quad in self.store.quads_for_predicate(KG.tkId):
            if quad.graph_name == graph and isinstance(quad.subject, NamedNode) and isinstance(quad.object, Literal):
                key = quad.subject.value.rsplit("/", 1)[-1]
                by_key[key] = quad.object.value
                self.ingestor.mapper.resolver.minted_tk_ids[quad.object.value] = key
        return by_key

    def run(self, window: Window) -> HarvestReport:
        started_clock = time.perf_counter()
        started = self.now()
        report = HarvestReport()
        self.ingestor.ensure_reference()
        sizes.catch_up(self.store, self.iris)  # what a stopped run left to recount
        try:
            self._harvest(self._zaken(window, report), report)
            complete = True
        except HarvestError as error:
            report.errors.append(str(error))
            complete = False
        finally:
            self.ingestor.writer.finish()
        sizes.catch_up(self.store, self.iris)  # the lists this run's batches marked, each counted once
        if self.ingestor.replaced_any:
            self.ingestor.prune_entities()
        if complete and window.complete and not report.errors:
            write_cursor(self.store, self.iris.base, started)
            report.cursor = started
        self.store.flush()
        report.requests, report.retried = self.client.requests, self.client.retried
        report.seconds = time.perf_counter() - started_clock
        return report

    def _zaken(self, window: Window, report: HarvestReport) -> Iterator[tuple[Entity, str]]:
        """Each zaak entity with its own URL, once."""
        if window.zaken:
            pages: Iterable[list[Entity]] = self.tk.zaken_by_number(window.zaken)
        elif window.since is not None:
            pages = self.tk.zaken_started(_midnight(window.since), _midnight(window.until) if window.until else None)
        else:
            cursor = read_cursor(self.store, self.iris.base)
            if cursor is None:
                raise HarvestError("the store holds no harvest cursor yet: give --since DATE for the first harvest")
            since = cursor - OVERLAP
            pages = self._changed(since)
        seen: set[str] = set()
        for rows in pages:
            for zaak in rows:
                guid = zaak.get("Id")
                if not isinstance(guid, str) or guid in seen:
                    continue
                seen.add(guid)
                yield zaak, f"{self.tk.base}/Zaak({guid})"
        if window.zaken:
            for number in window.zaken:
                if number not in self._numbers_seen:
                    report.problems.append(f"{number}: no written question (Soort 'Schriftelijke vragen') "
                                           "with this number in the API")

    def _changed(self, since: datetime) -> Iterator[list[Entity]]:
        changed: set[str] = set()
        for rows in self.tk.zaken_changed(since):
            changed.update(z["Id"] for z in rows if isinstance(z.get("Id"), str))
            yield rows
        touched = self.tk.zaak_ids_touched(since) - changed
        yield from self.tk.zaken_by_id(touched)

    def _harvest(self, zaken: Iterator[tuple[Entity, str]], report: HarvestReport) -> None:
        batch: list[Harvested] = []
        for zaak, url in zaken:
            number = zaak.get("Nummer") if isinstance(zaak.get("Nummer"), str) else url
            try:
                harvested = build(_canonical_entity(zaak), self.official, url)
            except HarvestError as error:
                # Left as the store has it; the cursor stays, so the next run takes it again.
                report.errors.append(f"{number}: not harvested: {error}")
                continue
            except Exception as error:  # one zaak's surprise must not end the run
                report.errors.append(f"{number}: internal error while reading it: {type(error).__name__}: {error}")
                continue
            self._numbers_seen.add(harvested.zaak)
            report.zaken += 1
            report.problems.extend(harvested.problems)
            for problem in harvested.problems:
                self.log(problem)
            batch.append(harvested)
            if self.on_zaak:
                self.on_zaak(harvested.zaak)
            if len(batch) >= BATCH:
                self._store(batch, report)
                batch = []
        if batch:
            self._store(batch, report)

    def _store(self, batch: list[Harvested], report: HarvestReport) -> None:
        prepared: list[Prepared] = []
        deleted: list[str] = []
        for harvested in batch:
            if harvested.deleted:
                deleted.append(self.iris.question_graph(harvested.zaak).value)
            elif harvested.record is not None:
                try:
                    prepared.append(self._prepare(harvested))
                except Exception as error:  # one zaak's surprise must not end the run
                    report.errors.append(f"{harvested.zaak}: not stored: {type(error).__name__}: {error}")
        if prepared:
            self.ingestor.write(prepared, report.stored)
        if deleted:
            self._delete(deleted, report)

    def _prepare(self, harvested: Harvested) -> Prepared:
        assert harvested.record is not None
        graph = self.iris.question_graph(harvested.zaak)
        source = Source(harvested.sources[0], harvested.sha256, self.ingestor.ingest_time, SOFTWARE,
                        derived_from=tuple(dict.fromkeys(harvested.sources)),
                        earlier_pages=self._earlier_pages(graph))
        prepared = self.ingestor.preparer.prepare_record(harvested.record, source,
                                                         self._person_quads(harvested.persons.values()))
        return prepared

    def _earlier_pages(self, graph: NamedNode) -> tuple[tuple[str, str, str], ...]:
        """The provenance of the page (or pages) the store holds for this zaak: it stays."""
        known = self.ingestor.stored_graphs
        if known is not None and graph.value not in known:
            return ()
        values = group_by_subject(self.store.quads(graph))
        own = values.get(graph, {})
        if not own:
            return ()
        if KG.HarvestedGraph not in own.get(RDF.type, ()):
            return (_page(own.get(KG.sourceFile), own.get(KG.sourceHash), own.get(PROV.generatedAtTime)),)
        pages = []
        for node in own.get(PROV.wasDerivedFrom, ()):
            props = values.get(node, {})
            if KG.PageSource in props.get(RDF.type, ()):
                # dcterms:identifier: where stores made before kg:sourceHash state the page's hash.
                pages.append(_page(props.get(RDFS.label), props.get(KG.sourceHash) or props.get(DCTERMS.identifier),
                                   props.get(PROV.generatedAtTime)))
        return tuple(sorted(pages))

    def _person_quads(self, persons: Iterable[HarvestedPerson]) -> list[Quad]:
        """The Persoon id of each person and, from FractieZetelPersoon, the seats with their dates."""
        g = self.iris.entities_graph
        quads: list[Quad] = []
        resolver = self.ingestor.mapper.resolver
        for person in persons:
            resolved = resolver.person(person.name, person.tk_id)
            node = self.iris.thing("person", resolved.key)
            if not resolved.known and person.tk_id not in resolver.minted_tk_ids:
                # A person the reference lacks is keyed by its Persoon id from now on; a namesake
                # minted before with another id keeps its IRI, and this one gets the id in its own.
                held = self._tk_ids_by_key.get(resolved.key)
                key = resolved.key if held in (None, person.tk_id) else f"{resolved.key}-{person.tk_id[:8].lower()}"
                resolver.minted_tk_ids[person.tk_id] = key
                self._tk_ids_by_key[key] = person.tk_id
                node = self.iris.thing("person", key)
            if not resolver.in_reference(person.tk_id):  # else the reference graph links it already
                quads.append(Quad(node, SKOS.exactMatch, tk_persoon(person.tk_id), g))
            if not resolved.known:
                quads.append(Quad(node, KG.tkId, Literal(person.tk_id), g))
            for seat in person.seats:
                party = resolver.party(seat.party)
                party_node = self.iris.thing("party", party.key)
                if not party.known:
                    quads += [Quad(party_node, RDF.type, KG.Party, g),
                              Quad(party_node, SKOS.prefLabel, Literal(seat.party), g)]
                    if seat.party_name:
                        quads.append(Quad(party_node, FOAF.name, Literal(seat.party_name), g))
                quads += self._fractie_quads(party_node, seat)
                membership = self.iris.thing("membership", f"tk-{seat.id.lower()}")
                quads += [Quad(membership, RDF.type, KG.PartyMembership, g),
                          Quad(membership, ORG.member, node, g),
                          Quad(membership, ORG.organization, party_node, g),
                          Quad(node, ORG.hasMembership, membership, g)]
                for predicate, day in ((SCHEMA.validFrom, seat.start), (SCHEMA.validUntil, seat.end)):
                    if day:
                        quads.append(Quad(membership, predicate, Literal(day.isoformat(), datatype=XSD.date), g))
        return quads

    def _fractie_quads(self, party: NamedNode, seat: Seat) -> list[Quad]:
        """The Fractie record a seat is in: a period the party sat in the House (DatumActief to
        DatumInactief). A party that sat in separate periods has a Fractie record for each."""
        if not seat.fractie_id:
            return []
        g = self.iris.entities_graph
        node = self.iris.thing("fractie", f"tk-{seat.fractie_id.lower()}")
        quads = [Quad(node, RDF.type, KG.FractiePeriod, g),
                 Quad(node, SKOS.exactMatch, NamedNode(f"{FRACTIE_ID_BASE}({seat.fractie_id})"), g),
                 Quad(party, KG.fractiePeriod, node, g)]
        for predicate, day in ((SCHEMA.validFrom, seat.fractie_start), (SCHEMA.validUntil, seat.fractie_end)):
            if day:
                quads.append(Quad(node, predicate, Literal(day.isoformat(), datatype=XSD.date), g))
        return quads

    def _delete(self, graphs: list[str], report: HarvestReport) -> None:
        held = self.store.self_statements(KG.sourceHash, [NamedNode(g) for g in graphs])
        gone = [g for g in graphs if g in held]
        if not gone:
            return
        self.ingestor.writer.wait_for(gone)
        # The lists of their entries lose them: marked before the graphs go, recounted after.
        touched = sizes.lists_in_graphs(self.store, gone)
        mark = sizes.new_mark(self.iris)
        self.store.write_nquads(sizes.marks(self.iris, mark, touched))
        self.store.replace_graphs({NamedNode(g): [] for g in gone})
        sizes.recount(self.store, self.iris, touched, mark)
        report.deleted += len(gone)
        self.ingestor.replaced_any = True
        if self.search_index is not None:
            self.search_index.remove(self.iris.question(zaak).value for g in gone
                                     if (zaak := self.iris.zaak_of_graph(g)) is not None)


def _page(path: object, sha256: object, at: object) -> tuple[str, str, str]:
    def first(values: object) -> str:
        return values[0].value if isinstance(values, list) and values and isinstance(values[0], Literal) else ""

    return first(path), first(sha256), first(at)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, day_time(0), tzinfo=UTC)


def _canonical_entity(zaak: Entity) -> Entity:
    canonical = _canonical(zaak)
    assert isinstance(canonical, dict)
    return canonical


def _canonical(value: object) -> object:
    """The entity with its nested lists in the order of their ids: the same record read twice
    (from another page, in another order) gives the same bytes and so the same source hash."""
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items() if not key.startswith("@odata")}
    if isinstance(value, list):
        items = [_canonical(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value
