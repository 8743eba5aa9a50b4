"""Every named query answers alike on embedded Oxigraph, a remote `oxigraph serve` and Virtuoso."""
from __future__ import annotations

from collections import Counter

import pytest
from pyoxigraph import Literal

from backends import REMOTE_STORES, start_remote, stop
from kamergraph import queries
from kamergraph.graph import open_store
from kamergraph.ingest.pipeline import ingest_paths
from kamergraph.queries.run import cell, run_named
from test_store_backends import EXAMPLES, SETTINGS


@pytest.fixture(scope="module", params=REMOTE_STORES)
def loaded(request, tmp_path_factory):
    """(kind, store): a remote store of each kind with examples/ ingested once for all the queries;
    the embedded store is the reference they are compared with."""
    folder = tmp_path_factory.mktemp(request.param)
    location, process = start_remote(request.param, folder / "data")
    store = open_store(location)
    report = ingest_paths(store, [EXAMPLES], SETTINGS)
    assert report.ok, report.errors
    yield request.param, store
    store.close()
    stop(process)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    store = open_store(str(tmp_path_factory.mktemp("reference") / "store"))
    ingest_paths(store, [EXAMPLES], SETTINGS)
    return store


BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def _rows(store, named, booleans_as_numbers: bool = False, values: dict[str, str] | None = None) -> Counter:
    """The rows as text cells; Virtuoso 7 answers every boolean as the integer 1 or 0, so the
    reference's booleans are written that way when it is compared with Virtuoso."""
    result = run_named(store, named, values or {})
    names = [v.value for v in result.value.variables]
    rows = Counter()
    for solution in result.value:
        cells = []
        for name in names:
            term = solution[name]
            if booleans_as_numbers and isinstance(term, Literal) and term.datatype.value == BOOLEAN:
                cells.append("1" if term.value in ("true", "1") else "0")
            else:
                cells.append(cell(term))
        rows[tuple(cells)] += 1
    return rows


WITHOUT_REQUIRED_PARAMETERS = sorted(
    name for name, named in queries.registry().items() if not any(p.required for p in named.parameters)
)


@pytest.mark.parametrize("name", WITHOUT_REQUIRED_PARAMETERS)
def test_named_query_answers_alike(loaded, reference, name):
    kind, store = loaded
    named = queries.get(name)
    expected = _rows(reference, named, booleans_as_numbers=kind == "virtuoso")
    assert expected, f"{name} returns no rows on the examples: nothing is compared"
    assert _rows(store, named) == expected


# Queries that read dates from derived list entries (YYYYMMDD...), with the date filters bound: the
# arithmetic on a bound date and the 17-digit integers must give the same rows everywhere.
FILTERED = [
    ("most-active-submitters", {"from": "2019-03-08", "until": "2019-12-31"}),
    ("most-active-submitters", {"party": "https://kamergraph.nl/id/partij/sgp", "until": "2019-06-30"}),
    ("answer-times-by-ministry", {"from": "2019-03-08", "until": "2020-06-30", "term": "40"}),
    ("answer-times", {"by": "party", "on": "2020-01-01"}),
    ("answer-times", {"by": "minister", "from": "2019-03-08", "until": "2020-06-30", "on": "2019-12-30"}),
    ("answer-times", {"by": "post", "until": "2019-06-30"}),
    ("questions-between", {"source": "https://kamergraph.nl/id/partij/pvda",
                           "target": "https://kamergraph.nl/id/ministerie/mnre1058", "from": "2019-01-01"}),
    ("questions-between", {"source": "https://kamergraph.nl/id/partij/pvda",
                           "target": "https://kamergraph.nl/id/ministerie/mnre1058", "limit": "1", "offset": "1"}),
    # Sizes without filters, entries counted with them (queries/*.rq, kg:size).
    ("who-asked-whom", {"from": "2019-03-08", "until": "2019-12-31"}),
    ("who-asked-whom", {"by": "party", "to": "ministry", "until": "2019-06-30"}),
    ("co-submission-network", {"from": "2019-03-01"}),
    ("co-submission-network", {"person": "https://kamergraph.nl/id/persoon/sadet-karabulut"}),
    ("topics-per-party", {"party": "https://kamergraph.nl/id/partij/sp"}),
    # From the lists of open questions (kg:openKey: the deadline first), with a party and a day.
    ("open-questions", {"party": "https://kamergraph.nl/id/partij/sp", "on": "2019-12-30"}),
    ("open-questions", {"on": "2019-11-12"}),  # submitted that day, given six weeks: the last day it is in
    ("feed-overdue", {"day": "2020-01-01"}),
    # Open then: one from the list of unanswered questions, one answered later.
    ("unanswered-questions", {"on": "2019-06-01"}),
    ("unanswered-questions", {"on": "2019-12-12"}),
]


@pytest.mark.parametrize(("name", "values"), FILTERED)
def test_filtered_query_answers_alike(loaded, reference, name, values):
    kind, store = loaded
    named = queries.get(name)
    expected = _rows(reference, named, booleans_as_numbers=kind == "virtuoso", values=values)
    assert expected, f"{name} {values} returns no rows on the examples: nothing is compared"
    assert _rows(store, named, values=values) == expected
