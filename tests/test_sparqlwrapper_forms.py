"""SPARQLWrapper sends what it takes for an update (it looks for a keyword such as ADD or LOAD in the
text) to the update endpoint, where a reader gets 401: every published query must read as what it is."""
from __future__ import annotations

import re
import warnings

import pytest
from SPARQLWrapper import SPARQLWrapper

from kamergraph import queries

FORM = re.compile(r"^\s*(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", re.MULTILINE)


@pytest.mark.parametrize("name", sorted(queries.published()))
def test_sparqlwrapper_reads_each_named_query_as_its_form(name):
    named = queries.published()[name]
    wrapper = SPARQLWrapper("http://127.0.0.1:9/sparql")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an undetected form is a warning, and SELECT by default
        wrapper.setQuery(named.text)
    assert wrapper.queryType == FORM.search(named.text).group(1)
    assert not wrapper.isSparqlUpdateRequest()
