"""The one object views talk to: it sends tasks to query and write processes and turns their
failures into replies. Created by the app factory, started on first use (or by the server when a
worker boots), so building an app starts no process.
"""
from __future__ import annotations

import math
import signal

from kamergraph.config import Settings
from kamergraph.endpoint.runtime import query_process, write_process
from kamergraph.endpoint.runtime.pool import ChildDied, Pool, PoolBusy, TimeLimitExceeded
from kamergraph.endpoint.runtime.replies import ReplyCache, repeatable
from kamergraph.endpoint.runtime.tasks import Query, ReadGraph, Reply, Rows, Update, WriteGraph
from kamergraph.graph import is_remote

EXTENSION = "kamergraph"


class Backend:
    def __init__(self, settings: Settings):
        self.settings = settings
        # Without federation, the processes that run the engine get no network (runtime/isolation.py);
        # those of a remote store need it to reach the store.
        isolate = not settings.allow_service and not is_remote(settings.store)
        query_config = {"store": settings.store, "max_rows": settings.max_rows, "max_response": settings.max_response,
                        "allow_service": settings.allow_service, "isolate_network": isolate,
                        "memory_limit": settings.query_memory}
        self.queries = Pool(settings.query_workers, query_process, query_config)
        # The site's own page queries (known, cheap) have processes of their own: clients' SPARQL,
        # however slow, never holds the pages.
        self.pages = Pool(settings.page_workers, query_process, query_config)
        # One writer: writes from this web process take turns, as RocksDB would make them anyway.
        self.writes = Pool(
            1,
            write_process,
            {
                "store": settings.store,
                "base_iri": settings.base_iri,
                "allow_service": settings.allow_service,
                "isolate_network": isolate,
                "memory_limit": settings.query_memory,
                "lock_wait": min(5.0, settings.query_timeout / 2),
            },
        )
        # Answers to queries that give the same answer on the same store state, until it changes.
        self.replies = ReplyCache(settings.store)

    def start(self) -> None:
        self.queries.start()
        self.pages.start()
        self.writes.start()

    def close(self) -> None:
        self.queries.close()
        self.pages.close()
        self.writes.close()

    def query(self, task: Query | ReadGraph | Rows, *, keep: bool = True) -> Reply:
        """A client's query; its reply kept until the store changes when it is ``keep`` and
        ``repeatable``."""
        if keep and _repeatable(task):
            return self.replies.reply(task, lambda: self._query(task))
        return self._query(task)

    def _query(self, task: Query | ReadGraph | Rows) -> Reply:
        return self._run(
            self.queries,
            task,
            stopped=f"Query stopped: it ran longer than the time limit of {self._limit()}.",
            busy=f"All query processes stayed busy for {self._limit()}; try again later.",
            died="The query process died while running this query ({error}).",
        )

    def page_query(self, task: Query | ReadGraph | Rows) -> Reply:
        """A query the site itself makes for a page, in the page processes (kept like ``query``'s)."""
        if _repeatable(task):
            return self.replies.reply(("page", task), lambda: self._page_query(task))
        return self._page_query(task)

    def _page_query(self, task: Query | ReadGraph | Rows) -> Reply:
        return self._run(
            self.pages,
            task,
            stopped=f"Query stopped: it ran longer than the time limit of {self._limit()}.",
            busy=f"All page query processes stayed busy for {self._limit()}; try again later.",
            died="The query process died while running this query ({error}).",
        )

    def write(self, task: Update | WriteGraph) -> Reply:
        return self._run(
            self.writes,
            task,
            stopped=f"Write stopped: it ran longer than the time limit of {self._limit()}; nothing was changed.",
            busy=f"Other writes kept the writer busy for {self._limit()}; try again later.",
            died="The write process died ({error}); nothing was changed.",
        )

    def _run(self, pool: Pool, task, stopped: str, busy: str, died: str) -> Reply:
        """Run a task in a pool, its failures as replies (``died`` names the error as ``{error}``)."""
        try:
            return pool.run(task, self.settings.query_timeout)
        except TimeLimitExceeded:
            return Reply.text(503, stopped)
        except PoolBusy:
            return Reply.text(
                503, busy, headers=(("Retry-After", str(math.ceil(self.settings.query_timeout))),)
            )
        except ChildDied as error:
            if error.exit_code == -signal.SIGABRT:  # an allocation over the memory limit aborts the engine
                return Reply.text(503, f"Stopped: it needed more memory than the limit of "
                                       f"{self.settings.query_memory // 1_048_576} MiB a process may take.")
            return Reply.text(500, died.format(error=error))

    def _limit(self) -> str:
        return f"{self.settings.query_timeout:g} s"


def _repeatable(task: Query | ReadGraph | Rows) -> bool:
    """Whether the task's answer depends on the store's state alone (a graph read always does)."""
    if isinstance(task, Query):
        return repeatable(task.sparql)
    if isinstance(task, Rows):
        return all(repeatable(text) for text in task.queries)
    return True
