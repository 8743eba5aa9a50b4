"""Ingesting into an embedded store folder, reading it back and running the CLI, for the tests."""
from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from pyoxigraph import NamedNode, Quad

from kamergraph.config import Settings
from kamergraph.graph import open_store
from kamergraph.indexes import page_build
from kamergraph.indexes.pages import index_path_for as pages_path
from kamergraph.indexes.search import SearchIndex, index_path_for
from kamergraph.ingest.pipeline import ingest_paths

# One ingest time for every run, so two ingests of the same files give the same quads.
FIXED_TIME = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
EPOCH = str(int(FIXED_TIME.timestamp()))  # the same time for the CLI, as SOURCE_DATE_EPOCH


def ingest(store_dir: Path, *paths: Path, base_iri: str | None = None, **options):
    """ingest_paths into the store folder with a fixed ingest time and the full-text index beside
    it, then the page index brought up to date, as ``kamergraph ingest`` runs; the store is closed after."""
    store = open_store(str(store_dir))
    search_index = SearchIndex(index_path_for(str(store_dir)))
    try:
        settings = Settings(store=str(store_dir), ingest_time=FIXED_TIME)
        report = ingest_paths(store, list(paths), settings, base_iri=base_iri, search_index=search_index, **options)
    finally:
        store.close()
        search_index.close()
    with page_build.locked(pages_path(str(store_dir))):
        page_build.after_ingest(str(store_dir), report.graphs)
    return report


def copy_store(source: Path, target: Path) -> Path:
    """A copy of a store folder, with the full-text index and the page index beside it (when there
    are), under the copy's name; the page index is current for the copy (the store's files keep
    their times, which its signature is made of)."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("LOCK"))
    for index_of in (index_path_for, pages_path):
        index = index_of(str(source))
        if index.exists():
            shutil.copyfile(index, index_of(str(target)))
    return target


def store_with_index(path: Path, pages: list[Path]) -> Path:
    """A store at ``path`` with ``pages`` ingested and its full-text index beside it, as
    ``kamergraph ingest`` makes them; every page must go in."""
    report = ingest(path, *pages)
    assert not report.errors, report.errors
    return path


def all_quads(store_dir: Path, graph: NamedNode | None = None) -> set[Quad]:
    """Every quad of the store (incl. graph names), or of one graph."""
    store = open_store(str(store_dir), read_only=True)
    try:
        return set(store.quads(graph))
    finally:
        store.close()


def cli(*args: str, env: dict | None = None, epoch: str | None = EPOCH, catch_exceptions: bool = True):
    """``kamergraph ARGS`` in-process; the caller's KAMERGRAPH_* settings are kept out of it."""
    from click.testing import CliRunner

    from kamergraph.cli import main

    clean = {"KAMERGRAPH_BASE_IRI": None, "KAMERGRAPH_STORE": None, "SOURCE_DATE_EPOCH": epoch}
    return CliRunner().invoke(main, list(args), env={**clean, **(env or {})}, catch_exceptions=catch_exceptions)
