"""Open and overdue questions: the question page's standing, ``/open`` with its rankings and Atom
feed (conditional GET), and the named query ``open-questions``; exact rows on the examples plus two
questions as the official sources give them (addressees), with every date written out here."""
from __future__ import annotations

from datetime import UTC, date, datetime
from xml.etree import ElementTree

import html5lib
import pytest

from kamergraph.config import Settings
from kamergraph.graph import open_store
from kamergraph.indexes.pages import index_path_for
from kamergraph.ingest.mapping import Mapper, Source
from kamergraph.ingest.records import Addressee, Kamervraag, Member, Role
from kamergraph.ingest.refdata import load_reference
from kamergraph.iris import Iris

SOURCE = Source("test", "0" * 64, datetime(2024, 1, 2, tzinfo=UTC), "kamergraph test")
FINANCE = Role("minister van financiën", "minister", "financiën")
HEALTH = Role("minister van volksgezondheid, welzijn en sport", "minister", "volksgezondheid, welzijn en sport")
ATOM = "{http://www.w3.org/2005/Atom}"

# Submitted 2 December 2019 to two ministers: due 23 December. Submitted 16 December to one: due
# 6 January 2020. With the examples' 2019Z21877 (12 November, a mededeling: due 24 December).
PUT = (
    Kamervraag(zaak="2019Z22000", title="Vragen over de zorgtoeslag", submitted=date(2019, 12, 2),
               submitters=(Member("Lilian Marijnissen", "SP"),),
               addressees=(Addressee("W.B. Hoekstra", (FINANCE,), "minister van Financiën"),
                           Addressee("H.M. de Jonge", (HEALTH,), "minister van Volksgezondheid, Welzijn en Sport"))),
    Kamervraag(zaak="2019Z22100", title="Vragen over de belastingdienst", submitted=date(2019, 12, 16),
               submitters=(Member("Lilian Marijnissen", "SP"),),
               addressees=(Addressee("W.B. Hoekstra", (FINANCE,), "minister van Financiën"),)),
)


@pytest.fixture(scope="module")
def client(store_dir, tmp_path_factory):
    from kamergraph.endpoint import create_app
    from stores import copy_store

    path = copy_store(store_dir, tmp_path_factory.mktemp("open") / "store")
    mapper = Mapper(Iris(), load_reference())
    store = open_store(str(path))
    try:
        for record in PUT:
            mapped = mapper.question(record, SOURCE)
            store.replace_graphs({mapped.graph: mapped.quads})
            shared = mapped.entities + [q for quads in mapped.new_names.values() for q in quads]
            store.write_nquads("".join(f"{q} .\n" for q in shared).encode())
    finally:
        store.close()
    # Written by hand, not ingested: the copied page index is of the store before; the first page
    # waits for the index of this one instead of being served the older one.
    index_path_for(str(path)).unlink()
    app = create_app(Settings(store=str(path), index_wait=60.0))
    app.config["TESTING"] = True
    yield app.test_client()
    app.extensions["kamergraph"].close()


def html(client, path: str, status: int = 200):
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == status, response.data[:400]
    return html5lib.parse(response.data, namespaceHTMLElements=False)


def rows(root) -> list[tuple]:
    out = []
    for tr in root.findall(".//table[@id='open-questions']/tbody/tr"):
        cells = tr.findall("td")
        late = cells[0].find(".//span[@data-late]")
        out.append((tr.get("data-zaak"), tr.get("data-status"), cells[4].find("time").get("datetime"),
                    int(cells[5].get("data-n")), int(late.get("data-late")) if late is not None else None))
    return out


def ranking(root, dim: str) -> list[tuple]:
    section = root.find(f".//section[@data-facet='{dim}']")
    return [(tr.get("data-value").rsplit("/", 1)[1], int(tr.findall("td")[1].get("data-n")),
             int(tr.findall("td")[2].get("data-n"))) for tr in section.findall(".//tbody/tr")]


def test_the_open_list_puts_overdue_first_on_a_day(client):
    root = html(client, "/open?on=2020-01-01")
    assert rows(root) == [
        ("2019Z22000", "overdue", "2019-12-23", 30, 9),
        ("2019Z21877", "overdue", "2019-12-24", 50, 8),
        ("2019Z22100", "open", "2020-01-06", 16, None),
    ]
    counts = {li.get("data-count"): int(li.get("data-n")) for li in root.findall(".//li[@data-count]")}
    assert counts == {"open": 3, "overdue": 2}
    # (key, overdue, open), most overdue first
    assert ranking(root, "addressee") == [("wopke-hoekstra", 1, 2), ("hugo-de-jonge", 1, 1)]
    assert ranking(root, "addressed") == [("mnre1090", 1, 2), ("mnre1025", 1, 1)]
    assert ranking(root, "party") == [("sp", 2, 3), ("groenlinks", 1, 1)]
    # Whom each was put to; a page (2019Z21877) names nobody, and the list says so instead of a blank.
    addressed = {tr.get("data-zaak"): "".join(tr.findall("td")[3].itertext()).strip()
                 for tr in root.findall(".//table[@id='open-questions']/tbody/tr")}
    assert addressed["2019Z21877"] == "niet vermeld in de bron"
    assert "Wopke Hoekstra" in addressed["2019Z22000"]


def test_the_open_list_filters_and_an_earlier_day_has_fewer_overdue(client):
    assert rows(html(client, "/open?on=2020-01-01&addressed=mnre1090")) == [
        ("2019Z22000", "overdue", "2019-12-23", 30, 9), ("2019Z22100", "open", "2020-01-06", 16, None)]
    assert rows(html(client, "/open?on=2019-12-23")) == [
        ("2019Z22000", "open", "2019-12-23", 21, None), ("2019Z21877", "open", "2019-12-24", 41, None),
        ("2019Z22100", "open", "2020-01-06", 7, None)]
    html(client, "/open?on=gisteren", status=400)


def test_the_question_page_shows_addressees_deadline_and_days_open(client):
    root = html(client, "/id/kamervraag/2019Z22000")
    assert root.find(".//dd[@id='status']").get("data-status") == "overdue"
    assert root.find(".//dd[@id='deadline']/time").get("datetime") == "2019-12-23"
    days_open = int(root.find(".//span[@id='days-open']").get("data-n"))
    assert days_open == (date.today() - date(2019, 12, 2)).days
    addressees = [a.get("href") for a in root.findall(".//ul[@id='addressees']/li/a")]
    assert len(addressees) == 2 and all(a.startswith("/id/persoon/") for a in addressees)
    ministries = [a.get("href") for a in root.findall(".//ul[@id='addressees']//a[@data-role='ministry']")]
    assert ministries == ["/id/ministerie/mnre1090", "/id/ministerie/mnre1025"]
    answered = html(client, "/id/kamervraag/2021Z16860")
    assert answered.find(".//dd[@id='status']").get("data-status") == "answered"
    assert answered.find(".//dd[@id='deadline']/time").text == "11 november 2021"  # six weeks: a mededeling
    assert answered.find(".//span[@id='days-open']") is None
    late = answered.find(".//span[@id='over-term']")  # answered 18 November, a week late
    assert "".join(late.itertext()) == "te laat: termijn was 11 november 2021"
    in_time = html(client, "/id/kamervraag/2019Z08003")  # answered the next day
    assert in_time.find(".//span[@id='by-deadline']") is not None and in_time.find(".//span[@id='over-term']") is None


def test_the_feed_lists_the_overdue_and_answers_a_conditional_get(client):
    response = client.get("/open.atom?on=2020-01-01")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ElementTree.fromstring(response.data)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}id").text.rsplit("/", 1)[1] for e in entries] == ["2019Z21877", "2019Z22000"]
    assert [e.find(f"{ATOM}updated").text for e in entries] == ["2019-12-25T00:00:00+00:00",
                                                                "2019-12-24T00:00:00+00:00"]
    etag, modified = response.headers["ETag"], response.headers["Last-Modified"]
    again = client.get("/open.atom?on=2020-01-01", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    since = client.get("/open.atom?on=2020-01-01", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    other_day = client.get("/open.atom?on=2020-01-02", headers={"If-None-Match": etag})
    assert other_day.status_code == 200


def test_the_named_query_gives_the_same_rows(client):
    document = client.get("/queries/open-questions.json?on=2020-01-01").get_json()
    assert [(r["zaak"], r["deadline"], r["status"], r["daysOpen"], r["daysOverdue"], r["ministries"])
            for r in document["rows"]] == [
        ("2019Z22000", "2019-12-23", "overdue", 30, 9,
         "ministerie van Financiën; ministerie van Volksgezondheid, Welzijn en Sport"),
        ("2019Z21877", "2019-12-24", "overdue", 50, 8, None),
        ("2019Z22100", "2020-01-06", "open", 16, 0, "ministerie van Financiën"),
    ]
    assert document["rows"][0]["submitters"] == "Lilian Marijnissen (SP)"
    assert {r["total"] for r in document["rows"]} == {3}
    second = client.get("/queries/open-questions.json?on=2020-01-01&limit=1&offset=1").get_json()["rows"]
    assert [(r["zaak"], r["total"]) for r in second] == [("2019Z21877", 3)]
    only = client.get("/queries/open-questions.json?on=2020-01-01&party=https://kamergraph.nl/id/partij/groenlinks")
    assert [r["zaak"] for r in only.get_json()["rows"]] == ["2019Z21877"]


@pytest.mark.parametrize(("query", "expected"), [
    ("ministry=https://kamergraph.nl/id/ministerie/mnre1025", [("2019Z22000", 1)]),
    ("party=https://kamergraph.nl/id/partij/sp&ministry=https://kamergraph.nl/id/ministerie/mnre1090",
     [("2019Z22000", 2), ("2019Z22100", 2)]),
    ("party=https://kamergraph.nl/id/partij/groenlinks&ministry=https://kamergraph.nl/id/ministerie/mnre1090", []),
    # the day before 2019Z22100 was submitted (16 December; three weeks: due in the next year), and that day
    ("on=2019-12-15", [("2019Z22000", 2), ("2019Z21877", 2)]),
    ("on=2019-12-16", [("2019Z22000", 3), ("2019Z21877", 3), ("2019Z22100", 3)]),
    ("on=2019-12-15&party=https://kamergraph.nl/id/partij/sp&limit=1", [("2019Z22000", 2)]),
    # 2019Z21877 was submitted on 12 November and given six weeks (a mededeling); 2019Z22000 on 2 December
    ("on=2019-11-12", [("2019Z21877", 1)]),
    ("on=2019-11-11", []),
    ("on=2019-12-01", [("2019Z21877", 1)]),
    ("on=2019-12-02", [("2019Z22000", 2), ("2019Z21877", 2)]),
])
def test_the_named_query_filters_by_party_ministry_and_day(client, query, expected):
    rows = client.get(f"/queries/open-questions.json?{query}").get_json()["rows"]
    assert [(r["zaak"], r["total"]) for r in rows] == expected


def test_an_open_question_is_in_the_lists_of_open_questions_by_its_deadline():
    mapped = Mapper(Iris(), load_reference()).question(PUT[0], SOURCE)
    base = "https://kamergraph.nl/id/"
    # due 23 December 2019, given three weeks
    key = '"201912232019220003"^^<http://www.w3.org/2001/XMLSchema#integer>'
    question = f"<{base}kamervraag/2019Z22000>"
    own = {(str(q.subject), str(q.predicate), str(q.object)) for q in mapped.quads}
    entry = "<https://kamergraph.nl/def#entry>"
    assert {t for t in own if t[1] == entry or t[1].endswith("#openKey>")} >= {
        (question, "<https://kamergraph.nl/def#openKey>", key),
        ("<https://kamergraph.nl/def#OpenQuestions>", entry, key),
        (f"<{base}partij/sp#open>", entry, key),
        (f"<{base}ministerie/mnre1090#open>", entry, key),
        (f"<{base}ministerie/mnre1025#open>", entry, key),
    }
    assert len({t for t in own if t[2] == key}) == 5  # only those: one key, four lists
    lists = {(str(q.subject), str(q.object)) for q in mapped.entities if q.predicate.value.endswith("#openList")}
    assert lists == {(f"<{base}partij/sp>", f"<{base}partij/sp#open>"),
                     (f"<{base}ministerie/mnre1090>", f"<{base}ministerie/mnre1090#open>"),
                     (f"<{base}ministerie/mnre1025>", f"<{base}ministerie/mnre1025#open>")}


def test_answer_times_count_open_and_overdue_per_addressee(client):
    rows = client.get("/queries/answer-times.json?by=minister&on=2020-01-01").get_json()["rows"]
    addressed = {(r["group"].rsplit("/", 1)[1], r["post"].rsplit("/", 1)[1]): (r["answered"], r["open"], r["overdue"])
                 for r in rows if r["open"]}
    # De Jonge answered 2019Z11873 of the examples as minister of VWS, and was put 2019Z22000 in that post
    assert addressed == {("wopke-hoekstra", "minister-financien"): (0, 2, 1),
                         ("hugo-de-jonge", "minister-volksgezondheid-welzijn-en-sport"): (1, 1, 1)}
    ministries = {r["group"].rsplit("/", 1)[1]: (r["open"], r["overdue"])
                  for r in client.get("/queries/answer-times.json?by=ministry&on=2020-01-01").get_json()["rows"]}
    assert ministries["mnre1090"] == (2, 1) and ministries["mnre1025"] == (1, 1)


def test_party_and_ministry_pages_link_their_open_questions(client):
    party = html(client, "/id/partij/sp")
    assert party.find(".//a[@id='open-link']").get("href") == "/open?party=sp"
    assert [r[0] for r in rows(html(client, "/open?party=sp&on=2020-01-01"))] == ["2019Z22000", "2019Z21877",
                                                                                "2019Z22100"]
    ministry = html(client, "/id/ministerie/mnre1025")
    assert ministry.find(".//a[@id='open-link']").get("href") == "/open?addressed=mnre1025"
    assert [r[0] for r in rows(html(client, "/open?addressed=mnre1025&on=2020-01-01"))] == ["2019Z22000"]
