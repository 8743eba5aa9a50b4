"""Real stores for the backend-parametrised tests: embedded Oxigraph, `oxigraph serve`, Virtuoso.

Each remote store runs as a process on free 127.0.0.1 ports with its data in a temporary folder.
Virtuoso is Debian's virtuoso-opensource-7 (`virtuoso-t`), installed by `make system-deps`.
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = ., {dir}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 8
ServerThreads = 8

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 0
"""


# The kinds of remote store the backend tests run on, as fixture parameters.
REMOTE_STORES = ["oxigraph", pytest.param("virtuoso", marks=pytest.mark.virtuoso)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                response.read()
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def start_oxigraph(folder: Path) -> tuple[str, subprocess.Popen]:
    port = free_port()
    oxigraph = Path(sys.executable).with_name("oxigraph")
    process = subprocess.Popen(
        [str(oxigraph), "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    _wait_for(url + "/query?query=ASK%7B%7D", process)
    return url, process


def virtuoso_available() -> bool:
    return shutil.which("virtuoso-t") is not None and shutil.which("isql-vt") is not None


def start_virtuoso(folder: Path, max_rows: int = 1_000_000) -> tuple[str, subprocess.Popen]:
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=folder, sql_port=sql_port, http_port=http_port, max_rows=max_rows))
    process = subprocess.Popen(
        ["virtuoso-t", "-c", str(ini), "-f"], cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{http_port}/sparql"
    _wait_for(url + "?query=ASK%7B%7D", process, seconds=120)
    # The anonymous SPARQL user may update: this store lives only for the tests, on loopback.
    subprocess.run(
        ["isql-vt", f"127.0.0.1:{sql_port}", "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
        check=True, capture_output=True, timeout=60,
    )
    return url, process


def start_remote(kind: str, folder: Path) -> tuple[str, subprocess.Popen]:
    """A remote store of the kind ("oxigraph" or "virtuoso") with its data in ``folder``: its URL
    and process. A missing Virtuoso fails the test rather than skipping it."""
    if kind == "oxigraph":
        return start_oxigraph(folder)
    if not virtuoso_available():
        pytest.fail("virtuoso-t is not installed: run `make system-deps`")
    return start_virtuoso(folder)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
