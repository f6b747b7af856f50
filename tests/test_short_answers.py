"""How a short answer is quoted: names the NER split joined into one ("the Central Committee of the
Communist Party"), lists after "and the", and a figure with the unit the question asks it in."""

from __future__ import annotations

from qa.answers import parse_question
from qa.answers.short import short_answer
from qa.answers.spans import typed
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


def _dates(text: str, question: str, *dates: str) -> str | None:
    sentence = Span(text, 0, len(text))
    q = parse_question(question)
    best = short_answer(typed(_entities(text, *(("DATE", d) for d in dates)), sentence, q), sentence, q)
    assert best is None or text[best.start : best.end] == best.text
    return None if best is None else best.text


def test_first_asks_for_the_earliest_date_and_last_for_the_latest() -> None:
    text = "Mentioned in 1998 by a committee of the senate, it was debated in 2010 and reformed in 2022."
    # without "first" or "last", the date nearest the question's words
    assert _dates(text, "When was it debated?", "1998", "2022", "2010") == "2010"
    assert _dates(text, "When was it mentioned?", "1998", "2022", "2010") == "1998"
    assert _dates(text, "When was it first debated?", "1998", "2022", "2010") == "1998"
    assert _dates(text, "When was it last mentioned?", "1998", "2022", "2010") == "2022"


def test_a_year_the_ner_left_untagged_answers_what_year_and_when() -> None:
    text = 'From mentioning "e-commerce" as early as 2005 in its report to the project in 2022, it grew.'
    # the NER tagged only 2022; "first" asks for the earliest, 2005
    assert _dates(text, "In which year did the report first mention e-commerce?", "2022") == "2005"
    # a bare number the NER tagged as something else is no year
    found = [Entity("CARDINAL", text.index("2005"), text.index("2005") + 4)]
    sentence = Span(text, 0, len(text))
    spans = typed(found, sentence, parse_question("In which year did the report mention e-commerce?"))
    assert [s.text for s in spans] == ["2022"]
    # "when" takes an untagged year, or span of years, as "what year" does
    text = "Watt developed (1763\u20131775) an improved version of the engine."
    assert _dates(text, "When did Watt develop his improved engine?") == "1763\u20131775"
    assert _dates(text, "Who developed an improved engine?") is None


def test_a_name_inside_a_quoted_title_answers_as_the_whole_title() -> None:
    text = 'The "Comprehensive Rural Revitalization Plan (2024-2027)" was issued by the State Council.'
    found = _entities(text, ("LAW", "Comprehensive Rural Revitalization Plan"), ("ORG", "the State Council"))
    sentence = Span(text, 0, len(text))
    spans = typed(found, sentence, parse_question("Which plan did the State Council issue?"))
    assert [s.text for s in spans] == ["Comprehensive Rural Revitalization Plan (2024-2027)"]
    assert text[spans[0].start : spans[0].end] == spans[0].text
    # a noun phrase that answers "which plan?" (no entity label fits a plan) is widened the same way
    found = _entities(text, ("PHRASE", "Comprehensive Rural Revitalization Plan"))
    spans = typed(found, sentence, parse_question("Which plan did the State Council issue?"))
    assert [s.text for s in spans] == ["Comprehensive Rural Revitalization Plan (2024-2027)"]
    # a quoted remark is no title: the name inside it answers alone
    text = '"The State Council will act soon," the minister said.'
    found = _entities(text, ("ORG", "The State Council"))
    spans = typed(found, Span(text, 0, len(text)), parse_question("Who will act soon?"))
    assert [s.text for s in spans] == ["State Council"]


def test_by_how_many_asks_for_the_change_not_the_total() -> None:
    text = "Rural users had reached 192 million by the end of 2023, a net increase of 15.57 million."
    figures = ("192 million", "15.57 million")
    assert _short(text, "By how many did rural users grow in 2023?", figures) == "15.57 million"
    # "how many" alone asks for the figure nearest its words, here the total
    assert _short(text, "How many rural users were there at the end of 2023?", figures) == "192 million"
    assert (
        _short(
            "Sales grew by 5.1 million to 80 million.",
            "By how much did sales grow?",
            ("5.1 million", "80 million"),
        )
        == "5.1 million"
    )


def test_a_name_that_says_the_noun_of_which_x_is_preferred() -> None:
    text = "Drafted by the Ministry of Health after long talks, the guideline was issued by the Nursing Board"
    sentence = Span(text, 0, len(text))
    found = _entities(text, ("ORG", "the Ministry of Health"), ("ORG", "the Nursing Board"))
    q = parse_question("Which ministry issued the guideline?")
    best = short_answer(typed(found, sentence, q), sentence, q)
    assert best is not None and best.text == "Ministry of Health"
    # without the noun, the name nearest the question's words
    q = parse_question("Who issued the guideline?")
    best = short_answer(typed(found, sentence, q), sentence, q)
    assert best is not None and best.text == "Nursing Board"


def test_a_count_is_of_the_noun_phrase_after_it() -> None:
    text = "In 5 years it will have about 1000 county level electric bus charging bays, 100 depots, 50 lots"
    question = "How many bays are the depots and lots of the plan to have?"
    assert _short(text, question, ("about 1000", "100", "50")) == "about 1000"


def test_a_figure_set_as_a_requirement_answers_only_a_question_after_one() -> None:
    text = "The rules said the share of local firms should not be less than 40%, reaching 55% that year."
    sentence = Span(text, 0, len(text))
    found = _entities(text, ("PERCENT", "less than 40%"), ("PERCENT", "55%"))

    def best(question: str) -> str | None:
        q = parse_question(question)
        got = short_answer(typed(found, sentence, q), sentence, q)
        return None if got is None else got.text

    assert best("What share of the firms were local that year?") == "55%"
    assert best("What minimum share of local firms did the rules set?") == "not be less than 40%"


def test_which_month_is_answered_by_the_month_of_a_date() -> None:
    text = "The charter was signed in early March 1990 and took effect in 1991."
    assert _dates(text, "In which month was the charter signed?", "early March 1990", "1991") == "March"
    assert _dates(text, "When was the charter signed?", "early March 1990", "1991") == "early March 1990"


def test_the_source_a_question_names_is_not_what_the_answer_stands_near() -> None:
    text = "Data from the transport office show ridership of 9 million in 2020 and bus sales of 400 in 2020."
    question = "According to the transport office data, what were bus sales in 2020?"
    assert parse_question(question).attributed == frozenset(["transport", "offic", "data"])
    assert _short(text, question, ("9 million", "400")) == "400"


def test_how_much_is_answered_by_a_sum_of_money_before_a_count() -> None:
    text = "The 2019 round funded 240 towns with a national investment of 3.6 billion euros."
    question = "How much did the state put into the 2019 round of towns?"
    assert _short(text, question, ("240", "3.6 billion euros")) == "3.6 billion euros"
    assert _short(text, "How many towns did the 2019 round fund?", ("240", "3.6 billion euros")) == "240"
