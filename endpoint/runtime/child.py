"""The child side of a pool: the connection to the web process, and dying with it."""
from __future__ import annotations

import ctypes
import json
import os
import signal
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection

from kamergraph.endpoint.runtime.tasks import Reply

PR_SET_PDEATHSIG = 1


def serve(handler_for: Callable[[dict], Callable]) -> None:
    """Answer tasks until the web process closes the connection.

    Started as ``python -m MODULE FD PARENT_PID CONFIG_JSON``; ``handler_for(config)`` gives the
    function that turns a task into a Reply.
    """
    fd, parent_pid, config = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server, which then stops us
    _die_with_parent(parent_pid)
    conn = Connection(fd)
    handle = handler_for(config)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            break
        try:
            reply = handle(task)
        except Exception as error:  # a bug, not the client's fault: say so instead of dying
            reply = Reply.text(500, f"Internal error in {type(task).__name__}: {error!r}")
        try:
            conn.send(reply)
        except OSError:  # the web process gave up on this task (timeout) or is gone
            break


def _die_with_parent(parent_pid: int) -> None:
    """A query the web process can no longer stop must not run on as an orphan."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: a gone parent still ends us at the next recv
        pass
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(0)
