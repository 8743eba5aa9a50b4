"""The cheapest answer a Flask app can give: the same bytes for every request to /sparql (and to any
other path: web_ceiling.py also asks it for the address of a browse page).

Served by web_ceiling.py with gunicorn in kamergraph's own configuration, it shows what the
Python web stack alone can answer on this machine, with no query, no negotiation and no checks.
"""
from __future__ import annotations

import os

from flask import Flask


def create() -> Flask:
    """The app; the body is read once from the file named by KAMERGRAPH_CONSTANT_BODY."""
    with open(os.environ["KAMERGRAPH_CONSTANT_BODY"], "rb") as handle:
        body = handle.read()
    content_type = os.environ.get("KAMERGRAPH_CONSTANT_TYPE", "application/n-triples")
    app = Flask(__name__)

    @app.get("/sparql")
    @app.get("/<path:anything>")
    def sparql(anything: str = ""):
        return body, 200, {"Content-Type": content_type}

    return app
