"""The directory and the search in a real browser (headless Chromium), at desktop width and at the
390 px of a phone: what they show, that nothing scrolls sideways, no console errors, screenshots
in tests/artifacts/ (find-*-desktop.png, find-*-phone.png)."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from browser import ARTIFACTS, console_errors

pytestmark = pytest.mark.browser

PHONE = 390
DESKTOP = 1280


@pytest.fixture(scope="module")
def site(live_server, browser):
    browser.get_log("browser")  # start with an empty console log
    yield live_server.url
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _width(driver, width: int, height: int = 900) -> None:
    """The viewport as a device of that width would have it (a phone: mobile, touch-sized)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


def _open(driver, url: str, width: int) -> None:
    _width(driver, width)
    driver.get(url)
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")


def _sideways(driver) -> dict:
    """How wide the page is against the viewport, and the elements that reach past its right edge."""
    return driver.execute_script("""
        const width = document.documentElement.clientWidth;
        const over = [];
        for (const el of document.querySelectorAll('body *')) {
            const box = el.getBoundingClientRect();
            if (box.width && box.right > width + 0.5) over.push(el.tagName + '.' + el.className);
        }
        return {window: window.innerWidth, viewport: width, scroll: document.documentElement.scrollWidth,
                over: over.slice(0, 5)};
    """)


def _shot(driver, name: str, width: int) -> None:
    """A screenshot of the whole page at this width (the viewport made as tall as the page)."""
    ARTIFACTS.mkdir(exist_ok=True)
    height = int(driver.execute_script("return Math.min(document.documentElement.scrollHeight, 6000)"))
    _width(driver, width, max(800, height))
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))
    _width(driver, width)


@pytest.mark.parametrize(("width", "label"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_the_directory_at_desktop_and_phone_width(site, browser, width, label):
    _open(browser, site + "/id/persoon?role=minister&order=questions", width)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Personen"
    first = browser.find_element(By.CSS_SELECTOR, "table.persons tbody tr")
    assert first.get_attribute("data-key") == "ferdinand-grapperhaus"
    assert first.find_element(By.CSS_SELECTOR, "td.name a").text == "Ferdinand Grapperhaus"
    assert first.find_element(By.CSS_SELECTOR, "td[data-label='Beantwoord'] a").text == "2"
    if width == PHONE:  # the table becomes one block per person, each cell labelled
        party = first.find_element(By.CSS_SELECTOR, "td[data-label='Partij']")
        assert party.value_of_css_property("display") == "block"
        assert browser.find_element(By.CSS_SELECTOR, "table.persons thead").is_displayed() is False
    layout = _sideways(browser)
    assert layout["window"] == width and layout["scroll"] <= layout["viewport"], layout
    assert layout["over"] == [], layout
    _shot(browser, f"find-directory-{label}", width)
    assert console_errors(browser) == []


@pytest.mark.parametrize(("width", "label"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_search_by_name_at_desktop_and_phone_width(site, browser, width, label):
    _open(browser, site + "/search", width)
    box = browser.find_element(By.CSS_SELECTOR, "form.search-form input[name='q']")
    box.send_keys("Grapperhaus", Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda d: "q=Grapperhaus" in d.current_url)
    assert browser.find_element(By.ID, "total").text.startswith("2 vragen bevatten")
    hits = browser.find_elements(By.CSS_SELECTOR, "article.search-hit")
    assert sorted(hit.get_attribute("data-zaak") for hit in hits) == ["2019Z04512", "2021Z16860"]
    people = browser.find_elements(By.CSS_SELECTOR, ".people-found li > a")
    assert [a.text for a in people] == ["Ferdinand Grapperhaus"]
    layout = _sideways(browser)
    assert layout["window"] == width and layout["scroll"] <= layout["viewport"], layout
    assert layout["over"] == [], layout
    _shot(browser, f"find-search-{label}", width)
    assert console_errors(browser) == []


def test_a_facet_and_an_order_in_the_browser(site, browser):
    _open(browser, site + "/search?q=vraag", DESKTOP)
    browser.find_element(By.CSS_SELECTOR, "section.facet[data-facet='party'] a[data-value='sgp']").click()
    WebDriverWait(browser, 10).until(lambda d: "party=sgp" in d.current_url)
    assert [h.get_attribute("data-zaak") for h in browser.find_elements(By.CSS_SELECTOR, "article.search-hit")] == [
        "2019Z16702"]
    browser.get(site + "/search?q=vraag")
    browser.find_element(By.LINK_TEXT, "oudste eerst").click()
    WebDriverWait(browser, 10).until(lambda d: "order=oldest" in d.current_url)
    assert [h.get_attribute("data-zaak") for h in browser.find_elements(By.CSS_SELECTOR, "article.search-hit")] == [
        "2019Z00412", "2019Z01187", "2019Z11873", "2019Z16702", "2021Z16860"]
    assert console_errors(browser) == []
