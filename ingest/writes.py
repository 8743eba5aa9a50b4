"""Batch writes that run beside the parsing: up to ``store.write_threads`` batches at once.

Oxigraph's bulk loader works on one core per call and lets go of the GIL, so while one batch is
written the next can be chosen, and a second write can use the other core. Each batch is still
one atomic write; only their order is loosened, and a batch never starts while an earlier one
that touches the same question graphs is unfinished.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor

from kamergraph.graph import GraphStore


class BatchWriter:
    def __init__(self, store: GraphStore):
        self.store = store
        self.threads = max(1, store.write_threads)
        self._pool = ThreadPoolExecutor(self.threads, "kamergraph-write") if self.threads > 1 else None
        self._pending: deque[tuple[Future, frozenset[str], Callable[[], None]]] = deque()

    def wait_for(self, graphs: Iterable[str]) -> None:
        """Finish the writes that touch any of these graphs (and every write before them), so
        that what the store holds for them can be read."""
        graphs = set(graphs)
        last = max((n for n, (_, touched, _) in enumerate(self._pending) if touched & graphs), default=-1)
        for _ in range(last + 1):
            self._finish_oldest()

    def submit(self, data: bytes, replace: list[str], graphs: Iterable[str], written: Callable[[], None]) -> None:
        """Write one batch; ``written`` runs in this thread once the batch is stored."""
        if self._pool is None:
            self.store.write_nquads(data, replace=replace)
            written()
            return
        while len(self._pending) >= self.threads:
            self._finish_oldest()
        future = self._pool.submit(self.store.write_nquads, data, replace=replace)
        self._pending.append((future, frozenset(graphs), written))

    def finish(self) -> None:
        """Wait for every write; the first failure is raised once all have ended."""
        failure = None
        while self._pending:
            try:
                self._finish_oldest()
            except Exception as error:  # the others still have to end before the store is closed
                failure = failure or error
        if self._pool is not None:
            self._pool.shutdown()
        if failure is not None:
            raise failure

    def _finish_oldest(self) -> None:
        future, _, written = self._pending.popleft()
        future.result()
        written()
