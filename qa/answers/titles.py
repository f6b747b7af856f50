"""Titles written in title case, which the NER misses or cuts short: en_core_web_sm reads "the Notice
on Safety Standards for Public Buildings in Coastal Areas" as a LAW "Notice on Safety Standards" and
no more, and "The Transport Development Outline Corresponding with the 3rd Ten-Year Plan" as an
ORDINAL and a DATE.

In English a long proper name is a run of capitalised words and figures, joined by the few short
words titles leave in lower case ("of", "on", "the", "in", …). Such a run answers a question that
asks for a name or title, or one that asks "which X" when the run says X itself ("Which notice …?"
→ "Notice on …"). A name inside a quoted title answers as the whole title. Measured where they came
in: docs/answers.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from qa.documents.models import Span
from qa.documents.sentences import ABBREVIATIONS
from qa.search.tokenizer import stopwords

#: Short words a title leaves in lower case between its capitalised words.
_JOINS = frozenset(["of", "and", "the", "on", "for", "in", "with", "to", "at", "by", "from", "a", "an"])
#: A word of a title: a capitalised word (hyphens inside: "Ten-Year", "X-ray"), or a figure
#: ("2016", "3rd", "(2024-2027)").
_CAPITAL = re.compile(r"^\(?(?:[A-Z][\w'\u2019]*(?:-[\w]+)*\.?|\d[\w-]*)\)?$")
_WORD = re.compile(r"\S+")
_QUOTES = "\"\u201c\u201d'\u2018\u2019"
#: Capitalised words a title run needs: fewer is an ordinary name, which the NER tags well.
MIN_CAPITALS = 3
#: A title in double quotes that opens with a capital.
_QUOTED = re.compile(r"[\"\u201c]([A-Z][^\"\u201c\u201d]*?)[\"\u201d]")
#: A word of a quoted title: capitalised, a figure, or a short word titles leave in lower case (a
#: quoted remark, "We will act," is no title).
_QUOTED_WORD = re.compile(rf"^\(?(?:[A-Z\d]|(?:{'|'.join(sorted(_JOINS | {'or'}))})\W*$)")


def title_runs(sentence: Span) -> Iterator[Span]:
    """The runs of ``sentence`` that read as titles, offsets in the sentence's document. The sentence's
    first word is capitalised wherever it stands, so it opens a run only when it is no stopword and a
    capitalised word follows it ("Following the Nice Treaty" -> "Nice Treaty"); a figure continues a
    run after "the" only ("the 2016 Comprehensive Demonstration", not "Catch Me Who Can in 1808")."""
    words = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(sentence.text)]
    cores = [_core(w[2]) for w in words]
    run: list[tuple[int, int, str]] = []
    for i, (start, _, text) in enumerate(words):
        if text[:1] in _QUOTES:  # an opening quote starts a title afresh
            yield from _emit(run, sentence)
            run = []
            start += 1
        core = cores[i]
        if core and _CAPITAL.match(core) and (i > 0 or _opens(core, cores)):
            if core[0].isdigit() and run and run[-1][2].lower() in _JOINS - {"the"}:
                yield from _emit(run, sentence)
                run = []
            run.append((start, start + len(core), core))
            if not text.endswith(core):  # punctuation after the word ends the run
                yield from _emit(run, sentence)
                run = []
        elif run and text.lower() in _JOINS:
            run.append((start, start + len(text), text))
        else:
            yield from _emit(run, sentence)
            run = []
    yield from _emit(run, sentence)


def _core(text: str) -> str:
    """A word without its opening quote and the punctuation after it; an abbreviation keeps its point
    ("No. 4 Regional Plan")."""
    text = text.lstrip(_QUOTES)
    core = text.rstrip(",;:.!?" + _QUOTES)
    return text if text == core + "." and core.lower() in ABBREVIATIONS else core


def _opens(first: str, cores: list[str]) -> bool:
    """Whether the sentence's first word belongs to a title: no stopword, and a capitalised word next."""
    return (
        first.lower() not in stopwords()
        and len(cores) > 1
        and bool(cores[1])
        and _CAPITAL.match(cores[1]) is not None
    )


def _emit(run: list[tuple[int, int, str]], sentence: Span) -> Iterator[Span]:
    while run and run[-1][2].lower() in _JOINS:
        run = run[:-1]
    if sum(1 for w in run if w[2].lower() not in _JOINS) >= MIN_CAPITALS:
        start, end = run[0][0], run[-1][1]
        yield Span(sentence.text[start:end], sentence.start + start, sentence.start + end)


def quoted_title(sentence: Span, start: int, end: int) -> tuple[int, int]:
    """``start``–``end`` widened to the quoted title of ``sentence`` that holds it (the \u201cRegional
    Water Plan (2024-2027)\u201d: the NER's name stops before the parenthesis); as it was when none does."""
    for match in _QUOTED.finditer(sentence.text):
        at, to = sentence.start + match.start(1), sentence.start + match.end(1)
        if at <= start and end <= to and all(_QUOTED_WORD.match(w) for w in match.group(1).split()):
            return at, to
    return start, end
