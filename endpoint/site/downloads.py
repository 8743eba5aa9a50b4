"""``/downloads``: the whole store as gzipped N-Quads (every named graph) and gzipped Turtle (the
union of all graphs), served as files.

The files are written once per state of the store, in the background, by ``indexes/dumps.py``; a
request is answered from the set in place (with ``Content-Length``, ``ETag`` (the SHA-256),
``Last-Modified`` and ``Range``), which is the last complete one while a newer one is written. Only
before the very first set exists does a request get 503 with ``Retry-After``.
"""
from __future__ import annotations

from flask import Response, abort, request, send_file

from kamergraph.endpoint.site import schemaorg
from kamergraph.endpoint.site.render import current_dumps, page_blueprint, rdf_body, respond
from kamergraph.endpoint.site.representations import HTML_PAGE, for_document
from kamergraph.endpoint.site.void import DUMPS, description
from kamergraph.indexes.dumps import FORMATS

bp = page_blueprint("downloads", __name__, public=True)

RETRY_SECONDS = 30


@bp.route("/downloads")
@bp.route("/downloads.<suffix>")
def downloads(suffix: str | None = None):
    rep, by_accept, links, location = for_document("/downloads", suffix)
    if rep is not HTML_PAGE:  # the page's data: the dataset's DCAT description
        return respond(rep, by_accept, links, location, body=rdf_body(description(), rep))
    written = current_dumps()
    files = written.files if written else {}
    return respond(rep, by_accept, links, location, template="pages/downloads.html",
                   context={"dumps": DUMPS, "files": files,
                            "jsonld": schemaorg.thing(request.url_root, "kamergraph downloads")})


@bp.route("/downloads/<name>", methods=["GET", "HEAD"])
def dump(name: str):
    if name not in FORMATS:
        abort(404)
    written = current_dumps()
    if written is None or name not in written.files:
        return Response("The dumps are being written; try again shortly.\n", status=503, mimetype="text/plain",
                        headers={"Retry-After": str(RETRY_SECONDS), "Cache-Control": "no-store"})
    about = written.files[name]
    response = send_file(written.path(name), mimetype="application/gzip", as_attachment=True, download_name=name,
                         conditional=True, etag=about.sha256, last_modified=about.modified, max_age=0)
    response.headers["Digest"] = "sha-256=" + _base64(about.sha256)
    return response


def _base64(hex_digest: str) -> str:
    import base64

    return base64.b64encode(bytes.fromhex(hex_digest)).decode("ascii")
