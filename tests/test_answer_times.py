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

import html5lib
import pytest

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
