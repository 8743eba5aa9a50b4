"""A read-only view of the store that moves forward when the store has changed.

An Oxigraph store opened read-only is a snapshot: it never sees later writes. Before each task the
query process compares a signature of the store folder (names, sizes and times of RocksDB's files:
any committed write changes the write-ahead log or adds a table file) with the one of its snapshot,
and opens a fresh snapshot when they differ. It does not do so while a writer holds RocksDB's LOCK
(an ingest or a write through the endpoint): opening read-only beside a writer is undefined in
Oxigraph and, while the writer's log is long, slow. So readers keep the last complete state during
a write and see the new one at the first request after the writer has closed the store.
"""
from __future__ import annotations

import contextlib
import ctypes
import fcntl
import functools
import os
import struct
import threading
import time
from collections.abc import Iterator

from . import GraphStore, is_remote, open_store

# struct flock on Linux: short l_type, short l_whence, off_t l_start, off_t l_len, pid_t l_pid.
_FLOCK = "hhqqixxxx"


class StoreUnavailable(RuntimeError):
    """The store cannot be opened (missing, or not an Oxigraph store)."""


def signature(path: str) -> tuple:
    """What changes when a write is committed; RocksDB's own info log and lock file are left out.

    Table files (``*.sst``) never change once RocksDB has recorded them, so their names say enough;
    only the other files (write-ahead log, MANIFEST, CURRENT, OPTIONS) are looked at more closely.
    This runs before every query and every cached reply, and a large store has many table files,
    so the folder is listed again only when it has changed (``_Listing``); otherwise only the few
    other files are looked at. The result is the same as a fresh listing's.
    """
    folder = os.stat(path)
    listing = _LISTINGS.get(path)
    if listing is not None and listing.folder == (folder.st_ino, folder.st_mtime_ns):
        try:
            return listing.entries(path)
        except FileNotFoundError:  # removed without the folder's time moving yet: list again
            pass
    listed_at = time.time_ns()
    entries = []
    with os.scandir(path) as listing_:
        for entry in listing_:
            name = entry.name
            if name.endswith(".sst"):
                entries.append((name, 0, 0))
            elif name != "LOCK" and not name.startswith("LOG"):
                stat = entry.stat()
                entries.append((name, stat.st_size, stat.st_mtime_ns))
    entries.sort()
    # A listing made in the same clock tick as the folder's last change could miss a second change
    # in that tick, which would leave the folder's time as it is: such a listing is not kept.
    if listed_at - folder.st_mtime_ns > RACY_NS:
        _LISTINGS[path] = _Listing((folder.st_ino, folder.st_mtime_ns), tuple(entries))
    else:
        _LISTINGS.pop(path, None)
    return tuple(entries)


RACY_NS = 2_000_000_000  # a folder changed less than this before it was listed may change unseen


class _Listing:
    """A store folder's entries as last listed, valid while the folder's inode and time are the same
    (adding, removing or renaming a file changes the time): the ``*.sst`` entries stand as they are,
    the other files are looked at again."""

    def __init__(self, folder: tuple[int, int], entries: tuple):
        self.folder = folder
        self.template = entries
        self.others = [(i, name) for i, (name, size, mtime) in enumerate(entries) if not name.endswith(".sst")]

    def entries(self, path: str) -> tuple:
        entries = list(self.template)
        for i, name in self.others:
            stat = os.stat(os.path.join(path, name))
            entries[i] = (name, stat.st_size, stat.st_mtime_ns)
        return tuple(entries)


_LISTINGS: dict[str, _Listing] = {}


def writer_active(path: str) -> bool:
    """Whether a process holds RocksDB's write lock."""
    return writer_pid(path) is not None


def writer_pid(path: str) -> int | None:
    """The process that holds RocksDB's write lock, if any; asked with F_GETLK, which takes no lock."""
    try:
        fd = os.open(os.path.join(path, "LOCK"), os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        probe = struct.pack(_FLOCK, fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0)
        l_type, _, _, _, l_pid = struct.unpack(_FLOCK, fcntl.fcntl(fd, fcntl.F_GETLK, probe))
        return None if l_type == fcntl.F_UNLCK else l_pid
    finally:
        os.close(fd)


# How long a reader whose snapshot is older than the store waits for an upkeep to end. An upkeep
# (a compaction, which changes no statement) follows a write through the endpoint after its reply:
# without the wait, a client's next read could be answered from before its own write.
UPKEEP_WAIT = 10.0


def _upkeep_marker(path: str) -> str:
    return path.rstrip("/") + ".upkeep"


@contextlib.contextmanager
def upkeep(path: str) -> Iterator[None]:
    """Mark this process's hold of the store as an upkeep, for readers to wait for (``await_upkeep``)."""
    marker = _upkeep_marker(path)
    with open(marker, "w", encoding="ascii") as file:
        file.write(f"{os.getpid()}\n")
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(marker)


def await_upkeep(path: str, wait: float = UPKEEP_WAIT) -> None:
    """Return once no upkeep holds the store, or after ``wait`` seconds. A writer that is not an
    upkeep (an ingest, a write) is not waited for: readers answer from the last state meanwhile."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        holder = writer_pid(path)
        if holder is None:
            return
        try:
            with open(_upkeep_marker(path), encoding="ascii") as file:
                marked = int(file.read().strip() or 0)
        except (FileNotFoundError, ValueError):
            return
        if holder != marked:
            return
        time.sleep(0.02)


class StoreState:
    """The state of a store folder for the caches of a web process: its signature, or None while a
    writer holds the store, asked before every cached reply and so kept cheap.

    The kernel tells (inotify) when anything in the folder was created, written, renamed, removed
    or touched; while it tells nothing the last answer stands, and costs one read that finds no
    event. Every change a signature shows is such an event, queued before the writer's call
    returns, so an answer is never older than the last write committed. A writer that takes the lock
    without writing yet changes nothing a reader could see; RocksDB writes its files as it opens.
    Where inotify is not to be had, every call looks at the folder (``writer_active``, ``signature``).
    """

    def __init__(self, path: str):
        self.path = path
        self._lock = threading.Lock()
        self._watch: _Watch | None = None
        self._pid = -1
        self._state: tuple | None = None  # None: not known, or a writer held the store: look again

    def get(self) -> tuple | None:
        with self._lock:
            if self._pid != os.getpid():  # first use, or in a forked child: a watch of our own
                self._watch, self._pid, self._state = _Watch(self.path), os.getpid(), None
            assert self._watch is not None
            quiet = self._watch.quiet()  # events are taken before the folder is looked at
            if quiet and self._state is not None:
                return self._state
            self._state = None if writer_active(self.path) else signature(self.path)
            return self._state


_IN_CHANGES = 0x2 | 0x4 | 0x8 | 0x40 | 0x80 | 0x100 | 0x200 | 0x400 | 0x800  # MODIFY ATTRIB CLOSE_WRITE
# MOVED_FROM MOVED_TO CREATE DELETE DELETE_SELF MOVE_SELF (IN_Q_OVERFLOW comes unasked)


@functools.lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


class _Watch:
    """An inotify watch on a folder; without one (not Linux, no instances left), never quiet."""

    def __init__(self, path: str):
        self.path, self.fd = path, -1
        try:
            fd = _libc().inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        except (OSError, AttributeError):
            return
        if fd >= 0 and self._add(fd):
            self.fd = fd
        elif fd >= 0:
            os.close(fd)

    def _add(self, fd: int) -> bool:
        """Watch what is at the path now (a folder put in place of the old one is a new inode)."""
        return _libc().inotify_add_watch(fd, os.fsencode(self.path), _IN_CHANGES) >= 0

    def quiet(self) -> bool:
        """Whether nothing has happened in the folder since the last call."""
        if self.fd < 0:
            return False
        happened = False
        while True:
            try:
                if not os.read(self.fd, 65536):
                    break
            except BlockingIOError:
                break
            happened = True
        if happened and not self._add(self.fd):  # the folder is gone: look every time from now on
            os.close(self.fd)
            self.fd = -1
        return not happened

    def __del__(self):
        if self.fd >= 0:
            os.close(self.fd)


class Snapshot:
    def __init__(self, location: str):
        self.location = location
        self._store: GraphStore | None = None
        self._signature: tuple | None = None

    def store(self) -> GraphStore:
        """The current read-only store, re-opened first if a writer has changed it since."""
        if is_remote(self.location):
            if self._store is None:
                self._store = open_store(self.location, read_only=True)
            return self._store
        try:
            before = signature(self.location)
        except OSError as error:
            raise StoreUnavailable(f"the store {self.location} cannot be read: {error}") from error
        if self._store is not None and before != self._signature:
            await_upkeep(self.location)
            before = signature(self.location)
        if self._store is not None and (before == self._signature or writer_active(self.location)):
            return self._store
        try:
            fresh = open_store(self.location, read_only=True)
        except Exception as error:  # pyoxigraph raises OSError or RuntimeError here
            if self._store is not None:
                return self._store  # a writer got in between: keep the last good snapshot
            raise StoreUnavailable(f"the store {self.location} cannot be opened: {error}") from error
        settled = signature(self.location) == before
        if not settled and self._store is not None:
            fresh.close()  # written to while opening: this snapshot may be torn
            return self._store
        old, self._store = self._store, fresh
        self._signature = before if settled else None  # unsettled first open: retry next time
        if old is not None:
            old.close()
        return fresh

    def stale(self) -> bool:
        """Whether the store has changed since this snapshot was opened."""
        if is_remote(self.location):
            return False
        try:
            return signature(self.location) != self._signature
        except OSError:
            return True

    def invalidate(self) -> None:
        """Re-open at the next task (after a read failed, e.g. on a table file a compaction removed)."""
        self._signature = None

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
