"""The ingest against hostile folders and signals (issue 16): special files are refused before they
are read, sizes are checked before reading, an unreadable folder is one line and the rest goes on,
and SIGINT or SIGTERM end a large ingest within seconds, keeping what was stored."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest

from conftest import EXAMPLES, environment_without_settings

KAMERGRAPH = [sys.executable, "-m", "kamergraph.cli"]
SEED_PAGE = EXAMPLES / "000_7b937e3f333bd3c8.txt"


def _ingest(store: Path, *paths: Path, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([*KAMERGRAPH, "ingest", "--no-progress", "--store", str(store), *map(str, paths)],
                            env={**environment_without_settings(), "SOURCE_DATE_EPOCH": "1700000000"},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def _questions(store: Path) -> int:
    opened = pyoxigraph.Store.read_only(str(store))
    try:
        return len({q.graph_name.value for q in opened.quads_for_pattern(None, None, None)
                    if "/graph/kamervraag/" in str(q.graph_name)})
    finally:
        del opened


def test_special_files_are_refused_before_they_are_read(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copyfile(SEED_PAGE, pages / "a-good.txt")
    os.mkfifo(pages / "b-fifo.txt")
    (pages / "c-zero.txt").symlink_to("/dev/zero")
    with (pages / "d-sparse.txt").open("wb") as sparse:
        sparse.truncate(2 * 1024 ** 3)  # 2 GB of nothing on disk: read whole, it would take 2 GB
    started = time.monotonic()
    process = _ingest(tmp_path / "store", pages)
    out, err = process.communicate(timeout=120)
    assert time.monotonic() - started < 60
    assert err.splitlines() == [
        f"{pages.as_posix()}/b-fifo.txt: not a regular file (a FIFO); only files are read",
        f"{pages.as_posix()}/c-zero.txt: not a regular file (a character device); only files are read",
        f"{pages.as_posix()}/d-sparse.txt: file is larger than 16 MiB",
    ]
    assert out.startswith("4 files, 1 questions stored")
    assert process.returncode == 1
    assert _questions(tmp_path / "store") == 1


def test_a_fifo_named_on_the_command_line_does_not_block(tmp_path):
    fifo = tmp_path / "named-fifo"
    os.mkfifo(fifo)
    process = _ingest(tmp_path / "store", fifo)
    _, err = process.communicate(timeout=60)
    assert err == f"{fifo.as_posix()}: not a regular file (a FIFO); only files are read\n"
    assert process.returncode == 1


def test_an_unreadable_folder_is_one_line_and_the_rest_is_stored(tmp_path):
    """Root reads any folder, so as root (CI) the ingest runs without capabilities (``setpriv``
    empties the bounding set): still uid 0, but a folder of mode 000 is closed to it too."""
    pages = tmp_path / "pages"
    (pages / "closed").mkdir(parents=True)
    shutil.copyfile(SEED_PAGE, pages / "a-good.txt")
    shutil.copyfile(EXAMPLES / "006_5ba682804d63efbd.txt", pages / "closed" / "hidden.txt")
    (pages / "closed").chmod(0)
    command = [*KAMERGRAPH, "ingest", "--no-progress", "--store", str(tmp_path / "store"), str(pages)]
    if os.geteuid() == 0:
        command = [shutil.which("setpriv") or "setpriv", "--bounding-set=-all", "--inh-caps=-all", *command]
    try:
        done = subprocess.run(command, env=environment_without_settings(), capture_output=True, text=True,
                              timeout=120, check=False)
    finally:
        (pages / "closed").chmod(0o755)
    assert done.stderr == f"{(pages / 'closed').as_posix()}: cannot read this folder: Permission denied\n"
    assert done.stdout.startswith("1 files, 1 questions stored")
    assert done.returncode == 1
    assert _questions(tmp_path / "store") == 1


PAGES = 6000


@pytest.fixture(scope="module")
def many_pages(tmp_path_factory) -> Path:
    """6,000 distinct questions: the examples with fresh zaak numbers (enough for the worker pool
    and for a run of ten seconds or more on an idle machine, so that every signal comes mid-run)."""
    folder = tmp_path_factory.mktemp("signals") / "pages"
    folder.mkdir()
    sources = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    for number in range(PAGES):
        text = sources[number % len(sources)]
        zaak = re.search(r"Kamervraag (\d{4}Z\d{5})", text).group(1)
        (folder / f"page{number:05d}.txt").write_text(text.replace(zaak, f"{zaak[:5]}{number:05d}"),
                                                      encoding="utf-8")
    return folder


def _alive(group: int) -> list[int]:
    alive = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == group and fields[0] != "Z":
                alive.append(int(entry.name))
    return alive


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "after"), [(signal.SIGINT, 1.0), (signal.SIGINT, 3.0), (signal.SIGTERM, 3.0),
                                               (signal.SIGINT, 6.0)])
def test_a_signal_to_the_process_group_ends_the_ingest_within_seconds(many_pages, tmp_path, signum, after):
    store = tmp_path / "store"
    process = _ingest(store, many_pages, start_new_session=True)
    time.sleep(after)
    assert process.poll() is None, "the ingest ended before the signal: the test needs more pages"
    sent = time.monotonic()
    os.killpg(process.pid, signum)  # as Ctrl-C does: every process of the group
    out, err = process.communicate(timeout=60)
    while _alive(process.pid) and time.monotonic() - sent < 30:
        time.sleep(0.05)
    took = time.monotonic() - sent
    print(f"{signal.Signals(signum).name} after {after} s: every process gone {took:.2f} s later")
    assert not _alive(process.pid)
    assert took < 10
    assert process.returncode == 128 + signum, err
    assert "interrupted: the files not counted here were not read, run again to go on" in out
    assert "Traceback" not in err
    stored = _questions(store)
    assert stored == int(re.search(r"(\d+) questions stored", out).group(1))
    again = _ingest(store, many_pages)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert f"{PAGES - stored} questions stored, {stored} unchanged" in out
