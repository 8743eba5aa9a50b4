"""A gunicorn worker that a slow or half-open client cannot freeze.

gunicorn's threaded worker (``gthread``) hands a connection to one of its threads as soon as the
first bytes arrive, and the thread then reads the rest of the request with blocking reads, with no
time limit: eight clients that send half a request hold all eight threads (issue 16). This worker
reads each request whole in its event loop first, without blocking (the head, then a body of known
length or a chunked body up to its last chunk), and only then gives it to a thread, with the bytes
already in the parser's buffer. A client gets ``read_timeout`` seconds for its whole request, and
408 after that. A head over its limit goes to a thread at once, where gunicorn's parser answers 414
or 431 from the buffer; a body over its limit is answered 413 here. Neither waits for the rest.

A request read whole waits here, not in the thread pool's queue, until a thread is free for it: no
kind of request (its first path segment: ``sparql``, ``id``, ``robots.txt``) holds more than all
threads but ``RESERVED``, so a flood of one kind leaves threads for the others, and a request that
could not start within ``queue_limit`` seconds (the query time limit) gets 503 with Retry-After from
here, however many clients there are. The time it waited counts against its wait for a query
process (runtime/arrival.py).

Built on gunicorn's own ``ThreadWorker`` (its ``enqueue_req`` and the connection's parser), so the
version is pinned in pyproject.toml. TLS and HTTP/2 are for the reverse proxy in front (README,
"Deploying"); with either switched on in gunicorn this worker behaves as ``gthread``.
"""
from __future__ import annotations

import math
import re
import selectors
import socket
import time
from collections import deque
from functools import partial

from gunicorn.workers.gthread import ThreadWorker

from kamergraph.endpoint.runtime import arrival

LINGER_SECONDS = 2.0  # after a refusal, how long the rest of the request is read and dropped
LINGER_BYTES = 16 * 1_048_576
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
TIMED_OUT = (b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n"
             b"Content-Length: 45\r\n\r\nThe request did not arrive within the limit.\n")
RESERVED = 8  # threads that one kind of request never takes while others wait (half, with few threads)
_EXPECT_CONTINUE = re.compile(rb"\r\nexpect:[ \t]*100-continue[ \t]*(?=\r\n)", re.IGNORECASE)


WAIT, WHOLE, TOO_LARGE = "wait", "whole", "too large"


class Incoming:
    """A request arriving in pieces, parsed as far as it has come: each piece is looked at once
    (a client dripping a body a byte at a time costs time in proportion to the body, not its square)."""

    def __init__(self, max_head: int, max_body: int):
        self.data = bytearray()
        self.max_head, self.max_body = max_head, max_body
        self.body_start = -1  # where the body begins, once the head has ended
        self.length: int | None = 0  # the Content-Length (None: one the parser will refuse)
        self.chunked = False
        self.chunk = 0  # where the next chunk's size line begins, in data
        self.trailers = -1  # where the trailers begin, after the last chunk
        self.scanned = 0  # how far a search for an end has looked, in data

    def feed(self, received: bytes) -> str:
        """Take the next piece; WHOLE when the request is complete (or a head over ``max_head``, or
        anything malformed: the parser answers those), TOO_LARGE when its body is longer than
        ``max_body``, else WAIT for more."""
        self.data += received
        if self.body_start < 0:
            end = self.data.find(b"\r\n\r\n", max(0, self.scanned - 3))
            self.scanned = len(self.data)
            if end < 0:
                return WHOLE if len(self.data) > self.max_head else WAIT
            self.body_start = self.chunk = end + 4
            self.length, self.chunked = _body_framing(bytes(self.data[:end]))
        body = len(self.data) - self.body_start
        if self.chunked:
            return TOO_LARGE if body > self.max_body else self._chunks()
        if self.length is None:
            return WHOLE
        if self.length > self.max_body:
            return TOO_LARGE
        return WHOLE if body >= self.length else WAIT

    def _chunks(self) -> str:
        """Follow the chunks from where the last piece left off."""
        data = self.data
        while self.trailers < 0:
            line_end = data.find(b"\r\n", self.chunk)
            if line_end < 0:
                return WAIT
            try:
                size = int(bytes(data[self.chunk:line_end]).split(b";", 1)[0].strip(), 16)
            except ValueError:
                return WHOLE  # malformed: the parser answers it
            if size == 0:
                self.trailers = self.scanned = line_end
                break
            if line_end + 2 + size + 2 > len(data):
                return WAIT
            self.chunk = line_end + 2 + size + 2
        end = data.find(b"\r\n\r\n", max(self.trailers, self.scanned - 3))
        self.scanned = len(data)
        return WHOLE if end >= 0 else WAIT


def request_state(data: bytes | bytearray, max_head: int, max_body: int) -> str:
    """The state of a request that arrived in one piece (see ``Incoming.feed``)."""
    return Incoming(max_head, max_body).feed(bytes(data))


def too_large(max_body: int) -> bytes:
    text = f"The request body is longer than the limit of {max_body} bytes.\n".encode()
    return (b"HTTP/1.1 413 Content Too Large\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(text), text))


def queue_full(limit: float) -> bytes:
    text = f"The server stayed busy for {limit:g} s; try again later.\n".encode()
    return (b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n"
            b"Retry-After: %d\r\nContent-Length: %d\r\n\r\n%s" % (math.ceil(limit), len(text), text))


def kind(head: bytes | bytearray) -> bytes:
    """The first path segment of a request's target, which says what kind of request it is."""
    line = bytes(head[:head.find(b"\r\n")]).split(b" ")
    target = line[1] if len(line) > 1 else b""
    if b"://" in target[:16]:  # absolute form: http://host/path
        target = target.partition(b"://")[2].partition(b"/")[2]
    return re.split(rb"[/?#]", target.lstrip(b"/"), maxsplit=1)[0][:64]


def _body_framing(head: bytes) -> tuple[int | None, bool]:
    """The Content-Length (None: none, or one the parser will refuse) and whether the body is chunked."""
    length, chunked = 0, False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            try:
                length = int(value.strip())
            except ValueError:
                return None, False
        elif name == b"transfer-encoding":
            chunked = chunked or b"chunked" in value.lower()
    return length, chunked


class BufferingWorker(ThreadWorker):
    """``gthread``, with each request read whole in the event loop before a thread takes it."""

    read_timeout = 10.0  # seconds for a whole request, head and body
    max_body = 1_048_576  # body bytes read at most; a longer body goes to the app, which answers 413
    queue_limit = 30.0  # seconds a request read whole may wait for a thread before it gets 503

    def init_process(self) -> None:
        self.reading: dict = {}  # connection -> (bytes so far, deadline)
        self.draining: dict = {}  # refused connection -> (deadline, bytes still read and dropped)
        self.queued: deque = deque()  # (connection, kind, time read whole), first come first
        self.running: dict = {}  # kind -> requests of that kind on threads
        super().init_process()

    def enqueue_req(self, conn) -> None:
        """Read the connection's request in the event loop first (called on the event loop's thread)."""
        if getattr(conn, "kamergraph_whole", False):
            conn.kamergraph_whole = False
            self.queued.append((conn, conn.kamergraph_kind, time.monotonic()))
            self._start_queued()
            return
        if not self._can_read_ahead(conn):
            self._start(conn, b"", None)
            return
        conn.sock.setblocking(False)
        conn.kamergraph_continued = None  # None: the head has not ended yet; then whether 100 was sent
        max_head = self.cfg.limit_request_line + self.cfg.limit_request_fields * (self.cfg.limit_request_field_size + 2)
        self.reading[conn] = (Incoming(max_head, self.max_body), time.monotonic() + self.read_timeout)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._readable, conn))
        # A kept-alive connection comes here once its next request has begun to arrive, most often
        # whole: read it now rather than one more turn of the event loop later.
        self._readable(conn, conn.sock)

    def _can_read_ahead(self, conn) -> bool:
        if self.cfg.is_ssl or getattr(self.cfg, "http2_cleartext", "off") not in ("off", None):
            return False
        # Bytes a kept-alive client sent behind its last request are in the parser already.
        return not (conn.initialized and conn.parser.unreader.buf.getvalue())

    def _readable(self, conn, _sock) -> None:
        incoming, _ = self.reading[conn]
        received = _receive(conn.sock)
        if received is None:
            return
        if not received:  # the client left
            self._drop(conn)
            return
        state = incoming.feed(received)
        if conn.kamergraph_continued is None and incoming.body_start >= 0:
            conn.kamergraph_continued = state == WAIT and self._continue_if_expected(conn, incoming)
        if state == WAIT:
            return
        if state == TOO_LARGE:  # answered here: no thread waits for, or drains, a body no one reads
            self._refuse(conn, too_large(self.max_body))
            return
        del self.reading[conn]
        self.poller.unregister(conn.sock)
        conn.sock.setblocking(True)
        conn.init()  # makes the parser; no I/O without TLS or HTTP/2
        data = bytes(incoming.data)
        if conn.kamergraph_continued:  # answered here already; gunicorn must not send a second one
            data = _EXPECT_CONTINUE.sub(b"", data, count=1)
        conn.parser.unreader.unread(data)
        conn.kamergraph_whole = True
        conn.kamergraph_kind = kind(data)
        self.enqueue_req(conn)

    def _start_queued(self) -> None:
        """Give free threads to queued requests, first come first, each kind within its share."""
        threads = self.cfg.threads
        share = max(1, threads // 2, threads - RESERVED)  # with few threads, half for one kind
        busy = sum(self.running.values())
        kept: deque = deque()
        while self.queued and busy < threads:
            conn, kind_, at = self.queued.popleft()
            if self.running.get(kind_, 0) >= share:
                kept.append((conn, kind_, at))
                continue
            self._start(conn, kind_, at)
            busy += 1
        kept.extend(self.queued)
        self.queued = kept

    def _start(self, conn, kind_: bytes, at: float | None) -> None:
        self.running[kind_] = self.running.get(kind_, 0) + 1
        conn.kamergraph_running = (kind_, at)
        super().enqueue_req(conn)

    def handle(self, conn):
        """Serve on a thread, knowing when the request was read whole (runtime/arrival.py)."""
        arrival.arrived(conn.kamergraph_running[1])
        try:
            return super().handle(conn)
        finally:
            arrival.arrived(None)

    def finish_request(self, conn, fs) -> None:
        kind_, _ = conn.kamergraph_running
        self.running[kind_] -= 1
        super().finish_request(conn, fs)
        self._start_queued()

    def wait_for_and_dispatch_events(self, timeout):
        """Wake when the first queued request reaches its limit, not up to a second later."""
        if self.queued:
            first = min(at for _, _, at in self.queued) + self.queue_limit - time.monotonic()
            timeout = min(timeout, max(0.01, first))
        super().wait_for_and_dispatch_events(timeout)

    @staticmethod
    def _continue_if_expected(conn, incoming: Incoming) -> bool:
        """Whether 100 Continue was sent: a client that sent ``Expect: 100-continue`` waits for it
        before it sends its body. Looked at once, when the head has ended."""
        if not _EXPECT_CONTINUE.search(bytes(incoming.data[:incoming.body_start - 2])):
            return False
        try:
            conn.sock.send(CONTINUE)
        except OSError:
            pass
        return True

    def murder_pending(self) -> None:
        """gunicorn's sweep of idle connections, and 408 to a request not read within ``read_timeout``."""
        super().murder_pending()
        now = time.monotonic()
        for conn in [conn for conn, (_, deadline) in self.reading.items() if deadline <= now]:
            self._refuse(conn, TIMED_OUT)

        for conn in [conn for conn, (deadline, _) in self.draining.items() if deadline <= now]:
            self._drop(conn)
        if any(at + self.queue_limit <= now for _, _, at in self.queued):
            late = [conn for conn, _, at in self.queued if at + self.queue_limit <= now]
            self.queued = deque(entry for entry in self.queued if entry[2] + self.queue_limit > now)
            for conn in late:
                self._refuse(conn, queue_full(self.queue_limit))

    def _refuse(self, conn, response: bytes) -> None:
        """Answer from the event loop, then close once the client has stopped sending: closing a
        socket with unread bytes sends a reset, which would lose the answer at a client that is
        still sending its body. What it sends meanwhile is read and dropped, for a few seconds."""
        self.reading.pop(conn, None)
        try:
            self.poller.unregister(conn.sock)
        except (KeyError, ValueError):
            pass  # a queued request, read whole already
        try:
            conn.sock.setblocking(False)
            conn.sock.send(response)
            conn.sock.shutdown(socket.SHUT_WR)
        except (OSError, KeyError, ValueError):
            self._drop(conn)
            return
        self.draining[conn] = (time.monotonic() + LINGER_SECONDS, LINGER_BYTES)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._discard, conn))

    def _discard(self, conn, _sock) -> None:
        deadline, budget = self.draining[conn]
        received = _receive(conn.sock)
        if received is None:
            return
        if not received or len(received) >= budget:
            self._drop(conn)
        else:
            self.draining[conn] = (deadline, budget - len(received))

    def _drop(self, conn) -> None:
        self.reading.pop(conn, None)
        self.draining.pop(conn, None)
        try:
            self.poller.unregister(conn.sock)
        except (KeyError, ValueError, OSError):
            pass
        self.nr_conns -= 1
        conn.close()


def _receive(sock: socket.socket) -> bytes | None:
    """The bytes a non-blocking socket has for us: None when none yet, empty when the client is gone."""
    try:
        return sock.recv(65536)
    except (BlockingIOError, InterruptedError):
        return None
    except OSError:
        return b""


def buffering_worker(max_body: int, read_timeout: float, queue_limit: float) -> type[BufferingWorker]:
    """The worker class for a server with these limits."""
    return type("KamergraphWorker", (BufferingWorker,),
                {"max_body": max_body, "read_timeout": read_timeout, "queue_limit": queue_limit})
