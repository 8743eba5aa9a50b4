"""Derived indexes kept beside the store: full-text search and the page index."""
