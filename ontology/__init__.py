"""The kamergraph ontology: Turtle files and the namespace terms used to write data in it."""
from importlib import resources

import kamergraph

from .terms import ONTOLOGY_IRI, OWL

ONTOLOGY_FILE = "kamergraph.ttl"
SHAPES_FILE = "shapes.ttl"
# The owl:Ontology each file describes.
_HEADERS = {ONTOLOGY_FILE: ONTOLOGY_IRI, SHAPES_FILE: ONTOLOGY_IRI + "/shapes"}


def read_text(name: str) -> str:
    """The text of one of the ontology's Turtle files (kamergraph.ttl, shapes.ttl), with the
    kamergraph version as its owl:versionInfo: the files leave it out, so that the package's
    version is its one source."""
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return f'{text}\n<{_HEADERS[name]}> {OWL.versionInfo} "{kamergraph.__version__}" .\n'
