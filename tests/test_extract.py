"""Typed spans (short-answer candidates) and question kinds."""

from __future__ import annotations

import pytest

from qa.extract import candidates
from qa.query import parse_question, question_kind


def _typed(text: str) -> list[tuple[str, str]]:
    return [(c.type, c.text) for c in candidates(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("In 2019, 215 new counties", [("year", "2019"), ("count", "215")]),
        ("there were 1,016 counties, covering 88.6% of them", [("count", "1,016"), ("percent", "88.6%")]),
        ("In May 2016, with 3.6 billion yuan", [("date", "May 2016"), ("money", "3.6 billion yuan")]),
        ("In early 2015, it began", [("date", "early 2015")]),
        ("which spans 2021-2025.", [("year", "2021-2025")]),
        ("had reached 192 million, with a net increase", [("count", "192 million")]),
        (
            "about 1000 bases and over 4 million live broadcasts",
            [("count", "about 1000"), ("count", "over 4 million")],
        ),
        ("1.3 percentage points higher", [("percent", "1.3 percentage points")]),
        ("during the 14th Five-Year Plan", [("doc", "the 14th Five-Year Plan")]),
    ],
)
def test_candidates(text: str, expected: list[tuple[str, str]]) -> None:
    assert _typed(text) == expected


def test_named_bodies_and_documents() -> None:
    text = (
        "In 2014, China's Ministry of Finance and Ministry of Commerce issued the Notice on the "
        "Comprehensive Demonstration of E-commerce in Rural Areas, demanding"
    )
    typed = _typed(text)
    assert ("org", "China's Ministry of Finance and Ministry of Commerce") in typed
    assert ("doc", "the Notice on the Comprehensive Demonstration of E-commerce in Rural Areas") in typed


def test_offsets_slice_back() -> None:
    text = "By the end of 2023, rural users reached 192 million, up 8.8% on the year."
    for c in candidates(text, offset=10):
        assert text[c.start - 10 : c.end - 10] == c.text


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("When were poverty counties fully covered?", "when"),
        ("In what year was e-commerce first mentioned?", "what-year"),
        ("How many counties were added?", "how-many"),
        ("How much did sales reach?", "how-much"),
        ("What share of counties were poor?", "share"),
        ("What is the coverage rate of logistics centres?", "share"),
        ("Who issued the plan?", "organisation"),
        ("Which ministry led the opinions?", "organisation"),
        ("Which document calls it an upgraded project?", "document"),
        ("What does boosting agriculture involve?", "other"),
    ],
)
def test_question_kinds(question: str, kind: str) -> None:
    assert question_kind(question) == kind


def test_anchors_are_proper_nouns_and_numbers() -> None:
    q = parse_question("What were China's rural online retail sales in 2010?")
    assert q.anchors == ("china", "2010")
    assert parse_question("what is rural e-commerce?").anchors == ()


def test_synonyms_match_whole_words_not_stems() -> None:
    assert "annual" in parse_question("What yearly growth was expected?", use_synonyms=True).expansion
    assert "annual" not in parse_question("What year was it?", use_synonyms=True).expansion
    assert parse_question("What yearly growth was expected?", use_synonyms=False).expansion == ()
