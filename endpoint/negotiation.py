"""Content negotiation, shared by the SPARQL service and the site: a format parameter, else the
Accept header.

What is offered differs: the SPARQL service offers result formats (``runtime.formats``, plain data
the query processes use, so without werkzeug), the site offers representations of a page
(``site.representations``). Each offer has a canonical media type and aliases; the Accept header
is matched against all of them by werkzeug's ``MIMEAccept.best_match`` (q-values, wildcards), the
canonical types first, so that a wildcard picks a canonical one. Media-type parameters in the
Accept header (``text/turtle; charset=utf-8``) are understood: every answer is UTF-8, so a charset
of UTF-8 is met and the type matches as if it had none; a type asked for in another charset is
not offered.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Protocol, TypeVar

from werkzeug.datastructures import MIMEAccept, MultiDict
from werkzeug.http import parse_accept_header

from kamergraph.endpoint.runtime.formats import Format, by_name

# The parameters SPARQL clients add to ask for a format (SPARQLWrapper sends format and output).
PROTOCOL_PARAMETERS = ("format", "output", "results")
# The parameters a page takes instead of a suffix, for clients that can set neither path nor header.
PAGE_PARAMETERS = ("format", "_format")


class Offer(Protocol):
    @property
    def media_type(self) -> str: ...

    @property
    def aliases(self) -> tuple[str, ...]: ...


OfferT = TypeVar("OfferT", bound=Offer)


def format_requests(params: MultiDict, names: Sequence[str] = PROTOCOL_PARAMETERS) -> tuple[str, ...]:
    """The values of the format parameters ``names`` in ``params``, in that order."""
    return tuple(value for name in names for value in params.getlist(name))


def plain_types(accept: MIMEAccept) -> MIMEAccept:
    """The Accept header with its media types' parameters taken off (werkzeug would match
    ``text/turtle; charset=utf-8`` only to an offer with that very parameter): a charset other than
    UTF-8 drops the type, any other parameter is dropped."""
    ranges = []
    for value, quality in accept:
        media_type, *params = (part.strip() for part in value.split(";"))
        charsets = {p.partition("=")[2].strip('" ').lower() for p in params if p.lower().startswith("charset=")}
        if charsets - {"utf-8", "utf8", "*"}:
            continue
        ranges.append((media_type, quality))
    return MIMEAccept(ranges)


def by_accept(offered: Sequence[OfferT], accept: MIMEAccept) -> tuple[OfferT, str] | None:
    """The offer the Accept header prefers and the media type it matched (the canonical one or an
    alias); None when it accepts none of them. No Accept header takes anything: the first offer."""
    if not accept:
        return offered[0], offered[0].media_type
    accept = plain_types(accept)
    best = accept.best_match([o.media_type for o in offered] + [a for o in offered for a in o.aliases])
    for offer in offered:
        if best == offer.media_type:
            return offer, best
    for offer in offered:
        if best in offer.aliases:
            return offer, best
    return None


# Negotiated answers by the Accept header's text: clients send the same few headers again and again,
# and parsing and matching one costs more than the rest of a cheap request's view. Keyed by the
# offers' identity (module constants), which each entry holds, so a reused id never matches.
_MATCHES: dict[tuple, tuple[object, object]] = {}
MATCHES_KEPT = 1024  # different headers remembered; beyond, the memo starts again


def _remembered(offered: object, key: tuple, compute):
    entry = _MATCHES.get((id(offered), *key))
    if entry is not None and entry[0] is offered:
        return entry[1]
    result = compute()
    if len(_MATCHES) >= MATCHES_KEPT:
        _MATCHES.clear()
    _MATCHES[(id(offered), *key)] = (offered, result)
    return result


def by_accept_header(offered: Sequence[OfferT], header: str | None) -> tuple[OfferT, str] | None:
    """``by_accept`` for the text of an Accept header (None: no header), parsed as werkzeug parses
    ``request.accept_mimetypes``, each header once."""
    return _remembered(offered, ("accept", header or ""),
                       lambda: by_accept(offered, parse_accept_header(header, MIMEAccept)))


def negotiate_header(formats: Sequence[Format], header: str | None, requested: tuple[str, ...] = ()) -> Format | None:
    """``negotiate`` for the text of an Accept header (None: no header), each header once."""
    return _remembered(formats, ("negotiate", header or "", requested),
                       lambda: negotiate(formats, parse_accept_header(header, MIMEAccept), requested))


def negotiate(formats: Sequence[Format], accept: MIMEAccept, requested: Iterable[str] = ()) -> Format | None:
    """The result format to answer in; None when the client accepts none of them (406).

    A requested format of the right kind wins; other values are ignored. When the client named only
    an alias (``application/json``), the answer is labelled with that alias, so its Content-Type is
    always one the client accepts.
    """
    for value in requested:
        chosen = by_name(formats, value)
        if chosen is not None:
            return chosen
    matched = by_accept(formats, accept)
    if matched is None:
        return None
    fmt, media_type = matched
    return fmt if media_type == fmt.media_type else replace(fmt, media_type=media_type, aliases=())
