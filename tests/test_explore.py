"""/explore, the network of who asked whom: the server-side table (exact edges on the examples, the
filters, the top-N cut) and, in headless Chromium, the Cytoscape graph drawn from it: its nodes
and edges, a filter that changes it, a click on an edge that lists its questions and a click on a
node that opens its page. Screenshots go to tests/artifacts/."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import html5lib
import pytest

from browser import console_errors, screenshot

BASE = "https://kamergraph.nl/id/"
MEMBER_MINISTER = [  # who-asked-whom with its defaults (by=member, to=minister), in the query's order
    ("attje-kuiken", "Attje Kuiken", "ferdinand-grapperhaus", "Ferdinand Grapperhaus"),
    ("barbara-kathmann", "Barbara Kathmann", "barbara-visser", "Barbara Visser"),
    ("barbara-kathmann", "Barbara Kathmann", "ferdinand-grapperhaus", "Ferdinand Grapperhaus"),
    ("carla-dik-faber", "Carla Dik-Faber", "paul-blokhuis", "Paul Blokhuis"),
    ("corinne-ellemeet", "Corinne Ellemeet", "bruno-bruins", "Bruno Bruins"),
    ("corinne-ellemeet", "Corinne Ellemeet", "menno-snel", "Menno Snel"),
    ("helma-lodders", "Helma Lodders", "carola-schouten", "Carola Schouten"),
    ("jaco-geurts", "Jaco Geurts", "carola-schouten", "Carola Schouten"),
    ("jasper-van-dijk", "Jasper van Dijk", "hugo-de-jonge", "Hugo de Jonge"),
    ("jasper-van-dijk", "Jasper van Dijk", "mark-rutte", "Mark Rutte"),
    ("kees-van-der-staaij", "Kees van der Staaij", "paul-blokhuis", "Paul Blokhuis"),
    ("kees-van-der-staaij", "Kees van der Staaij", "sander-dekker", "Sander Dekker"),
    ("peter-kwint", "Peter Kwint", "arie-slob", "Arie Slob"),
    ("renske-leijten", "Renske Leijten", "hugo-de-jonge", "Hugo de Jonge"),
    ("renske-leijten", "Renske Leijten", "mark-rutte", "Mark Rutte"),
    ("ronald-van-raak", "Ronald van Raak", "ferdinand-grapperhaus", "Ferdinand Grapperhaus"),
    ("sadet-karabulut", "Sadet Karabulut", "ferdinand-grapperhaus", "Ferdinand Grapperhaus"),
    ("sjoerd-sjoerdsma", "Sjoerd Sjoerdsma", "stef-blok", "Stef Blok"),
]
PARTY_MINISTRY = [  # by=party, to=ministry
    ("partij/pvda", "ministerie/mnre1058", 2), ("partij/cda", "ministerie/mnre1153", 1),
    ("partij/christenunie", "ministerie/mnre1025", 1), ("partij/d66", "ministerie/mnre1013", 1),
    ("partij/groenlinks", "ministerie/mnre1090", 1), ("partij/groenlinks", "ministerie/mnre1025", 1),
    ("partij/pvda", "ministerie/mnre1130", 1), ("partij/sgp", "ministerie/mnre1058", 1),
    ("partij/sgp", "ministerie/mnre1025", 1), ("partij/sp", "ministerie/mnre1058", 1),
    ("partij/sp", "ministerie/mnre1109", 1), ("partij/vvd", "ministerie/mnre1153", 1),
]


def parse(html: str):
    return html5lib.parse(html, namespaceHTMLElements=False)


def edge_rows(page) -> list[tuple[str, str, int]]:
    return [(row.get("data-source"), row.get("data-target"), int(row.get("data-questions")))
            for row in page.findall(".//table[@id='explore-edges']/tbody/tr")]


# ---- the page (test client) ---------------------------------------------------------------------

def test_default_view_members_to_ministers(client):
    response = client.get("/explore")
    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    assert edge_rows(page) == [(BASE + "persoon/" + s, BASE + "persoon/" + t, 1) for s, _, t, _ in MEMBER_MINISTER]
    first = page.find(".//table[@id='explore-edges']/tbody/tr")
    cells = first.findall("td")
    assert [("".join(c.itertext()), c.find("a").get("href")) for c in cells[:2]] == [
        ("Attje Kuiken", "/id/persoon/attje-kuiken"), ("Ferdinand Grapperhaus", "/id/persoon/ferdinand-grapperhaus")]
    # the number links to the questions behind the edge, a named query
    link = urlsplit(cells[2].find("a").get("href"))
    assert link.path == "/queries/questions-between"
    assert parse_qs(link.query) == {"source": [BASE + "persoon/attje-kuiken"],
                                    "target": [BASE + "persoon/ferdinand-grapperhaus"]}
    selected = {s.get("name"): [o.get("value") for o in s.iter("option") if o.get("selected") is not None]
                for s in page.iter("select")}
    assert selected["by"] == ["member"] and selected["to"] == ["minister"] and selected["limit"] == ["40"]
    assert "".join(page.find(".//p[@id='explore-status']").itertext()).strip() == "18 lijnen getekend."
    graph = page.find(".//div[@id='explore-graph']")
    assert graph.get("data-questions-src") == "/queries/questions-between.json"
    assert graph.get("data-base-iri") == "https://kamergraph.nl/"
    twins = {link.get("type"): link.get("href") for link in page.findall(".//head/link[@rel='alternate']")}
    assert twins["text/csv"] == "/queries/who-asked-whom.csv?by=member&to=minister&_limit=40"


def test_parties_to_ministries(client):
    page = parse(client.get("/explore?by=party&to=ministry").get_data(as_text=True))
    assert edge_rows(page) == [(BASE + s, BASE + t, n) for s, t, n in PARTY_MINISTRY]


def test_filters_and_limit(client):
    sp = parse(client.get("/explore?party=sp").get_data(as_text=True))
    assert edge_rows(sp) == [
        (BASE + "persoon/peter-kwint", BASE + "persoon/arie-slob", 1),
        (BASE + "persoon/ronald-van-raak", BASE + "persoon/ferdinand-grapperhaus", 1),
        (BASE + "persoon/sadet-karabulut", BASE + "persoon/ferdinand-grapperhaus", 1),
    ]
    options = {o.get("value"): "".join(o.itertext()) for o in sp.findall(".//select[@name='party']/option")}
    assert options["sp"] == "SP (3)"
    # the edge links keep the filters
    link = urlsplit(sp.find(".//a[@class='edge-questions']").get("href"))
    assert parse_qs(link.query)["party"] == [BASE + "partij/sp"]

    response = client.get("/explore?by=party&to=ministry&topic=zorg-en-gezondheid")
    health = parse(response.get_data(as_text=True))
    assert edge_rows(health) == [  # GroenLinks's question on medical aids was answered by VWS and Financiën
        (BASE + "partij/christenunie", BASE + "ministerie/mnre1025", 1),
        (BASE + "partij/groenlinks", BASE + "ministerie/mnre1090", 1),
        (BASE + "partij/groenlinks", BASE + "ministerie/mnre1025", 1),
        (BASE + "partij/sgp", BASE + "ministerie/mnre1025", 1),
    ]
    period = parse(client.get("/explore?by=party&to=ministry&from=2021-01-01&until=2021-12-31").get_data(as_text=True))
    assert edge_rows(period) == [  # the one 2021 question, answered for IenW and JenV (ties by label)
        (BASE + "partij/pvda", BASE + "ministerie/mnre1130", 1),
        (BASE + "partij/pvda", BASE + "ministerie/mnre1058", 1),
    ]

    top = parse(client.get("/explore?by=party&to=ministry&limit=3").get_data(as_text=True))
    assert edge_rows(top) == [(BASE + s, BASE + t, n) for s, t, n in PARTY_MINISTRY[:3]]
    status = "".join(top.find(".//p[@id='explore-status']").itertext()).strip()
    assert status == "3 lijnen getekend, de zwaarste van meer. Toon meer lijnen"

    nothing = parse(client.get("/explore?from=2030-01-01").get_data(as_text=True))
    assert edge_rows(nothing) == []
    assert "".join(nothing.find(".//p[@id='explore-status']").itertext()).strip() == "Geen vragen bij deze filters."


def test_bad_view_is_refused_with_a_message(client):
    for query, message in [("by=ministry", "by must be one of member, party, not 'ministry'"),
                           ("limit=0", "limit must be a whole number from 1 to 1000, not '0'"),
                           ("from=soon", "parameter 'from' must be a date, not 'soon'")]:
        response = client.get("/explore?" + query)
        assert response.status_code == 400, query
        errors = ["".join(p.itertext()) for p in parse(response.get_data(as_text=True)).findall(".//p[@class='error']")]
        assert errors == [message]


# ---- in the browser -----------------------------------------------------------------------------

def wait(browser, condition, seconds: float = 15):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, seconds).until(condition)


def drawn(browser) -> dict:
    """The graph once drawn: the model Cytoscape holds (nodes, edges) and the container's summary."""
    state = "return document.getElementById('explore-graph').dataset.state"
    wait(browser, lambda b: b.execute_script(state) == "ready")
    model = browser.execute_script("return window.kamergraphExplore.model()")
    summary = browser.execute_script(
        "var d = document.getElementById('explore-graph').dataset; return [d.nodes, d.edges]")
    assert summary == [str(len(model["nodes"])), str(len(model["edges"]))]
    return model


def errors_in_console(browser) -> list[str]:
    return [entry["message"] for entry in console_errors(browser)]


def move_to(browser, x: float, y: float, click: bool = False) -> None:
    """The mouse moved to a point of the graph's canvas (and clicked there), as click_at says."""
    from selenium.webdriver.common.actions.action_builder import ActionBuilder
    from selenium.webdriver.common.by import By

    container = browser.find_element(By.ID, "explore-graph")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", container)
    left, top = browser.execute_script(
        "var r = arguments[0].getBoundingClientRect();"
        " return [r.left + arguments[0].clientLeft, r.top + arguments[0].clientTop]",
        container)
    action = ActionBuilder(browser)
    action.pointer_action.move_to_location(round(left + x), round(top + y))
    if click:
        action.pointer_action.click()
    action.perform()


def click_at(browser, x: float, y: float) -> None:
    """A real mouse click at a point of the graph's canvas (Cytoscape's rendered coordinates, from the
    container's inner top left), at viewport coordinates: WebDriver's element offsets count from the
    centre of the element's visible part, which moves when the page scrolls."""
    move_to(browser, x, y, click=True)


@pytest.mark.browser
def test_graph_filter_edge_and_node_clicks(browser, live_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    console_errors(browser)  # (the session's browser: forget what earlier pages logged)
    browser.get(live_server.url + "/explore")
    model = drawn(browser)
    assert sorted((e["source"], e["target"], e["weight"]) for e in model["edges"]) == sorted(
        (BASE + "persoon/" + s, BASE + "persoon/" + t, 1) for s, _, t, _ in MEMBER_MINISTER)
    sources = {n["iri"]: n["label"] for n in model["nodes"] if n["side"] == "source"}
    targets = {n["iri"]: n for n in model["nodes"] if n["side"] == "target"}
    assert sources == {BASE + "persoon/" + s: label for s, label, _, _ in MEMBER_MINISTER}
    staaij = next(n for n in model["nodes"] if n["iri"] == BASE + "persoon/kees-van-der-staaij")
    assert (staaij["short"], staaij["colour"]) == ("K. van der Staaij", "#f07d00")  # SGP's orange
    assert model["headings"] == []  # the force layout has no columns to head
    assert set(targets) == {BASE + "persoon/" + t for _, _, t, _ in MEMBER_MINISTER}
    assert targets[BASE + "persoon/ferdinand-grapperhaus"]["weight"] == 4  # four members asked him
    # the accessible table lists the same edges
    assert len(browser.find_elements(By.CSS_SELECTOR, "#explore-edges tbody tr")) == len(model["edges"]) == 18
    assert errors_in_console(browser) == []
    screenshot(browser, "explore-members-ministers")

    # A filter: parties to ministries, submitted in 2019 only.
    Select(browser.find_element(By.ID, "explore-by")).select_by_value("party")
    Select(browser.find_element(By.ID, "explore-to")).select_by_value("ministry")
    Select(browser.find_element(By.ID, "explore-layout")).select_by_value("columns")
    browser.execute_script("document.getElementById('explore-until').value = '2019-12-31'")
    browser.find_element(By.CSS_SELECTOR, "#explore-filters button[type=submit]").click()
    wait(browser, lambda b: "by=party" in b.current_url)
    model = drawn(browser)
    # PvdA's 2021 question (to Justitie en Veiligheid and Infrastructuur en Waterstaat) is filtered out.
    expected = [(BASE + s, BASE + t, n) for s, t, n in PARTY_MINISTRY if s != "partij/pvda"]
    expected.append((BASE + "partij/pvda", BASE + "ministerie/mnre1058", 1))
    assert sorted((e["source"], e["target"], e["weight"]) for e in model["edges"]) == sorted(expected)
    assert {n["label"] for n in model["nodes"] if n["side"] == "source"} == {
        "PvdA", "CDA", "ChristenUnie", "D66", "GroenLinks", "SGP", "SP", "VVD"}
    assert model["headings"] == ["Partijen", "Ministeries"]
    vws = next(n for n in model["nodes"] if n["iri"] == BASE + "ministerie/mnre1025")
    assert (vws["short"], vws["label"]) == ("VWS", "ministerie van Volksgezondheid, Welzijn en Sport")
    # Hovering a node shows its full name and count.
    x, y = browser.execute_script(
        "var p = window.kamergraphExplore.cy.getElementById(arguments[0]).renderedPosition(); return [p.x, p.y]",
        "t|" + BASE + "ministerie/mnre1025")
    tip = "var t = document.getElementById('explore-tip'); return t.hidden ? null : t.textContent"

    def hovered(b) -> bool:  # moves onto the node from beside it (Cytoscape may still place a scrolled canvas)
        move_to(b, x + 30, y + 30)
        move_to(b, x, y)
        return b.execute_script(tip) is not None

    wait(browser, hovered)
    assert browser.execute_script(tip) == (
        "ministerie van Volksgezondheid, Welzijn en Sport · 3 vragen in de getekende lijnen")
    screenshot(browser, "explore-parties-ministries-2019")

    # A click on an edge lists its questions: GroenLinks -> Volksgezondheid.
    edge = next(e for e in model["edges"]
                if e["source"] == BASE + "partij/groenlinks" and e["target"] == BASE + "ministerie/mnre1025")
    x, y = browser.execute_script(  # a third of the way along it: in two columns, edges cross at their midpoints
        "var e = window.kamergraphExplore.cy.getElementById(arguments[0]);"
        "var a = e.renderedSourceEndpoint(), b = e.renderedTargetEndpoint();"
        "return [a.x + (b.x - a.x) / 3, a.y + (b.y - a.y) / 3]", edge["id"])
    click_at(browser, x, y)
    details_state = "return document.getElementById('explore-details').dataset.state"
    wait(browser, lambda b: b.execute_script(details_state) == "loaded")
    details = browser.find_element(By.ID, "explore-details")
    assert (details.find_element(By.TAG_NAME, "h2").text
            == "GroenLinks → ministerie van Volksgezondheid, Welzijn en Sport")
    items = details.find_elements(By.CSS_SELECTOR, "ol.edge-questions-list > li")
    assert len(items) == 1
    link = items[0].find_element(By.TAG_NAME, "a")
    assert link.get_attribute("pathname").startswith("/id/kamervraag/2019Z")
    # explore.js writes the page's language: a Dutch count and a Dutch long date
    assert details.find_element(By.CSS_SELECTOR, "p.count").text == "1 vraag"
    meta = items[0].find_element(By.CSS_SELECTOR, "span.meta").text
    assert re.search(r", ingediend \d{1,2} [a-z]+ 2019, ", meta), meta
    assert browser.execute_script(
        "return window.kamergraphExplore.cy.getElementById(arguments[0]).hasClass('chosen')", edge["id"])
    chosen = browser.find_elements(By.CSS_SELECTOR, "#explore-edges tr.edge-chosen")  # the table shows it too
    assert [(r.get_attribute("data-source"), r.get_attribute("data-target")) for r in chosen] == [
        (BASE + "partij/groenlinks", BASE + "ministerie/mnre1025")]
    screenshot(browser, "explore-edge-questions")

    # The number in the table does the same, without leaving the page: PvdA -> Justitie en Veiligheid.
    row = browser.find_element(
        By.CSS_SELECTOR,
        f"#explore-edges tr[data-source='{BASE}partij/pvda'][data-target='{BASE}ministerie/mnre1058'] a.edge-questions")
    row.click()
    # (the heading is read in one step: it is replaced as the questions load)
    heading = "var h = document.querySelector('#explore-details h2'); return h && h.textContent"
    wait(browser, lambda b: b.execute_script(heading) == "PvdA → ministerie van Justitie en Veiligheid"
         and b.execute_script("return document.getElementById('explore-details').dataset.state") == "loaded")
    titles = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#explore-details ol.edge-questions-list a")]
    assert titles == ["Het bericht dat slimme deurbellen onveilig zijn"]  # 2019 only: the filter applies
    assert "/explore" in browser.current_url

    # A click on a node opens that resource's page.
    x, y = browser.execute_script(
        "var p = window.kamergraphExplore.cy.getElementById(arguments[0]).renderedPosition(); return [p.x, p.y]",
        "s|" + BASE + "partij/sgp")
    click_at(browser, x, y)
    wait(browser, lambda b: urlsplit(b.current_url).path == "/id/partij/sgp")


# ---- the keys of /questions, short labels, colours, more lines ---------------------------------------

def test_filters_take_the_keys_of_questions(client):
    """topic, party, ministry and year as /questions takes them; an IRI (older links) gives the same."""
    health_rows = [
        (BASE + "partij/christenunie", BASE + "ministerie/mnre1025", 1),
        (BASE + "partij/groenlinks", BASE + "ministerie/mnre1090", 1),
        (BASE + "partij/groenlinks", BASE + "ministerie/mnre1025", 1),
        (BASE + "partij/sgp", BASE + "ministerie/mnre1025", 1),
    ]
    for topic in ("zorg-en-gezondheid", BASE + "onderwerp/zorg-en-gezondheid"):
        response = client.get(f"/explore?by=party&to=ministry&topic={topic}")
        assert response.status_code == 200, topic
        assert edge_rows(parse(response.get_data(as_text=True))) == health_rows
    # the questions answered for Volksgezondheid (mnre1025), whoever else answered them too
    vws = parse(client.get("/explore?by=party&to=ministry&ministry=mnre1025").get_data(as_text=True))
    assert edge_rows(vws) == [
        (BASE + "partij/christenunie", BASE + "ministerie/mnre1025", 1),
        (BASE + "partij/groenlinks", BASE + "ministerie/mnre1090", 1),
        (BASE + "partij/groenlinks", BASE + "ministerie/mnre1025", 1),
        (BASE + "partij/sgp", BASE + "ministerie/mnre1025", 1),
    ]
    link = urlsplit(vws.find(".//a[@class='edge-questions']").get("href"))
    assert parse_qs(link.query)["ministry"] == [BASE + "ministerie/mnre1025"]
    selected = {s.get("name"): [o.get("value") for o in s.iter("option") if o.get("selected") is not None]
                for s in vws.iter("select")}
    assert selected["ministry"] == ["mnre1025"] and selected["party"] == []
    # year=2021 is the one 2021 question, as from/until would give
    year = parse(client.get("/explore?by=party&to=ministry&year=2021").get_data(as_text=True))
    assert edge_rows(year) == [(BASE + "partij/pvda", BASE + "ministerie/mnre1130", 1),
                               (BASE + "partij/pvda", BASE + "ministerie/mnre1058", 1)]
    years = [o.get("value") for o in year.findall(".//select[@name='year']/option")]
    assert years == ["", "2021", "2019"]


def test_unknown_keys_are_one_line_each(client):
    response = client.get("/explore?topic=no-such-topic&ministry=mnre9999&year=21")
    assert response.status_code == 400
    errors = ["".join(p.itertext()) for p in parse(response.get_data(as_text=True)).findall(".//p[@class='error']")]
    assert errors == ["ministry 'mnre9999' is not the key of a ministry in this store",
                      "topic 'no-such-topic' is not the key of a topic in this store",
                      "year must be four digits, not '21'"]


def test_rows_carry_short_labels_and_party_colours(client):
    page = parse(client.get("/explore").get_data(as_text=True))
    rows = {(r.get("data-source"), r.get("data-target")): r
            for r in page.findall(".//table[@id='explore-edges']/tbody/tr")}
    row = rows[BASE + "persoon/kees-van-der-staaij", BASE + "persoon/paul-blokhuis"]
    assert (row.get("data-source-short"), row.get("data-source-label"), row.get("data-source-colour"),
            row.get("data-target-short")) == ("K. van der Staaij", "Kees van der Staaij", "#f07d00", "P. Blokhuis")
    van_raak = rows[BASE + "persoon/ronald-van-raak", BASE + "persoon/ferdinand-grapperhaus"]
    assert van_raak.get("data-source-colour") == "#ee2e24"
    # printed without a party on her one question: grey
    assert rows[BASE + "persoon/renske-leijten", BASE + "persoon/mark-rutte"].get("data-source-colour") == "#8a8f98"
    parties = parse(client.get("/explore?by=party&to=ministry").get_data(as_text=True))
    row = parties.find(".//table[@id='explore-edges']/tbody/tr")
    assert (row.get("data-source-short"), row.get("data-source-colour"), row.get("data-target-short"),
            row.get("data-target-label")) == ("PvdA", "#d7001f", "JenV", "ministerie van Justitie en Veiligheid")


def test_show_more_doubles_the_lines_and_keeps_the_view(client):
    top = parse(client.get("/explore?by=party&to=ministry&limit=3&ministry=mnre1025&layout=columns")
                .get_data(as_text=True))
    more = urlsplit(top.find(".//a[@id='explore-more']").get("href"))
    assert more.path == "/explore"
    assert parse_qs(more.query) == {"by": ["party"], "to": ["ministry"], "ministry": ["mnre1025"], "limit": ["6"],
                                    "layout": ["columns"]}
    everything = parse(client.get("/explore?" + more.query).get_data(as_text=True))
    assert everything.find(".//a[@id='explore-more']") is None  # four lines: all of them
    assert len(edge_rows(everything)) == 4


def test_short_names():
    from kamergraph.endpoint.analysis.network import short_label, short_name

    assert [short_name(n) for n in ("Agnes Mulder", "Kees van der Staaij", "Carla Dik-Faber", "W.B. Hoekstra",
                                    "van der Staaij", "Rutte")] == [
        "A. Mulder", "K. van der Staaij", "C. Dik-Faber", "W.B. Hoekstra", "van der Staaij", "Rutte"]
    ministry = "https://kamergraph.nl/id/ministerie/"
    assert short_label(ministry + "mnre1130", "ministerie van Infrastructuur en Waterstaat", "ministry") == "IenW"
    assert short_label(ministry + "mnre9999", "ministerie van Later", "ministry") == "ministerie van Later"
    assert short_label(BASE + "partij/sp", "SP", "party") == "SP"
