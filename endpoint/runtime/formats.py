"""The media types the endpoint speaks, as plain data: formats travel to the query processes, which
load no web framework. Choosing between them is ``endpoint.negotiation``'s.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class Format:
    media_type: str  # what the response says it is
    pyoxigraph: str  # attribute of QueryResultsFormat or RdfFormat
    aliases: tuple[str, ...] = ()  # other media types that mean this format in an Accept header
    names: tuple[str, ...] = ()  # short names for the format parameter
    dataset: bool = False  # a quad format: triples are written into its default graph
    iri: str = ""  # in the W3C registry of format IRIs (https://www.w3.org/ns/formats/)

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)


# SELECT and ASK. The first is the default for "*/*" and for no Accept header at all.
SOLUTIONS: tuple[Format, ...] = (
    Format("application/sparql-results+json", "JSON", ("application/json",), ("json", "srj"),
           iri=W3C_FORMATS + "SPARQL_Results_JSON"),
    Format("application/sparql-results+xml", "XML", ("application/xml", "text/xml"), ("xml", "srx"),
           iri=W3C_FORMATS + "SPARQL_Results_XML"),
    Format("text/csv", "CSV", (), ("csv",), iri=W3C_FORMATS + "SPARQL_Results_CSV"),
    Format("text/tab-separated-values", "TSV", (), ("tsv",), iri=W3C_FORMATS + "SPARQL_Results_TSV"),
)

# CONSTRUCT and DESCRIBE, Graph Store reads and the service description.
GRAPHS: tuple[Format, ...] = (
    Format("text/turtle", "TURTLE", ("application/x-turtle",), ("turtle", "ttl"), iri=W3C_FORMATS + "Turtle"),
    Format("application/n-triples", "N_TRIPLES", ("text/plain",), ("ntriples", "n-triples", "nt"),
           iri=W3C_FORMATS + "N-Triples"),
    Format("application/ld+json", "JSON_LD", ("application/json",), ("json-ld", "jsonld", "json"),
           iri=W3C_FORMATS + "JSON-LD"),
    Format("application/rdf+xml", "RDF_XML", ("application/xml", "text/xml"), ("rdf+xml", "rdfxml", "rdf", "xml"),
           iri=W3C_FORMATS + "RDF_XML"),
    Format("application/n-quads", "N_QUADS", (), ("nquads", "n-quads", "nq"), dataset=True,
           iri=W3C_FORMATS + "N-Quads"),
    Format("application/trig", "TRIG", (), ("trig",), dataset=True, iri=W3C_FORMATS + "TriG"),
)

HTML = "text/html"

# Request bodies the Graph Store Protocol accepts: graph formats (a quad format would name graphs
# of its own, which a request for one graph cannot honour).
GRAPH_INPUTS: tuple[Format, ...] = (
    *(f for f in GRAPHS if not f.dataset),
    Format("text/n3", "N3", ("text/rdf+n3",), iri=W3C_FORMATS + "N3"),
)


def by_name(formats: Iterable[Format], value: str) -> Format | None:
    """The format a parameter value names: a short name or a media type (parameters ignored)."""
    value = value.split(";", 1)[0].strip().lower()
    for fmt in formats:
        if value in fmt.names or value in fmt.media_types:
            return fmt
    return None


def by_media_type(formats: Iterable[Format], media_type: str | None) -> Format | None:
    if not media_type:
        return None
    value = media_type.split(";", 1)[0].strip().lower()
    for fmt in formats:
        if value in fmt.media_types:
            return fmt
    return None


def media_type_list(formats: Iterable[Format]) -> str:
    """The formats' media types as a message lists them: ``text/turtle, application/n-triples``."""
    return ", ".join(f.media_type for f in formats)
