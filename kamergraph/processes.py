"""Child processes that end with their parent."""
from __future__ import annotations

import ctypes
import os
import signal
import threading
import time

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_SECONDS = 0.5


def release_free_memory() -> None:
    """Give the memory the C allocator holds free back to the system (glibc's ``malloc_trim``):
    after a large ingest the store's caches and the parsed pages are freed but kept by the
    allocator (half the process at 3,000 pages), which would count beside the page index child
    started next. Nothing where there is no glibc."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def die_with_parent(parent: int) -> None:
    """End this process when the process ``parent`` ends: a child its parent can no longer stop or
    feed (a query past its time limit, a worker waiting for jobs) must not run on as an orphan.

    On Linux the kernel kills it (``PR_SET_PDEATHSIG``), at once, even inside a long call that holds
    the interpreter. The kernel ties that to the *thread* that started the child, so start children
    from a thread that lives as long as its process (the main thread, a pool's own spawner). Where
    that is not available a thread looks for the parent twice a second.
    """
    try:
        armed = ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL) == 0
    except (OSError, AttributeError):  # not Linux
        armed = False
    if os.getppid() != parent:  # the parent ended before we looked
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch, args=(parent,), daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)
