"""The tokenizer (shared by index and query) and the sentence splitter."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import qa
from qa.search.tokenizer import stopwords


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sales reached 1.79 trillion", ["sale", "reach", "1.79", "trillion"]),
        ("1,016 counties", ["1016", "counti"]),
        ("1016 counties", ["1016", "counti"]),
        ("a 30% rise", ["30%", "percent", "rise"]),
        ("a 30 percent rise", ["30%", "percent", "rise"]),
        ("a 30 per cent rise", ["30%", "percent", "rise"]),
        ("In 2019,", ["2019"]),
        ("8.9 percentage points", ["8.9", "percent", "point"]),
        ("the 14th Five-Year Plan", ["14th", "fiveyear", "five", "year", "plan"]),
        ("the fourteenth Five-Year Plan", ["14th", "fiveyear", "five", "year", "plan"]),
        ("2021-2025", ["2021", "2025"]),
        ("E-commerce", ["ecommerc", "commerc"]),
        ("poverty-relief counties", ["povertyrelief", "poverti", "relief", "counti"]),
        ("China's rural areas", ["china", "rural", "area"]),
        ("When were the counties fully covered?", ["counti", "full", "cover"]),
        ("full coverage", ["full", "cover"]),
        ("", []),
        ("the of and", []),
        ("Fort Beauséjour, naïve", ["fort", "beausejour", "naiv"]),  # accents go
        ("Straße", ["straße"]),  # a letter of its own, not an accented one, stays
    ],
)
def test_tokenize(text: str, expected: list[str]) -> None:
    assert qa.tokenize(text) == expected


def test_tokenize_is_case_insensitive() -> None:
    assert qa.tokenize("RURAL E-Commerce") == qa.tokenize("rural e-commerce")


def test_stopwords_ship_with_the_package() -> None:
    words = stopwords()
    assert {"the", "of", "and", "when", "what"} <= words
    assert "rural" not in words


@given(st.text(max_size=200))
def test_tokenize_never_fails_and_yields_no_stopwords(text: str) -> None:
    tokens = qa.tokenize(text)
    assert all(t and t == t.lower() for t in tokens)
    assert not set(tokens) & stopwords()


@pytest.mark.parametrize(
    "text",
    [
        "This is China's No. 1 Central Document for 2022. It matters.",
        "The U.S. Department of Agriculture agreed. It matters.",
        "The notice came out on Jan. 5 of that year. It matters.",
        "Sales exceeded 1.79 trillion yuan in 2020. It matters.",
        "See the Review of China's No.1 Central Document (2004-2023). It matters.",
    ],
)
def test_sentences_do_not_break_inside_abbreviations(text: str) -> None:
    spans = qa.sentence_spans(text)
    assert [text[s:e] for s, e in spans] == [text[: text.index(" It matters.")], "It matters."]


def test_sentence_spans_slice_back() -> None:
    text = "  First one here.  Second one, with 1.79 trillion.\nThird? Yes!"
    spans = qa.sentence_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "First one here.",
        "Second one, with 1.79 trillion.",
        "Third?",
        "Yes!",
    ]


def test_a_question_without_accents_finds_the_accented_word() -> None:
    text = "Céloron reached Fort Beauséjour."
    spans = qa.highlight_spans(text, "Who captured Fort Beausejour?")
    assert [text[s:e] for s, e in spans] == ["Fort", "Beauséjour"]  # offsets hold: one letter for one


def test_highlight_spans_mark_words_sharing_a_term() -> None:
    text = "Full coverage of 832 poverty-relief counties."
    spans = qa.highlight_spans(text, "when were poverty counties fully covered")
    assert [text[s:e] for s, e in spans] == ["Full", "coverage", "poverty-relief", "counties"]
