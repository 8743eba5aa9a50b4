"""The browse pages on the examples store: what each page shows (exact rows and counts), their
machine twins, the schema.org JSON-LD in their head, the security headers, and HTML that a strict
HTML5 parser reads without an error."""
from __future__ import annotations

import csv
import io
import json

import html5lib
import pytest

Q_PATH = "/id/kamervraag/2021Z16860"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

PAGES = [
    "/", "/questions", "/questions?party=sp&answered=yes", "/questions?order=oldest&page=2", "/search?q=drones",
    "/search", Q_PATH, "/id/kamervraag/2019Z21877", "/id/kamervraag/2019Z04512", "/id/persoon/kees-van-der-staaij",
    "/id/persoon/ferdinand-grapperhaus", "/id/partij/sp", "/id/ministerie/mnre1058",
    "/id/post/minister-justitie-en-veiligheid", "/id/onderwerp/luchtvaart", "/id/onderwerp/verkeer-thema",
    "/id/onderwerp", Q_PATH + "/antwoord/20", "/graph/kamervraag/2021Z16860", "/graph/referentie", "/def",
    "/resource?iri=https%3A%2F%2Fkamergraph.nl%2Fdef%23WrittenQuestion", "/.well-known/void", "/downloads",
    "/id/persoon", "/id/persoon?role=minister&order=questions", "/search?q=Grapperhaus&party=sp",
    "/id/kamervraag/2099Z99999",
]


def parse_strict(data: bytes):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(data)


def page(client, path: str, status: int = 200):
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == status, response.data[:500]
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    return parse_strict(response.data)


def text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def by_id(root, id_: str):
    found = root.find(f".//*[@id='{id_}']")
    assert found is not None, f"no element with id {id_}"
    return found


def links(element) -> list[tuple[str, str]]:
    return [(a.get("href"), text(a)) for a in element.iter("a")]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_valid_html_with_safety_headers(client, path):
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == (404 if "2099Z" in path else 200)
    parse_strict(response.data)
    assert response.headers["Content-Security-Policy"] == CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert b"<script>" not in response.data  # no inline script: the CSP would block it


@pytest.mark.parametrize("path", [p for p in PAGES if "2099Z" not in p])
def test_every_page_says_this_data_as_and_embeds_json_ld(client, path):
    root = page(client, path)
    twins = root.find(".//footer/p[@class='twins']")
    labels = [label for _, label in links(twins)]
    assert labels[:4] == ["HTML", "Turtle", "JSON-LD", "N-Triples"]
    if path.startswith(("/questions", "/search")):
        assert labels[-2:] == ["CSV", "JSON"]
    scripts = root.findall(".//head/script[@type='application/ld+json']")
    assert len(scripts) == 1
    document = json.loads(scripts[0].text)
    assert document["@context"] == "https://schema.org"
    alternates = root.findall(".//head/link[@rel='alternate']")
    assert [a.get("type") for a in alternates][:5] == [
        "text/html", "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]


def test_question_page(client):
    root = page(client, Q_PATH)
    assert text(root.find(".//h1")) == "Mogelijke dataverzameling van Chinese drones"
    assert text(by_id(root, "answered")).startswith(
        "18 november 2021, na 49 dagen te laat: termijn was 11 november 2021")
    assert links(by_id(root, "submitters")) == [("/id/persoon/barbara-kathmann", "Barbara Kathmann"),
                                                ("/id/partij/pvda", "PvdA")]
    assert links(by_id(root, "answerers")) == [
        ("/id/persoon/barbara-visser", "Barbara Visser"),
        ("/id/post/minister-infrastructuur-en-waterstaat", "minister van Infrastructuur en Waterstaat"),
        ("/id/ministerie/mnre1130", "ministerie van Infrastructuur en Waterstaat"),
        ("/id/persoon/ferdinand-grapperhaus", "Ferdinand Grapperhaus"),
        ("/id/post/minister-justitie-en-veiligheid", "minister van Justitie en Veiligheid"),
        ("/id/ministerie/mnre1058", "ministerie van Justitie en Veiligheid"),
    ]
    topics = links(by_id(root, "topics"))
    assert ("/id/onderwerp/luchtvaart", "Luchtvaart") in topics
    assert ("/id/onderwerp/verkeer-thema", "Verkeer") in topics
    qa = root.findall(".//ol[@class='qa']/li")
    assert len(qa) == 22
    assert [li.get("id") for li in qa[:3]] == ["vraag-1", "vraag-2", "vraag-3"]
    first = by_id(root, "vraag-1")
    assert text(first.find("div[@class='q']")).startswith("Vraag 1 Bent u bekend met de artikelen")
    assert text(by_id(root, "antwoord-1")) == "Antwoord 1 Ja."
    # kg:refersTo: answer 20 refers to answer 2; the mention in the text and the note link there
    answer20 = by_id(root, "antwoord-20")
    assert ("#antwoord-2", "2") in links(answer20)
    assert ("#antwoord-2", "antwoord 2") in links(answer20)
    assert len(by_id(root, "mededelingen").findall(".//div[@class='notice']")) == 1
    assert links(by_id(root, "documents"))[:2] == [("/id/document/kv-tk-2021Z16860", "kv-tk-2021Z16860"),
                                                    ("https://zoek.officielebekendmakingen.nl/kv-tk-2021Z16860.html",
                                                     "op officielebekendmakingen")]
    document = json.loads(root.find(".//head/script[@type='application/ld+json']").text)
    assert document["@type"] == "Question"
    assert document["@id"] == "https://kamergraph.nl" + Q_PATH
    assert document["author"][0]["name"] == "Barbara Kathmann"


def test_question_with_footnotes_and_an_open_question(client):
    root = page(client, "/id/kamervraag/2019Z04512")
    notes = by_id(root, "voetnoten").findall(".//li")
    assert [n.get("id") for n in notes] == ["voetnoot-1", "voetnoot-2", "voetnoot-3", "voetnoot-4", "voetnoot-5"]
    assert text(notes[1]).startswith("2. https://www.consumentenbond.nl/")
    assert notes[1].find("a") is None  # footnote text is text, not a link
    # due 28 March (three weeks), answered 1 April
    assert text(by_id(root, "answered")).endswith("te laat: termijn was 28 maart 2019")
    open_ = page(client, "/id/kamervraag/2019Z21877")
    assert text(by_id(open_, "answered")) == "nog niet beantwoord"
    assert open_.find(".//*[@id='answerers']") is None
    quick = page(client, "/id/kamervraag/2019Z08003")
    assert text(by_id(quick, "answered")) == "24 april 2019, na 1 dag binnen de termijn"


def test_person_page(client):
    root = page(client, "/id/persoon/kees-van-der-staaij")
    assert text(root.find(".//h1")) == "Kees van der Staaij"
    assert links(by_id(root, "memberships"))[0] == ("/id/partij/sgp", "SGP")
    asked = by_id(root, "asked")
    assert text(asked.find("h2")) == "Gestelde vragen (2)"
    rows = asked.findall(".//table[@class='questions']/tbody/tr")
    assert [links(r)[0] for r in rows] == [
        ("/id/kamervraag/2019Z16702", "Het toenemende gebruik van lachgas door jongeren"),
        ("/id/kamervraag/2019Z05301", "Gokreclames rond sportwedstrijden"),
    ]
    # co-submitters are shown with the questions, and counted
    assert ("/id/persoon/carla-dik-faber", "Carla Dik-Faber") in links(rows[0])
    together = asked.find(".//section[@data-facet='submitter']")
    assert links(together) == [("/id/persoon/carla-dik-faber", "Carla Dik-Faber")]


def test_minister_page(client):
    root = page(client, "/id/persoon/ferdinand-grapperhaus")
    # The tenure (openkamer names the ministry "veiligheid en justitie") and the answers are one post.
    assert links(by_id(root, "posts"))[0] == ("/id/post/minister-justitie-en-veiligheid",
                                               "minister van Justitie en Veiligheid")
    assert links(by_id(root, "answered-as")) == [("/id/post/minister-justitie-en-veiligheid",
                                                  "minister van Justitie en Veiligheid")]
    answered = by_id(root, "answered")
    assert text(answered.find("h2")) == "Beantwoorde vragen (2)"
    assert text(by_id(root, "asked").find("h2")) == "Gestelde vragen (0)"


def test_party_page(client):
    root = page(client, "/id/partij/sp")
    assert text(root.find(".//h1")).startswith("SP")
    questions = by_id(root, "questions")
    assert text(questions.find("h2")) == "Vragen (3)"
    ministries = questions.find(".//section[@data-facet='ministry']")
    assert links(ministries) == [
        ("/questions?party=sp&ministry=mnre1058", "ministerie van Justitie en Veiligheid"),
        ("/questions?party=sp&ministry=mnre1109", "ministerie van Onderwijs, Cultuur en Wetenschap"),
    ]
    assert [text(count) for count in ministries.findall(".//span[@class='count']")] == ["1", "1"]
    members = questions.find(".//section[@data-facet='submitter']")
    # one question each, by name; co-submitters of other parties (Attje Kuiken of PvdA, Suzanne
    # Kröger of GL) are not SP's members
    assert [label for _, label in links(members)] == ["Cem Laçin", "Peter Kwint", "Ronald van Raak",
                                                      "Sadet Karabulut"]


def test_ministry_post_and_topic_pages(client):
    ministry = page(client, "/id/ministerie/mnre1058")
    assert text(by_id(ministry, "questions").find("h2")) == "Beantwoorde vragen (3)"
    posts = by_id(ministry, "questions").find(".//section[@data-facet='post']")
    assert [label for _, label in links(posts)] == ["minister van Justitie en Veiligheid",
                                                    "minister voor Rechtsbescherming"]
    post = page(client, "/id/post/minister-justitie-en-veiligheid")
    assert text(by_id(post, "questions").find("h2")) == "Vragen beantwoord in deze post (2)"
    theme = page(client, "/id/onderwerp/verkeer-thema")
    assert text(by_id(theme, "questions").find("h2")) == "Vragen (2)"
    assert [label for _, label in links(by_id(theme, "narrower"))][:2] == ["Luchtvaart", "Spoor"]
    sub = page(client, "/id/onderwerp/luchtvaart")
    assert links(by_id(sub, "broader")) == [("/id/onderwerp/verkeer-thema", "Verkeer")]
    assert text(by_id(sub, "questions").find("h2")) == "Vragen (1)"


def facet(root, dim: str) -> list[tuple[str, str]]:
    section = root.find(f".//aside[@class='facets']/section[@data-facet='{dim}']")
    if section is None:
        return []
    return [(text(li.find("a")), text(li.find("span"))) for li in section.iter("li")]


def test_list_facets_follow_the_choices(client):
    root = page(client, "/questions")
    assert text(by_id(root, "total")).startswith("10 vragen, 1–10 getoond")
    assert facet(root, "party") == [("SP", "3"), ("GroenLinks", "2"), ("PvdA", "2"), ("SGP", "2"), ("CDA", "1"),
                                    ("ChristenUnie", "1"), ("D66", "1"), ("VVD", "1")]
    assert facet(root, "year") == [("2021", "1"), ("2019", "9")]
    assert facet(root, "answered") == [("beantwoord", "9"), ("nog niet beantwoord", "1")]
    assert facet(root, "term") == [("na meer dan drie weken beantwoord", "8"),
                                   ("binnen drie weken beantwoord", "1")]
    assert facet(root, "status") == [("beantwoord", "9"), ("te laat", "1")]
    sp = page(client, "/questions?party=sp")
    assert text(by_id(sp, "total")).startswith("3 vragen, 1–3 getoond")
    assert facet(sp, "answered") == [("beantwoord", "2"), ("nog niet beantwoord", "1")]
    assert facet(sp, "ministry") == [("ministerie van Justitie en Veiligheid", "1"),
                                     ("ministerie van Onderwijs, Cultuur en Wetenschap", "1")]
    both = page(client, "/questions?party=sp&answered=no")
    rows = both.findall(".//table[@class='questions']/tbody/tr")
    assert [links(r)[0][0] for r in rows] == ["/id/kamervraag/2019Z21877"]
    chosen = both.find(".//ul[@class='chosen']")
    assert links(chosen) == [("/questions?answered=no", "Partij: SP"),
                             ("/questions?party=sp", "Beantwoord: nog niet beantwoord")]
    none = page(client, "/questions?party=sp&year=2021")
    assert text(by_id(none, "total")).startswith("0 vragen")
    unknown = page(client, "/questions?party=no-such-party")
    assert text(by_id(unknown, "total")).startswith("0 vragen")


def test_list_twins_csv_and_json(client):
    response = client.get("/questions.csv?party=sp")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.data.decode())))
    assert rows[0] == ["question", "zaak", "title", "submitted", "answered", "days", "submitters", "parties",
                       "answerers", "ministries", "topics"]
    assert [r[1] for r in rows[1:]] == ["2019Z21877", "2019Z04512", "2019Z01187"]
    assert rows[2][3:8] == ["2019-03-07", "2019-04-01", "25", "Sadet Karabulut; Ronald van Raak; Attje Kuiken",
                            "SP; SP; PvdA"]
    by_accept = client.get("/questions?party=sp", headers={"Accept": "application/json"})
    assert by_accept.headers["Content-Type"] == "application/json; charset=utf-8"
    assert by_accept.headers["Vary"] == "Accept"
    document = by_accept.get_json()
    assert document["total"] == 3 and document["page"] == 1 and document["next"] is None
    assert document["questions"][0]["submitters"] == [
        {"person": "https://kamergraph.nl/id/persoon/cem-lacin", "name": "Cem Laçin",
         "party": "https://kamergraph.nl/id/partij/sp", "partyLabel": "SP"},
        {"person": "https://kamergraph.nl/id/persoon/suzanne-kroger", "name": "Suzanne Kröger",
         "party": "https://kamergraph.nl/id/partij/groenlinks", "partyLabel": "GroenLinks"}]
    assert document["facets"]["answered"] == [{"value": "yes", "label": "answered", "count": 2, "iri": None},
                                              {"value": "no", "label": "not answered yet", "count": 1, "iri": None}]
    paged = client.get("/questions.json?size=4&page=2").get_json()
    assert [q["zaak"] for q in paged["questions"]] == ["2019Z09418", "2019Z08003", "2019Z05301", "2019Z04512"]
    assert paged["next"] == "http://localhost/questions?page=3&size=4&format=json"


def test_list_as_rdf(client):
    from pyoxigraph import NamedNode, RdfFormat, parse

    response = client.get("/questions?party=sp", headers={"Accept": "text/turtle"})
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    triples = list(parse(response.data, format=RdfFormat.TURTLE))
    subjects = {t.subject.value for t in triples}
    assert subjects == {f"https://kamergraph.nl/id/kamervraag/{z}" for z in ("2019Z21877", "2019Z04512", "2019Z01187")}
    assert NamedNode("https://kamergraph.nl/id/partij/sp") not in {t.object for t in triples}


def test_search(client):
    root = page(client, "/search?q=drones")
    assert text(by_id(root, "total")).startswith("1 vraag bevat drones")
    hit = root.find(".//article[@class='search-hit']")
    assert links(hit) == [(Q_PATH, "Mogelijke dataverzameling van Chinese drones"),
                          ("/id/persoon/barbara-kathmann", "Barbara Kathmann"),
                          ("/id/persoon/barbara-visser", "Barbara Visser"),
                          ("/id/persoon/ferdinand-grapperhaus", "Ferdinand Grapperhaus")]
    assert hit.find(".//mark") is not None
    document = client.get("/search.json?q=drones").get_json()
    assert document["total"] == 1
    assert document["hits"][0]["question"] == "https://kamergraph.nl" + Q_PATH
    assert "\x02" not in document["hits"][0]["snippet"]
    empty = page(client, "/search?q=zzzzqqqq")
    assert text(by_id(empty, "total")).startswith("0 vragen")


def test_a_search_page_number_past_every_integer_is_the_last_page(client):
    response = client.get("/search.json?q=vraag&page=" + "9" * 30)
    assert response.status_code == 200, response.data
    document = response.get_json()
    assert document["page"] == document["pages"] == 1 and len(document["hits"]) == document["total"] == 5


def test_a_list_page_number_past_every_integer_is_the_last_page(client):
    response = client.get("/questions.json?page=" + "9" * 30)
    assert response.status_code == 200, response.data
    document = response.get_json()
    assert document["page"] == document["pages"] == 1 and len(document["questions"]) == 10


def test_home_page(client):
    root = page(client, "/")
    counts = text(root.find(".//ul[@class='counts']"))
    assert counts == ("10 vragen 9 beantwoord 1 nog niet beantwoord 1 nu te laat "
                      "8 na meer dan drie weken beantwoord 15 Kamerleden die vroegen "
                      "11 bewindspersonen die antwoordden 8 partijen 8 ministeries 29 onderwerpen")
    recent = by_id(root, "recent").findall("li")
    assert len(recent) == 10
    assert links(recent[0])[0] == (Q_PATH, "Mogelijke dataverzameling van Chinese drones")
    submitters = by_id(root, "submitters").findall(".//tbody/tr")
    assert links(submitters[0]) == [("/id/persoon/kees-van-der-staaij", "Kees van der Staaij"),
                                    ("/id/partij/sgp", "SGP")]
    assert text(submitters[0].findall("td")[2]) == "2"
    assert links(by_id(root, "parties"))[0] == ("/id/partij/sp", "SP")
    assert ("/.well-known/void", "beschrijving van de dataset (VoID, DCAT)") in links(root)


def test_generic_page_lists_both_directions(client):
    generic = page(client, "/resource?iri=https%3A%2F%2Fkamergraph.nl%2Fid%2Fpartij%2Fsp")
    assert ("/def#Party", "party") in links(by_id(generic, "outgoing"))
    incoming = by_id(generic, "incoming")
    # 49 memberships, 4 printed parties of submissions, 4 submission lists printed with SP (kg:printedParty),
    # 5 lists of co-submitters printed with it (kg:firstPrintedParty 2, kg:secondPrintedParty 3)
    assert text(incoming.find("h2")) == "Uitspraken die ernaar verwijzen (62)"
    assert ("/id/kamervraag/2019Z04512/indiener/1", "https://kamergraph.nl/id/kamervraag/2019Z04512/indiener/1") \
        in links(incoming)


def test_error_page_for_html_and_plain_text_for_others(client):
    html = client.get("/no/such/page", headers={"Accept": "text/html"})
    assert html.status_code == 404
    assert html.headers["Content-Type"] == "text/html; charset=utf-8"
    plain = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert plain.status_code == 404
    assert plain.headers["Content-Type"] == "text/plain; charset=utf-8"
    # the SPARQL endpoint keeps its own plain-text errors
    assert client.get("/sparql?query=SELEKT", headers={"Accept": "text/html"}).headers["Content-Type"].startswith(
        "text/plain")


@pytest.mark.parametrize("path, message", [
    ("/id/kamervraag/2099Z99999", "There is nothing at /id/kamervraag/2099Z99999 in this dataset."),
    ("/charts/no-such-chart", "There is nothing at /charts/no-such-chart in this dataset."),
    ("/queries/no-such-query", "There is no named query 'no-such-query'; the list is at /queries."),
    ("/explore/nothing", "There is nothing at /explore/nothing in this dataset."),
])
def test_every_page_that_is_not_there_is_the_sites_404_page(client, path, message):
    client.set_cookie("lang", "en")  # the messages in English (test_language.py has the Dutch 404)
    html = client.get(path, headers={"Accept": "text/html"})
    assert html.status_code == 404
    assert html.headers["Content-Type"] == "text/html; charset=utf-8"
    assert html.headers["Content-Security-Policy"] == CSP
    assert html.headers["Vary"] == "Accept, Cookie"  # the language cookie (site/i18n.py)
    section = parse_strict(html.data).find(".//section[@class='error']")
    assert [text(p) for p in section.findall("p")][:2] == ["404", message]
    assert text(section.find("h1")) == "Not found"
    plain = client.get(path, headers={"Accept": "text/plain"})
    assert plain.status_code == 404
    assert plain.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert plain.data.decode() == message + "\n"


def test_a_method_a_page_does_not_take_is_the_sites_405_page(client):
    response = client.post("/charts/answer-times", headers={"Accept": "text/html"})
    assert response.status_code == 405
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert text(parse_strict(response.data).find(".//section[@class='error']/h1")) == "Methode niet toegestaan"


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/store?graph=http://example.org/no-such-graph", 406),  # graphs come in no HTML
    ("DELETE", "/store?graph=http://example.org/no-such-graph", 403),
    ("PUT", "/sparql", 405),
    ("GET", "/sparql?query=SELEKT", 400),
])
def test_the_protocol_endpoints_keep_plain_text_errors(client, method, path, status):
    response = client.open(path, method=method, headers={"Accept": "text/html"})
    assert response.status_code == status
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "Content-Security-Policy" not in response.headers


def test_broad_search_lists_the_newest_matches_first(client, monkeypatch):
    from kamergraph.endpoint.site import finding as searching

    monkeypatch.setattr(searching, "RANK_LIMIT", 3)  # as if "het" matched more than the ranking allows
    document = client.get("/search.json?q=het&size=4").get_json()
    assert document["ranked"] is False
    assert document["total"] == 10
    assert len(document["hits"]) == 4
    root = page(client, "/search?q=het")
    assert "te veel om op relevantie te ordenen: nieuwste eerst" in text(by_id(root, "total"))
    assert [hit["zaak"] for hit in document["hits"]] == ["2021Z16860", "2019Z21877", "2019Z16702", "2019Z11873"]
    ranked = client.get("/search.json?q=drones").get_json()
    assert ranked["ranked"] is True
