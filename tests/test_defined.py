"""Short names a document defines ("(hereinafter referred to as the Opinions)"): later sentences
using them hold the long name's words."""

from __future__ import annotations

import datetime as dt

import pytest

import qa
from qa.answers.defined import Definition, definitions
from qa.answers.question import parse_question
from qa.answers.ranking import best_sentence
from qa.documents.chunking import chunk_document
from qa.search.tokenizer import tokenize


@pytest.mark.parametrize(
    ("text", "alias", "name"),
    [
        ("The council issued the Flood Defence Plan for Coastal Towns (hereinafter referred to as the Plan).",
         "Plan", "Flood Defence Plan for Coastal Towns"),
        ('Microsoft Corporation ("Microsoft") bought GitHub.', "Microsoft", "Microsoft Corporation"),
        ("It signed the Agreement on Trade in Services (hereafter the Agreement) in 2019.",
         "Agreement", "Agreement on Trade in Services"),
    ],
)  # fmt: skip
def test_a_parenthesis_defines_a_short_name(text: str, alias: str, name: str) -> None:
    (found,) = definitions(text)
    assert found.alias == alias
    assert found.terms == frozenset(tokenize(name)) - frozenset(tokenize(alias))
    assert text[found.start - 1] == ")"  # it holds from the end of the parenthesis on


@pytest.mark.parametrize(
    "text", ["Steam turbines (Turbinia) ran the ships.", "The plan (see below) was adopted.", "No name."]
)
def test_a_plain_parenthesis_defines_nothing(text: str) -> None:
    assert definitions(text) == ()


def test_the_short_name_is_used_as_defined() -> None:
    plan = Definition("Plan", frozenset({"flood"}), 0)
    assert plan.used_in("The Plan sets out 12 measures.")
    assert not plan.used_in("The planners met.") and not plan.used_in("a plan of action")


BODY = (
    "The council adopted the Flood Defence Plan for Coastal Towns (hereinafter referred to as the Plan).\n\n"
    "The Plan sets out 12 measures."
)


def test_a_sentence_using_the_short_name_holds_the_long_names_words() -> None:
    doc = qa.Document("plan", "Plan", dt.date(2020, 1, 1), BODY)
    chunk = chunk_document(doc)[1]
    q = parse_question("How many measures does the flood defence plan set out?")
    weights = dict.fromkeys(q.terms, 1.0)
    args = (chunk, (), q, weights, (), qa.Settings())
    plain = best_sentence(*args)[1]
    defined = definitions(BODY)
    assert best_sentence(*args, None, defined)[1] > plain
    # a definition further on in the document does not reach back
    later = tuple(Definition(d.alias, d.terms, chunk.end) for d in defined)
    assert best_sentence(*args, None, later)[1] == plain


def test_a_short_name_in_its_defining_parenthesis_is_no_answer() -> None:
    from qa.answers.short import short_answer
    from qa.answers.spans import typed
    from qa.documents.models import Span
    from qa.documents.ner import Entity

    text = "The board issued the Flood Defence Plan for Coastal Towns (hereinafter referred to as the Plan)"
    sentence = Span(text, 0, len(text))
    long, alias = "the Flood Defence Plan for Coastal Towns", "Plan)"
    found = [
        Entity("LAW", text.index(long), text.index(long) + len(long)),
        Entity("LAW", text.index(alias), text.index(alias) + 4),
    ]
    q = parse_question("What is the full title of the coastal policy?")
    spans = typed(found, sentence, q)
    assert [s.text for s in spans] == ["Flood Defence Plan for Coastal Towns"]
    best = short_answer(spans, sentence, q)
    assert best is not None and text[best.start : best.end] == "Flood Defence Plan for Coastal Towns"
