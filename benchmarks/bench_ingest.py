"""Ingest benchmark: ``kamergraph ingest`` end to end against Oxigraph's own bulk loader.

    python benchmarks/bench_ingest.py --pages 10000 [--seed 1] [--workdir DIR] [--no-update] [--profile]

1. N pages from benchmarks/generate.py (kept in the workdir and reused while the generator, the
   count and the seed are the same);
2. ``kamergraph ingest --store FRESH PAGES`` as a subprocess: wall time, questions/s, triples/s and
   peak RSS (``os.wait4``: the largest single process among the command and its worker processes,
   not their sum), CPU seconds (user + system, workers included);
3. the reference: ``kamergraph export --format nquads`` of the resulting store (exactly its quads),
   then ``pyoxigraph.Store(FRESH).bulk_load(path=..., format=RdfFormat.N_QUADS)`` in a subprocess,
   timed around the call, with its peak RSS; the loaded store must hold as many quads as the export.
   Then ``Store.optimize()`` on it, timed apart: a bulk-loaded store reads as slowly as an ingest's
   before its compaction, so (bulk_load + optimize) is the reference for a store as quick to read
   as the one a large ingest leaves (a second ratio; the goal's ratio is to bulk_load alone);
4. a Markdown table on standard output, written into BENCHMARKS.md as the section for this page
   count (replaced on a re-run; ``--no-update`` leaves the file alone) with the machine, the
   versions, the git revision, the date and the command.

``--profile`` also runs the ingest under cProfile twice: the CLI as it runs (the main process only;
parsing, mapping and validation happen in worker processes it does not see) and the same ingest in
one process (``ingest_paths(..., workers=1)``) so those show up too. It prints the top functions by
cumulative time of both.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import os
import pstats
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.http_load import clean_env, kamergraph_command  # noqa: E402
from benchmarks.report import machine, replace_block, revision, store_bytes  # noqa: E402

BENCHMARKS_MD = ROOT / "BENCHMARKS.md"
GENERATOR = Path(__file__).resolve().parent / "generate.py"
RESULTS_END = "<!-- bench-ingest results end -->"

_SUMMARY = re.compile(
    r"(?P<files>\d+) files, (?P<questions>\d+) questions stored, .*?(?P<triples>\d+) triples, "
    r"(?P<errors>\d+) errors, (?P<seconds>[\d.]+) s"
)
_COMPACTED = re.compile(r"store compacted in (?P<seconds>[\d.]+) s")

_BULK_LOAD = r"""
import json, sys, time
import pyoxigraph
store = pyoxigraph.Store(sys.argv[1])
started = time.perf_counter()
store.bulk_load(path=sys.argv[2], format=pyoxigraph.RdfFormat.N_QUADS)
seconds = time.perf_counter() - started
quads = len(store)
started = time.perf_counter()
store.optimize()
print(json.dumps({"seconds": seconds, "quads": quads, "optimize_seconds": time.perf_counter() - started}))
"""

_SERIAL_PROFILE = r"""
import cProfile, sys
from pathlib import Path
from kamergraph.graph import open_store
from kamergraph.indexes.search import SearchIndex, index_path_for
from kamergraph.ingest.pipeline import ingest_paths
from kamergraph.config import Settings
store_path, pages, out = sys.argv[1:4]
settings = Settings(store=store_path)
store = open_store(store_path)
index = SearchIndex(index_path_for(store_path))
profiler = cProfile.Profile()
profiler.enable()
try:
    report = ingest_paths(store, [Path(pages)], settings, workers=1, search_index=index)
finally:
    store.close()
    index.close()
profiler.disable()
profiler.dump_stats(out)
print(report.summary())
"""


@dataclass
class Run:
    wall: float
    cpu: float  # user + system seconds, reaped children included
    max_rss_kib: int
    returncode: int
    stdout: str
    stderr: str


def run_measured(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run a command; wall time, CPU time and peak RSS from ``os.wait4`` on that child alone."""
    out_path = cwd / ".bench-stdout"
    err_path = cwd / ".bench-stderr"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=cwd, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    stdout, stderr = out_path.read_text(errors="replace"), err_path.read_text(errors="replace")
    out_path.unlink()
    err_path.unlink()
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, process.returncode, stdout, stderr)


# -- pages


def ensure_pages(workdir: Path, pages: int, seed: int) -> tuple[Path, float | None]:
    """The page folder for (pages, seed), generated unless an identical one is there already;
    the generation time in seconds, None when reused."""
    folder = workdir / f"pages-{pages}-seed{seed}"
    stamp = {"pages": pages, "seed": seed, "generator": hashlib.sha256(GENERATOR.read_bytes()).hexdigest()}
    marker = folder / ".generated.json"
    if marker.exists() and json.loads(marker.read_text()) == stamp:
        return folder, None
    if folder.exists():
        shutil.rmtree(folder)
    from benchmarks.generate import write_pages

    started = time.perf_counter()
    write_pages(folder, pages, seed)
    seconds = time.perf_counter() - started
    marker.write_text(json.dumps(stamp))
    return folder, seconds


# -- the measurements


def measure(workdir: Path, pages_dir: Path, pages: int, keep: bool) -> dict:
    run_dir = workdir / f"run-{pages}"
    if run_dir.exists():
        shutil.rmtree(run_dir)
    run_dir.mkdir(parents=True)
    store = run_dir / "store"
    env = clean_env()

    print(f"ingest: {pages} pages into a fresh store ...", file=sys.stderr, flush=True)
    ingest = run_measured([*kamergraph_command(), "ingest", "--store", str(store), "--no-progress", str(pages_dir)],
                          run_dir, env)
    summary = _SUMMARY.search(ingest.stdout)
    if ingest.returncode != 0 or summary is None or int(summary["errors"]):
        sys.stderr.write(ingest.stdout[-4000:] + ingest.stderr[-4000:])
        raise SystemExit(f"kamergraph ingest failed (exit {ingest.returncode})")

    print("export: N-Quads of the resulting store ...", file=sys.stderr, flush=True)
    export_path = run_dir / "export.nq"
    export = run_measured([*kamergraph_command(), "export", "--store", str(store), "--format", "nquads",
                           "--output", str(export_path)], run_dir, env)
    if export.returncode != 0:
        sys.stderr.write(export.stderr[-4000:])
        raise SystemExit("kamergraph export failed")
    with export_path.open("rb") as handle:
        quads = sum(1 for line in handle if line.strip())

    print("bulk_load: the same quads into a fresh pyoxigraph store ...", file=sys.stderr, flush=True)
    bulk = run_measured([sys.executable, "-c", _BULK_LOAD, str(run_dir / "bulk-store"), str(export_path)], run_dir, env)
    if bulk.returncode != 0:
        sys.stderr.write(bulk.stderr[-4000:])
        raise SystemExit("bulk_load failed")
    loaded = json.loads(bulk.stdout.strip().splitlines()[-1])
    if loaded["quads"] != quads:
        raise SystemExit(f"bulk_load stored {loaded['quads']} quads, the export has {quads}")

    result = {
        "pages": pages,
        "questions": int(summary["questions"]),
        "quads": quads,
        "reported_triples": int(summary["triples"]),
        "ingest_wall": ingest.wall,
        "ingest_inside": float(summary["seconds"]),
        "compacted": float(compacted["seconds"]) if (compacted := _COMPACTED.search(ingest.stdout)) else None,
        "ingest_cpu": ingest.cpu,
        "ingest_rss_mib": ingest.max_rss_kib / 1024,
        "store_mib": store_bytes(store) / 2**20,
        "export_wall": export.wall,
        "export_mib": export_path.stat().st_size / 2**20,
        "bulk_wall": bulk.wall,
        "bulk_call": loaded["seconds"],
        "bulk_optimize": loaded["optimize_seconds"],
        "bulk_cpu": bulk.cpu,
        "bulk_rss_mib": bulk.max_rss_kib / 1024,
        "bulk_store_mib": store_bytes(run_dir / "bulk-store") / 2**20,
        # Each run's own ratios (the same quads, so the ratio of rates is the ratio of times).
        "ratio": loaded["seconds"] / ingest.wall,
        "compacted_ratio": (loaded["seconds"] + loaded["optimize_seconds"]) / ingest.wall,
    }
    if not keep:
        shutil.rmtree(run_dir)
    return result


def combine(runs: list[dict]) -> dict:
    """The median of each timing over the runs (the runs alternate ingest and bulk load)."""
    from statistics import median

    result = dict(runs[0])
    for key, value in runs[0].items():
        if isinstance(value, float):
            result[key] = median(run[key] for run in runs)
    result["runs"] = len(runs)
    result["ingest_range"] = (min(r["ingest_wall"] for r in runs), max(r["ingest_wall"] for r in runs))
    result["bulk_range"] = (min(r["bulk_call"] for r in runs), max(r["bulk_call"] for r in runs))
    result["ratio_range"] = (min(r["ratio"] for r in runs), max(r["ratio"] for r in runs))
    return result


def profile(workdir: Path, pages_dir: Path, pages: int, top: int) -> str:
    """cProfile listings (top functions by cumulative time) of the CLI and of a one-process ingest."""
    run_dir = workdir / f"profile-{pages}"
    if run_dir.exists():
        shutil.rmtree(run_dir)
    run_dir.mkdir(parents=True)
    env = clean_env()
    sections = []
    cli_out = run_dir / "cli.prof"
    print("profile: the CLI under cProfile ...", file=sys.stderr, flush=True)
    cli = run_measured([sys.executable, "-m", "cProfile", "-o", str(cli_out), "-m", "kamergraph.cli", "ingest",
                        "--store", str(run_dir / "store-cli"), "--no-progress", str(pages_dir)], run_dir, env)
    sections.append(("kamergraph ingest (main process; workers not seen)", cli, cli_out))
    serial_out = run_dir / "serial.prof"
    print("profile: ingest_paths(workers=1) under cProfile ...", file=sys.stderr, flush=True)
    serial = run_measured([sys.executable, "-c", _SERIAL_PROFILE, str(run_dir / "store-serial"), str(pages_dir),
                           str(serial_out)], run_dir, env)
    sections.append(("ingest_paths(..., workers=1): everything in one process", serial, serial_out))
    text = []
    for title, run, path in sections:
        text.append(f"### {title}\n\n{run.stdout.strip()}  (wall {run.wall:.1f} s under the profiler)\n")
        if run.returncode != 0 or not path.exists():
            text.append(f"failed (exit {run.returncode}):\n{run.stderr[-2000:]}\n")
            continue
        text.append("```\n" + _top(path, top) + "```\n")
    for leftover in run_dir.glob("store-*"):  # the .prof files stay, for pstats
        shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
    text.append(f"Profiles kept in {run_dir} (python -m pstats {run_dir}/serial.prof).")
    return "\n".join(text)


def _top(path: Path, top: int) -> str:
    buffer = io.StringIO()
    stats = pstats.Stats(str(path), stream=buffer)
    stats.strip_dirs().sort_stats("cumulative").print_stats(top)
    lines = buffer.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    return "\n".join(lines[start:]).rstrip() + "\n"


# -- the report


def _markers(pages: int, seed: int) -> tuple[str, str]:
    """The markers around the BENCHMARKS.md section for (pages, seed)."""
    return f"<!-- bench-ingest pages={pages} seed={seed} -->", f"<!-- /bench-ingest pages={pages} seed={seed} -->"


def table(r: dict) -> str:
    ingest_tps = r["quads"] / r["ingest_wall"]
    bulk_tps = r["quads"] / r["bulk_call"]
    rows = [
        ("`kamergraph ingest` (end to end, process wall)", r["ingest_wall"], r["questions"] / r["ingest_wall"],
         ingest_tps, r["ingest_rss_mib"], r["ingest_cpu"]),
        ("`Store.bulk_load` N-Quads (the call)", r["bulk_call"], r["questions"] / r["bulk_call"], bulk_tps,
         r["bulk_rss_mib"], None),
        ("`Store.bulk_load` N-Quads, then `Store.optimize` (the calls)", r["bulk_call"] + r["bulk_optimize"],
         r["questions"] / (r["bulk_call"] + r["bulk_optimize"]), r["quads"] / (r["bulk_call"] + r["bulk_optimize"]),
         r["bulk_rss_mib"], None),
        ("`Store.bulk_load` N-Quads, then `Store.optimize` (process wall)", r["bulk_wall"],
         r["questions"] / r["bulk_wall"], r["quads"] / r["bulk_wall"], r["bulk_rss_mib"], r["bulk_cpu"]),
    ]
    lines = [
        "| step | seconds | questions/s | triples/s | peak RSS (MiB, the largest process) | CPU s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, seconds, qps, tps, rss, cpu in rows:
        lines.append(f"| {name} | {seconds:.2f} | {qps:,.0f} | {tps:,.0f} | {rss:,.0f} | "
                     f"{'' if cpu is None else f'{cpu:.1f}'} |")
    ratio = r["ratio"]  # the median of the runs' own ratios, not a ratio of medians
    compaction = ("" if r.get("compacted") is None
                  else f" (the store compacted at its end: {r['compacted']:.1f} s of it)")
    if r.get("runs", 1) > 1:
        lines += ["", f"Medians of {r['runs']} runs; ingest {r['ingest_range'][0]:.2f}–{r['ingest_range'][1]:.2f} s, "
                      f"bulk_load call {r['bulk_range'][0]:.2f}–{r['bulk_range'][1]:.2f} s, "
                      f"each run's ratio {r['ratio_range'][0]:.2f}–{r['ratio_range'][1]:.2f}."]
    lines += [
        "",
        f"**ingest / bulk_load (triples/s): {ratio:.2f}** "
        f"({'at least' if ratio >= 0.5 else 'below'} half the bulk-load rate)",
    ]
    if r.get("compacted") is not None:
        # A bulk-loaded store reads as slowly as an uncompacted ingest (BENCHMARKS.md): made as
        # quick to read as the ingest's, the reference costs its optimize too. Not the goal's ratio.
        compacted_ratio = r["compacted_ratio"]
        lines += ["", f"ingest / (bulk_load + optimize), both stores compacted: {compacted_ratio:.2f} "
                      f"(the reference's optimize took {r['bulk_optimize']:.1f} s)"]
    lines += [
        "",
        f"{r['pages']:,} pages, {r['questions']:,} questions, {r['quads']:,} quads in the store "
        f"(ingest reported {r['reported_triples']:,} written besides the reference and ontology graphs); "
        f"ingest's own timer {r['ingest_inside']:.2f} s{compaction}; store {r['store_mib']:.0f} MiB on disk "
        f"(bulk-loaded: {r['bulk_store_mib']:.0f} MiB); export {r['export_mib']:.0f} MiB in {r['export_wall']:.1f} s.",
    ]
    return "\n".join(lines)


def section(r: dict, seed: int, command: str, generated: float | None, revision: str) -> str:
    info = machine()
    info["revision"] = revision
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    head, tail = _markers(r["pages"], seed)
    if "load" in r:
        # Other work on the machine shows here: both figures suffer from it, the ratio less so.
        info["load average (1 min) before / after"] = f"{r['load'][0]:.1f} / {r['load'][1]:.1f}"
    machine_line = "; ".join(f"{k} {v}" for k, v in info.items())
    gen = f" Pages generated in {generated:.1f} s." if generated is not None else ""
    return (
        f"{head}\n#### {r['pages']:,} pages (seed {seed})\n\n"
        f"`{command}` — {when}.{gen}\n\n"
        f"Machine: {machine_line}.\n\n{table(r)}\n{tail}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10_000, help="number of generated pages (default 10000)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench",
                        help="pages, stores and exports go here (default var/bench)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="measure this many times and report the medians (default 1; the machine may be noisy)")
    parser.add_argument("--no-update", action="store_true", help="do not write the result into BENCHMARKS.md")
    parser.add_argument("--keep", action="store_true", help="keep the stores and the export in the workdir")
    parser.add_argument("--profile", action="store_true",
                        help="also profile the ingest (cProfile) and print the top functions")
    parser.add_argument("--profile-only", action="store_true", help="only the profile, no measurement")
    parser.add_argument("--top", type=int, default=25, help="functions listed per profile (default 25)")
    args = parser.parse_args(argv)
    if args.pages < 1:
        parser.error("--pages must be at least 1")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    pages_dir, generated = ensure_pages(workdir, args.pages, args.seed)
    if generated is not None:
        print(f"generated {args.pages} pages in {generated:.1f} s", file=sys.stderr)

    if not args.profile_only:
        before, load = revision(), os.getloadavg()[0]
        runs = []
        for number in range(1, args.repeat + 1):
            if args.repeat > 1:
                print(f"run {number} of {args.repeat}", file=sys.stderr, flush=True)
            runs.append(measure(workdir, pages_dir, args.pages, args.keep and number == args.repeat))
        result = combine(runs)
        after = revision()
        result["load"] = (load, os.getloadavg()[0])
        command = "python benchmarks/bench_ingest.py --pages {}{}{}".format(
            args.pages, f" --seed {args.seed}" if args.seed != 1 else "",
            f" --repeat {args.repeat}" if args.repeat != 1 else "")
        revisions = before if before == after else f"{before}, then {after} (the code changed during the run)"
        text = section(result, args.seed, command, generated, revisions)
        print(text)
        if not args.no_update:
            replace_block(BENCHMARKS_MD, *_markers(args.pages, args.seed), text, insert_before=RESULTS_END)
            print(f"\nupdated {BENCHMARKS_MD}", file=sys.stderr)
    if args.profile or args.profile_only:
        print("\n" + profile(workdir, pages_dir, args.pages, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
