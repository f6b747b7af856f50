"""How a short answer is quoted: names the NER split joined into one ("the Central Committee of the
Communist Party"), lists after "and the", and a figure with the unit the question asks it in."""

from __future__ import annotations

from qa.answers import parse_question
from qa.answers.spans import short_answer, typed
from qa.documents.models import Span
from qa.documents.ner import Entity


def _entities(text: str, *names: tuple[str, str]) -> list[Entity]:
    return [Entity(label, text.index(name), text.index(name) + len(name)) for label, name in names]


def test_a_name_of_a_name_and_a_list_after_and_the_are_one_answer() -> None:
    text = "The plan was issued by the Central Committee of the Communist Party and the State Council."
    found = _entities(
        text, ("ORG", "the Central Committee"), ("ORG", "the Communist Party"), ("ORG", "the State Council")
    )
    spans = typed(found, Span(text, 0, len(text)), parse_question("Who issued the plan?"))
    assert [s.text for s in spans] == ["Central Committee of the Communist Party and the State Council"]
    assert text[spans[0].start : spans[0].end] == spans[0].text


def _short(text: str, question: str, figures: tuple[str, ...]) -> str | None:
    sentence = Span(text, 0, len(text))
    q = parse_question(question)
    found = _entities(text, *(("CARDINAL", f) for f in figures))
    best = short_answer(typed(found, sentence, q), sentence, q)
    assert best is None or text[best.start : best.end] == best.text
    return None if best is None else best.text


def test_a_figure_is_quoted_with_the_unit_the_question_asks_it_in() -> None:
    text = "Rural users grew 8.8%, 1.3 percentage points faster than urban users."
    question = "How much faster did rural users grow than urban ones, in percentage points?"
    assert _short(text, question, ("1.3",)) == "1.3 percentage points"
    # a unit the question does not ask the figure in is left out, as SQuAD's and the gold's answers do
    text = "The farms shipped 20 million units a day."
    assert _short(text, "How many units did the farms ship a day?", ("20 million",)) == "20 million"
