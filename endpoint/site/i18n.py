"""The site's languages: Dutch by default, English as a switch.

The templates are written with English message ids; ``translations/nl.po`` gives the Dutch for each.
The catalog is read (and compiled in memory) once at start-up, so neither a build step nor network
is needed. The language of a request is ``?lang=`` when given (and then kept in a cookie), else the
cookie, else Dutch. Accept-Language is not consulted: the content (titles, questions, answers) is
Dutch whatever the frame says, and a site for Dutch readers should not turn English because a
browser was installed in English; the switch on every page is one click.
"""
from __future__ import annotations

import datetime as dt
from io import BytesIO
from pathlib import Path
from urllib.parse import urlencode

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations
from flask import Flask, Response, g, request

DEFAULT = "nl"
LANGUAGES = ("nl", "en")
COOKIE = "lang"
CATALOGS = Path(__file__).resolve().parent.parent / "translations"
_YEAR = 365 * 24 * 3600


def load_catalogs(folder: Path = CATALOGS) -> dict[str, NullTranslations]:
    """Each language's translations: English is the message ids themselves."""
    found: dict[str, NullTranslations] = {"en": NullTranslations()}
    for language in LANGUAGES:
        po = folder / f"{language}.po"
        if language == "en" or not po.is_file():
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        compiled = BytesIO()
        write_mo(compiled, catalog)
        compiled.seek(0)
        found[language] = Translations(compiled)
    if DEFAULT not in found:
        raise RuntimeError(f"{folder / (DEFAULT + '.po')}: the default language's catalog is missing")
    return found


def chosen_language() -> str:
    """This request's language (see the module's comment)."""
    if "lang" in g:
        return g.lang
    asked = request.args.get("lang", "")
    language = asked if asked in LANGUAGES else request.cookies.get(COOKIE, "")
    g.lang = language if language in LANGUAGES else DEFAULT
    return g.lang


_CATALOGS: dict[str, NullTranslations] = {}


def _translations() -> NullTranslations:
    return _CATALOGS[chosen_language()]


# Jinja's newstyle callables put in the variables (and escape them) themselves.
def gettext(message: str) -> str:
    return _translations().ugettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations().ungettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a text for the catalog where it is defined; a template translates it where it is shown
    (its machine twins, JSON and CSV, keep the English)."""
    return message


def number(value) -> str:
    """A count written as the language writes it: 1.234 in Dutch, 1,234 in English."""
    return format_decimal(value, locale=chosen_language())


def percent(value) -> str:
    """A share (0.73) as the language writes a percentage."""
    return format_percent(value, locale=chosen_language())


def long_date(value) -> str:
    """``3 december 2026`` (or ``December 3, 2026``) for a date or an ISO date text; other text as it is."""
    if value is None or value == "":
        return ""
    day = value if isinstance(value, dt.date) else None
    if day is None:
        try:
            day = dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            return str(value)
    return format_date(day, format="long", locale=chosen_language())


def switch_href(language: str) -> str:
    """This page's address in another language (its other parameters kept)."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [language]
    return f"{request.script_root}{request.path}?{urlencode(args, doseq=True)}"


def _remember(response: Response) -> Response:
    """Keep an explicit choice; and tell caches that HTML pages differ by the cookie."""
    asked = request.args.get("lang", "")
    if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=_YEAR, samesite="Lax", httponly=True)
    if response.mimetype == "text/html":
        response.vary.add("Cookie")
        response.headers["Content-Language"] = chosen_language()
    return response


def init_app(app: Flask) -> None:
    """Jinja's i18n extension with this request's catalog, the date filter and the switch."""
    _CATALOGS.update(load_catalogs())
    env = app.jinja_env
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(longdate=long_date, number=number, percent=percent)
    env.globals.update(lang=chosen_language, switch_href=switch_href)
    app.after_request(_remember)
