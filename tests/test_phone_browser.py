"""Every kind of page on a phone (headless Chromium emulating a 390 px wide screen, as an iPhone 12 to
15): no page scrolls sideways, no element reaches past the right edge (except inside a box that
scrolls on its own, such as a wide table), and the pages that draw show what they draw: the
answer-time chart its bars, the network its labels. Screenshots at desktop and phone width go to
tests/artifacts/ (desktop-NAME.png, phone-NAME.png)."""
from __future__ import annotations

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from browser import ARTIFACTS, PHONE, emulate, past_the_right_edge

pytestmark = pytest.mark.browser

DESKTOP = 1280
# One page of every kind: (name, path).
PAGES = [
    ("home", "/"),
    ("questions", "/questions"),
    ("questions-filtered", "/questions?party=sp&answered=yes"),
    ("search", "/search?q=deurbellen"),
    ("question", "/id/kamervraag/2021Z16860"),
    ("question-with-mededeling", "/id/kamervraag/2019Z04512"),
    ("person", "/id/persoon/barbara-kathmann"),
    ("minister", "/id/persoon/ferdinand-grapperhaus"),
    ("party", "/id/partij/pvda"),
    ("ministry", "/id/ministerie/mnre1130"),
    ("post", "/id/post/minister-infrastructuur-en-waterstaat"),
    ("topic", "/id/onderwerp/verkeer-thema"),
    ("persons", "/id/persoon"),
    ("open", "/open"),
    ("answer-times", "/answer-times"),
    ("chart-answer-times-per-minister", "/charts/answer-times-per-minister"),
    ("resource", "/id/kamervraag/2021Z16860/vraag/1"),
    ("answer", "/id/kamervraag/2021Z16860/antwoord/1"),
    ("graph", "/graph/kamervraag/2021Z16860"),
    ("generic-resource", "/resource?iri=http%3A%2F%2Fwww.w3.org%2F2004%2F02%2Fskos%2Fcore%23Concept"),
    ("ontology", "/def"),
    ("void", "/.well-known/void"),
    ("downloads", "/downloads"),
    ("queries", "/queries"),
    ("query", "/queries/who-asked-whom?by=party&to=ministry"),
    ("sparql-editor", "/sparql"),
    ("explore", "/explore"),
    ("explore-columns", "/explore?by=party&to=ministry&layout=columns"),
    ("charts", "/charts"),
    ("chart-answer-times", "/charts/answer-times"),
    ("chart-topics", "/charts/topics-over-time"),
    ("chart-per-month", "/charts/questions-per-month"),
    ("not-found", "/id/kamervraag/2099Z99999"),
]

def load(browser, url: str) -> None:
    browser.get(url)
    WebDriverWait(browser, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")
    WebDriverWait(browser, 15).until(lambda d: d.execute_script(
        "var g = document.getElementById('explore-graph'), c = document.querySelector('.chart[data-state]');"
        " return (!g || g.dataset.state !== 'waiting') && (!c || c.dataset.state !== 'waiting')"))


def save(browser, name: str, width: int) -> None:
    """A screenshot of the whole page at this width (up to 6,000 px tall)."""
    ARTIFACTS.mkdir(exist_ok=True)
    height = browser.execute_script("return Math.min(document.documentElement.scrollHeight, 6000)")
    emulate(browser, width, max(800, int(height)), mobile=width == PHONE)
    browser.save_screenshot(str(ARTIFACTS / f"{'phone' if width == PHONE else 'desktop'}-{name}.png"))


@pytest.fixture
def phone(browser):
    emulate(browser, PHONE)
    yield browser
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_no_page_scrolls_sideways_on_a_phone(phone, live_server, name, path):
    load(phone, live_server.url + path)
    widths = phone.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth, window.innerWidth]")
    assert widths[1] == PHONE, widths  # the page is laid out for the phone's width
    assert widths[0] <= PHONE, f"{path} is {widths[0]} px wide at {PHONE}"
    assert past_the_right_edge(phone) == [], path
    save(phone, name, PHONE)
    emulate(phone, DESKTOP, 1000, mobile=False)
    load(phone, live_server.url + path)
    save(phone, name, DESKTOP)


def test_answer_time_chart_draws_its_bars_on_a_phone(phone, live_server):
    load(phone, live_server.url + "/charts/answer-times")
    WebDriverWait(phone, 15).until(lambda d: d.execute_script(
        "return document.querySelectorAll('.chart svg, .chart canvas').length > 0"))
    bars = phone.execute_script(
        "var svg = document.querySelector('.chart svg');"
        " return svg ? Array.prototype.filter.call(svg.querySelectorAll('.mark-rect path'),"
        " function (p) { var b = p.getBoundingClientRect(); return b.width >= 1 && b.height >= 1; }).length : -1")
    assert bars > 0


def test_network_shows_its_labels_on_a_phone(phone, live_server):
    load(phone, live_server.url + "/explore")
    WebDriverWait(phone, 15).until(lambda d: d.execute_script(
        "return document.getElementById('explore-graph').dataset.state === 'ready'"))
    # a label is drawn when its rendered font size is at least Cytoscape's min-zoomed-font-size
    sizes = phone.execute_script(
        "var cy = window.kamergraphExplore.cy, zoom = cy.zoom();"
        " return cy.nodes().not('.heading').map(function (n) {"
        "   return parseFloat(n.style('font-size')) * zoom >= (parseFloat(n.style('min-zoomed-font-size')) || 0)"
        "     && n.style('label') !== '' ? parseFloat(n.style('font-size')) * zoom : 0; })")
    assert sizes and min(sizes) >= 11, sizes
    width = phone.execute_script("return document.getElementById('explore-graph').getBoundingClientRect().width")
    assert width <= PHONE
