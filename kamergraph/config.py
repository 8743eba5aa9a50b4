"""Settings: defaults, overridden by KAMERGRAPH_* environment variables, overridden by CLI options."""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from kamergraph.iris import DEFAULT_BASE_IRI, normalised_base

DEFAULT_STORE = os.path.join("var", "store")


class SettingError(ValueError):
    """A setting with a value it cannot take; the message names the setting, the value and what
    to give instead, in one line for the user."""


@dataclass(frozen=True)
class Settings:
    store: str = DEFAULT_STORE  # a folder (embedded Oxigraph) or an http(s) URL (remote SPARQL store)
    base_iri: str = DEFAULT_BASE_IRI
    query_timeout: float = 30.0  # seconds a SPARQL query may run before it is stopped
    read_timeout: float = 10.0  # seconds a client has to send a whole request before it gets 408
    # Seconds a page waits for the first build of the page index when there is none to serve (a new
    # store, a deleted file, a format no longer read), before it answers 503 with Retry-After.
    index_wait: float = 2.0
    max_rows: int = 10_000  # result rows returned at most by /sparql
    max_body: int = 1_048_576  # request body bytes accepted at most
    max_response: int = 33_554_432  # result bytes (about) sent at most; the rest is cut, with X-Result-Truncated
    query_memory: int = 2_147_483_648  # bytes of data a query or write process may take (RLIMIT_DATA)
    write_token: str | None = None  # bearer token for SPARQL Update and Graph Store writes; None: no writes
    allow_service: bool = False  # SERVICE to other endpoints in queries
    query_workers: int = 2  # processes that run SPARQL queries for the server
    page_workers: int = 2  # processes that run the site's own page queries, so slow SPARQL cannot hold pages
    # Reverse proxies in front of the server whose X-Forwarded-For/-Proto/-Host/-Prefix headers are
    # trusted (werkzeug's ProxyFix); 0: the headers are ignored, as anyone could send them.
    trusted_proxies: int = 0
    # Host names the server answers for besides the base IRI's and the loopback names, comma-separated
    # (".example.org" takes its subdomains too); any other Host header is a 400, so no link or redirect
    # built from the request's host can point elsewhere.
    allowed_hosts: str = ""
    ingest_time: datetime | None = field(default=None)  # fixed time of ingest (SOURCE_DATE_EPOCH)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = environ.get("KAMERGRAPH_" + f.name.upper())
            if raw is not None and raw != "":
                values[f.name] = _convert(f.name, raw)
        if environ.get("SOURCE_DATE_EPOCH"):
            try:
                values["ingest_time"] = datetime.fromtimestamp(int(environ["SOURCE_DATE_EPOCH"]), UTC)
            except (ValueError, OverflowError, OSError):
                raise SettingError(f"SOURCE_DATE_EPOCH={environ['SOURCE_DATE_EPOCH']!r} is not a time in "
                                   "seconds since 1970; set it to one or unset it") from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def __post_init__(self) -> None:
        # Checked and normalised here, once, so no caller has to.
        _check_base_iri(self.base_iri)
        object.__setattr__(self, "base_iri", normalised_base(self.base_iri))

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _check_base_iri(base: str) -> None:
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c in base for c in ' <>"{}|^`\\\t\n\r'):
        raise SettingError(f"the base IRI {base!r} is not an absolute http(s) IRI; "
                           "give one such as https://kamergraph.nl/ (--base-iri or KAMERGRAPH_BASE_IRI)")


_SECONDS = ("query_timeout", "read_timeout", "index_wait")


def _convert(name: str, raw: str) -> Any:
    variable = "KAMERGRAPH_" + name.upper()
    try:
        if name in _SECONDS:
            value: Any = float(raw)
            if not value > 0:
                raise ValueError(raw)
            return value
        if name in ("max_rows", "max_body", "max_response", "query_memory", "query_workers", "page_workers",
                    "trusted_proxies"):
            value = int(raw)
            if value < 0 or (value == 0 and name != "trusted_proxies"):
                raise ValueError(raw)
            return value
        if name == "ingest_time":
            return datetime.fromisoformat(raw)
    except ValueError:
        kind = "a number of seconds above 0, such as 30" if name in _SECONDS else (
            "a whole number of 0 or more" if name == "trusted_proxies" else "a whole number above 0")
        raise SettingError(f"{variable}={raw!r} is not {kind}; set it to one or unset it") from None
    if name == "allow_service":
        return raw.lower() in ("1", "true", "yes", "on")
    return raw
