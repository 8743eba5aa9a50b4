"""The SPARQL 1.1 Service Description of the endpoint, as RDF."""
from __future__ import annotations

from functools import lru_cache

from pyoxigraph import Literal, NamedNode, Triple

from kamergraph.config import Settings
from kamergraph.endpoint.runtime.formats import GRAPH_INPUTS, GRAPHS, SOLUTIONS, Format
from kamergraph.endpoint.runtime.results import render_triples
from kamergraph.endpoint.runtime.tasks import Reply
from kamergraph.iris import Iris
from kamergraph.ontology.terms import DCTERMS, RDF, SD

ENTAILMENT_SIMPLE = NamedNode("http://www.w3.org/ns/entailment/Simple")


@lru_cache(maxsize=64)
def service_description(settings: Settings, fmt: Format) -> Reply:
    triples = description_triples(settings)
    return render_triples(iter(triples), fmt, len(triples))


def description_triples(settings: Settings) -> list[Triple]:
    iris = Iris(settings.base_iri)
    endpoint = NamedNode(iris.sparql_endpoint)
    service = NamedNode(iris.sparql_service)
    dataset = NamedNode(iris.sparql_endpoint + "#dataset")
    default_graph = NamedNode(iris.sparql_endpoint + "#default-graph")
    out = [
        Triple(service, RDF.type, SD.Service),
        Triple(service, SD.endpoint, endpoint),
        Triple(service, DCTERMS.title, Literal("kamergraph SPARQL endpoint", language="en")),
        Triple(
            service,
            DCTERMS.description,
            Literal(
                "Dutch parliamentary written questions (Kamervragen). The default graph is the union of "
                f"all graphs. Queries stop after {settings.query_timeout:g} s and return at most "
                f"{settings.max_rows} rows (header X-Result-Truncated: true when cut).",
                language="en",
            ),
        ),
        Triple(service, SD.supportedLanguage, SD.SPARQL11Query),
        Triple(service, SD.feature, SD.UnionDefaultGraph),
        Triple(service, SD.feature, SD.EmptyGraphs),
        Triple(service, SD.defaultEntailmentRegime, ENTAILMENT_SIMPLE),
        Triple(service, SD.defaultDataset, dataset),
        Triple(dataset, RDF.type, SD.Dataset),
        Triple(dataset, SD.defaultGraph, default_graph),
        Triple(default_graph, RDF.type, SD.Graph),
    ]
    if settings.write_token:
        out.append(Triple(service, SD.supportedLanguage, SD.SPARQL11Update))
    if settings.allow_service:
        out.append(Triple(service, SD.feature, SD.BasicFederatedQuery))
    out += [Triple(service, SD.resultFormat, NamedNode(fmt.iri)) for fmt in SOLUTIONS + GRAPHS]
    if settings.write_token:  # what the Graph Store Protocol takes
        out += [Triple(service, SD.inputFormat, NamedNode(fmt.iri)) for fmt in GRAPH_INPUTS]
    return out
