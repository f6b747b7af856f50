"""Noun phrases as answers to "which X?" where no entity label fits X (qa/documents/ner.py tags them
at index time, qa/answers/spans.py picks the part that says which X)."""

from __future__ import annotations

import datetime as dt

import pytest

import qa
from qa.answers import parse_question
from qa.answers.kinds import named_noun
from qa.answers.spans import typed
from qa.documents.models import Span
from qa.documents.ner import PHRASE, entities

SENTENCES = {
    "winter": "The eruption of 1815 was followed by a volcanic winter across the northern hemisphere.",
    "records": "Researchers used tree-ring records and several other sources to date the cooling.",
    "immune": "The lab studied the adaptive immune system of sharks for three years.",
    "court": "The appeal was heard by the highest court, the Supreme Court of Canada, in 1999.",
    "engine": "The museum keeps a Corliss type steam engine in its main hall.",
}


def answers(key: str, question: str) -> list[str]:
    """The typed spans of one sentence for ``question``, with the real tagger's entities."""
    text = SENTENCES[key]
    (found,) = entities([text])
    return [s.text for s in typed(found, Span(text, 0, len(text)), parse_question(question))]


def test_noun_phrases_end_in_a_noun_and_drop_a_leading_count_or_rank() -> None:
    text = "Three large ships and the fastest steam turbine reached the old harbour."
    (found,) = entities([text])
    phrases = [text[e.start : e.end] for e in found if e.label == PHRASE]
    assert phrases == ["large ships", "steam turbine", "old harbour"]


@pytest.mark.parametrize(
    ("key", "question", "expected"),
    [
        # one word before the asked noun says which on its own
        ("winter", "What kind of winter followed the eruption?", ["volcanic"]),
        ("winter", "Which hemisphere cooled after the eruption?", ["northern"]),
        ("records", "What records did researchers use to date the cooling?", ["tree-ring"]),
        # several words make one name: the phrase is kept whole
        ("immune", "What immune system did the lab study?", ["adaptive immune system"]),
        # what comes before "type" says which
        ("engine", "What type of steam engine does the museum keep?", ["Corliss"]),
        # "several other sources" does not say which sources
        ("records", "What sources did researchers use to date the cooling?", []),
        # a name holding the asked noun is preferred to a noun phrase
        ("court", "What court heard the appeal?", ["Supreme Court of Canada"]),
        # a question with an entity label to ask for gets no noun phrase
        ("immune", "How long did the lab study sharks?", ["three years"]),
    ],
)
def test_which_x_is_answered_by_the_words_saying_which(key: str, question: str, expected: list[str]) -> None:
    assert answers(key, question) == expected


def test_what_kind_of_x_asks_for_an_x() -> None:
    assert named_noun("What kind of winter followed the eruption?") == ("winter", "follow")
    assert named_noun("Which type of cells kill infected cells?") == ("cell", "kill", "infect")


def test_an_engine_answers_which_x_on_a_text_of_its_own() -> None:
    body = " ".join(SENTENCES.values())
    doc = qa.Document("volcano", "Notes", dt.date(2024, 2, 1), body, source="Test")
    answer = qa.Engine([doc]).ask("What immune system did the lab study?")
    assert not answer.abstained and answer.short is not None
    assert answer.short.text == "adaptive immune system"
    assert body[answer.short.start : answer.short.end] == answer.short.text
