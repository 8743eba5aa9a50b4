"""A bounded HTTP load on loopback: a fixed number of clients for a fixed time, then the figures.

Used by bench_queries.py (kamergraph's /sparql against `oxigraph serve-read-only`) and by
load_test.py (browse pages and /sparql, with the server's memory). Requests go to 127.0.0.1 only.
"""
from __future__ import annotations

import http.client
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import report

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # path and query string
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class Figures:
    requests: int = 0
    failures: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def kamergraph_command() -> list[str]:
    """The ``kamergraph`` script beside this Python, or ``python -m kamergraph.cli``."""
    script = shutil.which("kamergraph", path=os.path.dirname(sys.executable))
    return [script] if script else [sys.executable, "-m", "kamergraph.cli"]


def clean_env() -> dict[str, str]:
    """This environment without the KAMERGRAPH_ settings and SOURCE_DATE_EPOCH."""
    return {k: v for k, v in os.environ.items() if not k.startswith("KAMERGRAPH_") and k != "SOURCE_DATE_EPOCH"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_load(port: int, requests: list[Request], clients: int, seconds: float, *, ok=(200,),
             shuffle_seed: int | None = None) -> Figures:
    """``clients`` threads, each on its own keep-alive connection, cycle through ``requests``
    until ``seconds`` have passed; every response is read in full. With ``shuffle_seed`` each
    client goes through the requests in an order of its own (a mix: in list order, the slow
    queries at its head would be all that runs)."""
    figures = Figures()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        index = offset
        order = requests
        if shuffle_seed is not None:
            order = random.Random(shuffle_seed + offset).sample(requests, len(requests))
            index = 0
        local = Figures()
        while not local.requests or time.monotonic() < deadline:  # each client sends at least one
            request = order[index % len(order)]
            index += 1
            started = time.perf_counter()
            try:
                connection.request(request.method, request.path, body=request.body, headers=dict(request.headers))
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                status = 0
            local.latencies.append(time.perf_counter() - started)
            local.requests += 1
            if status not in ok:
                local.failures += 1
        connection.close()
        with lock:
            figures.requests += local.requests
            figures.failures += local.failures
            figures.latencies.extend(local.latencies)

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    figures.seconds = time.monotonic() - started
    return figures


def wait_for(port: int, path: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answered on port {port} within {seconds} s")


def start_kamergraph(store: str, port: int, env: dict | None = None, workers: int | None = None) -> subprocess.Popen:
    extra = ["--workers", str(workers)] if workers else []
    process = subprocess.Popen(
        [*kamergraph_command(), "serve", "--store", store, "--host", "127.0.0.1", "--port", str(port), *extra],
        # Its defaults, whatever the caller's shell sets: only the settings given here change them.
        cwd=ROOT, env={**clean_env(), **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_started(process, port, "/sparql?query=ASK%7B%7D")
    return process


def start_oxigraph_reference(store: str, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(BIN / "oxigraph"), "serve-read-only", "--location", store, "--bind", f"127.0.0.1:{port}",
         "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    wait_started(process, port, "/query?query=ASK%7B%7D")
    return process


def wait_started(process: subprocess.Popen, port: int, probe: str) -> None:
    """Wait until the server answers; a server that does not is stopped, not left behind."""
    try:
        wait_for(port, probe, process)
    except BaseException:
        stop(process)
        raise


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, 15)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.wait()


def tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MiB (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        stack.extend(children.get(current, []))
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def sparql_get(query: str, accept: str = "application/sparql-results+json", path: str = "/sparql") -> Request:
    return Request("GET", f"{path}?{urllib.parse.urlencode({'query': query})}", headers=(("Accept", accept),))


def machine() -> str:
    """The machine (see report.machine) and its load average now, on one line."""
    info = "; ".join(f"{key} {value}" for key, value in report.machine().items())
    return f"{info}; load average {os.getloadavg()[0]:.1f} at the start"
