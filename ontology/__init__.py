"""The kamergraph ontology: Turtle files and the namespace terms used to write data in it."""
from importlib import resources

ONTOLOGY_FILE = "kamergraph.ttl"
SHAPES_FILE = "shapes.ttl"


def read_text(name: str) -> str:
    """The text of one of the ontology's Turtle files (kamergraph.ttl, shapes.ttl)."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
