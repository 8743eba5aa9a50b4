"""A gunicorn worker that a slow or half-open client cannot freeze.

gunicorn's threaded worker (``gthread``) hands a connection to one of its threads as soon as the
first bytes arrive, and the thread then reads the rest of the request with blocking reads, with no
time limit: eight clients that send half a request hold all eight threads (issue 16). This worker
reads each request whole in its event loop first, without blocking (the head, then a body of known
length or a chunked body up to its last chunk), and only then gives it to a thread, with the bytes
already in the parser's buffer. A client gets ``read_timeout`` seconds for its whole request, and
408 after that. A head over its limit goes to a thread at once, where gunicorn's parser answers 414
or 431 from the buffer; a body over its limit is answered 413 here. Neither waits for the rest.

Built on gunicorn's own ``ThreadWorker`` (its ``enqueue_req`` and the connection's parser), so the
version is pinned in pyproject.toml. TLS and HTTP/2 are for the reverse proxy in front (README,
"Deploying"); with either switched on in gunicorn this worker behaves as ``gthread``.
"""
from __future__ import annotations

import re
import selectors
import socket
import time
from functools import partial

from gunicorn.workers.gthread import ThreadWorker

LINGER_SECONDS = 2.0  # after a refusal, how long the rest of the request is read and dropped
LINGER_BYTES = 16 * 1_048_576
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
TIMED_OUT = (b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n"
             b"Content-Length: 45\r\n\r\nThe request did not arrive within the limit.\n")
_EXPECT_CONTINUE = re.compile(rb"\r\nexpect:[ \t]*100-continue[ \t]*(?=\r\n)", re.IGNORECASE)


WAIT, WHOLE, TOO_LARGE = "wait", "whole", "too large"


def request_state(data: bytes | bytearray, max_head: int, max_body: int) -> str:
    """WHOLE when ``data`` holds a whole request (or a head over ``max_head``, or anything
    malformed: the parser answers those), TOO_LARGE when its body is longer than ``max_body``,
    else WAIT for more."""
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return WHOLE if len(data) > max_head else WAIT
    length, chunked = _body_framing(bytes(data[:end]))
    body = memoryview(data)[end + 4:]
    if chunked:
        if len(body) > max_body:
            return TOO_LARGE
        return WHOLE if _chunks_complete(body) else WAIT
    if length is None:
        return WHOLE
    if length > max_body:
        return TOO_LARGE
    return WHOLE if len(body) >= length else WAIT


def too_large(max_body: int) -> bytes:
    text = f"The request body is longer than the limit of {max_body} bytes.\n".encode()
    return (b"HTTP/1.1 413 Content Too Large\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(text), text))


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


def _chunks_complete(body: memoryview) -> bool:
    """Whether a chunked body has arrived up to its last chunk and the blank line after its trailers."""
    data = bytes(body)
    position = 0
    while True:
        line_end = data.find(b"\r\n", position)
        if line_end < 0:
            return False
        size_text = data[position:line_end].split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return True  # malformed: the parser answers it
        if size == 0:
            return data.find(b"\r\n\r\n", line_end) >= 0
        position = line_end + 2 + size + 2
        if position > len(data):
            return False


class BufferingWorker(ThreadWorker):
    """``gthread``, with each request read whole in the event loop before a thread takes it."""

    read_timeout = 10.0  # seconds for a whole request, head and body
    max_body = 1_048_576  # body bytes read at most; a longer body goes to the app, which answers 413

    def init_process(self) -> None:
        self.reading: dict = {}  # connection -> (bytes so far, deadline)
        self.draining: dict = {}  # refused connection -> (deadline, bytes still read and dropped)
        super().init_process()

    def enqueue_req(self, conn) -> None:
        """Read the connection's request in the event loop first (called on the event loop's thread)."""
        if getattr(conn, "kamergraph_whole", False) or not self._can_read_ahead(conn):
            conn.kamergraph_whole = False
            super().enqueue_req(conn)
            return
        conn.sock.setblocking(False)
        conn.kamergraph_continued = False
        self.reading[conn] = (bytearray(), time.monotonic() + self.read_timeout)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._readable, conn))

    def _can_read_ahead(self, conn) -> bool:
        if self.cfg.is_ssl or getattr(self.cfg, "http2_cleartext", "off") not in ("off", None):
            return False
        # Bytes a kept-alive client sent behind its last request are in the parser already.
        return not (conn.initialized and conn.parser.unreader.buf.getvalue())

    def _readable(self, conn, _sock) -> None:
        data, _ = self.reading[conn]
        try:
            received = conn.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            received = b""
        if not received:  # the client left
            self._drop(conn)
            return
        data += received
        max_head = self.cfg.limit_request_line + self.cfg.limit_request_fields * (self.cfg.limit_request_field_size + 2)
        state = request_state(data, max_head, self.max_body)
        if state == WAIT:
            self._continue_if_expected(conn, data)
            return
        if state == TOO_LARGE:  # answered here: no thread waits for, or drains, a body no one reads
            self._refuse(conn, too_large(self.max_body))
            return
        del self.reading[conn]
        self.poller.unregister(conn.sock)
        conn.sock.setblocking(True)
        conn.init()  # makes the parser; no I/O without TLS or HTTP/2
        if conn.kamergraph_continued:  # answered here already; gunicorn must not send a second one
            data = _EXPECT_CONTINUE.sub(b"", data, count=1)
        conn.parser.unreader.unread(bytes(data))
        conn.kamergraph_whole = True
        self.enqueue_req(conn)

    def _continue_if_expected(self, conn, data: bytearray) -> None:
        """A client that sent ``Expect: 100-continue`` waits for this before it sends its body."""
        end = data.find(b"\r\n\r\n")
        if end < 0 or conn.kamergraph_continued or not _EXPECT_CONTINUE.search(bytes(data[:end + 2])):
            return
        conn.kamergraph_continued = True
        try:
            conn.sock.send(CONTINUE)
        except OSError:
            pass

    def murder_pending(self) -> None:
        """gunicorn's sweep of idle connections, and 408 to a request not read within ``read_timeout``."""
        super().murder_pending()
        now = time.monotonic()
        for conn in [conn for conn, (_, deadline) in self.reading.items() if deadline <= now]:
            self._refuse(conn, TIMED_OUT)

        for conn in [conn for conn, (deadline, _) in self.draining.items() if deadline <= now]:
            self._drop(conn)

    def _refuse(self, conn, response: bytes) -> None:
        """Answer from the event loop, then close once the client has stopped sending: closing a
        socket with unread bytes sends a reset, which would lose the answer at a client that is
        still sending its body. What it sends meanwhile is read and dropped, for a few seconds."""
        self.reading.pop(conn, None)
        try:
            self.poller.unregister(conn.sock)
            conn.sock.send(response)
            conn.sock.shutdown(socket.SHUT_WR)
        except (OSError, KeyError, ValueError):
            self._drop(conn)
            return
        self.draining[conn] = (time.monotonic() + LINGER_SECONDS, LINGER_BYTES)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._discard, conn))

    def _discard(self, conn, _sock) -> None:
        deadline, budget = self.draining[conn]
        try:
            received = conn.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            received = b""
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


def buffering_worker(max_body: int, read_timeout: float) -> type[BufferingWorker]:
    """The worker class for a server with these limits."""
    return type("KamergraphWorker", (BufferingWorker,), {"max_body": max_body, "read_timeout": read_timeout})
