"""The store layer: the only package that opens a triple store or speaks SPARQL over HTTP.

``open_store(location)`` gives the embedded Oxigraph store for a folder (the default), or the
remote SPARQL 1.1 store for an ``http(s)://`` URL.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from .base import GraphStore, QueryResult, RemoteStoreError, ResultKind


def is_remote(location: str) -> bool:
    """Whether a store location is a SPARQL endpoint's URL rather than a folder."""
    return location.startswith(("http://", "https://"))


def open_store(location: str, *, read_only: bool = False) -> GraphStore:
    if is_remote(location):
        from .remote import RemoteStore

        return RemoteStore(location)
    from .embedded import EmbeddedStore

    return EmbeddedStore(location, read_only=read_only)


def cache_path(location: str, suffix: str) -> Path:
    """Where a derived cache of a store lives (``suffix``: ``search.sqlite``, ``pages.sqlite``):
    beside an embedded store, under var/ for a remote one, a file for each store, so that two
    remote stores never share one. A remote store is named by its query URL without credentials:
    an ingest as ``http://user:pw@host:7878`` and a server at ``http://host:7878/query`` share."""
    if is_remote(location):
        from .base import _without_credentials
        from .remote import endpoints

        query_url = endpoints(_without_credentials(location))[0]
        return Path("var") / f"{hashlib.sha256(query_url.encode('utf-8')).hexdigest()[:16]}.{suffix}"
    return Path(f"{location.rstrip('/')}.{suffix}")


__all__ = ["GraphStore", "QueryResult", "RemoteStoreError", "ResultKind", "cache_path", "is_remote", "open_store"]
