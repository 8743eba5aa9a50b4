"""``kamergraph harvest`` against a stand-in of the official services on 127.0.0.1: the client's
manners, every zaak's record field by field, the store after one run, a later run, a kill."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
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


@pytest.fixture
def services():
    running = Services()
    data.load_all(running)
    yield running
    running.close()


def fast_client(**options) -> Client:
    return Client(rate=options.pop("rate", 1000.0), backoff=options.pop("backoff", 0.01), **options)


def records(services: Services) -> dict:
    tk = TkApi(fast_client(), services.tk_url)
    client = fast_client()
    official = OfficialSource(lambda url: client.get(url).body, services.url)
    found = {}
    for rows in tk.zaken_started(datetime(2000, 1, 1, tzinfo=UTC), None):
        for zaak in rows:
            found[zaak["Nummer"]] = build(zaak, official, f"{services.tk_url}/Zaak({zaak['Id']})")
    return found


# -- the client ---------------------------------------------------------------------------------


def test_a_503_is_tried_again_and_the_user_agent_names_kamergraph(services):
    services.faults["/officielepublicaties/kv-tk-2021Z16860/metadata.xml"].extend(["503", "503"])
    client = fast_client()
    body = client.get(services.url + "/officielepublicaties/kv-tk-2021Z16860/metadata.xml").body
    assert body.startswith(b"<metadata_gegevens>")
    assert client.requests == 3 and client.retried == 2
    assert [h["user-agent"] for p, h in services.requests] == [USER_AGENT] * 3
    assert USER_AGENT.startswith("kamergraph/")


def test_a_timeout_is_tried_again(services):
    services.timeout_seconds = 1.0
    services.faults["/officielepublicaties/kv-tk-2021Z16860/metadata.xml"].append("timeout")
    client = fast_client(timeout=0.3)
    assert client.get(services.url + "/officielepublicaties/kv-tk-2021Z16860/metadata.xml").body
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
        client.get(services.url + "/officielepublicaties/kv-tk-2023Z00001/kv-tk-2023Z00001.xml")
    assert client.requests == 1


def test_the_rate_spaces_requests(services):
    client = Client(rate=10.0)
    started = time.monotonic()
    for _ in range(4):
        client.get(services.url + "/officielepublicaties/kv-tk-2021Z16860/metadata.xml")
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
    assert harvested.problems == [
        f"2023Z00001: official document kv-tk-2023Z00001 not found at {services.url}/officielepublicaties/"
        "kv-tk-2023Z00001/metadata.xml",
        f"2023Z00001: official document kv-tk-2023Z00001 not found at {services.url}/officielepublicaties/"
        "kv-tk-2023Z00001/kv-tk-2023Z00001.xml",
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
    assert NamedNode(f"{services.url}/officielepublicaties/ah-tk-20212022-753/ah-tk-20212022-753.xml") in about(
        tmp_path / "store", graph, PROV.wasDerivedFrom
    )
    # Party membership with its dates, from FractieZetelPersoon.
    seat = ID + "lidmaatschap/tk-" + guid("fzp/Barbara-Kathmann/PvdA/2021-03-31")
    assert about(tmp_path / "store", seat, NamedNode("https://schema.org/validFrom")) == {
        Literal("2021-03-31", datatype=XSD.date)
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
    assert about(tmp_path / "store", pages[0].value, DCTERMS.identifier)
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
    assert report.questions == 0


def test_a_page_after_a_harvest_is_kept_as_a_source_only(services, tmp_path):
    from kamergraph.ingest.pipeline import ingest_paths

    page = next((Path(__file__).resolve().parent.parent / "examples").glob("000_*.txt"))
    harvest(tmp_path / "store", services, Window(zaken=(DRONES,)))
    before = about(tmp_path / "store", ID + "kamervraag/" + DRONES, KG.answeredBy)
    for _ in range(2):  # the second time, nothing more
        store = open_store(str(tmp_path / "store"))
        try:
            report = ingest_paths(store, [page], workers=0)
        finally:
            store.close()
        assert (report.questions, report.superseded) == (0, 1)
        assert report.notices == [
            f"{page.as_posix()}: {DRONES} is harvested from the official sources, which win; the page is kept as a "
            "source of it"
        ]
    graph = "https://kamergraph.nl/graph/kamervraag/" + DRONES
    assert [o.value for o in about(tmp_path / "store", graph, PROV.wasDerivedFrom) if "/bron/" in o.value] == [
        graph + "/bron/1"
    ]
    assert about(tmp_path / "store", graph + "/bron/1", RDF.type) == {KG.PageSource}
    assert about(tmp_path / "store", ID + "kamervraag/" + DRONES, KG.answeredBy) == before


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
    later_zaak = "/officielepublicaties/kv-tk-2024Z10000/metadata.xml"
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
    assert "zaak" in result.stderr  # the progress bar, forced on
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
