"""The graphs the endpoint's writes changed, so that the page index catches up from them alone
(``page_build --catch-up``) instead of being built anew from the whole store.

Each write through the endpoint (Graph Store Protocol, SPARQL Update) that changes the store folder
appends one line to ``STORE.pages.journal``: the store's signature before and after it, and the
graphs it wrote, or null when they are not known (a SPARQL Update can write any graph its WHERE
clause finds). The lines make a chain of signatures. A catch-up follows it from the signature the
page index was made at: when the chain reaches the store's present signature, the index is updated
from the graphs named on the way; when it does not (the store was changed otherwise: by a script,
or by an ingest killed before its index update), or a graph is not known, the index is built anew.

The journal's lock is held from before a write opens the store until its line is written, and a
catch-up holds it while it reads the journal, takes the store's signature and opens its snapshot:
so every write the snapshot holds is in the lines it read, and no line names a write it does not.
"""
from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from kamergraph.indexes.pages import store_signature


def journal_path(location: str) -> Path:
    from kamergraph.graph import cache_path

    return cache_path(location, "pages.journal")


@contextmanager
def _locked(location: str) -> Iterator[TextIO]:
    path = journal_path(location)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as journal:
        fcntl.flock(journal, fcntl.LOCK_EX)
        yield journal


@contextmanager
def recording(location: str, graphs: Iterable[str] | None) -> Iterator[None]:
    """Around a write to the embedded store at ``location`` that may change ``graphs`` (None: any):
    its line, written even when the write fails (opening the store for writing changes its files)."""
    from kamergraph.graph import is_remote

    if is_remote(location):
        yield
        return
    named = None if graphs is None else sorted(set(graphs))
    with _locked(location) as journal:
        before = store_signature(location)
        try:
            yield
        finally:
            after = store_signature(location)
            if after != before:
                journal.write(json.dumps({"before": before, "after": after, "graphs": named}) + "\n")
                journal.flush()
                os.fsync(journal.fileno())


@dataclass
class CatchUp:
    """What a catch-up found under the journal's lock."""

    signature: str  # the store's signature now
    graphs: set[str] | None  # the graphs written since the index's signature; None: not known
    lines: list[str]  # the journal's lines, to be dropped once the index is written


def graphs_in(lines: list[str]) -> set[str] | None:
    """The graphs the writes of ``lines`` named; None when one of them did not say."""
    graphs: set[str] = set()
    for line in lines:
        try:
            named = json.loads(line)["graphs"]
        except ValueError:
            return None
        if named is None:
            return None
        graphs.update(named)
    return graphs


def _follow(lines: list[str], start: str, end: str) -> set[str] | None:
    """The graphs named along the chain from ``start`` to ``end``; None when there is no such chain
    or a write on it did not say which graphs it changed."""
    steps: dict[str, dict] = {}
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line cut short by a crash: the chain breaks there
        steps[entry["before"]] = entry
    graphs: set[str] = set()
    at, seen = start, set()
    while at != end:
        entry = steps.get(at)
        if entry is None or at in seen or entry["graphs"] is None:
            return None
        seen.add(at)
        graphs.update(entry["graphs"])
        at = entry["after"]
    return graphs


@contextmanager
def catching_up(location: str, since: str) -> Iterator[CatchUp]:
    """Hold the journal while the caller opens its snapshot of the store: what was written since
    the signature ``since``, by the journal."""
    with _locked(location) as journal:
        journal.seek(0)
        lines = [line for line in journal.read().splitlines() if line.strip()]
        now = store_signature(location)
        yield CatchUp(now, _follow(lines, since, now) if since else None, lines)


def forget(location: str, lines: list[str]) -> None:
    """Drop the lines a catch-up or build has brought into the index; later ones stay."""
    if not lines:
        return
    done = set(lines)
    with _locked(location) as journal:
        journal.seek(0)
        kept = [line for line in journal.read().splitlines() if line.strip() and line not in done]
        journal.seek(0)
        journal.truncate()
        journal.write("".join(line + "\n" for line in kept))
