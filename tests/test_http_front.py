"""The HTTP front against slow and oversized clients (issue 16): a real server (gunicorn with
endpoint/worker.py) and raw sockets on 127.0.0.1.

Half-open requests, bodies that never come and a flood of 10 MB URLs must not keep a normal client
waiting; the request line, the headers and the body (chunked too) have limits with 414, 431, 413.
"""
from __future__ import annotations

import json
import socket
import threading
import time
import urllib.parse
from http.client import HTTPConnection

import pytest

from conftest import WRITE_TOKEN
from kamergraph.endpoint.worker import TOO_LARGE, WAIT, WHOLE, request_state


@pytest.fixture(scope="module")
def server(spawn_server):
    return spawn_server(write_token=WRITE_TOKEN)


def _address(server) -> tuple[str, int]:
    parts = urllib.parse.urlsplit(server.url)
    return parts.hostname, parts.port


def raw(server, data: bytes, timeout: float = 10) -> bytes:
    """Send ``data`` on a new connection and read the answer until the server closes or stops."""
    with socket.create_connection(_address(server), timeout=timeout) as connection:
        try:
            connection.sendall(data)
        except OSError:  # the server answered and closed while we were still sending
            pass
        answer = b""
        try:
            while chunk := connection.recv(65536):
                answer += chunk
                if b"\r\n\r\n" in answer and _complete(answer):
                    break
        except OSError:
            pass
        return answer


def _complete(answer: bytes) -> bool:
    head, _, body = answer.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return False


def status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def chunked(body: bytes, size: int = 65536) -> bytes:
    pieces = [b"%x\r\n%s\r\n" % (len(body[i:i + size]), body[i:i + size]) for i in range(0, len(body), size)]
    return b"".join(pieces) + b"0\r\n\r\n"


def test_slow_and_oversized_clients_do_not_keep_a_normal_client_waiting(server):
    host, port = _address(server)
    held = []
    for _ in range(50):  # half-open: a request head that never ends
        connection = socket.create_connection((host, port))
        connection.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        held.append(connection)
    for _ in range(10):  # a body that never comes
        connection = socket.create_connection((host, port))
        connection.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                           b"Content-Length: 100\r\n\r\nSEL")
        held.append(connection)
    flood_statuses: list[int] = []
    stop = threading.Event()

    def flood() -> None:  # 10 MB URLs, one after the other
        while not stop.is_set():
            answer = raw(server, b"GET /questions?party=" + b"a" * 10_000_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            if answer:
                flood_statuses.append(status(answer))

    flooders = [threading.Thread(target=flood) for _ in range(4)]
    for thread in flooders:
        thread.start()
    try:
        times = []
        for _ in range(30):
            started = time.monotonic()
            connection = HTTPConnection(host, port, timeout=5)
            connection.request("GET", "/robots.txt")
            response = connection.getresponse()
            body = response.read()
            connection.close()
            times.append(time.monotonic() - started)
            assert response.status == 200 and body.startswith(b"User-agent")
            time.sleep(0.05)
    finally:
        stop.set()
        for thread in flooders:
            thread.join()
        for connection in held:
            connection.close()
    print(f"a normal client meanwhile: worst {max(times) * 1000:.1f} ms over {len(times)} requests; "
          f"flood answers {sorted(set(flood_statuses))}")
    assert max(times) < 1.0, times
    assert set(flood_statuses) <= {414}


def test_a_long_request_line_is_414(server):
    answer = raw(server, b"GET /search?q=" + b"a" * 20_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert status(answer) == 414


def test_too_many_or_too_large_headers_are_431(server):
    many = b"".join(b"X-H%d: v\r\n" % i for i in range(60))
    assert status(raw(server, b"GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n" + many + b"\r\n")) == 431
    large = b"X-Large: " + b"v" * 10_000 + b"\r\n"
    assert status(raw(server, b"GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n" + large + b"\r\n")) == 431


def _put(body: bytes, framing: bytes) -> bytes:
    return (b"PUT /store?graph=urn:x-test:chunked HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/n-triples\r\nAuthorization: Bearer " + WRITE_TOKEN.encode() + b"\r\n"
            + framing + b"\r\n" + body)


def test_a_chunked_body_over_the_limit_is_413_and_stores_nothing(server, http):
    triples = b"".join(b"<urn:s%d> <urn:p> \"%s\" .\n" % (i, b"x" * 40) for i in range(40_000))
    assert len(triples) > server.settings.max_body
    answer = raw(server, _put(chunked(triples), b"Transfer-Encoding: chunked\r\n"))
    assert status(answer) == 413
    assert answer.endswith(b"The request body is longer than the limit of %d bytes.\n" % server.settings.max_body)
    assert http("GET", server.url + "/store?graph=urn:x-test:chunked").status == 404
    answer = raw(server, _put(b"", b"Content-Length: %d\r\n" % (server.settings.max_body + 1)))
    assert status(answer) == 413


def test_a_chunked_body_within_the_limit_is_read_whole(server):
    sparql = b"SELECT ?s WHERE { ?s ?p ?o } LIMIT 1" + b" " * 200_000 + b"# the LIMIT must survive"
    request = (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
               b"Accept: application/sparql-results+json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
               + chunked(sparql, size=4096))
    answer = raw(server, request)
    assert status(answer) == 200
    assert len(json.loads(answer.partition(b"\r\n\r\n")[2])["results"]["bindings"]) == 1


def test_a_client_that_expects_100_continue_gets_it_and_then_its_answer(server):
    body = b"ASK { ?s ?p ?o }"
    with socket.create_connection(_address(server), timeout=5) as connection:
        connection.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                           b"Accept: application/sparql-results+json\r\nExpect: 100-continue\r\nConnection: close\r\n"
                           b"Content-Length: %d\r\n\r\n" % len(body))
        assert connection.recv(100) == b"HTTP/1.1 100 Continue\r\n\r\n"
        connection.sendall(body)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    assert status(answer) == 200 and b'"boolean":true' in answer.replace(b" ", b"")
    assert b"100 Continue" not in answer


def test_a_request_that_does_not_arrive_in_time_is_408(spawn_server):
    impatient = spawn_server(read_timeout=1.0)
    started = time.monotonic()
    answer = raw(impatient, b"GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n", timeout=10)
    waited = time.monotonic() - started
    assert status(answer) == 408 and answer.endswith(b"The request did not arrive within the limit.\n")
    assert 1.0 <= waited < 3.0, waited


def test_keep_alive_still_works(server):
    connection = HTTPConnection(*_address(server), timeout=5)
    try:
        for _ in range(3):
            connection.request("GET", "/robots.txt")
            response = connection.getresponse()
            assert response.status == 200 and response.read().startswith(b"User-agent")
    finally:
        connection.close()


@pytest.mark.parametrize(("data", "state"), [
    (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n", WAIT),
    (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", WHOLE),
    (b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nabc", WAIT),
    (b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nabcde", WHOLE),
    (b"POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", TOO_LARGE),
    (b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n", WHOLE),
    (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n", WAIT),
    (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", WHOLE),
    (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n", WAIT),
    (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", WHOLE),
    (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + b"a" * 101, TOO_LARGE),
    (b"GET /" + b"a" * 300, WHOLE),
])
def test_when_a_request_is_whole(data, state):
    assert request_state(data, max_head=200, max_body=100) == state


def test_a_request_dripped_a_byte_at_a_time_is_parsed_in_linear_time():
    from kamergraph.endpoint.worker import Incoming

    body = b"x" * 300_000
    request = (b"PUT /store?default HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
               + chunked(body, size=100))
    incoming = Incoming(max_head=10_000, max_body=1_000_000)
    started = time.monotonic()
    states = [incoming.feed(request[i:i + 1]) for i in range(len(request))]
    took = time.monotonic() - started
    assert states[-1] == WHOLE and set(states[:-1]) == {WAIT}
    assert bytes(incoming.data) == request
    assert took < 5.0, f"{len(request)} one-byte pieces took {took:.1f} s"


@pytest.mark.parametrize(("head", "expected"), [
    (b"GET /sparql?query=x HTTP/1.1\r\nHost: a\r\n\r\n", b"sparql"),
    (b"POST /sparql HTTP/1.1\r\n\r\n", b"sparql"),
    (b"GET /robots.txt HTTP/1.1\r\n\r\n", b"robots.txt"),
    (b"GET /id/partij/vvd HTTP/1.1\r\n\r\n", b"id"),
    (b"GET http://example.org/store?graph=x HTTP/1.1\r\n\r\n", b"store"),
    (b"GET / HTTP/1.1\r\n\r\n", b""),
    (b"garbage\r\n\r\n", b""),
])
def test_the_kind_of_a_request_is_its_first_path_segment(head, expected):
    from kamergraph.endpoint.worker import kind

    assert kind(head) == expected
