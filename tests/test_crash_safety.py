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
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PAGES = 5000
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
KAMERGRAPH = [sys.executable, "-m", "kamergraph.cli"]


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
        env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs,
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
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err.decode()
    return pages, _graphs(reference), time.monotonic() - started


@pytest.mark.parametrize("moment", [0.2, 0.5, 0.8])
def test_sigkill_leaves_whole_questions_and_a_rerun_completes(corpus, tmp_path, moment):
    """Killed at 20 %, 50 % and 80 % of the time an uninterrupted run takes."""
    pages, expected, duration = corpus
    store = tmp_path / "store"
    process = _ingest(store, pages)
    kill_after = moment * duration
    time.sleep(kill_after)
    if process.poll() is not None:
        pytest.fail(f"ingest finished within {kill_after} s; the kill came too late to test anything")
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    found = _graphs(store)
    questions = [g for g in found if "/graph/kamervraag/" in g]
    for graph in questions:
        assert found[graph] == expected[graph], f"{graph} is not whole after the kill"
    assert len(questions) < len([g for g in expected if "/graph/kamervraag/" in g])

    check = subprocess.run([*KAMERGRAPH, "validate", "--store", str(store)], env=ENV, capture_output=True)
    assert check.returncode == 0, check.stdout.decode()[:2000]

    rerun = _ingest(store, pages)
    out, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err.decode()
    assert _graphs(store) == expected
