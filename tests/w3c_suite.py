"""The W3C SPARQL 1.1 test suites vendored in tests/w3c/, read from their manifests and run over HTTP
against a server under test (``Target``): kamergraph serve or, beside it, oxigraph serve.

Three kinds of test:
* protocol (``protocol/manifest.ttl``) and Graph Store indirect identification
  (``graph-store-protocol/manifest-indirect.ttl``): requests written as ``ht:Request`` resources,
  each with the status, result and headers its response must have;
* the deprecated Graph Store tests of ``http-rdf-update/manifest.ttl``, whose requests are prose in
  comments; run in order on one store, direct graph IRIs asked for by indirect identification;
* query evaluation: a dataset loaded by SPARQL Update, the query sent with ``BASE`` set to its own
  address, the answer compared with the expected one in each result format.
"""
from __future__ import annotations

import csv
import io
import re
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    parse,
    parse_query_results,
    serialize,
)
from rdflib import RDF, BNode, Graph, Namespace, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.collection import Collection
from rdflib.compare import isomorphic

W3C = Path(__file__).resolve().parent / "w3c"
# Where the suites live on the web: their IRIs (graph names, relative IRIs in queries) resolve here.
WEB = "https://w3c.github.io/rdf-tests/sparql/sparql11/"
QUERY_FOLDERS = ("aggregates", "bind", "bindings", "cast", "construct", "csv-tsv-res", "exists", "functions",
                 "grouping", "json-res", "negation", "project-expression", "property-path", "subquery")

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
DAWGT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")

STATUS_NAMES = {"OK": (200,), "Created": (201,), "NoContent": (204,), "NotFound": (404,),
                "StatusCode2xx": range(200, 300), "StatusCode3xx": range(300, 400),
                "StatusCode4xx": range(400, 500)}
SOLUTION_TYPES = ("application/sparql-results+json", "application/sparql-results+xml",
                  "text/tab-separated-values", "text/csv")
GRAPH_TYPES = {"text/turtle": RdfFormat.TURTLE, "application/n-triples": RdfFormat.N_TRIPLES,
               "application/rdf+xml": RdfFormat.RDF_XML, "application/ld+json": RdfFormat.JSON_LD,
               "application/n-quads": RdfFormat.N_QUADS, "application/trig": RdfFormat.TRIG}
RESULT_FORMATS = {"application/sparql-results+json": QueryResultsFormat.JSON,
                  "application/sparql-results+xml": QueryResultsFormat.XML,
                  "text/tab-separated-values": QueryResultsFormat.TSV}
# The formats each evaluation test is run in.
SOLUTION_ACCEPTS = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                    "tsv": "text/tab-separated-values", "csv": "text/csv"}
GRAPH_ACCEPTS = {"turtle": "text/turtle", "ntriples": "application/n-triples"}

Send = Callable[..., "Answer"]


@dataclass
class Answer:
    status: int
    headers: dict[str, str]  # lower-cased names
    body: bytes

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass(frozen=True)
class Target:
    """A server under test: where it takes queries, updates and Graph Store requests, and the
    headers a write needs there. ``send(method, url, body, headers)`` makes one HTTP request."""

    name: str
    query_url: str
    update_url: str
    store_url: str
    send: Send
    write_headers: tuple[tuple[str, str], ...] = ()

    def request(self, method: str, url: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> Answer:
        merged = dict(headers or {})
        if method not in ("GET", "HEAD"):
            merged.update(self.write_headers)
        return self.send(method, url, body, merged)

    def update(self, text: str) -> None:
        answer = self.request("POST", self.update_url, text.encode("utf-8"),
                              {"Content-Type": "application/sparql-update"})
        if answer.status not in (200, 204):
            raise AssertionError(f"{self.name}: update failed ({answer.status}): {answer.body[:300]!r}")


class Failed(AssertionError):
    """A test's expectation not met; the message says which and how."""


# ---------------------------------------------------------------- manifests


def _graph(folder: str, name: str) -> Graph:
    graph = Graph()
    graph.parse(W3C / folder / name, format="turtle", publicID=WEB + f"{folder}/{name}")
    return graph


def _entries(graph: Graph) -> list:
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    return list(Collection(graph, graph.value(manifest, MF.entries)))


def _local(iri: str) -> Path:
    assert iri.startswith(WEB), iri
    return W3C / iri[len(WEB):]


def _test_id(folder: str, entry) -> str:
    return f"{folder}/{str(entry).rsplit('#', 1)[-1]}"


# ---------------------------------------------------------------- HTTP tests written as ht:Request


@dataclass(frozen=True)
class Step:
    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    statuses: tuple[int, ...]
    boolean: bool | None = None
    result_format: str | None = None  # boolean, tabular or RDF
    response_headers: tuple[tuple[str, str], ...] = ()
    response_graph: str | None = None  # Turtle the response must be isomorphic to
    keeps_location: bool = False


@dataclass(frozen=True)
class HttpTest:
    id: str
    steps: tuple[Step, ...]
    named_data: tuple[tuple[str, Path], ...] = ()  # graph name, file


def http_tests() -> list[HttpTest]:
    return [*_request_tests("protocol", "manifest.ttl"),
            *_request_tests("graph-store-protocol", "manifest-indirect.ttl")]


def _request_tests(folder: str, manifest: str) -> Iterator[HttpTest]:
    graph = _graph(folder, manifest)
    for entry in _entries(graph):
        if (entry, DAWGT.approval, DAWGT.Withdrawn) in graph:
            continue
        action = graph.value(entry, MF.action)
        steps = tuple(_step(graph, r) for r in Collection(graph, graph.value(action, HT.requests)))
        named = tuple(
            (str(graph.value(d, RDFS.label)), _local(str(graph.value(d, UT.graph))))
            for d in graph.objects(entry, UT.graphData)
        )
        yield HttpTest(_test_id(folder, entry), steps, named)


def _step(graph: Graph, request) -> Step:
    headers = tuple(
        (str(graph.value(h, HT.fieldName)), str(graph.value(h, HT.fieldValue)))
        for h in Collection(graph, graph.value(request, HT.headers) or RDF.nil)
    )
    body = None
    content = graph.value(request, HT.body)
    if content is not None:
        encoding = str(graph.value(content, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(content, CNT.chars)).encode(encoding)
    response = graph.value(request, HT.resp)
    statuses = tuple(code for s in graph.objects(response, MF.expectedStatus)
                     for code in STATUS_NAMES[str(s).rsplit("#", 1)[-1]])
    boolean = graph.value(response, MF.expectedBoolean)
    fmt = graph.value(response, MF.expectedFormat)
    response_headers = tuple(
        (str(graph.value(h, HT.fieldName)), str(graph.value(h, HT.fieldValue)))
        for h in Collection(graph, graph.value(response, HT.headers) or RDF.nil)
    )
    response_body = graph.value(response, HT.body)
    return Step(
        method=str(graph.value(request, HT.methodName)),
        path=str(graph.value(request, HT.absolutePath)),
        headers=headers,
        body=body,
        statuses=statuses,
        boolean=None if boolean is None else bool(boolean.toPython()),
        result_format=None if fmt is None else str(fmt),
        response_headers=response_headers,
        response_graph=None if response_body is None else str(graph.value(response_body, CNT.chars)),
        keeps_location=graph.value(response, MF.expectedLocation) is not None,
    )


def run_http_test(test: HttpTest, target: Target) -> None:
    """Load the test's named graphs (after emptying the store), then send each request in turn."""
    load_dataset(target, (), test.named_data)
    location = ""
    for number, step in enumerate(test.steps, 1):
        path = step.path.replace("$LOCATION$", urllib.parse.quote(location, safe=""))
        url = _target_url(target, path, step)
        answer = target.request(step.method, url, step.body, dict(step.headers))
        where = f"request {number} ({step.method} {path[:80]})"
        if answer.status not in step.statuses:
            raise Failed(f"{where}: status {answer.status}, expected {list(step.statuses)[:3]}: "
                         f"{answer.body[:200]!r}")
        if step.keeps_location:
            location = answer.headers.get("location", "")
        check_response(answer, step, where)


def _target_url(target: Target, path: str, step: Step) -> str:
    path_only, _, query = path.partition("?")
    if path_only.startswith("/gsp"):
        base = target.store_url
    else:
        base = target.update_url if _is_update(step, query) else target.query_url
    return base + ("?" + query if query else "")


def _is_update(step: Step, query: str) -> bool:
    content_type = {k.lower(): v for k, v in step.headers}.get("content-type", "")
    body = step.body or b""
    return ("update=" in query or "using-graph-uri" in query or "using-named-graph-uri" in query
            or "sparql-update" in content_type or body.startswith(b"update="))


def check_response(answer: Answer, step: Step, where: str) -> None:
    for name, value in step.response_headers:
        got = answer.headers.get(name.lower(), "")
        if not _same_header(name, got, value):
            raise Failed(f"{where}: {name} is {got!r}, expected {value!r}")
    if step.result_format == "boolean" or step.boolean is not None:
        result = _parse_solutions(answer, where)
        if not isinstance(result, QueryBoolean):
            raise Failed(f"{where}: expected a boolean result, got {answer.media_type}")
        if step.boolean is not None and bool(result) != step.boolean:
            raise Failed(f"{where}: ASK gave {bool(result)}, expected {step.boolean}")
    elif step.result_format == "tabular":
        if not isinstance(_parse_solutions(answer, where), QuerySolutions):
            raise Failed(f"{where}: expected solutions, got {answer.media_type}")
    elif step.result_format == "RDF" and answer.media_type not in GRAPH_TYPES:
        raise Failed(f"{where}: expected RDF, got {answer.media_type}")
    if step.response_graph is not None:
        expected = _rdflib_graph(step.response_graph.encode("utf-8"), RdfFormat.TURTLE)
        got = _response_graph(answer, where)
        if not isomorphic(expected, got):
            raise Failed(f"{where}: the graph differs:\n{answer.body.decode('utf-8', 'replace')[:500]}")


def _same_header(name: str, got: str, expected: str) -> bool:
    """Content-Type: the same media type, and a charset, where one is given, of UTF-8 (the only one
    Turtle and the SPARQL formats have); other headers: the same value."""
    if name.lower() != "content-type":
        return got.strip() == expected.strip()
    media_type, *params = (part.strip().lower() for part in got.split(";"))
    charsets = [p.partition("=")[2].strip('"') for p in params if p.startswith("charset=")]
    return media_type == expected.partition(";")[0].strip().lower() and all(c == "utf-8" for c in charsets)


# ---------------------------------------------------------------- http-rdf-update: requests in prose


@dataclass(frozen=True)
class ProseTest:
    id: str
    method: str
    target: str  # request target with $GRAPHSTORE$, $HOST$, $NEWPATH$
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    status: int
    response_headers: tuple[tuple[str, str], ...]
    response_body: str | None


GRAPHSTORE, HOST = "gsp", "www.example"


def prose_tests() -> list[ProseTest]:
    graph = _graph("http-rdf-update", "manifest.ttl")
    out = []
    for entry in _entries(graph):
        comment = next(c for c in graph.objects(entry, RDFS.comment) if "#### Request" in c)
        request, response = str(comment).split("#### Response")
        request_lines = _indented(request.split("#### Request", 1)[1])
        response_lines = _indented(response)
        method, target, _ = request_lines[0].split()
        headers, body = _headers_and_body(request_lines[1:])
        status = int(response_lines[0].split()[0])
        response_headers, response_body = _headers_and_body(response_lines[1:])
        out.append(ProseTest(_test_id("http-rdf-update", entry), method, target, headers,
                             None if body is None else _fill(body).encode("utf-8"), status,
                             response_headers, response_body))
    return out


def _indented(text: str) -> list[str]:
    lines = text.strip("\n").splitlines()
    return [line[4:] if line.startswith("    ") else line.strip() for line in lines]


def _headers_and_body(lines: list[str]) -> tuple[tuple[tuple[str, str], ...], str | None]:
    headers = []
    for i, line in enumerate(lines):
        if not line.strip():
            rest = "\n".join(lines[i + 1:]).strip()
            return tuple(headers), rest or None
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))
    return tuple(headers), None


def _fill(text: str) -> str:
    return text.replace("$HOST$", HOST).replace("$GRAPHSTORE$", GRAPHSTORE)


def run_prose_tests(tests: list[ProseTest], target: Target) -> dict[str, str]:
    """Run the tests in order on one emptied store; the failures, by test id."""
    target.update("DROP ALL")
    failures: dict[str, str] = {}
    new_graph = ""
    for test in tests:
        url = _prose_url(target, test.target, new_graph)
        headers = {k: _fill(v) for k, v in test.headers if k.lower() != "host"}
        answer = target.request(test.method, url, test.body, headers)
        # A write that succeeds may answer 200 or 204 (Graph Store Protocol 5.x): both pass for either.
        accepted = {200, 204} if test.status in (200, 204) else {test.status}
        if test.status == 201:
            new_graph = answer.headers.get("location", "")
        try:
            if answer.status not in accepted:
                raise Failed(f"status {answer.status}, expected {test.status}: {answer.body[:200]!r}")
            step = Step(test.method, url, (), None, (answer.status,),
                        response_headers=tuple(h for h in test.response_headers
                                               if h[0].lower() == "content-type" and test.method != "HEAD"),
                        response_graph=None if test.response_body is None else _fill(test.response_body))
            check_response(answer, step, f"{test.method} {test.target}")
        except Failed as failure:
            failures[test.id] = str(failure)
    return failures


def _prose_url(target: Target, request_target: str, new_graph: str) -> str:
    if request_target == "$NEWPATH$":
        return target.store_url + "?graph=" + urllib.parse.quote(new_graph, safe="")
    rest = request_target.removeprefix("$GRAPHSTORE$")
    if rest.startswith("/"):  # direct identification: ask for the same IRI indirectly
        iri = f"http://{HOST}/{GRAPHSTORE}{rest}"
        return target.store_url + "?graph=" + urllib.parse.quote(iri, safe="")
    return target.store_url + _fill(rest)


# ---------------------------------------------------------------- query evaluation


@dataclass(frozen=True)
class EvalTest:
    id: str
    query: Path
    query_iri: str
    default_data: tuple[Path, ...]
    named_data: tuple[tuple[str, Path], ...]
    result: Path
    csv_only: bool = False  # a CSV or TSV result format test: that format alone, compared as text
    formats: tuple[str, ...] = field(default=())


def eval_tests() -> list[EvalTest]:
    out = []
    for folder in QUERY_FOLDERS:
        graph = _graph(folder, "manifest.ttl")
        for entry in _entries(graph):
            kind = graph.value(entry, RDF.type)
            if kind not in (MF.QueryEvaluationTest, MF.CSVResultFormatTest):
                continue
            if (entry, DAWGT.approval, DAWGT.Withdrawn) in graph:
                continue
            action = graph.value(entry, MF.action)
            query = str(graph.value(action, QT.query))
            result = _local(str(graph.value(entry, MF.result)))
            graph_result = result.suffix == ".ttl" and b"result-set#" not in result.read_bytes()
            if kind == MF.CSVResultFormatTest:
                formats = ("csv",) if result.suffix == ".csv" else ("tsv",)
            else:
                formats = tuple(GRAPH_ACCEPTS if graph_result else SOLUTION_ACCEPTS)
            out.append(EvalTest(
                id=_test_id(folder, entry),
                query=_local(query),
                query_iri=query,
                default_data=tuple(sorted(_local(str(d)) for d in graph.objects(action, QT.data))),
                named_data=tuple(sorted((str(g), _local(str(g))) for g in graph.objects(action, QT.graphData))),
                result=result,
                csv_only=kind == MF.CSVResultFormatTest,
                formats=formats,
            ))
    return out


def load_dataset(target: Target, default: tuple[Path, ...], named: tuple[tuple[str, Path], ...]) -> None:
    """Empty the store and load the files, in one update (the files' relative IRIs resolved
    against their place on the web)."""
    parts = ["DROP ALL"]
    parts += [f"INSERT DATA {{ {_ntriples(path)} }}" for path in default]
    parts += [f"INSERT DATA {{ GRAPH <{name}> {{ {_ntriples(path)} }} }}" for name, path in named]
    target.update(" ;\n".join(parts))


def _ntriples(path: Path) -> str:
    iri = WEB + str(path.relative_to(W3C))
    fmt = RdfFormat.from_extension(path.suffix.lstrip(".")) or RdfFormat.TURTLE
    quads = parse(path=str(path), format=fmt, base_iri=iri)
    return serialize((q.triple for q in quads), format=RdfFormat.N_TRIPLES).decode("utf-8")


def run_eval_test(test: EvalTest, fmt: str, target: Target) -> None:
    """Send the query asking for ``fmt``; the dataset must be loaded already."""
    text = f"BASE <{test.query_iri}>\n" + test.query.read_text(encoding="utf-8")
    accept = SOLUTION_ACCEPTS.get(fmt) or GRAPH_ACCEPTS[fmt]
    answer = target.request("POST", target.query_url, text.encode("utf-8"),
                            {"Content-Type": "application/sparql-query", "Accept": accept})
    if answer.status != 200:
        raise Failed(f"status {answer.status}: {answer.body[:300]!r}")
    if fmt in GRAPH_ACCEPTS:
        expected = _rdflib_graph(test.result.read_bytes(), RdfFormat.TURTLE, base=WEB + str(
            test.result.relative_to(W3C)))
        got = _response_graph(answer, fmt)
        if not isomorphic(expected, got):
            raise Failed(f"the graph differs:\n{answer.body.decode('utf-8', 'replace')[:600]}")
        return
    if test.csv_only:
        _compare_text_table(answer.body.decode("utf-8"), test.result.read_text(encoding="utf-8"), fmt)
        return
    expected = _expected_results(test.result)
    if fmt == "csv":
        want = serialize_csv(expected)
        _compare_text_table(answer.body.decode("utf-8"), want, fmt)
        return
    got = _parse_solutions(answer, fmt)
    _compare_results(got, expected)


def _expected_results(path: Path):
    if path.suffix == ".ttl":
        return _result_set_vocabulary(path)
    fmt = {".srx": QueryResultsFormat.XML, ".srj": QueryResultsFormat.JSON, ".tsv": QueryResultsFormat.TSV}[path.suffix]
    result = parse_query_results(path=str(path), format=fmt)
    if isinstance(result, QueryBoolean):
        return bool(result)
    return _Table([v.value for v in result.variables], [_row(s, result.variables) for s in result])


@dataclass
class _Table:
    variables: list[str]
    rows: list[dict[str, object]]


def _row(solution, variables) -> dict[str, object]:
    return {v.value: solution[v] for v in variables if solution[v] is not None}


def _result_set_vocabulary(path: Path):
    """A result set written in the DAWG result-set vocabulary (rs:ResultSet) as a table."""
    graph = Graph()
    graph.parse(path, format="turtle", publicID=WEB + str(path.relative_to(W3C)))
    rs = next(graph.subjects(RDF.type, RS.ResultSet))
    boolean = graph.value(rs, RS.boolean)
    if boolean is not None:
        return bool(boolean.toPython())
    variables = [str(v) for v in graph.objects(rs, RS.resultVariable)]
    rows = []
    for solution in graph.objects(rs, RS.solution):
        row: dict[str, object] = {}
        for binding in graph.objects(solution, RS.binding):
            row[str(graph.value(binding, RS.variable))] = _oxigraph_term(graph.value(binding, RS.value))
        rows.append(row)
    return _Table(variables, rows)


def _oxigraph_term(term):
    if isinstance(term, URIRef):
        return NamedNode(str(term))
    if isinstance(term, BNode):
        return BlankNode(str(term))
    assert isinstance(term, RdfLiteral)
    if term.language:
        return Literal(str(term), language=term.language)
    return Literal(str(term), datatype=NamedNode(str(term.datatype)) if term.datatype else None)


def _parse_solutions(answer: Answer, where: str):
    fmt = RESULT_FORMATS.get(answer.media_type)
    if fmt is None:
        raise Failed(f"{where}: the response is {answer.media_type or 'untyped'}, not a parseable result format")
    try:
        return parse_query_results(answer.body, format=fmt)
    except SyntaxError as error:
        raise Failed(f"{where}: the result does not parse: {error}") from error


def _compare_results(got, expected) -> None:
    if isinstance(expected, bool):
        if not isinstance(got, QueryBoolean) or bool(got) != expected:
            raise Failed(f"expected {expected}, got {got}")
        return
    if not isinstance(got, QuerySolutions):
        raise Failed(f"expected solutions, got {got}")
    names = [v.value for v in got.variables]
    rows = [_row(s, got.variables) for s in got]
    if sorted(names) != sorted(expected.variables):
        raise Failed(f"variables {names}, expected {expected.variables}")
    if not same_rows(rows, expected.rows):
        got_rows, want_rows = Counter(map(_shown, rows)), Counter(map(_shown, expected.rows))
        raise Failed(f"rows differ ({len(rows)} rows, expected {len(expected.rows)}):\n"
                     f" only got {list(got_rows - want_rows)[:6]}\n only expected {list(want_rows - got_rows)[:6]}")


def _shown(row: dict) -> str:
    return str({k: str(v) for k, v in sorted(_canonical_row(row).items())})


def same_rows(got: list[dict], expected: list[dict]) -> bool:
    """Equal as multisets of solutions, blank nodes equal up to a one-to-one renaming."""
    if len(got) != len(expected):
        return False
    got, expected = [_canonical_row(r) for r in got], [_canonical_row(r) for r in expected]
    key = lambda row: frozenset((k, str(v)) for k, v in row.items())  # noqa: E731
    if not any(isinstance(v, BlankNode) for row in got + expected for v in row.values()):
        return Counter(map(key, got)) == Counter(map(key, expected))
    return _match(list(got), list(expected), {}, {})


XSD = "http://www.w3.org/2001/XMLSchema#"
NUMBERS = {XSD + "integer": int, XSD + "decimal": Decimal, XSD + "double": float, XSD + "float": float}
# Types derived from xsd:integer: a store may give their values as xsd:integer.
INTEGERS = {XSD + name for name in ("nonPositiveInteger", "negativeInteger", "long", "int", "short", "byte",
                                    "nonNegativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
                                    "unsignedByte", "positiveInteger")}


def _canonical_row(row: dict) -> dict:
    return {name: _canonical(term) for name, term in row.items()}


def _canonical(term):
    """A numeric literal in one lexical form per value (1.0 and 1, 3.0E4 and 30000 are the same
    xsd:decimal or xsd:double), as the suites' results write them either way; so are 0 and false."""
    if isinstance(term, Literal) and term.datatype.value in INTEGERS:
        term = Literal(term.value, datatype=NamedNode(XSD + "integer"))
    if isinstance(term, Literal) and term.datatype.value == XSD + "boolean" and term.value in ("0", "1"):
        return Literal(term.value == "1")
    if isinstance(term, Literal) and term.datatype.value in NUMBERS:
        try:
            value = NUMBERS[term.datatype.value](term.value)
        except (ValueError, ArithmeticError):
            return term
        text = format(value.normalize(), "f") if isinstance(value, Decimal) else repr(value)
        return Literal(text, datatype=term.datatype)
    return term


def _match(got: list[dict], expected: list[dict], forward: dict, backward: dict) -> bool:
    if not got:
        return True
    first, rest = got[0], got[1:]
    for i, candidate in enumerate(expected):
        mapping = _unify(first, candidate, forward, backward)
        if mapping is not None and _match(rest, expected[:i] + expected[i + 1:], *mapping):
            return True
    return False


def _unify(got: dict, want: dict, forward: dict, backward: dict):
    if got.keys() != want.keys():
        return None
    forward, backward = dict(forward), dict(backward)
    for name, term in got.items():
        other = want[name]
        if isinstance(term, BlankNode) and isinstance(other, BlankNode):
            if forward.setdefault(term.value, other.value) != other.value:
                return None
            if backward.setdefault(other.value, term.value) != term.value:
                return None
        elif term != other:
            return None
    return forward, backward


def serialize_csv(table) -> str:
    """What a SPARQL CSV result of ``table`` says (SPARQL 1.1 Query Results CSV and TSV Formats)."""
    if isinstance(table, bool):
        return str(table).lower()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.variables)
    for row in map(_canonical_row, table.rows):
        writer.writerow([_csv_cell(row.get(v)) for v in table.variables])
    return out.getvalue()


def _csv_cell(term) -> str:
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return "_:" + term.value
    return term.value


def _compare_text_table(got: str, expected: str, fmt: str) -> None:
    """CSV and TSV as text: the header in order, the rows as a multiset, blank node labels as any
    label (CSV cannot say which blank node is which across results)."""

    def table(text: str) -> tuple[list[str], Counter]:
        text = text.replace("\r\n", "\n")
        lines = list(csv.reader(io.StringIO(text))) if fmt == "csv" else [line.split("\t") for line in text.split("\n")]
        lines = [line for line in lines if line not in ([], [""])]
        header = lines[0] if lines else []
        # SELECT * leaves the order of the columns open: each row as its cells by column name.
        rows = Counter(tuple(sorted(zip(header, map(_csv_canonical, line), strict=False))) for line in lines[1:])
        return header, rows

    got_header, got_rows = table(got)
    want_header, want_rows = table(expected)
    if sorted(got_header) != sorted(want_header) or got_rows != want_rows:
        raise Failed(f"the {fmt.upper()} differs:\n got {got[:500]!r}\n expected {expected[:500]!r}")


def _csv_canonical(cell: str) -> str:
    if re.fullmatch(r"_:\S+", cell):
        return "_:"
    if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", cell):
        return format(Decimal(cell).normalize(), "f")
    return cell


def _response_graph(answer: Answer, where: str) -> Graph:
    fmt = GRAPH_TYPES.get(answer.media_type)
    if fmt is None:
        raise Failed(f"{where}: the response is {answer.media_type or 'untyped'}, not RDF")
    try:
        return _rdflib_graph(answer.body, fmt)
    except SyntaxError as error:
        raise Failed(f"{where}: the graph does not parse: {error}") from error


def _rdflib_graph(data: bytes, fmt: RdfFormat, base: str | None = None) -> Graph:
    """Parsed by pyoxigraph, handed to rdflib as N-Triples for its isomorphism check."""
    quads = parse(data, format=fmt, base_iri=base)
    graph = Graph()
    graph.parse(data=serialize((q.triple for q in quads), format=RdfFormat.N_TRIPLES).decode("utf-8"),
                format="nt")
    return graph
