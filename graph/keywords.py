"""Finding a SPARQL keyword in query text without a parser: outside strings, IRIs and comments.

Cheap enough for every query, and exact for keywords that can stand nowhere else (SERVICE, LOAD,
FROM): a word is a keyword unless it is part of a prefixed name (``service:p``, ``ex:from``), a
variable, a blank node label or a language tag.
"""
from __future__ import annotations

import re

# Where a keyword is not a keyword: long and short strings, IRIs, comments (a comment ends at a
# line feed or a carriage return, as in SPARQL and Oxigraph; an escaped \# in a prefixed name is
# part of the name).
_NOT_CODE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|(?<!\\)#[^\n\r]*",
    re.DOTALL,
)


def keywords_in(text: str, keywords: set[str]) -> set[str]:
    """The keywords that stand as words in the SPARQL text."""
    code = _NOT_CODE.sub(" ", text)
    return {keyword for keyword in keywords
            if re.search(rf"(?<![\w:?$@\\.-]){keyword}(?![\w:.-])", code, re.IGNORECASE)}
