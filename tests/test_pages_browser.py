"""The pages of issue 17 in headless Chromium, at desktop width and at 390 px (a phone): open and
overdue questions, answer times (page and chart), a question's standing, a post's holders and a
named-query form that takes a name. Each page draws without console errors, scrolls no page
sideways at 390 px, and leaves a screenshot of both widths in tests/artifacts/."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from browser import ARTIFACTS, console_errors, screenshot

pytestmark = pytest.mark.browser

PHONE = 390
PAGES = {
    "open": "/open?on=2020-01-01",
    "answer-times": "/answer-times?by=minister",
    "answer-times-ministry": "/answer-times?by=ministry&sort=medianDays",
    "chart-answer-times-per-minister": "/charts/answer-times-per-minister",
    "question-standing": "/id/kamervraag/2019Z21877",
    "post-holders": "/id/post/minister-justitie-en-veiligheid",
    "query-by-name": "/queries/person-questions?person=Staaij",
    "party-members": "/id/partij/sp",
}


def load(driver, url: str) -> None:
    driver.get(url)
    WebDriverWait(driver, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")
    if driver.find_elements(By.ID, "chart"):
        WebDriverWait(driver, 20).until(
            lambda d: d.execute_script("return document.getElementById('chart').dataset.state") in ("ready", "empty"))


def phone(driver, on: bool) -> None:
    """A 390 px wide phone viewport (device metrics, as the browser's device mode sets them)."""
    if on:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": PHONE, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    else:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def phone_screenshot(driver, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    height = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 6000)")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": PHONE, "height": max(844, int(height)), "deviceScaleFactor": 1, "mobile": True})
    driver.save_screenshot(str(ARTIFACTS / f"{name}-390.png"))


@pytest.mark.parametrize("name", PAGES)
def test_page_at_desktop_and_phone_width(browser, live_server, name):
    console_errors(browser)  # forget what earlier pages logged
    url = live_server.url + PAGES[name]
    load(browser, url)
    assert browser.find_element(By.TAG_NAME, "h1").text
    screenshot(browser, f"issue17-{name}")
    try:
        phone(browser, True)
        load(browser, url)
        widths = browser.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1] == PHONE, (name, widths)
        phone_screenshot(browser, f"issue17-{name}")
    finally:
        phone(browser, False)
    assert [e["message"] for e in console_errors(browser)] == []


def test_the_open_page_lists_the_overdue_question_with_its_days(browser, live_server):
    load(browser, live_server.url + "/open?on=2020-01-01")
    row = browser.find_element(By.CSS_SELECTOR, "#open-questions tbody tr")
    assert row.get_attribute("data-zaak") == "2019Z21877" and row.get_attribute("data-status") == "overdue"
    assert "8 dagen te laat" in row.text
    feed = browser.find_element(By.CSS_SELECTOR, "link[rel=alternate][type='application/atom+xml']")
    assert feed.get_attribute("href").endswith("/open.atom?on=2020-01-01")


def test_answer_times_sort_by_a_click(browser, live_server):
    load(browser, live_server.url + "/answer-times?by=ministry")
    browser.find_element(By.CSS_SELECTOR, "a[data-sort=medianDays]").click()
    WebDriverWait(browser, 10).until(lambda d: "sort=medianDays" in d.current_url)
    first = browser.find_element(By.CSS_SELECTOR, "#answer-times tbody tr")
    assert first.get_attribute("data-group").endswith("/ministerie/mnre1153")  # 60 days, the slowest


def test_the_chart_draws_a_tick_per_minister_at_phone_width(browser, live_server):
    try:
        phone(browser, True)
        load(browser, live_server.url + "/charts/answer-times-per-minister")
        ticks = browser.find_elements(By.CSS_SELECTOR, "#chart svg g.mark-rect.role-mark path")
        assert len(ticks) == 13
        width = browser.execute_script("return document.querySelector('#chart svg').getBoundingClientRect().width")
        assert 0 < width <= PHONE
    finally:
        phone(browser, False)
