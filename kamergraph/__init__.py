"""kamergraph: Dutch parliamentary written questions as a linked-data knowledge graph."""

__version__ = "0.1.0"
