"""A figure the question names ("in 2019", "the 19th century") must be in hit 1's passage, or in
what its document is called by (its title, its year); else the answer abstains (``figure_unsaid``)."""

from __future__ import annotations

import datetime as dt

import pytest

import qa
from qa.answers import message, parse_question
from qa.answers.ranking import Scored, first_holding
from qa.documents.models import Span

LIBRARIES = """The city opened twelve new libraries, paid for by a bond that voters approved.

In 2019 the council closed three branches after the budget was cut."""

LIBRARIES_DOC = qa.Document("libraries", "Library plan", dt.date(2015, 3, 1), LIBRARIES, source="Test")


@pytest.mark.parametrize(
    ("question", "anchors", "figures"),
    [
        ("What changed in the 19th century?", ("19th",), ("19th",)),  # an ordinal is one token
        ("What did the 1990s bring?", ("1990s",), ("1990s",)),
        ("What happened to the 14 counties in 2014?", ("14", "2014"), ("14", "2014")),
        ("What mediates Type 1 hypersensitivity?", ("type", "1"), ()),  # one digit: "Type I"
    ],
)
def test_a_figure_is_its_whole_token_and_has_two_digits(
    question: str, anchors: tuple[str, ...], figures: tuple[str, ...]
) -> None:
    q = parse_question(question)
    assert q.anchors == anchors
    assert q.figures == figures


def _scored(pos: int, score: float) -> Scored:
    span = Span("x", 0, 1)
    return Scored(pos, score, span, (), span, 1.0, None)


def test_first_holding_moves_the_first_passage_that_holds_to_the_top() -> None:
    ranked = [_scored(0, 3.0), _scored(1, 2.0), _scored(2, 1.0)]
    assert [r.pos for r in first_holding(ranked, 2, lambda pos: pos == 1)] == [1, 0, 2]
    assert first_holding(ranked, 2, lambda pos: pos == 2) == []  # below the depth looked at
    assert first_holding(ranked, 1, lambda pos: True) == ranked


def test_hit_1_without_the_figure_abstains_and_names_it() -> None:
    engine = qa.Engine([LIBRARIES_DOC])
    answer = engine.ask("How many libraries did the city open in 2019?")
    assert answer.abstained and answer.reason == qa.Reason.FIGURE_UNSAID.value
    assert answer.message == message(qa.Reason.FIGURE_UNSAID, ["2019"])
    assert answer.message == "The corpus does not say: the best passage does not mention “2019”."
    # looking at the two best passages, the one that says 2019 becomes hit 1
    deeper = qa.Engine([LIBRARIES_DOC], settings=qa.Settings(figure_depth=2))
    answer = deeper.ask("How many libraries did the city open in 2019?")
    assert not answer.abstained and "In 2019" in answer.hits[0].chunk.text


def test_the_year_a_document_is_dated_counts_as_said() -> None:
    # the text never says 2015: the document is dated 2015, and "the 2015 plan" names it
    answer = qa.Engine([LIBRARIES_DOC]).ask("How many libraries did the 2015 plan open?")
    assert not answer.abstained
    assert "twelve new libraries" in answer.hits[0].chunk.text
