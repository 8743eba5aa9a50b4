"""Flask-free processes that touch the store: the pool, the query, write and dump processes."""
