"""The named queries over HTTP: /queries, /queries/NAME and its .json, .csv and .rq twins, on the
examples store (exact rows), and the link that opens a query in the SPARQL editor (in Chromium)."""
from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import html5lib
import pyoxigraph
import pytest

from browser import screenshot
from kamergraph import queries
from kamergraph.endpoint.analysis.named_queries import HTML_ROWS

BASE = "https://kamergraph.nl/id/"
PARTY_MINISTRY = [  # who-asked-whom by=party to=ministry on the examples, in the query's order
    ("partij/pvda", "PvdA", "ministerie/mnre1058", "ministerie van Justitie en Veiligheid", 2),
    ("partij/cda", "CDA", "ministerie/mnre1153", "ministerie van Landbouw, Visserij, Voedselzekerheid en Natuur", 1),
    ("partij/christenunie", "ChristenUnie", "ministerie/mnre1025", "ministerie van Volksgezondheid, Welzijn en Sport",
     1),
    ("partij/d66", "D66", "ministerie/mnre1013", "ministerie van Buitenlandse Zaken", 1),
    ("partij/groenlinks", "GroenLinks", "ministerie/mnre1090", "ministerie van Financiën", 1),
    ("partij/groenlinks", "GroenLinks", "ministerie/mnre1025", "ministerie van Volksgezondheid, Welzijn en Sport", 1),
    ("partij/pvda", "PvdA", "ministerie/mnre1130", "ministerie van Infrastructuur en Waterstaat", 1),
    ("partij/sgp", "SGP", "ministerie/mnre1058", "ministerie van Justitie en Veiligheid", 1),
    ("partij/sgp", "SGP", "ministerie/mnre1025", "ministerie van Volksgezondheid, Welzijn en Sport", 1),
    ("partij/sp", "SP", "ministerie/mnre1058", "ministerie van Justitie en Veiligheid", 1),
    ("partij/sp", "SP", "ministerie/mnre1109", "ministerie van Onderwijs, Cultuur en Wetenschap", 1),
    ("partij/vvd", "VVD", "ministerie/mnre1153", "ministerie van Landbouw, Visserij, Voedselzekerheid en Natuur", 1),
]
# Values for the required parameters, so that every named query can run.
REQUIRED = {
    "person": BASE + "persoon/renske-leijten",
    "party": BASE + "partij/sp",
    "topic": BASE + "onderwerp/zorg-en-gezondheid",
    "ministry": BASE + "ministerie/mnre1058",
    "post": BASE + "post/minister-justitie-en-veiligheid",
    "source": BASE + "partij/pvda",
    "target": BASE + "ministerie/mnre1058",
    "iri": BASE + "partij/sp",
}


def parse(html: str):
    return html5lib.parse(html, namespaceHTMLElements=False)


def text_of(element) -> str:
    return "".join(element.itertext()).strip()


def get_json(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.content_type == "application/json; charset=utf-8"
    return response.get_json()


def required_values(named: queries.NamedQuery) -> dict[str, str]:
    """Values for the query's required parameters: ours, else the example its description gives."""
    values = {}
    for p in named.parameters:
        if p.required:
            example = re.search(r"e\.g\. (\S+?)[;,.]?(?:\s|$)", p.description)
            values[p.name] = REQUIRED.get(p.name) or (example and example.group(1))
            assert values[p.name], f"{named.name}: no example value for {p.name}"
    return values


# ---- the index ------------------------------------------------------------------------------------

def test_index_lists_every_named_query_with_title_and_description(client):
    response = client.get("/queries")
    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    rows = {row.get("id"): row for row in page.iter("tr") if row.get("id")}
    assert set(rows) == {f"query-{name}" for name in queries.published()}
    for name, named in queries.published().items():
        row = rows[f"query-{name}"]
        link = row.find("td/a")
        dutch = named.in_language("nl")  # the page's language; `names` in the text are shown as code
        assert link.get("href") == f"/queries/{name}" and text_of(link) == dutch.title
        assert text_of(row.findall("td")[1]) == dutch.description.replace("`", "")
    assert {"questions-between", "party-counts", "topic-counts", "who-asked-whom"} <= set(queries.registry())
    headings = [text_of(h) for h in page.iter("h2")]
    assert headings[0] == "Vragen om te stellen"  # the page-... queries of the browse pages come after, if any
    first_table = page.find(".//table[@class='queries-index']")
    assert not any(row.get("id").startswith("query-page-") for row in first_table.iter("tr") if row.get("id"))


def test_index_json_describes_the_parameters(client):
    document = get_json(client, "/queries.json")
    by_name = {q["name"]: q for q in document["queries"]}
    assert list(by_name) == list(queries.published())
    who = by_name["who-asked-whom"]
    assert who["title"] == "Who asked whom"
    assert [(p["name"], p["type"], p["required"], p["default"]) for p in who["parameters"]] == [
        ("by", "string", False, "member"), ("to", "string", False, "minister"), ("topic", "iri", False, None),
        ("party", "iri", False, None), ("ministry", "iri", False, None), ("from", "date", False, None),
        ("until", "date", False, None),
    ]
    assert who["json"] == "http://localhost/queries/who-asked-whom.json"


# ---- a query page -------------------------------------------------------------------------------

def test_page_has_a_typed_form_with_defaults_and_the_results_as_a_table(client):
    response = client.get("/queries/who-asked-whom?by=party&to=ministry")
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]  # the browser tests run under it
    page = parse(response.get_data(as_text=True))
    form = page.find(".//form[@class='query-parameters']")
    assert form.get("action") == "/queries/who-asked-whom" and form.get("method") == "get"
    inputs = {i.get("name"): i for i in form.iter("input")}
    selects = {s.get("name"): s for s in form.iter("select")}
    assert inputs["by"].get("type") == "text" and inputs["by"].get("value") == "party"
    assert inputs["to"].get("value") == "ministry"
    assert [o.get("value") for o in page.findall(".//datalist[@id='suggest-by']/option")] == ["member", "party"]
    assert inputs["from"].get("type") == "date" and inputs["until"].get("type") == "date"
    # IRI parameters naming a party or a topic are a choice among those in the store, by key.
    party_options = [(o.get("value"), text_of(o)) for o in selects["party"].iter("option")]
    assert party_options[:3] == [("", "(alle)"), ("sp", "SP (3)"), ("groenlinks", "GroenLinks (2)")]
    topic_options = [(o.get("value"), text_of(o)) for o in selects["topic"].iter("option")]
    assert ("spoor", "— Spoor (1)") in topic_options

    table = page.find(".//table[@class='results']")
    assert [text_of(th) for th in table.findall("thead/tr/th")] == ["source", "sourceLabel", "target", "targetLabel",
                                                                    "questions"]
    rows = table.findall("tbody/tr")
    # a thing of the store shows its name and links its page
    assert [[text_of(td) for td in row.findall("td")] for row in rows] == [
        [sl, sl, tl, tl, str(n)] for s, sl, t, tl, n in PARTY_MINISTRY
    ]
    first = rows[0].findall("td")
    # IRIs under the base IRI link to this server's pages; numbers are marked for the CSS.
    assert first[0].find("a").get("href") == "/id/partij/pvda"
    assert first[0].find("a").get("title") == BASE + "partij/pvda"
    assert first[4].get("class") == "number"
    assert text_of(page.find(".//p[@class='count']")) == f"{len(PARTY_MINISTRY)} rijen."


def test_page_links_its_twins_and_the_editor_with_the_bound_query(client):
    response = client.get("/queries/who-asked-whom?by=party&to=ministry&topic=")
    page = parse(response.get_data(as_text=True))
    twins = {a.get("type"): a.get("href") for a in page.findall(".//a[@class='twin']")}
    assert twins == {
        "application/json": "/queries/who-asked-whom.json?by=party&to=ministry",
        "text/csv": "/queries/who-asked-whom.csv?by=party&to=ministry",
        "application/sparql-query": "/queries/who-asked-whom.rq?by=party&to=ministry",
    }
    alternates = {link.get("type") for link in page.findall(".//head/link[@rel='alternate']")}
    assert {"application/json", "text/csv"} <= alternates

    editor = urlsplit(page.find(".//a[@class='editor-link']").get("href"))
    assert editor.path == "/sparql"
    fragment = parse_qs(editor.fragment)
    bound = queries.registry()["who-asked-whom"].bound_text({"by": "party", "to": "ministry"})
    assert fragment["query"] == [bound] and fragment["tabTitle"] == ["Wie vroeg wie"]
    assert "+" not in editor.fragment  # spaces as %20: YASGUI's URL parser reads + as a plus
    assert text_of(page.find(".//details[@class='sparql-text']/pre")) == bound.strip()
    assert (text_of(page.find(".//code[@class='command']"))
            == "kamergraph query who-asked-whom --param by=party --param to=ministry")
    assert client.get(twins["application/sparql-query"]).get_data(as_text=True) == bound


def test_iris_outside_the_base_iri_link_to_themselves(client):
    page = parse(client.get("/queries/answer-times-by-ministry").get_data(as_text=True))
    links = [a.get("href") for a in page.findall(".//table[@class='results']//a")]
    assert "https://identifier.overheid.nl/tooi/id/ministerie/mnre1058" in links
    assert "/id/ministerie/mnre1058" in links


# ---- twins: exact rows on the examples ----------------------------------------------------------

def test_json_twin_gives_typed_rows(client):
    document = get_json(client, "/queries/who-asked-whom.json?by=party&to=ministry")
    assert document["query"] == "who-asked-whom" and document["title"] == "Who asked whom"
    assert document["parameters"] == {"by": "party", "to": "ministry"}
    assert document["columns"] == ["source", "sourceLabel", "target", "targetLabel", "questions"]
    assert document["truncated"] is False
    assert document["rows"] == [
        {"source": BASE + s, "sourceLabel": sl, "target": BASE + t, "targetLabel": tl, "questions": n}
        for s, sl, t, tl, n in PARTY_MINISTRY
    ]
    assert document["sparql"] == queries.registry()["who-asked-whom"].bound_text({"by": "party", "to": "ministry"})


def test_csv_twin_is_the_sparql_csv_of_the_same_rows(client):
    response = client.get("/queries/who-asked-whom.csv?by=party&to=ministry")
    assert response.status_code == 200 and response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows == [["source", "sourceLabel", "target", "targetLabel", "questions"]] + [
        [BASE + s, sl, BASE + t, tl, str(n)] for s, sl, t, tl, n in PARTY_MINISTRY
    ]


def test_questions_per_month_by_party_csv(client):
    text = client.get("/queries/questions-per-month-by-party.csv").get_data(as_text=True)
    assert text.replace("\r\n", "\n") == "\n".join([
        "month,party,partyLabel,questions",
        "2019-01,https://kamergraph.nl/id/partij/groenlinks,GroenLinks,1",
        "2019-01,https://kamergraph.nl/id/partij/sp,SP,1",
        "2019-03,https://kamergraph.nl/id/partij/pvda,PvdA,1",
        "2019-03,https://kamergraph.nl/id/partij/sgp,SGP,1",
        "2019-03,https://kamergraph.nl/id/partij/sp,SP,1",
        "2019-04,https://kamergraph.nl/id/partij/d66,D66,1",
        "2019-05,https://kamergraph.nl/id/partij/cda,CDA,1",
        "2019-05,https://kamergraph.nl/id/partij/vvd,VVD,1",
        "2019-09,https://kamergraph.nl/id/partij/christenunie,ChristenUnie,1",
        "2019-09,https://kamergraph.nl/id/partij/sgp,SGP,1",
        "2019-11,https://kamergraph.nl/id/partij/groenlinks,GroenLinks,1",
        "2019-11,https://kamergraph.nl/id/partij/sp,SP,1",
        "2021-09,https://kamergraph.nl/id/partij/pvda,PvdA,1",
    ]) + "\n"
    # A parameter narrows it: SP only, in 2019 from March.
    sp = get_json(client, "/queries/questions-per-month-by-party.json?party=" + BASE + "partij/sp&from=2019-03-01")
    assert [(r["month"], r["partyLabel"], r["questions"]) for r in sp["rows"]] == [("2019-03", "SP", 1),
                                                                                   ("2019-11", "SP", 1)]


def test_answer_time_distribution_json(client):
    document = get_json(client, "/queries/answer-time-distribution.json?ministry=" + BASE + "ministerie/mnre1058")
    assert [(r["ministryLabel"], r["bucket"], r["questions"]) for r in document["rows"]] == [
        ("ministerie van Justitie en Veiligheid", "0-7", 0),
        ("ministerie van Justitie en Veiligheid", "8-21", 0),
        ("ministerie van Justitie en Veiligheid", "22-42", 2),
        ("ministerie van Justitie en Veiligheid", "43-90", 1),
        ("ministerie van Justitie en Veiligheid", "91+", 0),
    ]
    everything = get_json(client, "/queries/answer-time-distribution.json")
    assert len(everything["rows"]) == 40  # 8 ministries x 5 buckets
    assert sum(r["questions"] for r in everything["rows"]) == 12  # a question for two ministries counts twice


def test_topics_over_time_json(client):
    document = get_json(client, "/queries/topics-over-time.json")
    assert [(r["year"], r["topicLabel"], r["questions"]) for r in document["rows"]] == [
        (2019, "Zorg en gezondheid", 3), (2019, "Bestuur", 2), (2019, "Openbare orde en veiligheid", 2),
        (2019, "Cultuur en recreatie", 1), (2019, "Economie", 1), (2019, "Financiën", 1), (2019, "Internationaal", 1),
        (2019, "Landbouw", 1), (2019, "Natuur en milieu", 1), (2019, "Onderwijs en wetenschap", 1),
        (2019, "Verkeer", 1), (2021, "Bestuur", 1), (2021, "Internationaal", 1), (2021, "Verkeer", 1),
    ]


def test_questions_between_lists_the_questions_behind_an_edge(client):
    url = "/queries/questions-between.json?" + urlencode({"source": BASE + "partij/pvda",
                                                          "target": BASE + "ministerie/mnre1058"})
    rows = get_json(client, url)["rows"]
    fields = ("zaak", "title", "submitted", "answered", "days", "submitters", "answerers")
    assert [tuple(r[f] for f in fields) for r in rows] == [
        ("2021Z16860", "Mogelijke dataverzameling van Chinese drones", "2021-09-30", "2021-11-18", 49,
         "Barbara Kathmann (PvdA)", "Barbara Visser; Ferdinand Grapperhaus"),
        ("2019Z04512", "Het bericht dat slimme deurbellen onveilig zijn", "2019-03-07", "2019-04-01", 25,
         "Sadet Karabulut (SP); Ronald van Raak (SP); Attje Kuiken (PvdA)", "Ferdinand Grapperhaus"),
    ]
    assert rows[0]["question"] == BASE + "kamervraag/2021Z16860"
    assert [r["total"] for r in rows] == [2, 2]
    # one page at a time, newest first; the total counts them all
    second = get_json(client, url + "&limit=1&offset=1")["rows"]
    assert [(r["zaak"], r["total"]) for r in second] == [("2019Z04512", 2)]
    assert get_json(client, url + "&offset=2")["rows"] == []


@pytest.mark.parametrize("by,to", [("member", "minister"), ("party", "ministry"), ("member", "ministry"),
                                   ("party", "minister")])
def test_questions_between_agrees_with_every_edge_of_who_asked_whom(client, by, to):
    edges = get_json(client, f"/queries/who-asked-whom.json?by={by}&to={to}")["rows"]
    assert edges
    for edge in edges:
        url = "/queries/questions-between.json?" + urlencode({"source": edge["source"], "target": edge["target"]})
        rows = get_json(client, url)["rows"]
        assert len(rows) == edge["questions"] == rows[0]["total"], edge
    # with a filter, too: questions on Zorg en gezondheid (or narrower) only
    topic = BASE + "onderwerp/zorg-en-gezondheid"
    edges = get_json(client, f"/queries/who-asked-whom.json?by={by}&to={to}&topic={topic}")["rows"]
    assert edges
    for edge in edges:
        parameters = {"source": edge["source"], "target": edge["target"], "topic": topic}
        url = "/queries/questions-between.json?" + urlencode(parameters)
        rows = get_json(client, url)["rows"]
        assert len(rows) == edge["questions"] == rows[0]["total"], edge


def test_limit_cuts_the_twins_and_says_so(client):
    response = client.get("/queries/who-asked-whom.json?by=party&to=ministry&_limit=2")
    document = response.get_json()
    assert [r["sourceLabel"] for r in document["rows"]] == ["PvdA", "CDA"]
    assert document["truncated"] is True and response.headers["X-Result-Truncated"] == "true"
    response = client.get("/queries/who-asked-whom.csv?by=party&to=ministry&_limit=1")
    assert response.get_data(as_text=True).count("\n") == 2 and response.headers["X-Result-Truncated"] == "true"
    assert client.get("/queries/who-asked-whom.json?_limit=0").status_code == 400
    assert client.get("/queries/who-asked-whom.json?_limit=many").status_code == 400


# ---- every named query, every way ---------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(queries.published()))
def test_every_named_query_runs_as_page_and_twins(client, name):
    named = queries.published()[name]
    values = required_values(named)
    query_string = "?" + urlencode(values) if values else ""
    page = client.get(f"/queries/{name}{query_string}")
    assert page.status_code == 200, page.get_data(as_text=True)
    document = get_json(client, f"/queries/{name}.json{query_string}")
    html = parse(page.get_data(as_text=True))
    rows = html.findall(".//table[@class='results']/tbody/tr")
    assert len(rows) == min(len(document["rows"]), HTML_ROWS) and rows, name
    count = html.find(".//p[@class='count']")
    assert int(count.get("data-total")) == len(document["rows"]), name
    if len(document["rows"]) > HTML_ROWS:  # a page of rows at a time, the rest one link away
        assert f", 1–{HTML_ROWS} getoond" in text_of(count)
        assert html.find(".//nav[@class='pager']/a[@rel='next']").get("href").endswith("_page=2")
    table = list(csv.reader(io.StringIO(client.get(f"/queries/{name}.csv{query_string}").get_data(as_text=True))))
    assert table[0] == document["columns"] and len(table) == len(document["rows"]) + 1
    text = client.get(f"/queries/{name}.rq{query_string}").get_data(as_text=True)
    assert text == named.bound_text(values)
    pyoxigraph.Store().query(text)  # valid SPARQL (runs on an empty store)


# ---- errors -------------------------------------------------------------------------------------

def test_missing_required_parameter(client):
    page = client.get("/queries/person-questions")
    assert page.status_code == 200  # a first visit: the form, no results, no error
    html = parse(page.get_data(as_text=True))
    assert html.find(".//table[@class='results']") is None
    assert text_of(html.find(".//p[@class='notice']")) == "Vul person in om deze query uit te voeren."
    person = html.find(".//input[@name='person']")
    assert person.get("type") == "text" and person.get("required") is not None
    # a name or a key, with the persons who have questions as suggestions (most questions first)
    suggested = [(o.get("value"), o.get("label")) for o in html.findall(".//datalist[@id='suggest-person']/option")]
    assert suggested[0] == ("ferdinand-grapperhaus", "Ferdinand Grapperhaus (2)")
    response = client.get("/queries/person-questions.json")
    assert response.status_code == 400
    assert response.get_data(as_text=True) == "query 'person-questions' needs parameter 'person'\n"


def test_bad_values_and_unknown_names(client):
    response = client.get("/queries/who-asked-whom.json?from=yesterday")
    assert response.status_code == 400
    assert response.get_data(as_text=True) == "parameter 'from' must be a date, not 'yesterday'\n"
    page = client.get("/queries/who-asked-whom?from=yesterday")
    assert page.status_code == 400
    assert "parameter 'from' must be a date" in text_of(parse(page.get_data(as_text=True)).find(".//p[@class='error']"))
    assert client.get("/queries/who-asked-whom.csv?colour=red").status_code == 400
    assert client.get("/queries/no-such-query").status_code == 404
    assert client.get("/queries/no-such-query.json").status_code == 404
    # Text that tries to break out of the literal stays a literal.
    hostile = get_json(client, "/queries/question-overview.json?" + urlencode({"zaak": '2021Z16860" } ?q ?p ?o . { "'}))
    assert hostile["rows"] == []


# ---- the result cache ---------------------------------------------------------------------------

def test_a_repeated_query_is_answered_from_the_cache(app, client, monkeypatch):
    backend = app.extensions["kamergraph"]
    calls = []
    real = backend.query
    monkeypatch.setattr(backend, "query", lambda task, **options: calls.append(task) or real(task, **options))
    first = client.get("/queries/dataset-counts.json?_limit=7").get_data()
    assert client.get("/queries/dataset-counts.json?_limit=7").get_data() == first
    assert len(calls) == 1  # the store has not changed: the second came from the cache
    client.get("/queries/dataset-counts.csv?_limit=7")
    assert len(calls) == 2  # another format is another entry


def test_the_cache_follows_writes(http, spawn_server):
    from conftest import WRITE_TOKEN

    server = spawn_server(write_token=WRITE_TOKEN)
    url = server.url + "/queries/party-counts.json"
    before = json.loads(http("GET", url).body)["rows"]
    assert [r["partyLabel"] for r in before][:2] == ["SP", "GroenLinks"]
    assert json.loads(http("GET", url).body)["rows"] == before  # (from the cache)
    update = """PREFIX kg: <https://kamergraph.nl/def#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        INSERT DATA { GRAPH <https://kamergraph.nl/graph/test> {
          <https://kamergraph.nl/id/kamervraag/T1> kg:submission <https://kamergraph.nl/id/kamervraag/T1/indiener/1> .
          <https://kamergraph.nl/id/kamervraag/T1/indiener/1> kg:party <https://kamergraph.nl/id/partij/test> .
          <https://kamergraph.nl/id/partij/test> a kg:Party ; skos:prefLabel "Testpartij" ;
            kg:questionList <https://kamergraph.nl/id/partij/test#vragen> .
          # what ingest derives: the question's entry in the party's list, which party-counts counts
          <https://kamergraph.nl/id/partij/test#vragen> kg:entry 20990101209900001 } }"""
    reply = http("POST", server.sparql, update,
                 {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {WRITE_TOKEN}"})
    assert reply.status == 204
    after = json.loads(http("GET", url).body)["rows"]
    assert len(after) == len(before) + 1
    assert [r for r in after if r not in before] == [
        {"party": BASE + "partij/test", "partyLabel": "Testpartij", "questions": 1}]


# ---- in a browser: the editor link opens YASGUI with the bound query ------------------------------

@pytest.mark.browser
def test_editor_link_opens_the_bound_query_in_yasgui(browser, live_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    # In Dutch, the default, whatever an earlier test in this browser chose.
    browser.get(live_server.url + "/queries/who-asked-whom?by=party&to=ministry&lang=nl")
    browser.find_element(By.CSS_SELECTOR, "a.editor-link").click()
    WebDriverWait(browser, 15).until(lambda b: b.execute_script(
        "return document.querySelectorAll('.yasr tbody tr').length") == len(PARTY_MINISTRY))
    text = browser.execute_script("return document.querySelector('.tabPanel.active .CodeMirror').CodeMirror.getValue()")
    assert text == queries.registry()["who-asked-whom"].bound_text({"by": "party", "to": "ministry"})
    tabs = browser.execute_script(
        "return Array.from(document.querySelectorAll('.yasgui .tab.active')).map(t => t.textContent)")
    assert any("Wie vroeg wie" in tab for tab in tabs)
    screenshot(browser, "query-in-yasgui")
    browser.get(live_server.url + "/queries/who-asked-whom?by=party&to=ministry")
    WebDriverWait(browser, 5).until(ready.presence_of_element_located((By.CSS_SELECTOR, "table.results tbody tr")))
    screenshot(browser, "query-page")


# ---- parameters in people's terms ---------------------------------------------------------------

@pytest.mark.parametrize(("given", "iri"), [
    ("mnre1058", BASE + "ministerie/mnre1058"),
    ("Justitie en Veiligheid", BASE + "ministerie/mnre1058"),
    (BASE + "ministerie/mnre1058", BASE + "ministerie/mnre1058"),
])
def test_a_ministry_by_key_name_or_iri(client, given, iri):
    document = get_json(client, "/queries/ministry-questions.json?" + urlencode({"ministry": given}))
    assert document["parameters"]["ministry"] == iri
    assert len(document["rows"]) == 3


@pytest.mark.parametrize(("given", "iri"), [
    ("kees-van-der-staaij", BASE + "persoon/kees-van-der-staaij"),
    ("Staaij", BASE + "persoon/kees-van-der-staaij"),  # name prefixes and case do not matter
    ("lacin", BASE + "persoon/cem-lacin"),  # nor diacritics
])
def test_a_person_by_slug_or_name(client, given, iri):
    document = get_json(client, "/queries/person-questions.json?" + urlencode({"person": given}))
    assert document["parameters"]["person"] == iri and document["rows"]


def test_the_command_line_gets_the_iri_a_name_stands_for(client):
    page = parse(client.get("/queries/person-questions?person=Staaij").get_data(as_text=True))
    assert text_of(page.find(".//code[@class='command']")) == (
        f"kamergraph query person-questions --param person={BASE}persoon/kees-van-der-staaij"
        " --param limit=100 --param offset=0")  # the page's paging parameters, at their defaults
    assert page.find(".//input[@name='person']").get("value") == "Staaij"  # the form keeps what was typed


def test_a_name_nobody_has_is_one_clear_line(client):
    response = client.get("/queries/person-questions.json?person=Nobody+Known")
    assert response.status_code == 400
    assert response.get_data(as_text=True) == (
        "parameter 'person': no person is known as 'Nobody Known' (give a name, a key such as sp or mnre1090, "
        "or an IRI)\n")
    page = client.get("/queries/person-questions?person=Nobody+Known")
    assert page.status_code == 400
    # the form keeps what was typed
    assert parse(page.get_data(as_text=True)).find(".//input[@name='person']").get("value") == "Nobody Known"


def test_tables_show_names_and_link_the_things(client):
    html = parse(client.get("/queries/most-active-submitters").get_data(as_text=True))
    first = html.find(".//table[@class='results']/tbody/tr/td/a")
    assert text_of(first) == "Kees van der Staaij" and first.get("href") == "/id/persoon/kees-van-der-staaij"
    assert first.get("title") == BASE + "persoon/kees-van-der-staaij"


def test_explore_takes_a_topic_by_key(client):
    def edges(query: str) -> list:
        response = client.get("/explore?" + query)
        assert response.status_code == 200
        return [(tr.get("data-source"), tr.get("data-target"))
                for tr in parse(response.get_data(as_text=True)).findall(".//table[@id='explore-edges']/tbody/tr")]

    # 2019Z11873 (two members, two ministers), 2019Z00412 (one, two) and 2019Z16702 (two, one)
    by_key = edges("topic=zorg-en-gezondheid")
    assert len(by_key) == 8 and by_key == edges("topic=" + BASE + "onderwerp/zorg-en-gezondheid")


def test_the_page_index_bulk_reads_are_not_published(client):
    internal = {"page-index-cabinet", "page-index-entities", "page-index-links", "page-index-questions",
                "page-index-submissions"}
    assert {name for name, named in queries.registry().items() if named.internal} == internal
    assert not internal & set(queries.published())
    assert not internal & {q["name"] for q in get_json(client, "/queries.json")["queries"]}
    for name in internal:
        assert client.get(f"/queries/{name}").status_code == 404
        assert client.get(f"/queries/{name}.json").status_code == 404


def test_a_long_table_comes_a_page_of_rows_at_a_time(client):
    document = get_json(client, "/queries/page-directory.json")
    total = len(document["rows"])
    assert total > 2 * HTML_ROWS
    first = parse(client.get("/queries/page-directory").get_data(as_text=True))
    assert len(first.findall(".//table[@class='results']/tbody/tr")) == HTML_ROWS
    dutch_total = f"{total:,}".replace(",", ".")
    assert text_of(first.find(".//p[@class='count']")).startswith(f"{dutch_total} rijen, 1–{HTML_ROWS} getoond")
    second = parse(client.get("/queries/page-directory?_page=2").get_data(as_text=True))
    cells = [text_of(tr.find("td")) for tr in second.findall(".//table[@class='results']/tbody/tr")]
    assert len(cells) == HTML_ROWS
    labels = first.find(".//table[@class='results']/tbody/tr/td/a")
    assert labels is not None
    assert second.find(".//nav[@class='pager']/a[@rel='prev']").get("href") == "/queries/page-directory?_page=1"
    last = -(-total // HTML_ROWS)
    end = parse(client.get(f"/queries/page-directory?_page={last + 5}").get_data(as_text=True))
    assert len(end.findall(".//table[@class='results']/tbody/tr")) == total - (last - 1) * HTML_ROWS
    assert end.find(".//nav[@class='pager']/a[@rel='next']") is None
