"""Namespace terms as pyoxigraph NamedNodes, so that ingest builds quads without parsing IRIs twice.

The ontology's own namespace is fixed (vocabulary IRIs must not move with the deployment); the data
IRIs live under the configurable base IRI (see ingest.iris).
"""
from pyoxigraph import NamedNode

ONTOLOGY_IRI = "https://kamergraph.nl/def"
KG_NS = ONTOLOGY_IRI + "#"


class Namespace:
    """Attribute access to the terms of one namespace: ``KG.WrittenQuestion`` is a NamedNode."""

    def __init__(self, iri: str):
        self.iri = iri
        self._cache: dict[str, NamedNode] = {}

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        node = self[name]
        # Kept as an attribute so later look-ups skip __getattr__ (the ingest path asks often).
        setattr(self, name, node)
        return node

    def __getitem__(self, name: str) -> NamedNode:
        node = self._cache.get(name)
        if node is None:
            node = self._cache[name] = NamedNode(self.iri + name)
        return node


KG = Namespace(KG_NS)
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")
PQA = Namespace("http://parliament.uk/ontologies/question-and-answer/")
ELI_DL = Namespace("http://data.europa.eu/eli/eli-draft-legislation-ontology#")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

PREFIXES = {
    "kg": KG.iri,
    "rdf": RDF.iri,
    "rdfs": RDFS.iri,
    "owl": OWL.iri,
    "xsd": XSD.iri,
    "skos": SKOS.iri,
    "dcterms": DCTERMS.iri,
    "foaf": FOAF.iri,
    "org": ORG.iri,
    "prov": PROV.iri,
    "schema": SCHEMA.iri,
    "sh": SH.iri,
    "pqa": PQA.iri,
    "eli-dl": ELI_DL.iri,
    "void": VOID.iri,
    "dcat": DCAT.iri,
    "sd": SD.iri,
}
