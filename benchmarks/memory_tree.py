"""Peak resident memory of a process tree: the command given (or a running process, ``--pid``) and
every process it starts, sampled from /proc every ``--interval`` seconds. Prints the peak RSS of
each process (with its command line and its RSS at the tree's peak) and the peak of the whole
tree at one sampling instant; ``--out`` also keeps a sample a second of every process.

    python benchmarks/memory_tree.py [--interval 0.2] [--out FILE.json] -- kamergraph ingest --store S PAGES
    python benchmarks/memory_tree.py --pid 1234   # until that process ends, or Ctrl-C

Linux only (reads /proc/PID/status and /proc/PID/task/*/children). RSS counts pages shared with the
parent after fork in both processes, so the tree's peak is an upper bound of what it really holds.
"""
from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

MIB = 1024 * 1024


@dataclass
class Seen:
    pid: int
    command: str
    peak: int = 0
    first: float = 0.0
    last: float = 0.0


@dataclass
class Tally:
    processes: dict[tuple[int, str], Seen] = field(default_factory=dict)
    tree_peak: int = 0
    tree_peak_at: float = 0.0
    samples: int = 0
    at_peak: dict[int, int] = field(default_factory=dict)  # pid -> RSS at the tree's peak
    series: list[tuple[float, dict[int, int]]] = field(default_factory=list)  # one sample a second


def children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            found.extend(int(child) for child in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def tree(root: int) -> list[int]:
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(children(pid))
    return pids


def rss_bytes(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return 0  # a zombie has no VmRSS line


def command_of(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "?"
    return " ".join(part.decode(errors="replace") for part in raw.split(b"\0") if part)[:160]


def sample(root: int, tally: Tally, started: float) -> None:
    now = time.monotonic() - started
    total = 0
    sizes: dict[int, int] = {}
    for pid in tree(root):
        rss = rss_bytes(pid)
        if rss is None:
            continue
        total += rss
        sizes[pid] = rss
        command = command_of(pid)
        # A forked child runs its parent's command line until it execs: key by both so an exec shows apart.
        seen = tally.processes.setdefault((pid, command), Seen(pid, command, first=now))
        seen.peak = max(seen.peak, rss)
        seen.last = now
    tally.samples += 1
    if total > tally.tree_peak:
        tally.tree_peak, tally.tree_peak_at, tally.at_peak = total, now, sizes
    if not tally.series or now - tally.series[-1][0] >= 1.0:
        tally.series.append((now, sizes))


def report(tally: Tally, elapsed: float) -> dict:
    rows = sorted(tally.processes.values(), key=lambda seen: -seen.peak)
    return {
        "elapsed_s": round(elapsed, 1),
        "samples": tally.samples,
        "tree_peak_mib": round(tally.tree_peak / MIB, 1),
        "tree_peak_at_s": round(tally.tree_peak_at, 1),
        "processes": [
            {"pid": seen.pid, "peak_mib": round(seen.peak / MIB, 1), "from_s": round(seen.first, 1),
             "to_s": round(seen.last, 1), "at_tree_peak_mib": round(tally.at_peak.get(seen.pid, 0) / MIB, 1),
             "command": seen.command}
            for seen in rows
        ],
        "series": [{"s": round(at, 1), "mib": {str(pid): round(rss / MIB, 1) for pid, rss in sizes.items()}}
                   for at, sizes in tally.series],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interval", type=float, default=0.2)
    parser.add_argument("--pid", type=int, help="watch this running process instead of starting one")
    parser.add_argument("--out", type=Path, help="also write the report here as JSON")
    parser.add_argument("--min-mib", type=float, default=20.0, help="list only processes that reached this")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND ARGS...")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if bool(command) == bool(args.pid):
        parser.error("give either --pid or a command after --")
    child = subprocess.Popen(command) if command else None
    root = child.pid if child else args.pid
    # Ctrl-C or SIGTERM ends the watch (and is passed on to the command), the report still prints.
    stop = False

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal stop
        stop = True
        if child and child.poll() is None:
            child.send_signal(signum)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    tally, started = Tally(), time.monotonic()
    while not stop:
        sample(root, tally, started)
        if child is not None and child.poll() is not None:
            break
        if child is None and rss_bytes(root) is None:
            break
        time.sleep(args.interval)
    if child is not None:
        child.wait()
    result = report(tally, time.monotonic() - started)
    if child is not None:
        result["returncode"] = child.returncode
    print(f"tree peak {result['tree_peak_mib']} MiB at {result['tree_peak_at_s']} s "
          f"of {result['elapsed_s']} s ({tally.samples} samples)", file=sys.stderr)
    for row in result["processes"]:
        if row["peak_mib"] >= args.min_mib:
            print(f"{row['peak_mib']:8.1f} MiB (at the tree's peak {row['at_tree_peak_mib']:6.1f}) pid {row['pid']:<7} "
                  f"{row['from_s']:>7}-{row['to_s']:<7} s  {row['command']}", file=sys.stderr)
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n")
    if child is not None and child.returncode:
        sys.exit(child.returncode)


if __name__ == "__main__":
    main()
