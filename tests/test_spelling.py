"""A name the question misspells is read as the corpus spells it, and the answer says so."""

from __future__ import annotations

import datetime as dt

import pytest

import qa
from qa.answers import parse_question
from qa.answers.spelling import one_edit, read_as_note, respellings, written
from qa.cite.cards import format_answer_text

TEXT = """Pierre-Joseph Céloron led an expedition down the Ohio River in 1749. Céloron's party of 200
soldiers buried lead plates along the river to mark the French claim.

The Duquesne fort was built in 1754 where two rivers meet, and Washington attacked it in 1758."""

DOC = qa.Document("ohio", "The Ohio Country", dt.date(2024, 1, 2), TEXT, source="Test")


@pytest.fixture(scope="module")
def engine() -> qa.Engine:
    return qa.Engine([DOC])


def test_one_edit_is_every_string_one_step_away() -> None:
    near = one_edit("abc")
    assert {"bc", "ac", "ab"} <= near  # deletions
    assert {"bac", "acb"} <= near  # swaps of neighbours
    assert {"xbc", "axc", "abx"} <= near  # replacements
    assert {"xabc", "abcx", "abxc"} <= near  # insertions
    assert "abc" not in near and "cba" not in near and "abcde" not in near
    assert {len(s) for s in near} == {2, 3, 4}
    # 3 deletions + 2 swaps + 26×3 replacements + 26×4 insertions, less repeats and the word itself
    assert len(near) <= 3 + 2 + 78 + 104


def _fixes(question: str, vocabulary: set[str]) -> dict[str, str]:
    q = parse_question(question)
    return respellings(q, [a for a in q.anchors if a not in vocabulary], vocabulary, lambda t: 1)


def test_only_a_rare_name_of_five_letters_or_more_with_its_first_letter_is_respelt() -> None:
    assert _fixes("Where did Moncalm attack?", {"montcalm"}) == {"moncalm": "montcalm"}
    assert _fixes("Where did Moncalm attack?", {"bontcalm"}) == {}  # the first letter differs
    assert _fixes("What happened in 17499?", {"1749"}) == {}  # a number is not a name
    assert _fixes("Who hosted Late Night?", {"right", "nights"}) == {}  # an everyday word
    assert _fixes("Where is Oslo?", {"osla"}) == {}  # under five letters


def test_the_most_frequent_of_several_neighbours_wins() -> None:
    q = parse_question("Where did Carlo go?")
    counts = {"carla": 3, "carlos": 9}
    assert respellings(q, ["carlo"], set(counts), counts.__getitem__) == {"carlo": "carlos"}


def test_a_misspelt_name_is_answered_and_the_answer_says_how_it_was_read(engine: qa.Engine) -> None:
    answer = engine.ask("How many soldiers were in Celoron's party?")  # no accent: the same term
    assert not answer.abstained and answer.read_as == ()
    answer = engine.ask("How many soldiers were in Celoran's party?")
    assert not answer.abstained, answer.message
    assert answer.read_as == (("Celoran", "Céloron"),)
    assert answer.short is not None and answer.short.text == "200"
    assert "Read “Celoran” as “Céloron”." in format_answer_text(answer).splitlines()
    assert qa.answer_to_dict(answer)["read_as"] == [{"asked": "Celoran", "read": "Céloron"}]


def test_a_name_two_edits_away_still_abstains(engine: qa.Engine) -> None:
    answer = engine.ask("When was the Dukane fort built?")
    assert answer.abstained and answer.reason == qa.Reason.UNKNOWN_NAME.value
    assert answer.read_as == ()


def test_the_asked_and_written_words_come_from_the_texts() -> None:
    assert written("celoron", ["In 1749 Céloron's party left."]) == "Céloron"
    assert written("duquesn", ["no such word here"]) is None
    assert read_as_note([("Moncalm", "Montcalm"), ("Shirey", "Shirley")]) == (
        "Read “Moncalm” as “Montcalm”, “Shirey” as “Shirley”."
    )
    assert read_as_note([]) == ""
