"""The store layer: the only package that opens a triple store or speaks SPARQL over HTTP.

``open_store(location)`` gives the embedded Oxigraph store for a folder (the default), or the
remote SPARQL 1.1 store for an ``http(s)://`` URL.
"""
from __future__ import annotations

from .base import GraphStore, QueryResult, RemoteStoreError, ResultKind


def open_store(location: str, *, read_only: bool = False) -> GraphStore:
    if location.startswith(("http://", "https://")):
        from .remote import RemoteStore

        return RemoteStore(location)
    from .embedded import EmbeddedStore

    return EmbeddedStore(location, read_only=read_only)


__all__ = ["GraphStore", "QueryResult", "RemoteStoreError", "ResultKind", "open_store"]
