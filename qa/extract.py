"""Typed spans in a sentence: dates and years, counts, money, percentages, named bodies and documents.

These are the candidates for a short answer; each keeps its offsets in the text it came from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from qa.models import Span
from qa.text import tokenize

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan\\.|Feb\\.|Mar\\.|Apr\\.|Jun\\.|Jul\\.|Aug\\.|Sept?\\.|Oct\\.|Nov\\.|Dec\\."
)
_YEAR = r"(?:19|20)\d\d"
_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?(?!\d|[.,]\d|[A-Za-z])"
_SCALE = r"(?:thousand|million|billion|trillion)"
_QUAL = r"(?:(?:about|around|over|more than|nearly|almost|exceeding|up to|not less than|at least)\s+)?"
_CAP = (  # a capitalised word, or a year, "No. 1", "14th", a quoted phrase or "(2024-2027)" inside a name
    r"(?:[A-Z][\w'\u2019-]*|(?<=\s)\d{4}(?=\s+[A-Z])|[A-Z]{2,}|No\.\s?\d+|\d+(?:st|nd|rd|th)"
    r"|\"[^\"]+\"|\([\d\u2013-]+\))"
)
_JOIN = r"(?:\s+(?:of|and|for|on|in|the|with|to)\s+(?:the\s+)?|\s+|-)"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "date",
        re.compile(
            rf"\b(?:(?:early|late|mid|the end of|end of)\s+)?(?:{_MONTHS})(?:\s+\d{{1,2}},?)?\s+{_YEAR}\b"
            rf"|\b(?:early|late|mid)[\s-]{_YEAR}\b"
            rf"|\b(?:{_MONTHS})(?=\s+this year\b|\s+last year\b)"
        ),
    ),
    ("year", re.compile(rf"(?<![\d,.])\b{_YEAR}(?:\s?[-\u2013]\s?{_YEAR})?\b(?![\d,.%]\d|%)")),
    ("percent", re.compile(rf"{_QUAL}(?<![\d.]){_NUM}\s?(?:%|percentage points?\b|percent\b|per cent\b)")),
    ("money", re.compile(rf"{_QUAL}(?<![\d.]){_NUM}(?:\s+{_SCALE})?\s+(?:yuan|RMB|dollars|US dollars)\b")),
    (
        "count",
        re.compile(
            rf"{_QUAL}(?<![\d.,]){_NUM}(?:\s+{_SCALE})?(?:\s+units\b)?(?!\s*(?:%|percent|per cent|yuan|RMB))"
        ),
    ),
    ("name", re.compile(rf"(?:\bthe\s+)?{_CAP}(?:{_JOIN}{_CAP})*")),
)

_ORG_HEADS = re.compile(
    r"\b(Ministry|Ministries|Council|Committee|Office|Group|Department|Bureau|Administration|Commission|"
    r"Party|Government|Center|Centre|University|Hall|Institute|Association|Bank|system|cooperatives)\b"
)
_DOC_HEADS = re.compile(
    r"\b(Document|Plan|Notice|Opinions|Outline|Law|Regulations?|Guidelines?|Programme|Program|Report)\b"
    r"(?:\s*\([\d\u2013-]+\))?"
)


@dataclass(frozen=True)
class Candidate:
    """A typed span: ``text[start:end]`` of the sentence (or body) it was found in."""

    type: str  # date, year, percent, money, count, org, doc
    text: str
    start: int
    end: int


def _name_type(span: str) -> str | None:
    words = span.split()
    if len(words) < 2 and not span.isupper():
        return None
    if _DOC_HEADS.search(span):
        return "doc"
    if _ORG_HEADS.search(span):
        return "org"
    return None


def candidates(text: str, offset: int = 0) -> list[Candidate]:
    """Every typed span of ``text``, offsets shifted by ``offset``; earlier types win overlaps."""
    found: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span()
            span = m.group(0).strip()
            if kind == "name":
                typed = _name_type(span)
                if typed is None:
                    continue
                kind_out = typed
            else:
                kind_out = kind
            if kind == "count" and re.fullmatch(rf"{_QUAL}{_YEAR}", span):
                continue  # a bare year is a year, not a count
            if any(s < end and start < e for s, e in taken) and kind != "name":
                continue
            found.append(Candidate(kind_out, span, offset + start, offset + start + len(span)))
            if kind != "name":
                taken.append((start, end))
    return sorted(found, key=lambda c: (c.start, c.end))


def nearest_candidate(
    found: Sequence[Candidate], sentence: Span, terms: Sequence[str], type_order: Sequence[str]
) -> Span | None:
    """The candidate closest to the question's ``terms`` in ``sentence``; None when there is none.

    Types earlier in ``type_order`` win; then closeness: the sum, over the terms found in the
    sentence, of the distance in words from the candidate to the nearest occurrence of the term.
    A candidate outside the sentence (taken from the one before) counts from its first word."""
    if not found:
        return None
    order = {t: i for i, t in enumerate(type_order)}
    wanted = set(terms)
    words = [(m.start(), set(tokenize(m.group(0)))) for m in re.finditer(r"\S+", sentence.text)]
    places: dict[str, list[int]] = {}
    for i, (_, toks) in enumerate(words):
        for t in toks & wanted:
            places.setdefault(t, []).append(i)

    def distance(c: Candidate) -> int:
        digit = re.search(r"\d", c.text)  # a number's place is its digits, not "about" or "yuan"
        pos = c.start - sentence.start + (digit.start() if digit else 0)
        at = max((i for i, (start, _) in enumerate(words) if start <= pos), default=0)
        return sum(min(abs(i - at) for i in where) for where in places.values())

    best = min(found, key=lambda c: (order.get(c.type, len(order)), distance(c), c.start))
    return Span(best.text, best.start, best.end)
