"""Child processes that touch the store, each stoppable at a deadline.

pyoxigraph cannot cancel a running query, so queries (and writes) run in child processes and one
that passes its time limit is killed and replaced. A pool keeps a fixed number of children, each
taking one task at a time.

Children are fresh interpreters (``python -m`` the module that handles their tasks, such as
``query_process``), not forks: the web process has threads, and forking a threaded process is
unsafe; a fresh interpreter also never re-imports the web server's main module. They are started
by one long-lived thread per pool, because Linux's parent-death signal, which kills a child whose
web process has died (``processes.die_with_parent``), follows the starting thread.
"""
from __future__ import annotations

import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from types import ModuleType

from kamergraph.endpoint.runtime import arrival
from kamergraph.endpoint.runtime.tasks import Reply


class TimeLimitExceeded(Exception):
    """The task ran past its time limit and its process was killed."""


class PoolBusy(Exception):
    """No child became free within the time limit."""


class ChildDied(Exception):
    """The child ended without answering (crashed, or was killed from outside)."""

    def __init__(self, exit_code: int | None):
        super().__init__(f"exit code {exit_code}")
        self.exit_code = exit_code


class Child:
    """One child process and the connection to it."""

    def __init__(self, module: ModuleType, config: dict):
        ours, theirs = socket.socketpair()
        with theirs:
            argv = [sys.executable, "-m", module.__name__, str(theirs.fileno()), str(os.getpid()), json.dumps(config)]
            self.process = subprocess.Popen(argv, pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL)
        self.conn = Connection(ours.detach())

    def ask(self, task, timeout: float) -> Reply:
        """Send a task and wait for the reply; kill the child at the time limit."""
        try:
            self.conn.send(task)
            if self.conn.poll(timeout):
                return self.conn.recv()
        except (EOFError, OSError) as error:
            # The connection closes a moment before the process ends: wait for its own exit status
            # (a crash's signal, say) rather than report the SIGKILL that kill() would send.
            try:
                self.process.wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
            self.kill()
            raise ChildDied(self.process.returncode) from error
        self.kill()
        raise TimeLimitExceeded()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.conn.close()


class Pool:
    """A fixed number of long-lived children of one kind: each runs ``module``, which answers tasks
    through ``child.serve``."""

    def __init__(self, size: int, module: ModuleType, config: dict):
        self.size = max(1, size)
        self.module, self.config = module, config
        self._idle: queue.Queue[Child] = queue.Queue()
        self._requests: queue.Queue[bool] = queue.Queue()  # True: start a child; False: stop
        self._lock = threading.Lock()
        self._spawner: threading.Thread | None = None
        self._children: set[Child] = set()
        self._closed = False

    def start(self) -> None:
        """Start the children (in the background); idempotent."""
        with self._lock:
            if self._spawner is not None or self._closed:
                return
            name = f"{self.module.__name__}-spawner"
            self._spawner = threading.Thread(target=self._spawn_loop, name=name, daemon=True)
            self._spawner.start()
            for _ in range(self.size):
                self._requests.put(True)

    def run(self, task, timeout: float) -> Reply:
        """The reply to a task; waiting for a free child and running the task get ``timeout`` each.
        The wait includes the time the request already spent queued in the web process."""
        self.start()
        try:
            child = self._idle.get(timeout=max(0.0, timeout - arrival.waited()))
        except queue.Empty:
            raise PoolBusy() from None
        try:
            reply = child.ask(task, timeout)
        except (TimeLimitExceeded, ChildDied):
            self._forget(child)
            raise
        self._idle.put(child)
        return reply

    def close(self) -> None:
        with self._lock:
            self._closed = True
            children = list(self._children)
        self._requests.put(False)
        for child in children:
            child.kill()

    def _forget(self, child: Child) -> None:
        with self._lock:
            self._children.discard(child)
            if self._closed:
                return
        self._requests.put(True)  # a replacement, so the client hears of its failure at once

    def _spawn_loop(self) -> None:
        while self._requests.get():
            try:
                child = Child(self.module, self.config)
            except OSError:  # out of processes or memory for now: try again shortly
                time.sleep(1)
                self._requests.put(True)
                continue
            with self._lock:
                if self._closed:
                    child.kill()
                    return
                self._children.add(child)
            self._idle.put(child)
