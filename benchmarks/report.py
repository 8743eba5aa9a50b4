"""Writing benchmark figures into BENCHMARKS.md: each script owns one marked section."""
from __future__ import annotations

from pathlib import Path


def replace_section(path: Path, name: str, heading: str, text: str) -> None:
    """Replace the section between ``<!-- name -->`` and ``<!-- /name -->``, or append it."""
    head, tail = f"<!-- {name} -->", f"<!-- /{name} -->"
    block = f"{head}\n{heading}\n\n{text.rstrip()}\n{tail}"
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if head in current and tail in current:
        before, rest = current.split(head, 1)
        _, after = rest.split(tail, 1)
        updated = before + block + after
    else:
        updated = current.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(updated, encoding="utf-8")
