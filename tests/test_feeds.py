"""The Atom feeds on the examples store: each feed checked against the rules of RFC 4287 and read
entry by entry, read again by a real feed reader (feedparser), conditional GETs that answer 304,
and the pages that link their feeds."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from urllib.parse import urlsplit

import feedparser
import pytest
from werkzeug.http import http_date, parse_date

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://kamergraph.nl/"
Q = BASE + "id/kamervraag/"
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
# The elements RFC 4287 allows in a feed and in an entry, with how many of each (None: any number).
FEED_CHILDREN = {"author": None, "category": None, "contributor": None, "generator": 1, "icon": 1, "id": 1,
                 "link": None, "logo": 1, "rights": 1, "subtitle": 1, "title": 1, "updated": 1, "entry": None}
ENTRY_CHILDREN = {"author": None, "category": None, "content": 1, "contributor": None, "id": 1, "link": None,
                  "published": 1, "rights": 1, "source": 1, "summary": 1, "title": 1, "updated": 1}
REQUIRED = {"id", "title", "updated"}


def _local(element) -> str:
    assert element.tag.startswith(ATOM), f"{element.tag} is not in the Atom namespace"
    return element.tag[len(ATOM):]


def _check_children(element, allowed: dict) -> Counter:
    counts = Counter(_local(child) for child in element)
    for name, count in counts.items():
        assert name in allowed, f"atom:{name} is not allowed in atom:{_local(element)}"
        assert allowed[name] is None or count <= allowed[name], f"{count} atom:{name} in atom:{_local(element)}"
    assert set(counts) >= REQUIRED, f"atom:{_local(element)} lacks {REQUIRED - set(counts)}"
    return counts


def _check_common(element) -> None:
    """The constructs feed and entry share: id, dates, text, persons, links, categories."""
    identifier = element.find(ATOM + "id").text
    assert urlsplit(identifier).scheme in ("http", "https", "tag", "urn"), identifier
    for name in ("updated", "published"):
        for date in element.findall(ATOM + name):
            assert RFC3339.fullmatch(date.text), date.text
    for name in ("title", "summary", "subtitle", "rights"):
        for construct in element.findall(ATOM + name):
            assert construct.get("type", "text") == "text" and len(construct) == 0 and construct.text
    for name in ("author", "contributor"):
        for person in element.findall(ATOM + name):
            counts = Counter(_local(child) for child in person)
            assert counts["name"] == 1 and counts["uri"] <= 1 and set(counts) <= {"name", "uri", "email"}
    alternates = Counter((link.get("type"), link.get("hreflang")) for link in element.findall(ATOM + "link")
                         if link.get("rel", "alternate") == "alternate")
    assert all(n == 1 for n in alternates.values()), "two alternate links of one type and language"
    for link in element.findall(ATOM + "link"):
        assert urlsplit(link.get("href")).scheme in ("http", "https")
    for category in element.findall(ATOM + "category"):
        assert category.get("term")


def valid_feed(body: bytes):
    """The feed's root after checking every rule of RFC 4287 that a feed of text entries can break."""
    root = ET.fromstring(body)
    assert root.tag == ATOM + "feed"
    counts = _check_children(root, FEED_CHILDREN)
    _check_common(root)
    assert [link.get("rel") for link in root.findall(ATOM + "link")].count("self") == 1
    entries = root.findall(ATOM + "entry")
    if not counts["author"]:
        assert all(entry.find(ATOM + "author") is not None for entry in entries)
    ids = [entry.find(ATOM + "id").text for entry in entries]
    assert len(ids) == len(set(ids)), "two entries with one id"
    for entry in entries:
        entry_counts = _check_children(entry, ENTRY_CHILDREN)
        _check_common(entry)
        if not entry_counts["content"]:
            assert any(link.get("rel", "alternate") == "alternate" for link in entry.findall(ATOM + "link"))
    return root


def entries(root) -> list[tuple[str, str, str]]:
    return [(e.find(ATOM + "id").text, e.find(ATOM + "title").text, e.find(ATOM + "updated").text)
            for e in root.findall(ATOM + "entry")]


def get_feed(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, response.data[:300]
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    return response, valid_feed(response.data)


def test_new_questions_newest_first_entry_by_entry(client):
    _, root = get_feed(client, "/feeds/questions.atom")
    assert root.find(ATOM + "id").text == BASE + "feeds/questions.atom"
    assert root.find(ATOM + "title").text == "kamergraph: nieuwe vragen"
    assert root.find(ATOM + "updated").text == "2021-09-30T00:00:00Z"
    assert [(e[0], e[2]) for e in entries(root)] == [
        (Q + "2021Z16860", "2021-09-30T00:00:00Z"), (Q + "2019Z21877", "2019-11-12T00:00:00Z"),
        (Q + "2019Z16702", "2019-09-05T00:00:00Z"), (Q + "2019Z11873", "2019-06-04T00:00:00Z"),
        (Q + "2019Z09418", "2019-05-10T00:00:00Z"), (Q + "2019Z08003", "2019-04-23T00:00:00Z"),
        (Q + "2019Z05301", "2019-03-18T00:00:00Z"), (Q + "2019Z04512", "2019-03-07T00:00:00Z"),
        (Q + "2019Z01187", "2019-01-24T00:00:00Z"), (Q + "2019Z00412", "2019-01-10T00:00:00Z")]
    first = root.find(ATOM + "entry")
    assert first.find(ATOM + "title").text == "Mogelijke dataverzameling van Chinese drones"
    assert first.find(ATOM + "published").text == "2021-09-30T00:00:00Z"
    assert first.find(ATOM + "link").attrib == {"rel": "alternate", "type": "text/html",
                                                 "href": "http://localhost/id/kamervraag/2021Z16860"}
    assert [(a.findtext(ATOM + "name"), a.findtext(ATOM + "uri")) for a in first.findall(ATOM + "author")] == [
        ("Barbara Kathmann", BASE + "id/persoon/barbara-kathmann")]
    assert [c.get("label") for c in first.findall(ATOM + "category")] == [
        "Luchtvaart", "Organisatie en beleid", "Internationaal", "Verkeer"]
    assert first.findtext(ATOM + "summary") == (
        "2021Z16860, ingediend op 30 september 2021 door Barbara Kathmann (PvdA). Beantwoord op 18 november 2021 "
        "door Barbara Visser, Ferdinand Grapperhaus, na 49 dagen.")


def test_feeds_in_english_on_request(client):
    _, root = get_feed(client, "/feeds/questions.atom?lang=en")
    assert root.find(ATOM + "title").text == "kamergraph: new questions"
    assert root.find(ATOM + "entry").findtext(ATOM + "summary") == (
        "2021Z16860, submitted September 30, 2021 by Barbara Kathmann (PvdA). Answered November 18, 2021 by "
        "Barbara Visser, Ferdinand Grapperhaus, after 49 days.")
    _, root = get_feed(client, "/feeds/overdue.atom?party=sp&lang=en")
    assert root.find(ATOM + "title").text == "kamergraph: overdue questions (Party: SP)"
    assert entries(root)[0][1].startswith("Overdue: Het bericht dat NS")


def test_answers_in_the_order_they_came(client):
    _, root = get_feed(client, "/feeds/answers.atom")
    assert [(e[0], e[2]) for e in entries(root)] == [
        (Q + "2021Z16860#antwoord", "2021-11-18T00:00:00Z"), (Q + "2019Z16702#antwoord", "2019-10-22T00:00:00Z"),
        (Q + "2019Z09418#antwoord", "2019-07-09T00:00:00Z"), (Q + "2019Z11873#antwoord", "2019-07-02T00:00:00Z"),
        (Q + "2019Z08003#antwoord", "2019-04-24T00:00:00Z"), (Q + "2019Z05301#antwoord", "2019-04-10T00:00:00Z"),
        (Q + "2019Z04512#antwoord", "2019-04-01T00:00:00Z"), (Q + "2019Z00412#antwoord", "2019-02-19T00:00:00Z"),
        (Q + "2019Z01187#antwoord", "2019-02-18T00:00:00Z")]
    assert entries(root)[0][1] == "Beantwoord: Mogelijke dataverzameling van Chinese drones"


def test_overdue_questions_since_the_day_after_their_deadline(client):
    _, root = get_feed(client, "/feeds/overdue.atom")
    # submitted 2019-11-12, a mededeling came, so six weeks: deadline 2019-12-24, overdue from the 25th
    assert entries(root) == [(Q + "2019Z21877#te-laat-2019-12-24",
                              "Te laat: Het bericht dat NS in de spits minder intercity’s laat rijden tussen Zwolle "
                              "en Groningen", "2019-12-25T00:00:00Z")]
    summary = root.find(ATOM + "entry").findtext(ATOM + "summary")
    assert summary.startswith(
        "2019Z21877, ingediend op 12 november 2019 door Cem Laçin (SP), Suzanne Kröger (GroenLinks).")
    assert summary.endswith("Termijn 24 december 2019; niet beantwoord.")


@pytest.mark.parametrize(("path", "title", "ids"), [
    ("/feeds/questions.atom?party=sp", "kamergraph: nieuwe vragen (Partij: SP)",
     [Q + "2019Z21877", Q + "2019Z04512", Q + "2019Z01187"]),
    ("/feeds/answers.atom?party=sp", "kamergraph: antwoorden (Partij: SP)",
     [Q + "2019Z04512#antwoord", Q + "2019Z01187#antwoord"]),
    ("/feeds/overdue.atom?party=sp", "kamergraph: te late vragen (Partij: SP)",
     [Q + "2019Z21877#te-laat-2019-12-24"]),
    ("/feeds/overdue.atom?party=vvd", "kamergraph: te late vragen (Partij: VVD)", []),
    ("/feeds/questions.atom?topic=verkeer-thema", "kamergraph: nieuwe vragen (Onderwerp: Verkeer)",
     [Q + "2021Z16860", Q + "2019Z21877"]),
    ("/feeds/answers.atom?ministry=mnre1058",
     "kamergraph: antwoorden (Ministerie: ministerie van Justitie en Veiligheid)",
     [Q + "2021Z16860#antwoord", Q + "2019Z05301#antwoord", Q + "2019Z04512#antwoord"]),
    ("/feeds/questions.atom?submitter=kees-van-der-staaij",
     "kamergraph: nieuwe vragen (Gesteld door: Kees van der Staaij)", [Q + "2019Z16702", Q + "2019Z05301"]),
    # a person by name: the feed names her by key
    ("/feeds/answers.atom?answerer=Grapperhaus", "kamergraph: antwoorden (Beantwoord door: Ferdinand Grapperhaus)",
     [Q + "2021Z16860#antwoord", Q + "2019Z04512#antwoord"]),
])
def test_a_feed_per_person_party_ministry_and_topic(client, path, title, ids):
    _, root = get_feed(client, path)
    assert root.find(ATOM + "title").text == title
    assert [e[0] for e in entries(root)] == ids


def test_an_empty_feed_is_still_valid_and_dated(client):
    _, root = get_feed(client, "/feeds/overdue.atom?party=vvd")
    assert RFC3339.fullmatch(root.find(ATOM + "updated").text)
    assert root.find(ATOM + "author/" + ATOM + "name").text == "kamergraph"


def test_the_self_and_alternate_links_and_the_id_name_people_by_key(client):
    _, root = get_feed(client, "/feeds/answers.atom?answerer=Grapperhaus")
    links = {link.get("rel"): link.get("href") for link in root.findall(ATOM + "link")}
    assert links == {"self": "http://localhost/feeds/answers.atom?answerer=ferdinand-grapperhaus",
                     "alternate": "http://localhost/questions?answerer=ferdinand-grapperhaus&answered=yes"}
    assert root.find(ATOM + "id").text == BASE + "feeds/answers.atom?answerer=ferdinand-grapperhaus"


def test_a_feed_reader_reads_every_entry(client):
    body = client.get("/feeds/questions.atom?party=sp").data
    parsed = feedparser.parse(body)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert [e.id for e in parsed.entries] == [Q + "2019Z21877", Q + "2019Z04512", Q + "2019Z01187"]
    assert [e.link for e in parsed.entries] == [
        "http://localhost/id/kamervraag/" + z for z in ("2019Z21877", "2019Z04512", "2019Z01187")]
    assert [a.name for a in parsed.entries[1].authors] == ["Sadet Karabulut", "Ronald van Raak", "Attje Kuiken"]


def test_conditional_get_answers_304_while_the_feed_is_the_same(client):
    first = client.get("/feeds/questions.atom?party=sp")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get("/feeds/questions.atom?party=sp", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    since = client.get("/feeds/questions.atom?party=sp", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    earlier = http_date(parse_date(modified).timestamp() - 1)
    assert client.get("/feeds/questions.atom?party=sp", headers={"If-Modified-Since": earlier}).status_code == 200
    other = client.get("/feeds/questions.atom?party=pvda", headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["ETag"] != etag
    # If-None-Match decides when both are sent (RFC 9110 13.2.2)
    stale = client.get("/feeds/questions.atom?party=sp",
                       headers={"If-None-Match": '"0"', "If-Modified-Since": modified})
    assert stale.status_code == 200


def test_a_head_request_is_conditional_too(client):
    etag = client.get("/feeds/answers.atom").headers["ETag"]
    head = client.head("/feeds/answers.atom", headers={"If-None-Match": etag})
    assert head.status_code == 304


@pytest.mark.parametrize(("path", "status", "message"), [
    ("/feeds/everything.atom", 404, "There is nothing at /feeds/everything.atom in this dataset."),
    ("/feeds/questions.atom?partij=sp", 400, "A feed takes the filters of /questions"),
])
def test_a_feed_that_is_not_there_is_one_clear_line(client, path, status, message):
    response = client.get(path, headers={"Accept": "text/plain"})
    assert response.status_code == status
    assert response.data.decode().startswith(message)
    assert response.data.decode().count("\n") == 1


def _feed_links(client, path: str) -> list[tuple[str, str]]:
    from test_browse_pages import page

    root = page(client, path)
    return [(link.get("href"), link.get("title")) for link in root.findall(".//head/link[@rel='alternate']")
            if link.get("type") == "application/atom+xml"]


@pytest.mark.parametrize(("path", "feeds"), [
    ("/questions?party=sp", [("/feeds/questions.atom?party=sp", "New questions"),
                             ("/feeds/answers.atom?party=sp", "Answers"),
                             ("/feeds/overdue.atom?party=sp", "Overdue questions")]),
    ("/id/partij/sp", [("/feeds/questions.atom?party=sp", "New questions from SP"),
                       ("/feeds/answers.atom?party=sp", "Answers to SP"),
                       ("/feeds/overdue.atom?party=sp", "Overdue questions from SP")]),
    ("/id/onderwerp/luchtvaart", [("/feeds/questions.atom?topic=luchtvaart", "New questions on Luchtvaart"),
                                  ("/feeds/answers.atom?topic=luchtvaart", "Answers on Luchtvaart"),
                                  ("/feeds/overdue.atom?topic=luchtvaart", "Overdue questions on Luchtvaart")]),
])
def test_pages_link_their_feeds(client, path, feeds):
    client.set_cookie("lang", "en")  # the titles in English (test_language.py has a Dutch one)
    assert _feed_links(client, path) == feeds
    for href, _ in feeds:
        get_feed(client, href)


def test_person_and_ministry_pages_link_feeds_that_answer(client):
    client.set_cookie("lang", "en")
    for path in ("/id/persoon/cem-lacin", "/id/ministerie/mnre1058"):
        found = _feed_links(client, path)
        assert len(found) >= 2
        for href, _ in found:
            get_feed(client, href)
    assert _feed_links(client, "/id/persoon/cem-lacin")[:3] == [
        ("/feeds/questions.atom?submitter=cem-lacin", "New questions by Cem Laçin"),
        ("/feeds/answers.atom?submitter=cem-lacin", "Answers to Cem Laçin"),
        ("/feeds/answers.atom?answerer=cem-lacin", "Answers by Cem Laçin")]


def test_text_xml_cannot_carry_is_left_out_and_markup_stays_text():
    from datetime import UTC, datetime

    from kamergraph.endpoint.site import atom

    moment = datetime(2021, 11, 18, tzinfo=UTC)
    entry = atom.Entry(id=Q + "X", title="a\x0b<b>title</b>\x00 & more", updated=moment, link="http://localhost/x",
                       summary="sum\x1fmary ]]>", categories=(atom.Category("t\x01", "l\x02abel"),))
    feed = atom.Feed(id=BASE + "feeds/x.atom", title="t", self_link="http://localhost/feeds/x.atom",
                     alternate="http://localhost/questions", author=atom.Person("kamergraph"), entries=[entry])
    root = valid_feed(atom.document(feed))
    parsed = root.find(ATOM + "entry")
    assert parsed.findtext(ATOM + "title") == "a<b>title</b> & more"
    assert parsed.findtext(ATOM + "summary") == "summary ]]>"
    assert parsed.find(ATOM + "category").attrib == {"term": "t", "label": "label"}
    assert feedparser.parse(atom.document(feed)).bozo == 0
