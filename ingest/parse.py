"""The Kamervraag page (openkamer's text form) as a Kamervraag record.

The page is read line by line: a header of ``Label value`` lines, then ``• Vraag N`` and
``• Mededeling - DATE`` blocks, then a footer of document numbers. Every problem is a PageError
carrying the line it was found on.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from .dutch import parse_long_date, repair_encoding
from .errors import PageError
from .records import (
    Answerer,
    Footnote,
    Kamervraag,
    Member,
    Notice,
    NoticeKind,
    PageWarning,
    Role,
    SubQuestion,
    WarningKind,
)
from .topics import TopicSegmenter

ZAAK_PATTERN = re.compile(r"\d{4}Z\d{5}")

_FIRST_LINE = re.compile(r"Kamervraag\s+(\S+)")
_ANSWERED = re.compile(r"(.+?)\s*(?:\(na\s+(\d+)\s+dagen?\))?")
_FOOTNOTE_LINE = re.compile(r"(\d{1,3})\.\s+(\S.*)")
_BULLET = "•"
_VRAAG = re.compile(r"Vraag\s+(\S+)")
_MEDEDELING = re.compile(r"Mededeling\s*-\s*(.+)")
_QUESTION_DOC = "Kamervraag document nummer:"
_ANSWER_DOC = "Kamerantwoord document nummer:"
_FULL_TITLE = "Volledige titel:"
# What the mapping turns into IRIs must be one: an absolute http(s) URL of RFC 3986 characters
# (path, query, fragment), and a document number of letters, digits, dots, hyphens, underscores.
_PCHAR = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})"
_URL = re.compile(
    rf"https?://[A-Za-z0-9.-]+(?::[0-9]*)?(?:/{_PCHAR}*)*(?:\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?"
)
_DOCUMENT_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

# A footnote number glued to the text after punctuation (``zijn»2?``, ``levenssfeer.3``,
# ``ontvangen.5Zoals``) but not a decimal (``1.5``, ``2,5``).
# The punctuation comes first so the regex engine can skip ahead to it rather than try the
# lookbehind at every position; the lookbehind then says it does not follow a digit.
_FOOTNOTE_MARKER = re.compile(
    r"([»”\"’).?!;:,])(?<!\d[»”\"’).?!;:,])(\d{1,2})(?=[\s.,;:?!»”\"’)]|[A-Z]|$)"
)
_ROLE_START = re.compile(r"\s*,\s*(?=(?:vice)?minister|staatssecretaris)", re.IGNORECASE)
# Sub-question numbers an answer points to: "2", "2 en 4", "2, 3 & 5", "2 t/m 4", "2 tot en met 4",
# "vraag 2 en vraag 4".
_NUMBERS = (
    r"\d{1,3}(?:\s*(?:t/m|tot\s+en\s+met|-|–)\s*\d{1,3})?"
    r"(?:\s*(?:,|en|&)\s*(?:vra(?:ag|gen)\s+)?\d{1,3}(?:\s*(?:t/m|tot\s+en\s+met|-|–)\s*\d{1,3})?)*"
)
# Not when the numbers are another question's: "vraag 3 van de leden Van Dam en Kuiken (2021Z15000)".
_ELSEWHERE = r"(?!\d|\s*(?:van\s+(?:het\s+lid|de\s+leden)\b|\(?\s*\d{4}Z\d{5}))"
_REFERENCE = re.compile(
    rf"antwoord(?:en)?\s+(?:op\s+)?(?:de\s+)?(?:vra(?:ag|gen)\s+)?({_NUMBERS}){_ELSEWHERE}",
    re.IGNORECASE,
)
_POINTER_ONLY = re.compile(
    r"(?:zie\s+)?(?:ook\s+)?(?:het\s+|mijn\s+|de\s+)?antwoord(?:en)?\s+(?:op\s+)?(?:de\s+)?(?:vra(?:ag|gen)\s+)?"
    rf"{_NUMBERS}{_ELSEWHERE}\s*\.?",
    re.IGNORECASE,
)
_RANGE = re.compile(r"(\d{1,3})(?:\s*(?:t/m|tot\s+en\s+met|-|–)\s*(\d{1,3}))?", re.IGNORECASE)


@lru_cache(maxsize=1)
def default_segmenter() -> TopicSegmenter:
    from .refdata import load_reference

    return TopicSegmenter(topic.label for topic in load_reference().topics)


def parse_page(text: str, segmenter: TopicSegmenter | None = None) -> Kamervraag:
    """Parse one page's text; PageError when it is not a readable Kamervraag page."""
    return _PageReader(text, segmenter or default_segmenter()).read()


@dataclass
class _Block:
    kind: str  # "vraag" or "mededeling"
    line: int
    label: str  # what the heading names: the question number, the notice's date
    lines: list[tuple[int, str]] = field(default_factory=list)


class _PageReader:
    def __init__(self, text: str, segmenter: TopicSegmenter):
        # Composed form (NFC): a decomposed ë ("e" + U+0308) must find the same names as ë.
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        text, repaired = repair_encoding(text)
        self.lines = [line.rstrip("\r") for line in text.split("\n")]
        self.segmenter = segmenter
        self.warnings: list[PageWarning] = []
        if repaired:
            self.warnings.append(PageWarning(WarningKind.ENCODING_REPAIRED, "encoding damage repaired"))
        self.fields: dict = {}

    def read(self) -> Kamervraag:
        position = self._read_first_lines()
        position = self._read_header(position)
        blocks, footer = self._read_body(position)
        self._read_footer(footer)
        subquestions = self._subquestions([b for b in blocks if b.kind == "vraag"])
        notices = tuple(self._notice(b) for b in blocks if b.kind == "mededeling")
        self._check_dates()
        withdrawn = next((n.date for n in notices if n.kind is NoticeKind.WITHDRAWAL), None)
        return Kamervraag(
            subquestions=subquestions,
            notices=notices,
            withdrawn=withdrawn,
            warnings=tuple(self.warnings),
            **self.fields,
        )

    # -- the parts of the page, in order

    def _read_first_lines(self) -> int:
        position = self._next_nonblank(0)
        if position is None:
            raise PageError("empty file: no Kamervraag page")
        first = self.lines[position].strip()
        if first.startswith("<"):
            raise PageError("not a Kamervraag page: looks like HTML or XML", position + 1)
        match = _FIRST_LINE.fullmatch(first)
        if not match:
            raise PageError(
                f"not a Kamervraag page: expected 'Kamervraag <zaak number>', found {_clip(first)!r}",
                position + 1,
            )
        zaak = match.group(1)
        if not ZAAK_PATTERN.fullmatch(zaak):
            raise PageError(
                f"zaak number {_clip(zaak)!r} is not of the form YYYYZNNNNN (e.g. 2021Z16860)",
                position + 1,
            )
        self.fields["zaak"] = zaak
        title_at = self._next_nonblank(position + 1)
        if title_at is None:
            raise PageError("truncated: the page ends before its title", position + 1)
        title = " ".join(self.lines[title_at].split())
        if title.startswith(("Ingediend ", _BULLET)):
            raise PageError("the page has no title line", title_at + 1)
        self.fields["title"] = title
        return title_at + 1

    def _read_header(self, position: int) -> int:
        footnotes: list[Footnote] = []
        while position < len(self.lines):
            line = self.lines[position].strip()
            number = position + 1
            if line.startswith((_BULLET, _QUESTION_DOC)):
                break
            position += 1
            if not line:
                continue
            label, _, value = line.partition(" ")
            value = value.strip()
            if label == "Ingediend":
                self.fields["submitted"] = _date(value, number)
            elif line.startswith("Beantwoord door "):
                self.fields["answerers"] = _answerers(line[len("Beantwoord door "):], number)
            elif label == "Beantwoord":
                self._answered(value, number)
            elif label in ("Indiener", "Indieners"):
                self.fields["submitters"] = _members(value, number)
            elif label == "Onderwerpen":
                topics, unknown = self.segmenter.segment(value)
                self.fields["topics"] = topics
                self.warnings.extend(PageWarning(WarningKind.UNKNOWN_TOPIC, f"unknown topic {t!r}", number)
                                     for t in unknown)
            elif line.startswith("Bron vraag "):
                self.fields["question_url"] = _url(line[len("Bron vraag "):].strip(), number)
            elif line.startswith("Bron antwoord "):
                self.fields["answer_url"] = _url(line[len("Bron antwoord "):].strip(), number)
            elif match := _FOOTNOTE_LINE.fullmatch(line):
                footnotes.append(Footnote(int(match.group(1)), match.group(2).strip()))
            else:
                self.warnings.append(
                    PageWarning(WarningKind.UNRECOGNISED_HEADER_LINE, "unrecognised header line ignored", number))
        if "submitted" not in self.fields:
            raise PageError("missing 'Ingediend <date>' line", position)
        if not self.fields.get("submitters"):
            raise PageError("missing 'Indiener' or 'Indieners' line", position)
        self.fields["footnotes"] = tuple(footnotes)
        return position

    def _read_body(self, position: int) -> tuple[list[_Block], int]:
        blocks: list[_Block] = []
        while position < len(self.lines):
            raw = self.lines[position]
            line = raw.strip()
            number = position + 1
            if line.startswith(_QUESTION_DOC):
                return blocks, position
            if line.startswith(_BULLET):
                heading = line[len(_BULLET):].strip()
                if vraag := _VRAAG.fullmatch(heading):
                    blocks.append(_Block("vraag", number, vraag.group(1)))
                elif mededeling := _MEDEDELING.fullmatch(heading):
                    blocks.append(_Block("mededeling", number, mededeling.group(1)))
                else:
                    raise PageError(f"unknown block {_clip(heading)!r}", number)
            elif not blocks:
                if line:
                    raise PageError(f"text before the first block: {_clip(line)!r}", number)
            else:
                blocks[-1].lines.append((number, line))
            position += 1
        # A final newline ends the last line; it does not start another one.
        last = len(self.lines) - 1 if len(self.lines) > 1 and self.lines[-1] == "" else len(self.lines)
        raise PageError(
            f"truncated: the page ends at line {last} without its footer ('{_QUESTION_DOC} ...')",
            last,
        )

    def _read_footer(self, position: int) -> None:
        current = None
        for index in range(position, len(self.lines)):
            line = self.lines[index].strip()
            if line.startswith(_QUESTION_DOC):
                current = "question_document"
                number = _document_number(line[len(_QUESTION_DOC):].strip(), index + 1)
                # A question's document is kv-tk-<zaak>: another one would lend this page's title
                # to a document of another question.
                own = f"kv-tk-{self.fields['zaak']}"
                if number and number.lower() != own.lower():
                    raise PageError(f"the question document {number!r} is not this question's ({own})", index + 1)
                self.fields[current] = number
            elif line.startswith(_ANSWER_DOC):
                current = "answer_document"
                self.fields[current] = _document_number(line[len(_ANSWER_DOC):].strip(), index + 1)
            elif line.startswith(_FULL_TITLE) and current:
                self.fields[current + "_title"] = " ".join(line[len(_FULL_TITLE):].split())
            elif line:
                raise PageError(f"unexpected text in the footer: {_clip(line)!r}", index + 1)

    # -- blocks

    def _subquestions(self, blocks: list[_Block]) -> tuple[SubQuestion, ...]:
        numbers = []
        for expected, block in enumerate(blocks, start=1):
            label = block.label
            if not label.isdigit():
                raise PageError(f"question number {_clip(label)!r} is not a number", block.line)
            number = int(label)
            if number in numbers:
                raise PageError(f"Vraag {number} occurs twice", block.line)
            if number != expected:
                raise PageError(f"Vraag {number} where Vraag {expected} was expected", block.line)
            numbers.append(number)
        # An answer can only point to answers the page has: a reference to a sub-question whose
        # answer is missing has no answer to link to.
        split = [_paragraphs(block.lines) for block in blocks]
        answered = {n for paragraphs, n in zip(split, numbers, strict=True) if len(paragraphs) > 1}
        return tuple(
            self._subquestion(block, paragraphs, n, answered)
            for block, paragraphs, n in zip(blocks, split, numbers, strict=True)
        )

    def _subquestion(self, block: _Block, paragraphs: list, number: int, existing: set[int]) -> SubQuestion:
        if not paragraphs:
            raise PageError(f"Vraag {number} has no text (truncated?)", block.line)
        question, question_notes = _strip_markers("\n".join(paragraphs[0]))
        answer = answer_notes = None
        refers: tuple[int, ...] = ()
        combined = False
        if len(paragraphs) > 1:
            answer_text = "\n".join(line for paragraph in paragraphs[1:] for line in paragraph)
            answer, answer_notes = _strip_markers(answer_text)
            refers = _references(answer, number, existing)
            combined = bool(refers) and bool(_POINTER_ONLY.fullmatch(answer))
        return SubQuestion(
            number=number,
            question=question,
            answer=answer,
            question_footnotes=question_notes,
            answer_footnotes=answer_notes or (),
            refers_to=refers,
            combined=combined,
            line=block.line,
        )

    def _notice(self, block: _Block) -> Notice:
        when = _date(block.label, block.line)
        text = "\n".join(line for paragraph in _paragraphs(block.lines) for line in paragraph)
        return Notice(date=when, text=text, kind=notice_kind(text))

    # -- checks across fields

    def _answered(self, value: str, number: int) -> None:
        match = _ANSWERED.fullmatch(value)
        if match is None:
            raise PageError("'Beantwoord' without a date", number)
        self.fields["answered"] = _date(match.group(1), number)
        if match.group(2) is not None:
            self.fields["days"] = int(match.group(2))
        self._answered_line = number

    def _check_dates(self) -> None:
        submitted, answered = self.fields["submitted"], self.fields.get("answered")
        if answered is None:
            return
        line = getattr(self, "_answered_line", 0)
        if answered < submitted:
            raise PageError(
                f"answered on {answered.isoformat()}, before it was submitted on {submitted.isoformat()}",
                line,
            )
        actual = (answered - submitted).days
        if self.fields.get("days") is None:
            self.fields["days"] = actual
        elif self.fields["days"] != actual:
            self.warnings.append(PageWarning(
                WarningKind.DAYS_MISMATCH,
                f"page says {self.fields['days']} days, the dates are {actual} days apart",
                line,
            ))

    def _next_nonblank(self, position: int) -> int | None:
        while position < len(self.lines):
            if self.lines[position].strip():
                return position
            position += 1
        return None


def _date(text: str, line: int):
    try:
        return parse_long_date(text)
    except ValueError as error:
        raise PageError(str(error), line) from None


def _url(text: str, line: int) -> str:
    if not _URL.fullmatch(text):
        raise PageError(f"source URL {_clip(text)!r} is not an http(s) URL", line)
    return text


def _document_number(text: str, line: int) -> str:
    if text and not _DOCUMENT_NUMBER.fullmatch(text):
        raise PageError(
            f"document number {_clip(text)!r} is not one word of letters, digits and hyphens", line
        )
    return text


def _split_top_level(text: str) -> list[str]:
    """Split on commas that are not inside parentheses."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif char == "," and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return [" ".join(part.split()) for part in parts if part.strip()]


_NAME_AND_GROUPS = re.compile(r"([^()]+?)\s*((?:\([^()]*\)\s*)*)")
_GROUP = re.compile(r"\(([^()]*)\)")


def _name_and_groups(item: str, line: int) -> tuple[str, list[str]]:
    match = _NAME_AND_GROUPS.fullmatch(item)
    if not match or not match.group(1).strip():
        raise PageError(f"cannot read the name in {_clip(item)!r}", line)
    groups = [" ".join(group.split()) for group in _GROUP.findall(match.group(2))]
    return " ".join(match.group(1).split()), groups


def _members(text: str, line: int) -> tuple[Member, ...]:
    members = []
    for item in _split_top_level(text):
        name, groups = _name_and_groups(item, line)
        if len(groups) > 1:
            raise PageError(f"submitter {_clip(item)!r} has more than one party", line)
        members.append(Member(name, groups[0] if groups else None))
    if not members:
        raise PageError("no submitter named", line)
    return tuple(members)


def _answerers(text: str, line: int) -> tuple[Answerer, ...]:
    answerers = []
    for item in _split_top_level(text):
        name, groups = _name_and_groups(item, line)
        if not groups or not _looks_like_roles(groups[0]):
            raise PageError(f"answerer {_clip(item)!r} has no cabinet role", line)
        roles = tuple(_role(part, line) for part in _ROLE_START.split(groups[0]) if part.strip())
        party = groups[1] if len(groups) > 1 else None
        answerers.append(Answerer(name, roles, party))
    return tuple(answerers)


def cabinet_roles(function: str) -> tuple[Role, ...]:
    """The roles in a function as the Tweede Kamer writes it (``minister van Financiën``,
    ``minister-president, minister van Algemene Zaken``); empty when it names no cabinet role
    (``Tweede Kamerlid``)."""
    text = " ".join(function.split()).strip(" ,")
    if text.lower().startswith("minister-president"):
        return (Role(text.lower(), "minister-president"),)
    if not _looks_like_roles(text):
        return ()
    roles = []
    for part in _ROLE_START.split(text):
        if part.strip():
            try:
                roles.append(_role(part, 0))
            except PageError:
                return ()
    return tuple(roles)


def _looks_like_roles(text: str) -> bool:
    return text.lower().startswith(("minister", "staatssecretaris", "viceminister"))


def _role(text: str, line: int) -> Role:
    text = " ".join(text.split()).strip(" ,")
    lower = text.lower()
    for kind in ("viceminister-president", "minister-president", "minister zonder portefeuille"):
        if lower == kind or lower.startswith(kind + " "):
            return Role(text, kind, None)
    if lower.startswith("minister voor "):
        return Role(text, "minister voor", lower[len("minister voor "):].strip())
    for kind in ("minister", "staatssecretaris"):
        if lower.startswith(kind + " "):
            portfolio = lower[len(kind) + 1:].strip()
            if portfolio.startswith("van "):
                portfolio = portfolio[4:]
            return Role(text, kind, portfolio)
    raise PageError(f"unknown cabinet role {_clip(text)!r}", line)


def _paragraphs(lines: list[tuple[int, str]]) -> list[list[str]]:
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for _, line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs


def _strip_markers(text: str) -> tuple[str, tuple[int, ...]]:
    markers: list[int] = []

    def remove(match: re.Match) -> str:
        markers.append(int(match.group(2)))
        following = match.string[match.end():match.end() + 1]
        return match.group(1) + (" " if following.isalpha() else "")

    return _FOOTNOTE_MARKER.sub(remove, text), tuple(markers)


def _references(answer: str, own: int, existing: set[int]) -> tuple[int, ...]:
    found: set[int] = set()
    for match in _REFERENCE.finditer(answer):
        for start, end in _RANGE.findall(match.group(1)):
            first = int(start)
            last = int(end) if end and int(end) >= first else first
            found.update(value for value in range(first, last + 1) if value != own and value in existing)
    return tuple(sorted(found))


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_WITHDRAWAL = re.compile(r"\bintrek(?:ken|king)\b|\bingetrokken\b", re.IGNORECASE)


def notice_kind(text: str) -> NoticeKind:
    """A mededeling that speaks of withdrawing the questions is a withdrawal (the Tweede Kamer files
    both as 'Mededeling'); any other a notice of delay, which is what almost all of them are."""
    return NoticeKind.WITHDRAWAL if _WITHDRAWAL.search(text) else NoticeKind.DELAY
