"""A polite HTTP client for the official sources: a request rate, an identifying User-Agent,
timeouts, and retries with backoff on what passes (5xx, 429, timeouts, broken connections and
the ``<Error>`` bodies the Tweede Kamer's services sometimes answer with a 200).

Standard library only (urllib): the harvest makes few, simple GET requests, one at a time.
"""
from __future__ import annotations

import hashlib
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import kamergraph

USER_AGENT = f"kamergraph/{kamergraph.__version__} (harvest of Kamervragen; +https://kamergraph.nl/)"
DEFAULT_RATE = 2.0  # requests a second at most
DEFAULT_TIMEOUT = 60.0  # seconds for one response
DEFAULT_RETRIES = 5
MAX_BODY = 256 * 1024 * 1024


class HarvestError(RuntimeError):
    """A source that could not be read, after the retries: one line for the user."""


class NotFound(HarvestError):
    """The source answered that the document does not exist (404 or a redirect to its 404 page)."""


@dataclass(frozen=True)
class Response:
    url: str
    body: bytes


class Client:
    """GET with rate limit, retries and an optional on-disk copy of every body (``cache``).

    ``offline`` answers only from that copy: a harvest mapped again after an upgrade, with no
    request sent."""

    def __init__(self, *, rate: float = DEFAULT_RATE, timeout: float = DEFAULT_TIMEOUT,
                 retries: int = DEFAULT_RETRIES, backoff: float = 1.0, cache: Path | None = None,
                 offline: bool = False, log: Callable[[str], None] = lambda _: None,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic):
        if rate <= 0:
            raise ValueError("the request rate must be above 0 a second")
        if offline and cache is None:
            raise ValueError("offline needs a cache folder to answer from")
        self.interval = 1.0 / rate
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.cache = cache
        self.offline = offline
        self.log = log
        self._sleep = sleep
        self._clock = clock
        self._last: float | None = None
        self.requests = 0  # sent, retries included
        self.retried = 0

    def get(self, url: str, accept: str = "*/*", *, reuse: bool = False) -> Response:
        """The body at ``url``; ``reuse`` takes it from the cache when there (published documents do
        not change; API answers do, so they are always asked for again unless offline)."""
        cached = self._cached(url)
        if cached is not None and reuse:
            return self._answer(url, cached)
        if self.offline:
            if cached is None:
                raise HarvestError(f"{url}: not in the cache {self.cache} (offline)")
            return self._answer(url, cached)
        attempt = 0
        while True:
            try:
                response = self._once(url, accept)
                if _is_error_body(response.body):
                    raise _Transient(f"an <Error> body: {_clip(response.body)}")
                self._keep(url, response.body)
                return response
            except _Transient as problem:
                attempt += 1
                if attempt > self.retries:
                    raise HarvestError(f"{url}: {problem} (gave up after {attempt} tries)") from None
                self.retried += 1
                wait = self.backoff * 2 ** (attempt - 1)
                self.log(f"{url}: {problem}; trying again in {wait:g} s")
                self._sleep(wait)

    def _answer(self, url: str, body: bytes) -> Response:
        if body == _MISSING:
            raise NotFound(f"{url}: not found (cached)")
        return Response(url, body)

    def _once(self, url: str, accept: str) -> Response:
        self._wait_turn()
        self.requests += 1
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": accept})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as reply:
                final = reply.geturl()
                if "fout404" in final:  # officielebekendmakingen redirects a missing document to its 404 page
                    self._keep(url, _MISSING)
                    raise NotFound(f"{url}: not found (redirected to {final})")
                body = reply.read(MAX_BODY + 1)
        except urllib.error.HTTPError as error:
            if error.code in {404, 410}:
                self._keep(url, _MISSING)
                raise NotFound(f"{url}: not found (HTTP {error.code})") from None
            if error.code >= 500 or error.code == 429:
                raise _Transient(f"HTTP {error.code}") from None
            raise HarvestError(f"{url}: HTTP {error.code} {error.reason}: {_clip(error.read())}") from None
        except TimeoutError:
            raise _Transient(f"no answer within {self.timeout:g} s") from None
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, TimeoutError | socket.timeout):
                raise _Transient(f"no answer within {self.timeout:g} s") from None
            raise _Transient(f"cannot connect: {reason}") from None
        except (ConnectionError, OSError) as error:  # reset, broken pipe, an incomplete read
            raise _Transient(f"connection broken: {error}") from None
        if len(body) > MAX_BODY:
            raise HarvestError(f"{url}: the answer is larger than {MAX_BODY // (1024 * 1024)} MiB")
        return Response(url, body)

    def _wait_turn(self) -> None:
        now = self._clock()
        if self._last is not None:
            due = self._last + self.interval
            if now < due:
                self._sleep(due - now)
                now = self._clock()
        self._last = now

    # -- the on-disk copy

    def _path(self, url: str) -> Path | None:
        if self.cache is None:
            return None
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()
        return self.cache / digest[:2] / digest

    def _cached(self, url: str) -> bytes | None:
        path = self._path(url)
        if path is None or not path.is_file():
            return None
        return path.read_bytes()

    def _keep(self, url: str, body: bytes) -> None:
        path = self._path(url)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(body)
        temporary.replace(path)  # a killed run never leaves half a body in the cache


_MISSING = b"\x00kamergraph: not found\x00"


class _Transient(Exception):
    """A failure worth another try."""


def _is_error_body(body: bytes) -> bool:
    """The Tweede Kamer's services answer some failures with a 200 and an ``<Error>`` document."""
    head = body[:512].lstrip()
    if head.startswith(b"<?xml"):
        head = head[head.find(b"?>") + 2:].lstrip()
    return head.startswith(b"<Error")


def _clip(body: bytes, limit: int = 120) -> str:
    text = " ".join(body[:limit * 2].decode("utf-8", "replace").split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
