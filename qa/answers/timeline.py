"""Dated facts in the hits: years, months and dates written in their sentences, for a timeline.

``find_dates`` reads the dates a text writes ("In 2019", "May 2016", "5 January 2016",
"2024-02-27", "2021-2025", "early 2015", "the end of 2018"); ``dated_facts`` turns the
sentences of ranked hits into facts that carry the sentence, its document and the hit rank.
Numbers that are not years ("1,016", "215", "2000 yuan", "2023.5") are not read as years.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from qa.documents.models import Hit, Span

MIN_YEAR, MAX_YEAR = 1900, 2100

_MONTHS = {
    name: i
    for i in range(1, 13)
    for name in (calendar.month_name[i], calendar.month_abbr[i], calendar.month_abbr[i] + ".")
}
_MONTHS["Sept"] = _MONTHS["Sept."] = 9
_MONTH = "(?-i:" + "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True)) + ")"
_DASH = r"\s*[-\u2013\u2014]\s*"
# A year is four digits standing alone: not inside a longer number ("1,016", "12019", "2023.5").
_YEAR = r"(?<![\d.,])(?:1[89]|20|21)\d\d(?![\d%]|[.,]\d)"
_UNIT = re.compile(r"\s*(?:percent|per cent|yuan|dollars|million|billion|trillion|tons|tonnes)\b", re.I)
_QUALIFIER = r"(?:(?:the\s+)?(?:early|mid|late|end\s+of|beginning\s+of|start\s+of|middle\s+of|"
_QUALIFIER += r"first\s+half\s+of|second\s+half\s+of)(?:\s+|-))?"

_PATTERN = re.compile(
    rf"(?P<qual>{_QUALIFIER})(?:"
    rf"(?P<iso>(?P<iy>{_YEAR})-(?P<im>\d\d)-(?P<id>\d\d))(?!\d)"
    rf"|(?P<mdy>(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}}),?\s+(?P<y1>{_YEAR}))"
    rf"|(?P<dmy>(?<!\d)(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH}),?\s+(?P<y2>{_YEAR}))"
    rf"|(?P<my>(?P<m3>{_MONTH}),?\s+(?P<y3>{_YEAR}))"
    rf"|(?P<range>(?P<ra>{_YEAR}){_DASH}(?P<rb>{_YEAR}))"
    rf"|(?P<year>{_YEAR})"
    r")",
    re.IGNORECASE,
)
_WHEN = re.compile(
    r"\b(?:when|what\s+(?:year|date|month|time)|which\s+(?:year|date|month)|how\s+long\s+ago|since\s+when)\b",
    re.I,
)


@dataclass(frozen=True)
class DateMention:
    """A date written in a text: ``text[start:end]`` (qualifier included) and the period it names."""

    start: int
    end: int
    text: str
    first: dt.date
    last: dt.date
    precision: str  # "day", "month", "year" or "years"

    @property
    def when(self) -> str:
        """The period in ISO form: ``2016-05-03``, ``2016-05``, ``2019`` or ``2021-2025``."""
        if self.precision == "day":
            return self.first.isoformat()
        if self.precision == "month":
            return self.first.isoformat()[:7]
        if self.precision == "years":
            return f"{self.first.year}-{self.last.year}"
        return str(self.first.year)


@dataclass(frozen=True)
class DatedFact:
    """A date found in a hit's sentence, with the sentence and where it comes from."""

    mention: DateMention
    sentence: Span
    doc_id: str
    title: str
    source: str
    doc_date: dt.date
    chunk_id: str
    hit_rank: int

    @property
    def when(self) -> str:
        """The period in ISO form (see ``DateMention.when``)."""
        return self.mention.when

    @property
    def date(self) -> dt.date:
        """The first day of the period."""
        return self.mention.first


def _month(name: str) -> int:
    key = name[:1].upper() + name[1:].lower()
    return _MONTHS[key]


def _mention(m: re.Match[str]) -> DateMention | None:
    g = m.groupdict()
    try:
        if g["iso"]:
            first = last = dt.date(int(g["iy"]), int(g["im"]), int(g["id"]))
            precision = "day"
        elif g["mdy"] or g["dmy"]:
            year, month = int(g["y1"] or g["y2"]), _month(g["m1"] or g["m2"])
            first = last = dt.date(year, month, int(g["d1"] or g["d2"]))
            precision = "day"
        elif g["my"]:
            year, month = int(g["y3"]), _month(g["m3"])
            first = dt.date(year, month, 1)
            last = dt.date(year, month, calendar.monthrange(year, month)[1])
            precision = "month"
        elif g["range"]:
            a, b = int(g["ra"]), int(g["rb"])
            if b <= a:
                return None
            first, last, precision = dt.date(a, 1, 1), dt.date(b, 12, 31), "years"
        else:
            year = int(g["year"])
            first, last, precision = dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
    except ValueError:  # 2024-02-30, 31 April 2020: not a date
        return None
    if not (MIN_YEAR <= first.year <= MAX_YEAR and MIN_YEAR <= last.year <= MAX_YEAR):
        return None
    return DateMention(m.start(), m.end(), m.group(), first, last, precision)


def find_dates(text: str) -> list[DateMention]:
    """Every date ``text`` writes, in order; numbers followed by a unit are not years."""
    found = []
    for m in _PATTERN.finditer(text):
        if m.group("year") and _UNIT.match(text, m.end()):
            continue
        mention = _mention(m)
        if mention is not None:
            found.append(mention)
    return found


def dated_facts(hits: Sequence[Hit]) -> list[DatedFact]:
    """The dated facts of each hit's sentences, in hit order then text order."""
    facts = []
    for hit in hits:
        chunk, doc = hit.chunk, hit.document
        sentences = chunk.units()
        for sentence in sentences:
            for mention in find_dates(sentence.text):
                facts.append(
                    DatedFact(mention, sentence, doc.id, doc.title, doc.source, doc.date, chunk.id, hit.rank)
                )
    return facts


def asks_when(question: str) -> bool:
    """Whether ``question`` asks for a time ("when", "what year", "which date", ...)."""
    return bool(_WHEN.search(question))


#: A year named by referring back to the one last written ("reaching 66% that year").
_SAME_YEAR = re.compile(r"\b(?:that|the same|that same)\s+year\b", re.I)


def year_referred(before: str, text: str) -> int | None:
    """The year ``text`` means by "that year" or "the same year": the last one written in
    ``before``, the text that leads up to it; None when it says neither or ``before`` names none."""
    if not _SAME_YEAR.search(text):
        return None
    dates = find_dates(before)
    return dates[-1].last.year if dates else None
