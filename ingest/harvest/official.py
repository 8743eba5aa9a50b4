"""The official texts on officielebekendmakingen: a question or answer document's XML (the
sub-questions and answers by number, footnotes, the notice in ``kamervraagopmerking``) and its
``metadata.xml`` (topics in ``OVERHEID.category``, dates).

Element names follow the published *officiele-publicatie* layout: ``kamervragen`` holds
``kamervraagkop``, then ``vraag`` and ``antwoord`` blocks (``nr`` and ``al``), ``noot`` elements
(``noot.nr``, ``noot.al``) that ``nootref/@refid`` points to, and ``kamervraagopmerking``; the
older layout has ``vragen``/``omschr`` and the same ``vraag``/``antwoord`` blocks.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date

from kamergraph.ingest.records import Footnote, SubQuestion


class OfficialError(ValueError):
    """A document that is not readable XML of the expected kind."""


@dataclass(frozen=True)
class Metadata:
    identifier: str | None = None
    title: str | None = None
    topics: tuple[str, ...] = ()
    submitted: date | None = None  # OVERHEIDop.datumIndiening
    received: date | None = None  # OVERHEIDop.datumOntvangst: the answer's date
    issued: date | None = None


@dataclass(frozen=True)
class OfficialText:
    """What one document says: its numbered blocks, its footnotes and its notice, if any."""

    questions: dict[int, str] = field(default_factory=dict)
    question_notes: dict[int, tuple[int, ...]] = field(default_factory=dict)
    answers: dict[int, str] = field(default_factory=dict)
    answer_notes: dict[int, tuple[int, ...]] = field(default_factory=dict)
    # Sub-questions answered together ("Antwoord 2, 5"): 5 -> 2, the first of the group.
    answered_with: dict[int, int] = field(default_factory=dict)
    footnotes: tuple[Footnote, ...] = ()
    remark: str | None = None  # kamervraagopmerking: the text of a mededeling


def parse_sru(data: bytes) -> dict[str, dict[str, str]]:
    """The manifestations of each record in an SRU 2.0 answer of repository.overheid.nl in its
    ``gzd`` schema: identifier (``owmskern/identifier``) → {``xml``: URL, ``metadata``: URL, …}
    (``enrichedData/itemUrl/@manifestation``). Read by local names: the service's prefixes vary."""
    root = _root(data, "SRU answer")
    if _local(root.tag) == "diagnostics" or any(_local(e.tag) == "diagnostic" for e in root.iter()):
        message = next((" ".join(e.itertext()) for e in root.iter() if _local(e.tag) == "message"), "")
        raise OfficialError(f"the SRU service refused the search: {_words(message) or 'a diagnostic'}")
    found: dict[str, dict[str, str]] = {}
    for record in (e for e in root.iter() if _local(e.tag) == "gzd"):
        identifier = next((_words("".join(e.itertext())) for e in record.iter()
                           if _local(e.tag) == "identifier"), "")
        urls = {item.get("manifestation", ""): _words("".join(item.itertext()))
                for item in record.iter() if _local(item.tag) == "itemUrl" and item.get("manifestation")}
        if identifier:
            found[identifier] = urls
    return found


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_metadata(data: bytes) -> Metadata:
    root = _root(data, "metadata.xml")
    values: dict[str, list[str]] = {}
    for element in root.iter("metadata"):
        name, content = element.get("name"), element.get("content")
        if name and content is not None and content.strip():
            values.setdefault(name, []).append(content.strip())
    topics: list[str] = []
    for category in values.get("OVERHEID.category", ()):
        # "Verkeer | Luchtvaart": a theme and its topic, both labels of the taxonomy.
        for part in category.split("|"):
            label = part.strip()
            if label and label not in topics:
                topics.append(label)

    def first(name: str) -> str | None:
        found = values.get(name)
        return found[0] if found else None

    return Metadata(
        identifier=first("DC.identifier"),
        title=first("DC.title"),
        topics=tuple(topics),
        submitted=_day(first("OVERHEIDop.datumIndiening")),
        received=_day(first("OVERHEIDop.datumOntvangst")),
        issued=_day(first("DCTERMS.issued") or first("DCTERMS.available")),
    )


def parse_document(data: bytes) -> OfficialText:
    root = _root(data, "document XML")
    body = root.find(".//kamervragen")
    if body is None:
        body = root.find(".//vragen")
    if body is None:
        raise OfficialError("no <kamervragen> element: not the XML of a Kamervraag")
    notes = _footnotes(root)
    numbers = {note_id: number for note_id, (number, _) in notes.items()}
    text = OfficialText(footnotes=tuple(Footnote(n, t) for n, t in sorted(notes.values())))
    pending: list[int] = []  # questions read since the last answer
    for element in body.iter():
        if element.tag == "vraag":
            found = _numbers(element) or [max([*text.questions, 0]) + 1]
            content, markers = _content(element, numbers)
            for number in found:
                text.questions.setdefault(number, content)
                text.question_notes.setdefault(number, markers)
            pending.extend(n for n in found if n not in pending)
        elif element.tag == "antwoord":
            found = _numbers(element) or pending or [max([*text.answers, 0]) + 1]
            content, markers = _content(element, numbers)
            for position, number in enumerate(found):
                text.answers.setdefault(number, content)
                text.answer_notes.setdefault(number, markers)
                if position:
                    text.answered_with[number] = found[0]
            pending = []
    remark = body.find(".//kamervraagopmerking")
    if remark is None:
        remark = root.find(".//kamervraagopmerking")
    if remark is not None:
        content = _words(" ".join(remark.itertext()))
        text = _with_remark(text, content.removeprefix("Mededeling").strip(" :-") or content)
    return text


def subquestions(text: OfficialText) -> tuple[SubQuestion, ...]:
    """The numbered sub-questions with their answers, as the records hold them."""
    subs = []
    for number in sorted(set(text.questions) | set(text.answers)):
        partner = text.answered_with.get(number)
        subs.append(SubQuestion(
            number=number,
            question=text.questions.get(number, ""),
            answer=text.answers.get(number),
            question_footnotes=text.question_notes.get(number, ()),
            answer_footnotes=text.answer_notes.get(number, ()),
            refers_to=(partner,) if partner else (),
            combined=partner is not None,
        ))
    return tuple(subs)


def _with_remark(text: OfficialText, remark: str) -> OfficialText:
    return OfficialText(text.questions, text.question_notes, text.answers, text.answer_notes, text.answered_with,
                        text.footnotes, remark)


def _root(data: bytes, what: str) -> ET.Element:
    if b"<!DOCTYPE" in data[:2048] or b"<!ENTITY" in data[:4096]:
        raise OfficialError(f"{what} declares a DOCTYPE or entities; refused")
    try:
        return ET.fromstring(data)
    except ET.ParseError as error:
        raise OfficialError(f"{what} is not well-formed XML: {error}") from None


_NUMBER = re.compile(r"\d{1,3}")


def _numbers(block: ET.Element) -> list[int]:
    """The numbers in a block's ``nr`` (``Vraag 2, 5``, ``Antwoord 3 en 4``, ``Vragen 6 t/m 8``)."""
    label = block.find("nr")
    if label is None:
        label = block.find("nummer")
    if label is None:
        return []
    text = " ".join(label.itertext())
    span = re.search(r"(\d{1,3})\s*(?:t/m|tot en met|-|–)\s*(\d{1,3})", text)
    if span and int(span.group(1)) < int(span.group(2)) <= int(span.group(1)) + 50:
        return list(range(int(span.group(1)), int(span.group(2)) + 1))
    found: list[int] = []
    for match in _NUMBER.findall(text):
        if int(match) not in found:
            found.append(int(match))
    return found


def _content(block: ET.Element, notes: dict[str, int]) -> tuple[str, tuple[int, ...]]:
    """The paragraphs of a block (its ``al`` elements, one line each), without the footnote
    references, which come back as their numbers."""
    markers: list[int] = []
    paragraphs = [_words(_text_without_notes(paragraph, notes, markers)) for paragraph in block.iter("al")]
    if not paragraphs:
        paragraphs.append(_words(_text_without_notes(block, notes, markers, skip=("nr", "nummer"))))
    return "\n".join(p for p in paragraphs if p), tuple(markers)


def _text_without_notes(element: ET.Element, notes: dict[str, int], markers: list[int],
                        skip: tuple[str, ...] = ()) -> str:
    parts = [element.text or ""]
    for child in element:
        if child.tag == "nootref":
            number = notes.get(child.get("refid", ""))
            if number is not None and number not in markers:
                markers.append(number)
        elif child.tag not in skip and child.tag != "noot":
            parts.append(_text_without_notes(child, notes, markers))
        parts.append(child.tail or "")
    return "".join(parts)


def _footnotes(root: ET.Element) -> dict[str, tuple[int, str]]:
    found: dict[str, tuple[int, str]] = {}
    for position, note in enumerate(root.iter("noot"), start=1):
        label = note.find("noot.nr")
        number = int(m.group()) if label is not None and (m := _NUMBER.search("".join(label.itertext()))) else position
        paragraphs = [_words("".join(al.itertext())) for al in note.iter("noot.al")]
        text = " ".join(p for p in paragraphs if p) or _words(
            "".join(t for child in note if child.tag != "noot.nr" for t in child.itertext()))
        found[note.get("id", f"noot-{position}")] = (number, text)
    return found


def _words(text: str) -> str:
    return " ".join(text.split())


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        match = re.fullmatch(r"(\d{1,2})-(\d{1,2})-(\d{4})", text.strip())
        if match:
            try:
                return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
            except ValueError:
                return None
        return None
