"""Titles in title case (qa/answers/titles.py): runs of capitalised words and figures joined by the
short words titles leave in lower case, which answer questions after a name or a "which X" they say."""

from __future__ import annotations

import pytest

from qa.answers import parse_question
from qa.answers.short import short_answer
from qa.answers.spans import typed
from qa.answers.titles import title_runs
from qa.documents.models import Span
from qa.documents.ner import Entity

NOTICE = (
    "In May 2016, the Ministry of Finance and the Office of the Leading Group for Poverty Alleviation "
    "jointly issued the Notice on Carrying Out the 2016 Comprehensive Demonstration Work of E-commerce "
    "in Rural Areas, with a national investment of 3.6 billion yuan."
)

TITLE = "Notice on Carrying Out the 2016 Comprehensive Demonstration Work of E-commerce in Rural Areas"


def _runs(text: str, offset: int = 0) -> list[str]:
    sentence = Span(text, offset, offset + len(text))
    runs = list(title_runs(sentence))
    assert all(text[r.start - offset : r.end - offset] == r.text for r in runs)
    return [r.text for r in runs]


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        (NOTICE, ["Ministry of Finance and the Office of the Leading Group for Poverty Alleviation", TITLE]),
        # the article opening the sentence is left out; figures and hyphenated words belong
        ("The E-commerce Development Outline Corresponding with the 14th Five-Year Plan notes it.",
         ["E-commerce Development Outline Corresponding with the 14th Five-Year Plan"]),
        # an abbreviation's point does not end a title; a quoted one is read from its quote
        ("It came in that year's No. 1 Central Document, a first.", ["No. 1 Central Document"]),
        ('The "Comprehensive Rural Revitalization Plan (2024-2027)" was issued.',
         ["Comprehensive Rural Revitalization Plan (2024-2027)"]),
        # two capitalised words are a name the NER reads well, not a title; the sentence's first word
        # is capitalised wherever it stands, so it opens a title only before a capitalised word
        ("Following the Nice Treaty, Bill Gates met Paul Allen.", []),
        ("Under the Unfair Commercial Practices Directive, ads are limited.",
         ["Unfair Commercial Practices Directive"]),
        # a figure continues a title after "the" only
        ("Catch Me Who Can in 1808 was the first.", ["Catch Me Who Can"]),
    ],
)  # fmt: skip
def test_title_runs(text: str, runs: list[str]) -> None:
    assert _runs(text) == runs
    assert _runs(text, offset=40) == runs  # offsets are the document's


def _answer(text: str, question: str, *names: tuple[str, str]) -> str | None:
    sentence = Span(text, 0, len(text))
    found = [Entity(label, text.index(name), text.index(name) + len(name)) for label, name in names]
    q = parse_question(question)
    best = short_answer(typed(found, sentence, q), sentence, q)
    return None if best is None else best.text


def test_a_title_answers_which_x_when_it_says_x_and_replaces_the_name_the_ner_cut_short() -> None:
    full = TITLE
    cut = ("LAW", "Notice on Carrying Out")
    assert _answer(NOTICE, "Which notice launched the 2016 demonstration work?", cut) == full
    assert _answer(NOTICE, "What was the name of the notice issued in May 2016?", cut) == full
    assert _answer(NOTICE, "What is the full title of the notice issued in May 2016?") == full
    # a title that does not say the asked noun is no answer to "which X"
    text = "The rules were set by the Office of the Leading Group for Poverty Alleviation."
    assert _answer(text, "Which notice set the rules?") is None
    assert (
        _answer(text, "Which office set the rules?") == "Office of the Leading Group for Poverty Alleviation"
    )


def test_any_title_answers_which_document_or_book() -> None:
    text = "The Harbour Development Outline for the Next Decade notes that the port is an upgraded one."
    title = "Harbour Development Outline for the Next Decade"
    assert _answer(text, "Which document calls the port an upgraded one?") == title
    assert _answer(text, "Which book calls the port an upgraded one?") == title
    assert _answer(text, "Which office calls the port an upgraded one?") is None  # "office" is not said
