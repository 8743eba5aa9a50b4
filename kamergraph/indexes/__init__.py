"""Derived indexes kept beside the store: full-text search and the page index."""

from functools import cache


@cache
def index_file_suffixes() -> tuple[str, ...]:
    """How the names of the files kept beside a store end: each index (``STORE.search.sqlite``,
    ``STORE.pages.sqlite``, see graph.cache_path), what SQLite and the page index's rebuild keep
    beside it, and the journal of the endpoint's writes (``STORE.pages.journal``). Such a file is
    never a page, even under a folder being ingested."""
    from .page_journal import journal_path
    from .pages import index_path_for as pages_path
    from .search import index_path_for as search_path

    indexes = [path("store").name.removeprefix("store") for path in (search_path, pages_path)]
    journal = journal_path("store").name.removeprefix("store")  # the endpoint's writes, for the page index
    return (*(index + companion for index in indexes for companion in ("", "-journal", "-wal", "-shm", ".lock")),
            journal)
