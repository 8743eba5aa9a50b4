"""Replies kept in the web process until the store changes, so that a repeated query costs no trip
to a query process.

A reply is kept with the signature of the store folder (``snapshot.signature``: any committed write
changes it) and served while the signature is the same. It is kept only when the signature was the
same, and no writer held the store, both before the task was sent and after the reply came back:
then the query process answered from that very state (it moves to a fresh snapshot whenever the
signature changes and no writer holds the store). Nothing is kept for a remote store, whose
changes no signature shows, nor any reply but a 200. Bounded in entries and bytes, least recently
used first out.

Which tasks may be kept at all is for the caller to say: ``repeatable`` tells a query whose answer
depends on the store alone from one that asks for the time, random numbers or fresh blank nodes, or
that calls another service.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from kamergraph.endpoint.runtime.tasks import Reply
from kamergraph.graph import is_remote, snapshot

# What makes two runs of one text differ: the clock (NOW), random values (RAND, UUID, STRUUID), fresh
# blank nodes (BNODE(), and blank nodes in a CONSTRUCT template: [ ] or _:) and other services
# (SERVICE). Looked for anywhere in the text, in any case: a false alarm only costs the cache.
_UNREPEATABLE = ("now", "rand", "uuid", "bnode", "service", "_:", "[")


def repeatable(sparql: str) -> bool:
    """Whether the same text on the same store state always gives the same answer."""
    lowered = sparql.lower()  # substring searches: a regular expression took 0.1 ms on a page's queries
    return not any(word in lowered for word in _UNREPEATABLE)


class ReplyCache:
    def __init__(self, location: str, entries: int = 256, max_bytes: int = 32 * 1024 * 1024,
                 max_entry: int = 4 * 1024 * 1024):
        self.location = location
        self.entries, self.max_bytes, self.max_entry = entries, max_bytes, max_entry
        self._kept: OrderedDict[Hashable, tuple[tuple, Reply]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._store = None if is_remote(location) else snapshot.StoreState(location)

    def state(self) -> tuple | None:
        """The store's signature, or None when replies cannot be kept now (a writer holds the store,
        the store is remote or cannot be read)."""
        if self._store is None:
            return None
        try:
            return self._store.get()
        except OSError:
            return None

    def reply(self, key: Hashable, run: Callable[[], Reply]) -> Reply:
        """The reply kept under ``key`` for the store as it is, else ``run()``'s (kept if it may be)."""
        before = self.state()
        if before is not None:
            with self._lock:
                kept = self._kept.get(key)
                if kept is not None and kept[0] == before:
                    self._kept.move_to_end(key)
                    return kept[1]
        reply = run()
        if before is None or reply.status != 200 or len(reply.body) > self.max_entry:
            return reply
        if self.state() != before:  # the store changed meanwhile: which state answered is unknown
            return reply
        with self._lock:
            old = self._kept.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1].body)
            self._kept[key] = (before, reply)
            self._bytes += len(reply.body)
            while self._kept and (len(self._kept) > self.entries or self._bytes > self.max_bytes):
                _, (_, dropped) = self._kept.popitem(last=False)
                self._bytes -= len(dropped.body)
        return reply
