"""Atom 1.0 documents (RFC 4287), written from plain data.

What the RFC requires is built in rather than left to callers: a feed has one id, title and updated,
and an author (the feed's, which every entry without one of its own inherits); an entry has one
id, title and updated, and at most one alternate link; times are RFC 3339 with a time zone; every
id is an absolute IRI. ElementTree escapes every text and attribute.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime

NS = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"
# Characters XML 1.0 has no place for (ElementTree would write them, and every reader refuse the
# feed): control characters other than tab and line ends, lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    """A text as XML 1.0 can carry it: the characters it cannot left out."""
    return _NOT_XML.sub("", value)


@dataclass(frozen=True)
class Person:
    name: str
    uri: str | None = None


@dataclass(frozen=True)
class Category:
    term: str
    label: str | None = None
    scheme: str | None = None


@dataclass(frozen=True)
class Entry:
    id: str  # an absolute IRI, the same each time this entry is written
    title: str
    updated: datetime
    link: str  # the page of the entry (rel="alternate")
    summary: str
    published: datetime | None = None
    authors: tuple[Person, ...] = ()
    categories: tuple[Category, ...] = ()


@dataclass
class Feed:
    id: str
    title: str
    self_link: str
    alternate: str  # the HTML page the feed follows
    author: Person
    entries: list[Entry] = field(default_factory=list)
    fallback_updated: datetime = datetime(1970, 1, 1, tzinfo=UTC)  # for a feed with no entries

    @property
    def updated(self) -> datetime:
        """The latest change among the entries (or the fallback when there are none)."""
        return max((e.updated for e in self.entries), default=self.fallback_updated)


def timestamp(moment: datetime) -> str:
    """RFC 3339, in UTC: ``2021-11-18T00:00:00Z``."""
    if moment.tzinfo is None:
        raise ValueError(f"an Atom date needs a time zone: {moment!r}")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def document(feed: Feed) -> bytes:
    """The feed as a UTF-8 XML document."""
    ET.register_namespace("", NS)
    root = ET.Element(_tag("feed"))
    _text(root, "id", feed.id)
    _text(root, "title", feed.title).set("type", "text")
    _text(root, "updated", timestamp(feed.updated))
    _link(root, feed.self_link, "self", MEDIA_TYPE)
    _link(root, feed.alternate, "alternate", "text/html")
    _person(root, "author", feed.author)
    _text(root, "generator", "kamergraph")
    for entry in feed.entries:
        element = ET.SubElement(root, _tag("entry"))
        _text(element, "id", entry.id)
        _text(element, "title", entry.title).set("type", "text")
        _text(element, "updated", timestamp(entry.updated))
        if entry.published is not None:
            _text(element, "published", timestamp(entry.published))
        for author in entry.authors:
            _person(element, "author", author)
        _link(element, entry.link, "alternate", "text/html")
        for category in entry.categories:
            attributes = {"term": xml_text(category.term)}
            if category.scheme:
                attributes["scheme"] = xml_text(category.scheme)
            if category.label:
                attributes["label"] = xml_text(category.label)
            ET.SubElement(element, _tag("category"), attributes)
        _text(element, "summary", entry.summary).set("type", "text")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _tag(name: str) -> str:
    return f"{{{NS}}}{name}"


def _text(parent: ET.Element, name: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, _tag(name))
    element.text = xml_text(value)
    return element


def _link(parent: ET.Element, href: str, rel: str, media_type: str) -> None:
    ET.SubElement(parent, _tag("link"), {"rel": rel, "type": media_type, "href": xml_text(href)})


def _person(parent: ET.Element, role: str, person: Person) -> None:
    element = ET.SubElement(parent, _tag(role))
    _text(element, "name", person.name)
    if person.uri:
        _text(element, "uri", person.uri)
