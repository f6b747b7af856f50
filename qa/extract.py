"""Typed spans in a sentence: dates and years, counts, money, percentages, named bodies and documents.

These are the candidates for a short answer; each keeps its offsets in the text it came from.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from qa.models import Span
from qa.query import Question
from qa.text import YEAR, tokenize

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan\\.|Feb\\.|Mar\\.|Apr\\.|Jun\\.|Jul\\.|Aug\\.|Sept?\\.|Oct\\.|Nov\\.|Dec\\."
)
_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?(?!\d|[.,]\d|[A-Za-z])"
_SCALE = r"(?:thousand|million|billion|trillion)"
_QUAL = r"(?:(?:about|around|over|more than|nearly|almost|exceeding|up to|not less than|at least)\s+)?"
_CAP = (  # a capitalised word, or a year, "No. 1", "14th", a quoted phrase or "(2024-2027)" inside a name
    r"(?:No\.\s?\d+|[A-Z][\w'\u2019-]*|(?<=\s)\d{4}(?=\s+[A-Z])|[A-Z]{2,}|\d+(?:st|nd|rd|th)"
    r"|\"[^\"]+\"|\([\d\u2013-]+\))"
)
#: Counts written as words ("three-tier logistics"), lower case only: "Ten Major Projects" is a name.
_NUMBER_WORDS = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|hundreds|thousands|millions"
)
_JOIN = r"(?:\s+(?:of|and|for|on|in|the|with)\s+(?:the\s+)?|\s+|-)"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "date",
        re.compile(
            rf"\b(?:(?:early|late|mid|the end of|end of)\s+)?(?:{_MONTHS})(?:\s+\d{{1,2}},?)?\s+{YEAR}\b"
            rf"|\b(?:early|late|mid)[\s-]{YEAR}\b"
            rf"|\b(?:{_MONTHS})(?=\s+this year\b|\s+last year\b)"
        ),
    ),
    ("year", re.compile(rf"(?<![\d,.])\b{YEAR}(?:\s?[-\u2013]\s?{YEAR})?\b(?![\d,.%]\d|%)")),
    ("percent", re.compile(rf"{_QUAL}(?<![\d.]){_NUM}\s?(?:%|percentage points?\b|percent\b|per cent\b)")),
    ("money", re.compile(rf"{_QUAL}(?<![\d.]){_NUM}(?:\s+{_SCALE})?\s+(?:yuan|RMB|dollars|US dollars)\b")),
    (
        "count",
        re.compile(
            rf"{_QUAL}(?<![\d.,])(?<!No\.\s)(?<!No\.){_NUM}(?:\s+{_SCALE})?(?:\s+units\b)?"
            r"(?!\s*(?:%|percent|per cent|yuan|RMB))"
        ),
    ),
    (
        "person",
        re.compile(
            r"\b(?:(?:Vice )?(?:Minister|Premier|President|Director|Secretary|Chairman|Chairwoman)"
            r"|Mr\.|Ms\.|Mrs\.|Dr\.|Professor|Prof\.)\s+[A-Z][a-z]+(?:[\s-][A-Z][a-z]+){0,2}"
        ),
    ),
    ("countword", re.compile(rf"(?<![\w-]){_QUAL}(?:{_NUMBER_WORDS})(?=[\s-])")),
    ("name", re.compile(rf"(?:\bthe\s+)?{_CAP}(?:{_JOIN}{_CAP})*")),
)

_OWNER = re.compile(r"[A-Z][\w-]*['\u2019]s\s+")
#: A country after a body's name ("... Poverty Alleviation and Development of China"): not the name.
_COUNTRY_TAIL = re.compile(r"\s+of\s+(?:the\s+People['\u2019]s\s+Republic\s+of\s+)?China$")
_ORG_HEADS = re.compile(
    r"\b(Ministry|Ministries|Council|Committee|Office|Group|Department|Bureau|Administration|Commission|"
    r"Party|Government|Center|Centre|University|Hall|Institute|Association|Bank|system|cooperatives)\b"
)
_DOC_HEADS = re.compile(
    r"\b(Document|Plan|Notice|Opinions|Outline|Law|Regulations?|Guidelines?|Programme|Program|Report)\b"
    r"(?:\s*\([\d\u2013-]+\))?"
)

#: What ends a place's name ("Zhejiang Province", "Lishui City", "Guangxi Zhuang Autonomous Region").
_PLACE_TAIL = re.compile(r"\b(Province|City|County|Prefecture|Region|Municipality|District|Village|Town)$")


@dataclass(frozen=True)
class Candidate:
    """A typed span: ``text[start:end]`` of the sentence (or body) it was found in."""

    type: str  # date, year, percent, money, count, countword (a count in words), person, org, doc, place
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
    if _PLACE_TAIL.search(span):
        return "place"
    return None


_BODY_HEAD = r"(?:system|cooperatives|companies|enterprises|institutions|banks|platforms)\b"
#: Bodies named in lower case, as the ones a policy supports or guides ("It also supported *the postal
#: system and supply and marketing cooperatives* to establish service outlets").
_BODY = re.compile(
    r"\b(?:support(?:ed|ing|s)?|encourag(?:ed|ing|es?)|guid(?:ed|ing|es?)|urg(?:ed|ing|es?)|enabl(?:ed|ing|es?))"
    rf"\s+(?P<body>(?:the\s+)?(?:[a-z-]+\s+){{0,3}}?{_BODY_HEAD}"
    rf"(?:\s+and\s+(?:the\s+)?(?:[a-z-]+\s+){{0,3}}?{_BODY_HEAD})?)"
)


def candidates(text: str, offset: int = 0) -> list[Candidate]:
    """Every typed span of ``text``, offsets shifted by ``offset``; earlier types win overlaps."""
    found = [
        Candidate("org", m["body"], offset + m.start("body"), offset + m.end("body"))
        for m in _BODY.finditer(text)
    ]
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
                tail = _COUNTRY_TAIL.search(span)
                if tail and _name_type(span[: tail.start()]) == typed:
                    span = span[: tail.start()]
                owner = _OWNER.match(span)  # "China's Ministry of Finance": the ministry is the name
                if owner and _name_type(span[owner.end() :]) == typed:
                    start, span = start + m.group(0).index(span) + owner.end(), span[owner.end() :]
                    found.append(Candidate(kind_out, span, offset + start, offset + start + len(span)))
                    continue
            else:
                kind_out = kind
            if kind == "count" and re.fullmatch(rf"{_QUAL}{YEAR}", span):
                continue  # a bare year is a year, not a count
            if any(s < end and start < e for s, e in taken) and kind != "name":
                continue
            found.append(Candidate(kind_out, span, offset + start, offset + start + len(span)))
            if kind != "name":
                taken.append((start, end))
    return sorted(found, key=lambda c: (c.start, c.end))


#: A question about the first time something happened ("when did … first …").
_ASKS_FIRST = re.compile(r"\b(?:first|earliest|initially|originally)\b")

#: Words just before a figure that make it a bound ("not less than 50%") rather than what happened.
_BOUND = re.compile(r"(not (be )?less than|no less than|at least|minimum of|not lower than)\s*$", re.I)
#: Words just before a figure that make it a change ("an increase of 15.57 million").
_CHANGE = re.compile(
    r"(increase[ds]?|growth|grew|grown|rise|rose|risen|up|decrease[ds]?|decline[ds]?|drop(ped)?|fell|"
    r"fall|by|net increase)( of| by)?\s*(about |around |nearly |almost |over |more than )?$",
    re.I,
)
#: Question words asking for a bound or for a change.
_ASKS_BOUND = re.compile(
    r"\b(minimum|at least|least|required?|requirement|threshold|target|expected|should)\b"
)
_ASKS_CHANGE = re.compile(
    r"\b(grow|grew|grown|growth|increased?|rise|rose|risen|fall|fell|decline[ds]?|drop(ped)?|"
    r"year[- ]on[- ]year|by how (many|much)|up by|add(?! up)|added|net)\b"
)
_RESPECTIVELY = re.compile(r"\brespectively\b", re.I)
#: A difference of two rates ("1.3 percentage points higher than ..."), and a question asking for one.
_POINTS = re.compile(r"\bpercentage points?\b", re.I)
_ASKS_POINTS = re.compile(r"\b(points?|gap|outpac\w*|faster|slower|difference|ahead)\b")
#: A question asking what part of a whole something is ("what share of sales came from ...").
_ASKS_PART = re.compile(r"\b(share|proportion|percentage|percent|fraction|portion)\s+of\b")
#: Words shortly before a percentage that make it a rate of change ("a year-on-year growth rate of").
_RATE_WORDS = re.compile(
    r"\b(increase[ds]?|growth|grew|rise|rose|year-on-year|higher|lower|faster|slower|up|down)\b", re.I
)


def rate_for_part(question: str, short: Span, sentence: Span) -> bool:
    """Whether ``short`` is a rate of change or a gap between rates ("an increase of 6.7%", "8.8%
    higher than the previous year", "8.9 percentage points higher") while ``question`` asks what
    part of a whole something is ("what share of 2025 sales came from livestreaming?") and asks for
    no change."""
    lowered = question.lower()
    if not _ASKS_PART.search(lowered) or _ASKS_CHANGE.search(lowered) or _ASKS_POINTS.search(lowered):
        return False
    if _POINTS.search(short.text):
        return True
    before = sentence.text[: short.start - sentence.start].split()[-5:]
    after = sentence.text[short.end - sentence.start :].split()[:2]  # "8.8% higher than ..."
    return bool(_RATE_WORDS.search(" ".join(before + after)))


#: Words before a short name that stands for a full one given earlier ("(hereinafter referred to as
#: the Opinions)"): the full name is the answer.
_ALIAS = re.compile(r"(referred to as|hereinafter|short for|abbreviated as|known as)\s*$", re.I)


def _prefix(sentence: Span, c: Candidate) -> str:
    return sentence.text[: max(0, c.start - sentence.start)][-40:]


def _respective(found: Sequence[Candidate], sentence: Span, weight: dict[str, float]) -> Candidate | None:
    """For "A ..., and B ..., X and Y respectively": the figure paired with the subject that the
    question's terms single out (None when the sentence is not of that form or nothing decides)."""
    listed = [c for c in found if sentence.start <= c.start < sentence.end]
    if len(listed) < 2 or not _RESPECTIVELY.search(sentence.text):
        return None
    for a, b in itertools.pairwise(listed):  # the figures must form one list: "X, Y and Z"
        between = sentence.text[a.end - sentence.start : b.start - sentence.start]
        if not re.fullmatch(r"\s*(,|and|, and)\s*", between):
            return None
    head = sentence.text[: listed[0].start - sentence.start]
    parts = [p for p in re.split(r",?\s+and\s+|;\s*", head) if p.strip()][-len(listed) :]
    if len(parts) != len(listed):
        return None
    parts[-1] = parts[-1].rsplit(",", 1)[0]  # not the words that introduce the figures ("an increase of")
    subject = {t for t in weight if not any(c.isdigit() for c in t)}  # a year qualifies every part
    held = [set(tokenize(p)) & subject for p in parts]
    own = [sum(weight[t] for t in h - set().union(*(o for o in held if o is not h))) for h in held]
    best = max(range(len(own)), key=lambda i: own[i])
    if own.count(own[best]) > 1:
        return None
    return listed[best]


def nearest_candidate(
    found: Sequence[Candidate], sentence: Span, q: Question, weights: dict[str, float] | None = None
) -> Span | None:
    """The candidate that answers ``q``: the one closest to its search terms in ``sentence``;
    None when there is none.

    Types earlier in ``q.answer_types`` win; then a figure of the right sort for the question (a
    bound such as "not less than 50%" only when the question asks for a minimum or target; a
    change such as "an increase of 15.57 million" first when it asks how much something grew);
    then closeness: the sum, over the terms found in the sentence, of the distance in words from
    the candidate to the nearest occurrence of the term. "X and Y respectively" goes to the figure
    paired with the subject that the question singles out, by the ``weights`` (idf) of its terms.
    A difference in "percentage points" goes last unless the question asks for points or a gap.
    A candidate outside the sentence (taken from the one before) counts from its first word."""
    if not found:
        return None
    order = {t: i for i, t in enumerate(q.answer_types)}
    weight = {t: (weights or {}).get(t, 1.0) for t in q.search_terms}
    lowered = q.text.lower()
    asks_bound, asks_change = bool(_ASKS_BOUND.search(lowered)), bool(_ASKS_CHANGE.search(lowered))
    asks_points = bool(_ASKS_POINTS.search(lowered))
    words = [(m.start(), set(tokenize(m.group(0)))) for m in re.finditer(r"\S+", sentence.text)]
    places: dict[str, list[int]] = {}
    for i, (_, toks) in enumerate(words):
        for t in toks & set(weight):
            places.setdefault(t, []).append(i)

    def sort(c: Candidate) -> int:
        before = _prefix(sentence, c)
        wrong = int(not asks_bound and bool(_BOUND.search(before))) + int(bool(_ALIAS.search(before)))
        wrong += int(not asks_points and bool(_POINTS.search(c.text)))
        if asks_change:
            wrong += int(not _CHANGE.search(before))
        return wrong

    def at(c: Candidate) -> int:
        digit = re.search(r"\d", c.text)  # a number's place is its digits, not "about" or "yuan"
        pos = c.start - sentence.start + (digit.start() if digit else 0)
        return max((i for i, (start, _) in enumerate(words) if start <= pos), default=0)

    def distance(c: Candidate) -> int:
        here = at(c)
        return sum(min(abs(i - here) for i in where) for where in places.values())

    def held_near(c: Candidate, before: int, after: int, wanted: set[str]) -> float:
        """idf weight of the ``wanted`` terms among the words from ``before`` words before the
        figure to ``after`` words after it."""
        here = at(c)
        near = {t for _, toks in words[max(0, here - before) : here + after] for t in toks}
        return sum(weight.get(t, 1.0) for t in near & wanted)

    counted = set(q.counted) | {t for term, toks in q.stands_for if term in q.counted for t in toks}

    def counts_it(c: Candidate) -> float:
        """The question's counted words ("how many *leaders*", or what a synonym of theirs says:
        "champions") just after the figure."""
        return held_near(c, 0, 6, counted)

    first = min(order.get(c.type, len(order)) for c in found)
    best_type = [c for c in found if order.get(c.type, len(order)) == first]
    paired = _respective(best_type, sentence, weight)

    def described(c: Candidate) -> float:
        """The question's terms just before the figure ("online retail sales of agricultural
        products will reach *783.31 billion yuan*") and just after it."""
        return held_near(c, 8, 3, set(weight)) if c.type in ("count", "money") else 0.0

    dated = [c for c in best_type if re.search(YEAR, c.text)]
    if _ASKS_FIRST.search(lowered) and q.answer_types[:1] in (("date",), ("year",)) and dated:
        # "in which year did … first mention …": the earliest of the sentence's years
        best_type = [min(dated, key=lambda c: (int(re.findall(YEAR, c.text)[0]), c.start))]
    best = paired or min(
        best_type, key=lambda c: (sort(c), -counts_it(c), -described(c), distance(c), c.start)
    )
    year = re.search(YEAR, best.text) if q.answer_types[:1] == ("year",) else None
    if year and best.type == "date":  # "what year": 2015, not "early November 2015"
        return Span(year.group(0), best.start + year.start(), best.start + year.end())
    return Span(best.text, best.start, best.end)
