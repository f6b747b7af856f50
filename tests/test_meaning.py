"""Questions asking what something means, and the sentences that open by defining it."""

from __future__ import annotations

import datetime as dt

import pytest

import qa
from qa.answers.meaning import MAX_DEFINED_WORDS, asks_meaning, defined_words


@pytest.mark.parametrize(
    "question",
    [
        "What is meant by precision farming?",
        "What is actually meant by the policy?",
        "What does precision farming involve?",
        "What does GDP stand for?",
        "definition of precision farming",
        "How would you define precision farming?",
        "What is the idea behind the levy?",
        "Can you explain the concept of herd immunity?",
        "What is the programme really about, in plain terms?",
    ],
)
def test_questions_asking_what_something_means(question: str) -> None:
    assert asks_meaning(question)


@pytest.mark.parametrize(
    "question",
    [
        "When did the programme start?",
        "How many farmers bought drones?",
        "What did the report say about the harbour?",
        "What is the programme meant to do?",
    ],
)
def test_questions_asking_something_else(question: str) -> None:
    assert not asks_meaning(question)


def test_the_words_a_sentence_opens_by_defining() -> None:
    assert defined_words("Precision farming involves measuring each field.") == "Precision farming "
    assert defined_words("A levy is a tax raised for one purpose.") == "A levy "
    assert defined_words("GDP stands for gross domestic product.") == "GDP "
    # a clause before the verb, or no defining verb: it opens with something else
    assert defined_words("Driven by the programme, the county is a leader in drones.") is None
    assert defined_words("Farmers bought drones in 2020.") is None
    long = " ".join(["word"] * (MAX_DEFINED_WORDS + 1)) + " involves nothing."
    assert defined_words(long) is None


def _doc(doc_id: str, body: str) -> qa.Document:
    return qa.Document(doc_id, doc_id, dt.date(2024, 1, 1), body)


@pytest.mark.parametrize(
    "question",
    [
        "definition of the precision farming programme",
        "What is meant by the precision farming programme?",
        "How would you define the precision farming programme?",
    ],
)
def test_the_sentence_defining_what_is_asked_leads(question: str) -> None:
    """The passage naming the programme holds more of the question's words; the one defining
    precision farming answers it."""
    engine = qa.Engine(
        [
            _doc(
                "defines",
                "Precision farming involves measuring each field's soil and water so that seed and "
                "fertiliser are applied only where needed.",
            ),
            _doc(
                "mentions",
                "Driven by the precision farming programme, farmers in the province bought drones, "
                "sensors and new tractors in 2020.",
            ),
            _doc("harbour", "The harbour opened in 1950 and handles grain, coal and timber for the region."),
        ]
    )
    answer = engine.ask(question)
    assert [h.document.id for h in answer.hits] == ["defines", "mentions"]
    assert answer.hits[0].sentence is not None
    assert answer.hits[0].sentence.text.startswith("Precision farming involves")
