"""``/downloads``: the whole store as gzipped N-Quads (every named graph) and gzipped Turtle (the
union of all graphs), streamed.

A dump is written by its own process (``runtime/dump_process.py``, on a read-only snapshot of the
store) straight into the response, 64 KiB at a time: neither process holds the dump in memory. A
client that goes away stops the process, and so does the end of the web process: the dump's next
write finds its pipe closed.
"""
from __future__ import annotations

import subprocess
import sys
import threading

from flask import Response, abort, request, stream_with_context

from kamergraph.endpoint.runtime import dump_process
from kamergraph.endpoint.site import schemaorg
from kamergraph.endpoint.site.render import page_blueprint, rdf_body, respond
from kamergraph.endpoint.site.representations import HTML_PAGE, for_document
from kamergraph.endpoint.site.void import DUMPS, description
from kamergraph.endpoint.web import backend

bp = page_blueprint("downloads", __name__, public=True)

FORMATS = {"kamergraph.nq.gz": "nquads", "kamergraph.ttl.gz": "turtle"}
CHUNK = 65536
DUMPS_AT_ONCE_COUNT = 2  # dumps streamed at once by one web process; more get 503
DUMPS_AT_ONCE = threading.BoundedSemaphore(DUMPS_AT_ONCE_COUNT)


@bp.route("/downloads")
@bp.route("/downloads.<suffix>")
def downloads(suffix: str | None = None):
    rep, by_accept, links, location = for_document("/downloads", suffix)
    if rep is not HTML_PAGE:  # the page's data: the dataset's DCAT description
        return respond(rep, by_accept, links, location, body=rdf_body(description(), rep))
    return respond(rep, by_accept, links, location, template="pages/downloads.html",
                   context={"dumps": DUMPS, "jsonld": schemaorg.thing(request.url_root, "kamergraph downloads")})


@bp.route("/downloads/<name>", methods=["GET", "HEAD"])
def dump(name: str):
    fmt = FORMATS.get(name)
    if fmt is None:
        abort(404)
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-cache"}
    if request.method == "HEAD":
        return Response(b"", content_type="application/gzip", headers=headers)
    if not DUMPS_AT_ONCE.acquire(blocking=False):  # a dump holds a thread for minutes: only so many
        return Response(f"{DUMPS_AT_ONCE_COUNT} downloads are running; try again in a minute.\n", status=503,
                        content_type="text/plain; charset=utf-8", headers={"Retry-After": "60"})
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", dump_process.__name__, "--store", backend().settings.store, "--format", fmt],
            stdout=subprocess.PIPE, stdin=subprocess.DEVNULL,
        )
    except BaseException:
        DUMPS_AT_ONCE.release()
        raise

    out = process.stdout
    if out is None:
        raise RuntimeError("the dump process has no pipe")

    def stream():
        try:
            while True:
                chunk = out.read(CHUNK)
                if not chunk:
                    break
                yield chunk
        finally:
            if process.poll() is None:
                process.kill()
            out.close()
            process.wait()
            DUMPS_AT_ONCE.release()

    return Response(stream_with_context(stream()), content_type="application/gzip", headers=headers)
