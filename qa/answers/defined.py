"""Short names a document defines for a longer one, as reports, contracts and policy texts do: "the
Implementation Opinions on Promoting Rural Trade (hereinafter referred to as the Opinions)",
"Microsoft Corporation ("Microsoft")". A later sentence of that document that uses the short name
("The Opinions put forward 14 measures") speaks of the long one, so it holds the long name's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from qa.search.tokenizer import tokenize

_ALIAS = r"(?P<alias>[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,3})"
#: "(hereinafter referred to as the Opinions)", "(hereafter "the Fund")", "(the "Company")": a
#: parenthesis defining a short name. A parenthesis holding a capitalised word and no more ("(Turbinia)")
#: is no definition.
_QUOTED = _ALIAS.replace("alias", "quoted")
_DEFINES = re.compile(
    r"\(\s*(?:(?:hereinafter|hereafter)(?:\s+(?:referred\s+to\s+as|called|known\s+as))?,?\s+(?:the\s+)?"
    rf"[\"\u201c]?{_ALIAS}[\"\u201d]?|(?:the\s+)?[\"\u201c]{_QUOTED}[\"\u201d])\s*\)"
)
#: Short words a long name leaves in lower case between its capitalised words.
_JOINS = frozenset(["of", "and", "the", "on", "for", "in", "with", "to", "by", "from"])
#: A word of the long name, read back from the parenthesis: capitalised, or a joining word.
_NAME_WORD = re.compile(rf"^(?:[A-Z][\w'-]*|{'|'.join(sorted(_JOINS))})$")


@dataclass(frozen=True)
class Definition:
    """A short name (``alias``) and the words of the long name it stands for, from offset ``start``
    of the document on."""

    alias: str
    terms: frozenset[str]
    start: int

    def used_in(self, text: str) -> bool:
        """Whether ``text`` uses the short name as a whole word, as defined (capitalised)."""
        return re.search(rf"\b{re.escape(self.alias)}\b", text) is not None


def _long_name(before: str) -> str:
    """The capitalised run that ends ``before`` (joining words inside it), without leading joins."""
    words = before.split()
    run: list[str] = []
    for word in reversed(words):
        if not _NAME_WORD.match(word):
            break
        run.append(word)
    run.reverse()
    while run and run[0] in _JOINS:
        run.pop(0)
    return " ".join(run)


def defining(text: str) -> list[tuple[int, int]]:
    """Where ``text`` defines a short name (offsets of each parenthesis): a name inside one restates
    the long name before it, and is no answer of its own."""
    return [m.span() for m in _DEFINES.finditer(text)] if "(" in text else []


@lru_cache(maxsize=1024)
def definitions(body: str) -> tuple[Definition, ...]:
    """The short names ``body`` defines, in order; a name the document defines twice keeps both."""
    out = []
    for m in _DEFINES.finditer(body):
        alias = m.group("alias") or m.group("quoted")
        name = _long_name(body[: m.start()])
        terms = frozenset(tokenize(name)) - frozenset(tokenize(alias))
        if name and terms:
            out.append(Definition(alias, terms, m.end()))
    return tuple(out)
