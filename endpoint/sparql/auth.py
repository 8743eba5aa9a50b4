"""Bearer-token check for writes (SPARQL Update and Graph Store PUT, POST, DELETE)."""
from __future__ import annotations

import hmac

from flask import request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Forbidden, Unauthorized

from kamergraph.endpoint import security

REALM = "kamergraph"


def require_writer(token: str | None) -> None:
    """Return when the request carries the configured write token; raise 401 or 403 otherwise."""
    security.same_origin_only()
    if not token:
        raise Forbidden("Writes are switched off on this server: no write token is configured.")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise Unauthorized(
            "This request writes to the store and needs 'Authorization: Bearer <token>'.",
            www_authenticate=WWWAuthenticate("bearer", {"realm": REALM}),
        )
    # Constant-time comparison, so the token cannot be guessed byte by byte from response times.
    if not hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8")):
        raise Forbidden("The bearer token is not the one that allows writes.")
