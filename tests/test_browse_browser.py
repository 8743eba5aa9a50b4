"""The pages in a real browser (headless Chromium): following links from a question to its
submitter, party, minister, post, ministry and topic and back, the facets, the search, a screenshot
of each kind of page (tests/artifacts/), no console errors (a CSP violation would be one), and a
hostile document that stays text."""
from __future__ import annotations

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from browser import console_errors, screenshot

pytestmark = pytest.mark.browser

Q_PATH = "/id/kamervraag/2021Z16860"


def wait_for(driver, path_suffix: str):
    WebDriverWait(driver, 10).until(lambda d: d.current_url.split("?")[0].split("#")[0].endswith(path_suffix))
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")


def click(driver, css: str, path_suffix: str):
    driver.find_element(By.CSS_SELECTOR, css).click()
    wait_for(driver, path_suffix)


def h1(driver) -> str:
    return driver.find_element(By.TAG_NAME, "h1").text


def no_errors(driver):
    assert console_errors(driver) == []


@pytest.fixture(scope="module")
def site(live_server, browser):
    browser.get_log("browser")  # start with an empty console log
    return live_server.url


def test_from_a_question_to_who_asked_and_answered_and_back(site, browser):
    browser.get(site + "/")
    assert browser.title == "Kamervragen als linked data · kamergraph"
    assert browser.find_element(By.CSS_SELECTOR, "ul.counts li strong").text == "10"
    screenshot(browser, "home")
    no_errors(browser)

    click(browser, f"#recent a[href='{Q_PATH}']", Q_PATH)
    assert h1(browser) == "Mogelijke dataverzameling van Chinese drones"
    assert browser.find_element(By.ID, "over-term").text == "te laat: termijn was 11 november 2021"
    screenshot(browser, "question")
    no_errors(browser)

    click(browser, "#submitters a[data-role='submitter']", "/id/persoon/barbara-kathmann")
    assert h1(browser) == "Barbara Kathmann"
    assert browser.find_element(By.CSS_SELECTOR, "#asked h2").text == "Gestelde vragen (1)"
    screenshot(browser, "person")
    no_errors(browser)
    browser.back()
    wait_for(browser, Q_PATH)

    click(browser, "#submitters a[data-role='party']", "/id/partij/pvda")
    assert h1(browser).startswith("PvdA")
    screenshot(browser, "party")
    no_errors(browser)
    browser.back()
    wait_for(browser, Q_PATH)

    click(browser, "#answerers a[data-role='answerer']", "/id/persoon/barbara-visser")
    assert h1(browser) == "Barbara Visser"
    assert "Beantwoorde vragen (1)" in browser.find_element(By.ID, "answered").text
    screenshot(browser, "minister")
    browser.back()
    wait_for(browser, Q_PATH)

    click(browser, "#answerers a[data-role='post']", "/id/post/minister-infrastructuur-en-waterstaat")
    assert h1(browser) == "minister van Infrastructuur en Waterstaat"
    screenshot(browser, "post")
    browser.back()
    wait_for(browser, Q_PATH)

    click(browser, "#answerers a[data-role='ministry']", "/id/ministerie/mnre1130")
    assert h1(browser) == "ministerie van Infrastructuur en Waterstaat"
    screenshot(browser, "ministry")
    no_errors(browser)
    browser.back()
    wait_for(browser, Q_PATH)

    click(browser, "#topics a[href='/id/onderwerp/luchtvaart']", "/id/onderwerp/luchtvaart")
    assert h1(browser) == "Luchtvaart"
    click(browser, "#broader a", "/id/onderwerp/verkeer-thema")
    assert h1(browser) == "Verkeer"
    screenshot(browser, "topic")
    no_errors(browser)
    click(browser, f"#questions table.questions a[href='{Q_PATH}']", Q_PATH)
    assert h1(browser) == "Mogelijke dataverzameling van Chinese drones"


def test_cross_references_and_generic_pages(site, browser):
    browser.get(site + Q_PATH)
    link = browser.find_element(By.CSS_SELECTOR, "#antwoord-20 p.refs a.xref")
    assert link.text == "antwoord 2"
    link.click()
    WebDriverWait(browser, 5).until(lambda d: d.current_url.endswith("#antwoord-2"))
    assert browser.execute_script("return document.querySelector(':target').id") == "antwoord-2"
    click(browser, "#vraag-1 h3 a", Q_PATH + "/vraag/1")
    assert browser.find_element(By.CSS_SELECTOR, "p.kind").text == "KG:SUBQUESTION"
    screenshot(browser, "resource")
    no_errors(browser)
    click(browser, "#outgoing a[href='/def#SubQuestion']", "/def")
    assert browser.execute_script("return document.querySelector(':target').id") == "SubQuestion"
    screenshot(browser, "ontology")
    no_errors(browser)


def test_facets_narrow_the_list_and_their_counts_follow(site, browser):
    browser.get(site + "/")
    click(browser, "header.site nav a[href='/questions']", "/questions")
    assert browser.find_element(By.ID, "total").text.startswith("10 vragen")
    click(browser, "section[data-facet='party'] a[data-value='sp']", "/questions")
    assert browser.find_element(By.ID, "total").text.startswith("3 vragen")
    answered = browser.find_elements(By.CSS_SELECTOR, "section[data-facet='answered'] li")
    assert [" ".join(li.text.split()) for li in answered] == ["beantwoord 2", "nog niet beantwoord 1"]
    click(browser, "section[data-facet='answered'] a[data-value='no']", "/questions")
    assert browser.find_element(By.ID, "total").text.startswith("1 vraag,")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.questions tbody tr")
    assert len(rows) == 1 and "Zwolle en Groningen" in rows[0].text
    screenshot(browser, "questions")
    no_errors(browser)
    chips = browser.find_elements(By.CSS_SELECTOR, "ul.chosen a")
    assert [c.text for c in chips] == ["Partij: SP", "Beantwoord: nog niet beantwoord"]
    chips[0].click()  # drop the party
    wait_for(browser, "/questions")
    assert browser.current_url.endswith("/questions?answered=no")
    assert browser.find_element(By.ID, "total").text.startswith("1 vraag,")


def test_search(site, browser):
    browser.get(site + "/id/partij/sp")
    box = browser.find_element(By.CSS_SELECTOR, "header.site input[name='q']")
    box.send_keys("slimme deurbellen", Keys.ENTER)
    wait_for(browser, "/search")
    assert browser.find_element(By.ID, "total").text.startswith("1 vraag bevat")
    marks = browser.find_elements(By.CSS_SELECTOR, ".search-hit mark")
    assert marks and all(m.text.lower() in ("slimme", "deurbellen") for m in marks)
    screenshot(browser, "search")
    no_errors(browser)
    click(browser, ".search-hit h2 a", "/id/kamervraag/2019Z04512")
    assert h1(browser) == "Het bericht dat slimme deurbellen onveilig zijn"


def test_dataset_pages(site, browser):
    browser.get(site + "/.well-known/void")
    assert h1(browser) == "Beschrijving van de dataset"
    screenshot(browser, "void")
    no_errors(browser)
    browser.get(site + "/id/kamervraag/2099Z99999")
    assert h1(browser) == "Niet gevonden"
    screenshot(browser, "not-found")


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    from pathlib import Path

    from conftest import EXAMPLES, start_kamergraph
    from kamergraph.config import Settings
    from stores import store_with_index

    folder = tmp_path_factory.mktemp("hostile-server")
    store_with_index(folder / "store", [EXAMPLES / "001_6d703a94c753a9df.txt",
                                        Path(__file__).resolve().parent / "data" / "hostile_page.txt"])
    settings = Settings(store=str(folder / "store"))
    server = start_kamergraph(settings, folder / "server.log")
    yield server
    server.stop()


def test_hostile_document_is_shown_not_run(hostile_server, browser):
    browser.get_log("browser")
    browser.get(hostile_server.url + "/id/kamervraag/2020Z99999")
    WebDriverWait(browser, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    assert browser.title.startswith('Het bericht <script>alert("titel")</script>')
    assert h1(browser) == 'Het bericht <script>alert("titel")</script> over "aanhalingstekens" & <b>vet</b>'
    assert browser.find_element(By.CSS_SELECTOR, "#vraag-1 .q p").text.startswith(
        "Bent u bekend met <a href=\"javascript:alert('vraag')\">deze link</a>")
    assert browser.execute_script("return document.querySelectorAll('iframe, svg, img').length") == 0
    assert browser.execute_script("return document.querySelectorAll('script').length") == 2
    screenshot(browser, "hostile-question")
    no_errors(browser)
    browser.get(hostile_server.url + "/search?q=alert")
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    assert browser.find_element(By.ID, "total").text.startswith("1 vraag bevat")
    no_errors(browser)
