"""Every figure the pages show, computed twice: from the pages as a reader gets them, and from
reference SPARQL queries that count a person on a question in her own place there (a submitter
with the party printed for her on that question, an answerer for the post she answered in and the
ministry of that post). Both must be equal, on the examples and on a generated store of 3,000
questions.

The reference queries are built here from one pattern per dimension, written plainly, apart from
the page index and the named queries the pages use; figures are read from the pages' HTML by
their ``data-n`` counts and link targets, and from the JSON twins of lists and named queries.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import html5lib
import pytest

from kamergraph.config import Settings
from kamergraph.graph import open_store
from kamergraph.iris import key_of

ROOT = Path(__file__).resolve().parent.parent
ID = "https://kamergraph.nl/id/"
GENERATED = 3000
FACET_VALUES = 12  # values per facet on a thing's page (things.FACET_VALUES)
HOME_LIST = 10

PREFIXES = """PREFIX kg: <https://kamergraph.nl/def#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""

# The ministry a person answered for: the ministry of her post (not the minister-president's), or
# for a minister zonder portefeuille the question's answering ministry no other post is in. Each
# branch a subquery of its own, so the store evaluates it once, not once per question.
ANSWERED_FOR = """{{ SELECT ?q ?{p} ?{v} WHERE {{
    ?q kg:answering ?ap . ?ap kg:person ?{p} ; kg:post ?pp . ?pp org:postIn ?{v} .
    FILTER NOT EXISTS {{ ?pp kg:postKind "minister-president" }} }} }}
 UNION
 {{ SELECT ?q ?{p} ?{v} WHERE {{
    ?q kg:answering ?ap . ?ap kg:person ?{p} ; kg:post ?pp . ?pp kg:postKind "minister zonder portefeuille" .
    FILTER NOT EXISTS {{ ?pp org:postIn ?nowhere }}
    ?q kg:answeringMinistry ?{v} .
    FILTER NOT EXISTS {{ ?q kg:answering/kg:post ?other . ?other org:postIn ?{v} .
                         FILTER NOT EXISTS {{ ?other kg:postKind "minister-president" }} }} }} }}"""


def pattern(dim: str, var: str, tag: str) -> str:
    """The questions ?q with value ?var in a dimension of the lists."""
    today = date.today().isoformat()
    return {
        "party": f"?q kg:submission ?s{tag} . ?s{tag} kg:party ?{var} .",
        "submitter": f"?q kg:submission ?s{tag} . ?s{tag} kg:person ?{var} .",
        "answerer": f"?q kg:answering ?a{tag} . ?a{tag} kg:person ?{var} .",
        "post": f"?q kg:answering ?a{tag} . ?a{tag} kg:post ?{var} .",
        "ministry": f"?q kg:answeringMinistry ?{var} .",
        "topic": f"?q dcterms:subject/skos:broader* ?{var} .",
        "year": f"?q dcterms:dateSubmitted ?d{tag} . BIND(STR(YEAR(?d{tag})) AS ?{var})",
        "answered": f'BIND(IF(EXISTS {{ ?q kg:dateAnswered ?x{tag} }}, "yes", "no") AS ?{var})',
        "term": f'?q kg:daysTaken ?t{tag} . BIND(IF(?t{tag} > 21, "over", "within") AS ?{var})',
        "status": f'?q kg:status ?st{tag} ; kg:deadline ?dl{tag} . BIND(IF(?st{tag} = kg:Open && '
                  f'STR(?dl{tag}) < "{today}", "overdue", LCASE(STRAFTER(STR(?st{tag}), "#"))) AS ?{var})',
    }[dim]


def pair_pattern(person_dim: str, place_dim: str, person: str, place: str) -> str | None:
    """A person and her place on the same question: the same submission or answering."""
    if (person_dim, place_dim) == ("submitter", "party"):
        return f"?q kg:submission ?sp . ?sp kg:person ?{person} ; kg:party ?{place} ."
    if (person_dim, place_dim) == ("answerer", "post"):
        return f"?q kg:answering ?ap . ?ap kg:person ?{person} ; kg:post ?{place} ."
    if (person_dim, place_dim) == ("answerer", "ministry"):
        return ANSWERED_FOR.format(p=person, v=place)
    return None


class Reference:
    """Reference figures by SPARQL over the store itself."""

    def __init__(self, path: Path):
        self.store = open_store(str(path), read_only=True)
        self._cache: dict = {}

    def close(self) -> None:
        self.store.close()

    def rows(self, body: str) -> list[dict[str, str]]:
        if body not in self._cache:
            result = self.store.query(PREFIXES + body)
            self._cache[body] = [{k: v.value for k, v in row.items() if v is not None} for row in result.rows()]
        return self._cache[body]

    def totals(self, dim: str) -> dict[str, int]:
        rows = self.rows(f"SELECT ?c (COUNT(DISTINCT ?q) AS ?n) WHERE {{ ?q a kg:WrittenQuestion . "
                         f"{pattern(dim, 'c', 'c')} }} GROUP BY ?c")
        return {r["c"]: int(r["n"]) for r in rows}

    def facets(self, context: str, dim: str) -> dict[str, dict[str, int]]:
        """For every value of the context dimension, the counts of the values of another."""
        both = pair_pattern(context, dim, "c", "v") or pair_pattern(dim, context, "v", "c")
        where = both or f"{pattern(context, 'c', 'c')} {pattern(dim, 'v', 'v')}"
        rows = self.rows(f"SELECT ?c ?v (COUNT(DISTINCT ?q) AS ?n) WHERE {{ ?q a kg:WrittenQuestion . {where} }} "
                         f"GROUP BY ?c ?v")
        out: dict[str, dict[str, int]] = defaultdict(dict)
        for r in rows:
            out[r["c"]][r["v"]] = int(r["n"])
        return out

    def count(self, body: str) -> int:
        return int(self.rows(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {body} }}")[0]["n"])

    def labels(self) -> dict[str, str]:
        rows = self.rows("SELECT ?e ?l WHERE { { ?e skos:prefLabel ?l } UNION "
                         "{ ?e foaf:name ?l FILTER NOT EXISTS { ?e skos:prefLabel ?p } } }")
        return {r["e"]: r["l"] for r in rows}


# -- the stores and their sites


@pytest.fixture(scope="module", params=["examples", pytest.param("generated", marks=pytest.mark.slow)])
def site(request, store_dir, tmp_path_factory):
    from kamergraph.endpoint import create_app
    from stores import store_with_index

    if request.param == "examples":
        path = store_dir
    else:
        import importlib.util
        import sys

        spec = importlib.util.spec_from_file_location("kamergraph_bench_generate", ROOT / "benchmarks" / "generate.py")
        assert spec and spec.loader
        generate = sys.modules.get(spec.name) or importlib.util.module_from_spec(spec)
        if spec.name not in sys.modules:
            sys.modules[spec.name] = generate  # dataclasses look their module up there
            spec.loader.exec_module(generate)
        pages = tmp_path_factory.mktemp("figures-pages")
        assert generate.main(["--count", str(GENERATED), "--seed", "5", "--out", str(pages)]) == 0
        path = store_with_index(tmp_path_factory.mktemp("figures-store") / "store", [ROOT / "examples", pages])
    app = create_app(Settings(store=str(path)))
    app.config["TESTING"] = True
    reference = Reference(path)
    yield app.test_client(), reference
    reference.close()
    app.extensions["kamergraph"].close()


def html(client, path: str):
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, (path, response.data[:300])
    return html5lib.parse(response.data, namespaceHTMLElements=False)


def shown(element) -> int:
    return int(element.get("data-n"))


def facet_counts(section, dim: str) -> dict[str, int]:
    """A facet's values (the key its link adds to the list) and counts."""
    out = {}
    for li in section.iter("li"):
        link = urlsplit(li.find("a").get("href"))
        # a list with this value chosen, or (co-submitters on a person's page) the value's own page
        value = parse_qs(link.query)[dim][0] if link.query else key_of(link.path)
        out[value] = shown(li.find("span[@data-n]"))
    return out


def keyed(counts: dict[str, int], dim: str) -> dict[str, int]:
    """Reference values as the pages name them in links: entity keys, plain values."""
    entity = dim in ("party", "ministry", "topic", "submitter", "answerer", "post")
    return {key_of(v) if entity else v: n for v, n in counts.items()}


def assert_facet(page: dict[str, int], reference: dict[str, int], dim: str, where: str,
                 limit: int | None = FACET_VALUES) -> None:
    """The values shown are the reference's with its counts: all of them, or the first ``limit``
    (the most questions, or the newest years)."""
    for value, count in page.items():
        assert reference.get(value) == count, (where, dim, value, count, reference.get(value))
    if limit is None or len(reference) <= limit:
        assert set(page) == set(reference), (where, dim, set(reference) ^ set(page))
        return
    assert len(page) == limit, (where, dim)
    if dim == "year":
        assert sorted(page, reverse=True) == sorted(reference, reverse=True)[:limit], (where, dim)
    else:
        left_out = [n for v, n in reference.items() if v not in page]
        assert min(page.values()) >= max(left_out), (where, dim)


# What each thing page lists: the filter of its questions and its facets, per block.
THING_BLOCKS = {
    "person": {"asked": ("submitter", ("topic", "ministry", "submitter", "year")),
               "answered": ("answerer", ("party", "ministry", "topic", "year"))},
    "party": {"questions": ("party", ("submitter", "ministry", "topic", "year", "answered", "term"))},
    "ministry": {"questions": ("ministry", ("post", "answerer", "party", "topic", "year", "term"))},
    "post": {"questions": ("post", ("answerer", "party", "topic", "year", "term"))},
    "topic": {"questions": ("topic", ("party", "ministry", "year", "answered", "term"))},
}
PATHS = {"person": "persoon", "party": "partij", "ministry": "ministerie", "post": "post", "topic": "onderwerp"}


def things(reference: Reference, kind: str) -> list[str]:
    """Every thing of a kind that some question counts for."""
    dims = {"person": ("submitter", "answerer"), "party": ("party",), "ministry": ("ministry",), "post": ("post",),
            "topic": ("topic",)}[kind]
    return sorted({iri for dim in dims for iri in reference.totals(dim)})


@pytest.mark.parametrize("kind", list(THING_BLOCKS))
def test_thing_pages_agree_with_the_reference(site, kind):
    client, reference = site
    for iri in things(reference, kind):
        path = "/id/" + iri[len(ID):]
        root = html(client, path)
        for block, (context, dims) in THING_BLOCKS[kind].items():
            total = reference.totals(context).get(iri, 0)
            section = root.find(f".//section[@id='{block}']")
            if section is None:
                assert total == 0, (path, block)
                continue
            assert shown(section.find("h2/span[@data-n]")) == total, (path, block)
            for dim in dims:
                expected = dict(reference.facets(context, dim).get(iri, {}))
                if kind == "person" and dim == "submitter":
                    expected.pop(iri, None)  # co-submitters: the others
                if kind == "ministry" and dim == "post":
                    in_ministry = {r["p"] for r in reference.rows(f"SELECT ?p WHERE {{ ?p org:postIn <{iri}> }}")}
                    expected = {p: n for p, n in expected.items() if p in in_ministry}
                facet = section.find(f".//section[@data-facet='{dim}']")
                page = facet_counts(facet, dim) if facet is not None else {}
                assert_facet(page, keyed(expected, dim), dim, path)
        if kind == "person":
            answered_as = {key_of(li.find("a").get("href")): shown(li.find("span[@data-n]"))
                           for li in root.findall(".//section[@id='answered-as']//li")}
            assert answered_as == keyed(reference.facets("answerer", "post").get(iri, {}), "post"), path
        if kind == "post":
            check_holders(root, reference, iri, path)
        if kind == "topic":
            narrower = {r["n"]: int(r["k"]) for r in reference.rows(
                f"SELECT ?n (COUNT(DISTINCT ?q) AS ?k) WHERE {{ ?n skos:broader <{iri}> . "
                f"?q a kg:WrittenQuestion ; dcterms:subject/skos:broader* ?n }} GROUP BY ?n")}
            section = root.find(".//ul[@id='narrower']")
            page = {} if section is None else {key_of(li.find("a").get("href")): int(li.get("data-n"))
                                               for li in section.iter("li") if li.get("data-n") != "0"}
            assert page == {key_of(n): k for n, k in narrower.items() if k}, path


def check_holders(root, reference: Reference, post: str, path: str) -> None:
    """Everyone who answered in the post, with how many and the dates of the first and last answer."""
    rows = reference.rows(
        f"SELECT ?p (COUNT(DISTINCT ?q) AS ?n) (MIN(STR(?on)) AS ?first) (MAX(STR(?on)) AS ?last) WHERE {{ "
        f"?q kg:answering ?a . ?a kg:person ?p ; kg:post <{post}> . ?q kg:dateAnswered ?on }} GROUP BY ?p")
    expected = {key_of(r["p"]): (int(r["n"]), r["first"], r["last"]) for r in rows}
    page = {}
    for tr in root.findall(".//section[@id='holders']//tbody/tr"):
        cells = tr.findall("td")
        count = int(cells[2].get("data-n"))
        if count:
            first, last = (cell.find("time").get("datetime") for cell in cells[3:5])
            page[key_of(cells[0].find("a").get("href"))] = (count, first, last)
    assert page == expected, path


# -- the lists and their facets


LIST_FACETS = ("party", "ministry", "topic", "year", "status", "answered", "term", "submitter", "answerer")
LIST_CONTEXTS = ("party", "ministry", "topic", "year", "status", "answered", "term", "submitter", "answerer", "post")


@pytest.mark.parametrize("context", LIST_CONTEXTS)
def test_lists_and_their_facets_agree_with_the_reference(site, context):
    client, reference = site
    totals = reference.totals(context)
    for value, total in sorted(totals.items()):
        key = key_of(value) if value.startswith(ID) else value
        document = client.get(f"/questions.json?{context}={key}").get_json()
        assert document["total"] == total, (context, key)
        for dim in LIST_FACETS:
            page = {v["value"]: v["count"] for v in document["facets"].get(dim, [])}
            expected = keyed(reference.facets(context, dim).get(value, {}), dim)
            # the persons' facets show the 30 with most questions (lists.FACET_VALUES), the others all
            assert_facet(page, expected, dim, f"/questions?{context}={key}",
                         limit=30 if dim in ("submitter", "answerer") else None)


def test_a_member_with_her_party_lists_her_questions_printed_with_it(site):
    client, reference = site
    pairs = reference.facets("submitter", "party")
    for person, parties in sorted(pairs.items())[:60]:
        for party, count in parties.items():
            document = client.get(f"/questions.json?submitter={key_of(person)}&party={key_of(party)}").get_json()
            assert document["total"] == count, (person, party)


# -- home, explore, charts, named queries


def test_home_page_agrees_with_the_reference(site):
    client, reference = site
    root = html(client, "/")
    counts = {li.get("data-count"): int(li.get("data-n")) for li in root.findall(".//li[@data-count]")}
    q = "?x a kg:WrittenQuestion"
    assert counts == {
        "questions": reference.count(q),
        "answered": reference.count(q + " ; kg:dateAnswered ?d"),
        "unanswered": reference.count(q + " FILTER NOT EXISTS { ?x kg:dateAnswered ?d }"),
        "over_term": reference.count(q + " ; kg:daysTaken ?t FILTER(?t > 21)"),
        "overdue": reference.totals("status").get("overdue", 0),
        "submitters": reference.count("?q a kg:WrittenQuestion ; kg:submission/kg:person ?x"),
        "answerers": reference.count("?q a kg:WrittenQuestion ; kg:answering/kg:person ?x"),
        "parties": reference.count("?q a kg:WrittenQuestion ; kg:submission/kg:party ?x"),
        "ministries": reference.count("?q a kg:WrittenQuestion ; kg:answeringMinistry ?x"),
        "topics": reference.count("?q a kg:WrittenQuestion ; dcterms:subject/skos:broader* ?x"),
    }
    submitted = reference.totals("submitter")
    printed = reference.facets("submitter", "party")
    rows = root.findall(".//table[@id='submitters']/tbody/tr")
    assert len(rows) == min(HOME_LIST, len(submitted))
    page = {}
    for tr in rows:
        person, parties, count = tr.findall("td")
        iri = ID + person.find("a").get("href").split("/id/", 1)[1]
        page[iri] = count.get("data-n")
        assert int(count.get("data-n")) == submitted[iri], iri
        own = printed.get(iri, {})
        # her own parties, most of her questions first
        assert [key_of(a.get("href")) for a in parties.findall("a")] == [
            key_of(p) for p, _ in sorted(own.items(), key=lambda item: (-item[1], reference.labels()[item[0]]))]
    left_out = [n for iri, n in submitted.items() if iri not in page]
    assert not left_out or min(int(n) for n in page.values()) >= max(left_out)
    for list_id, dim in (("parties", "party"), ("ministries", "ministry")):
        items = {key_of(li.find("a").get("href")): int(li.find("span").get("data-n"))
                 for li in root.findall(f".//ul[@id='{list_id}']/li")}
        assert items == keyed(reference.totals(dim), dim), list_id
    themes = {key_of(li.find("a").get("href")): int(li.find("span").get("data-n"))
              for li in root.findall(".//ul[@id='topics']/li")}
    top = {r["t"] for r in reference.rows("SELECT ?t WHERE { ?t a kg:Topic FILTER NOT EXISTS { ?t skos:broader ?b } }")}
    assert themes == {key_of(t): n for t, n in reference.totals("topic").items() if t in top}


@pytest.mark.parametrize(("by", "to"), [("member", "minister"), ("party", "ministry")])
def test_explore_agrees_with_the_reference(site, by, to):
    client, reference = site
    source = "?q kg:submission/kg:person ?s" if by == "member" else "?q kg:submission/kg:party ?s"
    target = "?q kg:answering/kg:person ?t" if to == "minister" else "?q kg:answeringMinistry ?t"
    expected = {(r["s"], r["t"]): int(r["n"]) for r in reference.rows(
        f"SELECT ?s ?t (COUNT(DISTINCT ?q) AS ?n) WHERE {{ ?q a kg:WrittenQuestion . {source} . {target} }} "
        f"GROUP BY ?s ?t")}
    root = html(client, f"/explore?by={by}&to={to}&limit=1000")
    page = {(tr.get("data-source"), tr.get("data-target")): int(tr.findall("td")[2].find("a").text)
            for tr in root.findall(".//table[@id='explore-edges']/tbody/tr")}
    assert_facet({f"{s} {t}": n for (s, t), n in page.items()},
                 {f"{s} {t}": n for (s, t), n in expected.items()}, "edge", "/explore", limit=1000)


def test_chart_data_agrees_with_the_reference(site):
    client, reference = site
    per_month = client.get("/queries/questions-per-month-by-party.json").get_json()["rows"]
    expected = {(r["m"], r["p"]): int(r["n"]) for r in reference.rows(
        "SELECT ?m ?p (COUNT(DISTINCT ?q) AS ?n) WHERE { ?q a kg:WrittenQuestion ; dcterms:dateSubmitted ?d ; "
        "kg:submission/kg:party ?p BIND(SUBSTR(STR(?d), 1, 7) AS ?m) } GROUP BY ?m ?p")}
    assert {(r["month"], r["party"]): r["questions"] for r in per_month} == expected
    topics = client.get("/queries/topics-over-time.json").get_json()["rows"]
    expected = {(r["y"], r["t"]): int(r["n"]) for r in reference.rows(
        "SELECT ?y ?t (COUNT(DISTINCT ?q) AS ?n) WHERE { ?q a kg:WrittenQuestion ; dcterms:dateSubmitted ?d ; "
        "dcterms:subject/skos:broader* ?t . ?t a kg:Topic FILTER NOT EXISTS { ?t skos:broader ?b } "
        "BIND(YEAR(?d) AS ?y) } GROUP BY ?y ?t")}
    assert {(str(r["year"]), r["topic"]): r["questions"] for r in topics} == expected
    buckets = client.get("/queries/answer-time-distribution.json").get_json()["rows"]
    days = reference.rows("SELECT DISTINCT ?m ?q ?days WHERE { ?q kg:answeringMinistry ?m ; kg:dateAnswered ?a ; "
                          "kg:daysTaken ?days }")
    edges = [(0, 7), (8, 21), (22, 42), (43, 90), (91, 10 ** 6)]
    expected_buckets: dict[tuple[str, int], int] = defaultdict(int)
    for r in days:
        for number, (low, high) in enumerate(edges):
            expected_buckets[r["m"], number] += low <= int(r["days"]) <= high
    order: dict[str, list[int]] = defaultdict(list)
    for r in buckets:
        order[r["ministry"]].append(r["questions"])
    assert dict(order) == {m: [expected_buckets[m, n] for n in range(5)] for m, _ in expected_buckets}


def test_named_query_pages_agree_with_the_reference(site):
    client, reference = site
    rows = client.get("/queries/most-active-submitters.json").get_json()["rows"]
    expected = {r["p"]: (int(r["n"]), int(r["main"])) for r in reference.rows(
        "SELECT ?p (COUNT(DISTINCT ?q) AS ?n) (COUNT(DISTINCT ?m) AS ?main) WHERE { ?q a kg:WrittenQuestion ; "
        "kg:submission ?s . ?s kg:person ?p ; kg:position ?pos BIND(IF(?pos = 1, ?q, ?none) AS ?m) } GROUP BY ?p")}
    assert {r["person"]: (r["questions"], r["asMain"]) for r in rows} == expected
    printed = reference.facets("submitter", "party")
    labels = reference.labels()
    for r in rows:
        assert r["parties"] == "; ".join(sorted(labels[p] for p in printed.get(r["person"], {}))), r["person"]



def test_open_page_rankings_agree_with_the_reference(site):
    client, reference = site
    document = client.get("/open.json").get_json()
    statuses = reference.totals("status")
    assert document["overdue"] == statuses.get("overdue", 0)
    assert document["open"] == statuses.get("overdue", 0) + statuses.get("open", 0)
    per_party = reference.facets("status", "party")
    for row in document["rankings"]["party"]:
        expected_late = per_party.get("overdue", {}).get(row["value"], 0)
        assert (row["overdue"], row["open"]) == (expected_late, expected_late + per_party.get("open", {}).get(
            row["value"], 0)), row
    listed = {row["value"] for row in document["rankings"]["party"]}
    assert listed == set(per_party.get("overdue", {})) | set(per_party.get("open", {}))


def lower_quantile(days: list[int], share: float) -> int:
    """The smallest day count that at least ``share`` of the answers took or less (nearest rank)."""
    ordered = sorted(days)
    rank = max(1, -(-len(ordered) * int(share * 10) // 10))
    return ordered[rank - 1]


@pytest.mark.parametrize("by", ["ministry", "party", "minister"])
def test_answer_times_agree_with_the_reference(site, by):
    client, reference = site
    group = {"ministry": "?q kg:answeringMinistry ?g .", "party": "?q kg:submission/kg:party ?g .",
             "minister": "?q kg:answering ?a . ?a kg:person ?g ; kg:post ?p ."}[by]
    rows = reference.rows(
        f"SELECT DISTINCT ?g ?p ?q ?days ?within WHERE {{ {group} ?q kg:dateAnswered ?on ; kg:daysTaken ?days . "
        f"OPTIONAL {{ ?q kg:answeredWithinTerm ?within }} }}")
    days: dict[tuple, list[int]] = defaultdict(list)
    within: dict[tuple, int] = defaultdict(int)
    for r in rows:
        key = (r["g"], r.get("p", ""))
        days[key].append(int(r["days"]))
        within[key] += r.get("within") == "true"
    # the share in thousandths, halves rounded up as SPARQL's ROUND does (0.3125 is 0.313)
    expected = {key: (len(d), lower_quantile(d, 0.5), lower_quantile(d, 0.9),
                      (within[key] * 2000 // len(d) + 1) // 2 / 1000) for key, d in days.items()}
    page = html(client, f"/answer-times?by={by}")
    found = {}
    for tr in page.findall(".//table[@id='answer-times']/tbody/tr"):
        cells = [td.get("data-n") for td in tr.findall("td")[1:5]]
        if cells[0] != "0":
            found[tr.get("data-group"), tr.get("data-post") or ""] = (
                int(cells[0]), int(cells[1]), int(cells[2]), round(float(cells[3]), 3))
    assert found == expected


@pytest.mark.parametrize("by", ["minister", "post", "ministry", "party"])
def test_answer_times_from_the_index_equal_the_named_query(site, by):
    client, _ = site
    from_index = client.get(f"/answer-times.json?by={by}&from=2010-01-01").get_json()["rows"]
    from_store = client.get(f"/queries/answer-times.json?by={by}&from=2010-01-01").get_json()["rows"]
    assert from_index == from_store
