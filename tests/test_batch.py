"""Many questions on every core (qa/answers/batch.py): the same answers, in the same order."""

from __future__ import annotations

import json

import pytest
from threadpoolctl import threadpool_limits

import qa
from qa.answers import answer_to_dict, ask_all
from qa.answers.batch import workers_for

QUESTIONS = [
    "when were poverty counties fully covered",
    "How many counties did the 2016 demonstration cover?",
    "What are the main obstacles holding back rural e-commerce?",
    "What is the population of Shanghai?",
    "Who issued the Comprehensive Rural Revitalization Plan?",
    "rural online retail sales",
    "How should rural e-commerce talent be developed?",
    "who wrote about blockchain",
] * 3


def _json(answers: list[qa.Answer]) -> list[str]:
    return [json.dumps(answer_to_dict(a), sort_keys=True) for a in answers]


def test_two_workers_give_the_answers_of_one_at_a_time(engine: qa.Engine) -> None:
    assert workers_for(engine, len(QUESTIONS), 2) == 2  # really forked
    with threadpool_limits(1):  # as the workers do: BLAS on more threads may round differently
        one = [engine.ask(q, 3) for q in QUESTIONS]
    both = list(ask_all(engine, QUESTIONS, 3, workers=2))
    assert _json(both) == _json(one)
    assert [a.question for a in both] == QUESTIONS


def test_filters_reach_the_workers(engine: qa.Engine) -> None:
    doc = engine.documents[0].id
    answers = list(ask_all(engine, QUESTIONS, 5, docs=[doc], workers=2))
    assert all(h.chunk.doc_id == doc for a in answers for h in a.hits)
    with threadpool_limits(1):
        assert _json(answers) == _json([engine.ask(q, 5, docs=[doc]) for q in QUESTIONS])


@pytest.mark.parametrize(("n", "workers", "expected"), [(3, 2, 1), (16, 2, 2), (100, 1, 1), (100, 4, 4)])
def test_few_questions_are_not_worth_a_process(
    engine: qa.Engine, n: int, workers: int, expected: int
) -> None:
    assert workers_for(engine, n, workers) == expected
