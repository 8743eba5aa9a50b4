"""The child side of a pool: the connection to the web process, and dying with it."""
from __future__ import annotations

import json
import resource
import signal
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection

from kamergraph.endpoint.runtime.isolation import cut_off_network
from kamergraph.endpoint.runtime.tasks import Reply
from kamergraph.processes import die_with_parent

STACK_BYTES = 256 * 1024 * 1024  # reserved, not used: pages are only taken as the stack grows


def serve(handler_for: Callable[[dict], Callable]) -> None:
    """Answer tasks until the web process closes the connection.

    Started as ``python -m MODULE FD PARENT_PID CONFIG_JSON``; ``handler_for(config)`` gives the
    function that turns a task into a Reply. With ``isolate_network`` in the config the process first
    leaves the network (before any thread starts, as ``unshare`` requires); ``config["isolated"]``
    tells the handler whether that worked.
    """
    fd, parent_pid, config = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
    config["isolated"] = False
    if config.get("isolate_network"):
        why_not = cut_off_network()
        config["isolated"] = why_not is None
        if why_not:
            print(f"kamergraph: a query or write process keeps its network ({why_not}); SERVICE and LOAD "
                  "are refused by a stricter check of the text instead", file=sys.stderr, flush=True)
    if config.get("memory_limit"):
        # Beyond it an allocation fails and the engine aborts: the web process reports SIGABRT as 503.
        # The stack of the task thread (reserved below) counts too.
        limit = int(config["memory_limit"]) + STACK_BYTES
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server, which then stops us
    die_with_parent(parent_pid)
    conn = Connection(fd)
    handle = handler_for(config)
    # Tasks run on a thread with a deep stack: Oxigraph's parser and evaluator recurse per level of
    # nesting, and overflowing the main thread's 8 MiB is a crash (policy.MAX_NESTING refuses earlier).
    threading.stack_size(STACK_BYTES)
    worker = threading.Thread(target=_answer, args=(conn, handle), name="tasks")
    worker.start()
    worker.join()


def _answer(conn: Connection, handle: Callable) -> None:
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            break
        try:
            reply = handle(task)
        except MemoryError:
            reply = Reply.text(503, "Stopped: it needed more memory than a process of this endpoint may take.")
        except Exception as error:  # a bug, not the client's fault: say so instead of dying
            reply = Reply.text(500, f"Internal error in {type(task).__name__}: {error!r}")
        try:
            conn.send(reply)
        except OSError:  # the web process gave up on this task (timeout) or is gone
            break
        after_reply = getattr(handle, "after_reply", None)
        if after_reply is not None:  # work the reply need not wait for (the write process's upkeep)
            after_reply()
