"""The named queries of queries/ on examples/: exact rows, headers, parsing, and injection safety.

Every expected row below is written out from reading the example pages (examples/): who submitted
with which printed party, who answered in which post, the topics, the dates and the mededelingen.
The reference tables decide the labels: GL and GroenLinks are the party labelled "GroenLinks", CU is
"ChristenUnie", "Kees Van der Staaij" is the reference's "Kees van der Staaij", and the ministry of
Landbouw carries its current name. 2019Z09418 is stored from its later crawl (005b: answered after 60
days, two mededelingen). 2019Z11873 prints its submitters without parties; Arie Slob answered as
minister zonder portefeuille, a post without a ministry; the minister-president's post gives no
answering ministry of its own (Rutte also answered as minister van Algemene Zaken).

A second, synthetic store (built from N-Quads below) pins what the examples cannot show: an even
number of answer times, repeated day counts, the bucket boundaries and members printed with and
without a party.
"""
from __future__ import annotations

import hashlib
import io
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, RdfFormat, Store, parse

from kamergraph import queries
from kamergraph.graph import ResultKind, open_store
from kamergraph.ingest import sizes
from kamergraph.ingest.pipeline import ingest_paths
from kamergraph.iris import Iris
from kamergraph.queries import Parameter, QueryError
from kamergraph.queries.run import run_named, solutions_to_table

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

ID = "https://kamergraph.nl/id/"
Q, PER, PAR, MIN, TOP, POST = (ID + p for p in ("kamervraag/", "persoon/", "partij/", "ministerie/", "onderwerp/",
                                                 "post/"))
TOOI = "https://identifier.overheid.nl/tooi/id/ministerie/"

NEW_QUERIES = (
    "who-asked-whom", "questions-per-party-per-year", "topics-per-party", "most-active-submitters",
    "answer-times-by-ministry", "unanswered-questions", "co-submission-network", "person-questions",
    "topic-questions", "recent-questions", "party-questions", "ministry-questions", "post-questions",
    "answer-time-distribution", "questions-per-month-by-party", "topics-over-time",
)

# zaak: title, submitted, answered, days (from the pages' headers)
QUESTIONS = {
    "2019Z00412": ("Het bericht dat hulpmiddelen voor chronisch zieken duurder worden door de btw-verhoging",
                   "2019-01-10", "2019-02-19", "40"),
    "2019Z01187": ("Het bericht dat basisscholen klassen naar huis sturen door het lerarentekort",
                   "2019-01-24", "2019-02-18", "25"),
    "2019Z04512": ("Het bericht dat slimme deurbellen onveilig zijn", "2019-03-07", "2019-04-01", "25"),
    "2019Z05301": ("Gokreclames rond sportwedstrijden", "2019-03-18", "2019-04-10", "23"),
    "2019Z08003": ("Het reisadvies voor Sri Lanka na de aanslagen op Eerste Paasdag", "2019-04-23", "2019-04-24", "1"),
    "2019Z09418": ("Het bericht dat een wolf op de Veluwe schapen heeft doodgebeten", "2019-05-10", "2019-07-09", "60"),
    "2019Z11873": ("Uitspraken van de minister-president over het eigen risico", "2019-06-04", "2019-07-02", "28"),
    "2019Z16702": ("Het toenemende gebruik van lachgas door jongeren", "2019-09-05", "2019-10-22", "47"),
    "2019Z21877": ("Het bericht dat NS in de spits minder intercity’s laat rijden tussen Zwolle en Groningen",
                   "2019-11-12", "", ""),
    "2021Z16860": ("Mogelijke dataverzameling van Chinese drones", "2021-09-30", "2021-11-18", "49"),
}

# zaak: submitters as printed, with the party labels of the reference, in printed order
SUBMITTERS = {
    "2019Z00412": "Corinne Ellemeet (GroenLinks)",
    "2019Z01187": "Peter Kwint (SP)",
    "2019Z04512": "Sadet Karabulut (SP); Ronald van Raak (SP); Attje Kuiken (PvdA)",
    "2019Z05301": "Kees van der Staaij (SGP)",
    "2019Z08003": "Sjoerd Sjoerdsma (D66)",
    "2019Z09418": "Helma Lodders (VVD); Jaco Geurts (CDA)",
    "2019Z11873": "Jasper van Dijk; Renske Leijten",
    "2019Z16702": "Kees van der Staaij (SGP); Carla Dik-Faber (ChristenUnie)",
    "2019Z21877": "Cem Laçin (SP); Suzanne Kröger (GroenLinks)",
    "2021Z16860": "Barbara Kathmann (PvdA)",
}

ANSWERERS = {
    "2019Z00412": "Bruno Bruins; Menno Snel",
    "2019Z11873": "Mark Rutte; Hugo de Jonge",
    "2019Z16702": "Paul Blokhuis",
    "2019Z04512": "Ferdinand Grapperhaus",
    "2021Z16860": "Barbara Visser; Ferdinand Grapperhaus",
}

NAMES = {
    "attje-kuiken": "Attje Kuiken", "barbara-kathmann": "Barbara Kathmann", "carla-dik-faber": "Carla Dik-Faber",
    "cem-lacin": "Cem Laçin", "corinne-ellemeet": "Corinne Ellemeet", "helma-lodders": "Helma Lodders",
    "jaco-geurts": "Jaco Geurts", "jasper-van-dijk": "Jasper van Dijk", "kees-van-der-staaij": "Kees van der Staaij",
    "peter-kwint": "Peter Kwint", "renske-leijten": "Renske Leijten", "ronald-van-raak": "Ronald van Raak",
    "sadet-karabulut": "Sadet Karabulut", "sjoerd-sjoerdsma": "Sjoerd Sjoerdsma", "suzanne-kroger": "Suzanne Kröger",
    "arie-slob": "Arie Slob", "barbara-visser": "Barbara Visser", "bruno-bruins": "Bruno Bruins",
    "carola-schouten": "Carola Schouten", "ferdinand-grapperhaus": "Ferdinand Grapperhaus",
    "hugo-de-jonge": "Hugo de Jonge", "mark-rutte": "Mark Rutte", "menno-snel": "Menno Snel",
    "paul-blokhuis": "Paul Blokhuis", "sander-dekker": "Sander Dekker", "stef-blok": "Stef Blok",
}
PARTIES = {
    "cda": "CDA", "christenunie": "ChristenUnie", "d66": "D66", "groenlinks": "GroenLinks", "pvda": "PvdA",
    "sgp": "SGP", "sp": "SP", "vvd": "VVD",
}
MINISTRIES = {
    "mnre1010": "ministerie van Algemene Zaken",
    "mnre1013": "ministerie van Buitenlandse Zaken",
    "mnre1025": "ministerie van Volksgezondheid, Welzijn en Sport",
    "mnre1058": "ministerie van Justitie en Veiligheid",
    "mnre1090": "ministerie van Financiën",
    "mnre1109": "ministerie van Onderwijs, Cultuur en Wetenschap",
    "mnre1130": "ministerie van Infrastructuur en Waterstaat",
    "mnre1153": "ministerie van Landbouw, Visserij, Voedselzekerheid en Natuur",
}
TOPICS = {
    "basisonderwijs-thema": "Basisonderwijs", "belasting": "Belasting", "bestuur": "Bestuur",
    "criminaliteit": "Criminaliteit", "cultuur-en-recreatie": "Cultuur en recreatie", "dieren-thema": "Dieren",
    "economie": "Economie", "financien": "Financiën",
    "geneesmiddelen-en-medische-hulpmiddelen": "Geneesmiddelen en medische hulpmiddelen",
    "gezondheidsrisico-s": "Gezondheidsrisico's", "ict": "ICT", "internationaal": "Internationaal",
    "jongeren-gezondheid-thema": "Jongeren", "landbouw-thema": "Landbouw", "luchtvaart": "Luchtvaart",
    "media": "Media", "natuur-en-landschapsbeheer": "Natuur- en landschapsbeheer",
    "natuur-en-milieu": "Natuur en milieu", "onderwijs-en-wetenschap": "Onderwijs en wetenschap",
    "openbare-orde-en-veiligheid": "Openbare orde en veiligheid", "organisatie-en-beleid": "Organisatie en beleid",
    "recreatie-thema": "Recreatie", "reizen": "Reizen", "spoor": "Spoor", "sport-thema": "Sport",
    "terrorisme-thema": "Terrorisme", "verkeer-thema": "Verkeer", "verzekeringen": "Verzekeringen",
    "zorg-en-gezondheid": "Zorg en gezondheid",
}


def person(key):
    return (PER + key, NAMES[key])


def party(key):
    return (PAR + key, PARTIES[key])


def ministry(code):
    return (MIN + code, MINISTRIES[code])


def topic(key):
    return (TOP + key, TOPICS[key])


def question(zaak):
    """question, zaak, title, submitted, answered, days."""
    return (Q + zaak, zaak, *QUESTIONS[zaak])


# ---------------------------------------------------------------------------------------------------
# fixtures and helpers


def _fingerprint(store) -> tuple[int, str]:
    """The store's size and a hash of its N-Quads dump."""
    dump = io.BytesIO()
    store.dump(dump, RdfFormat.N_QUADS)
    return len(store), hashlib.sha256(dump.getvalue()).hexdigest()


@pytest.fixture(scope="session")
def nq_store(tmp_path_factory):
    """examples/ ingested into a store of its own (only read by these tests)."""
    store = open_store(str(tmp_path_factory.mktemp("named-queries") / "store"))
    report = ingest_paths(store, [EXAMPLES])
    assert report.ok, report.errors
    assert report.questions == 10
    yield store
    store.close()


def totalled(expected: list[tuple]) -> list[tuple]:
    """The rows of a paged list, each ending in the number of all rows of the list (total)."""
    return [(*row, str(len(expected))) for row in expected]


def run(store, name, **params) -> tuple[list[str], list[tuple[str, ...]]]:
    header, rows = solutions_to_table(run_named(store, queries.get(name), params))
    return header, [tuple(row) for row in rows]


def rows(store, name, **params) -> list[tuple[str, ...]]:
    return run(store, name, **params)[1]


# ---------------------------------------------------------------------------------------------------
# the registry: headers, placeholders, parsing


def test_registry_holds_the_new_queries():
    assert set(NEW_QUERIES) <= set(queries.registry())


@pytest.mark.parametrize("name", sorted(queries.registry()))
def test_header_declares_title_description_and_placeholders(name):
    named = queries.get(name)
    assert named.title and named.title != name
    assert len(named.description) > 40
    placeholders = set(re.findall(r"VALUES\s+\?(\w+)\s*\{\s*UNDEF\s*\}", named.text))
    for parameter in named.parameters:
        assert parameter.type in queries.TYPES
        assert parameter.description
        if parameter.name in ("limit", "offset"):  # paging: the LIMIT or OFFSET clause is its placeholder
            assert re.search(rf"\b{parameter.name.upper()} [0-9]+", named.text)
        else:
            assert parameter.name in placeholders, f"{name}: no placeholder for {parameter.name}"
        if parameter.default is not None:
            parameter.bind(parameter.default)  # a default of the declared type
    # No placeholder without a declared parameter: it would always stay unbound.
    assert placeholders <= {p.name for p in named.parameters}


SAMPLE_VALUES = {
    "string": "member", "iri": "https://kamergraph.nl/id/partij/sp", "date": "2019-06-01",
    "integer": "21", "year": "2019", "decimal": "1.5", "boolean": "true",
}


@pytest.mark.parametrize("name", sorted(queries.registry()))
def test_query_parses_and_runs_on_an_empty_store(name):
    named = queries.get(name)
    empty = Store()
    list(empty.query(named.text))  # the file itself, every parameter unbound
    bound = named.bound_text({p.name: SAMPLE_VALUES[p.type] for p in named.parameters})
    list(empty.query(bound))


# ---------------------------------------------------------------------------------------------------
# who-asked-whom


def test_who_asked_whom_members_to_ministers(nq_store):
    header, got = run(nq_store, "who-asked-whom")
    assert header == ["source", "sourceLabel", "target", "targetLabel", "questions"]
    pairs = [  # every answered question: each submitter to each answerer, once
        ("attje-kuiken", "ferdinand-grapperhaus"),
        ("barbara-kathmann", "barbara-visser"),
        ("barbara-kathmann", "ferdinand-grapperhaus"),
        ("carla-dik-faber", "paul-blokhuis"),
        ("corinne-ellemeet", "bruno-bruins"),
        ("corinne-ellemeet", "menno-snel"),
        ("helma-lodders", "carola-schouten"),
        ("jaco-geurts", "carola-schouten"),
        ("jasper-van-dijk", "hugo-de-jonge"),
        ("jasper-van-dijk", "mark-rutte"),
        ("kees-van-der-staaij", "paul-blokhuis"),
        ("kees-van-der-staaij", "sander-dekker"),
        ("peter-kwint", "arie-slob"),
        ("renske-leijten", "hugo-de-jonge"),
        ("renske-leijten", "mark-rutte"),
        ("ronald-van-raak", "ferdinand-grapperhaus"),
        ("sadet-karabulut", "ferdinand-grapperhaus"),
        ("sjoerd-sjoerdsma", "stef-blok"),
    ]
    assert got == [(*person(a), *person(b), "1") for a, b in pairs]


def test_who_asked_whom_parties_to_ministers(nq_store):
    # PvdA asked Grapperhaus twice (Kuiken on 2019Z04512, Kathmann on 2021Z16860); SP's two members on
    # 2019Z04512 count once; 2019Z11873 has no printed party.
    assert rows(nq_store, "who-asked-whom", by="party") == [
        (*party("pvda"), *person("ferdinand-grapperhaus"), "2"),
        (*party("cda"), *person("carola-schouten"), "1"),
        (*party("christenunie"), *person("paul-blokhuis"), "1"),
        (*party("d66"), *person("stef-blok"), "1"),
        (*party("groenlinks"), *person("bruno-bruins"), "1"),
        (*party("groenlinks"), *person("menno-snel"), "1"),
        (*party("pvda"), *person("barbara-visser"), "1"),
        (*party("sgp"), *person("paul-blokhuis"), "1"),
        (*party("sgp"), *person("sander-dekker"), "1"),
        (*party("sp"), *person("arie-slob"), "1"),
        (*party("sp"), *person("ferdinand-grapperhaus"), "1"),
        (*party("vvd"), *person("carola-schouten"), "1"),
    ]


def test_who_asked_whom_parties_to_ministries(nq_store):
    # Sander Dekker (minister voor Rechtsbescherming) answered for Justitie en Veiligheid: SGP -> JenV.
    # Arie Slob's post (minister zonder portefeuille) names no ministry; his tenure places him at OCW.
    assert rows(nq_store, "who-asked-whom", by="party", to="ministry") == [
        (*party("pvda"), *ministry("mnre1058"), "2"),
        (*party("cda"), *ministry("mnre1153"), "1"),
        (*party("christenunie"), *ministry("mnre1025"), "1"),
        (*party("d66"), *ministry("mnre1013"), "1"),
        (*party("groenlinks"), *ministry("mnre1090"), "1"),
        (*party("groenlinks"), *ministry("mnre1025"), "1"),
        (*party("pvda"), *ministry("mnre1130"), "1"),
        (*party("sgp"), *ministry("mnre1058"), "1"),
        (*party("sgp"), *ministry("mnre1025"), "1"),
        (*party("sp"), *ministry("mnre1058"), "1"),
        (*party("sp"), *ministry("mnre1109"), "1"),
        (*party("vvd"), *ministry("mnre1153"), "1"),
    ]


def test_who_asked_whom_members_to_ministries(nq_store):
    got = rows(nq_store, "who-asked-whom", to="ministry")
    assert len(got) == 18  # one row per member and answering ministry, Kwint -> OCW (by Slob's tenure) among them
    assert (*person("jasper-van-dijk"), *ministry("mnre1010"), "1") in got  # Rutte as minister van AZ
    assert (*person("jasper-van-dijk"), *ministry("mnre1025"), "1") in got
    assert [row for row in got if row[0] == PER + "peter-kwint"] == [
        (*person("peter-kwint"), *ministry("mnre1109"), "1")]


def test_who_asked_whom_topic_includes_narrower_topics(nq_store):
    # Zorg en gezondheid: 2019Z00412 and 2019Z11873 carry it, 2019Z16702 only its sub-themes.
    assert rows(nq_store, "who-asked-whom", topic=TOP + "zorg-en-gezondheid") == [
        (*person("carla-dik-faber"), *person("paul-blokhuis"), "1"),
        (*person("corinne-ellemeet"), *person("bruno-bruins"), "1"),
        (*person("corinne-ellemeet"), *person("menno-snel"), "1"),
        (*person("jasper-van-dijk"), *person("hugo-de-jonge"), "1"),
        (*person("jasper-van-dijk"), *person("mark-rutte"), "1"),
        (*person("kees-van-der-staaij"), *person("paul-blokhuis"), "1"),
        (*person("renske-leijten"), *person("hugo-de-jonge"), "1"),
        (*person("renske-leijten"), *person("mark-rutte"), "1"),
    ]
    # A sub-theme matches only its own questions.
    assert rows(nq_store, "who-asked-whom", topic=TOP + "luchtvaart", by="party", to="ministry") == [
        (*party("pvda"), *ministry("mnre1130"), "1"),  # "… Infrastructuur …" sorts before "… Justitie …"
        (*party("pvda"), *ministry("mnre1058"), "1"),
    ]


def test_who_asked_whom_party_and_period(nq_store):
    # Only the submitters printed with SP, not their co-submitter of the PvdA.
    assert rows(nq_store, "who-asked-whom", party=PAR + "sp") == [
        (*person("peter-kwint"), *person("arie-slob"), "1"),
        (*person("ronald-van-raak"), *person("ferdinand-grapperhaus"), "1"),
        (*person("sadet-karabulut"), *person("ferdinand-grapperhaus"), "1"),
    ]
    # Submitted from 2019-05-10 up to and including 2019-06-04: 2019Z09418 and 2019Z11873.
    assert rows(nq_store, "who-asked-whom", **{"from": "2019-05-10", "until": "2019-06-04"}) == [
        (*person("helma-lodders"), *person("carola-schouten"), "1"),
        (*person("jaco-geurts"), *person("carola-schouten"), "1"),
        (*person("jasper-van-dijk"), *person("hugo-de-jonge"), "1"),
        (*person("jasper-van-dijk"), *person("mark-rutte"), "1"),
        (*person("renske-leijten"), *person("hugo-de-jonge"), "1"),
        (*person("renske-leijten"), *person("mark-rutte"), "1"),
    ]
    assert rows(nq_store, "who-asked-whom", by="party", **{"from": "2019-05-11", "until": "2019-09-04"}) == []


def test_who_asked_whom_unknown_switch_values_give_no_rows(nq_store):
    assert rows(nq_store, "who-asked-whom", by="members") == []
    assert rows(nq_store, "who-asked-whom", to="Minister") == []


# ---------------------------------------------------------------------------------------------------
# counts per party, topic and time


def test_questions_per_party_per_year(nq_store):
    header, got = run(nq_store, "questions-per-party-per-year")
    assert header == ["party", "partyLabel", "year", "questions"]
    assert got == [
        (*party("sp"), "2019", "3"),  # 2019Z01187, 2019Z04512 (two SP members: once), 2019Z21877
        (*party("groenlinks"), "2019", "2"),  # 2019Z00412, 2019Z21877
        (*party("sgp"), "2019", "2"),  # 2019Z05301, 2019Z16702
        (*party("cda"), "2019", "1"),
        (*party("christenunie"), "2019", "1"),
        (*party("d66"), "2019", "1"),
        (*party("pvda"), "2019", "1"),
        (*party("vvd"), "2019", "1"),
        (*party("pvda"), "2021", "1"),
    ]
    assert rows(nq_store, "questions-per-party-per-year", party=PAR + "pvda") == [
        (*party("pvda"), "2019", "1"), (*party("pvda"), "2021", "1"),
    ]


def test_topics_per_party(nq_store):
    header, got = run(nq_store, "topics-per-party")
    assert header == ["party", "partyLabel", "topic", "topicLabel", "questions"]
    tagged = {  # party: the topics its questions are tagged with (each once)
        "cda": ["dieren-thema", "landbouw-thema", "natuur-en-milieu", "natuur-en-landschapsbeheer"],
        "christenunie": ["gezondheidsrisico-s", "jongeren-gezondheid-thema", "organisatie-en-beleid"],
        "d66": ["internationaal", "reizen", "terrorisme-thema"],
        "groenlinks": ["belasting", "geneesmiddelen-en-medische-hulpmiddelen", "spoor", "verkeer-thema",
                       "zorg-en-gezondheid"],
        "pvda": ["criminaliteit", "ict", "internationaal", "luchtvaart", "openbare-orde-en-veiligheid",
                 "organisatie-en-beleid", "verkeer-thema"],
        "sgp": ["gezondheidsrisico-s", "jongeren-gezondheid-thema", "media", "organisatie-en-beleid",
                "recreatie-thema", "sport-thema"],
        "sp": ["basisonderwijs-thema", "criminaliteit", "ict", "onderwijs-en-wetenschap",
               "openbare-orde-en-veiligheid", "spoor", "verkeer-thema"],
        "vvd": ["dieren-thema", "landbouw-thema", "natuur-en-milieu", "natuur-en-landschapsbeheer"],
    }
    assert got == [(*party(p), *topic(t), "1") for p, topics in tagged.items() for t in topics]
    assert rows(nq_store, "topics-per-party", party=PAR + "d66") == [
        (*party("d66"), *topic(t), "1") for t in tagged["d66"]
    ]


def test_questions_per_month_by_party(nq_store):
    header, got = run(nq_store, "questions-per-month-by-party")
    assert header == ["month", "party", "partyLabel", "questions"]
    assert got == [
        ("2019-01", *party("groenlinks"), "1"), ("2019-01", *party("sp"), "1"),
        ("2019-03", *party("pvda"), "1"), ("2019-03", *party("sgp"), "1"), ("2019-03", *party("sp"), "1"),
        ("2019-04", *party("d66"), "1"),
        ("2019-05", *party("cda"), "1"), ("2019-05", *party("vvd"), "1"),
        ("2019-09", *party("christenunie"), "1"), ("2019-09", *party("sgp"), "1"),
        ("2019-11", *party("groenlinks"), "1"), ("2019-11", *party("sp"), "1"),
        ("2021-09", *party("pvda"), "1"),
    ]
    assert rows(nq_store, "questions-per-month-by-party", party=PAR + "sp", until="2019-03-31") == [
        ("2019-01", *party("sp"), "1"), ("2019-03", *party("sp"), "1"),
    ]


def test_topics_over_time(nq_store):
    header, got = run(nq_store, "topics-over-time")
    assert header == ["year", "topic", "topicLabel", "questions"]
    assert got == [
        # 2019Z00412 (directly), 2019Z11873 (directly), 2019Z16702 (through two sub-themes, once)
        ("2019", *topic("zorg-en-gezondheid"), "3"),
        ("2019", *topic("bestuur"), "2"),  # Organisatie en beleid: 2019Z11873, 2019Z16702
        ("2019", *topic("openbare-orde-en-veiligheid"), "2"),  # 2019Z04512; terrorisme on 2019Z08003
        ("2019", *topic("cultuur-en-recreatie"), "1"),
        ("2019", *topic("economie"), "1"),
        ("2019", *topic("financien"), "1"),
        ("2019", *topic("internationaal"), "1"),
        ("2019", *topic("landbouw-thema"), "1"),
        ("2019", *topic("natuur-en-milieu"), "1"),
        ("2019", *topic("onderwijs-en-wetenschap"), "1"),
        ("2019", *topic("verkeer-thema"), "1"),
        ("2021", *topic("bestuur"), "1"),
        ("2021", *topic("internationaal"), "1"),
        ("2021", *topic("verkeer-thema"), "1"),
    ]
    assert rows(nq_store, "topics-over-time", topic=TOP + "verkeer-thema") == [
        ("2019", *topic("verkeer-thema"), "1"), ("2021", *topic("verkeer-thema"), "1"),
    ]
    assert rows(nq_store, "topics-over-time", topic=TOP + "spoor") == []  # not a top-level theme


# ---------------------------------------------------------------------------------------------------
# members


def test_most_active_submitters(nq_store):
    header, got = run(nq_store, "most-active-submitters")
    assert header == ["person", "name", "parties", "questions", "asMain"]
    assert got == [
        (*person("kees-van-der-staaij"), "SGP", "2", "2"),
        (*person("barbara-kathmann"), "PvdA", "1", "1"),
        (*person("cem-lacin"), "SP", "1", "1"),
        (*person("corinne-ellemeet"), "GroenLinks", "1", "1"),
        (*person("helma-lodders"), "VVD", "1", "1"),
        (*person("jasper-van-dijk"), "", "1", "1"),
        (*person("peter-kwint"), "SP", "1", "1"),
        (*person("sadet-karabulut"), "SP", "1", "1"),
        (*person("sjoerd-sjoerdsma"), "D66", "1", "1"),
        (*person("attje-kuiken"), "PvdA", "1", "0"),
        (*person("carla-dik-faber"), "ChristenUnie", "1", "0"),
        (*person("jaco-geurts"), "CDA", "1", "0"),
        (*person("renske-leijten"), "", "1", "0"),
        (*person("ronald-van-raak"), "SP", "1", "0"),
        (*person("suzanne-kroger"), "GroenLinks", "1", "0"),
    ]
    assert rows(nq_store, "most-active-submitters", party=PAR + "sgp", until="2019-06-30") == [
        (*person("kees-van-der-staaij"), "SGP", "1", "1"),
    ]


def test_co_submission_network(nq_store):
    header, got = run(nq_store, "co-submission-network")
    assert header == ["personA", "nameA", "partyA", "personB", "nameB", "partyB", "questions", "crossParty"]
    assert got == [
        (*person("attje-kuiken"), "PvdA", *person("ronald-van-raak"), "SP", "1", "true"),
        (*person("attje-kuiken"), "PvdA", *person("sadet-karabulut"), "SP", "1", "true"),
        (*person("carla-dik-faber"), "ChristenUnie", *person("kees-van-der-staaij"), "SGP", "1", "true"),
        (*person("cem-lacin"), "SP", *person("suzanne-kroger"), "GroenLinks", "1", "true"),
        (*person("helma-lodders"), "VVD", *person("jaco-geurts"), "CDA", "1", "true"),
        (*person("jasper-van-dijk"), "", *person("renske-leijten"), "", "1", ""),  # no parties printed
        (*person("ronald-van-raak"), "SP", *person("sadet-karabulut"), "SP", "1", "false"),
    ]
    assert rows(nq_store, "co-submission-network", person=PER + "sadet-karabulut") == [
        (*person("attje-kuiken"), "PvdA", *person("sadet-karabulut"), "SP", "1", "true"),
        (*person("ronald-van-raak"), "SP", *person("sadet-karabulut"), "SP", "1", "false"),
    ]
    assert rows(nq_store, "co-submission-network", **{"from": "2019-06-01", "until": "2019-06-30"}) == [
        (*person("jasper-van-dijk"), "", *person("renske-leijten"), "", "1", ""),
    ]


def test_co_submission_network_crossparty_is_a_boolean(nq_store):
    result = run_named(nq_store, queries.get("co-submission-network"), {})
    values = {s["crossParty"] for s in result.value if s["crossParty"] is not None}
    assert values == {Literal(True), Literal(False)}


def test_person_questions(nq_store):
    header, got = run(nq_store, "person-questions", person=PER + "kees-van-der-staaij")
    assert header == ["question", "zaak", "title", "submitted", "answered", "days", "role", "with", "total"]
    assert got == totalled([
        (*question("2019Z16702"), "main", "Carla Dik-Faber (ChristenUnie)"),
        (*question("2019Z05301"), "main", ""),
    ])
    assert rows(nq_store, "person-questions", person=PER + "ronald-van-raak") == totalled([
        (*question("2019Z04512"), "co", "Sadet Karabulut (SP); Attje Kuiken (PvdA)"),
    ])
    assert rows(nq_store, "person-questions", person=PER + "suzanne-kroger") == totalled([
        (*question("2019Z21877"), "co", "Cem Laçin (SP)"),
    ])
    assert rows(nq_store, "person-questions", person=PER + "ferdinand-grapperhaus") == totalled([
        (*question("2021Z16860"), "answerer", "minister van Justitie en Veiligheid"),
        (*question("2019Z04512"), "answerer", "minister van Justitie en Veiligheid"),
    ])
    # Two posts on one answering, sorted.
    assert rows(nq_store, "person-questions", person=PER + "mark-rutte") == totalled([
        (*question("2019Z11873"), "answerer", "minister van Algemene Zaken; minister-president"),
    ])
    assert rows(nq_store, "person-questions", person=PER + "hugo-de-jonge") == totalled([
        (*question("2019Z11873"), "answerer", "minister van Volksgezondheid, Welzijn en Sport; viceminister-president"),
    ])
    assert rows(nq_store, "person-questions", person=PER + "nobody") == []


def test_person_questions_needs_its_person(nq_store):
    with pytest.raises(QueryError):
        run(nq_store, "person-questions")


# ---------------------------------------------------------------------------------------------------
# lists of questions


def test_recent_questions(nq_store):
    header, got = run(nq_store, "recent-questions")
    assert header == ["question", "zaak", "title", "submitted", "answered", "days", "total"]
    assert got == totalled([question(z) for z in sorted(QUESTIONS, key=lambda z: QUESTIONS[z][1], reverse=True)])
    assert rows(nq_store, "recent-questions", **{"from": "2019-09-05"}) == totalled([
        question("2021Z16860"), question("2019Z21877"), question("2019Z16702"),
    ])


def test_a_page_of_a_list_keeps_the_total_of_the_whole_list(nq_store):
    newest_first = sorted(QUESTIONS, key=lambda z: QUESTIONS[z][1], reverse=True)
    assert rows(nq_store, "recent-questions", limit="3") == [(*question(z), "10") for z in newest_first[:3]]
    assert rows(nq_store, "recent-questions", limit="3", offset="8") == [(*question(z), "10") for z in newest_first[8:]]
    assert rows(nq_store, "recent-questions", offset="10") == []
    assert rows(nq_store, "party-questions", party=PAR + "sp", limit="1", offset="1") == [
        (*question("2019Z04512"), SUBMITTERS["2019Z04512"], "3")]
    # A person's submitted and answered questions are one list.
    assert [row[1] for row in rows(nq_store, "person-questions", person=PER + "ferdinand-grapperhaus", limit="1",
                                   offset="1")] == ["2019Z04512"]
    assert [row[0] for row in rows(nq_store, "question-overview", limit="2", offset="1")] == sorted(QUESTIONS)[1:3]


@pytest.mark.parametrize("raw", ["-1", "1.5", "ten", "1 } #"])
def test_paging_parameters_take_whole_numbers_of_zero_or_more(raw):
    with pytest.raises(QueryError, match="must be a whole number of 0 or more"):
        queries.get("recent-questions").bound_text({"limit": raw})


def test_topic_questions(nq_store):
    header, got = run(nq_store, "topic-questions", topic=TOP + "bestuur")
    assert header == ["question", "zaak", "title", "submitted", "answered", "days", "submitters", "total"]
    # Bestuur is never tagged itself: its sub-theme Organisatie en beleid is.
    assert got == totalled([(*question(z), SUBMITTERS[z]) for z in ("2021Z16860", "2019Z16702", "2019Z11873")])
    assert rows(nq_store, "topic-questions", topic=TOP + "zorg-en-gezondheid") == totalled([
        (*question(z), SUBMITTERS[z]) for z in ("2019Z16702", "2019Z11873", "2019Z00412")
    ])
    assert rows(nq_store, "topic-questions", topic=TOP + "spoor") == totalled([
        (*question("2019Z21877"), SUBMITTERS["2019Z21877"])])
    assert rows(nq_store, "topic-questions", topic=TOP + "wonen") == []


def test_party_questions(nq_store):
    header, got = run(nq_store, "party-questions", party=PAR + "sp")
    assert header == ["question", "zaak", "title", "submitted", "answered", "days", "submitters", "total"]
    assert got == totalled([(*question(z), SUBMITTERS[z]) for z in ("2019Z21877", "2019Z04512", "2019Z01187")])
    assert rows(nq_store, "party-questions", party=PAR + "pvda") == totalled([
        (*question(z), SUBMITTERS[z]) for z in ("2021Z16860", "2019Z04512")
    ])


def test_ministry_questions(nq_store):
    header, got = run(nq_store, "ministry-questions", ministry=MIN + "mnre1025")
    assert header == ["question", "zaak", "title", "submitted", "answered", "days", "submitters", "answerers",
                      "total"]
    assert got == totalled([(*question(z), SUBMITTERS[z], ANSWERERS[z])
                            for z in ("2019Z16702", "2019Z11873", "2019Z00412")])
    # Justitie en Veiligheid: Grapperhaus twice, and Dekker as minister voor Rechtsbescherming.
    assert [row[1] for row in rows(nq_store, "ministry-questions", ministry=MIN + "mnre1058")] == [
        "2021Z16860", "2019Z05301", "2019Z04512",
    ]


def test_post_questions(nq_store):
    header, got = run(nq_store, "post-questions", post=POST + "minister-justitie-en-veiligheid")
    assert header == ["question", "zaak", "title", "submitted", "answered", "days", "submitters", "answerers",
                      "total"]
    # answerers: only who answered in this post (not Barbara Visser on 2021Z16860)
    assert got == totalled([
        (*question("2021Z16860"), SUBMITTERS["2021Z16860"], "Ferdinand Grapperhaus"),
        (*question("2019Z04512"), SUBMITTERS["2019Z04512"], "Ferdinand Grapperhaus"),
    ])
    assert rows(nq_store, "post-questions", post=POST + "minister-president") == totalled([
        (*question("2019Z11873"), SUBMITTERS["2019Z11873"], "Mark Rutte"),
    ])


def test_unanswered_questions_on_a_date(nq_store):
    header, got = run(nq_store, "unanswered-questions", on="2019-12-12")
    assert header == ["zaak", "question", "title", "submitted", "ageDays", "submitters", "notices", "total"]
    title = QUESTIONS["2019Z21877"][0]
    open_2019z21877 = ("2019Z21877", Q + "2019Z21877", title, "2019-11-12")
    assert got == [(*open_2019z21877, "30", SUBMITTERS["2019Z21877"], "1", "1")]
    # Before its mededeling of 3 December, and across a leap day.
    assert rows(nq_store, "unanswered-questions", on="2019-12-02") == [
        (*open_2019z21877, "20", SUBMITTERS["2019Z21877"], "0", "1")]
    assert rows(nq_store, "unanswered-questions", on="2020-03-01") == [
        (*open_2019z21877, "110", SUBMITTERS["2019Z21877"], "1", "1")]
    # On 2019-06-01 the wolf question was open (answered 2019-07-09), with one of its two mededelingen.
    assert rows(nq_store, "unanswered-questions", on="2019-06-01") == [
        ("2019Z09418", Q + "2019Z09418", QUESTIONS["2019Z09418"][0], "2019-05-10", "22", SUBMITTERS["2019Z09418"],
         "1", "1"),
    ]
    # On the day it is answered a question is no longer open; on the day it is submitted it is.
    assert [r[0] for r in rows(nq_store, "unanswered-questions", on="2019-04-24")] == []
    assert [r[0] for r in rows(nq_store, "unanswered-questions", on="2019-04-23")] == ["2019Z08003"]
    assert rows(nq_store, "unanswered-questions", on="2019-01-09") == []


def test_unanswered_questions_come_a_page_at_a_time(nq_store):
    # Two questions open on 2019-01-24, both answered later: pages of one, oldest first, with the total.
    both = rows(nq_store, "unanswered-questions", on="2019-01-24")
    assert [r[0] for r in both] == ["2019Z00412", "2019Z01187"] and {r[-1] for r in both} == {"2"}
    assert rows(nq_store, "unanswered-questions", on="2019-01-24", limit="1") == both[:1]
    assert rows(nq_store, "unanswered-questions", on="2019-01-24", limit="1", offset="1") == both[1:]
    assert rows(nq_store, "unanswered-questions", on="2019-01-24", offset="2") == []


def test_each_question_graph_states_its_submitters_as_shown(nq_store):
    """kg:printedSubmitters, exactly: one, two and three submitters, with and without a printed party,
    in printed order, with the reference's names and labels ("Kees Van der Staaij", "GL")."""
    got = {(quad.subject.value, quad.object, quad.graph_name.value)
           for quad in nq_store.quads_for_predicate(NamedNode(KG + "printedSubmitters"))}
    assert got == {(Q + zaak, Literal(printed), "https://kamergraph.nl/graph/kamervraag/" + zaak)
                   for zaak, printed in SUBMITTERS.items()}
    assert SUBMITTERS["2019Z11873"] == "Jasper van Dijk; Renske Leijten"  # printed without parties


def test_printed_submitters_leave_out_what_the_joins_would():
    """A person without a name is left out and a party without a label is not printed, as the
    joins of the queries did; the order is the printed one, whatever the order of the statements."""
    from kamergraph.ingest.mapping import render_submitters

    names = {(PER + "a", "name"): "Member A", (PER + "c", "name"): "Member C", (PAR + "sp", "prefLabel"): "SP"}

    def name_of(iri, predicate):
        name = names.get((iri, predicate.value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]))
        return Literal(name) if name else None

    parts = ((PER + "c", (PAR + "gl",)), (PER + "b", (PAR + "sp",)), (PER + "a", (PAR + "sp",)))
    assert render_submitters(parts, name_of) == "Member C; Member A (SP)"
    assert render_submitters(((PER + "b", ()),), name_of) is None


def test_unanswered_questions_today(nq_store):
    before = datetime.now(UTC).date()
    got = rows(nq_store, "unanswered-questions")
    after = datetime.now(UTC).date()
    assert len(got) == 1 and got[0][0] == "2019Z21877"
    ages = {(day - date(2019, 11, 12)).days for day in (before, after)}
    assert int(got[0][4]) in ages


# ---------------------------------------------------------------------------------------------------
# answer times


def test_answer_times_by_ministry(nq_store):
    header, got = run(nq_store, "answer-times-by-ministry")
    assert header == ["ministry", "ministryLabel", "tooi", "answered", "medianDays", "meanDays", "overTerm",
                      "withNotice"]
    assert got == [
        # JenV: 25 (2019Z04512), 23 (2019Z05301), 49 (2021Z16860, with a mededeling)
        (*ministry("mnre1058"), TOOI + "mnre1058", "3", "25", "32.33", "1", "1"),
        # VWS: 40 (2019Z00412), 28 (2019Z11873), 47 (2019Z16702)
        (*ministry("mnre1025"), TOOI + "mnre1025", "3", "40", "38.33", "1", "0"),
        (*ministry("mnre1010"), TOOI + "mnre1010", "1", "28", "28", "1", "0"),
        (*ministry("mnre1013"), TOOI + "mnre1013", "1", "1", "1", "0", "0"),
        (*ministry("mnre1090"), TOOI + "mnre1090", "1", "40", "40", "1", "0"),
        (*ministry("mnre1130"), TOOI + "mnre1130", "1", "49", "49", "1", "1"),
        (*ministry("mnre1153"), TOOI + "mnre1153", "1", "60", "60", "1", "1"),  # two mededelingen, one question
        (*ministry("mnre1109"), TOOI + "mnre1109", "1", "25", "25", "1", "0"),  # Arie Slob, by his tenure
    ]
    by_term = {row[0]: row[6] for row in rows(nq_store, "answer-times-by-ministry", term="40")}
    assert by_term == {
        MIN + "mnre1058": "0.333", MIN + "mnre1025": "0.333", MIN + "mnre1010": "0", MIN + "mnre1013": "0",
        MIN + "mnre1090": "0", MIN + "mnre1130": "1", MIN + "mnre1153": "1", MIN + "mnre1109": "0",
    }
    # Submitted in March 2019 or later: JenV keeps 23 and 49, the lower median of two is 23.
    march = {row[0]: row[3:] for row in rows(nq_store, "answer-times-by-ministry", **{"from": "2019-03-08"})}
    assert march[MIN + "mnre1058"] == ("2", "23", "36", "1", "1")
    assert march[MIN + "mnre1025"] == ("2", "28", "37.5", "1", "0")
    assert MIN + "mnre1090" not in march


def test_answer_time_distribution(nq_store):
    header, got = run(nq_store, "answer-time-distribution")
    assert header == ["ministry", "ministryLabel", "bucket", "questions"]
    counts = {  # ministries by label, then buckets 0-7, 8-21, 22-42, 43-90, 91+
        "mnre1010": (0, 0, 1, 0, 0), "mnre1013": (1, 0, 0, 0, 0), "mnre1090": (0, 0, 1, 0, 0),
        "mnre1130": (0, 0, 0, 1, 0), "mnre1058": (0, 0, 2, 1, 0), "mnre1153": (0, 0, 0, 1, 0),
        "mnre1109": (0, 0, 1, 0, 0), "mnre1025": (0, 0, 2, 1, 0),
    }
    buckets = ("0-7", "8-21", "22-42", "43-90", "91+")
    assert got == [(*ministry(m), b, str(n)) for m, ns in counts.items() for b, n in zip(buckets, ns, strict=True)]
    assert rows(nq_store, "answer-time-distribution", ministry=MIN + "mnre1058", until="2019-12-31") == [
        (*ministry("mnre1058"), b, n) for b, n in zip(buckets, ("0", "0", "2", "0", "0"), strict=True)
    ]


# ---------------------------------------------------------------------------------------------------
# a synthetic store for what the examples do not show

KG = "https://kamergraph.nl/def#"
DCT = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
FOAF = "http://xmlns.com/foaf/0.1/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"

# ministry code: the days its questions took (in order of zaak number); every third has a mededeling
SYNTHETIC_DAYS = {
    "m1": (10, 20, 20, 30),  # even n, a repeated middle value: lower median 20
    "m2": (9, 5),  # even n: the lower of 5 and 9
    "m3": (3, 8, 3, 3),  # the median is the repeated smallest value
    "m4": (91, 7, 8, 21, 22, 42, 43, 90),  # every bucket boundary; lower median 22
}


def _synthetic_nquads() -> str:
    lines = []

    def add(s, p, o, g="https://example.org/g"):
        lines.append(f"{s} {p} {o} <{g}> .")

    def iri(x):
        return f"<{x}>"

    def lit(value, datatype=None):
        text = str(value).replace("\\", "\\\\").replace('"', '\\"')
        return f'"{text}"^^<{XSD}{datatype}>' if datatype else f'"{text}"'

    number = 0
    for code, days in SYNTHETIC_DAYS.items():
        m = iri(MIN + code)
        add(m, iri(SKOS + "prefLabel"), lit(f"ministerie {code}"))
        add(m, iri(SKOS + "exactMatch"), iri(TOOI + code))
        for d in days:
            number += 1
            q = iri(f"{Q}2020Z{number:05d}")
            add(q, iri(RDF_TYPE), iri(KG + "WrittenQuestion"))
            add(q, iri(KG + "answeringMinistry"), m)
            add(q, iri(DCT + "dateSubmitted"), lit("2020-01-01", "date"))
            add(q, iri(KG + "dateAnswered"), lit("2020-06-01", "date"))
            add(q, iri(KG + "daysTaken"), lit(d, "integer"))
            if number % 3 == 0:
                add(q, iri(KG + "notice"), iri(f"{Q}2020Z{number:05d}/mededeling/1"))

    # Members: a and b share three questions, printed (SP, SP), (no party, GL) and (SP, no party);
    # c is printed once with GL and once with SP.
    for key in ("a", "b", "c"):
        add(iri(PER + key), iri(FOAF + "name"), lit(f"Member {key.upper()}"))
    for key, label in (("sp", "SP"), ("gl", "GL")):
        add(iri(PAR + key), iri(SKOS + "prefLabel"), lit(label))
    submissions = {
        1: (("a", "sp"), ("b", "sp")),
        2: (("a", None), ("b", "gl")),
        3: (("a", "sp"), ("b", None)),
        4: (("c", "gl"),),
        5: (("c", "sp"), ("a", "sp")),
    }
    for n, members in submissions.items():
        q = iri(f"{Q}2021Z{n:05d}")
        add(q, iri(RDF_TYPE), iri(KG + "WrittenQuestion"))
        add(q, iri(DCT + "dateSubmitted"), lit(f"2021-01-0{n}", "date"))
        for position, (key, party_key) in enumerate(members, start=1):
            s = iri(f"{Q}2021Z{n:05d}/indiener/{position}")
            add(q, iri(KG + "submission"), s)
            add(s, iri(KG + "position"), lit(position, "integer"))
            add(s, iri(KG + "person"), iri(PER + key))
            if party_key:
                add(s, iri(KG + "party"), iri(PAR + party_key))
    return "\n".join(lines) + "\n"


def _with_derived_lists(nquads: str) -> str:
    """The N-Quads and what ingest derives from them for each question: its kg:listKey and its
    entries in its lists, with the statements saying what each list is (ingest.mapping.list_nodes),
    and its kg:printedSubmitters made of the names the N-Quads give."""
    from kamergraph.graph.base import group_by_subject
    from kamergraph.ingest.mapping import list_entry, list_nodes, render_submitters, submitter_parts

    quads = list(parse(nquads.encode(), format=RdfFormat.N_QUADS))
    values = group_by_subject(quads)

    def name_of(iri: str, predicate: NamedNode) -> Literal | None:
        names = values.get(NamedNode(iri), {}).get(predicate, [])
        return names[0] if names and isinstance(names[0], Literal) else None

    derived = []
    for q in {quad.subject for quad in quads if quad.object == NamedNode(KG + "WrittenQuestion")}:
        submitted = date.fromisoformat(values[q][NamedNode(DCT + "dateSubmitted")][0].value)
        key = Literal(list_entry(submitted, q.value.rsplit("/", 1)[1]))
        derived.append(f"{q} <{KG}listKey> {key} <https://example.org/g> .")
        printed = render_submitters(submitter_parts(values, q), name_of)
        if printed is not None:
            derived.append(f"{q} <{KG}printedSubmitters> {Literal(printed)} <https://example.org/g> .")
        for node, about in list_nodes(values, q, {}):
            derived.append(f"{node} <{KG}entry> {key} <https://example.org/g> .")
            derived += [f"{s} {p} {o} <https://example.org/entities> ." for s, p, o in about]
    return nquads + "\n".join(derived) + "\n"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    store = open_store(str(tmp_path_factory.mktemp("named-queries-synthetic") / "store"))
    store.write_nquads(_with_derived_lists(_synthetic_nquads()).encode())
    sizes.recount(store, Iris(), None)  # the lists' sizes, as ingest keeps them
    yield store
    store.close()


def test_median_is_the_exact_lower_median(synthetic):
    got = {row[0]: row[3:] for row in rows(synthetic, "answer-times-by-ministry")}
    # answered, medianDays, meanDays, overTerm, withNotice (questions 3, 6, 9, 12, 15, 18 have one)
    assert got == {
        MIN + "m1": ("4", "20", "20", "0.25", "1"),
        MIN + "m2": ("2", "5", "7", "0", "1"),
        MIN + "m3": ("4", "3", "4.25", "0", "1"),
        MIN + "m4": ("8", "22", "40.5", "0.625", "3"),
    }
    assert rows(synthetic, "answer-times-by-ministry", term="7")[0][6] == "0.875"  # m4: all but 7


def test_distribution_bucket_boundaries(synthetic):
    got = [row[2:] for row in rows(synthetic, "answer-time-distribution", ministry=MIN + "m4")]
    assert got == [("0-7", "1"), ("8-21", "2"), ("22-42", "2"), ("43-90", "2"), ("91+", "1")]


def test_party_lists_leave_out_missing_parties(synthetic):
    got = rows(synthetic, "co-submission-network")
    assert got == [
        # a and b: parties differ on no question where both show one
        (PER + "a", "Member A", "SP", PER + "b", "Member B", "GL; SP", "3", "false"),
        (PER + "a", "Member A", "SP", PER + "c", "Member C", "SP", "1", "false"),
    ]
    assert rows(synthetic, "most-active-submitters") == [
        (PER + "a", "Member A", "SP", "4", "3"),
        (PER + "b", "Member B", "GL; SP", "3", "0"),
        (PER + "c", "Member C", "GL; SP", "2", "2"),
    ]


# ---------------------------------------------------------------------------------------------------
# injection: no value changes a query's structure or the store

PAYLOADS = (
    'x" } } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o . FILTER("',
    "<http://evil> } UNION { ?s ?p ?o }",
    "http://evil> } UNION { ?s ?p ?o } #",
    "1) } #",
    "2019-01-01\" } ; DROP ALL ; #",
    "x'} DROP ALL #",
    "line\nbreak } }\n#",
    "quote\" and 'single'",
    "brace } { ?s ?p ?o",
    "back\\slash\\",
    '\\" } DROP ALL ; INSERT DATA { <a:a> <a:a> <a:a> } #',
    '""" } #',
    "\x00\r\t",
    "UNDEF",
    "https://kamergraph.nl/id/partij/sp",
    "2019-06-01",
    "21",
)
_PLACEHOLDER = re.compile(r"VALUES\s+\?(\w+)\s*\{\s*UNDEF\s*\}")


def _check_structure(named, values: dict[str, str], bound: str) -> None:
    """The bound text is the file's text with only each placeholder's UNDEF replaced by exactly one
    RDF term, the term the parameter makes of the value, and the numbers of the LIMIT and OFFSET
    clauses by the paging parameters' whole numbers."""
    terms = named.bindings(values)
    text = named.text
    for name in ("limit", "offset"):
        if name in terms:
            assert re.fullmatch(r"[0-9]+", terms[name].value)
            text = re.sub(rf"\b{name.upper()} [0-9]+", f"{name.upper()} {terms[name].value}", text)
            del terms[name]
    position = 0
    last = 0
    for match in _PLACEHOLDER.finditer(text):
        between = text[last:match.start()]
        assert bound.startswith(between, position), "text outside a placeholder changed"
        position += len(between)
        name = match.group(1)
        if name not in terms:
            assert bound.startswith(match.group(0), position)
            position += len(match.group(0))
        else:
            opening = f"VALUES ?{name} {{ "
            assert bound.startswith(opening, position)
            start = position + len(opening)
            end = bound.index(" }", start)
            while True:  # the term may itself contain " }": take the shortest that is one term
                term_text = bound[start:end]
                solutions = _one_term(term_text)
                if solutions is not None:
                    break
                end = bound.index(" }", end + 1)
            assert solutions == terms[name]
            position = end + 2
        last = match.end()
    assert bound[position:] == text[last:]


def _consume(result) -> None:
    """Read a whole answer: solutions, triples or a boolean."""
    if result.kind is ResultKind.BOOLEAN:
        bool(result.value)
    else:
        list(result.value)


def _one_term(text: str):
    """The single RDF term ``text`` writes, or None when it is not exactly one term."""
    try:
        result = list(Store().query(f"SELECT ?v WHERE {{ VALUES ?v {{ {text} }} }}"))
    except SyntaxError:
        return None
    if len(result) != 1:
        return None
    return result[0]["v"]


@pytest.mark.parametrize("name", sorted(queries.registry()))
def test_no_parameter_value_changes_the_query_or_the_store(nq_store, name):
    named = queries.get(name)
    before = _fingerprint(nq_store)
    required = {p.name: SAMPLE_VALUES[p.type] for p in named.parameters if p.required}
    checked = 0
    for parameter in named.parameters:
        for payload in PAYLOADS:
            values = {**required, parameter.name: payload}
            try:
                bound = named.bound_text(values)
            except QueryError:
                continue  # not a value of the parameter's type
            _check_structure(named, values, bound)
            _consume(run_named(nq_store, named, values))  # runs; raises on a syntax error
            checked += 1
            if parameter.type == "string":
                assert named.bindings(values)[parameter.name] == Literal(payload)
    assert _fingerprint(nq_store) == before
    if any(p.type == "string" for p in named.parameters):
        assert checked >= len(PAYLOADS)


@pytest.mark.parametrize("raw, lexical", [
    ("0.00001", "0.00001"), ("1e-5", "0.00001"), ("1E3", "1000"), ("2.50", "2.50"), (" -3 ", "-3"),
    ("+1.5", "1.5"), ("123456789012345678901234567890.5", "123456789012345678901234567890.5"),
])
def test_a_decimal_parameter_is_bound_in_the_xsd_decimal_lexical_form(raw, lexical):
    term = Parameter("x", "decimal", "a number", True, None).bind(raw)
    assert term == Literal(lexical, datatype=NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))
    assert re.fullmatch(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", term.value)  # XSD 1.1 Part 2, 3.3.3


@pytest.mark.parametrize("raw", ["nan", "inf", "-Infinity", "1e999999999", "0x10", "1,5", ""])
def test_a_decimal_parameter_refuses_what_is_no_decimal(raw):
    with pytest.raises(QueryError, match="must be a decimal"):
        Parameter("x", "decimal", "a number", True, None).bind(raw)


def test_iri_and_date_parameters_refuse_text_that_is_not_of_their_type():
    named = queries.get("who-asked-whom")
    for payload in ("<http://evil> } UNION { ?s ?p ?o }", "http://evil> } #", "a b", "_:b0"):
        with pytest.raises(QueryError):
            named.bound_text({"party": payload})
    for payload in ("2019-01-01\" } #", "2019-13-01", "1) } #"):
        with pytest.raises(QueryError):
            named.bound_text({"from": payload})
    with pytest.raises(QueryError):
        queries.get("answer-times-by-ministry").bound_text({"term": "21 } #"})
    with pytest.raises(QueryError):
        named.bound_text({"nope": "x"})
