"""Text from documents is shown as text, never run: a page ingested from a document whose title,
questions, answers, footnotes and mededeling hold script tags, event handlers, ``javascript:`` links
and template syntax renders them escaped on every page that shows them."""
from __future__ import annotations

from pathlib import Path

import html5lib
import pytest

DATA = Path(__file__).resolve().parent / "data"
HOSTILE = DATA / "hostile_page.txt"
ZAAK = "2020Z99999"
PATH = f"/id/kamervraag/{ZAAK}"
PAGES = [PATH, "/", "/questions", "/questions?party=sp", f"{PATH}/vraag/1", f"{PATH}/antwoord/1", f"{PATH}/voetnoot/1",
         "/id/partij/sp", "/id/persoon/sadet-karabulut", "/id/onderwerp/ict", "/search?q=alert",
         f"/graph/kamervraag/{ZAAK}", "/id/document/kv-tk-2020Z99999"]


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    """An app on a store holding the hostile page (and the examples beside it)."""
    from conftest import EXAMPLES
    from kamergraph.config import Settings
    from kamergraph.endpoint import create_app
    from stores import store_with_index

    path = store_with_index(tmp_path_factory.mktemp("hostile") / "store", [EXAMPLES, HOSTILE])
    settings = Settings(store=str(path))
    application = create_app(settings)
    application.config["TESTING"] = True
    yield application
    application.extensions["kamergraph"].close()


def dom(data: bytes):
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(data)


@pytest.mark.parametrize("path", PAGES)
def test_document_text_is_escaped_everywhere(hostile_app, path):
    response = hostile_app.test_client().get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200
    body = response.data.decode()
    for raw in ("<script>alert", "<img src=x", "<iframe", "<svg", '<a href="javascript:', "</script><script>",
                "<b>vet</b>"):
        assert raw not in body
    root = dom(response.data)
    scripts = root.findall(".//script")
    assert [(s.get("type"), s.get("src")) for s in scripts] == [
        ("application/ld+json", None), (None, "/static/site.js")]
    for element in root.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            if name in ("href", "src", "action"):
                assert not value.strip().lower().startswith(("javascript:", "data:text")), (element.tag, value)
    assert "pwned" not in root.find(".//title").text


def test_question_page_shows_the_hostile_text_as_text(hostile_app):
    response = hostile_app.test_client().get(PATH, headers={"Accept": "text/html"})
    root = dom(response.data)
    assert "".join(root.find(".//h1").itertext()) == \
        'Het bericht <script>alert("titel")</script> over "aanhalingstekens" & <b>vet</b>'
    question = "".join(root.find(".//li[@id='vraag-1']/div[@class='q']/p").itertext())
    assert question == "Bent u bekend met <a href=\"javascript:alert('vraag')\">deze link</a> en " \
                       "<script>document.title='pwned'</script>?"  # the marker 1 is a footnote marker
    footnote = "".join(root.find(".//li[@id='voetnoot-1']").itertext())
    assert footnote == "1. javascript:alert('voetnoot') <img src=x onerror=alert(1)>"
    assert root.find(".//li[@id='voetnoot-1']//a") is None  # a javascript: text never becomes a link
    answer = root.find(".//div[@id='antwoord-2']")
    assert [a.get("href") for a in answer.iter("a")][1:] == ["#antwoord-1", "#antwoord-1", "#voetnoot-2"]
    assert "{{ 7*7 }}" in "".join(root.find(".//li[@id='vraag-2']").itertext())  # not evaluated
    # the JSON-LD in the head cannot end its element early, and still reads back as the title
    import json

    ld = root.find(".//head/script[@type='application/ld+json']")
    assert "</script" not in ld.text
    assert json.loads(ld.text)["name"].startswith('Het bericht <script>alert("titel")</script>')


def test_html_pages_carry_a_content_security_policy(hostile_app):
    response = hostile_app.test_client().get(PATH, headers={"Accept": "text/html"})
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "object-src 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    turtle = hostile_app.test_client().get(PATH, headers={"Accept": "text/turtle"})
    assert "Content-Security-Policy" not in turtle.headers
    assert turtle.headers["X-Content-Type-Options"] == "nosniff"
