"""Which URLs the remote store sends queries and updates to, from the one URL a user gives."""
import pytest

from kamergraph.graph.remote import endpoints


@pytest.mark.parametrize("given, query, update", [
    ("http://127.0.0.1:7878", "http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update"),
    ("http://127.0.0.1:7878/query", "http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update"),
    ("http://127.0.0.1:8890/sparql", "http://127.0.0.1:8890/sparql", "http://127.0.0.1:8890/sparql"),
    ("http://127.0.0.1:7200/repositories/kg/", "http://127.0.0.1:7200/repositories/kg",
     "http://127.0.0.1:7200/repositories/kg/statements"),
])
def test_endpoints(given, query, update):
    assert endpoints(given) == (query, update)
