"""Writing benchmark figures into BENCHMARKS.md (each script owns marked sections), and what the
reports say about the machine, the code and the stores."""
from __future__ import annotations

import os
import platform
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def replace_text(current: str, head: str, tail: str, block: str, insert_before: str | None = None) -> str:
    """``current`` with the text from ``head`` to ``tail`` (both included) replaced by ``block``, which
    carries its own markers; when they are missing, ``block`` goes before ``insert_before`` (when that is
    there) or at the end, after a blank line."""
    if head in current and tail in current:
        before, rest = current.split(head, 1)
        _, after = rest.split(tail, 1)
        return before + block + after
    if insert_before is not None and insert_before in current:
        return current.replace(insert_before, block + "\n\n" + insert_before, 1)
    return current.rstrip("\n") + "\n\n" + block + "\n"


def replace_block(path: Path, head: str, tail: str, block: str, insert_before: str | None = None) -> None:
    """:func:`replace_text` on the file at ``path`` (a new one: a heading, and ``insert_before``)."""
    if path.exists():
        current = path.read_text(encoding="utf-8")
    else:
        current = "# Benchmarks\n" + (f"\n{insert_before}\n" if insert_before is not None else "")
    path.write_text(replace_text(current, head, tail, block, insert_before), encoding="utf-8")


def replace_section(path: Path, name: str, heading: str, text: str) -> None:
    """Replace the section between ``<!-- name -->`` and ``<!-- /name -->``, or append it."""
    head, tail = f"<!-- {name} -->", f"<!-- /{name} -->"
    replace_block(path, head, tail, f"{head}\n{heading}\n\n{text.rstrip()}\n{tail}")


def machine() -> dict[str, str]:
    """Cores (the ones this process may use), memory, CPU model, Python, pyoxigraph and the OS."""
    info = {"cores (nproc)": str(len(os.sched_getaffinity(0)))}
    try:
        meminfo = Path("/proc/meminfo").read_text()
        kib = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1))
        info["memory"] = f"{kib / 2**20:.1f} GiB"
    except (OSError, AttributeError):
        pass
    try:
        model = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        if model:
            info["cpu"] = model.group(1).strip()
    except OSError:
        pass
    import pyoxigraph

    info["python"] = platform.python_version()
    info["pyoxigraph"] = pyoxigraph.__version__
    info["os"] = f"{platform.system()} {platform.release()}"
    return info


def revision() -> str:
    """The git revision, noting uncommitted changes to the code that is measured."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "ingest", "graph", "kamergraph", "ontology"],
                               cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        return head + (" with uncommitted changes in ingest/graph/kamergraph/ontology" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def store_bytes(path: Path) -> int:
    """The size of the files under ``path`` (0 when it is not there)."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.exists() else 0
