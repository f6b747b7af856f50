"""Answers: best sentence, short answer, abstention, and their JSON form."""

from __future__ import annotations

import datetime as dt

import pytest

import qa
from qa.jsonform import answer_to_dict
from qa.query import parse_question


def test_poverty_counties_question(engine: qa.Engine) -> None:
    answer = engine.ask("when were poverty counties fully covered")
    assert not answer.abstained
    top = answer.hits[0]
    assert top.chunk.id == "rural-demonstration:8"
    assert top.sentence is not None
    assert "full coverage of 832" in top.sentence.text
    assert answer.short is not None and answer.short.text == "2019"
    assert answer.short_hit == 1


def test_offsets_slice_back_into_the_body(engine: qa.Engine) -> None:
    for question in ["when were poverty counties fully covered", "How many rural broadband users by 2023?"]:
        answer = engine.ask(question)
        for hit in answer.hits:
            body = hit.document.body
            assert hit.sentence is not None
            assert body[hit.sentence.start : hit.sentence.end] == hit.sentence.text
            assert hit.chunk.start <= hit.sentence.start < hit.sentence.end <= hit.chunk.end
        assert answer.short is not None
        body = answer.hits[0].document.body
        assert body[answer.short.start : answer.short.end] == answer.short.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How much did rural online retail sales come to in 2023?", "2.49 trillion yuan"),
        ("How many new demonstration counties were added in 2019?", "215"),
        ("What percentage of poverty-relief counties did the demonstration cover by 2018?", "88.6%"),
        ("In which year did the No. 1 Central Document first mention e-commerce?", "2005"),
        ("Who issued the Comprehensive Rural Revitalization Plan?", None),  # named in the question itself
        # a growth rate is the percentage; the gap with urban users is in percentage points
        ("rural broadband user growth rate 2023 percent", "8.8%"),
        (
            "By how many percentage points did rural broadband growth outpace urban growth in 2023?",
            "1.3 percentage points",
        ),
        ("What was the net gain in rural broadband subscribers over 2023?", "15.57 million"),
        # "reach every" poverty-relief county is the texts' "full coverage" of them
        ("In which year did the demonstration programme reach every national poverty-relief county?", "2019"),
        (
            "What was the May 2016 notice called that brought the poverty office into the demonstration?",
            "the Notice on Carrying Out the 2016 Comprehensive Demonstration Work of E-commerce in Rural "
            "Areas",
        ),
    ],
)
def test_short_answers(engine: qa.Engine, question: str, expected: str | None) -> None:
    answer = engine.ask(question)
    assert not answer.abstained
    if expected is None:
        assert answer.short is None or "Comprehensive Rural Revitalization Plan" not in answer.short.text
    else:
        assert answer.short is not None and answer.short.text == expected


def test_explanations_get_no_short_answer(engine: qa.Engine) -> None:
    answer = engine.ask("What does boosting agriculture through e-commerce involve?")
    assert not answer.abstained
    assert answer.short is None


@pytest.mark.parametrize(
    ("question", "fragment"),
    [
        ("What is the population of Shanghai?", "“shanghai”"),
        ("What is the capital of France?", "no passage matches"),
        ("What were China's rural online retail sales in 2010?", "“2010”"),
        ("How does blockchain help the traceability of farm produce?", "never mentions “blockchain”"),
        ("What did the people of the town say about it last week?", "general words"),
        ("How many rural broadband users did China have in 2020?", "not about 2020"),
        ("What were rural online retail sales in 2016?", "not about 2016"),
        ("What salary do rural livestream hosts earn?", "never mentions “salary”, “hosts”, “earn”"),
        (
            "What price do farmers get for live-streamed agricultural products?",
            "no figure of the kind asked for",
        ),
        ("How much do live streaming hosts charge farmers?", "never mentions “hosts”, “charge”"),
        ("How many rural post offices were there at the end of 2023?", "counts no “offices”"),
        ("How many online shops did rural broadband users open in 2023?", "counts no “shops”"),
        ("How many urban broadband users did China have at the end of 2023?", "for “rural”, not “urban”"),
    ],
)
def test_abstains_when_the_corpus_does_not_say(engine: qa.Engine, question: str, fragment: str) -> None:
    answer = engine.ask(question)
    assert answer.abstained
    assert answer.hits == ()
    assert answer.short is None
    assert answer.message.startswith("The corpus does not say")
    assert fragment in answer.message


def test_a_figure_qualified_the_opposite_way_is_no_answer(engine: qa.Engine) -> None:
    rural = engine.ask("How many rural broadband users did China have at the end of 2023?")
    assert rural.short is not None and rural.short.text == "192 million"
    urban = "How many urban broadband users did China have at the end of 2023?"
    undone = qa.Engine(engine.documents, qa.Settings(opposites=False)).ask(urban)
    assert undone.short is not None and undone.short.text == "192 million"  # what it said before
    both = engine.ask("How many rural and urban broadband users were there at the end of 2023?")
    assert not both.abstained  # naming both, the question is not about the other one


def test_json_form(engine: qa.Engine) -> None:
    obj = answer_to_dict(engine.ask("when were poverty counties fully covered", k=3))
    assert obj["answer"]["text"] == "2019"
    assert obj["answer"]["hit"] == 1
    hit = obj["hits"][0]
    assert hit["sentence"]["text"].startswith("In 2019, 215 new")
    body = engine.document(hit["doc_id"]).body
    assert body[obj["answer"]["start"] : obj["answer"]["end"]] == "2019"
    assert body[hit["sentence"]["start"] : hit["sentence"]["end"]] == hit["sentence"]["text"]
    abstained = answer_to_dict(engine.ask("What is the population of Shanghai?"))
    assert abstained["answer"] is None and abstained["hits"] == [] and abstained["abstained"] is True
    assert "shanghai" in abstained["message"]


def test_hits_are_ranked_and_match_the_question(engine: qa.Engine) -> None:
    answer = engine.ask("rural broadband users", k=5)
    scores = [h.score for h in answer.hits]
    assert scores == sorted(scores, reverse=True)
    for hit in answer.hits:
        assert set(hit.matched_terms) & {"rural", "broadband", "user"}


def test_everyday_words_missing_from_the_corpus_do_not_make_it_abstain(engine: qa.Engine) -> None:
    # "body", "published", "figures" are nowhere in the corpus, but they are common English words:
    # the user's own wording, not a subject the corpus lacks
    answer = engine.ask("Which government body published the figures on rural online retail sales for 2025?")
    assert not answer.abstained
    assert answer.short is not None and answer.short.text == "the Ministry of Commerce"


def test_a_factual_question_ranks_the_passage_holding_such_a_fact_first(engine: qa.Engine) -> None:
    answer = engine.ask("How many rural e-commerce leaders is the plan to train?")
    # BM25 alone puts a passage on skills training, with no figure in it, first
    bm25_first = engine.index.search(list(parse_question(answer.question).search_terms), 1)[0][0]
    assert engine.chunks[bm25_first].id != "rural-ecosystem:5"
    assert answer.hits[0].chunk.id == "rural-ecosystem:5"
    assert answer.short is not None and answer.short.text == "about 10000"
    plain = qa.Engine(engine.documents, qa.Settings(untyped_penalty=0.0)).ask(answer.question)
    assert plain.hits[0].chunk.id != "rural-ecosystem:5"


def test_a_fact_question_naming_a_year_takes_the_close_passage_of_that_year(engine: qa.Engine) -> None:
    question = "I saw a year-on-year growth figure for rural online retail sales in 2025: what is it?"
    answer = engine.ask(question)
    assert not answer.abstained
    assert answer.hits[0].chunk.id == "endogenous-driving-force:1"
    assert "2025" in answer.hits[0].chunk.text
    assert answer.short is not None and answer.short.text == "6.7%"
    unswapped = qa.Engine(engine.documents, qa.Settings(year_swap=0.0)).ask(question)
    assert unswapped.abstained and "not about 2025" in unswapped.message


def test_how_many_is_answered_where_the_best_sentence_counts_it(engine: qa.Engine) -> None:
    answer = engine.ask("How many livestreams did the platforms help farmers hold by 2025?")
    assert not answer.abstained  # livestreams = live broadcasts (qa/data/synonyms.txt)
    assert answer.short is not None and answer.short.text == "over 4 million"
    question = "How many rural post offices were there at the end of 2023?"
    assert not qa.Engine(engine.documents, qa.Settings(counted_in_sentence=False)).ask(question).abstained


def test_a_question_about_a_person_abstains_where_the_texts_name_none(engine: qa.Engine) -> None:
    answer = engine.ask("Who was the director of the poverty alleviation leading group office in 2015?")
    assert answer.abstained and "no figure of the kind asked for" in answer.message


def test_everyday_words_the_texts_never_use_weigh_little(engine: qa.Engine) -> None:
    question = "Which office put e-commerce on its shortlist of ten flagship programmes to beat poverty?"
    answer = engine.ask(question)  # "shortlist", "flagship", "beat": the user's words, not the texts'
    assert not answer.abstained and answer.hits[0].chunk.id == "poverty-alleviation:1"
    assert qa.Engine(engine.documents, qa.Settings(oov_weight=1.0)).ask(question).abstained


def test_a_question_mostly_in_words_the_texts_never_use_abstains(engine: qa.Engine) -> None:
    answer = engine.ask("Who coaches the Chinese men's national football team?")
    assert answer.abstained and "never mentions “coaches”, “men's”, “football”" in answer.message


@pytest.mark.parametrize(
    ("question", "undone", "hit", "short"),
    [
        # of two years, the passage says one and "the previous year"
        (
            "By what percentage did rural broadband users grow in 2023 compared with 2022?",
            qa.Settings(one_year=False),
            "rural-ecosystem:2",
            "8.8%",
        ),
        # "weaknesses": the texts say "imbalance problems", so the word weighs in full where they do
        (
            "What weaknesses hold back online commerce in rural China?",
            qa.Settings(said_full=False),
            "rural-ecosystem:4",
            None,
        ),
        # "three-tier logistics": a count in words is half an answer, not none
        (
            "Across how many levels is the campaign meant to extend logistics into the countryside?",
            qa.Settings(weak_share=1.0),
            "boosting-agriculture:6",
            "three",
        ),
        # the passage that says "nine departments" counts no measures; the one with "14 ... measures" does
        (
            "How many measures are set out in the ministry's opinions on high-quality rural e-commerce?",
            qa.Settings(counted_rank=0.0),
            "rural-ecosystem:5",
            "14",
        ),
    ],
)
def test_each_answer_rule_is_what_finds_the_answer(
    engine: qa.Engine, question: str, undone: qa.Settings, hit: str, short: str | None
) -> None:
    answer = engine.ask(question)
    assert not answer.abstained and answer.hits[0].chunk.id == hit
    assert (answer.short.text if answer.short else None) == short
    assert qa.Engine(engine.documents, undone).ask(question).abstained


@pytest.mark.parametrize(
    ("question", "abstains"),
    [
        (
            "What weaknesses still hold back rural e-commerce, according to the 2024 Economic Daily piece?",
            False,
        ),
        ("What weaknesses held back rural e-commerce in 2024?", True),
        # the year of the figure, not of the text: the Economic Daily gives users at the end of 2023
        ("How many rural broadband users were there in 2024, according to the Economic Daily?", True),
    ],
)
def test_a_year_dating_the_named_text_is_not_a_year_the_passage_must_hold(
    engine: qa.Engine, question: str, abstains: bool
) -> None:
    answer = engine.ask(question)
    assert answer.abstained is abstains
    assert abstains or answer.hits[0].chunk.id == "rural-ecosystem:4"  # dated 2024-04-02


def test_a_paraphrase_of_a_title_finds_its_text(engine: qa.Engine) -> None:
    # "home-grown momentum" says the title's "endogenous driving force" in everyday words
    assert {"endogen", "drive", "forc"} <= set(parse_question("its home-grown momentum").expansion)
    answer = engine.ask(
        "What does the commentary on rural e-commerce's home-grown momentum say about talent?"
    )
    assert not answer.abstained and answer.hits[0].document.id == "endogenous-driving-force"


@pytest.mark.parametrize(
    "question",
    [
        "What were online sales of agricultural products in 2023?",
        "What were China's online retail sales of agricultural products in 2020?",
    ],
)
def test_a_figure_the_texts_give_only_in_another_context_is_no_answer(
    engine: qa.Engine, question: str
) -> None:
    # the 2023 and 2020 sentences give rural online retail sales; only the 2025 sentence gives
    # "online retail sales of agricultural products", so the texts do not say it for 2023 or 2020
    answer = engine.ask(question)
    assert answer.abstained and "agricultural products" in answer.message
    undone = qa.Engine(engine.documents, qa.Settings(elsewhere=False)).ask(question)
    assert not undone.abstained and undone.short is not None and "trillion yuan" in undone.short.text
    # where the texts give it, the same words are the answer's
    given = engine.ask("What were online sales of agricultural products in 2025?")
    assert given.short is not None and given.short.text == "783.31 billion yuan"


def _undone(engine: qa.Engine, question: str, fragment: str, **settings: bool) -> qa.Answer:
    """Check that ``question`` abstains with ``fragment`` in its message; its answer with ``settings``."""
    answer = engine.ask(question)
    assert answer.abstained and fragment in answer.message
    return qa.Engine(engine.documents, qa.Settings(**settings)).ask(question)


def _short_in(body: str, question: str) -> str | None:
    """The short answer to ``question`` from a corpus of one user's document holding ``body``."""
    doc = qa.Document(id="own", title="A user's document", date=dt.date(2026, 1, 5), body=body)
    answer = qa.Engine([doc]).ask(question)
    return None if answer.abstained or answer.short is None else answer.short.text


def test_a_figure_described_elsewhere_in_the_texts_words_is_no_answer(engine: qa.Engine) -> None:
    # "farm products" is the texts' "agricultural products" (synonyms.txt); their online sales are
    # given for 2025 only, so the 2023 rural online retail figure does not answer for 2023
    undone = _undone(
        engine,
        "How much did farm products sell for online in 2023?",
        "“agricultural products”",
        elsewhere=False,
    )
    assert undone.short is not None and undone.short.text == "2.49 trillion yuan"
    # hyphenated, the same phrase picks the agricultural-products figure of a "respectively" pair
    growth = engine.ask("farm-produce online sales growth rate 2025, year on year")
    assert growth.short is not None and growth.short.text == "9.9%"


@pytest.mark.parametrize(
    "question",
    [
        "What share of 2025 rural online retail sales came from livestream selling?",
        "What percentage of rural households in China have broadband internet access?",
        "What percentage of poor rural households were selling online by the end of 2020?",
    ],
)
def test_a_growth_rate_is_no_share(engine: qa.Engine, question: str) -> None:
    # the texts give growth rates ("an increase of 6.7%", "8.8% higher than the previous year")
    # and gaps ("8.9 percentage points"), never the part of a whole these questions ask for
    undone = _undone(engine, question, "is a change", rates=False)
    assert not undone.abstained and undone.short is not None and undone.short.text.endswith(("%", "points"))


def test_a_share_question_asking_for_growth_gets_the_rate(engine: qa.Engine) -> None:
    answer = engine.ask("By what percentage did rural broadband users grow in 2023?")
    assert not answer.abstained and answer.short is not None and answer.short.text == "8.8%"


def test_bodies_named_in_lower_case_answer_who_was_supported(engine: qa.Engine) -> None:
    answer = engine.ask("Which organisations were supported to open service outlets in poor villages?")
    assert answer.short is not None
    assert answer.short.text == "the postal system and supply and marketing cooperatives"


@pytest.mark.parametrize(
    "question",
    [
        "What were rural online retail sales in 2026?",  # the 2026 text gives 2025's, with the year
        "How many rural broadband users were there in 2024?",  # the 2024 text gives 2023's
        "How many concrete measures were announced in April 2019?",  # no text is of April 2019
    ],
)
def test_a_texts_own_time_is_not_every_time(engine: qa.Engine, question: str) -> None:
    assert engine.ask(question).abstained


def test_dated_terms_add_the_documents_year_only_where_the_sentence_names_none(engine: qa.Engine) -> None:
    recent = engine.chunk("rural-ecosystem:1")  # "... recently jointly issued the Implementation Opinions"
    pos = engine.chunks.index(recent)
    assert "2024" not in set(qa.tokenize(recent.text))
    assert "2024" in engine.dated_terms(pos, recent.sentences[0])
    dated = engine.chunk("rural-ecosystem:3")  # "In 2023, China's rural online retail sales will reach ..."
    assert "2024" not in engine.dated_terms(engine.chunks.index(dated), dated.sentences[0])


def test_a_date_naming_a_text_takes_that_texts_passage(engine: qa.Engine) -> None:
    # hit 1 by BM25 is the 2024 commentary's; "the 2026 Economic Daily piece" names the 2026 one
    answer = engine.ask(
        "Looking ahead, what should rural e-commerce concentrate on according to the 2026 "
        "Economic Daily piece?"
    )
    assert not answer.abstained and answer.hits[0].document.id == "endogenous-driving-force"
    assert (
        answer.hits[0].sentence is not None and "Looking towards the future" in answer.hits[0].sentence.text
    )


def test_a_business_question_needs_a_business(engine: qa.Engine) -> None:
    # the texts name no platform; the body they name near the figure is a ministry
    question = "Which e-commerce platform released the data on rural online retail sales?"
    undone = _undone(engine, question, "is not a platform", bodies=False)
    assert undone.short is not None and undone.short.text == "the Ministry of Commerce"
    body = "In 2025, Alibaba Group sold the most farm products through livestreams of any company."
    question = "Which company sold the most farm products through livestreams in 2025?"
    assert _short_in(body, question) == "Alibaba Group"


def test_a_place_question_needs_a_place(engine: qa.Engine) -> None:
    # the texts give national totals only: no province is named, so none is the answer
    question = "Which province had the most comprehensive demonstration counties by 2018?"
    answer = engine.ask(question)
    assert answer.abstained and "“province”" in answer.message
    body = "By 2018, Zhejiang Province had the most comprehensive demonstration counties, 62 in all."
    assert _short_in(body, question) == "Zhejiang Province"


@pytest.mark.parametrize(
    ("question", "short"),
    [
        ("fourteenth five-year planning cycle: start and end years?", "2021-2025"),
        (
            "what sum did the central government put into the 2016 round of the demo scheme?",
            "3.6 billion yuan",
        ),
        (
            "How many percentage points faster did rural broadband users grow than urban ones in 2023?",
            "1.3 percentage points",
        ),
        ("Economic Daily 2026 piece: nationwide rural online retail total for 2025?", "3 trillion yuan"),
        (
            "Minimum yearly increase in online transaction value demanded of pilot counties?",
            "not less than 30%",
        ),
        ("How many concrete steps are laid out in the 2024 rural e-commerce implementation opinions?", "14"),
        # a text speaks of its own time: "recently jointly issued", in a text of 2024; "released in
        # February this year", in one of 2026
        (
            "What's the full title of the policy paper the commerce ministry and nine other departments "
            "issued in 2024?",
            "the Implementation Opinions on Promoting the High Quality Development of Rural E-commerce",
        ),
        ("How many measures do the opinions issued in 2024 contain?", "14"),
        (
            "Which central policy document put out in early 2026 called for standardising livestream "
            "selling of farm produce?",
            "The Opinions of the Central Committee of the Communist Party of China and the State Council on "
            "Anchoring Agricultural and Rural Modernization and Solidly Promoting Comprehensive Rural "
            "Revitalization",
        ),
        # a document's month and year are its date, which no passage writes
        (
            "How many concrete measures are contained in the Opinions discussed by the Economic Daily in "
            "April 2024?",
            "14",
        ),
        # a question naming its text by date; the text is dated 2026-03-13 and its passage says
        # "released in February this year"
        (
            "The Economic Daily piece from March 2026 mentions central opinions on anchoring agricultural "
            "and rural modernisation - when were those put out?",
            "February",
        ),
        (
            "Quick question for my report: how many concrete measures do the 2024 implementation "
            "opinions contain?",
            "14",
        ),
    ],
)
def test_held_out_wordings_get_their_fact(engine: qa.Engine, question: str, short: str) -> None:
    # each abstained or answered wrongly before a rule for its wording (an ordinal in words, "what
    # sum", "how many percentage points", a year before "piece", the text's own time, its date)
    answer = engine.ask(question)
    assert not answer.abstained and answer.short is not None and answer.short.text == short


def test_a_joined_word_the_texts_never_use_weighs_no_more_than_its_parts(engine: qa.Engine) -> None:
    # "online-commerce" and "multi-year" are the user's joins; their parts are question terms too
    joined = parse_question("Which multi-year plan says villages need training of online-commerce talent?")
    apart = parse_question("Which multi year plan says villages need training of online commerce talent?")
    assert set(joined.terms) - set(apart.terms) == {"multiyear", "onlinecommerc"}
    for chunk_id in ("endogenous-driving-force:7", "boosting-agriculture:10"):
        chunk = engine.chunk(chunk_id)
        assert engine.coverage(joined, chunk) == pytest.approx(engine.coverage(apart, chunk))
    assert not engine.ask(
        "Which multi-year plan says villages need more training of digital and online-commerce talent?"
    ).abstained
