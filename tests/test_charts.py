"""/charts: the pages (test client) and, in headless Chromium, the Vega-Lite charts drawn as SVG from
the named queries' JSON twins on the examples: one mark per row, the expected labels, a parameter
that changes the chart. Screenshots go to tests/artifacts/."""
from __future__ import annotations

import html5lib
import pytest

from browser import console_errors, screenshot

BASE = "https://kamergraph.nl/id/"
CHARTS = {  # chart -> (named query, rows on the examples)
    "questions-per-month": ("questions-per-month-by-party", 13),
    "answer-times": ("answer-time-distribution", 40),
    "answer-times-per-minister": ("answer-times", 13),  # a tick (rect) per minister in a post
    "topics-over-time": ("topics-over-time", 14),
}


def parse(html: str):
    return html5lib.parse(html, namespaceHTMLElements=False)


def test_index_lists_the_charts_with_their_data(client):
    response = client.get("/charts")
    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    items = page.findall(".//ul[@class='chart-list']/li")
    assert [item.get("id") for item in items] == [f"chart-{name}" for name in CHARTS]
    for item, (name, (query, _)) in zip(items, CHARTS.items(), strict=True):
        assert item.find("h2/a").get("href") == f"/charts/{name}"
        assert item.find(".//a[@type='text/csv']").get("href") == f"/queries/{query}.csv"


@pytest.mark.parametrize("name", CHARTS)
def test_chart_page_has_its_data_beside_it(client, name):
    query = CHARTS[name][0]
    response = client.get(f"/charts/{name}")
    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    chart = page.find(".//div[@id='chart']")
    # the answer times come from the page index in the named query's JSON form
    source = "/answer-times.json" if name == "answer-times-per-minister" else f"/queries/{query}.json"
    assert chart.get("data-chart") == name and chart.get("data-src") == source
    assert page.find(".//a[@class='data-csv']").get("href") == f"/queries/{query}.csv"
    assert page.find(".//a[@class='editor-link']").get("href").startswith("/sparql#query=")
    scripts = [s.get("src") for s in page.iter("script") if s.get("src")]
    assert scripts == ["/static/vendor/vega/vega.min.js", "/static/vendor/vega-interpreter/vega-interpreter.js",
                       "/static/vendor/vega-lite/vega-lite.min.js", "/static/vendor/vega-embed/vega-embed.min.js",
                       "/static/charts.js"]
    for src in scripts:
        assert client.get(src).status_code == 200


def test_parameters_go_to_the_data(client):
    response = client.get(f"/charts/questions-per-month?party={BASE}partij/sp&from=2019-03-01")
    page = parse(response.get_data(as_text=True))
    src = page.find(".//div[@id='chart']").get("data-src")
    assert src == f"/queries/questions-per-month-by-party.json?party={BASE}partij/sp&from=2019-03-01"
    assert page.find(".//a[@class='data-csv']").get("href") == src.replace(".json", ".csv")
    options = page.findall(".//select[@name='party']/option")
    selected = [o.get("value") for o in options if o.get("selected") is not None]
    assert selected == ["sp"]  # shown by its key
    themes = [o.get("value") for o in parse(client.get("/charts/topics-over-time").get_data(as_text=True))
              .findall(".//select[@name='topic']/option")]
    assert "verkeer-thema" in themes and "spoor" not in themes  # themes only

    bad = client.get("/charts/answer-times?from=someday")
    assert bad.status_code == 400
    page = parse(bad.get_data(as_text=True))
    assert page.find(".//div[@id='chart']") is None
    assert "".join(page.find(".//p[@class='error']").itertext()) == "parameter 'from' must be a date, not 'someday'"
    assert client.get("/charts/no-such-chart").status_code == 404


# ---- in the browser -----------------------------------------------------------------------------

MARKS = "#chart svg g.mark-rect.role-mark path"  # the bars and cells, not the legend's swatches


def drawn(browser, url: str) -> str:
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(url)
    WebDriverWait(browser, 20).until(lambda b: b.execute_script(
        "return document.getElementById('chart').dataset.state") in ("ready", "empty", "error"))
    return browser.execute_script("return document.getElementById('chart').dataset.state")


def svg_texts(browser, selector: str) -> list[str]:
    return browser.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent)", selector)


DUTCH_MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
ENGLISH_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def month_words(browser) -> set[str]:
    """The month names on the time axis ("mrt 2019" or "Mar 2019")."""
    labels = svg_texts(browser, "#chart svg g.role-axis-label text")
    return {label.split()[0] for label in labels if label[:1].isalpha()}


@pytest.mark.browser
def test_axis_titles_and_status_follow_the_language(browser, live_server):
    """Dutch by default; ?lang=en gives the same chart in English (and ?lang=nl back, for the next tests)."""
    from selenium.webdriver.common.by import By

    titles = "#chart svg g.role-axis-title text, #chart svg g.role-legend-title text"
    page = f"{live_server.url}/charts/questions-per-month"
    try:
        assert drawn(browser, page) == "ready"
        assert sorted(svg_texts(browser, titles)) == ["Maand van indienen", "Partij", "Vragen"]
        assert browser.find_element(By.ID, "chart-status").text == (
            "13 rijen uit de query questions-per-month-by-party.")
        assert month_words(browser) and month_words(browser) <= set(DUTCH_MONTHS)
        assert drawn(browser, page + "?lang=en") == "ready"
        assert sorted(svg_texts(browser, titles)) == ["Month submitted", "Party", "Questions"]
        assert browser.find_element(By.ID, "chart-status").text == (
            "13 rows from the query questions-per-month-by-party.")
        assert month_words(browser) and month_words(browser) <= set(ENGLISH_MONTHS)
    finally:
        assert drawn(browser, page + "?lang=nl") == "ready"


@pytest.mark.browser
@pytest.mark.parametrize("name", CHARTS)
def test_chart_draws_a_mark_per_row(browser, live_server, name):
    from selenium.webdriver.common.by import By

    console_errors(browser)  # (the session's browser: forget what earlier pages logged)
    assert drawn(browser, f"{live_server.url}/charts/{name}") == "ready", browser.find_element(By.ID, "chart").text
    rows = CHARTS[name][1]
    assert browser.execute_script("return document.getElementById('chart').dataset.rows") == str(rows)
    assert len(browser.find_elements(By.CSS_SELECTOR, MARKS)) == rows
    assert browser.execute_script("return window.kamergraphChart.rows.length") == rows
    labels = svg_texts(browser, "#chart svg text")
    if name == "questions-per-month":
        assert {"CDA", "ChristenUnie", "D66", "GroenLinks", "PvdA", "SGP", "SP", "VVD"} <= set(labels)  # the legend
    elif name == "answer-times-per-minister":
        # long names are cut to the axis' width; the tooltip has them whole
        assert any(label.startswith("Ferdinand Grapperhaus (minister") for label in labels), labels
        assert "Stef Blok (minister van Buitenlandse Zaken)" in labels
    elif name == "answer-times":
        assert {"0-7", "8-21", "22-42", "43-90", "91+", "ministerie van Justitie en Veiligheid"} <= set(labels)
    else:
        assert {"2019", "2020", "2021", "Zorg en gezondheid", "Verkeer"} <= set(labels)  # 2020 shown, empty
        assert sorted(svg_texts(browser, "#chart svg g.mark-text.role-mark text")) == sorted(
            ["3", "2", "2", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1"])
    assert [e["message"] for e in console_errors(browser)] == []
    screenshot(browser, f"chart-{name}")


@pytest.mark.browser
def test_a_parameter_redraws_the_chart(browser, live_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    assert drawn(browser, f"{live_server.url}/charts/questions-per-month") == "ready"
    Select(browser.find_element(By.ID, "param-party")).select_by_value("sp")
    browser.find_element(By.CSS_SELECTOR, "form.query-parameters button[type=submit]").click()
    WebDriverWait(browser, 20).until(lambda b: "party=" in b.current_url and b.execute_script(
        "return document.getElementById('chart').dataset.state") == "ready")
    assert len(browser.find_elements(By.CSS_SELECTOR, MARKS)) == 3  # SP: 2019-01, 2019-03, 2019-11
    rows = browser.execute_script("return window.kamergraphChart.rows")
    assert [r["month"] for r in rows] == ["2019-01", "2019-03", "2019-11"]
    screenshot(browser, "chart-questions-per-month-sp")

    assert drawn(browser, f"{live_server.url}/charts/answer-times?from=2030-01-01") == "empty"
    assert browser.find_element(By.ID, "chart-status").text == "Geen vragen passen bij deze parameters."
