"""The one object views talk to: it sends tasks to query and write processes and turns their
failures into replies. Created by the app factory, started on first use (or by the server when a
worker boots), so building an app starts no process.
"""
from __future__ import annotations

import math

from flask import current_app

from kamergraph.config import Settings

from .pool import ChildDied, Pool, PoolBusy, TimeLimitExceeded
from .tasks import Query, ReadGraph, Reply, Update, WriteGraph

EXTENSION = "kamergraph"


class Backend:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.queries = Pool(
            settings.query_workers,
            "endpoint.worker",
            {"store": settings.store, "max_rows": settings.max_rows, "allow_service": settings.allow_service},
        )
        # One writer: writes from this web process take turns, as RocksDB would make them anyway.
        self.writes = Pool(
            1,
            "endpoint.writer",
            {
                "store": settings.store,
                "allow_service": settings.allow_service,
                "lock_wait": min(5.0, settings.query_timeout / 2),
            },
        )

    def start(self) -> None:
        self.queries.start()
        self.writes.start()

    def close(self) -> None:
        self.queries.close()
        self.writes.close()

    def query(self, task: Query | ReadGraph) -> Reply:
        try:
            return self.queries.run(task, self.settings.query_timeout)
        except TimeLimitExceeded:
            return Reply.text(
                503, f"Query stopped: it ran longer than the time limit of {self._limit()}."
            )
        except PoolBusy:
            return Reply.text(
                503,
                f"All query processes stayed busy for {self._limit()}; try again later.",
                headers=(("Retry-After", str(math.ceil(self.settings.query_timeout))),),
            )
        except ChildDied as error:
            return Reply.text(500, f"The query process died while running this query ({error}).")

    def write(self, task: Update | WriteGraph) -> Reply:
        try:
            return self.writes.run(task, self.settings.query_timeout)
        except TimeLimitExceeded:
            return Reply.text(
                503, f"Write stopped: it ran longer than the time limit of {self._limit()}; nothing was changed."
            )
        except PoolBusy:
            return Reply.text(
                503,
                f"Other writes kept the writer busy for {self._limit()}; try again later.",
                headers=(("Retry-After", str(math.ceil(self.settings.query_timeout))),),
            )
        except ChildDied as error:
            return Reply.text(500, f"The write process died ({error}); nothing was changed.")

    def _limit(self) -> str:
        return f"{self.settings.query_timeout:g} s"


def backend() -> Backend:
    return current_app.extensions[EXTENSION]
