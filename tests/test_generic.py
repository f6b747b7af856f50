"""The answer engine on a text nobody tuned on: plain who/when/where/how-many/how-much questions
about another field, each answered with the right span, and questions it cannot answer."""

from __future__ import annotations

import datetime as dt

import pytest

import qa
from qa.answers import message, parse_question

TEXT = """Microsoft is an American technology company. It was founded by Bill Gates and Paul Allen in
Albuquerque on April 4, 1975, to develop and sell BASIC interpreters for the Altair 8800.

In 1979 the company moved its headquarters to Bellevue, and in 1986 it moved again to Redmond, a
city near Seattle. The company went public in 1986, raising $61 million in its initial offering.

Microsoft acquired GitHub, a code hosting service, in 2018. It paid $7.5 billion in stock for the
service, which then had 28 million developers. About 40% of its developers were outside the United States.

The Clean Air Act was passed in 1970 to limit air pollution in the United States."""

DOC = qa.Document("tech", "A short history of Microsoft", dt.date(2024, 5, 1), TEXT, source="Test")


@pytest.fixture(scope="module")
def engine() -> qa.Engine:
    return qa.Engine([DOC])


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Who founded Microsoft?", "Bill Gates and Paul Allen"),  # a list of names is one answer
        ("When was Microsoft founded?", "April 4, 1975"),
        ("Where was Microsoft founded?", "Albuquerque"),
        ("Which company acquired GitHub?", "Microsoft"),
        ("Which entity acquired GitHub?", "Microsoft"),
        ("What is the name of the code hosting service Microsoft bought?", "GitHub"),
        ("How much did Microsoft pay for GitHub?", "$7.5 billion"),
        ("How many developers did GitHub have?", "28 million"),
        ("In what year did the company go public?", "1986"),
        ("Which city is Redmond near?", "Seattle"),
        ("Which law was passed in 1970?", "Clean Air Act"),
        ("What percentage of GitHub developers were outside the United States?", "About 40%"),
    ],
)
def test_plain_questions_get_the_right_span(engine: qa.Engine, question: str, expected: str) -> None:
    assert_short_answer(engine, DOC, question, expected)


def assert_short_answer(engine: qa.Engine, doc: qa.Document, question: str, expected: str) -> None:
    """``question`` is answered, its short answer is ``expected``, and its offsets slice it from ``doc``."""
    answer = engine.ask(question)
    assert not answer.abstained, answer.message
    assert answer.short is not None
    assert answer.short.text == expected
    assert doc.body[answer.short.start : answer.short.end] == answer.short.text


def test_a_name_the_text_never_mentions_abstains_and_says_which(engine: qa.Engine) -> None:
    answer = engine.ask("Who founded Apple?")
    assert answer.abstained
    assert answer.reason == qa.Reason.UNKNOWN_NAME.value
    assert answer.message == "The corpus does not say: it never mentions “apple”."


def test_a_figure_inside_a_year_of_the_question_is_kept() -> None:
    q = parse_question("What happened to the 14 counties in 2014?")
    assert "14" in q.anchors and "2014" in q.anchors


def test_every_abstention_message_names_something() -> None:
    for reason in qa.Reason:
        text = message(reason)
        assert text.startswith("The corpus does not say: ") and text.endswith(".")
        assert " ." not in text and "“”" not in text


def test_an_engine_accepts_a_generator_of_documents() -> None:
    engine = qa.Engine(d for d in [DOC])
    assert engine.ask("Who founded Microsoft?").short is not None


CITY = """The city council of Leeds adopted a new transport plan in June 2018. It funded bus lanes on
the main roads and a cycle network across the city. The Department for Transport paid for half of the
work.

In the first year bus journeys rose 6.7% and 9.9% in the second year.

The Department of Health ran the air-quality pilots near schools."""

CITY_DOC = qa.Document("leeds", "Transport in Leeds", dt.date(2024, 1, 1), CITY, source="Test")


@pytest.fixture(scope="module")
def city() -> qa.Engine:
    return qa.Engine([CITY_DOC])


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # the answering sentence opens with "It": the date is in the sentence before
        ("When did the council decide to fund bus lanes?", "June 2018"),
        # figures are not joined into a list: the question asks about one of them
        ("By what percentage did bus journeys rise in the first year?", "6.7%"),
        # "health-related" does not say "Department of Health"; "air-quality" is one word
        ("Which department ran the health-related air-quality pilots?", "Department of Health"),
    ],
)
def test_spans_across_a_referring_sentence_and_lists(city: qa.Engine, question: str, expected: str) -> None:
    assert_short_answer(city, CITY_DOC, question, expected)


def test_a_sentence_referring_back_is_quoted_with_the_one_its_answer_is_in(city: qa.Engine) -> None:
    hit = city.ask("When did the council decide to fund bus lanes?").hits[0]
    assert hit.sentence is not None
    quoted = hit.sentence.text
    assert "June 2018" in quoted and "It funded bus lanes" in quoted
    assert CITY[hit.sentence.start : hit.sentence.end] == quoted  # offsets slice back to the quote


def test_a_possessive_is_not_part_of_the_name() -> None:
    from qa.answers.spans import typed
    from qa.documents.models import Span
    from qa.documents.ner import Entity

    text = "The theory was Robert Koch's, and Louis Pasteur’s work followed."
    sentence = Span(text, 0, len(text))
    q = parse_question("Whose theory was it?")
    koch, pasteur = text.index("Robert"), text.index("Louis")
    entities = [Entity("PERSON", koch, koch + len("Robert Koch's")), Entity("PERSON", pasteur, pasteur + 15)]
    assert [s.text for s in typed(entities, sentence, q)] == ["Robert Koch", "Louis Pasteur"]


FORTS = """In 1755 the British captured Fort Beauséjour after a two-week siege. The garrison surrendered to
Colonel Robert Monckton and marched out with the honours of war.

The treaty that followed required that the share of Acadian farmers should not be less than 20%.
The Acadian farmers were later expelled to Louisiana."""

FORTS_DOC = qa.Document("forts", "Forts of Acadia", dt.date(2024, 1, 1), FORTS, source="Test")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # "what fort": a name holding the asked noun answers, whatever its entity label (FAC here)
        ("What fort did the British capture in 1755?", "Fort Beauséjour"),
        # "the name of" asks for a proper name of any kind; "which entity" for an organisation
        ("What was the name of the fort the British captured in 1755?", "Fort Beauséjour"),
        # the NER leaves "not be" out of the figure: quoted without it, the answer would invert the text
        ("What minimum share of Acadian farmers did the treaty require?", "not be less than 20%"),
    ],
)
def test_which_noun_names_and_negated_figures(question: str, expected: str) -> None:
    assert_short_answer(qa.Engine([FORTS_DOC]), FORTS_DOC, question, expected)


def test_the_asked_noun_may_follow_a_modifier() -> None:
    from qa.answers.kinds import named_noun, question_kind

    assert question_kind("What minimum share of the farmers did the treaty require?") == "percent"
    assert question_kind("Which large port cities did the fleet visit?") == "place"
    assert named_noun("In 1755 what fort did the British capture?") == ("fort",)
    assert named_noun("What is the most intense rival?") == ()  # "what is" names no kind of thing
    # "what is Y's X?": X is the asked noun
    assert named_noun("What is Harvard's most intense rival?") == ("intens", "rival")
    assert question_kind("What was William Rankine's nationality?") == "group"
    # X closes the question, or a phrase of time or place after it does
    assert question_kind("What was Rankine's nationality in 1850?") == "group"
    assert question_kind("What were Harvard's total endowment returns in 2009?") == "other"
    assert question_kind("What were Harvard's total sales in 2009?") == "amount"
    assert question_kind("What was Rankine's nationality doing to his career?") == "other"
    # "what is the X of": X is the asked noun
    assert question_kind("What was the value of online sales in 2025?") == "money"
    assert question_kind("What is the total number of professors at Harvard?") == "count"
    assert question_kind("What is the capital of France?") == "place"


IMMUNE = """White blood cells move toward an infection in a process called chemotaxis. The Rankine cycle
is sometimes called a practical Carnot cycle because an efficient turbine is used.

Plants respond to molecules known as pathogen-associated molecular patterns, which warn them of attack."""

IMMUNE_DOC = qa.Document("immune", "Cells and engines", dt.date(2024, 1, 3), IMMUNE, source="Test")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What is the process by which white blood cells move toward an infection called?", "chemotaxis"),
        # the name ends before a conjunction, a relative pronoun, a verb; an article is not part of it
        ("What is the Rankine cycle sometimes called?", "practical Carnot cycle"),
        ("Plants respond to molecules known as what?", "pathogen-associated molecular patterns"),
    ],
)
def test_what_a_text_calls_something_is_the_words_after_called(question: str, expected: str) -> None:
    assert parse_question(question).kind == "term"
    assert_short_answer(qa.Engine([IMMUNE_DOC]), IMMUNE_DOC, question, expected)


def test_a_name_the_question_says_itself_is_not_what_it_is_called() -> None:
    from qa.answers.short import named_term
    from qa.documents.models import Span

    text = "The cycle is called the Rankine cycle, and engineers call it efficient."
    sentence = Span(text, 0, len(text))
    assert named_term(sentence, parse_question("What is the Rankine cycle called?")) is None
    assert named_term(sentence, parse_question("Why is the cycle efficient?")) is None  # not asked
    said = named_term(sentence, parse_question("What is the cycle called?"))
    assert said is not None and said.text == "Rankine cycle" and text[said.start : said.end] == said.text


AIR = """The Clean Air Act was passed in 1970 to limit air pollution from factories and cars.

It did not cover the air inside homes, which later laws addressed."""

AIR_DOC = qa.Document("air", "Clean air law", dt.date(2024, 1, 4), AIR, source="Test")


@pytest.mark.parametrize(
    ("question", "negated"),
    [
        ("Who wasn't on the expedition?", True),
        ("What does the treaty not allow?", True),
        ("Which theory is no longer held?", True),
        ("What was never built?", True),
        ("What does the No. 1 Central Document say?", False),  # "No." before a number
        ("How fast did sales (not just farm goods) grow?", False),  # an aside
        ("What decides whether or not a problem is solvable?", False),  # an open alternative
        ("Which engine runs without pistons?", False),  # a property, not a negated fact
    ],
)
def test_a_question_asking_what_is_not_so(question: str, negated: bool) -> None:
    assert parse_question(question).negated is negated


def test_what_is_not_so_is_answered_only_by_a_passage_that_says_something_is_not() -> None:
    # hit 1 holds the Act but not the negation, which is in the next paragraph
    assert qa.Engine([AIR_DOC]).ask("What did the Clean Air Act not cover?").reason == "negation_unsaid"
    # looking at the two best passages, the one saying "did not cover" becomes hit 1
    deeper = qa.Engine([AIR_DOC], settings=qa.Settings(negation_depth=2))
    answer = deeper.ask("What did the Clean Air Act not cover?")
    assert not answer.abstained and "did not cover" in answer.hits[0].chunk.text
    assert len(answer.hits) == 2 and "passed in 1970" in answer.hits[1].chunk.text
    engine = qa.Engine([DOC])
    answer = engine.ask("Who didn't found Microsoft?")  # its passage negates nothing
    assert answer.abstained and answer.reason == qa.Reason.NEGATION_UNSAID.value
    assert answer.message == message(qa.Reason.NEGATION_UNSAID)
    assert not engine.ask("Who founded Microsoft?").abstained
