"""Keeping a web process's page index (``indexes/pages.py``) in step with the store."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable

from kamergraph.graph import is_remote
from kamergraph.graph.snapshot import writer_active
from kamergraph.indexes import page_build
from kamergraph.indexes.pages import IndexUnavailable, PageIndex, index_path_for, store_signature

REMOTE_REFRESH_SECONDS = 600.0  # a remote store gives no signature: rebuild this often
CHECK_SECONDS = 1.0  # how often a web process looks at the store's signature
RETRY_SECONDS = 5  # Retry-After while there is no index to serve


FIRST_BUILD_WAIT = 2.0  # seconds a request waits for the first index of a store that has none


class Keeper:
    """Holds the current page index of one web process and keeps it in step with the store.

    A web process starts it when it boots (``start``): the index is loaded, and a build started if
    there is none or it is behind the store, before the first request comes. No request waits for
    a build when there is an index to serve: a stale one, or one of an older format this version
    still reads (pages.READABLE_FORMATS), is served until the new one is in place; the build runs
    in a process of its own at low priority (``page_build --catch-up``), from the graphs the
    endpoint's writes changed when it can. With no index at all (a new store, a deleted file, a
    format no longer read), a request waits up to ``build_wait`` seconds for the first build
    (enough for a small store) and then gets IndexUnavailable (503 with Retry-After) while the build
    goes on; requests wait without holding the lock, so they do not queue behind it.
    """

    def __init__(self, location: str, build_wait: float = FIRST_BUILD_WAIT,
                 on_load: list[Callable[[PageIndex], object]] | None = None):
        self.location = location
        # Called in a thread of their own with each index as it is loaded: work derived from an index
        # (the pairs of /explore) is done before a request asks for it.
        self.on_load = on_load if on_load is not None else []
        self.path = index_path_for(location)
        self.build_wait = build_wait
        self._index: PageIndex | None = None
        self._lock = threading.Lock()
        self._checked = 0.0
        self._builder: subprocess.Popen | None = None
        self._build_started = 0.0
        self._deferred = False  # the start-up is under way: prepare the index after it

    def start(self, then: Callable[[], object] | None = None) -> None:
        """What a web process does as it boots, in a thread: load the index (or start its build),
        run ``then`` (the rest of its start-up), and only then prepare what is derived from the index,
        so that the first page does not share the cores with that work."""
        self._deferred = True
        threading.Thread(target=self._warm, args=(then,), daemon=True, name="page-index").start()

    def _warm(self, then: Callable[[], object] | None) -> None:
        try:
            self.get()
        except IndexUnavailable:
            pass
        if then is not None:
            then()
        with self._lock:
            self._deferred = False
            loaded = self._index
        if loaded is not None:
            for prepare in self.on_load:
                _prepare(prepare, loaded)

    def get(self) -> PageIndex:
        now = time.monotonic()
        index = self._index
        if index is not None and now - self._checked < CHECK_SECONDS:
            return index
        with self._lock:
            self._checked = now
            if self._index is not None:
                self._index = self._refreshed(self._index)
                return self._index
            self._index = self._try_load()
            if self._index is not None:
                if self._stale(self._index) and not self._writer_active():
                    self._start_build()  # serve this older index meanwhile
                return self._index
            builder = self._start_build()
        try:  # the first requests wait up to build_wait from the build's start, later ones not at all
            code = builder.wait(max(0.0, self.build_wait - (time.monotonic() - self._build_started)))
        except subprocess.TimeoutExpired:
            raise IndexUnavailable(f"the page index is being built (for {time.monotonic() - self._build_started:.0f} s "
                                   "so far: there was none, or one an upgrade no longer reads); try again shortly",
                                   retry_after=RETRY_SECONDS) from None
        with self._lock:
            if self._index is None:
                self._index = self._try_load()
            if self._index is None:
                raise IndexUnavailable(f"building the page index of {self.location} failed (exit code {code})")
            return self._index

    def close(self) -> None:
        with self._lock:
            if self._builder is not None and self._builder.poll() is None:
                self._builder.kill()
                self._builder.wait()
            if self._index is not None:
                self._index.close()
                self._index = None

    # -- under self._lock

    def _refreshed(self, index: PageIndex) -> PageIndex:
        """The index to serve now: a newer file when one is in place; a rebuild started when the
        store has changed since ``index`` was built."""
        if self._builder is not None and self._builder.poll() is not None:
            self._builder = None
        if self._file_changed(index):
            fresh = self._try_load()
            if fresh is not None:
                index.close()
                return fresh
        if self._builder is None and self._stale(index) and not self._writer_active():
            self._start_build()
        return index

    def _stale(self, index: PageIndex) -> bool:
        if not index.current_format:
            return True
        if is_remote(self.location):
            return time.time() - index.built > REMOTE_REFRESH_SECONDS
        return index.signature != store_signature(self.location)

    def _file_changed(self, index: PageIndex) -> bool:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return False
        return (stat.st_ino, stat.st_mtime_ns, stat.st_size) != index.file_id

    def _try_load(self) -> PageIndex | None:
        try:
            index = PageIndex(self.path)
        except (sqlite3.Error, FileNotFoundError, ValueError):
            return None
        if not self._deferred:  # else prepared when the start-up is done (start)
            for prepare in self.on_load:
                threading.Thread(target=_prepare, args=(prepare, index), daemon=True).start()
        return index

    def _writer_active(self) -> bool:
        return not is_remote(self.location) and os.path.isdir(self.location) and writer_active(self.location)

    def _start_build(self) -> subprocess.Popen:
        """The build under way, started now if none is."""
        if self._builder is not None and self._builder.poll() is None:
            return self._builder
        if is_remote(self.location):
            command = [sys.executable, "-m", page_build.__name__, "--store", self.location, "--out", str(self.path)]
        else:
            command = [sys.executable, "-m", page_build.__name__, "--store", self.location, "--out", str(self.path),
                       "--catch-up"]
        self._builder = subprocess.Popen(command, stdin=subprocess.DEVNULL)
        self._build_started = time.monotonic()
        return self._builder


def _prepare(prepare: Callable[[PageIndex], object], index: PageIndex) -> None:
    try:
        prepare(index)
    except sqlite3.Error:  # the index was replaced and closed meanwhile: the next one is prepared anew
        pass
