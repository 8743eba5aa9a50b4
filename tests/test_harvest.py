"""``kamergraph harvest`` against a stand-in of the official services on 127.0.0.1: the client's
manners, every zaak's record field by field, the store after one run, a later run, a kill."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode

import harvest_data as data
from harvest_data import DRONES, guid
from kamergraph.graph import open_store
from kamergraph.ingest.harvest.client import USER_AGENT, Client, HarvestError, NotFound
from kamergraph.ingest.harvest.run import Harvester, Window, read_cursor
from kamergraph.ingest.harvest.tk import TkApi
from kamergraph.ingest.harvest.zaak import OfficialSource, build
from kamergraph.ingest.records import Addressee, AnswerDocument, Answerer, Member, Notice, NoticeKind, Role, SubQuestion
from kamergraph.ontology.terms import DCTERMS, KG, PROV, RDF, XSD
from official_services import Services

ID = "https://kamergraph.nl/id/"
RUN_TIME = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
META = "/frbr/officielepublicaties/kv/2021/kv-tk-2021Z16860/1/metadata/metadata.xml"


@pytest.fixture
def services():
    running = Services()
    data.load_all(running)
    yield running
    running.close()
    # Every query the harvest sent is one the real API takes (as far as the stand-in knows it).
    assert running.refused == []


def fast_client(**options) -> Client:
    return Client(rate=options.pop("rate", 1000.0), backoff=options.pop("backoff", 0.01), **options)


def records(services: Services) -> dict:
    tk = TkApi(fast_client(), services.tk_url)
    official = OfficialSource(fast_client(), services.url)
    found = {}
    for rows in tk.zaken_started(datetime(2000, 1, 1, tzinfo=UTC), None):
        for zaak in rows:
            found[zaak["Nummer"]] = build(zaak, official, f"{services.tk_url}/Zaak({zaak['Id']})")
    return found


# -- the client ---------------------------------------------------------------------------------


def test_a_503_is_tried_again_and_the_user_agent_names_kamergraph(services):
    services.faults[META].extend(["503", "503"])
    client = fast_client()
    body = client.get(services.url + META).body
    assert body.startswith(b"<metadata_gegevens>")
    assert client.requests == 3 and client.retried == 2
    assert [h["user-agent"] for p, h in services.requests] == [USER_AGENT] * 3
    assert USER_AGENT.startswith("kamergraph/")


def test_a_timeout_is_tried_again(services):
    services.timeout_seconds = 1.0
    services.faults[META].append("timeout")
    client = fast_client(timeout=0.3)
    assert client.get(services.url + META).body
    assert client.retried == 1


def test_an_error_body_with_status_200_is_tried_again_then_given_up(services):
    path = "/OData/v4/2.0/Zaak"
    services.faults[path].extend(["error"] * 3)
    client = fast_client(retries=2)
    with pytest.raises(HarvestError, match=r"an <Error> body: <\?xml .*An error has occurred.*gave up after 3 tries"):
        client.get(services.tk_url + "/Zaak")
    assert client.requests == 3


def test_a_missing_document_is_not_found_at_once(services):
    client = fast_client()
    with pytest.raises(NotFound):
        client.get(services.url + "/frbr/officielepublicaties/kv/2023/kv-tk-2023Z00001/1/xml/kv-tk-2023Z00001.xml")
    assert client.requests == 1


def test_the_rate_spaces_requests(services):
    client = Client(rate=10.0)
    started = time.monotonic()
    for _ in range(4):
        client.get(services.url + META)
    assert time.monotonic() - started >= 0.3  # three intervals of 0.1 s


def test_pages_are_followed_by_their_next_link(services):
    tk = TkApi(fast_client(), services.tk_url)
    pages = list(tk.zaken_started(datetime(2000, 1, 1, tzinfo=UTC), None))
    assert [len(rows) for rows in pages] == [2, 2, 2, 1]  # 7 written questions, 2 to a page here
    assert sum(1 for path in services.paths("/OData/v4/2.0/Zaak")) == 4


# -- records, field by field --------------------------------------------------------------------

VISSER_IW = Role("minister van Infrastructuur en Waterstaat", "minister", "infrastructuur en waterstaat")
FINANCE = Role("minister van Financiën", "minister", "financiën")


def test_two_addressed_one_signs_with_a_delay_notice_footnotes_and_topics(services):
    harvested = records(services)[DRONES]
    record = harvested.record
    assert harvested.problems == []
    assert record.zaak == DRONES
    assert record.title == "Mogelijke dataverzameling van Chinese drones"
    assert record.submitted == date(2021, 9, 30)
    assert record.submitters == (Member("Barbara Kathmann", "PvdA", data.KATHMANN["Id"]),)
    assert record.addressees == (
        Addressee("Barbara Visser", (VISSER_IW,), "minister van Infrastructuur en Waterstaat", data.VISSER["Id"]),
        Addressee(
            "Ferdinand Grapperhaus",
            (Role("minister van Justitie en Veiligheid", "minister", "justitie en veiligheid"),),
            "minister van Justitie en Veiligheid",
            data.GRAPPERHAUS["Id"],
        ),
    )
    assert record.answer_documents == (
        AnswerDocument(
            "ah-tk-20212022-753",
            date(2021, 11, 18),
            "Antwoord op vragen over drones",
            "https://zoek.officielebekendmakingen.nl/ah-tk-20212022-753.html",
            False,
            (Answerer("Barbara Visser", (VISSER_IW,), None, data.VISSER["Id"]),),
            "2021D44444",
        ),
    )
    assert record.notices == (
        Notice(
            date(2021, 10, 21),
            "De vragen kunnen niet binnen de termijn worden beantwoord.",
            NoticeKind.DELAY,
            "ah-tk-20212022-400",
        ),
    )
    assert record.topics == ("Verkeer", "Luchtvaart", "Internationaal")
    assert record.question_document == "kv-tk-2021Z16860"
    assert [(f.number, f.text) for f in record.footnotes] == [
        (1, "NOS, 29 september 2021"),
        (2, "RTL, 29 september 2021"),
    ]
    assert record.subquestions == (
        SubQuestion(1, "Bent u bekend met de artikelen en?", "Ja.", (1, 2)),
        SubQuestion(2, "Hoe reageert u op de stelling?", "In algemene zin\nWel bestaat het risico."),
    )
    assert record.deadline == date(2021, 11, 11)
    assert record.withdrawn is None


def test_an_open_question_with_a_notice_that_has_no_official_text(services):
    harvested = records(services)["2019Z21877"]
    record = harvested.record
    assert record.submitters == (Member("Pieter Omtzigt", "CDA", data.OMTZIGT["Id"]),)
    # No Persoon expanded: the actor's own name.
    assert record.addressees == (Addressee("W.B. Hoekstra", (FINANCE,), "minister van Financiën", None),)
    assert record.answer_documents == ()
    assert record.notices == (Notice(date(2019, 12, 3), "Mededeling uitstel beantwoording", NoticeKind.DELAY, None),)
    assert record.deadline == date(2019, 12, 24)
    assert [s.number for s in record.subquestions] == [1, 2]
    assert all(s.answer is None for s in record.subquestions)
    assert record.topics == ("Financiën", "Belasting")


def test_combined_answers_a_placeholder_person_and_unknown_values_are_logged(services):
    harvested = records(services)["2018Z01234"]
    record = harvested.record
    assert record.submitters == (
        Member("Pieter Omtzigt", "CDA", data.OMTZIGT["Id"]),
        Member("Y. Onbekend", "CDA", data.PLACEHOLDER["Id"]),
    )
    assert [a.name for a in record.addressees] == ["Mark Rutte", "W.B. Hoekstra"]
    assert record.addressees[0].roles == (
        Role("minister-president, minister van algemene zaken", "minister-president"),
    )
    assert [[a.name for a in d.answerers] for d in record.answer_documents] == [["Mark Rutte"]]
    assert record.subquestions == (
        SubQuestion(1, "Vraag 1?", "Nee."),
        SubQuestion(2, "Vraag 2?", "Zie de brief."),
        SubQuestion(3, "Vraag 3?", "Zie de brief.", refers_to=(2,), combined=True),
    )
    assert harvested.problems == [
        "2018Z01234: document 2018D10001 of unknown Soort 'Brief regering'; left out",
        "2018Z01234: actor 'Z. Iemand' with unknown Relatie 'Belanghebbende'; left out",
        f"2018Z01234: Persoon {data.PLACEHOLDER['Id']} of 'Y. Onbekend' is a placeholder (no name); "
        "the actor's name is used",
        f"2018Z01234: Y. Onbekend: linked to an empty Fractie {guid('fractie/leeg')}",
    ]


def test_a_withdrawal_notice_withdraws_the_question(services):
    record = records(services)["2022Z05555"].record
    assert record.withdrawn == date(2022, 3, 15)
    assert record.notices == (
        Notice(
            date(2022, 3, 15),
            "Het lid Kathmann heeft haar vragen ingetrokken.",
            NoticeKind.WITHDRAWAL,
            "ah-tk-20212022-2000",
        ),
    )
    assert record.deadline == date(2022, 3, 31)


def test_a_missing_official_document_leaves_the_metadata_and_a_flag(services):
    harvested = records(services)["2023Z00001"]
    record = harvested.record
    assert record.title == "De kinderopvang"
    assert record.submitted == date(2023, 1, 5)
    assert record.subquestions == ()
    assert [w.kind.value for w in record.warnings] == ["missing-official-document"]
    assert record.topics == ("Sociale zekerheid", "Gezin en kinderen")  # from the metadata
    assert harvested.problems == [
        f"2023Z00001: official document kv-tk-2023Z00001: not found at {services.url}/frbr/officielepublicaties/"
        "kv/2023/kv-tk-2023Z00001/1/xml/kv-tk-2023Z00001.xml",
    ]


def test_a_deleted_zaak_and_one_of_another_soort(services):
    found = records(services)
    assert found["2020Z09999"].deleted and found["2020Z09999"].record is None
    assert "2020Z08888" not in found  # the Soort filter leaves it out


def test_an_answer_of_a_later_day_and_its_nader_answer(services):
    data.add_nader(services)
    record = records(services)["2024Z10000"].record
    first, nader = record.answer_documents
    assert (first.identifier, first.date, first.supplementary) == ("ah-tk-20232024-1700", date(2024, 6, 20), False)
    assert (nader.identifier, nader.date, nader.supplementary, nader.number) == (
        "ah-tk-20232024-2500",
        date(2024, 9, 2),
        True,
        "2024D30000",
    )
    assert [(a.name, a.roles) for a in nader.answerers] == [
        ("E. Heinen", (FINANCE,)),
        ("T. van Oostenbruggen", (Role("staatssecretaris van Financiën", "staatssecretaris", "financiën"),)),
    ]
    assert record.subquestions[1] == SubQuestion(2, "Wanneer?", "Dat volgt.")


# -- the store ------------------------------------------------------------------------------------


def harvest(store_path: Path, services: Services, window: Window, at: datetime = RUN_TIME):
    store = open_store(str(store_path))
    try:
        harvester = Harvester(
            store,
            "https://kamergraph.nl/",
            fast_client(),
            tk_url=services.tk_url,
            ob_url=services.url,
            ingest_time=at,
            now=lambda: at,
        )
        return harvester.run(window)
    finally:
        store.close()


def quads(store_path: Path) -> set[str]:
    store = open_store(str(store_path), read_only=True)
    try:
        return {str(q) for q in store.quads()}
    finally:
        store.close()


def about(store_path: Path, subject: str, predicate: NamedNode) -> set:
    store = open_store(str(store_path), read_only=True)
    try:
        return {q.object for q in store.quads() if q.subject == NamedNode(subject) and q.predicate == predicate}
    finally:
        store.close()


def test_a_harvest_stores_every_question_and_twice_gives_the_same_quads(services, tmp_path):
    report = harvest(tmp_path / "store", services, Window(since=date(2008, 9, 1)))
    assert report.errors == []
    assert report.zaken == 7 and report.stored.questions == 6 and report.deleted == 0
    assert report.cursor == RUN_TIME
    first = quads(tmp_path / "store")
    q = ID + "kamervraag/" + DRONES
    assert about(tmp_path / "store", q, KG.addressedTo) == {
        NamedNode(ID + "persoon/barbara-visser"),
        NamedNode(ID + "persoon/ferdinand-grapperhaus"),
    }
    assert about(tmp_path / "store", q, KG.answeredBy) == {NamedNode(ID + "persoon/barbara-visser")}
    assert about(tmp_path / "store", q, KG.status) == {KG.Answered}
    assert about(tmp_path / "store", q, KG.deadline) == {Literal("2021-11-11", datatype=XSD.date)}
    assert about(tmp_path / "store", ID + "kamervraag/2022Z05555", KG.status) == {KG.Withdrawn}
    assert about(tmp_path / "store", ID + "kamervraag/2023Z00001", KG.flag) == {Literal("missing-official-document")}
    # The Tweede Kamer's Persoon id decides: the reference's Mark Rutte.
    assert NamedNode(ID + "persoon/mark-rutte") in about(
        tmp_path / "store", ID + "kamervraag/2018Z01234", KG.answeredBy
    )
    graph = "https://kamergraph.nl/graph/kamervraag/" + DRONES
    assert KG.HarvestedGraph in about(tmp_path / "store", graph, RDF.type)
    assert NamedNode(
        f"{services.url}/frbr/officielepublicaties/ah/2021/ah-tk-20212022-753/1/xml/ah-tk-20212022-753.xml"
    ) in about(tmp_path / "store", graph, PROV.wasDerivedFrom)
    # Party membership with its dates, from FractieZetelPersoon.
    seat = ID + "lidmaatschap/tk-" + guid("fzp/Barbara-Kathmann/PvdA/2021-03-31")
    assert about(tmp_path / "store", seat, NamedNode("https://schema.org/validFrom")) == {
        Literal("2021-03-31", datatype=XSD.date)
    }
    # The submitters as the lists show them: the reference's names and labels, or those minted.
    printed = {zaak: about(tmp_path / "store", ID + "kamervraag/" + zaak, KG.printedSubmitters)
               for zaak in (DRONES, "2019Z21877", "2018Z01234", "2022Z05555", "2023Z00001", "2024Z10000")}
    assert printed == {
        DRONES: {Literal("Barbara Kathmann (PvdA)")},
        "2019Z21877": {Literal("Pieter Omtzigt (CDA)")},
        "2018Z01234": {Literal("Pieter Omtzigt (CDA); Y. Onbekend (CDA)")},
        "2022Z05555": {Literal("Barbara Kathmann (PvdA)")},
        "2023Z00001": {Literal("Barbara Kathmann (PvdA)")},
        "2024Z10000": {Literal("Barbara Kathmann (PvdA)")},
    }
    again = harvest(tmp_path / "store", services, Window(since=date(2008, 9, 1)))
    assert again.stored.questions == 0 and again.stored.unchanged == 6
    assert quads(tmp_path / "store") == first


def test_a_later_run_takes_a_nader_answer_and_a_deletion_from_the_cursor(services, tmp_path):
    harvest(tmp_path / "store", services, Window(since=date(2008, 9, 1)))
    data.add_nader(services)
    services.zaken[guid("zaak/2022Z05555")].update(Verwijderd=True, ApiGewijzigdOp="2026-11-30T12:00:00Z")
    later = datetime(2026, 12, 2, 6, 0, tzinfo=UTC)
    store = open_store(str(tmp_path / "store"))
    assert read_cursor(store, "https://kamergraph.nl/") == RUN_TIME
    store.close()
    report = harvest(tmp_path / "store", services, Window(), at=later)
    assert report.errors == []
    assert report.deleted == 1 and report.stored.questions == 1
    nader = NamedNode(ID + "document/ah-tk-20232024-2500")
    assert nader in about(tmp_path / "store", ID + "kamervraag/2024Z10000", KG.answerDocument)
    assert about(tmp_path / "store", nader.value, KG.supplementary) == {Literal(True)}
    assert about(tmp_path / "store", ID + "kamervraag/2022Z05555", KG.status) == set()
    # The lists the deleted zaak was in are recounted: every size is its list's count again.
    from test_list_sizes import sizes_of
    sizes_of(tmp_path / "store")
    # Only what changed since the cursor, less a day, was asked for.
    asked = [p for p, _ in services.requests]
    assert any(p.endswith("/Document") for p in asked)


def test_no_cursor_and_no_since_is_one_clear_error(services, tmp_path):
    report = harvest(tmp_path / "store", services, Window())
    assert report.errors == ["the store holds no harvest cursor yet: give --since DATE for the first harvest"]
    assert report.cursor is None


def test_a_harvest_replaces_a_page_and_keeps_its_provenance(services, tmp_path):
    from kamergraph.ingest.pipeline import ingest_paths

    root = Path(__file__).resolve().parent.parent
    store = open_store(str(tmp_path / "store"))
    try:
        ingest_paths(store, [next((root / "examples").glob("000_*.txt"))], workers=0)
    finally:
        store.close()
    harvest(tmp_path / "store", services, Window(zaken=(DRONES,)))
    graph = "https://kamergraph.nl/graph/kamervraag/" + DRONES
    pages = [o for o in about(tmp_path / "store", graph, PROV.wasDerivedFrom) if "/bron/" in o.value]
    assert len(pages) == 1
    assert about(tmp_path / "store", pages[0].value, RDF.type) == {KG.PageSource}
    label = about(tmp_path / "store", pages[0].value, NamedNode("http://www.w3.org/2000/01/rdf-schema#label"))
    assert [lit.value for lit in label] == [next((root / "examples").glob("000_*.txt")).as_posix()]
    page_hash = "sha256:" + hashlib.sha256(next((root / "examples").glob("000_*.txt")).read_bytes()).hexdigest()
    assert about(tmp_path / "store", pages[0].value, KG.sourceHash) == {Literal(page_hash)}
    # The page's "Beantwoord door" named two; the official answer is signed by one.
    assert about(tmp_path / "store", ID + "kamervraag/" + DRONES, KG.answeredBy) == {
        NamedNode(ID + "persoon/barbara-visser")
    }
    # The page again: superseded by the harvest.
    store = open_store(str(tmp_path / "store"))
    try:
        report = ingest_paths(store, [next((root / "examples").glob("000_*.txt"))], workers=0)
    finally:
        store.close()
    assert (report.questions, report.unchanged, report.superseded) == (0, 1, 0)  # its hash is kept: not parsed


def test_a_page_after_a_harvest_is_kept_as_a_source_only_and_not_parsed_again(services, tmp_path, monkeypatch):
    from kamergraph.ingest import pipeline

    page = next((Path(__file__).resolve().parent.parent / "examples").glob("000_*.txt"))
    harvest(tmp_path / "store", services, Window(zaken=(DRONES,)))
    before = about(tmp_path / "store", ID + "kamervraag/" + DRONES, KG.answeredBy)
    parsed: list[str] = []
    real_parse = pipeline.parse_page

    def counting(text):  # the real parser, counted
        parsed.append(text[:40])
        return real_parse(text)

    monkeypatch.setattr(pipeline, "parse_page", counting)

    def ingest_page():
        store = open_store(str(tmp_path / "store"))
        try:
            return pipeline.ingest_paths(store, [page], workers=0)
        finally:
            store.close()

    first = ingest_page()
    assert (first.questions, first.superseded, first.unchanged, len(parsed)) == (0, 1, 0, 1)
    assert first.notices == [
        f"{page.as_posix()}: {DRONES} is harvested from the official sources, which win; the page is kept as a "
        "source of it"
    ]
    # The second time the page's hash is found before parsing: nothing is parsed, nothing said.
    second = ingest_page()
    assert (second.questions, second.superseded, second.unchanged, second.notices, len(parsed)) == (0, 0, 1, [], 1)
    graph = "https://kamergraph.nl/graph/kamervraag/" + DRONES
    assert [o.value for o in about(tmp_path / "store", graph, PROV.wasDerivedFrom) if "/bron/" in o.value] == [
        graph + "/bron/1"
    ]
    assert about(tmp_path / "store", graph + "/bron/1", RDF.type) == {KG.PageSource}
    digest = "sha256:" + hashlib.sha256(page.read_bytes()).hexdigest()
    assert about(tmp_path / "store", graph + "/bron/1", KG.sourceHash) == {Literal(digest)}
    assert about(tmp_path / "store", ID + "kamervraag/" + DRONES, KG.answeredBy) == before


@pytest.mark.slow  # a crash-safety kill, as the others
def test_the_command_killed_mid_run_leaves_questions_whole_and_the_rerun_completes(services, tmp_path):
    store, clean = tmp_path / "store", tmp_path / "clean"
    # One zaak to a write, so a kill falls between writes of one run.
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764568800", KAMERGRAPH_HARVEST_BATCH="1")

    def command(target: Path) -> list[str]:
        return [
            sys.executable,
            "-m",
            "kamergraph.cli",
            "harvest",
            "--store",
            str(target),
            "--since",
            "2008-09-01",
            "--tk-url",
            services.tk_url,
            "--ob-url",
            services.url,
            "--rate",
            "10",
            "--no-progress",
        ]

    subprocess.run(command(clean), env=env, capture_output=True, timeout=120, check=True)
    services.requests.clear()
    process = subprocess.Popen(command(store), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # The last zaak by GestartOp: the five before it are written or being written.
    later_zaak = "/frbr/officielepublicaties/kv/2024/kv-tk-2024Z10000/1/metadata/metadata.xml"
    deadline = time.monotonic() + 60
    while later_zaak not in [path for path, _ in services.requests] and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()

    def by_graph(target: Path) -> dict[str, set[str]]:
        graphs: dict[str, set[str]] = {}
        for line in quads(target):
            if "/graph/kamervraag/" in line.rsplit(" ", 1)[-1]:
                graphs.setdefault(line.rsplit(" ", 1)[-1], set()).add(line)
        return graphs

    killed, complete = by_graph(store), by_graph(clean)
    assert 1 <= len(killed) < len(complete) == 6  # killed mid-run
    for graph, held in killed.items():  # every question stored is whole
        assert held == complete[graph], graph
    rerun = subprocess.run(command(store), env=env, capture_output=True, text=True, timeout=120, check=False)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{6 - len(killed)} questions stored, {len(killed)} unchanged" in rerun.stdout
    # The same quads as the run never killed, but for the cursor: the moment each run began.
    assert {q for q in quads(store) if "/graph/oogst" not in q} == {q for q in quads(clean) if "/graph/oogst" not in q}


# -- the command line ---------------------------------------------------------------------------


def test_the_command_prints_problems_as_notes_and_a_summary(services, tmp_path):
    from stores import cli

    result = cli(
        "harvest",
        "--store",
        str(tmp_path / "store"),
        "--zaak",
        "2018Z01234",
        "--zaak",
        "2099Z00001",
        "--tk-url",
        services.tk_url,
        "--ob-url",
        services.url,
        "--rate",
        "1000",
        "--progress",
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert re.fullmatch(
        r"1 zaken, 1 questions stored, 0 unchanged, 0 deleted, \d+ triples, 5 problems, 0 errors, "
        r"\d+ requests \(0 retried\), [\d.]+ s",
        lines[-1],
    ), lines[-1]
    notes = [line for line in result.stderr.splitlines() if line.startswith("note: ")]
    assert notes[0] == "note: 2018Z01234: document 2018D10001 of unknown Soort 'Brief regering'; left out"
    assert notes[-1] == (
        "note: 2099Z00001: no written question (Soort 'Schriftelijke vragen') with this number in the API"
    )
    assert re.search(r" 50%\|.*\| 1/2 ", result.stderr)  # the progress bar, forced on: one of the two exists
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--until", "2024-01-01"], "--until needs --since"),
        (["--since", "2024-02-01", "--until", "2024-01-01"], "--until must come after --since"),
        (["--offline"], "--offline needs --cache DIR"),
        (["--since", "1 januari"], "'1 januari' does not match the format '%Y-%m-%d'"),
        (["--rate", "0"], "0 is not in the range x>=0.01"),
    ],
)
def test_bad_arguments_are_one_clear_line(tmp_path, args, message):
    from stores import cli

    result = cli("harvest", "--store", str(tmp_path / "store"), *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_a_service_out_of_reach_is_one_error_line(tmp_path):
    from backends import free_port
    from stores import cli

    closed = f"http://127.0.0.1:{free_port()}/OData/v4/2.0"
    result = cli(
        "harvest",
        "--store",
        str(tmp_path / "store"),
        "--since",
        "2024-01-01",
        "--tk-url",
        closed,
        "--retries",
        "0",
        "--no-progress",
    )
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and errors[0].startswith(f"error: {closed}/Zaak?$filter=Soort%20eq%20")
    assert errors[0].endswith("cannot connect: [Errno 111] Connection refused (gave up after 1 tries)")
    assert "Traceback" not in result.output


def test_a_cached_harvest_is_mapped_again_offline(services, tmp_path):
    from stores import cli

    common = [
        "--zaak",
        DRONES,
        "--tk-url",
        services.tk_url,
        "--ob-url",
        services.url,
        "--rate",
        "1000",
        "--cache",
        str(tmp_path / "cache"),
        "--no-progress",
    ]
    online = cli("harvest", "--store", str(tmp_path / "online"), *common)
    assert online.exit_code == 0, online.output
    asked = len(services.requests)
    offline = cli("harvest", "--store", str(tmp_path / "offline"), *common, "--offline")
    assert offline.exit_code == 0, offline.output
    assert len(services.requests) == asked  # not one request more
    assert quads(tmp_path / "offline") == quads(tmp_path / "online")


def test_memberships_carry_their_dates_and_a_party_the_tables_lack(services, tmp_path):
    harvest(tmp_path / "store", services, Window(zaken=("2019Z21877",)))
    omtzigt = NamedNode(ID + "persoon/pieter-omtzigt")
    seats = about(tmp_path / "store", omtzigt.value, NamedNode("http://www.w3.org/ns/org#hasMembership"))
    own = {s for s in seats if "/lidmaatschap/tk-" in s.value}
    assert len(own) == 2
    schema = "https://schema.org/"
    periods = {
        (
            next(iter(about(tmp_path / "store", s.value, NamedNode("http://www.w3.org/ns/org#organization")))).value,
            next(iter(about(tmp_path / "store", s.value, NamedNode(schema + "validFrom")))).value,
            next(iter(about(tmp_path / "store", s.value, NamedNode(schema + "validUntil")))).value,
        )
        for s in own
    }
    assert periods == {
        (ID + "partij/cda", "2003-06-03", "2021-06-12"),
        (ID + "partij/lid-omtzigt", "2021-06-12", "2023-08-21"),
    }
    # An addressee without a Persoon, "W.B. Hoekstra": the reference's one Hoekstra whose name starts with W.
    assert about(tmp_path / "store", ID + "kamervraag/2019Z21877", KG.addressedTo) == {
        NamedNode(ID + "persoon/wopke-hoekstra")
    }
    label = NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    assert about(tmp_path / "store", ID + "partij/lid-omtzigt", label) == {Literal("Lid Omtzigt")}
    tk = NamedNode("http://www.w3.org/2004/02/skos/core#exactMatch")
    assert NamedNode(f"https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/Persoon({data.OMTZIGT['Id']})") in about(
        tmp_path / "store", omtzigt.value, tk
    )


def test_the_older_layout_and_numbers_given_together():
    from kamergraph.ingest.harvest.official import parse_document, subquestions

    text = parse_document(
        b"<?xml version='1.0'?><officiele-publicatie><vragen><omschr>Vragen van het lid X</omschr>"
        b"<vraag><nr>1</nr><al>Eerste?</al></vraag><vraag><nr>Vraag 2, 5</nr><al>Samen?</al></vraag>"
        b"<antwoord><nr>Antwoord 1</nr><al>Ja.</al></antwoord>"
        b"<antwoord><nr>Antwoord 2 en 5</nr><al>Beide.</al></antwoord></vragen></officiele-publicatie>"
    )
    assert subquestions(text) == (
        SubQuestion(1, "Eerste?", "Ja."),
        SubQuestion(2, "Samen?", "Beide."),
        SubQuestion(5, "Samen?", "Beide.", refers_to=(2,), combined=True),
    )


def test_a_page_source_without_a_proper_hash_breaks_the_shapes(services):
    from kamergraph.ingest.mapping import Mapper, Source
    from kamergraph.ingest.refdata import load_reference
    from kamergraph.ingest.validate import Validator
    from kamergraph.iris import Iris

    record = records(services)[DRONES].record
    good = ("examples/000.txt", "sha256:" + "0" * 64, "2026-12-01T06:00:00+00:00")
    for page, expected in ((good, []), ((good[0], "0" * 64, good[2]), ["A page source has exactly one hash"])):
        source = Source("https://example.org/Zaak", "1" * 64, RUN_TIME, "test", ("https://example.org/Zaak",), (page,))
        mapped = Mapper(Iris(), load_reference()).question(record, source)
        messages = [v.message for v in Validator().validate(mapped.quads) if "page source" in v.message]
        assert [m.split(" of the form")[0] for m in messages] == expected


def test_the_progress_bar_takes_its_total_from_the_api(services, tmp_path):
    from stores import cli

    result = cli(
        "harvest",
        "--store",
        str(tmp_path / "store"),
        "--since",
        "2008-09-01",
        "--tk-url",
        services.tk_url,
        "--ob-url",
        services.url,
        "--rate",
        "1000",
        "--progress",
    )
    assert result.exit_code == 0, result.output
    assert re.search(r"100%\|.*\| 7/7 ", result.stderr)


def test_a_person_the_tables_lack_is_keyed_by_the_persoon_id(services, tmp_path):
    harvest(tmp_path / "store", services, Window(zaken=("2022Z05555",)))
    kathmann = NamedNode(ID + "persoon/barbara-kathmann")
    assert about(tmp_path / "store", kathmann.value, KG.tkId) == {Literal(data.KATHMANN["Id"])}
    # Later the API gives her another first name: the id decides, the IRI stays.
    renamed = dict(data.KATHMANN, Roepnaam="Babs")
    for actor in services.zaken[guid("zaak/2024Z10000")]["ZaakActor"]:
        if actor["Relatie"] == "Indiener":
            actor["Persoon"] = renamed
    # And a namesake with another Persoon id asks a question: an IRI of her own.
    namesake = dict(data.KATHMANN, Id=guid("persoon/namesake"), FractieZetelPersoon=[])
    services.zaken[guid("zaak/2023Z00001")]["ZaakActor"][0].update(Persoon=namesake, Persoon_Id=namesake["Id"])
    harvest(tmp_path / "store", services, Window(zaken=("2024Z10000", "2023Z00001")))
    assert about(tmp_path / "store", ID + "kamervraag/2024Z10000", KG.mainSubmitter) == {kathmann}
    # The store keeps her first name, and the question shows the name the store keeps, not "Babs".
    assert about(tmp_path / "store", kathmann.value, NamedNode("http://xmlns.com/foaf/0.1/name")) == {
        Literal("Barbara Kathmann")}
    assert about(tmp_path / "store", ID + "kamervraag/2024Z10000", KG.printedSubmitters) == {
        Literal("Barbara Kathmann (PvdA)")}
    other = NamedNode(ID + "persoon/barbara-kathmann-" + namesake["Id"][:8])
    assert about(tmp_path / "store", ID + "kamervraag/2023Z00001", KG.mainSubmitter) == {other}
    assert about(tmp_path / "store", other.value, KG.tkId) == {Literal(namesake["Id"])}
    assert about(tmp_path / "store", kathmann.value, KG.tkId) == {Literal(data.KATHMANN["Id"])}


def test_official_sources_out_of_reach_leave_the_zaak_and_the_cursor_for_the_next_run(services, tmp_path):
    services.faults["/sru"].extend(["503"] * 6)  # the first zaak's search fails its six tries
    report = harvest(tmp_path / "store", services, Window(since=date(2008, 9, 1)))
    assert report.errors == [
        f"2018Z01234: not harvested: {services.url}/sru?operation=searchRetrieve&version=2.0&recordSchema=gzd"
        "&startRecord=1&maximumRecords=10&query=c.product-area%3D%3Dofficielepublicaties%20and%20%28dt.identifier"
        "%3D%3D%22kv-tk-2018Z01234%22%20or%20dt.identifier%3D%3D%22ah-tk-20172018-1500%22%29: HTTP 503 "
        "(gave up after 6 tries)"
    ]
    assert report.stored.questions == 5 and report.cursor is None
    assert about(tmp_path / "store", ID + "kamervraag/2018Z01234", RDF.type) == set()
    store = open_store(str(tmp_path / "store"))
    assert read_cursor(store, "https://kamergraph.nl/") is None
    store.close()
    again = harvest(tmp_path / "store", services, Window(since=date(2008, 9, 1)))
    assert again.errors == [] and again.stored.questions == 1 and again.stored.unchanged == 5
    assert again.cursor == RUN_TIME


# -- parties and their periods ---------------------------------------------------------------------


def test_the_party_printed_is_the_seat_held_on_the_day_of_the_question(services):
    data.add_after_split(services)
    found = records(services)
    # After the split his seat is in 'Lid Omtzigt', though the zaak's actor still names the CDA.
    after = found[data.AFTER_SPLIT]
    assert after.record.submitters == (Member("Pieter Omtzigt", "Lid Omtzigt", data.OMTZIGT["Id"]),)
    assert after.problems == [
        "2022Z02000: Pieter Omtzigt: the actor names the party 'CDA', the seat on 2022-02-01 is in "
        "'Lid Omtzigt'; the seat's is used"
    ]
    # Before it, in 2019, the seat and the actor agree.
    assert found["2019Z21877"].record.submitters == (Member("Pieter Omtzigt", "CDA", data.OMTZIGT["Id"]),)


def test_a_new_member_not_linked_to_her_fractie_yet_gets_the_party_of_her_seat(services):
    # The actor's Fractie link is made by hand and late (OpenDataPortaal issue #60): no ActorFractie.
    for actor in services.zaken[guid("zaak/" + DRONES)]["ZaakActor"]:
        if actor["Relatie"] == "Indiener":
            actor.update(ActorFractie=None, Fractie=None, Fractie_Id=None)
    harvested = records(services)[DRONES]
    assert harvested.record.submitters == (Member("Barbara Kathmann", "PvdA", data.KATHMANN["Id"]),)
    assert harvested.problems == []


def test_the_question_page_prints_the_dated_party_and_parties_carry_their_fractie_periods(services, tmp_path):
    from stores import cli

    data.add_after_split(services)
    harvest(tmp_path / "store", services, Window(zaken=(data.AFTER_SPLIT, "2019Z21877")))
    for zaak, party in ((data.AFTER_SPLIT, "Lid Omtzigt"), ("2019Z21877", "CDA")):
        result = cli("query", "--store", str(tmp_path / "store"), "page-question", "--param",
                     f"question={ID}kamervraag/{zaak}", "--format", "csv")
        assert result.exit_code == 0, result.output
        submitters = [row for row in csv.DictReader(io.StringIO(result.stdout)) if row["section"] == "submitter"]
        assert [(r["printedName"], r["partyLabel"]) for r in submitters] == [("Pieter Omtzigt", party)]
    schema = "https://schema.org/"
    split = ID + "fractie/tk-" + guid("fractie/Lid Omtzigt")
    assert about(tmp_path / "store", ID + "partij/lid-omtzigt", KG.fractiePeriod) == {NamedNode(split)}
    assert about(tmp_path / "store", split, RDF.type) == {KG.FractiePeriod}
    assert about(tmp_path / "store", split, NamedNode(schema + "validFrom")) == {
        Literal("2021-06-12", datatype=XSD.date)
    }
    assert about(tmp_path / "store", split, NamedNode(schema + "validUntil")) == {
        Literal("2023-08-21", datatype=XSD.date)
    }
    skos = NamedNode("http://www.w3.org/2004/02/skos/core#exactMatch")
    assert about(tmp_path / "store", split, skos) == {
        NamedNode(f"https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/Fractie({guid('fractie/Lid Omtzigt')})")
    }
    # A party of the reference tables gets its Fractie period too; one still sitting has no end.
    cda = ID + "fractie/tk-" + guid("fractie/CDA")
    assert about(tmp_path / "store", ID + "partij/cda", KG.fractiePeriod) == {NamedNode(cda)}
    assert about(tmp_path / "store", cda, NamedNode(schema + "validFrom")) == {Literal("1980-10-11", datatype=XSD.date)}
    assert about(tmp_path / "store", cda, NamedNode(schema + "validUntil")) == set()


# -- persons and where else they are kept ----------------------------------------------------------


def test_persons_link_the_kamer_s_persoon_wikidata_and_parlement_com_once(services, tmp_path):
    from stores import cli

    harvest(tmp_path / "store", services, Window(zaken=("2018Z01234", "2022Z05555")))
    exact = NamedNode("http://www.w3.org/2004/02/skos/core#exactMatch")
    same = NamedNode("http://www.w3.org/2002/07/owl#sameAs")
    rutte = ID + "persoon/mark-rutte"  # in the reference tables, with the Persoon id the API gives
    tk = "https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/Persoon("
    assert about(tmp_path / "store", rutte, exact) == {
        NamedNode(tk + "8b3664bd-77e4-468b-af96-f3f4ec27fcce)"),
        NamedNode("https://www.parlement.com/id/vg9fgoprkxw3/"),
    }
    assert about(tmp_path / "store", rutte, same) == {NamedNode("http://www.wikidata.org/entity/Q57792")}
    # Each link stated once: the reference graph has Rutte's, the harvest adds none of its own.
    store = open_store(str(tmp_path / "store"), read_only=True)
    try:
        stated = [q.graph_name.value for q in store.quads() if q.subject == NamedNode(rutte) and q.predicate == exact]
    finally:
        store.close()
    assert sorted(stated) == ["https://kamergraph.nl/graph/referentie"] * 2
    # A person the tables lack: the Kamer's record only, in the entities graph.
    kathmann = ID + "persoon/barbara-kathmann"
    assert about(tmp_path / "store", kathmann, exact) == {NamedNode(tk + data.KATHMANN["Id"] + ")")}
    assert about(tmp_path / "store", kathmann, same) == set()
    # The person's page lists them.
    result = cli("query", "--store", str(tmp_path / "store"), "page-person", "--param", f"person={rutte}",
                 "--format", "csv")
    assert result.exit_code == 0, result.output
    links = {row["item"] for row in csv.DictReader(io.StringIO(result.stdout)) if row["section"] == "same"}
    assert links == {
        "http://www.wikidata.org/entity/Q57792",
        tk + "8b3664bd-77e4-468b-af96-f3f4ec27fcce)",
        "https://www.parlement.com/id/vg9fgoprkxw3/",
    }



# -- the stand-in refuses what the real services refuse --------------------------------------------

GUID = "8b3664bd-77e4-468b-af96-f3f4ec27fcce"


@pytest.mark.parametrize(
    ("query", "refusal"),
    [
        (f"$filter=Id eq guid'{GUID}'", "the literal guid'…' of OData v3 is not OData v4"),
        ("$filter=GestartOp ge '2024-01-01T00:00:00Z'", "operand types 'Edm.DateTimeOffset' and 'Edm.String'"),
        ("$filter=Soort eq 12", "incompatible types 'Edm.String' and 'Edm.Int32' (Soort)"),
        ("$filter=Datum ge 2024-01-01T00:00:00Z", "Could not find a property named 'Datum' on type 'Model.Zaak'."),
        ("$expand=Actor", "Could not find a property named 'Actor' on type 'Model.Zaak'."),
        ("$expand=ZaakActor($expand=Persoon($expand=Fractie))",
         "Could not find a property named 'Fractie' on type 'Model.Persoon'."),
        ("$expand=ZaakActor($filter=Verwijderd eq 0)", "incompatible types 'Edm.Boolean' and 'Edm.Int32'"),
        ("$expand=ZaakActor($filter=Verwijderd eq false,$expand=Persoon)", "Syntax error"),
        ("$count=yes", "'yes' is not a valid count option."),
        ("$orderby=Datum", "Could not find a property named 'Datum' on type 'Model.Zaak'."),
        ("$select=Id,Naam", "Could not find a property named 'Naam' on type 'Model.Zaak'."),
        ("$inlinecount=allpages", "The query parameter '$inlinecount' is not supported."),
        (f"$skiptoken=Id-{GUID}", f"The skip token 'Id-{GUID}' is not valid."),
        ("$filter=" + " or ".join(f"Id eq {GUID}" for _ in range(60)), "more than 2048"),
    ],
)
def test_the_stand_in_refuses_a_query_the_api_refuses(services, query, refusal):
    client = fast_client()
    url = f"{services.tk_url}/Zaak?" + urllib.parse.quote(query, safe="$=&(),;'")
    with pytest.raises(HarvestError, match=r"HTTP 400 Bad Request: ") as raised:
        client.get(url)
    assert client.requests == 1  # a refusal is not tried again
    assert len(services.refused) == 1 and refusal in services.refused[0], services.refused
    assert refusal[:60] in str(raised.value) or "The query specified in the URI is not valid." in str(raised.value)
    services.refused.clear()


def test_only_what_is_expanded_is_served_with_its_own_filter(services):
    client = fast_client()
    zaak = services.zaken[guid("zaak/" + DRONES)]
    zaak["ZaakActor"][2]["Verwijderd"] = True  # Grapperhaus's actor row, deleted
    bare = json.loads(client.get(f"{services.tk_url}/Zaak?$filter=Nummer eq '{DRONES}'".replace(" ", "%20")).body)
    assert "ZaakActor" not in bare["value"][0] and "Document" not in bare["value"][0]
    tk = TkApi(client, services.tk_url)
    [row] = [z for rows in tk.zaken_by_number([DRONES]) for z in rows]
    assert [a["ActorNaam"] for a in row["ZaakActor"]] == ["B.C. Kathmann", "B. Visser"]
    assert "FractieZetelPersoon" in row["ZaakActor"][0]["Persoon"]
    # A signatory's Persoon is expanded without its seats: they are not served.
    signer = next(d for d in row["Document"] if d["DocumentActor"])["DocumentActor"][0]
    assert signer["Persoon"]["Achternaam"] == "Visser" and "FractieZetelPersoon" not in signer["Persoon"]


def test_the_longest_queries_the_harvest_sends_are_taken(services):
    from kamergraph.ingest.harvest.tk import ID_CHUNK

    tk = TkApi(fast_client(), services.tk_url)
    ids = [guid(f"zaak/unknown-{n}") for n in range(ID_CHUNK)]
    assert list(tk.zaken_by_id(ids)) == [[]]
    numbers = [f"2024Z{n:05d}" for n in range(ID_CHUNK)]
    assert list(tk.zaken_by_number(numbers)) == [[]]
    longest = max(len(urllib.parse.urlsplit(p).query) for p in services.raw_urls)
    assert 1000 < longest <= 2048, longest


def sru(services: Services, **parameters: str) -> str:
    query = {"operation": "searchRetrieve", "version": "2.0", "recordSchema": "gzd", **parameters}
    return f"{services.url}/sru?" + urllib.parse.urlencode(query, quote_via=urllib.parse.quote)


@pytest.mark.parametrize(
    ("parameters", "diagnostic"),
    [
        ({"query": 'dt.identifer=="kv-tk-2021Z16860"'}, "info:srw/diagnostic/1/16"),  # a misspelt index
        ({"query": 'dt.identifier=="kv-tk-2021Z16860" and ('}, "info:srw/diagnostic/1/10"),
        ({"query": 'dt.identifier=="kv-tk-2021Z16860"', "version": "1.1"}, "info:srw/diagnostic/1/5"),
        ({"query": 'dt.identifier=="kv-tk-2021Z16860"', "recordSchema": "dc"}, "info:srw/diagnostic/1/66"),
        ({}, "info:srw/diagnostic/1/7"),
    ],
)
def test_the_stand_in_answers_a_search_the_repository_refuses_with_a_diagnostic(services, parameters, diagnostic):
    from kamergraph.ingest.harvest.official import OfficialError, parse_sru

    body = fast_client().get(sru(services, **parameters)).body
    assert f"<diag:uri>{diagnostic}</diag:uri>".encode() in body
    with pytest.raises(OfficialError, match="the SRU service refused the search"):
        parse_sru(body)
    services.refused.clear()


def test_the_identifier_index_is_exact_and_case_sensitive_and_pages_are_kept(services):
    from kamergraph.ingest.harvest.official import parse_sru

    client = fast_client()
    exact = parse_sru(client.get(sru(services, query='dt.identifier=="KV-TK-2021Z16860"')).body)
    assert exact == {}  # "==" is case-sensitive
    tokens = parse_sru(client.get(sru(services, query='dt.identifier="ah-tk-20212022"')).body)
    assert sorted(tokens) == ["ah-tk-20212022-2000", "ah-tk-20212022-400", "ah-tk-20212022-753"]
    first = client.get(sru(services, query='dt.identifier="ah-tk-20212022"', maximumRecords="2")).body
    assert b"<sru:numberOfRecords>3</sru:numberOfRecords>" in first and len(parse_sru(first)) == 2
    with pytest.raises(HarvestError, match="HTTP 504"):
        fast_client(retries=0).get(sru(services, query='dt.identifier="ah"', startRecord="10000"))
    services.refused.clear()
    # The harvest's own search for a zaak's documents is taken, and names each one it asks for.
    official = OfficialSource(client, services.url)
    wanted = ["kv-tk-2021Z16860", "ah-tk-20212022-400", "ah-tk-20212022-753"]
    assert sorted(official.locate(wanted)) == sorted(wanted)
    assert services.refused == []


def test_a_page_source_of_the_earlier_layout_is_taken_over(services, tmp_path):
    """Stores made before the page's hash became a kg:sourceHash state it as dcterms:identifier:
    the page is then taken as known (its hash is added where ingest looks, once), and a later
    harvest of the zaak keeps its provenance."""
    from kamergraph.ingest.pipeline import ingest_paths

    page = next((Path(__file__).resolve().parent.parent / "examples").glob("000_*.txt"))
    store_path = tmp_path / "store"
    harvest(store_path, services, Window(zaken=(DRONES,)))
    store = open_store(str(store_path))
    try:
        ingest_paths(store, [page], workers=0)
        graph = "https://kamergraph.nl/graph/kamervraag/" + DRONES
        store.update(f"""DELETE {{ GRAPH <{graph}> {{ ?s <{KG.sourceHash.value}> ?h }} }}
                         INSERT {{ GRAPH <{graph}> {{ ?s <{DCTERMS.identifier.value}> ?h }} }}
                         WHERE {{ GRAPH <{graph}> {{ ?s a <{KG.PageSource.value}> ; <{KG.sourceHash.value}> ?h }} }}""")
    finally:
        store.close()
    digest = Literal("sha256:" + hashlib.sha256(page.read_bytes()).hexdigest())
    assert about(store_path, graph + "/bron/1", KG.sourceHash) == set()
    for expected in ((0, 1, 0), (0, 0, 1)):  # parsed once more, then skipped
        store = open_store(str(store_path))
        try:
            report = ingest_paths(store, [page], workers=0)
        finally:
            store.close()
        assert (report.questions, report.superseded, report.unchanged) == expected
    assert about(store_path, graph + "/bron/1", KG.sourceHash) == {digest}
    assert [o.value for o in about(store_path, graph, PROV.wasDerivedFrom) if "/bron/" in o.value] == [
        graph + "/bron/1"
    ]
    # The zaak changes at the source: the new harvested graph keeps the page, with its hash.
    services.zaken[guid("zaak/" + DRONES)]["Onderwerp"] = "Vragen over drones, opnieuw"
    report = harvest(store_path, services, Window(zaken=(DRONES,)))
    assert report.errors == [] and report.stored.questions == 1
    assert about(store_path, graph + "/bron/1", KG.sourceHash) == {digest}


def test_pages_come_in_the_order_asked_for_across_skiptokens(services):
    tk = TkApi(fast_client(), services.tk_url)
    started = [z["Nummer"] for rows in tk.zaken_started(datetime(2000, 1, 1, tzinfo=UTC), None) for z in rows]
    assert started == ["2018Z01234", "2019Z21877", "2020Z09999", "2021Z16860", "2022Z05555", "2023Z00001",
                       "2024Z10000"]
    services.zaken[guid("zaak/2019Z21877")]["ApiGewijzigdOp"] = "2026-11-30T12:00:00Z"
    changed = [z["Nummer"] for rows in tk.zaken_changed(datetime(2026, 11, 1, tzinfo=UTC)) for z in rows]
    assert changed[-1] == "2019Z21877" and len(changed) == 7
