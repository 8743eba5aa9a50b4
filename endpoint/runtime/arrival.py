"""When the request a thread serves was read whole, so that time it spent queued in the web process
counts against its wait for a child process: a request that could not start within one time limit
gets 503, however long the queue in front of it was (issue 16)."""
from __future__ import annotations

import threading
import time

_local = threading.local()


def arrived(at: float | None) -> None:
    """Record (on the serving thread) the ``time.monotonic()`` at which its request was read whole."""
    _local.at = at


def waited() -> float:
    """Seconds the current thread's request has waited since it was read whole (0 if unknown)."""
    at = getattr(_local, "at", None)
    return 0.0 if at is None else max(0.0, time.monotonic() - at)
