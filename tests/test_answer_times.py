"""Answer times per minister, post, ministry and party: the named query ``answer-times`` (exact rows
on the examples, worked out by hand below), the page ``/answer-times`` that sorts it, and its chart.

The examples' answered questions, with days taken and deadline (three weeks; six after a mededeling):
2021Z16860 49 days, due 11 Nov, answered 18 Nov (Visser, IenW; Grapperhaus, JenV); 2019Z04512 25
days, due 28 Mar, answered 1 Apr (Grapperhaus); 2019Z11873 28 days, due 25 Jun, answered 2 Jul
(Rutte as minister-president and AZ; De Jonge as vice-minister-president and VWS); 2019Z00412 40
(Bruins, medische zorg; Snel, staatssecretaris Financiën); 2019Z09418 60 (Schouten, LNV);
2019Z01187 25 (Slob, zonder portefeuille, OCW); 2019Z05301 23, due 8 Apr, answered 10 Apr (Dekker,
rechtsbescherming); 2019Z16702 47 (Blokhuis, staatssecretaris VWS); 2019Z08003 1 day (Blok, BZ), the
only one by the deadline. Open: 2019Z21877 (Laçin, SP; Kröger, GL), due 24 December 2019.
"""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import html5lib
import pytest

from kamergraph.ingest.mapping import Mapper, Source
from kamergraph.ingest.parse import parse_page
from kamergraph.ingest.refdata import load_reference
from kamergraph.iris import Iris

ID = "https://kamergraph.nl/id/"


def rows(client, query: str) -> list[tuple]:
    document = client.get(f"/queries/answer-times.json?{query}").get_json()
    return [(r["group"][len(ID):], (r["post"] or ID)[len(ID):], r["answered"], r["medianDays"], r["p90Days"],
             r["withinTerm"], r["open"], r["overdue"]) for r in document["rows"]]


def test_per_minister_in_a_post(client):
    found = rows(client, "by=minister&on=2020-01-01")
    assert found[:2] == [
        # 25 and 49 days: the lower median 25, the 90th percentile (the 2nd of 2) 49
        ("persoon/ferdinand-grapperhaus", "post/minister-justitie-en-veiligheid", 2, 25, 49, 0, 0, 0),
        ("persoon/arie-slob", "post/minister-zonder-portefeuille", 1, 25, 25, 0, 0, 0),
    ]
    assert ("persoon/stef-blok", "post/minister-buitenlandse-zaken", 1, 1, 1, 1, 0, 0) in found
    # one person in two posts on one question counts in each
    assert [r[1] for r in found if r[0] == "persoon/mark-rutte"] == ["post/minister-algemene-zaken",
                                                                     "post/minister-president"]
    assert len(found) == 13


def test_per_ministry_and_party(client):
    assert rows(client, "by=ministry&on=2020-01-01")[:2] == [
        ("ministerie/mnre1058", "", 3, 25, 49, 0, 0, 0),  # 23, 25, 49
        ("ministerie/mnre1025", "", 3, 40, 47, 0, 0, 0),  # 28, 40, 47
    ]
    parties = rows(client, "by=party&on=2020-01-01")
    assert parties[0] == ("partij/sp", "", 2, 25, 25, 0, 1, 1)  # and 2019Z21877, overdue since Christmas 2019
    assert ("partij/groenlinks", "", 1, 40, 40, 0, 1, 1) in parties
    assert ("partij/d66", "", 1, 1, 1, 1, 0, 0) in parties
    # before its deadline the open question is open, not overdue
    assert rows(client, "by=party&on=2019-12-20")[0] == ("partij/sp", "", 2, 25, 25, 0, 1, 0)


def test_over_a_period(client):
    # as many answered each: by name (Infrastructuur before Justitie)
    assert rows(client, "by=ministry&from=2021-01-01") == [("ministerie/mnre1130", "", 1, 49, 49, 0, 0, 0),
                                                          ("ministerie/mnre1058", "", 1, 49, 49, 0, 0, 0)]
    assert rows(client, "by=party&until=2019-01-31&on=2020-01-01") == [
        ("partij/groenlinks", "", 1, 40, 40, 0, 0, 0), ("partij/sp", "", 1, 25, 25, 0, 0, 0)]


def test_an_answered_question_is_in_the_answer_time_lists_of_each_group():
    """2019Z08003: answered in 1 day, by the deadline, by Stef Blok as minister of Buitenlandse Zaken
    (mnre1013), asked by a member of D66."""
    page = (Path(__file__).resolve().parent.parent / "examples" / "009_e83b7efb311f44a9.txt").read_text("utf-8")
    source = Source("test", "0" * 64, datetime(2024, 1, 2, tzinfo=UTC), "kamergraph test")
    mapped = Mapper(Iris(), load_reference()).question(parse_page(page), source)
    kg = "https://kamergraph.nl/def#"
    key = "20190423201908003"
    entries = {q.subject.value[len(ID):] for q in mapped.quads
               if q.predicate.value == kg + "entry" and q.object.value == key}
    slot = "-als-minister-buitenlandse-zaken"
    lists = {"ministerie/mnre1013#dagen-1", "post/minister-buitenlandse-zaken#dagen-1", "partij/d66#dagen-1",
             f"persoon/stef-blok#dagen-1{slot}", "ministerie/mnre1013#binnen-termijn",
             "post/minister-buitenlandse-zaken#binnen-termijn", "partij/d66#binnen-termijn",
             f"persoon/stef-blok#binnen-termijn{slot}"}
    assert lists <= entries
    about = {(q.subject.value[len(ID):], q.predicate.value[len(kg):], q.object.value.removeprefix(ID))
             for q in mapped.entities if q.subject.value[len(ID):] in lists or q.object.value[len(ID):] in lists}
    assert about == {
        ("ministerie/mnre1013", "daysList", "ministerie/mnre1013#dagen-1"),
        ("ministerie/mnre1013#dagen-1", "days", "1"),
        ("post/minister-buitenlandse-zaken", "postDaysList", "post/minister-buitenlandse-zaken#dagen-1"),
        ("post/minister-buitenlandse-zaken#dagen-1", "days", "1"),
        ("partij/d66", "partyDaysList", "partij/d66#dagen-1"),
        ("partij/d66#dagen-1", "days", "1"),
        ("persoon/stef-blok", "answererDaysList", f"persoon/stef-blok#dagen-1{slot}"),
        (f"persoon/stef-blok#dagen-1{slot}", "days", "1"),
        (f"persoon/stef-blok#dagen-1{slot}", "answeredInPost", "post/minister-buitenlandse-zaken"),
        *((owner, "withinTermList", f"{owner}#binnen-termijn") for owner in
          ("ministerie/mnre1013", "post/minister-buitenlandse-zaken", "partij/d66")),
        ("persoon/stef-blok", "withinTermList", f"persoon/stef-blok#binnen-termijn{slot}"),
        (f"persoon/stef-blok#binnen-termijn{slot}", "answeredInPost", "post/minister-buitenlandse-zaken"),
    }


def page_rows(client, query: str) -> list[tuple]:
    response = client.get(f"/answer-times?{query}", headers={"Accept": "text/html"})
    assert response.status_code == 200, response.data[:300]
    root = html5lib.parse(response.data, namespaceHTMLElements=False)
    return [(tr.get("data-group")[len(ID):], [td.get("data-n") for td in tr.findall("td")[1:]])
            for tr in root.findall(".//table[@id='answer-times']/tbody/tr")]


def test_the_page_sorts_by_any_column(client):
    slowest = page_rows(client, "by=ministry&sort=medianDays&on=2020-01-01")
    # 60, 49, then 40 days twice: Financiën before Volksgezondheid by name
    assert [group for group, _ in slowest][:4] == ["ministerie/mnre1153", "ministerie/mnre1130",
                                                   "ministerie/mnre1090", "ministerie/mnre1025"]
    assert slowest[0][1] == ["1", "60", "60", "0.0", "0", "0"]
    fastest = page_rows(client, "by=ministry&sort=medianDays&dir=asc")
    assert fastest[0][0] == "ministerie/mnre1013"  # one day
    by_name = page_rows(client, "by=party&sort=label")
    assert [g for g, _ in by_name][:3] == ["partij/cda", "partij/christenunie", "partij/d66"]
    assert client.get("/answer-times?sort=nonsense").status_code == 400
    assert client.get("/answer-times?by=cabinet").status_code == 400


def test_the_chart_draws_the_page_data(client):
    response = client.get("/charts/answer-times-per-minister?by=post")
    assert response.status_code == 200
    root = html5lib.parse(response.data, namespaceHTMLElements=False)
    chart = root.find(".//div[@id='chart']")
    assert chart.get("data-chart") == "answer-times-per-minister"
    assert chart.get("data-src") == "/answer-times.json?by=post"
    assert client.get("/answer-times.json?from=gisteren").status_code == 400


@pytest.mark.parametrize("query", ["by=minister&on=2020-01-01", "by=post&on=2019-12-20", "by=ministry",
                                   "by=party&on=2020-01-01", "by=party&from=2019-03-01&until=2019-09-30&on=2020-01-01"])
def test_the_page_index_gives_the_named_query_rows(client, query):
    """The page and its JSON come from the page index; the named query from the store: alike."""
    from_store = client.get(f"/queries/answer-times.json?{query}").get_json()
    from_index = client.get(f"/answer-times.json?{query}").get_json()
    assert from_index["columns"] == from_store["columns"]
    assert from_index["rows"] == from_store["rows"]
