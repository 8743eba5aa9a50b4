"""Dutch first: every page in Dutch by default (``lang="nl"``, Dutch long dates, singular and plural
right), English with ``?lang=en`` (kept in a cookie), and no page that mixes the two. The catalog
(translations/nl.po) has a Dutch text for every text the templates and modules mark."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import html5lib
import pytest
from babel.messages.pofile import read_po

from kamergraph import queries
from kamergraph.endpoint.analysis import charts

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "endpoint" / "translations" / "nl.po"
Q_PATH = "/id/kamervraag/2021Z16860"  # answered after 49 days, over its deadline of 11 November 2021
QUICK = "/id/kamervraag/2019Z08003"  # answered after 1 day


def parsed(client, path: str, **headers):
    response = client.get(path, headers={"Accept": "text/html", **headers})
    assert response.status_code == 200, response.data[:300]
    root = html5lib.HTMLParser(namespaceHTMLElements=False).parse(response.data)
    return response, root


def text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def by_id(root, id_: str):
    found = root.find(f".//*[@id='{id_}']")
    assert found is not None, f"no element with id {id_}"
    return found


def test_question_page_is_dutch_by_default(client):
    response, root = parsed(client, Q_PATH)
    assert root.get("lang") == "nl"
    assert response.headers["Content-Language"] == "nl"
    assert "Cookie" in response.headers["Vary"]
    assert "Set-Cookie" not in response.headers  # nothing chosen, nothing kept
    assert text(by_id(root, "answered")).startswith(
        "18 november 2021, na 49 dagen te laat: termijn was 11 november 2021")
    assert [text(dt) for dt in root.findall(".//dl[@class='facts']/dt")][:4] == [
        "Ingediend", "Status", "Termijn", "Gericht aan"]
    assert text(root.find(".//dl[@class='facts']/dd/time")) == "30 september 2021"
    assert text(by_id(root, "mededelingen").find("h2")) == "Mededelingen"
    assert text(by_id(root, "vragen").find("h2")) == "Vragen en antwoorden"
    switch = root.find(".//header//a[@class='language']")
    assert (switch.get("href"), switch.get("lang"), text(switch)) == (Q_PATH + "?lang=en", "en", "English")


def test_singular_and_plural(client):
    _, quick = parsed(client, QUICK)
    assert text(by_id(quick, "answered")) == "24 april 2019, na 1 dag binnen de termijn"
    _, late = parsed(client, Q_PATH)
    assert "na 49 dagen" in text(by_id(late, "answered"))


def test_english_switch_gives_the_same_page_in_english_and_is_kept(client):
    response, root = parsed(client, Q_PATH + "?lang=en")
    assert root.get("lang") == "en"
    assert response.headers["Content-Language"] == "en"
    assert text(by_id(root, "answered")).startswith(
        "November 18, 2021, after 49 days after the deadline of November 11, 2021")
    assert [text(dt) for dt in root.findall(".//dl[@class='facts']/dt")][:4] == [
        "Submitted", "Status", "Deadline", "Addressed to"]
    assert text(by_id(root, "mededelingen").find("h2")) == "Notices"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=en;") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # the cookie keeps English on the next page; ?lang=nl goes back
    _, quick = parsed(client, QUICK)
    assert quick.get("lang") == "en"
    assert text(by_id(quick, "answered")) == "April 24, 2019, after 1 day by the deadline"
    back, dutch = parsed(client, QUICK + "?lang=nl")
    assert dutch.get("lang") == "nl" and back.headers["Set-Cookie"].startswith("lang=nl;")
    switch = dutch.find(".//header//a[@class='language']")
    assert (switch.get("href"), text(switch)) == (QUICK + "?lang=en", "English")


def test_unknown_language_and_accept_language_give_dutch(client):
    for path, headers in ((Q_PATH + "?lang=fr", {}), (Q_PATH, {"Accept-Language": "en-GB,en;q=0.9"})):
        response, root = parsed(client, path, **headers)
        assert root.get("lang") == "nl"
        assert "Set-Cookie" not in response.headers


def test_the_404_page_is_dutch(client):
    response = client.get("/id/kamervraag/2099Z99999", headers={"Accept": "text/html"})
    assert response.status_code == 404
    root = html5lib.HTMLParser(namespaceHTMLElements=False).parse(response.data)
    section = root.find(".//section[@class='error']")
    assert text(section.find("h1")) == "Niet gevonden"
    assert [text(p) for p in section.findall("p")] == [
        "404", "Op /id/kamervraag/2099Z99999 staat niets in deze dataset.", "Start · alle vragen · zoeken"]
    plain = client.get("/id/kamervraag/2099Z99999", headers={"Accept": "text/plain"})
    assert "There is nothing at /id/kamervraag/2099Z99999 in this dataset." in plain.get_data(as_text=True)


def test_feed_links_are_titled_in_dutch(client):
    _, root = parsed(client, "/id/partij/sp")
    links = [(a.get("href"), text(a)) for a in root.findall(".//footer//p[@class='feeds']/a")]
    assert links == [("/feeds/questions.atom?party=sp", "Nieuwe vragen van SP"),
                     ("/feeds/answers.atom?party=sp", "Antwoorden aan SP"),
                     ("/feeds/overdue.atom?party=sp", "Te late vragen van SP")]


def test_switch_keeps_the_other_parameters(client):
    _, root = parsed(client, "/questions?party=sp&answered=yes")
    switch = root.find(".//header//a[@class='language']")
    assert switch.get("href") == "/questions?party=sp&answered=yes&lang=en"


def test_catalog_translates_every_marked_text(tmp_path):
    """Extracting the texts again gives no text that nl.po lacks or leaves empty."""
    pot = tmp_path / "messages.pot"
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "-q", "extract", "-F", "babel.cfg",
                    "-k", "_", "-k", "gettext", "-k", "ngettext:1,2", "-k", "N_", "--no-location", "-o", str(pot), "."],
                   cwd=ROOT, check=True)
    with pot.open("rb") as handle:
        wanted = {m.id for m in read_po(handle) if m.id}
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="nl")
    translated = {m.id for m in catalog if m.id and not m.fuzzy
                  and all(m.string if isinstance(m.string, tuple) else [m.string])}
    assert sorted(map(str, wanted - translated)) == []
    assert len(wanted) > 50


# Words of the English frame that no Dutch page may show. The content (titles, questions, answers,
# names) is Dutch, so these come only from a label left untranslated. Whole words, as labels write them.
ENGLISH = ["question", "questions", "answer", "answers", "answered", "asked", "day", "days", "overdue", "Overdue",
           "the", "The", "and", "with", "shown", "of them", "Search", "Persons", "Person", "Submitted", "Deadline",
           "Addressed to", "Asked by", "Answered by", "Sub-questions", "Footnotes", "Sources", "Questions", "Answer",
           "previous", "next", "page", "members", "parties", "topics", "Home", "Charts", "Explore",
           "until", "from", "by", "to", "Show", "Sort", "newest", "oldest", "Party", "Ministry", "Topic", "Year",
           "This data as", "Atom feeds", "dataset description", "Not found", "Statements"]
DUTCH_PAGES = [Q_PATH, QUICK, "/id/kamervraag/2019Z04512", "/id/kamervraag/2019Z21877", "/", "/questions",
               "/questions?party=sp&answered=no", "/open?on=2020-01-01", "/search", "/search?q=drones", "/id/persoon",
               "/id/persoon?role=minister", "/id/persoon/kees-van-der-staaij", "/id/persoon/ferdinand-grapperhaus",
               "/id/partij/sp", "/id/ministerie/mnre1058", "/id/post/minister-justitie-en-veiligheid",
               "/id/onderwerp/luchtvaart", "/id/onderwerp", "/answer-times", "/answer-times?by=party",
               "/explore", "/explore?by=party&to=ministry", "/downloads", "/graph/referentie", "/queries", "/charts"]
# Not /.well-known/void: its statements are the dataset's description, data in English.


@pytest.mark.parametrize("path", DUTCH_PAGES)
def test_no_dutch_page_shows_english_labels(client, path):
    _, root = parsed(client, path)
    assert root.get("lang") == "nl"
    for script in root.iter("script"):
        script.text = ""  # JSON-LD: schema.org's own words
    for code in root.iter("code"):
        code.text = ""  # names of queries, parameters and commands: identifiers, not labels
    labels = ("title", "placeholder", "aria-label", "data-label")
    shown = text(root.find(".//body")) + " " + " ".join(
        v for e in root.iter() for k, v in e.attrib.items() if k in labels)
    found = [w for w in ENGLISH if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", shown)]
    assert found == [], path


@pytest.mark.parametrize("path", DUTCH_PAGES[:8])
def test_the_same_pages_in_english_show_english_labels(client, path):
    """The scan above can fail: the same pages with the switch show the English words."""
    _, root = parsed(client, path + ("&" if "?" in path else "?") + "lang=en")
    assert root.get("lang") == "en"
    shown = text(root.find(".//body"))
    assert [w for w in ("Questions", "Search", "Persons") if re.search(rf"\b{w}\b", shown)] == [
        "Questions", "Search", "Persons"]


def test_named_queries_list_in_dutch_and_english(client):
    """The titles, descriptions and parameter texts of /queries come from the .rq files' @nl lines."""
    _, dutch = parsed(client, "/queries")
    row = by_id(dutch, "query-answer-times")
    assert text(row.find("td/a")) == "Antwoordtijden per bewindspersoon, post, ministerie of partij"
    assert text(row.findall("td")[1]).startswith("Voor elke bewindspersoon (een persoon in de post waarin zij")
    assert [c.get("title") for c in row.findall("td")[2].findall("code")][1:3] == [
        "alleen vragen ingediend op of na deze datum", "alleen vragen ingediend op of voor deze datum"]
    assert text(by_id(dutch, "query-dataset-counts").find("td/a")) == "Tellingen van de dataset"
    _, english = parsed(client, "/queries?lang=en")
    row = by_id(english, "query-answer-times")
    assert text(row.find("td/a")) == "Answer times per minister, post, ministry or party"
    assert text(row.findall("td")[1]).startswith("For each minister (a person in the cabinet post she answered in")
    assert [c.get("title") for c in row.findall("td")[2].findall("code")][1:3] == [
        "only questions submitted on or after this date", "only questions submitted on or before this date"]


def test_queries_json_keeps_english(client):
    """The machine twin is the same in every language: the English texts."""
    listed = {q["name"]: q for q in client.get("/queries.json").get_json()["queries"]}
    assert listed["dataset-counts"]["title"] == "Dataset counts"


def test_a_query_page_in_dutch_and_english(client):
    path = "/queries/unanswered-questions?on=2019-12-12"
    _, dutch = parsed(client, path)
    assert text(dutch.find(".//h1")) == "Onbeantwoorde vragen"
    assert text(dutch.find(".//title")).startswith("Onbeantwoorde vragen")
    assert text(dutch.find(".//p[@class='lead']")).startswith("De schriftelijke vragen die op een peildatum")
    assert text(by_id(dutch, "help-on")) == "date: de peildatum, bijv. 2019-12-12; leeg voor vandaag (UTC)"
    _, english = parsed(client, path + "&lang=en")
    assert text(english.find(".//h1")) == "Unanswered questions"
    assert text(by_id(english, "help-on")) == "date: the reference date, e.g. 2019-12-12; empty for today (UTC)"


def test_a_chart_page_in_dutch_and_english(client):
    _, dutch = parsed(client, "/charts/questions-per-month")
    assert text(dutch.find(".//h1")) == "Vragen per maand per partij"
    assert text(dutch.find(".//p[@class='lead']")).startswith("Hoeveel schriftelijke vragen elke partij per maand")
    assert text(dutch.find(".//p[@class='query-links']/a[3]")) == "Vragen per maand per partij"  # the query's title
    texts = json.loads(by_id(dutch, "chart-texts").text)
    assert (texts["Month submitted"], texts["Questions"]) == ("Maand van indienen", "Vragen")
    assert texts.keys() == set(charts.TEXTS)
    _, english = parsed(client, "/charts/questions-per-month?lang=en")
    assert text(english.find(".//h1")) == "Questions per month by party"
    assert text(english.find(".//p[@class='query-links']/a[3]")) == "Questions per month by party"
    texts = json.loads(by_id(english, "chart-texts").text)
    assert all(english_text == shown for english_text, shown in texts.items())


def test_charts_js_words_are_all_translated():
    """Every word charts.js puts on a chart is in charts.TEXTS, so the page sends its translation."""
    script = (ROOT / "endpoint" / "static" / "charts.js").read_text(encoding="utf-8")
    used = set(re.findall(r'\b(?:t|filled)\("((?:[^"\\]|\\.)*)"', script))
    line = set(re.findall(r'"(%\(count\)s rows? from the query %\(query\)s\.)"', script))
    assert len(used) > 20 and len(line) == 2
    assert sorted((used | line) - set(charts.TEXTS)) == []
    assert sorted(set(charts.TEXTS) - used - line) == []


def test_a_translation_for_a_parameter_the_query_lacks_is_refused():
    text_ = "#+ title: T\n#+ param@nl: nope: niets\nSELECT * WHERE { ?s ?p ?o }\n"
    with pytest.raises(queries.QueryError, match=r"^x\.rq: 'param@nl' for 'nope', which is no parameter$"):
        queries.parse_query_file("x", text_)
    bad = "#+ title: T\n#+ tilte@nl: T\nSELECT * WHERE { ?s ?p ?o }\n"
    with pytest.raises(queries.QueryError, match=r"^x\.rq: no translated header key 'tilte'"):
        queries.parse_query_file("x", bad)


def test_every_named_query_has_dutch_texts():
    for named in queries.registry().values():
        dutch = named.in_language("nl")
        assert dutch.title != named.title and dutch.description != named.description, named.name
        assert [p.name for p in dutch.parameters] == [p.name for p in named.parameters]
        pairs = zip(dutch.parameters, named.parameters, strict=True)
        assert all(d.description != e.description for d, e in pairs), named.name


def test_ontology_page_speaks_the_page_language_first(client):
    """Both languages stay on the page, each marked; the page's own comes first, the other muted."""
    dutch = client.get("/def").get_data(as_text=True)
    term = dutch[dutch.index('id="WrittenQuestion"'):]
    assert term.index('lang="nl">schriftelijke vraag') < term.index('lang="en">· written question')
    english = client.get("/def?lang=en").get_data(as_text=True)
    term = english[english.index('id="WrittenQuestion"'):]
    assert term.index('lang="en">written question') < term.index('lang="nl">· schriftelijke vraag')
