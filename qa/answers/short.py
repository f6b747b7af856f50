"""The short answer: of the typed spans of hit 1's best sentence (``spans.py``), the one a reader
would quote, and how: the nearest to the question's terms; the earliest or latest date for "first" or
"last"; a figure with the unit the question asks it in; a comparative with the negation before it; for
"what is X called?" the name the text gives after "called".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from qa.answers.question import Question
from qa.answers.spans import LEADING, YEARS, closeness, in_question
from qa.documents.models import Span
from qa.search.tokenizer import tokenize

#: A figure's comparative ("less than 50%"), and a negation before it that the NER leaves out ("should
#: not be less than 50%"): without it the quoted answer would say the opposite of the text.
_COMPARATIVE = re.compile(
    r"^(?:(?:less|more|fewer|greater|lower|higher)\s+than|under|over|below|above)\b", re.I
)
_NEGATED = re.compile(r"\b(?:not|no)(?:\s+be)?\s+$", re.I)
#: What a text says before the name it gives something ("a process called chemotaxis"), the name
#: itself, and where it ends: punctuation, a conjunction, a preposition or a verb.
_NAMING = re.compile(
    r"\b(?:called|named|termed|dubbed|known as|referred to as)\s+(?:the\s+|an?\s+)?[\"\u201c']?"
    r"((?:[^\W\d_][\w-]*)(?:\s+(?!(?:and|which|that|who|because|since|as|when|where|while|in|of|by|for"
    r"|with|to|from|is|are|was|were|has|have|had|can|could|will|would)\b)[\w-]+){0,5})",
    re.I,
)
#: Kinds of question a bare count answers, which the text may follow with its unit.
_COUNTED_KINDS = frozenset({"count", "amount", "measure"})
#: The unit a question asks a figure in, closing it: "How much faster …, in percentage points?"
_IN_UNIT = re.compile(r"\bin\s+((?:[^\W\d_]+\s+){0,2}[^\W\d_]+)\W*$")
#: A word after a figure, with the white space before it.
_WORD_AFTER = re.compile(r"\s+[^\W\d_][\w-]*")
#: Questions after the earliest of several dates ("When did X first …?"), or the latest.
_EARLIEST = re.compile(r"\b(?:first|earliest|initially|originally)\b", re.I)
_LATEST = re.compile(r"\b(?:last|latest|most recent(?:ly)?)\b", re.I)


def _dated(spans: Sequence[Span], q: Question) -> Sequence[Span]:
    """For "When did X first …?" the spans of the earliest year, for "… last …?" of the latest; all
    of ``spans`` for another question or where they name fewer than two years."""
    order = -1 if _LATEST.search(q.text) else 1 if _EARLIEST.search(q.text) else 0
    if not order or q.kind not in ("when", "year"):
        return spans
    years = {s: int(m.group(0)[:4]) for s in spans if (m := YEARS.search(s.text))}
    if len(set(years.values())) < 2:
        return spans
    pick = min(order * y for y in years.values())
    return [s for s, y in years.items() if order * y == pick]


def _unit(after: str, asked: set[str]) -> int:
    """How far the words right after a figure run that hold only ``asked`` terms, the unit a question
    asks the figure in ("1.3" + " percentage points" for "… in percentage points?"). 0 when none."""
    length = 0
    for match in _WORD_AFTER.finditer(after):
        if match.start() != length or len(match.group(0)) > 40:
            break
        terms = tokenize(match.group(0))
        if not terms or not set(terms) <= asked:
            break
        length = match.end()
    return length


def named_term(sentence: Span, q: Question) -> Span | None:
    """For "what is X called?" (kind ``term``): the name ``sentence`` gives after "called", "known
    as", "referred to as" … ("… in a process called chemotaxis" -> "chemotaxis"), unless the question
    says it itself. None when the sentence names nothing that way."""
    if q.kind != "term":
        return None
    for match in _NAMING.finditer(sentence.text):
        lead = LEADING.match(match.group(1))
        at = match.start(1) + (lead.end() if lead and lead.end() < len(match.group(1)) else 0)
        text = sentence.text[at : match.end(1)]
        if not in_question(text, q):
            return Span(text, sentence.start + at, sentence.start + match.end(1))
    return None


def _says_named(span: Span, named: frozenset[str]) -> float:
    """1 for a name holding ``named``, the terms of the noun of "which X" less the question's own names
    ("Which agency …?": "the Agency for Water", not "the Plan" beside it; "the name of the treaty": "the
    Treaty of …"; not "Watt" of "the name of Watt's partner"), else 0. A noun phrase of the text does
    not count."""
    return 1.0 if span.text[:1].isupper() and not named.isdisjoint(tokenize(span.text)) else 0.0


#: A question after a month, and the name of one in a date.
_MONTH_ASKED = re.compile(r"\b(?:what|which) month\b", re.I)
_MONTH = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
)
#: What a text says before a figure it sets as a requirement, not one it reports: "should not be
#: less than 50%", "at least 30%", "a target of 1,000".
_REQUIRED = re.compile(
    r"\b(?:should|must|shall|required?|requires|at least|at most|no (?:less|more|fewer) than|not (?:be )?"
    r"(?:less|more|fewer) than|minimum|maximum|target(?:ed)?|goal|aims?|quota)\b(?:\s+\w+){0,3}\s*$",
    re.I,
)
#: A question after a requirement: "What minimum share …?", "What were they expected to reach?".
_ASKS_REQUIRED = re.compile(
    r"\b(?:minimum|maximum|required?|requirement|target|goal|should|must|expected|supposed|demanded"
    r"|stipulated|at least|threshold|aim(?:s|ed)?|quota|mandated)\b",
    re.I,
)


def _as_asked(span: Span, sentence: Span, asks_required: bool) -> float:
    """1 when ``span`` is set as a requirement ("should not be less than 50%") and the question asks for
    one ("What minimum share …?"), or is reported ("reaching 66% that year") and the question asks what
    was; else 0."""
    before = sentence.text[max(0, span.start - sentence.start - 40) : span.start - sentence.start]
    return 1.0 if (_REQUIRED.search(before) is not None) == asks_required else 0.0


#: A sum of money as written: a currency sign or name.
_CURRENCY = re.compile(
    r"[$€£¥₹]|\b(?:yuan|renminbi|dollars?|euros?|pounds?|yen|rupees?|francs?|kron[aeo]r?|pesos?|rubles?|lira)\b",
    re.I,
)


def _money(span: Span) -> float:
    """1 for a sum of money, which answers "how much …?" (an amount): "How much did the city put in?"
    asks "4.2 million euros", not the "30" towns beside it; else 0."""
    return 1.0 if _CURRENCY.search(span.text) else 0.0


def short_answer(spans: Sequence[Span], sentence: Span, q: Question) -> Span | None:
    """The span of ``spans`` a reader would take as the answer: the closest to the question's
    terms; on a tie, the label the question prefers. None when there is none. A comparative figure
    is quoted with the negation before it ("not be less than 50%", not "less than 50%")."""
    spans = _dated(spans, q)
    if not spans:
        return None
    if q.attributed:  # "… in 2020, according to the agency?": the agency is not near the answer
        q = replace(q, terms=tuple(t for t in q.terms if t not in q.attributed))
    named = frozenset(q.named) - frozenset(q.anchors)  # read once, not once per span
    asks_required = _ASKS_REQUIRED.search(q.text) is not None
    how_much = q.kind == "amount"
    best = max(
        spans,
        key=lambda s: (
            closeness(s, sentence, q)
            + _says_named(s, named)
            + _as_asked(s, sentence, asks_required)
            + (_money(s) if how_much else 0.0),
            -spans.index(s),
        ),
    )
    unit_asked = _IN_UNIT.search(q.text) if q.kind in _COUNTED_KINDS else None
    if unit_asked and any(ch.isdigit() for ch in best.text):
        unit = _unit(sentence.text[best.end - sentence.start :], set(tokenize(unit_asked.group(1))))
        best = Span(sentence.text[best.start - sentence.start : best.end - sentence.start + unit],
                    best.start, best.end + unit)  # fmt: skip
    month = _MONTH.search(best.text) if _MONTH_ASKED.search(q.text) else None
    if month:  # "In which month …?": "February", not "February this year"
        return Span(month.group(0), best.start + month.start(), best.start + month.end())
    negated = _NEGATED.search(sentence.text[: best.start - sentence.start])
    if negated and _COMPARATIVE.match(best.text):
        start = sentence.start + negated.start()
        return Span(sentence.text[negated.start() : best.end - sentence.start], start, best.end)
    return best
