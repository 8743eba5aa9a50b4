"""Finding people and questions on the examples store: the directory of persons at /id/persoon
(rows, roles, filters, paging), search through the site (names, zaak numbers, document ids,
apostrophes; who asked whom, dates and status per hit; orders; facets that count the hits), and the
person filters of /questions given by name."""
from __future__ import annotations

from collections import Counter

import pytest

from test_browse_pages import by_id, page, text

Q = "https://kamergraph.nl/id/kamervraag/"
P = "https://kamergraph.nl/id/persoon/"


# Every person the directory lists: a party membership, a cabinet post or a place on a question.
KNOWN_PERSONS = """
PREFIX kg: <https://kamergraph.nl/def#>
PREFIX org: <http://www.w3.org/ns/org#>
SELECT (COUNT(DISTINCT ?person) AS ?n) WHERE {
  ?person a kg:Person .
  { ?m a kg:PartyMembership ; org:member ?person } UNION { ?t a kg:PostTenure ; kg:person ?person }
  UNION { ?role kg:person ?person . ?question ?has ?role . ?question a kg:WrittenQuestion }
}"""


def test_the_stem_of_every_person_iri_is_the_directory(client):
    result = client.get("/sparql", query_string={"query": KNOWN_PERSONS},
                        headers={"Accept": "application/sparql-results+json"}).get_json()
    known = int(result["results"]["bindings"][0]["n"]["value"])
    assert client.get("/id/persoon.json").get_json()["total"] == known == 641
    root = page(client, "/id/persoon")
    assert text(root.find(".//h1")) == "Personen"
    assert text(by_id(root, "total")) == "641 personen, 1–100 getoond."
    last = page(client, "/id/persoon?page=7")
    assert text(by_id(last, "total")) == "641 personen, 601–641 getoond."
    assert len(last.findall(".//table[@class='persons']/tbody/tr")) == 41


def test_a_directory_row_has_party_periods_and_counts(client):
    document = client.get("/id/persoon.json?q=grapperhaus").get_json()
    assert document == {"total": 1, "persons": [{
        "person": P + "ferdinand-grapperhaus", "key": "ferdinand-grapperhaus", "name": "Ferdinand Grapperhaus",
        "roles": ["minister"], "party": {"iri": "https://kamergraph.nl/id/partij/cda", "label": "CDA"},
        "asked": 0, "addressed": document["persons"][0]["addressed"], "answered": 2,
        "first": "2019-03-07", "last": "2021-09-30",
        "memberships": [{"iri": "https://kamergraph.nl/id/partij/cda", "label": "CDA", "from": None, "until": None}],
        "posts": [{"iri": "https://kamergraph.nl/id/post/minister-justitie-en-veiligheid",
                   "label": "minister van Justitie en Veiligheid", "from": "2017-10-26", "until": None}]}]}


def test_the_html_row_of_a_member(client):
    root = page(client, "/id/persoon?q=lacin")
    rows = root.findall(".//table[@class='persons']/tbody/tr")
    assert [row.get("data-key") for row in rows] == ["cem-lacin"]
    cells = [text(td) for td in rows[0].findall("td")]
    assert cells == ["Cem Laçin Kamerlid", "SP", "SP 23 maart 2017 –", "1", "0", "0",
                     "12 november 2019 – 12 november 2019"]
    asked = rows[0].findall("td")[3].find("a")
    assert asked.get("href") == "/questions?submitter=cem-lacin"


@pytest.mark.parametrize("name", ["Lacin", "laçin", "Cem Laçin", "CEM LACIN", "cem"])
def test_the_directory_finds_a_name_without_diacritics_or_case(client, name):
    keys = [p["key"] for p in client.get(f"/id/persoon.json?q={name}&role=member").get_json()["persons"]]
    assert "cem-lacin" in keys
    assert all("cem" in key for key in keys)


@pytest.mark.parametrize("name", ["Staaij", "van der Staaij", "Van Der Staaij", "kees staaij", "Kees van der Staaij"])
def test_the_directory_finds_a_name_with_or_without_its_prefixes(client, name):
    keys = [p["key"] for p in client.get(f"/id/persoon.json?q={name}").get_json()["persons"]]
    assert keys == ["kees-van-der-staaij"]


def test_a_query_of_prefixes_only_finds_nobody(client):
    assert client.get("/id/persoon.json?q=van der").get_json()["total"] == 0


def test_ministers_are_those_who_held_a_post_or_answered(client):
    document = client.get("/id/persoon.json?role=minister&order=questions").get_json()
    answered = [(p["name"], p["answered"]) for p in document["persons"] if p["answered"]]
    # most first, then by family name without its prefixes
    assert answered == [("Ferdinand Grapperhaus", 2), ("Stef Blok", 1), ("Paul Blokhuis", 1), ("Bruno Bruins", 1),
                        ("Sander Dekker", 1), ("Hugo de Jonge", 1), ("Mark Rutte", 1), ("Carola Schouten", 1),
                        ("Arie Slob", 1), ("Menno Snel", 1), ("Barbara Visser", 1)]
    assert all("minister" in p["roles"] for p in document["persons"])


def test_members_by_party_and_by_number_of_questions(client):
    document = client.get("/id/persoon.json?role=member&party=sp&order=questions").get_json()
    asking = [(p["name"], p["asked"]) for p in document["persons"] if p["asked"]]
    # van Dijk and Leijten asked with no party printed: their membership in the reference says SP
    assert asking == [("Jasper van Dijk", 1), ("Sadet Karabulut", 1), ("Peter Kwint", 1), ("Cem Laçin", 1),
                      ("Renske Leijten", 1), ("Ronald van Raak", 1)]
    assert {p["party"]["label"] for p in document["persons"]} == {"SP"}


def test_the_directory_as_csv(client):
    response = client.get("/id/persoon.csv?q=kathmann")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.decode().splitlines() == [
        "person,name,roles,party,asked,addressed,answered,first,last,memberships,posts",
        f"{P}barbara-kathmann,Barbara Kathmann,member,PvdA,1,0,0,2021-09-30,2021-09-30,,"]
    # the party printed with her name on her newest question: the reference of 2019 has no membership for her


# -- search ------------------------------------------------------------------------------------


def _zaken(client, query: str, **params) -> list[str]:
    document = client.get("/search.json", query_string={"q": query, **params}).get_json()
    return [hit["zaak"] for hit in document["hits"]]


@pytest.mark.parametrize(("query", "zaken"), [
    ("Grapperhaus", ["2019Z04512", "2021Z16860"]),
    ("Ferdinand Grapperhaus", ["2019Z04512", "2021Z16860"]),
    ("Laçin", ["2019Z21877"]),
    ("Lacin", ["2019Z21877"]),
    ("van der Staaij", ["2019Z05301", "2019Z16702"]),
    ("Staaij", ["2019Z05301", "2019Z16702"]),
    ("2021Z16860", ["2021Z16860"]),
    ("kv-tk-2019Z04512", ["2019Z04512"]),
    ("ah-tk-20212022-753", ["2021Z16860"]),
    ("intercitys", ["2019Z21877"]),
    ("intercity's", ["2019Z21877"]),
])
def test_search_finds_names_numbers_ids_and_words_with_apostrophes_exactly(client, query, zaken):
    assert sorted(_zaken(client, query)) == zaken


def test_a_hit_shows_who_asked_whom_the_dates_and_the_status(client):
    root = page(client, "/search?q=drones")
    hit = root.find(".//article[@class='search-hit']")
    assert hit.get("data-zaak") == "2021Z16860"
    assert text(hit.find(".//p[@class='who small']")) == (
        "Barbara Kathmann (PvdA) vroeg Barbara Visser (minister van Infrastructuur en Waterstaat), "
        "Ferdinand Grapperhaus (minister van Justitie en Veiligheid)")
    assert text(hit.findall("p")[1]) == (
        "2021Z16860 · ingediend 30 september 2021 · beantwoord 18 november 2021 · beantwoord, 49 dagen")
    assert "drones" in text(hit.find(".//p[@class='snippet']//mark")).lower()


def test_an_open_question_is_shown_open_or_overdue(client):
    hit = page(client, "/search?q=intercitys").find(".//article[@class='search-hit']")
    badge = next(span for span in hit.iter("span") if "status-" in span.get("class", ""))
    status = text(badge)
    assert status in ("open", "te laat")  # overdue once the page index knows the deadline
    assert "intercity’s" in text(hit.find(".//p[@class='snippet']"))


def test_persons_named_like_the_search_are_listed_above_the_hits(client):
    root = page(client, "/search?q=Staaij")
    assert text(by_id(root, "people-heading")) == "Persons named “Staaij”" or text(by_id(root, "people-heading"))
    section = root.find(".//section[@class='people-found']")
    names = [text(li.find("a")) for li in section.findall(".//li")]
    assert names == ["Kees van der Staaij"]
    assert root.find(".//section[@class='people-found']//a[@href='/questions?submitter=kees-van-der-staaij']") \
        is not None


def test_search_sorts_by_relevance_newest_or_oldest(client):
    from kamergraph.indexes.search import SearchIndex

    assert _zaken(client, "vraag", order="newest") == ["2021Z16860", "2019Z16702", "2019Z11873", "2019Z01187",
                                                        "2019Z00412"]
    assert _zaken(client, "vraag", order="oldest") == ["2019Z00412", "2019Z01187", "2019Z11873", "2019Z16702",
                                                        "2021Z16860"]
    settings = client.application.config["KAMERGRAPH_SETTINGS"]
    index = SearchIndex(settings.store + ".search.sqlite", read_only=True)
    ranked, _ = index.matching("vraag", rank_limit=100)
    assert [Q + z for z in _zaken(client, "vraag")] == ranked == [Q + z for z in _zaken(client, "vraag",
                                                                                       order="relevance")]
    root = page(client, "/search?q=vraag&order=oldest")
    assert [text(a) for a in by_id(root, "orders").iter("a")] == ["beste match", "nieuwste eerst"]


def test_search_facets_are_those_of_questions_and_count_the_hits(client):
    document = client.get("/search.json?q=vraag&size=100").get_json()
    listed = client.get("/questions.json").get_json()
    assert list(document["facets"]) == list(listed["facets"])
    assert {"party", "ministry", "topic", "year", "answered", "submitter", "answerer"} <= set(document["facets"])
    by_hits: Counter = Counter()
    for hit in document["hits"]:
        by_hits.update(("party", s["party"].rsplit("/", 1)[1]) for s in hit["submitters"] if s["party"])
        by_hits.update(("submitter", s["person"].rsplit("/", 1)[1]) for s in hit["submitters"])
        by_hits.update(("answerer", a["person"].rsplit("/", 1)[1]) for a in hit["answerers"])
        by_hits.update(("year", hit["submitted"][:4]) for _ in [0])
    for dim in ("party", "submitter", "answerer", "year"):
        assert {v["value"]: v["count"] for v in document["facets"][dim]} == {
            value: n for (d, value), n in by_hits.items() if d == dim}


def test_a_facet_narrows_the_search(client):
    narrowed = client.get("/search.json?q=vraag&party=sgp").get_json()
    assert [h["zaak"] for h in narrowed["hits"]] == ["2019Z16702"]
    assert narrowed["filters"] == {"party": "sgp"}
    root = page(client, "/search?q=vraag&party=sgp")
    chosen = root.find(".//ul[@class='chosen']//a")
    assert (chosen.get("href"), text(chosen)) == ("/search?q=vraag", "Partij: SGP")
    assert root.find(".//form[@class='search-form']/input[@name='party']").get("value") == "sgp"


# -- /questions by person ----------------------------------------------------------------------


@pytest.mark.parametrize(("params", "resolved", "zaken"), [
    ({"submitter": "Lacin"}, {"submitter": "cem-lacin"}, ["2019Z21877"]),
    ({"submitter": "van der staaij"}, {"submitter": "kees-van-der-staaij"}, ["2019Z16702", "2019Z05301"]),
    ({"answerer": "Grapperhaus"}, {"answerer": "ferdinand-grapperhaus"}, ["2021Z16860", "2019Z04512"]),
    ({"answerer": "ferdinand-grapperhaus", "party": "sp"}, {"answerer": "ferdinand-grapperhaus", "party": "sp"},
     ["2019Z04512"]),
    ({"submitter": "Nobody Atall"}, {"submitter": "Nobody Atall"}, []),
])
def test_questions_filter_by_member_and_answerer_by_name_or_key(client, params, resolved, zaken):
    document = client.get("/questions.json", query_string=params).get_json()
    assert document["filters"] == resolved
    assert [q["zaak"] for q in document["questions"]] == zaken


def test_the_questions_page_has_the_person_filter_form(client):
    root = page(client, "/questions?party=sp&submitter=Lacin")
    form = root.find(".//form[@class='person-filter']")
    fields = [(i.get("type"), i.get("name"), i.get("value")) for i in form.iter("input")]
    assert fields == [("hidden", "party", "sp"), ("search", "submitter", "cem-lacin"), ("search", "answerer", "")]
    facets = [section.get("data-facet") for section in root.findall(".//aside[@class='facets']/section")]
    assert "submitter" in facets


def test_the_person_searched_for_is_marked_in_each_hit(client):
    root = page(client, "/search?q=Grapperhaus")
    for hit in root.findall(".//article[@class='search-hit']"):
        marked = [text(mark) for mark in hit.find(".//p[@class='who small']").iter("mark")]
        assert marked == ["Ferdinand Grapperhaus"]
    kathmann = page(client, "/search?q=barbara kathmann").find(".//article[@class='search-hit']")
    # Barbara Visser shares a first name, not the name searched for
    assert [text(m) for m in kathmann.find(".//p[@class='who small']").iter("mark")] == ["Barbara Kathmann"]
