"""Ingesting into an embedded store folder and reading it back, for the ingest and shape tests."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from pyoxigraph import NamedNode, Quad

from graph import open_store
from ingest.pipeline import ingest_paths
from kamergraph.config import Settings

# One ingest time for every run, so two ingests of the same files give the same quads.
FIXED_TIME = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def ingest(store_dir: Path, *paths: Path, base_iri: str | None = None):
    """ingest_paths into the store folder with a fixed ingest time; the store is closed after."""
    store = open_store(str(store_dir))
    try:
        settings = Settings(store=str(store_dir), ingest_time=FIXED_TIME)
        return ingest_paths(store, list(paths), settings, base_iri=base_iri)
    finally:
        store.close()


def all_quads(store_dir: Path, graph: NamedNode | None = None) -> set[Quad]:
    """Every quad of the store (incl. graph names), or of one graph."""
    store = open_store(str(store_dir), read_only=True)
    try:
        return set(store.quads(graph))
    finally:
        store.close()
