"""The IRIs kamergraph mints, all under one configurable base IRI.

Things live under ``{base}id/``, named graphs under ``{base}graph/``. Every IRI is built from a
stable key (zaak number, name slug, TOOI code), never from the order of ingest, so the same input
gives the same IRIs on every machine.
"""
from __future__ import annotations

from functools import lru_cache

from pyoxigraph import NamedNode

DEFAULT_BASE_IRI = "https://kamergraph.nl/"


def normalised_base(base: str) -> str:
    """The base IRI as every IRI is built from it: the base followed by a path, so ending in a slash."""
    return base if base.endswith("/") else base + "/"

# The path segment of each kind of thing; Dutch, like the data.
KINDS = {
    "question": "kamervraag",
    "person": "persoon",
    "party": "partij",
    "ministry": "ministerie",
    "post": "post",
    "topic": "onderwerp",
    "document": "document",
    "membership": "lidmaatschap",
    "tenure": "ambtstermijn",
    "fractie": "fractie",  # a Fractie record of the Tweede Kamer: one period a party sat in the House
}
PARTS = {
    "subquestion": "vraag",
    "answer": "antwoord",
    "notice": "mededeling",
    "footnote": "voetnoot",
    "submission": "indiener",
    "answering": "beantwoorder",
    "addressing": "gericht-aan",
}


# -- reading minted IRIs back, and the IRIs the server gives itself (the endpoint and the indexes) -----

ROOTS = ("id", "graph")  # the first path segment of every minted IRI: things, named graphs
KIND_OF_SEGMENT = {segment: kind for kind, segment in KINDS.items()}


def key_of(iri: str) -> str:
    """The key a thing's IRI was minted from: its last path segment (``sp`` of ``{base}id/partij/sp``)."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


class Iris:
    """Mints NamedNodes under a base IRI; memoised because ingest asks for the same ones often."""

    def __init__(self, base: str = DEFAULT_BASE_IRI):
        self.base = base = normalised_base(base)
        self.id = base + "id/"
        self.graph_base = base + "graph/"
        self.questions = f"{self.id}{KINDS['question']}/"  # what every question IRI starts with
        self._question_graphs = f"{self.graph_base}{KINDS['question']}/"
        self.thing = lru_cache(maxsize=65536)(self._thing)

    def _thing(self, kind: str, key: str) -> NamedNode:
        return NamedNode(f"{self.id}{KINDS[kind]}/{key}")

    def question(self, zaak: str) -> NamedNode:
        return NamedNode(f"{self.questions}{zaak}")

    def part(self, zaak: str, part: str, number: int) -> NamedNode:
        return NamedNode(f"{self.questions}{zaak}/{PARTS[part]}/{number}")

    def question_graph(self, zaak: str) -> NamedNode:
        return NamedNode(f"{self._question_graphs}{zaak}")

    @property
    def reference_graph(self) -> NamedNode:
        return NamedNode(self.graph_base + "referentie")

    @property
    def entities_graph(self) -> NamedNode:
        return NamedNode(self.graph_base + "entiteiten")

    @property
    def statistics_graph(self) -> NamedNode:
        """The sizes of the lists (kg:size), kept up to date by every write (ingest/sizes.py)."""
        return NamedNode(self.graph_base + "statistieken")

    @property
    def ontology_graph(self) -> NamedNode:
        return NamedNode(self.graph_base + "ontologie")

    @property
    def topic_scheme(self) -> NamedNode:
        return NamedNode(self.id + KINDS["topic"])

    def zaak_of_graph(self, graph: str) -> str | None:
        """The zaak number a question graph IRI names, None for other graphs."""
        prefix = self._question_graphs
        return graph[len(prefix):] if graph.startswith(prefix) else None

    # -- reading minted IRIs back, and the IRIs the server gives itself -------------------------

    def kind_of(self, iri: str) -> str | None:
        """The kind of thing an IRI names (``{base}id/partij/sp``: ``party``); None for a part of a
        thing (``…/vraag/1``), a graph, or any IRI not minted here."""
        if not iri.startswith(self.id):
            return None
        segment, slash, key = iri[len(self.id):].partition("/")
        if not slash or "/" in key:
            return None
        return KIND_OF_SEGMENT.get(segment)

    def is_graph(self, iri: str) -> bool:
        return iri.startswith(self.graph_base)

    def posted_graph(self, name: str) -> str:
        """A graph a client sent to the Graph Store without naming it (``POST /store``)."""
        return f"{self.graph_base}store/{name}"

    @property
    def sparql_endpoint(self) -> str:
        return self.base + "sparql"

    @property
    def sparql_service(self) -> str:
        """The SPARQL service, as its service description and the dataset's DCAT name it."""
        return self.sparql_endpoint + "#service"

    @property
    def dataset(self) -> str:
        """The dataset, as its VoID and DCAT description name it."""
        return self.base + ".well-known/void#kamergraph"
