"""Dated facts for the timeline: which dates are read from text, and what each fact carries."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import qa
from qa.answers import parse_question


def _found(text: str) -> list[tuple[str, str, str]]:
    return [(m.text, m.when, m.precision) for m in qa.find_dates(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("In 2019, 215 new counties", [("2019", "2019", "year")]),
        ("In May 2016, the Ministry", [("May 2016", "2016-05", "month")]),
        ("which spans 2021-2025.", [("2021-2025", "2021-2025", "years")]),
        ("Plan (2024\u20132027)", [("2024\u20132027", "2024-2027", "years")]),
        ("In early 2015, the State", [("early 2015", "2015", "year")]),
        ("By the end of 2018, there", [("the end of 2018", "2018", "year")]),
        ("In early November 2015, it", [("early November 2015", "2015-11", "month")]),
        ("on 5 January 2016.", [("5 January 2016", "2016-01-05", "day")]),
        ("on Jan. 7, 2017.", [("Jan. 7, 2017", "2017-01-07", "day")]),
        ("dated 2024-02-27.", [("2024-02-27", "2024-02-27", "day")]),
        ("mid-2020", [("mid-2020", "2020", "year")]),
        ("it may 2016 be", [("2016", "2016", "year")]),  # a lower-case "may" is not the month
    ],
)
def test_dates_written_in_text(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "there were 1,016 comprehensive demonstration counties",
        "215 new comprehensive demonstration counties, 832 counties",
        "sales of 2000 yuan, 1999 tons and 2050 percent",
        "a ratio of 2023.5 and 12019 items and 2019%",
        "2024-02-30 does not exist",
        "the 2019-2018 range runs backwards",
        "the year 1850 and 2150 are out of range",
    ],
)
def test_numbers_that_are_not_dates(text: str) -> None:
    assert qa.find_dates(text) == []


def test_period_bounds() -> None:
    (may,) = qa.find_dates("In May 2016")
    assert (may.first, may.last) == (dt.date(2016, 5, 1), dt.date(2016, 5, 31))
    (feb,) = qa.find_dates("February 2024")  # a leap year
    assert feb.last == dt.date(2024, 2, 29)
    (span,) = qa.find_dates("2021-2025")
    assert (span.first, span.last) == (dt.date(2021, 1, 1), dt.date(2025, 12, 31))


@given(st.integers(min_value=1900, max_value=2100), st.text(alphabet="abc ,;()", max_size=8))
def test_any_year_between_words_is_found_with_its_offsets(year: int, pad: str) -> None:
    text = f"in {year}{pad}x"
    (m,) = qa.find_dates(text)
    assert text[m.start : m.end] == m.text == str(year)
    assert m.first == dt.date(year, 1, 1)


def test_facts_of_the_when_question_carry_the_2019_sentence(engine: qa.Engine) -> None:
    answer = engine.ask("when were poverty counties fully covered", k=5)
    facts = qa.dated_facts(answer.hits)
    by_year = [f for f in facts if f.when == "2019"]
    assert by_year, [f.when for f in facts]
    fact = by_year[0]
    assert "full coverage of 832" in fact.sentence.text
    assert fact.doc_id == "rural-demonstration"
    assert fact.source == "Policy Reference"
    assert fact.chunk_id == "rural-demonstration:8"
    assert fact.hit_rank == next(h.rank for h in answer.hits if h.chunk.id == fact.chunk_id)
    doc = engine.document(fact.doc_id)
    assert doc.body[fact.sentence.start : fact.sentence.end] == fact.sentence.text
    # other dated facts of the hits come along (the 2016 and 2018 passages rank in the top 5)
    assert {"2016-11", "2018"} <= {f.when for f in facts}
    assert all(f.mention.text in f.sentence.text for f in facts)


def test_facts_follow_hit_order_then_text_order(engine: qa.Engine) -> None:
    answer = engine.ask("when were poverty counties fully covered", k=5)
    facts = qa.dated_facts(answer.hits)
    keys = [(f.hit_rank, f.sentence.start, f.mention.start) for f in facts]
    assert keys == sorted(keys)


def test_chunk_without_sentences_uses_its_whole_text() -> None:
    doc = qa.Document("d", "T", dt.date(2024, 1, 1), "In 2019, it began.", source="S")
    chunk = qa.Chunk("d:0", "d", 0, 1, 0, 18, "In 2019, it began.")
    (fact,) = qa.dated_facts([qa.Hit(1, 1.0, chunk, doc)])
    assert (fact.when, fact.sentence.text, fact.source, fact.hit_rank) == (
        "2019",
        "In 2019, it began.",
        "S",
        1,
    )


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("when were poverty counties fully covered", True),
        ("When did it start?", True),
        ("In what year did sales pass 3 trillion?", True),
        ("which year saw full coverage", True),
        ("how much did rural online retail sales reach", False),
        ("who wrote about boosting agriculture", False),
    ],
)
def test_asks_when(question: str, expected: bool) -> None:
    assert qa.asks_when(question) is expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What year did the ministries issue the notice launching the demonstration?", True),
        ("When did the ministries first issue a notice?", True),
        ("When was the scheme originally started?", True),
        ("In what year did the programme begin?", True),
        ("When did the ministries issue a notice?", False),
        ("How many counties were in the first round?", False),  # not a when-question
    ],
)
def test_asks_first(question: str, expected: bool) -> None:
    assert parse_question(question).asks_first is expected


_LAUNCH = (
    "In 2014, the finance and trade ministries issued the Notice on the Comprehensive Demonstration of "
    "Rural Trade, demanding a number of demonstration counties nationwide within three years and lower "
    "logistics costs."
)
_ROUND = (
    "In May 2016, the finance and trade ministries issued the Notice on the 2016 Comprehensive "
    "Demonstration of Rural Trade in 240 counties."
)


def test_a_launch_is_dated_by_the_earliest_of_close_passages() -> None:
    """Both notices match the question's words, the 2016 one more closely; asked for the launch,
    the 2014 one answers."""
    docs = [
        qa.Document(doc_id, doc_id, dt.date(2024, 1, 1), body)
        for doc_id, body in [
            ("launch", _LAUNCH),
            ("round", _ROUND),
            ("harbour", "The harbour opened in 1950 and handles grain, coal and timber for the region."),
        ]
    ]
    launching = (
        "What year did the ministries issue the notice launching the comprehensive demonstration of "
        "rural trade?"
    )
    answer = qa.Engine(docs).ask(launching)
    assert [h.document.id for h in answer.hits] == ["launch", "round"]
    assert answer.short is not None and answer.short.text == "2014"
    # ranked on the words alone, the 2016 notice leads; and it answers a question not asking for a start
    assert qa.Engine(docs, qa.Settings(first_depth=1)).ask(launching).hits[0].document.id == "round"
    plain = qa.Engine(docs).ask("When did the ministries issue a notice on the rural trade demonstration?")
    assert plain.hits[0].document.id == "round"
