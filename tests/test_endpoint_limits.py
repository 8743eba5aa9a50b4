"""Limits and sharing on a real server: the time limit (the query process is killed and replaced,
the client gets 503 with a message, other clients are served meanwhile), the row cap with its
X-Result-Truncated header, SERVICE refused unless allowed (then it works, against the reference
server), CORS for reads and preflights (none for writes), and many clients at once.
"""
from __future__ import annotations

import json
import os
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results

from conftest import SERVER_QUERY_TIMEOUT

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 12840^3 rows to count
QUICK = "SELECT ?q WHERE { ?q a <https://kamergraph.nl/def#WrittenQuestion> } ORDER BY ?q"
TEXT = "text/plain; charset=utf-8"


def query(http, server, sparql: str, accept: str = "application/sparql-results+json", **headers):
    return http("GET", server.sparql + "?" + urllib.parse.urlencode({"query": sparql}),
                headers={"Accept": accept, **headers})


def bindings(reply) -> list[dict]:
    return json.loads(reply.body)["results"]["bindings"]


def query_processes(server) -> set[int]:
    """PIDs of the server's query processes (python -m endpoint.worker), found through /proc."""
    parents, commands = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            commands[int(entry.name)] = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    family, grew = {server.process.pid}, True
    while grew:
        children = {pid for pid, parent in parents.items() if parent in family} - family
        family |= children
        grew = bool(children)
    return {pid for pid in family if b"kamergraph.endpoint.runtime.query_process" in commands.get(pid, [])}


# -- the time limit


def test_slow_query_is_stopped_and_others_are_served_meanwhile(http, live_server):
    assert query(http, live_server, QUICK).status == 200  # the pool is up
    before = query_processes(live_server)
    assert len(before) == live_server.settings.query_workers + live_server.settings.page_workers
    outcome = {}

    def slow():
        started = time.monotonic()
        outcome["reply"] = query(http, live_server, SLOW)
        outcome["seconds"] = time.monotonic() - started

    runner = threading.Thread(target=slow)
    runner.start()
    time.sleep(0.3)
    quick_times = []
    while runner.is_alive() and len(quick_times) < 20:
        started = time.monotonic()
        reply = query(http, live_server, QUICK)
        quick_times.append(time.monotonic() - started)
        assert reply.status == 200
        assert len(bindings(reply)) == 10
    runner.join()
    reply, seconds = outcome["reply"], outcome["seconds"]
    assert reply.status == 503
    assert reply.headers["content-type"] == TEXT
    assert reply.text == f"Query stopped: it ran longer than the time limit of {SERVER_QUERY_TIMEOUT:g} s.\n"
    assert SERVER_QUERY_TIMEOUT <= seconds < SERVER_QUERY_TIMEOUT + 1.0
    assert len(quick_times) >= 3 and max(quick_times) < 1.0  # served while the slow query ran
    # The killed process is gone and a fresh one took its place.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        after = query_processes(live_server)
        if len(after) == len(before) and after != before:
            break
        time.sleep(0.05)
    assert len(after) == len(before)
    assert len(after - before) == 1
    for _ in range(2 * len(after)):
        assert query(http, live_server, QUICK).status == 200


# -- the row cap


@pytest.fixture(scope="module")
def capped_client(settings):
    from kamergraph.endpoint import create_app

    app = create_app(settings, max_rows=5)
    yield app.test_client()
    app.extensions["kamergraph"].close()


@pytest.mark.parametrize("accept, count", [
    ("application/sparql-results+json", lambda body: len(json.loads(body)["results"]["bindings"])),
    ("application/sparql-results+xml", lambda body: len(list(parse_query_results(body, QueryResultsFormat.XML)))),
    ("text/tab-separated-values", lambda body: len(list(parse_query_results(body, QueryResultsFormat.TSV)))),
    ("text/csv", lambda body: body.decode().count("\r\n") - 1),
])
def test_rows_are_capped_and_the_cut_is_signalled(capped_client, accept, count):
    reply = capped_client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"},
                              headers={"Accept": accept})
    assert reply.status_code == 200
    assert reply.headers["X-Result-Truncated"] == "true"
    assert count(reply.data) == 5


def test_triples_are_capped_too(capped_client):
    reply = capped_client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                              headers={"Accept": "application/n-triples"})
    assert reply.headers["X-Result-Truncated"] == "true"
    assert len(list(parse(reply.data, format=RdfFormat.N_TRIPLES))) == 5


def test_a_result_within_the_cap_is_not_marked(capped_client):
    for sparql in ("SELECT * WHERE { ?s ?p ?o } LIMIT 5", "ASK { ?s ?p ?o }"):
        reply = capped_client.get("/sparql", query_string={"query": sparql})
        assert reply.status_code == 200
        assert "X-Result-Truncated" not in reply.headers


def test_cap_on_the_real_server(http, live_server):
    reply = query(http, live_server, "SELECT * WHERE { ?s ?p ?o }")
    assert reply.headers["x-result-truncated"] == "true"
    assert len(bindings(reply)) == live_server.settings.max_rows
    assert "x-result-truncated" in reply.headers["access-control-expose-headers"].lower()


# -- SERVICE


@pytest.fixture(scope="module")
def federating_client(settings):
    from kamergraph.endpoint import create_app

    app = create_app(settings, allow_service=True)
    yield app.test_client()
    app.extensions["kamergraph"].close()


def test_service_works_when_allowed(federating_client, oxigraph_reference):
    sparql = f"""SELECT ?zaak WHERE {{ SERVICE <{oxigraph_reference.sparql}> {{
        ?q <https://kamergraph.nl/def#zaakNumber> ?zaak }} }} ORDER BY ?zaak"""
    reply = federating_client.get("/sparql", query_string={"query": sparql})
    assert reply.status_code == 200, reply.data
    zaaks = [b["zaak"]["value"] for b in json.loads(reply.data)["results"]["bindings"]]
    assert len(zaaks) == 10 and zaaks[-1] == "2021Z16860"
    description = federating_client.get("/sparql", headers={"Accept": "application/n-triples"}).data.decode()
    assert "<http://www.w3.org/ns/sparql-service-description#BasicFederatedQuery>" in description


def test_service_is_refused_on_the_real_server(http, live_server, oxigraph_reference):
    reply = query(http, live_server, f"SELECT * WHERE {{ SERVICE <{oxigraph_reference.sparql}> {{ ?s ?p ?o }} }}")
    assert reply.status == 400
    assert reply.text == "SERVICE is not allowed on this endpoint (federated queries are switched off).\n"


# -- CORS


def test_cors_on_reads(http, live_server):
    origin = {"Origin": "http://example.org"}
    replies = [
        query(http, live_server, QUICK, **origin),
        http("POST", live_server.sparql, urllib.parse.urlencode({"query": QUICK}),
             {"Content-Type": "application/x-www-form-urlencoded", **origin}),
        http("POST", live_server.sparql, QUICK, {"Content-Type": "application/sparql-query", **origin}),
        query(http, live_server, "SELECT WHERE", **origin),  # an error a browser client must be able to read
        http("GET", live_server.sparql, headers={"Accept": "text/turtle", **origin}),
        http("GET", live_server.url + "/store?default", headers=origin),
    ]
    assert [r.status for r in replies] == [200, 200, 200, 400, 200, 200]
    for reply in replies:
        assert reply.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("path, methods", [
    ("/sparql", "GET, HEAD, POST, OPTIONS"),
    ("/store?graph=http://example.org/g", "GET, HEAD, OPTIONS"),
])
def test_preflight(http, live_server, path, methods):
    reply = http("OPTIONS", live_server.url + path, headers={
        "Origin": "http://example.org",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    })
    assert reply.status == 200
    assert reply.body == b""
    assert reply.headers["access-control-allow-origin"] == "*"
    assert reply.headers["access-control-allow-methods"] == methods
    assert reply.headers["access-control-allow-headers"] == "Accept, Content-Type"
    assert reply.headers["access-control-max-age"] == "86400"


def test_no_cors_on_writes(http, live_server):
    reply = http("POST", live_server.sparql, "CLEAR ALL",
                 {"Content-Type": "application/sparql-update", "Origin": "http://example.org"})
    assert reply.status == 401
    assert "access-control-allow-origin" not in reply.headers


# -- many clients at once


def test_many_clients_at_once(http, live_server):
    work = [QUICK, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
            "ASK { ?s ?p ?o }", "CONSTRUCT WHERE { ?s a <https://kamergraph.nl/def#WrittenQuestion> }"] * 12
    expected = {sparql: query(http, live_server, sparql, "*/*").body for sparql in set(work)}
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as pool:
        replies = list(pool.map(lambda sparql: (sparql, query(http, live_server, sparql, "*/*")), work))
    seconds = time.monotonic() - started
    assert [reply.status for _, reply in replies] == [200] * len(work)
    assert all(reply.body == expected[sparql] for sparql, reply in replies)
    assert seconds < 10, f"{len(work)} requests from 16 clients took {seconds:.2f} s"
    print(f"{len(work)} requests from 16 clients: {seconds:.2f} s, pid {os.getpid()}")


def test_a_query_process_that_dies_is_reported_with_its_own_exit_status(settings):
    """Killed from outside (SIGTERM) while it runs a query: the client gets 500 naming the signal the
    process died of, not the SIGKILL the pool sends to clean up, and a replacement serves the next query."""
    import signal

    from kamergraph.endpoint.runtime.backend import Backend
    from kamergraph.endpoint.runtime.formats import SOLUTIONS
    from kamergraph.endpoint.runtime.tasks import Query

    backend = Backend(settings.with_(query_workers=1, query_timeout=30.0))
    try:
        backend.start()
        quick = Query(QUICK, SOLUTIONS[0], None)
        assert backend.query(quick).status == 200
        (child,) = backend.queries._children
        threading.Timer(0.5, os.kill, (child.process.pid, signal.SIGTERM)).start()
        reply = backend.query(Query(SLOW, SOLUTIONS[0], None))
        assert (reply.status, reply.body) == (
            500, b"The query process died while running this query (exit code -15).\n")
        assert backend.query(quick).status == 200
    finally:
        backend.close()


def test_query_and_write_processes_end_with_their_web_process(settings):
    """A web process killed outright (SIGKILL: no clean-up of its own) takes its query and write
    processes with it, also one in the middle of a query that no one would stop any more."""
    import signal
    import subprocess
    import sys

    web_process = subprocess.Popen([sys.executable, "-c", (
        "import sys, threading, time\n"
        "from kamergraph.config import Settings\n"
        "from kamergraph.endpoint.runtime.backend import Backend\n"
        "from kamergraph.endpoint.runtime.formats import SOLUTIONS\n"
        "from kamergraph.endpoint.runtime.tasks import Query\n"
        "backend = Backend(Settings(store=sys.argv[1], query_workers=1, page_workers=1, query_timeout=600))\n"
        "backend.start()\n"
        "threading.Thread(target=backend.query, args=(Query(sys.argv[2], SOLUTIONS[0], None),)).start()\n"
        "time.sleep(600)\n"), settings.store, SLOW], stdin=subprocess.DEVNULL)
    expected = [b"kamergraph.endpoint.runtime.query_process"] * 2 + [b"kamergraph.endpoint.runtime.write_process"]
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            children = children_of(web_process.pid)
            if sorted(command[2] for command in children.values() if len(command) > 2) == expected:
                break
            time.sleep(0.1)
        assert sorted(command[2] for command in children.values()) == expected
        time.sleep(1)  # the query process takes the slow query
    finally:
        web_process.kill()
        web_process.wait()
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    survivors = [pid for pid in children if alive(pid)]
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)  # not to leave the machine a runaway query
    assert survivors == []


def children_of(pid: int) -> dict[int, list[bytes]]:
    """The command lines of a process's children, by PID."""
    out = {}
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out[int(entry.name)] = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
    return out


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie waiting for init to reap it does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
