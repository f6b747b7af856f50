"""What an explanatory question asks for (qa/asks.py) and how the engine ranks by it."""

from __future__ import annotations

import pytest

import qa
from qa.asks import ask_terms, marked_share, markers
from qa.query import parse_question

MEASURES = "What measures does the author recommend to build a better rural e-commerce ecosystem?"


@pytest.mark.parametrize(
    ("question", "marked", "unmarked"),
    [
        (MEASURES, "On the one hand, constantly improve roads.", "Building it is of great significance."),
        ("What is holding rural e-commerce back?", "There is a shortage of talents.", "Sales grew by 8.9%."),
        ("What was the policy reasoning?", "The policy logic has three points.", "It began in 2015."),
        ("How would you define the project?", "The project involves digital technology.", "It has a role."),
        (
            "What exactly is meant by the project?",
            "The project involves digital technology.",
            "It has a role.",
        ),
        ("What to focus on going forward?", "Looking towards the future, quality first.", "Sales rose."),
    ],
)
def test_each_kind_of_explanation_has_its_markers(question: str, marked: str, unmarked: str) -> None:
    wanted = markers(question)
    assert wanted
    assert marked_share([marked], wanted) == 1.0
    assert marked_share([unmarked], wanted) == 0.0


def test_an_instruction_is_marked_only_where_it_opens_a_sentence() -> None:
    wanted = markers("What steps are recommended?")
    assert marked_share(["Strengthen the training of talents."], wanted) == 1.0
    assert marked_share(["Firstly, actively promote rural logistics."], wanted) == 1.0
    assert marked_share(["The plan aims to strengthen the training of talents."], wanted) == 0.0


def test_the_share_is_of_sentences_holding_a_marker() -> None:
    sentences = ["Therefore, it is necessary to explore.", "Sales rose.", "Improve roads.", "It grew."]
    assert marked_share(sentences, markers("What does the author recommend?")) == 2 / 4
    assert marked_share(sentences, ()) == 0.0
    assert markers("When was the notice issued?") == ()


def test_words_saying_what_is_asked_are_not_the_subject() -> None:
    assert ask_terms("how would you define the idea of boosting agriculture") == ("defin",)
    assert parse_question("What are the main bottlenecks in rural logistics?").asks == ("bottleneck",)
    # a question asking for a fact asks for no kind of explanation
    assert parse_question("How many problems does the plan list?").asks == ()


@pytest.mark.parametrize("undone", [qa.Settings(asks_weight=0.0), qa.Settings(continues=0.0)])
def test_the_passage_giving_what_is_asked_goes_first(engine: qa.Engine, undone: qa.Settings) -> None:
    # rural-ecosystem:7 names the goal (an ecosystem) and holds the question's words; :8 carries
    # it on ("On the one hand, ...") and lists the measures, each an instruction
    assert engine.ask(MEASURES).hits[0].chunk.id == "rural-ecosystem:8"
    assert qa.Engine(engine.documents, undone).ask(MEASURES).hits[0].chunk.id == "rural-ecosystem:7"


def test_a_passage_carrying_on_the_one_before_shares_its_score(engine: qa.Engine) -> None:
    first = [(engine._chunk_pos["rural-ecosystem:7"], 10.0), (engine._chunk_pos["rural-ecosystem:9"], 1.0)]
    scores = dict(engine._with_continuations(first, 0.5))
    # :8 opens "On the one hand," so it gets half of :7's score; :9 ("At the same time,") keeps its
    # own score, since only passages found by BM25 (here :7 and :9) lift the passage after them
    assert scores[engine._chunk_pos["rural-ecosystem:8"]] == 5.0
    assert scores[engine._chunk_pos["rural-ecosystem:9"]] == 1.0
    assert scores[engine._chunk_pos["rural-ecosystem:7"]] == 10.0
    assert engine._chunk_pos["rural-ecosystem:10"] not in scores  # it opens with no connective


def test_what_is_asked_changes_which_passage_answers_not_whether_one_does(engine: qa.Engine) -> None:
    # the definition passage covers few of the question's words ("idea", "using"); the passage that
    # would be first without the markers covers enough, so the engine answers, with the definition
    question = "For my lesson plan: how would you define the idea of using e-commerce to boost agriculture?"
    answer = engine.ask(question)
    assert not answer.abstained
    assert answer.hits[0].chunk.id == "boosting-agriculture:1"
    assert answer.hits[0].sentence is not None and " involves " in answer.hits[0].sentence.text


def test_a_lead_in_saying_who_asks_is_not_part_of_the_question() -> None:
    plain = parse_question("what is the coverage of county logistics centres?")
    led = parse_question("As a student: what is the coverage of county logistics centres?")
    assert led.terms == plain.terms
    # "as a share of" is part of a question, not a lead-in
    assert "share" in parse_question("As a share of sales, how much was online?").terms
