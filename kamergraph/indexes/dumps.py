"""The dumps of ``/downloads``: files written once per state of the store, then served as files.

A dump of 100,000 questions takes minutes to write, so it is never written per request. The files
live in a folder beside the store (``STORE.dumps/``, see graph.cache_path): ``kamergraph.nq.gz``
(every named graph), ``kamergraph.ttl.gz`` (the union of all graphs) and ``manifest.json``, which
names the state of the store they were written from (its folder signature, as the page index uses)
and, per file, its size, time and SHA-256. A new set is written into a temporary folder by a process
of its own (``python -m kamergraph.indexes.dumps --store S``, also ``kamergraph dump``) and renamed
into place, so a reader sees the old set or the new one, never half of either. Until a new set is
in place the last complete one is served, as the rest of the site answers from the last complete
state.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, cast

from kamergraph.graph import cache_path, is_remote, open_store

FORMATS = {"kamergraph.nq.gz": "nquads", "kamergraph.ttl.gz": "turtle"}
MANIFEST = "manifest.json"
REMOTE_REFRESH_SECONDS = 3600.0  # a remote store gives no signature: write anew this often
CHECK_SECONDS = 1.0


def dumps_path(location: str) -> Path:
    return cache_path(location, "dumps")


@dataclass(frozen=True)
class DumpFile:
    name: str
    size: int
    sha256: str
    modified: float  # seconds since the epoch, when the file was complete

    @property
    def modified_iso(self) -> str:
        return datetime.fromtimestamp(self.modified, UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class DumpSet:
    folder: Path
    signature: str
    written: float
    files: dict[str, DumpFile]

    def path(self, name: str) -> Path:
        return self.folder / name


def read(location: str) -> DumpSet | None:
    """The complete set of dumps beside the store, or None when there is none."""
    folder = dumps_path(location)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files = {f["name"]: DumpFile(f["name"], int(f["size"]), f["sha256"], float(f["modified"]))
                 for f in manifest["files"]}
        return DumpSet(folder, manifest["signature"], float(manifest["written"]), files)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store_signature(location: str) -> str:
    from kamergraph.indexes.pages import store_signature as signature

    return signature(location)


def serialize(location: str, fmt: str, out: IO[bytes]) -> None:
    """The whole store, gzipped, into ``out``; quads are serialized as they are read, so memory
    stays flat however large the store. Turtle is the union of all graphs (a triple stored in two
    graphs may be written twice, which parses to the same graph)."""
    from pyoxigraph import RdfFormat, Triple
    from pyoxigraph import serialize as write

    from kamergraph.ontology.terms import PREFIXES

    store = open_store(location, read_only=True)
    try:
        with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6, mtime=0) as gzipped:
            target = cast(IO[bytes], gzipped)
            quads = store.quads()
            if fmt == "nquads":
                write(quads, target, format=RdfFormat.N_QUADS)
            else:
                triples = (Triple(q.subject, q.predicate, q.object) for q in quads)
                write(triples, target, format=RdfFormat.TURTLE, prefixes=PREFIXES)
    finally:
        store.close()


def write_all(location: str) -> DumpSet:
    """Write every dump of the store's current state and put the set in place of the old one."""
    signature = store_signature(location)
    final = dumps_path(location)
    final.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=final.name + ".", suffix=".tmp", dir=final.parent))
    try:
        files = []
        for name, fmt in FORMATS.items():
            with open(work / name, "wb") as out:
                serialize(location, fmt, out)
            files.append(_described(work / name))
        manifest = {"signature": signature, "written": time.time(), "files": [f.__dict__ for f in files]}
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        _replace(work, final)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    found = read(location)
    if found is None:
        raise OSError(f"the dumps written to {final} cannot be read back")
    return found


def _described(path: Path) -> DumpFile:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    stat = path.stat()
    return DumpFile(path.name, stat.st_size, digest.hexdigest(), stat.st_mtime)


def _replace(new: Path, final: Path) -> None:
    """Put the folder ``new`` where ``final`` is: the old one is renamed aside first (a folder cannot
    replace a folder in one rename), so a reader that finds no manifest for that instant retries."""
    old = None
    if final.exists():
        old = final.with_name(f"{final.name}.old.{os.getpid()}")
        os.rename(final, old)
    os.rename(new, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


class Keeper:
    """Holds a web process's current set of dumps and writes a new one when the store has changed.

    ``current()`` answers at once: the set in place (maybe of an older state, while the new one is
    written in the background) or None while the very first set is being written.
    """

    def __init__(self, location: str):
        self.location = location
        self._set: DumpSet | None = None
        self._lock = threading.Lock()
        self._checked = 0.0
        self._writer: subprocess.Popen | None = None

    def current(self) -> DumpSet | None:
        now = time.monotonic()
        if self._set is not None and now - self._checked < CHECK_SECONDS:
            return self._set
        with self._lock:
            self._checked = now
            self._set = read(self.location) or self._set
            if self._writer is not None and self._writer.poll() is not None:
                self._writer = None
            if self._writer is None and self._stale(self._set) and not self._writer_active():
                self._writer = subprocess.Popen([sys.executable, "-m", __name__, "--store", self.location],
                                                stdin=subprocess.DEVNULL)
            return self._set

    def writing(self) -> bool:
        return self._writer is not None and self._writer.poll() is None

    def close(self) -> None:
        with self._lock:
            if self._writer is not None and self._writer.poll() is None:
                self._writer.kill()
                self._writer.wait()

    def _stale(self, dumps: DumpSet | None) -> bool:
        if dumps is None:
            return True
        if is_remote(self.location):
            return time.time() - dumps.written > REMOTE_REFRESH_SECONDS
        return dumps.signature != store_signature(self.location)

    def _writer_active(self) -> bool:
        from kamergraph.graph.snapshot import writer_active

        return not is_remote(self.location) and os.path.isdir(self.location) and writer_active(self.location)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the dumps of a store beside it.")
    parser.add_argument("--store", required=True)
    args = parser.parse_args(argv)
    write_all(args.store)
    return 0


if __name__ == "__main__":
    sys.exit(main())
