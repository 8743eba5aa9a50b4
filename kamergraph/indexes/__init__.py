"""Derived indexes kept beside the store: full-text search and the page index."""

from functools import cache


@cache
def index_file_suffixes() -> tuple[str, ...]:
    """How the names of the files kept beside a store end: each index (``STORE.search.sqlite``,
    ``STORE.pages.sqlite``, see graph.cache_path) and what SQLite and the page index's rebuild
    keep beside it. Such a file is never a page, even under a folder being ingested."""
    from .pages import index_path_for as pages_path
    from .search import index_path_for as search_path

    indexes = [path("store").name.removeprefix("store") for path in (search_path, pages_path)]
    return tuple(index + companion for index in indexes for companion in ("", "-journal", "-wal", "-shm", ".lock"))
