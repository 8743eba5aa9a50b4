"""IRIs: one person one IRI however the name is written, two people never one IRI, and every
minted IRI under the configured base IRI.

tests/data/dik-faber-without-hyphen.txt is example 008 as zaak 2019Z16703 with its co-submitter
printed "Carla Dik Faber" (no hyphen).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from pathlib import Path

import pyoxigraph
import pytest
from pyoxigraph import NamedNode

from kamergraph.ingest.mapping import Mapper, Source
from kamergraph.ingest.names import fold, slug
from kamergraph.ingest.parse import parse_page
from kamergraph.ingest.records import Role
from kamergraph.ingest.refdata import load_reference
from kamergraph.ingest.resolve import Resolver
from kamergraph.iris import Iris
from kamergraph.ontology.terms import KG
from stores import cli

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
DATA = Path(__file__).resolve().parent / "data"
SEED = EXAMPLES / "000_7b937e3f333bd3c8.txt"
BASE = "https://kamergraph.nl/"
PERSON = BASE + "id/persoon/"
SLUG = re.compile(r"[a-z0-9-]+")


def select(iris_store: Path, sparql: str) -> list[tuple[str, ...]]:
    store = pyoxigraph.Store.read_only(str(iris_store))
    try:
        result = store.query(sparql, use_default_graph_as_union=True)
        names = [v.value for v in result.variables]
        return [tuple(s[n].value if s[n] is not None else None for n in names) for s in result]
    finally:
        del store


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(load_reference())


@pytest.fixture(scope="module")
def iris_store(tmp_path_factory) -> Path:
    """examples/ and the Dik Faber page, ingested by the CLI."""
    target = tmp_path_factory.mktemp("iris") / "store"
    result = cli("ingest", "--store", str(target), "--no-progress", str(EXAMPLES),
                 str(DATA / "dik-faber-without-hyphen.txt"))
    assert result.exit_code == 0, result.output
    return target


SUBMITTERS = """
PREFIX kg: <https://kamergraph.nl/def#>
SELECT ?zaak ?position ?printed ?person WHERE {
  ?q kg:zaakNumber ?zaak ; kg:submission ?s .
  ?s kg:position ?position ; kg:printedName ?printed ; kg:person ?person .
} ORDER BY ?zaak ?position
"""


def test_same_person_with_prefix_in_another_case_is_one_iri(iris_store):
    rows = {(zaak, printed): person for zaak, _, printed, person in select(iris_store, SUBMITTERS)}
    # Example 007 prints "Kees van der Staaij", example 008 "Kees Van der Staaij".
    assert rows[("2019Z05301", "Kees van der Staaij")] == PERSON + "kees-van-der-staaij"
    assert rows[("2019Z16702", "Kees Van der Staaij")] == PERSON + "kees-van-der-staaij"
    names = select(iris_store,
                   f"SELECT ?name WHERE {{ <{PERSON}kees-van-der-staaij> <http://xmlns.com/foaf/0.1/name> ?name }}")
    assert names == [("Kees van der Staaij",)]


def test_hyphen_or_space_in_a_surname_is_one_iri_with_one_name(iris_store):
    """Carla Dik-Faber (008) and Carla Dik Faber (the data page): one person, stated once."""
    rows = {(zaak, printed): person for zaak, _, printed, person in select(iris_store, SUBMITTERS)}
    assert rows[("2019Z16702", "Carla Dik-Faber")] == PERSON + "carla-dik-faber"
    assert rows[("2019Z16703", "Carla Dik Faber")] == PERSON + "carla-dik-faber"
    names = select(iris_store,
                   f"SELECT ?name WHERE {{ <{PERSON}carla-dik-faber> <http://xmlns.com/foaf/0.1/name> ?name }}")
    assert names == [("Carla Dik-Faber",)]
    result = cli("query", "--store", str(iris_store), "question-overview", "-p", "zaak=2019Z16703", "--format", "csv")
    assert result.stdout.splitlines()[1].split(",")[5] == "Kees van der Staaij (SGP); Carla Dik-Faber (ChristenUnie)"


def test_every_printed_name_in_the_examples_has_one_iri_and_every_iri_one_name(iris_store):
    """Across submitters and answerers: folded printed names and person IRIs pair one to one."""
    rows = select(iris_store, """
        PREFIX kg: <https://kamergraph.nl/def#>
        SELECT ?printed ?person WHERE { { ?x a kg:Submission } UNION { ?x a kg:Answering }
                                        ?x kg:printedName ?printed ; kg:person ?person }""")
    by_name, by_person = defaultdict(set), defaultdict(set)
    for printed, person in rows:
        by_name[fold(printed).replace("-", " ")].add(person)
        by_person[person].add(fold(printed).replace("-", " "))
    assert all(len(persons) == 1 for persons in by_name.values()), by_name
    assert all(len(names) == 1 for names in by_person.values()), by_person
    # 15 submitters (Kathmann, Karabulut, Van Raak, Kuiken, Van Dijk, Leijten, Ellemeet, Laçin,
    # Kröger, Lodders, Geurts, Kwint, Van der Staaij, Dik-Faber, Sjoerdsma) and 11 answerers (Visser,
    # Grapperhaus, Rutte, De Jonge, Bruins, Snel, Schouten, Slob, Dekker, Blokhuis, Blok).
    assert len(by_person) == 26


@pytest.mark.parametrize("written", ["Cem Laçin", "Cem Lacin", "CEM LAÇIN", "cem laçin", "Cem  Laçin", " Cem Lacin "])
def test_diacritics_case_and_spacing_do_not_matter(resolver, written):
    resolved = resolver.person(written)
    assert (resolved.key, resolved.known, resolved.flag) == ("cem-lacin", True, None)


def test_cem_lacin_in_the_store(iris_store):
    rows = {(zaak, printed): person for zaak, _, printed, person in select(iris_store, SUBMITTERS)}
    assert rows[("2019Z21877", "Cem Laçin")] == PERSON + "cem-lacin"


@pytest.mark.parametrize("one, other", [
    ("Barbara Visser", "Barbara Kathmann"),
    ("Jasper van Dijk", "Gijs van Dijk"),
    ("Kees van der Staaij", "Kees van Staaij"),
    ("Sadet Karabulut", "Sadet Karabulud"),
    ("Ωmega Jansen", "Δmega Jansen"),  # letters that do not fold to a-z
    ("Cœur Jansen", "Cur Jansen"),
    ("张伟", "李伟"),
])
def test_different_people_get_different_iris(resolver, one, other):
    first, second = resolver.person(one), resolver.person(other)
    assert first.key != second.key
    for key in (first.key, second.key):
        assert SLUG.fullmatch(key)
        NamedNode(PERSON + key)


def test_reference_keys_are_unique_and_each_person_is_found_by_its_name(resolver):
    persons = load_reference().persons
    keys = [person.key for person in persons]
    assert len(keys) == len(set(keys))
    names = Counter(fold(person.name) for person in persons)
    # A bare record (a surname, no forename) whose surname one whole record also has is that
    # person twice in openkamer: the name finds the whole record.
    whole_by_surname = defaultdict(list)
    for person in persons:
        if person.forename:
            whole_by_surname[fold(" ".join(p for p in (person.prefix, person.surname) if p))].append(person.key)
    for person in persons:
        resolved = resolver.person(person.name)
        whole = whole_by_surname.get(fold(person.name), []) if not person.forename else []
        if whole:
            expected = (whole[0], True) if len(whole) == 1 else (resolved.key, False)
            assert (resolved.key, resolved.known) == expected, person
        elif names[fold(person.name)] == 1:
            assert (resolved.key, resolved.known) == (person.key, True), person
        else:
            # Namesakes: never one of them picked silently.
            assert not resolved.known and resolved.flag == f"ambiguous-person:{person.name}"
            assert resolved.key not in keys


def test_namesakes_in_the_reference_keep_apart(resolver):
    namesakes = [p for p in load_reference().persons if p.name == "Anthony Hoynck van Papendrecht"]
    assert sorted(p.key for p in namesakes) == [
        "anthony-hoynck-van-papendrecht-1762", "anthony-hoynck-van-papendrecht-1819"]


def test_two_different_submitters_of_one_question_stay_two(resolver):
    """Through parse and mapping: names that only slug alike in the old scheme stay apart."""
    text = SEED.read_text(encoding="utf-8").replace(
        "Indiener Barbara Kathmann (PvdA)", "Indieners Ωmega Jansen (PvdA), Δmega Jansen (PvdA)")
    mapped = Mapper(Iris(), load_reference()).question(
        parse_page(text), Source("x", "0" * 64, datetime(2024, 1, 1, tzinfo=UTC), "test"))
    main_submitter = {q.object for q in mapped.quads if q.predicate == KG.mainSubmitter}
    co_submitter = {q.object for q in mapped.quads if q.predicate == KG.coSubmitter}
    assert len(main_submitter) == len(co_submitter) == 1 and main_submitter != co_submitter
    assert set(mapped.new_names) == main_submitter | co_submitter


# -- the base IRI


def minted_iris(iris_store: Path) -> set[str]:
    store = pyoxigraph.Store.read_only(str(iris_store))
    try:
        found = set()
        for quad in store:
            for term in (quad.subject, quad.object, quad.graph_name):
                if isinstance(term, NamedNode):
                    found.add(term.value)
        return found
    finally:
        del store


@pytest.mark.parametrize("how", ["option", "environment"])
def test_base_iri_is_configurable(tmp_path, how):
    iris_store = tmp_path / "store"
    if how == "option":  # without the final slash: it is added
        result = cli("ingest", "--store", str(iris_store), "--base-iri", "http://example.org/kg", str(SEED))
    else:
        result = cli("ingest", "--store", str(iris_store), str(SEED), env={"KAMERGRAPH_BASE_IRI": "http://example.org/kg/"})
    assert result.exit_code == 0, result.output
    iris = minted_iris(iris_store)
    assert "http://example.org/kg/id/kamervraag/2021Z16860" in iris
    assert "http://example.org/kg/id/kamervraag/2021Z16860/vraag/22" in iris
    assert "http://example.org/kg/graph/kamervraag/2021Z16860" in iris
    assert "http://example.org/kg/id/persoon/barbara-kathmann" in iris
    # Nothing is minted under the default base; only the vocabulary keeps its own namespace.
    stray = {i for i in iris if i.startswith(BASE) and not i.startswith(BASE + "def")}
    assert stray == set()
    store = pyoxigraph.Store.read_only(str(iris_store))
    try:
        graphs = {g.value for g in store.named_graphs()}
    finally:
        del store
    assert graphs == {"http://example.org/kg/graph/" + name
                      for name in ("kamervraag/2021Z16860", "referentie", "entiteiten", "ontologie", "statistieken")}
    # The named queries do not depend on the base IRI.
    query = cli("query", "--store", str(iris_store), "question-overview", "--format", "csv")
    assert query.stdout.splitlines()[1].startswith("2021Z16860,Mogelijke dataverzameling van Chinese drones,")


def test_iris_under_a_base():
    iris = Iris("http://example.org/kg")
    assert iris.base == "http://example.org/kg/"
    assert iris.question("2021Z16860").value == "http://example.org/kg/id/kamervraag/2021Z16860"
    assert iris.part("2021Z16860", "answer", 4).value == "http://example.org/kg/id/kamervraag/2021Z16860/antwoord/4"
    assert iris.part("2021Z16860", "submission", 1).value == "http://example.org/kg/id/kamervraag/2021Z16860/indiener/1"
    assert iris.thing("person", "kees-van-der-staaij").value == "http://example.org/kg/id/persoon/kees-van-der-staaij"
    assert iris.thing("ministry", "mnre1130").value == "http://example.org/kg/id/ministerie/mnre1130"
    assert iris.question_graph("2021Z16860").value == "http://example.org/kg/graph/kamervraag/2021Z16860"
    assert iris.zaak_of_graph("http://example.org/kg/graph/kamervraag/2021Z16860") == "2021Z16860"
    assert iris.zaak_of_graph("http://example.org/kg/graph/referentie") is None
    assert Iris().question("2021Z16860").value == BASE + "id/kamervraag/2021Z16860"


def test_slug_examples():
    assert slug("Kees Van der Staaij") == slug("kees van der staaij") == "kees-van-der-staaij"
    assert slug("Dilan Yeşilgöz-Zegerius") == "dilan-yesilgoz-zegerius"
    assert slug("Carla Dik Faber") == slug("Carla Dik-Faber") == "carla-dik-faber"
    assert slug("Ωmega") != slug("Δmega")
    assert slug("!!!") != slug("X212121")  # symbols only never take a readable name's slug


@pytest.mark.parametrize("answered, code", [
    (date(2022, 11, 18), "mnre1034"),  # Rutte IV: the minister voor VRO, a portfolio at BZK
    (date(2024, 7, 1), "mnre1034"),
    (date(2024, 7, 2), "mnre1171"),  # Schoof: the ministry of VRO, created that day
])
def test_volkshuisvesting_is_bzk_until_it_became_a_ministry(resolver, answered, code):
    role = Role("minister voor volkshuisvesting en ruimtelijke ordening", "minister voor",
                "volkshuisvesting en ruimtelijke ordening")
    assert resolver.post(role, answered).ministry.code == code


@pytest.mark.parametrize("on, code", [
    (date(2017, 10, 25), None),  # the day before Rutte III: no tenure yet
    (date(2019, 2, 18), "mnre1109"),  # examples/006: Arie Slob, minister zonder portefeuille at OCW
])
def test_minister_zonder_portefeuille_is_placed_by_his_tenure(resolver, on, code):
    role = Role("minister zonder portefeuille", "minister zonder portefeuille", None)
    assert resolver.post(role, on).ministry is None  # the post itself names no ministry
    ministry = resolver.ministry_of_tenure(resolver.person("Arie Slob").key, role.kind, on)
    assert (ministry.code if ministry else None) == code
    # openkamer places Atzo Nicolaï's post (2006-2007) at no ministry: none is made up.
    assert resolver.ministry_of_tenure(resolver.person("Atzo Nicolaï").key, role.kind, date(2006, 12, 1)) is None


def test_no_tweede_kamer_id_names_two_people():
    persons = load_reference().persons
    ids = Counter(p.tk_id for p in persons if p.tk_id)
    assert ids and max(ids.values()) == 1
    dekkers = {p.key: p.tk_id for p in persons if p.surname == "Dekker" and p.forename in ("Sander", "Suzanne")}
    assert len(dekkers) == 2 and set(dekkers.values()) == {None}  # openkamer gave them one id


def _minted(reference, kind: str) -> set[str]:
    return {q.subject.value for q in Mapper(Iris(), reference).reference_quads() if f"/id/{kind}/" in q.subject.value}


@pytest.mark.parametrize("table, kind", [("memberships", "lidmaatschap"), ("tenures", "ambtstermijn")])
def test_membership_and_tenure_iris_do_not_move_when_a_row_goes(table, kind):
    import dataclasses

    reference = load_reference()
    rows = getattr(reference, table)
    before = _minted(reference, kind)
    after = _minted(dataclasses.replace(reference, **{table: rows[1:]}), kind)
    assert len(before) == len(rows) and len(after) == len(rows) - 1
    assert after < before  # every other row keeps its IRI


def test_a_minister_voor_a_portfolio_the_tables_do_not_place_is_flagged(resolver):
    role = Role("minister voor ruimtevaart", "minister voor", "ruimtevaart")
    post = resolver.post(role, date(2014, 3, 1))
    assert (post.ministry, post.flag) == (None, "unknown-ministry:ruimtevaart")
    known = resolver.post(Role("minister voor medische zorg", "minister voor", "medische zorg"), date(2019, 1, 1))
    assert (known.ministry.code, known.flag) == ("mnre1025", None)


@pytest.mark.parametrize("printed, key, flag", [
    # openkamer also keeps a bare "VAN DER STAAIJ" without a forename: the whole record is meant
    ("Van der Staaij", "kees-van-der-staaij", None),
    ("van der Staaij", "kees-van-der-staaij", None),
    # six Van Dijks: never one picked silently
    ("Van Dijk", "van-dijk", "ambiguous-person:Van Dijk"),
    ("Jasper van Dijk", "jasper-van-dijk", None),
])
def test_a_surname_alone_with_its_prefix(resolver, printed, key, flag):
    resolved = resolver.person(printed)
    assert (resolved.key, resolved.flag) == (key, flag)


@pytest.mark.parametrize("portfolio, on, code", [
    ("wonen en rijksdienst", date(2014, 3, 1), "mnre1034"),
    ("immigratie en asiel", date(2011, 3, 1), "mnre1034"),
    ("immigratie, integratie en asiel", date(2012, 3, 1), "mnre1034"),
    ("buitenlandse handel en ontwikkelingssamenwerking", date(2018, 3, 1), "mnre1013"),
])
def test_portfolios_of_ministers_voor_are_placed(resolver, portfolio, on, code):
    post = resolver.post(Role(f"minister voor {portfolio}", "minister voor", portfolio), on)
    assert (post.ministry.code, post.flag) == (code, None)


def test_kaags_and_ploumens_portfolio_is_one_post(resolver):
    """openkamer spells Kaag's portfolio "…ontwikkelinssamenwerking": read as the pages print it."""
    kaag = [t for t in load_reference().tenures if t.person == "sigrid-kaag" and t.kind == "minister voor"]
    assert [t.portfolio for t in kaag] == ["buitenlandse handel en ontwikkelingssamenwerking"]


def test_minted_iris_read_back_as_kind_and_key():
    from kamergraph.iris import Iris, key_of

    iris = Iris("http://data.example.org/kv/")
    assert [iris.kind_of(iris.thing(kind, "x").value) for kind in ("question", "person", "party", "topic")] == [
        "question", "person", "party", "topic"]
    assert iris.kind_of(iris.part("2021Z16860", "answer", 1).value) is None  # a part of a thing
    assert iris.kind_of(iris.question_graph("2021Z16860").value) is None
    assert iris.kind_of("https://kamergraph.nl/id/partij/sp") is None  # under another base
    assert iris.is_graph(iris.question_graph("2021Z16860").value)
    assert not iris.is_graph(iris.question("2021Z16860").value)
    assert key_of(iris.thing("party", "groenlinks").value) == "groenlinks"
    assert iris.posted_graph("abc") == "http://data.example.org/kv/graph/store/abc"
    assert (iris.sparql_service, iris.dataset) == (
        "http://data.example.org/kv/sparql#service", "http://data.example.org/kv/.well-known/void#kamergraph")
