"""What a Kamervraag page says, as plain values: no RDF here, so other source formats can fill them too."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum


@dataclass(frozen=True)
class Member:
    """A submitter as printed: ``Barbara Kathmann (PvdA)``; party None when the page shows none.
    ``person_id`` is the Tweede Kamer's Persoon GUID, where the source gives it."""

    name: str
    party: str | None = None
    person_id: str | None = None


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
    """``Barbara Visser (minister infrastructuur en waterstaat) (VVD)``: one who signed an answer
    (or, on an openkamer page, one it prints under "Beantwoord door", which are the addressees)."""

    name: str
    roles: tuple[Role, ...]
    party: str | None = None
    person_id: str | None = None


@dataclass(frozen=True)
class Addressee:
    """A member of the cabinet the question was put to (the Tweede Kamer's ``Gericht aan``), with
    the function as the source writes it (``minister van Financiën``) split into roles."""

    name: str
    roles: tuple[Role, ...]
    function: str = ""
    person_id: str | None = None


@dataclass(frozen=True)
class AnswerDocument:
    """One published answer: the answer, or a later, further (*nader*) answer, with the persons
    who signed it. ``number`` is the Tweede Kamer's document number (2023D03153)."""

    identifier: str | None
    date: date | None
    title: str | None = None
    url: str | None = None
    supplementary: bool = False
    answerers: tuple[Answerer, ...] = ()
    number: str | None = None


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


class NoticeKind(Enum):
    """What a mededeling announces."""

    DELAY = "delay"  # the answer comes later than the three weeks (uitstel)
    WITHDRAWAL = "withdrawal"  # the member withdrew the question (intrekken)
    OTHER = "other"


@dataclass(frozen=True)
class Notice:
    """A mededeling: usually a notice of delay."""

    date: date
    text: str
    kind: NoticeKind = NoticeKind.DELAY
    identifier: str | None = None  # the published document's id, where it has one


class WarningKind(Enum):
    """What a page can get wrong without being unreadable; the mapping flags some of them."""

    ENCODING_REPAIRED = "encoding-repaired"
    UNKNOWN_TOPIC = "unknown-topic"
    UNRECOGNISED_HEADER_LINE = "unrecognised-header-line"
    DAYS_MISMATCH = "days-mismatch"
    MISSING_OFFICIAL_DOCUMENT = "missing-official-document"  # a harvest found no official text


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
    # What the official sources add: to whom the question was put, every answer document in
    # order with its signatories, and the date the question was withdrawn.
    addressees: tuple[Addressee, ...] = ()
    answer_documents: tuple[AnswerDocument, ...] = ()
    withdrawn: date | None = None
    warnings: tuple[PageWarning, ...] = field(default=(), compare=False)

    @property
    def is_answered(self) -> bool:
        return self.answered is not None

    @property
    def answers(self) -> tuple[AnswerDocument, ...]:
        """The answer documents in order; a page names one, with its answerers."""
        if self.answer_documents:
            return self.answer_documents
        if self.answer_document is None and self.answered is None:
            return ()
        return (AnswerDocument(self.answer_document, self.answered, self.answer_document_title, self.answer_url,
                               answerers=self.answerers),)

    @property
    def deadline(self) -> date:
        """The day the answer is due: three weeks after submission, three more after a notice of
        delay (the Tweede Kamer's rules of procedure)."""
        delayed = any(notice.kind is NoticeKind.DELAY for notice in self.notices)
        return self.submitted + timedelta(weeks=6 if delayed else 3)
