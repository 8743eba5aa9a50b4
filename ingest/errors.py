"""Errors that name the place of the problem, so a batch can report them in one line each."""
from __future__ import annotations


class PageError(ValueError):
    """A page that cannot be read as a Kamervraag page; line is 1-based, 0 when it is the whole file."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.message = message
        self.line = line

    def located(self, source: str) -> str:
        """``source:line: message``: the form compilers use, so editors can jump to it."""
        where = f"{source}:{self.line}" if self.line else source
        return f"{where}: {self.message}"
