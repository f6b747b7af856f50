"""Dates in questions and texts: a date by which a question names a text ("the 2024 Economic Daily
piece"), and the words by which a text dates what it tells by its own time ("recently issued")."""

from __future__ import annotations

import re

from qa.text import tokenize

_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
_TEXT_WORD = (
    r"(?:piece|article|commentary|report|essay|paper|explainer|opinions|document|plan|notice|guidance"
    r"|guidelines?|text|story|editorial|column|interview|op-ed|analysis)s?"
)
#: A date naming a text: "the 2024 Economic Daily piece", "the piece from March 2026", "(Economic
#: Daily, 2024)", "Economic Daily, March 2026: ...", "Economic Daily 2026 piece"; not "in 2024" or
#: "in 2024 reports", the time of a fact.
_TEXT_DATE = re.compile(
    rf"\b(?:the|its|their|this|that)\s+(?P<l>{_MONTH}\s+)?(?P<a>(?:19|20)\d\d)(?:'s)?\s+(?:[\w.-]+\s+){{0,4}}?"
    rf"{_TEXT_WORD}\b"
    rf"|\b{_TEXT_WORD}\s+(?:(?:published|dated|released|issued)\s+)?(?:from|of|in)\s+(?P<m>{_MONTH}\s+)?"
    rf"(?P<b>(?:19|20)\d\d)\b"
    rf"|[(,]\s*(?P<n>{_MONTH}\s+)?(?P<c>(?:19|20)\d\d)\s*(?:\)|:)"
    rf"|(?<!\bin )(?<!\bby )(?<!\bsince )(?<!\bfor )\b(?P<o>{_MONTH}\s+)?(?P<d>(?:19|20)\d\d)\s+"
    rf"{_TEXT_WORD}\b",
    re.IGNORECASE,
)


#: What dates an event by the time of the text that tells it ("recently jointly issued").
RECENT = re.compile(r"\b(?:recently|this year|this time|currently|at present)\b", re.IGNORECASE)


def text_dates(question: str) -> set[str]:
    """Terms of the dates (years and their months) by which ``question`` names a text."""
    found: set[str] = set()
    for m in _TEXT_DATE.finditer(question):
        found |= {t for g in m.groupdict().values() if g for t in tokenize(g)}
    return found
