"""The ``kamergraph`` command line, run in-process with click's CliRunner against on-disk stores:
ingest's summary, export in every format (parsed back), stats, query (formats, parameters, .rq
files, clean errors) and validate (a good store, then one with a broken triple put in).
"""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest
from pyoxigraph import Literal, NamedNode, Quad

from kamergraph.ingest.refdata import load_reference
from kamergraph.ontology.terms import DCTERMS, FOAF
from stores import cli, copy_store

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
DATA = Path(__file__).resolve().parent / "data"
BASE = "https://kamergraph.nl/"
Q = NamedNode(BASE + "id/kamervraag/2021Z16860")
G = NamedNode(BASE + "graph/kamervraag/2021Z16860")
# Not counted as written: the fixed graphs, and the list sizes (recounted in place, ingest/sizes.py).
STATIC_GRAPHS = {BASE + "graph/referentie", BASE + "graph/ontologie", BASE + "graph/statistieken"}
SEED_ROW = [
    "2021Z16860", "Mogelijke dataverzameling van Chinese drones", "2021-09-30", "2021-11-18", "49",
    "Barbara Kathmann (PvdA)", "Barbara Visser; Ferdinand Grapperhaus",
    "https://identifier.overheid.nl/tooi/id/ministerie/mnre1058; https://identifier.overheid.nl/tooi/id/ministerie/mnre1130",
    "http://standaarden.overheid.nl/owms/terms/Internationaal; http://standaarden.overheid.nl/owms/terms/Luchtvaart; "
    "http://standaarden.overheid.nl/owms/terms/Organisatie_en_beleid; http://standaarden.overheid.nl/owms/terms/Verkeer_(thema)",
    "22", "22", "1",
]
COLUMNS = ["zaak", "title", "submitted", "answered", "days", "submitters", "answerers",
           "ministries", "topics", "subquestions", "answers", "mededelingen"]


def store_quads(cli_store: Path) -> set[Quad]:
    store = pyoxigraph.Store.read_only(str(cli_store))
    try:
        return set(store)
    finally:
        del store


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    """examples/ ingested by the CLI into a new store: (store folder, the ingest's result)."""
    cli_store = tmp_path_factory.mktemp("cli") / "store"
    result = cli("ingest", "--store", str(cli_store), "--no-progress", str(EXAMPLES))
    return cli_store, result


@pytest.fixture(scope="module")
def cli_store(ingested) -> Path:
    return ingested[0]


@pytest.fixture(scope="module")
def quads(cli_store) -> set[Quad]:
    return store_quads(cli_store)


# -- ingest


def test_ingest_summary_line(ingested, quads):
    _, result = ingested
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    match = re.fullmatch(
        r"11 files, 10 questions stored, 0 unchanged, 1 superseded, (\d+) triples, 0 errors, "
        r"\d+\.\d\d s \(\d+ questions/s\), page index built in \d+\.\d s\n", result.stdout)
    assert match, result.stdout
    # The triples counted are those written: the question graphs and the entities graph.
    assert int(match.group(1)) == len([q for q in quads if q.graph_name.value not in STATIC_GRAPHS])


def test_ingest_progress_bar_counts_every_file(tmp_path):
    result = cli("ingest", "--store", str(tmp_path / "store"), "--progress", str(EXAMPLES))
    assert result.exit_code == 0, result.output
    # tqdm redraws the bar in place; its last state names the files done and the total.
    assert re.search(r"100%\|[^|]*\| 11/11 \[", result.stderr.split("\r")[-1]), result.stderr
    assert result.stdout.startswith("11 files, 10 questions stored, ")


def test_ingest_with_a_failed_file_exits_non_zero(cli_store, tmp_path):
    store = copy_store(cli_store, tmp_path / "store")
    pages = tmp_path / "pages"
    pages.mkdir()
    bad = pages / "leeg.txt"
    bad.write_bytes(b"")
    shutil.copy(EXAMPLES / "009_e83b7efb311f44a9.txt", pages / "009.txt")
    result = cli("ingest", "--store", str(store), "--no-progress", str(pages))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{bad.as_posix()}: empty file"]
    assert result.stdout.startswith("2 files, 0 questions stored, 1 unchanged, 0 superseded, ")
    assert ", 1 errors, " in result.stdout


def test_ingest_of_a_folder_holding_the_store_skips_the_store(tmp_path):
    shutil.copy(EXAMPLES / "009_e83b7efb311f44a9.txt", tmp_path / "009.txt")
    result = cli("ingest", "--store", str(tmp_path / "var" / "store"), "--no-progress", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1 files, 1 questions stored, 0 unchanged, ")


def test_ingest_needs_existing_paths(tmp_path):
    result = cli("ingest", "--store", str(tmp_path / "store"), str(tmp_path / "nothing-here"))
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert not (tmp_path / "store").exists()


# -- export: every format parses back to what the store holds


@pytest.mark.parametrize("fmt, rdf_format, datasets", [
    ("nquads", pyoxigraph.RdfFormat.N_QUADS, True),
    ("trig", pyoxigraph.RdfFormat.TRIG, True),
    ("jsonld", pyoxigraph.RdfFormat.JSON_LD, True),
    ("turtle", pyoxigraph.RdfFormat.TURTLE, False),
    ("ntriples", pyoxigraph.RdfFormat.N_TRIPLES, False),
])
def test_export_parses_back(cli_store, quads, tmp_path, fmt, rdf_format, datasets):
    out = tmp_path / f"dump.{fmt}"
    result = cli("export", "--store", str(cli_store), "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    parsed = list(pyoxigraph.parse(path=str(out), format=rdf_format))
    if datasets:
        # Dataset formats keep the graph names: exactly the store's quads.
        assert len(parsed) == len(quads)
        assert set(parsed) == quads
    else:
        # Triple formats give the union of the graphs.
        triples = {q.triple for q in quads}
        assert len(parsed) == len(triples)
        assert {q.triple for q in parsed} == triples


def test_export_to_standard_output(cli_store, quads):
    result = cli("export", "--store", str(cli_store), "--format", "nquads")
    assert result.exit_code == 0
    assert set(pyoxigraph.parse(result.stdout_bytes, format=pyoxigraph.RdfFormat.N_QUADS)) == quads


# -- stats


def test_stats(cli_store, quads):
    result = cli("stats", "--store", str(cli_store))
    assert result.exit_code == 0, result.output
    reference = load_reference()
    stats = dict(line.rsplit(None, 1) for line in result.stdout.splitlines())
    assert {key.strip(): value for key, value in stats.items()} == {
        "triples": str(len(quads)),
        "named graphs": "14",  # 10 questions, reference, entities, ontology, statistics
        "questions": "10",
        "answered": "9",
        "subquestions": "65",  # 22+4+6+4+4+5+4+4+9+3
        "persons": str(len(reference.persons) + 1),  # + Barbara Kathmann (not in the 2019 snapshot)
        "parties": str(len(reference.parties)),
        "ministries": str(len(reference.ministries)),
        "topics": str(len(reference.topics)),
    }


# -- query


def overview(cli_store, *args):
    return cli("query", "--store", str(cli_store), "question-overview", "--param", "zaak=2021Z16860", *args)


def test_query_csv(cli_store):
    result = overview(cli_store, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert list(csv.reader(io.StringIO(result.stdout))) == [COLUMNS, SEED_ROW]
    assert result.stdout.splitlines()[0] == ",".join(COLUMNS)


def test_query_tsv(cli_store):
    result = overview(cli_store, "--format", "tsv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["\t".join(COLUMNS), "\t".join(SEED_ROW)]


def test_query_json(cli_store):
    result = overview(cli_store, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [dict(zip(COLUMNS, SEED_ROW, strict=True))]


def test_query_table(cli_store):
    result = overview(cli_store)  # table is the default
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    assert re.split(r"\s{2,}", lines[0]) == COLUMNS
    assert set(lines[1]) == {"-", " "}
    assert lines[2].startswith("2021Z16860  Mogelijke dataverzameling van Chinese drones  2021-09-30  2021-11-18  49")
    assert "…" in lines[2]  # the ministries and topics are longer than a column (60) and clipped
    assert lines[3] == "(1 rows)"


def test_query_without_param_gives_every_question(cli_store):
    result = cli("query", "--store", str(cli_store), "question-overview", "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert [row[0] for row in rows[1:]] == sorted(row[0] for row in rows[1:])
    assert len(rows) == 11


def test_query_from_rq_file_with_integer_param(cli_store):
    result = cli("query", "--store", str(cli_store), str(DATA / "min-subquestions.rq"),
                 "-p", "minimum=6", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "zaak,subquestions", "2019Z11873,6", "2019Z16702,9", "2021Z16860,22"]


def test_query_rq_file_param_of_the_wrong_type(cli_store):
    result = cli("query", "--store", str(cli_store), str(DATA / "min-subquestions.rq"), "-p", "minimum=zes")
    assert result.exit_code == 1
    assert result.output == "Error: parameter 'minimum' must be a integer, not 'zes'\n"


def test_query_rq_file_missing_required_param(cli_store):
    result = cli("query", "--store", str(cli_store), str(DATA / "min-subquestions.rq"))
    assert result.exit_code == 1
    assert result.output == "Error: query 'min-subquestions' needs parameter 'minimum'\n"


def test_query_unknown_name(cli_store):
    result = cli("query", "--store", str(cli_store), "no-such-query")
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # a clean click error, not a crash
    assert "Traceback" not in result.output
    assert result.output.startswith("Error: no named query 'no-such-query' (known: ")
    assert "question-overview" in result.output


def test_query_param_without_value(cli_store):
    result = cli("query", "--store", str(cli_store), "question-overview", "--param", "zaak")
    assert result.exit_code == 2
    assert "Invalid value for --param: 'zaak' is not NAME=VALUE" in result.output
    assert "Traceback" not in result.output


def test_query_unknown_param(cli_store):
    result = cli("query", "--store", str(cli_store), "question-overview", "--param", "jaar=2021")
    assert result.exit_code == 1
    assert result.output == "Error: query 'question-overview' has no parameter 'jaar'\n"


def test_query_unknown_format(cli_store):
    result = cli("query", "--store", str(cli_store), "question-overview", "--format", "xml")
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.output


def test_queries_lists_the_named_queries():
    result = cli("queries")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "question-overview: Question overview" in lines
    assert any(line.strip().startswith("--param zaak=<string>  (optional) zaak number") for line in lines)


# -- validate


def test_validate_good_store(cli_store):
    result = cli("validate", "--store", str(cli_store))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert re.fullmatch(r"\d+ nodes checked, 0 violations\n", result.stderr)


@pytest.fixture
def broken_copy(cli_store, tmp_path):
    """A copy of the store to put broken triples into with pyoxigraph itself."""
    target = tmp_path / "store"
    shutil.copytree(cli_store, target)

    def add(*quads: Quad) -> Path:
        store = pyoxigraph.Store(str(target))
        store.extend(quads)
        store.flush()
        del store
        return target

    return add


def test_validate_reports_a_second_title(broken_copy):
    cli_store = broken_copy(Quad(Q, DCTERMS.title, Literal("Een tweede titel"), G))
    result = cli("validate", "--store", str(cli_store))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"<{Q.value}> http://purl.org/dc/terms/title: A written question has exactly one non-empty title "
        "(xsd:string). (2 values, at most 1 allowed)"
    ]
    assert re.fullmatch(r"\d+ nodes checked, 1 violations\n", result.stderr)


def test_validate_reports_a_person_without_name(broken_copy):
    nobody = NamedNode(BASE + "id/persoon/niemand")
    entities = NamedNode(BASE + "graph/entiteiten")
    cli_store = broken_copy(
        Quad(nobody, pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
             NamedNode("https://kamergraph.nl/def#Person"), entities))
    result = cli("validate", "--store", str(cli_store))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"<{nobody.value}> {FOAF.name.value}: A person has exactly one non-empty name (xsd:string). "
        "(0 values, at least 1 required)"
    ]


def test_validate_reports_a_literal_where_a_class_is_expected(broken_copy):
    submitter = NamedNode("https://kamergraph.nl/def#mainSubmitter")
    cli_store = broken_copy(Quad(Q, submitter, Literal("Barbara Kathmann"), G))
    result = cli("validate", "--store", str(cli_store))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"<{Q.value}> {submitter.value}: A written question has exactly one main submitter, a kg:Person. "
        "(2 values, at most 1 allowed)",
        f"<{Q.value}> {submitter.value}: A written question has exactly one main submitter, a kg:Person. "
        '(value "Barbara Kathmann" is not a https://kamergraph.nl/def#Person)',
    ]


def test_validate_sees_what_the_union_graph_shows(broken_copy):
    cli_store = broken_copy(Quad(Q, DCTERMS.title, Literal("Een tweede titel"), NamedNode(BASE + "graph/entiteiten")))
    result = cli("validate", "--store", str(cli_store))
    assert result.exit_code == 1
    assert Q.value in result.stdout


# -- what a careless user meets: one line naming the problem and what to do, a non-zero exit, and
# nothing left behind (no store folder, no search index beside it)

READ_COMMANDS = [
    ("query", "question-overview"), ("stats",), ("validate",), ("export", "--format", "nquads"), ("index",),
]


def one_error_line(result) -> str:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """An empty working folder: what a command leaves behind shows up in it."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def files_in(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.mark.parametrize("command", READ_COMMANDS, ids=[c[0] for c in READ_COMMANDS])
def test_a_missing_store(workdir, command):
    line = one_error_line(cli(*command, "--store", "var/store"))
    assert line == (f"Error: no store at var/store (from --store var/store or KAMERGRAPH_STORE, relative to "
                    f"{workdir}): give the folder of a store, or make one with "
                    "`kamergraph ingest --store var/store PATH...`")
    assert files_in(workdir) == set()


@pytest.mark.parametrize("command", READ_COMMANDS, ids=[c[0] for c in READ_COMMANDS])
def test_a_file_given_as_the_store(workdir, command):
    (workdir / "notes.txt").write_text("not a store")
    line = one_error_line(cli(*command, "--store", "notes.txt"))
    assert line == "Error: notes.txt is a file, not a store folder: give the folder of a store with --store"
    assert files_in(workdir) == {"notes.txt"}


@pytest.mark.parametrize("command", [*READ_COMMANDS, ("ingest", str(EXAMPLES))], ids=[
    *(c[0] for c in READ_COMMANDS), "ingest"])
def test_a_folder_that_holds_something_else(workdir, command):
    (workdir / "docs").mkdir()
    (workdir / "docs" / "letter.txt").write_text("hello")
    line = one_error_line(cli(*command, "--store", "docs"))
    assert line.startswith("Error: docs is a folder that holds no store (no Oxigraph files in it): ")
    assert files_in(workdir) == {"docs", "docs/letter.txt"}


@pytest.mark.parametrize("command", READ_COMMANDS, ids=[c[0] for c in READ_COMMANDS])
def test_an_unreadable_store(workdir, command):
    """A store whose files are damaged: RocksDB's own reason, in one line."""
    (workdir / "store").mkdir()
    (workdir / "store" / "CURRENT").write_text("MANIFEST-000099\n")
    line = one_error_line(cli(*command, "--store", "store"))
    assert line.startswith("Error: cannot open the store at store: ")
    assert files_in(workdir) == {"store", "store/CURRENT"}


@pytest.mark.parametrize("command", [*READ_COMMANDS, ("ingest", str(EXAMPLES))],
                         ids=[*(c[0] for c in READ_COMMANDS), "ingest"])
def test_an_unreachable_remote_store(workdir, command):
    line = one_error_line(cli(*command, "--store", "http://127.0.0.1:1/sparql"))
    assert line.startswith("Error: the store at http://127.0.0.1:1/sparql: ")
    assert "Connection refused" in line
    assert line.endswith("; check that it runs and that --store names its SPARQL endpoint")
    assert files_in(workdir) == set()  # no var/ with a search index for it


@pytest.mark.parametrize("variable, value, message", [
    ("KAMERGRAPH_QUERY_TIMEOUT", "abc", "KAMERGRAPH_QUERY_TIMEOUT='abc' is not a number of seconds above 0, "
                                        "such as 30; set it to one or unset it"),
    ("KAMERGRAPH_MAX_ROWS", "lots",
     "KAMERGRAPH_MAX_ROWS='lots' is not a whole number above 0; set it to one or unset it"),
    ("KAMERGRAPH_BASE_IRI", "foo", "the base IRI 'foo' is not an absolute http(s) IRI; give one such as "
                                   "https://kamergraph.nl/ (--base-iri or KAMERGRAPH_BASE_IRI)"),
    ("SOURCE_DATE_EPOCH", "yesterday", "SOURCE_DATE_EPOCH='yesterday' is not a time in seconds since 1970; "
                                       "set it to one or unset it"),
])
def test_a_bad_setting(workdir, cli_store, variable, value, message):
    line = one_error_line(cli("stats", "--store", str(cli_store), env={variable: value}))
    assert line == f"Error: {message}"


@pytest.mark.parametrize("command", [("ingest", str(EXAMPLES)), ("serve",)], ids=["ingest", "serve"])
@pytest.mark.parametrize("base", ["foo", "not a url", "ftp://example.org/", "https:///nohost"])
def test_a_bad_base_iri_leaves_no_store_behind(workdir, command, base):
    line = one_error_line(cli(*command, "--store", "new-store", "--base-iri", base))
    assert line == (f"Error: the base IRI {base!r} is not an absolute http(s) IRI; give "
                    "one such as https://kamergraph.nl/ (--base-iri or KAMERGRAPH_BASE_IRI)")
    assert files_in(workdir) == set()


def test_serve_refuses_a_store_that_does_not_exist(workdir):
    line = one_error_line(cli("serve", "--store", "var/stor"))
    assert line.endswith("`kamergraph ingest --store var/stor PATH...` (or serve an empty one with --create)")
    assert files_in(workdir) == set()


def test_serve_with_create_makes_an_empty_store_and_stops_cleanly(workdir):
    """--create makes the store before the server starts, in a process of its own: a worker that
    inherited RocksDB's threads from the master aborted at SIGTERM (SIGABRT)."""
    from backends import free_port
    from conftest import environment_without_settings, http_request

    port = free_port()
    log = workdir.parent / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "kamergraph.cli", "serve", "--store", "new", "--create", "--port", str(port)],
            env=environment_without_settings(), stdout=out, stderr=subprocess.STDOUT, cwd=workdir)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                reply = http_request("GET", f"http://127.0.0.1:{port}/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D",
                                     headers={"Accept": "text/csv"}, timeout=5)
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, log.read_text()
                time.sleep(0.2)
        assert (reply.status, reply.body) == (200, b"false")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    text = log.read_text()
    assert server.returncode == 0, text
    assert "terminate called" not in text and "SIGABRT" not in text, text
    assert (workdir / "new" / "CURRENT").is_file()


@pytest.mark.parametrize("command", [("export", "--format", "turtle"), ("export", "--format", "nquads"),
                                     ("query", "question-overview", "--format", "csv")],
                         ids=["export-turtle", "export-nquads", "query"])
def test_a_closed_standard_output_ends_quietly(cli_store, command):
    """``kamergraph export | head -1``: the reader leaves after one line."""
    from conftest import environment_without_settings

    process = subprocess.Popen([sys.executable, "-m", "kamergraph.cli", *command, "--store", str(cli_store)],
                               env=environment_without_settings(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    errors = process.stderr.read()
    assert process.wait(timeout=60) == 0, errors
    assert first and errors == b""


def test_turtle_export_has_prefixes(cli_store, quads):
    result = cli("export", "--store", str(cli_store), "--format", "turtle")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "@prefix kg: <https://kamergraph.nl/def#> ." in lines
    assert "@prefix dcterms: <http://purl.org/dc/terms/> ." in lines
    assert "kg:WrittenQuestion" in result.stdout
    parsed = set(pyoxigraph.parse(result.stdout_bytes, format=pyoxigraph.RdfFormat.TURTLE))
    assert {q.triple for q in parsed} == {q.triple for q in quads}


@pytest.mark.parametrize("store", ["notes.txt", "docs", "http://127.0.0.1:1/sparql"])
def test_harvest_into_a_wrong_store_makes_nothing(workdir, store):
    (workdir / "notes.txt").write_text("not a store")
    (workdir / "docs").mkdir()
    (workdir / "docs" / "letter.txt").write_text("hello")
    one_error_line(cli("harvest", "--store", store, "--zaak", "2021Z16860", "--no-progress",
                       "--tk-url", "http://127.0.0.1:1/OData/v4/2.0", "--ob-url", "http://127.0.0.1:1"))
    assert files_in(workdir) == {"notes.txt", "docs", "docs/letter.txt"}


@pytest.mark.parametrize("args, message", [
    (("serve", "--port", "abc"), "Error: Invalid value for '--port': 'abc' is not a valid integer. "
                                 "(`kamergraph serve --help` says what it takes)"),
    (("export", "--format", "rtf"), "Error: Invalid value for '--format': 'rtf' is not one of 'jsonld', 'nquads', "
                                    "'ntriples', 'trig', 'turtle'. (`kamergraph export --help` says what it takes)"),
    (("stats", "--no-such-option"), "Error: No such option '--no-such-option'. "
                                    "(`kamergraph stats --help` says what it takes)"),
])
def test_a_bad_option_is_one_line(workdir, args, message):
    result = cli(*args)
    assert result.exit_code == 2
    assert result.output == message + "\n"
    assert files_in(workdir) == set()


def test_export_to_a_folder_that_does_not_exist(cli_store, workdir):
    line = one_error_line(cli("export", "--store", str(cli_store), "-o", "missing/dump.nq"))
    assert line == ("Error: cannot write missing/dump.nq: No such file or directory; give a file in a folder that "
                    "exists and may be written")
    assert files_in(workdir) == set()


def test_a_full_disk_is_one_line(cli_store):
    """An operating-system error (here the full device of /dev/full as standard output) ends the
    command with one line, not a traceback."""
    with open("/dev/full", "wb") as full:
        command = [sys.executable, "-m", "kamergraph.cli", "export", "--store", str(cli_store)]
        done = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, text=True, timeout=120, check=False)
    assert done.returncode == 1
    assert done.stderr == "Error: stopped: No space left on device\n"
