"""Answers on the shipped corpus: best sentence, short answer, abstention reasons, the JSON form,
and the corpus vocabulary applying to its own documents only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import qa
from qa.answers import parse_question
from qa.answers.jsonform import answer_to_dict
from qa.answers.kinds import question_kind


def test_offsets_slice_back_into_the_body(engine: qa.Engine) -> None:
    for question in ["How many rural broadband users by 2023?", "When did the 2014 demonstration start?"]:
        answer = engine.ask(question)
        assert not answer.abstained, answer.message
        for hit in answer.hits:
            body = hit.document.body
            assert hit.sentence is not None
            assert body[hit.sentence.start : hit.sentence.end] == hit.sentence.text
            assert hit.chunk.start <= hit.sentence.start < hit.sentence.end <= hit.chunk.end
        if answer.short is not None:
            body = answer.hits[0].document.body
            assert body[answer.short.start : answer.short.end] == answer.short.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How many new demonstration counties were added in 2019?", "215"),
        ("How much did rural online retail sales come to in 2023?", "2.49 trillion yuan"),
    ],
)  # fmt: skip
def test_short_answers(engine: qa.Engine, question: str, expected: str) -> None:
    answer = engine.ask(question)
    assert answer.short is not None, answer.message
    assert answer.short.text == expected
    assert answer.short_hit == 1


def test_explanations_get_no_short_answer(engine: qa.Engine) -> None:
    answer = engine.ask("Why does e-commerce matter for rural areas?")
    assert not answer.abstained
    assert answer.short is None


@pytest.mark.parametrize(
    ("question", "reason", "fragment"),
    [
        ("What is the population of Shanghai?", qa.Reason.UNKNOWN_NAME, "it never mentions “shanghai”"),
        ("xyzzy plugh", qa.Reason.NO_MATCH, "no passage matches"),
    ],
)
def test_abstains_with_a_reason(engine: qa.Engine, question: str, reason: qa.Reason, fragment: str) -> None:
    answer = engine.ask(question)
    assert answer.abstained and not answer.hits and answer.short is None
    assert answer.reason == reason.value
    assert fragment in answer.message
    assert answer_to_dict(answer)["reason"] == reason.value


def test_json_form(engine: qa.Engine) -> None:
    answer = engine.ask("How many new demonstration counties were added in 2019?")
    data = answer_to_dict(answer)
    assert data["abstained"] is False
    assert data["answer"]["text"] == answer.short.text if answer.short else data["answer"] is None
    top = data["hits"][0]
    assert top["rank"] == 1 and top["text"] == answer.hits[0].chunk.text
    assert top["sentence"]["text"] == answer.hits[0].sentence.text if answer.hits[0].sentence else True


def test_hits_are_ranked_and_match_the_question(engine: qa.Engine) -> None:
    answer = engine.ask("rural broadband users")
    scores = [h.score for h in answer.hits]
    assert scores == sorted(scores, reverse=True)
    assert [h.rank for h in answer.hits] == list(range(1, len(answer.hits) + 1))
    assert all(h.matched_terms for h in answer.hits)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Who founded the company?", "who"),
        ("When was the treaty signed?", "when"),
        ("In what year did it open?", "year"),
        ("Where is the capital?", "place"),
        ("Which city hosted the games?", "place"),
        ("How many people live there?", "count"),
        ("How much did it cost?", "money"),
        ("What percentage of voters turned out?", "percent"),
        ("Which law was passed?", "law"),
        ("Which company bought it?", "org"),
        ("Which entity regulates it?", "org"),
        ("What is the name of the ship?", "name"),
        ("Why did the empire fall?", "other"),
        ("What's the unemployment rate of Spain?", "percent"),  # "what's" is "what is"
        ("What budget has the city set aside?", "amount"),
        ("What sales models did the firm try?", "other"),  # a measure noun as a modifier asks for none
        ("What was the total value of the sales?", "money"),
        ("What's the full name of the treaty?", "name"),
        # a clause that sets the scene is not what is asked; "When did …" is
        ("When B cells begin to replicate, what do some of them become?", "other"),
        ("When a cell is eaten it becomes trapped in what vesicle?", "other"),
        ("If the bill passes, how many people will it cover?", "count"),
        ("When did Watt, who was an engineer, finish his engine?", "when"),
        ("Where, in 1066, did William land?", "place"),
        # ", when …" without a verb that asks is a clause, not the question
        ("How much had exports reached by 1990, when the war ended?", "amount"),
        ("Tell me, when did the war end?", "when"),
        ("What did the city's tax receipts come to in 2020?", "amount"),
        ("What were the company's shares worth in 2019?", "money"),
        ("What was the year-on-year growth rate of exports?", "percent"),
        ("What is the nationwide coverage of the vaccine?", "percent"),
        ("What was the treaty called that ended the war?", "term"),
        # the subject of "What were X?" asks a kind only as a measure: sales, a rate, a total
        ("What were total steel sales in 2020?", "amount"),
        ("What is the city's unemployment rate?", "percent"),
        ("What is European Union law?", "other"),
        ("What minimum yearly increase were the towns expected to reach?", "amount"),
        ("By how much, in percent, did ridership grow?", "percent"),
        ("By how much did ridership grow, in percentage points?", "amount"),
        ("What was the Seven Years War?", "other"),
    ],
)
def test_question_kinds_follow_general_english(question: str, kind: str) -> None:
    assert question_kind(question) == kind


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("steel sales 2020?", "amount"),  # the head comes last
        ("city bus ridership growth rate 2019", "percent"),
        ("2021 state road funding", "amount"),  # "state" only says which funding
        ("first year the festival was held", "year"),  # a head of a date opens the query
        ("number of stations on the line", "count"),
        ("count of members at the close of 2018", "count"),
        ("vaccine coverage of the region %", "percent"),
        ("Paris museum visitors 2020", "count"),  # things and a year: how many that year
        ("Nobel prize winner 2010", "other"),  # no noun names a kind of fact, none is counted
        ("Paris Museum Visitors 2020", "count"),  # in title case too
        ("steel output figure 2020", "amount"),
        ("Was the school ever closed?", "other"),  # a question that opens with a verb
    ],
)
def test_a_keyword_query_asks_for_what_its_head_noun_names(query: str, kind: str) -> None:
    assert parse_question(query).kind == kind


@pytest.mark.parametrize(
    ("question", "change"),
    [
        ("By how many did users grow?", True),
        ("How many new users did the network add in 2023?", True),
        ("What was the net gain in users?", True),
        ("How many users did the network have in 2023?", False),
    ],
)
def test_a_question_after_a_change_is_told_from_one_after_a_total(question: str, change: bool) -> None:
    assert parse_question(question).asks_change is change


@pytest.mark.parametrize(
    ("question", "counted"),
    [
        ("How many county-level electric bus depots does the plan build over five years?", "depot"),
        ("number of city bus depots within five years", "depot"),
        ("How many ships were lost at sea?", "ship"),
    ],
)
def test_how_many_counts_the_noun_before_a_verb_or_preposition(question: str, counted: str) -> None:
    assert parse_question(question).counted[-1] == counted


def test_which_names_a_noun_after_a_figure() -> None:
    assert "plan" in parse_question("Which 2024-2027 plan calls for more buses?").named


def test_what_is_x_called_asks_for_a_name_holding_x() -> None:
    q = parse_question("What was the 1994 treaty from the three states that ended the war called?")
    assert (q.kind, q.named) == ("term", ("treati",))


def test_anchors_are_proper_nouns_and_numbers_past_the_first_word() -> None:
    q = parse_question("When did Microsoft buy GitHub for 7.5 billion?")
    assert q.anchors == ("microsoft", "github", "7.5")


def test_a_name_hyphenated_to_a_word_in_lower_case_is_the_name_alone() -> None:
    q = parse_question("How many plants did the Acme-led group open in Zia-ul-Haq?")
    assert q.anchors == ("acm", "ziaulhaq", "zia", "ul", "haq")


def _doc(doc_id: str, body: str) -> qa.Document:
    return qa.Document(doc_id, doc_id, dt.date(2024, 1, 1), body)


def test_a_corpus_vocabulary_applies_to_its_own_documents_only(tmp_path: Path) -> None:
    (tmp_path / "vocabulary.yaml").write_text("version: 1\nsynonyms:\n  car: [automobile]\n", "utf-8")
    vocab = qa.load_vocabulary(tmp_path)
    own = _doc("own", "The automobile plant opened in 1950 with 300 workers.")
    other = _doc("other", "The automobile museum opened in 1980 with 20 guides.")
    both = qa.Engine([own, other], vocabulary=vocab, vocabulary_docs={"own"})
    answer = both.ask("When was the car built?")  # only the synonym matches, and only in "own"
    assert [h.document.id for h in answer.hits] == ["own"]
    alone = qa.Engine([other], vocabulary=vocab, vocabulary_docs=set())
    assert alone.ask("When was the car built?").abstained


def test_a_corpus_vocabulary_also_places_the_short_answer(tmp_path: Path) -> None:
    (tmp_path / "vocabulary.yaml").write_text(
        "version: 1\nsynonyms:\n  farm goods: [agricultural products]\n", "utf-8"
    )
    body = (
        "Village online retail sales will exceed 3 trillion yuan for the first time in 2025, and the "
        "online retail sales of agricultural products will reach 783 billion yuan, up 9.9%."
    )
    question = "What was the value of online sales of farm goods in 2025?"
    plain = qa.Engine([_doc("own", body)]).ask(question)
    assert plain.short is not None and plain.short.text == "3 trillion yuan"  # nearest "online sales"
    # the texts say "agricultural products" for "farm goods": the figure next to it answers
    own = qa.Engine([_doc("own", body)], vocabulary=qa.load_vocabulary(tmp_path)).ask(question)
    assert own.short is not None and own.short.text == "783 billion yuan"
    assert body[own.short.start : own.short.end] == own.short.text


def test_a_vocabulary_file_that_does_not_parse_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "vocabulary.yaml").write_text("synonyms: [unclosed\n", "utf-8")
    with pytest.raises(qa.QAError, match=r"vocabulary\.yaml"):
        qa.load_vocabulary(tmp_path)


def test_the_package_carries_no_corpus_vocabulary() -> None:
    """The shipped corpus's synonyms live in corpus/vocabulary.yaml, not in the package."""
    other = qa.Engine([_doc("d", "Poverty fell as incomes rose across the region in 2010.")])
    assert other.vocabulary.rules == ()
    assert "poverti" not in qa.tokenize("poor")


def test_a_name_the_corpus_vocabulary_says_otherwise_is_not_unknown(tmp_path: Path) -> None:
    (tmp_path / "vocabulary.yaml").write_text(
        "version: 1\nsynonyms:\n  DOE: [Department of Energy]\n", "utf-8"
    )
    doc = _doc("energy", "The Department of Energy funded 12 reactors in 1990.")
    without = qa.Engine([doc])
    assert without.ask("How many reactors did the DOE-led programme fund?").reason == "unknown_name"
    engine = qa.Engine([doc], vocabulary=qa.load_vocabulary(tmp_path), vocabulary_docs={"energy"})
    answer = engine.ask("How many reactors did the DOE-led programme fund?")
    assert not answer.abstained
    assert answer.short is not None and answer.short.text == "12"


def test_a_word_the_vocabulary_says_otherwise_weighs_as_the_texts_say_it(tmp_path: Path) -> None:
    """The word "reasoning" is never used by these texts, so alone it weighs as an everyday word they lack;
    the vocabulary says it "logic", so it weighs as "logic" does and the passage saying so leads."""
    (tmp_path / "vocabulary.yaml").write_text("version: 1\nsynonyms:\n  reasoning: [logic]\n", "utf-8")
    docs = [
        _doc("logic", "The logic of the congestion charge is that drivers pay for the roads they crowd."),
        _doc("behind", "The congestion charge rose in 2020, behind a new fee on parking in the centre."),
        _doc("harbour", "The harbour opened in 1950 and handles grain, coal and timber for the region."),
    ]
    question = "What is the reasoning behind the congestion charge?"
    assert [h.document.id for h in qa.Engine(docs).ask(question).hits][:2] == ["behind", "logic"]
    said = qa.Engine(docs, vocabulary=qa.load_vocabulary(tmp_path)).ask(question)
    assert [h.document.id for h in said.hits][:2] == ["logic", "behind"]


def test_a_question_is_reworded_in_the_texts_words_by_the_vocabulary(tmp_path: Path) -> None:
    (tmp_path / "vocabulary.yaml").write_text(
        "version: 1\nsynonyms:\n  FYP: [Five-Year Plan]\n  yearly: [annual]\n", "utf-8"
    )
    vocab = qa.load_vocabulary(tmp_path)
    assert (
        vocab.reworded("Which years does the 14th FYP cover?")
        == "which years does the 14th five-year plan cover?"
    )
    assert (
        vocab.reworded("How are FYP-era targets set yearly?")
        == "how are five-year plan-era targets set annual?"
    )
    assert vocab.reworded("Which years does the plan cover?") == "Which years does the plan cover?"


def test_closeness_in_meaning_is_measured_in_the_texts_words(tmp_path: Path) -> None:
    """The embedding model does not know "FYP": asked as written, the passage saying "Five-Year Plan"
    is too far in meaning to quote; reworded by the vocabulary, it answers."""
    (tmp_path / "vocabulary.yaml").write_text("version: 1\nsynonyms:\n  FYP: [Five-Year Plan]\n", "utf-8")
    plan = _doc(
        "plan",
        "During the current, or 14th, Five-Year Plan period, which spans 2021-2025, the rural population "
        "has access to an increasingly diverse selection of online platforms.",
    )
    other = _doc("harbour", "Over the years the harbour has handled grain, coal and timber for the region.")
    engine = qa.Engine([plan, other], vocabulary=qa.load_vocabulary(tmp_path), vocabulary_docs={"plan"})
    answer = engine.ask("What years does the 14th FYP period cover?")  # "harbour", outside, read as asked
    assert not answer.abstained, answer.message
    assert [h.document.id for h in answer.hits] == ["plan", "harbour"]
    assert answer.short is not None and answer.short.text == "2021-2025"


def test_a_hyphenated_word_the_corpus_never_writes_weighs_as_its_parts(engine: qa.Engine) -> None:
    """Read as one word, "boost-agriculture-via-e-commerce" is found nowhere and would carry the
    highest weight there is, so no passage would cover enough of the question; its parts say it."""
    question = "What is the boost-agriculture-via-e-commerce initiative actually about, in plain terms?"
    assert "boostagricultureviaecommerc" in parse_question(question).joined
    answer = engine.ask(question)
    assert not answer.abstained, answer.message
    assert answer.hits[0].chunk.id == "boosting-agriculture:1"


def test_english_names_the_language_of_the_texts_not_something_they_never_mention() -> None:
    doc = _doc("plant", "The plant opened in 1950 with 300 workers, and its French owners sold it in 1990.")
    engine = qa.Engine([doc])
    answer = engine.ask("In plain English, when did the plant open?")
    assert not answer.abstained, answer.message
    assert answer.short is not None and answer.short.text == "1950"
    # another language, or people, the texts never mention is still unknown
    assert engine.ask("When did the plant's German owners sell it?").reason == "unknown_name"


def test_the_month_a_document_is_dated_names_it() -> None:
    doc = qa.Document("note", "Plant note", dt.date(2024, 3, 5), "The plant opened in 1950 with 300 workers.")
    engine = qa.Engine([doc])
    assert not engine.ask("When did the plant open, according to the March 2024 note?").abstained
    assert engine.ask("When did the plant open, according to the May 2024 note?").reason == "unknown_name"


def test_how_many_x_ranks_the_figure_of_x_over_one_of_something_else() -> None:
    docs = [
        _doc("a", "The ministry and nine other departments jointly issued the opinions on rural trade."),
        _doc("b", "The opinions issued this time put forward 14 specific measures."),
    ]
    answer = qa.Engine(docs).ask("How many measures do the opinions on rural trade put forward?")
    assert answer.hits[0].document.id == "b"
    assert answer.short is not None and answer.short.text == "14"


@pytest.mark.parametrize(
    ("query", "kind", "counted"),
    [
        ("value of exports in 2020?", "money", ()),
        ("number of ships in the fleet", "count", ("ship",)),
        ("name of the treaty signed in 1648", "name", ()),
        ("exports of Chile", "other", ()),  # a query naming no kind of fact asks for none
    ],
)
def test_a_query_without_a_word_that_asks_reads_as_what_is_the(
    query: str, kind: str, counted: tuple[str, ...]
) -> None:
    q = parse_question(query)
    assert (q.kind, q.counted) == (kind, counted)
    assert q.terms == parse_question(query).terms and "what" not in q.terms


def test_the_most_common_words_of_english_weigh_less_in_coverage() -> None:
    engine = qa.Engine([_doc("port", "It will take time to build a harbour at the river mouth.")])
    q = parse_question("Why is it a good time to build the harbour?")
    weights = engine._weights(q, ())
    idf = engine.index.idf
    assert "time" in q.common and "harbour" not in q.common
    assert weights["time"] == pytest.approx(engine.settings.common_weight * idf("time"))
    assert weights["harbour"] == pytest.approx(idf("harbour"))


def test_weights_of_a_word_said_otherwise_and_of_a_hyphenated_word_read_as_one() -> None:
    engine = qa.Engine(
        [
            _doc("port", "The logic of the harbour levy is that ships pay for the dredging."),
            _doc("dock", "The dock opened in 1950 and the levy rose in 1990."),
        ]
    )
    q = parse_question("What is the reasoning behind the harbour-levy idea?")
    idf = engine.index.idf
    plain = engine._weights(q, ())
    assert "reason" in q.everyday and "reason" not in engine.index.vocabulary
    assert plain["reason"] == pytest.approx(engine.settings.oov_weight * idf("reason"))
    said = engine._weights(q, ("logic",), [("reason", ("logic",))])
    assert said["reason"] == pytest.approx(idf("logic"))  # weighs as the texts say it
    assert q.joined == {"harbourlevi"} and plain["harbourlevi"] == 0.0  # its parts weigh
    assert plain["harbour"] == pytest.approx(idf("harbour")) and plain["levi"] == pytest.approx(idf("levi"))


def test_the_common_word_list_is_what_its_header_says() -> None:
    from wordfreq import top_n_list, zipf_frequency

    from qa.answers.question import common_words
    from qa.search.tokenizer import tokenize

    expected = {
        w for w in top_n_list("en", 2000) if w.isalpha() and zipf_frequency(w, "en") >= 6.0 and tokenize(w)
    }
    assert common_words() == expected
