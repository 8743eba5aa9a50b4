"""What a Kamervraag page says, as plain values: no RDF here, so other source formats can fill them too."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum


@dataclass(frozen=True)
class Member:
    """A submitter as printed: ``Barbara Kathmann (PvdA)``; party None when the page shows none."""

    name: str
    party: str | None = None


@dataclass(frozen=True)
class Role:
    """One cabinet role as printed, split into its kind and what it is about.

    kind is ``minister``, ``minister voor``, ``minister zonder portefeuille``, ``staatssecretaris``,
    ``minister-president`` or ``viceminister-president``; portfolio is the ministry name
    (``infrastructuur en waterstaat``) for ``minister`` and ``staatssecretaris``, the portfolio
    (``medische zorg``) for ``minister voor``, and None for the others.
    """

    text: str
    kind: str
    portfolio: str | None = None


@dataclass(frozen=True)
class Answerer:
    """``Barbara Visser (minister infrastructuur en waterstaat) (VVD)``."""

    name: str
    roles: tuple[Role, ...]
    party: str | None = None


@dataclass(frozen=True)
class Footnote:
    number: int
    text: str


@dataclass(frozen=True)
class SubQuestion:
    """One ``• Vraag N`` block.

    Footnote markers glued to the text (``onveilig zijn»2?``) are taken out of the text and kept in
    the *_footnotes tuples. ``refers_to`` lists the sub-question numbers whose answer this answer
    points to (``Zie het antwoord op vraag 4``); ``combined`` is true when the answer is nothing but
    such a pointer.
    """

    number: int
    question: str
    answer: str | None = None
    question_footnotes: tuple[int, ...] = ()
    answer_footnotes: tuple[int, ...] = ()
    refers_to: tuple[int, ...] = ()
    combined: bool = False
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Notice:
    """A mededeling (notice of delay)."""

    date: date
    text: str


class WarningKind(Enum):
    """What a page can get wrong without being unreadable; the mapping flags some of them."""

    ENCODING_REPAIRED = "encoding-repaired"
    UNKNOWN_TOPIC = "unknown-topic"
    UNRECOGNISED_HEADER_LINE = "unrecognised-header-line"
    DAYS_MISMATCH = "days-mismatch"


@dataclass(frozen=True)
class PageWarning:
    """One thing the parser noticed: its kind for programs, its message for people."""

    kind: WarningKind
    message: str
    line: int = 0  # 1-based; 0 when it is about the whole page

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass(frozen=True)
class Kamervraag:
    """One written question with everything the page tells about it."""

    zaak: str
    title: str
    submitted: date
    answered: date | None = None
    days: int | None = None
    submitters: tuple[Member, ...] = ()
    answerers: tuple[Answerer, ...] = ()
    topics: tuple[str, ...] = ()
    question_url: str | None = None
    answer_url: str | None = None
    question_document: str | None = None
    question_document_title: str | None = None
    answer_document: str | None = None
    answer_document_title: str | None = None
    footnotes: tuple[Footnote, ...] = ()
    subquestions: tuple[SubQuestion, ...] = ()
    notices: tuple[Notice, ...] = ()
    warnings: tuple[PageWarning, ...] = field(default=(), compare=False)

    @property
    def is_answered(self) -> bool:
        return self.answered is not None
