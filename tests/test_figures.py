"""A figure the question names ("in 2019", "the 19th century") must be in hit 1's passage or in what
its document is called by (its title, its year), or in the answering sentence of the passage below
when that sentence says more of the question; else the answer abstains (``figure_unsaid``)."""

from __future__ import annotations

import datetime as dt

import pytest

import qa
from qa.answers import message, parse_question
from qa.answers.ranking import Scored, constrained, first_holding
from qa.answers.timeline import year_referred
from qa.documents.chunking import chunk_document
from qa.documents.models import Span
from qa.search.tokenizer import tokenize

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
    assert [r.pos for r in first_holding(ranked, 2, lambda r: r.pos == 1)] == [1, 0, 2]
    assert first_holding(ranked, 2, lambda r: r.pos == 2) == []  # below the depth looked at
    assert first_holding(ranked, 1, lambda r: True) == ranked


def test_hit_1_without_the_figure_abstains_and_names_it() -> None:
    # the passage below says 2019, but of branches closed: it says less of the question than hit 1
    engine = qa.Engine([LIBRARIES_DOC])
    answer = engine.ask("How many libraries did the city open in 2019?")
    assert answer.abstained and answer.reason == qa.Reason.FIGURE_UNSAID.value
    assert answer.message == message(qa.Reason.FIGURE_UNSAID, ["2019"])
    assert answer.message == "The corpus does not say: the best passage does not mention “2019”."


OPENINGS = qa.Document(
    "openings", "Openings", dt.date(2020, 1, 1),
    "The city opened twelve new libraries.\n\n"
    "In May 2019 the council met. The city opened three new libraries that year.",
)  # fmt: skip


@pytest.mark.parametrize(
    ("sentence", "depth", "first"),
    [
        (1, 2, 1),  # "… opened three new libraries that year": 2019, and more of the question
        (0, 2, None),  # "In May 2019 the council met.": the figure, but less of the question
        (1, 1, None),  # only hit 1 is looked at
    ],
)
def test_a_lower_passage_whose_sentence_says_the_figure_becomes_hit_1(
    sentence: int, depth: int, first: int | None
) -> None:
    chunks = chunk_document(OPENINGS)
    q = parse_question("How many libraries did the city open in 2019?")
    said = chunks[1].sentences[sentence]
    ranked = [
        Scored(0, 2.0, chunks[0].sentences[0], (), chunks[0].sentences[0], 1.0, None),
        Scored(1, 1.0, said, (), said, 1.0, None),
    ]

    def holds(pos: int, terms: set[str]) -> bool:
        return terms <= set(tokenize(chunks[pos].text))

    out, verdict = constrained(q, ranked, chunks, qa.Settings(figure_depth=depth), lambda pos: False, holds)
    if first is None:
        assert out == [] and verdict == (qa.Reason.FIGURE_UNSAID, ["2019"])
    else:
        assert [r.pos for r in out] == [first, 0] and verdict is None


BRANCHES = qa.Document(
    "branches", "Branches", dt.date(2020, 1, 1),
    "The city opened twelve new libraries.\n\nIn 2019 the city opened three reading rooms.",
)  # fmt: skip


@pytest.mark.parametrize(
    ("spans", "meaning", "first"),
    [
        (True, 0.6, 1),  # as much of the question, a count and as close in meaning: it answers
        (True, 0.4, None),  # less close in meaning than hit 1
        (False, 0.6, None),  # no span of the asked type
    ],
)
def test_a_lower_sentence_saying_as_much_and_the_figure_needs_a_span_and_meaning(
    spans: bool, meaning: float, first: int | None
) -> None:
    chunks = chunk_document(BRANCHES)
    q = parse_question("How many libraries did the city open in 2019?")
    top, lower = chunks[0].sentences[0], chunks[1].sentences[0]
    assert set(tokenize(top.text)) & set(q.terms) == {"citi", "open", "librari"}
    assert set(tokenize(lower.text)) & set(q.terms) == {"citi", "open", "2019"}  # as many terms
    count = Span(
        "three", lower.start + lower.text.index("three"), lower.start + lower.text.index("three") + 5
    )
    ranked = [
        Scored(0, 2.0, top, (), top, 1.0, 0.5),
        Scored(1, 1.0, lower, (count,) if spans else (), lower, 1.0, meaning),
    ]
    out, verdict = constrained(q, ranked, chunks, qa.Settings(), lambda pos: False, lambda pos, t: False)
    if first is None:
        assert out == [] and verdict == (qa.Reason.FIGURE_UNSAID, ["2019"])
    else:
        assert [r.pos for r in out] == [first, 0] and verdict is None


def test_a_term_the_vocabulary_says_otherwise_counts_as_said_by_the_lower_sentence() -> None:
    doc = qa.Document(
        "rooms", "Rooms", dt.date(2020, 1, 1),
        "The city opened twelve new reading rooms.\n\nIn 2019 the town opened three reading rooms.",
    )  # fmt: skip
    chunks = chunk_document(doc)
    q = parse_question("How many reading rooms did the city open in 2019?")
    top, lower = chunks[0].sentences[0], chunks[1].sentences[0]
    ranked = [Scored(0, 2.0, top, (), top, 1.0, 0.5), Scored(1, 1.0, lower, (), lower, 1.0, 0.5)]

    def run(said: list[tuple[str, tuple[str, ...]]]) -> list[int]:
        out, _ = constrained(
            q, ranked, chunks, qa.Settings(), lambda pos: False, lambda pos, t: False, lambda pos: said
        )
        return [r.pos for r in out]

    assert run([]) == []  # "town" is not "city": 4 terms each, and no span of the asked type
    assert run([("citi", ("town",))]) == [1, 0]  # the vocabulary says the city "town": 5 against 4


@pytest.mark.parametrize(
    ("before", "text", "year"),
    [
        ("In May 2016, the fund was set up. This was new.", "It reached 66% that year.", 2016),
        ("Sales fell in 2010 and rose in 2012.", "The same year, prices rose.", 2012),
        ("Sales fell in 2010.", "It reached 66% in the third year.", None),  # not a year referred to
        ("Sales fell.", "It reached 66% that year.", None),  # no year written before
    ],
)
def test_that_year_is_the_last_year_written_before(before: str, text: str, year: int | None) -> None:
    assert year_referred(before, text) == year


def test_the_year_a_document_is_dated_counts_as_said() -> None:
    # the text never says 2015: the document is dated 2015, and "the 2015 plan" names it
    answer = qa.Engine([LIBRARIES_DOC]).ask("How many libraries did the 2015 plan open?")
    assert not answer.abstained
    assert "twelve new libraries" in answer.hits[0].chunk.text
