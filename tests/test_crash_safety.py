"""SIGKILL in the middle of a large ingest: every question whole or absent, and a rerun completes it.

A real `kamergraph ingest` process on 5,000 pages is killed at several moments. After each kill
the store must open, hold only complete questions (each graph equal to the same graph of an
uninterrupted run), pass `kamergraph validate`, and an ingest rerun must end with exactly the
quads of the uninterrupted run.
"""
from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest

from conftest import environment_without_settings
from kamergraph.indexes.search import index_path_for

pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PAGES = 5000
KAMERGRAPH = [sys.executable, "-m", "kamergraph.cli"]


def _env() -> dict[str, str]:
    """The caller's environment without its KAMERGRAPH_* settings, with a fixed ingest time."""
    return {**environment_without_settings(), "SOURCE_DATE_EPOCH": "1700000000"}


def _write_pages(folder: Path) -> None:
    """5,000 distinct questions: the examples with fresh zaak numbers (and document numbers)."""
    sources = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    folder.mkdir()
    for number in range(PAGES):
        text = sources[number % len(sources)]
        zaak = re.search(r"Kamervraag (\d{4}Z\d{5})", text).group(1)
        fresh = f"{zaak[:5]}{number:05d}"
        (folder / f"page{number:05d}.txt").write_text(text.replace(zaak, fresh), encoding="utf-8")


def _ingest(store: Path, pages: Path, **kwargs):
    return subprocess.Popen(
        [*KAMERGRAPH, "ingest", "--no-progress", "--store", str(store), str(pages)],
        env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs,
    )


def _graphs(store: Path) -> dict[str, set]:
    opened = pyoxigraph.Store.read_only(str(store))
    graphs: dict[str, set] = {}
    for quad in opened:
        graphs.setdefault(str(quad.graph_name), set()).add(quad)
    del opened
    return graphs


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("crash")
    pages = root / "pages"
    _write_pages(pages)
    reference = root / "reference"
    started = time.monotonic()
    process = _ingest(reference, pages)
    _, err = process.communicate(timeout=600)
    assert process.returncode == 0, err.decode()
    return pages, _graphs(reference), time.monotonic() - started


def _children(pid: int) -> set[int]:
    children = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        children.update(int(c) for c in (task / "children").read_text().split())
    return children


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False


def _killed_run(store: Path, pages: Path, kill_after: float, parsing: bool = False) -> bool:
    """Start an ingest, SIGKILL it after ``kill_after`` seconds; False when it had finished.
    Its worker processes must end with it, not linger as orphans (``parsing``: it must have had
    some when it was killed)."""
    process = _ingest(store, pages)
    time.sleep(kill_after)
    if process.poll() is not None:
        return False
    workers = _children(process.pid)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert workers or not parsing, "no worker processes while parsing"
    assert not any(_alive(w) for w in workers), "worker processes outlived the killed ingest"
    return True


@pytest.mark.parametrize("moment", [0.25, 0.45, 0.65])
def test_sigkill_leaves_whole_questions_and_a_rerun_completes(corpus, tmp_path, moment):
    """Killed at about a quarter, a half and two thirds of the time an uninterrupted run takes
    (earlier again when the machine was faster than the reference run and nothing was cut)."""
    pages, expected, duration = corpus
    total = len([g for g in expected if "/graph/kamervraag/" in g])
    delay = moment * duration
    for attempt in range(6):
        store = tmp_path / f"store-{attempt}"
        killed = _killed_run(store, pages, delay, parsing=moment == 0.25)
        found = _graphs(store)
        questions = [g for g in found if "/graph/kamervraag/" in g]
        if killed and 0 < len(questions) < total:
            break
        # Nothing stored yet: kill later; everything stored: kill earlier.
        delay *= 1.5 if not questions else 0.6
    else:
        pytest.fail("no kill landed between the first and the last stored batch")

    for graph in questions:
        assert found[graph] == expected[graph], f"{graph} is not whole after the kill"

    check = subprocess.run([*KAMERGRAPH, "validate", "--store", str(store)], env=_env(), capture_output=True,
                           check=False)
    assert check.returncode == 0, check.stdout.decode()[:2000]

    rerun = _ingest(store, pages)
    _, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err.decode()
    assert _graphs(store) == expected
    # The search index too: a kill between a batch and its index entries left it behind the store.
    index = sqlite3.connect(f"file:{index_path_for(str(store))}?mode=ro", uri=True)
    assert index.execute("SELECT count(*) FROM questions").fetchone()[0] == total
    index.close()
