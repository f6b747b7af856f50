"""Typed spans (short-answer candidates) and question kinds."""

from __future__ import annotations

import pytest

from qa.dates import text_dates
from qa.extract import candidates, nearest_candidate
from qa.kinds import question_kind
from qa.models import Span
from qa.query import asked_part, counted, parse_question


def _typed(text: str) -> list[tuple[str, str]]:
    return [(c.type, c.text) for c in candidates(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("In 2019, 215 new counties", [("year", "2019"), ("count", "215")]),
        ("there were 1,016 counties, covering 88.6% of them", [("count", "1,016"), ("percent", "88.6%")]),
        ("In May 2016, with 3.6 billion yuan", [("date", "May 2016"), ("money", "3.6 billion yuan")]),
        ("In early 2015, it began", [("date", "early 2015")]),
        ("which spans 2021-2025.", [("year", "2021-2025")]),
        ("had reached 192 million, with a net increase", [("count", "192 million")]),
        (
            "about 1000 bases and over 4 million live broadcasts",
            [("count", "about 1000"), ("count", "over 4 million")],
        ),
        ("1.3 percentage points higher", [("percent", "1.3 percentage points")]),
        ("during the 14th Five-Year Plan", [("doc", "the 14th Five-Year Plan")]),
        ("led by Zhejiang Province in 2019", [("place", "Zhejiang Province"), ("year", "2019")]),
        # bodies named in lower case, as a policy supports them
        (
            "It also supported the postal system and supply and marketing cooperatives to establish outlets",
            [("org", "the postal system and supply and marketing cooperatives")],
        ),
        # the number of a numbered document is part of its name, not a count
        (
            "in that year's No. 1 Central Document, 215 counties",
            [("doc", "No. 1 Central Document"), ("count", "215")],
        ),
        ("the People's Government of Lishui City", [("org", "the People's Government of Lishui City")]),
    ],
)
def test_candidates(text: str, expected: list[tuple[str, str]]) -> None:
    assert _typed(text) == expected


def test_named_bodies_and_documents() -> None:
    text = (
        "In 2014, China's Ministry of Finance and Ministry of Commerce issued the Notice on the "
        "Comprehensive Demonstration of E-commerce in Rural Areas, demanding"
    )
    typed = _typed(text)
    assert ("org", "Ministry of Finance and Ministry of Commerce") in typed  # not "China's"
    assert ("doc", "the Notice on the Comprehensive Demonstration of E-commerce in Rural Areas") in typed


def test_offsets_slice_back() -> None:
    text = "By the end of 2023, rural users reached 192 million, up 8.8% on the year."
    for c in candidates(text, offset=10):
        assert text[c.start - 10 : c.end - 10] == c.text


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("When were poverty counties fully covered?", "when"),
        ("In what year was e-commerce first mentioned?", "what-year"),
        ("How many counties were added?", "how-many"),
        ("How much did sales reach?", "how-much"),
        ("What price do farmers get?", "money"),
        ("Whose opinions named e-commerce a vehicle?", "organisation"),
        ("Which government body published the figures?", "organisation"),
        ("Which official document calls it an upgrade?", "document"),
        ("What minimum yearly growth was expected?", "share"),
        ("By how much did online sales grow?", "change"),
        ("What were China's rural online retail sales in 2023?", "how-much"),
        ("What share of counties were poor?", "share"),
        ("What is the coverage rate of logistics centres?", "share"),
        ("What is the nationwide coverage of county logistics centres?", "share"),
        ("Who issued the plan?", "organisation"),
        ("Which ministry led the opinions?", "organisation"),
        ("Which document calls it an upgraded project?", "document"),
        ("What does boosting agriculture involve?", "other"),
        ("Who wrote about boosting agriculture?", "other"),
        ("Who was the head of the poverty alleviation office?", "person"),
        ("What is the name of the minister of commerce?", "person"),
        ("In which month did the opinions come out?", "when"),
        ("What was the earliest year in which e-commerce was named?", "what-year"),
        ("What minimum yearly increase in volume was expected?", "change"),
        ("Which multi-year plan calls for talent?", "document"),
        ("Which five-year e-commerce blueprint calls it an upgrade?", "document"),
        ("What is the policy logic behind it?", "other"),
        ("What was the name of the notice the ministries issued?", "document"),
        ("What's the full title of the policy paper on rural e-commerce?", "document"),
        ("What was the 2016 notice on demonstration work called?", "document"),
        ("rural online retail sales 2023", "how-much"),
        ("rural broadband users 2023?", "how-many"),
        ("year the State Council proposed cold-chain building", "what-year"),
        ("rural e-commerce five-year goal", "other"),
        ("rural broadband growth rate 2023", "share"),
        ("How much do hosts charge?", "money"),
        ("I've seen a growth figure for 2025 - what was it?", "share"),
        # from held-out questions that got no short answer for want of a kind
        ("What was the May 2016 notice called that first involved the office?", "document"),
        ("What's the title of the rural e-commerce guideline released by MOFCOM?", "document"),
        ("Which CPC Central Committee / State Council plan calls for training?", "document"),
        ("Which ministry led the group that issued the plan?", "organisation"),
        ("Which State Council body named it a flagship project?", "organisation"),
        ("coverage of county logistics centres nationwide %", "share"),
        ("What fraction of poor counties were covered?", "share"),
        ("minimum yearly growth in e-commerce transactions expected", "share"),
        ("What is 30% of sales worth?", "how-much"),
        ("net new rural broadband connections in 2023", "how-many"),
        ("What threshold did online retail in rural China pass in 2025?", "how-much"),
        ("Economic Daily - 2023 rural online retail figure", "how-much"),
        ("years covered by China's 14th five-year plan", "what-year"),
        ("What span of years does the 14th plan run over?", "what-year"),
        ("What was the year-on-year growth rate for rural broadband users?", "share"),
        ("When the campaign wrapped up in 2020, how large were rural online sales?", "how-much"),
        ("When was it issued, and by whom?", "when"),
        ("state council guiding opinions on rural e-commerce - when were they issued?", "when"),
        ("At what point did the government decide to keep it going?", "when"),
        ("What is the budget of the project?", "money"),
        ("2025 year-on-year growth of online sales of farm produce", "share"),
        ("what's the nationwide coverage of county-level logistics hubs now", "share"),
        # from the held-out sets of stop 14
        ("Which province had the most comprehensive demonstration counties by 2018?", "place"),
        ("Which county was the first to be named a demonstration county?", "place"),
        ("Which county-level centres were built?", "other"),
        ("What sum did the central government put into the 2016 round?", "money"),
        ("fourteenth five-year planning cycle: start and end years?", "what-year"),
        ("What figure did rural online retail turnover top in 2025?", "how-much"),
        (
            "Full title of the February 2026 Central Committee-State Council opinions on farm sales",
            "document",
        ),
        ("Minimum yearly increase in online transaction value demanded of pilot counties?", "change"),
        ("Which e-commerce platform hosted the largest number of livestreams?", "organisation"),
        ("What platforms are used for training?", "other"),
        ("What number of departments signed?", "how-many"),
        ("The article discusses a policy from the commerce ministry. What is it called?", "document"),
        ("Who was China's commerce minister when the 2014 notice came out?", "person"),
        ("What was the year-on-year growth in online sales of farm products in 2025?", "share"),
    ],
)
def test_question_kinds(question: str, kind: str) -> None:
    assert question_kind(question) == kind


def test_anchors_are_proper_nouns_and_numbers() -> None:
    q = parse_question("What were China's rural online retail sales in 2010?")
    assert q.anchors == ("china", "2010")
    assert parse_question("what is rural e-commerce?").anchors == ()


def test_a_language_naming_a_wording_is_no_anchor() -> None:
    assert parse_question("What is the exact English title of the May 2016 notice?").anchors == (
        "may",
        "2016",
    )
    assert parse_question("How many English villages sell online?").anchors == ("english",)


def test_a_hyphenated_proper_noun_anchors_only_its_named_parts() -> None:
    assert parse_question("How many measures do the MOFCOM-led opinions contain?").anchors == ("mofcom",)
    assert parse_question("Is a Shanghai-based firm named?").anchors == ("shanghai",)
    assert parse_question("What does the 2021-2025 plan say?").anchors == ("2021", "2025")
    assert "ministri" in parse_question("the MOFCOM-led opinions").expansion  # the synonym still applies


def test_turns_of_phrase_and_irregular_verbs_are_not_the_subject() -> None:
    assert parse_question("In plain English, what does it involve?").terms == ("involv",)
    assert parse_question("How many counties took part in the 2016 round?").counted == ("counti",)
    assert parse_question("How many counties got funds in 2016?").counted == ("counti",)
    assert parse_question("How many county officials in 2016?").counted == ("counti", "offici")


_FIRST = (
    'From mentioning "e-commerce" as early as 2005 in that year\'s No. 1 Central Document to the '
    "project in 2022, the government outlined its ideas."
)


def test_a_question_about_the_first_time_takes_the_earliest_year() -> None:
    assert _short("In which year did the No. 1 document first talk about e-commerce?", _FIRST) == "2005"
    assert _short("In which year did the No. 1 document launch the project?", _FIRST) == "2022"


def test_a_country_after_a_bodys_name_is_not_part_of_it() -> None:
    sentence = (
        "In early 2015, the State Council Leading Group Office of Poverty Alleviation and Development "
        "of China classified it as one of the Ten Major Projects."
    )
    assert str(_short("Which office classified it as a major project?", sentence)).removeprefix("the ") == (
        "State Council Leading Group Office of Poverty Alleviation and Development"
    )


def test_how_many_x_finds_x_said_otherwise() -> None:
    sentence = "Cultivate about 100 leading counties and about 10000 rural e-commerce leaders."
    assert _short("How many village champions will be cultivated?", sentence) == "about 10000"
    assert _short("How many village heroes will be cultivated?", sentence) == "about 100"


def test_synonyms_match_whole_words_not_stems() -> None:
    assert "annual" in parse_question("What yearly growth was expected?", use_synonyms=True).expansion
    assert "annual" not in parse_question("What year was it?", use_synonyms=True).expansion
    assert parse_question("What yearly growth was expected?", use_synonyms=False).expansion == ()


def _short(question: str, sentence: str) -> str | None:
    q = parse_question(question)
    span = nearest_candidate(
        [c for c in candidates(sentence) if c.type in q.answer_types],
        Span(sentence, 0, len(sentence)),
        q,
        {t: 1.0 for t in q.search_terms},
    )
    return span.text if span else None


_BOUND = "The rule said the share of poor counties should not be less than 50%, reaching 66% that year."
_GROWTH = "Broadband users reached 192 million, with a net increase of 15.57 million in the year."
_PAIRED = (
    "Rural online retail sales will exceed 3 trillion yuan, and online sales of farm products will "
    "reach 783.31 billion yuan, an increase of 6.7% and 9.9% year-on-year, respectively."
)


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("What share of counties were poor counties that year?", _BOUND, "66%"),
        ("What minimum share of poor counties was required?", _BOUND, "50%"),
        ("How many broadband users were there?", _GROWTH, "192 million"),
        ("By how many did broadband users grow?", _GROWTH, "15.57 million"),
        ("How fast did online sales of farm products grow?", _PAIRED, "9.9%"),
        ("How fast did rural online retail sales grow?", _PAIRED, "6.7%"),
        ("How much were online sales of farm products worth?", _PAIRED, "783.31 billion yuan"),
    ],
)
def test_short_answer_reads_bounds_changes_and_respectively(
    question: str, sentence: str, expected: str
) -> None:
    assert _short(question, sentence) == expected


def test_money_questions_want_money_not_a_count() -> None:
    assert question_kind("How much did the government spend on roads?") == "money"
    assert question_kind("How much money went to the pilot?") == "money"
    assert question_kind("How much did online sales grow?") == "how-much"
    assert _short(
        "How much did the state invest?", "In 240 counties the state invested 3.6 billion yuan."
    ) == ("3.6 billion yuan")
    assert _short("How much did the state spend?", "It reached 240 counties.") is None


def test_a_synonym_stands_for_the_question_words_it_replaces() -> None:
    q = parse_question("What can e-commerce do for schooling and health care?", use_synonyms=True)
    pairs = dict(q.stands_for)
    assert {k: pairs[k] for k in ("school", "health", "care")} == {
        "school": ("educ",),
        "health": ("healthcar",),
        "care": ("healthcar",),
    }
    assert "school" not in dict(parse_question("What about schooling?", use_synonyms=False).stands_for)


def test_each_phrase_of_a_synonym_stands_for_the_word_on_its_own() -> None:
    q = parse_question("What weaknesses remain?", use_synonyms=True)
    said = {tokens for term, tokens in q.stands_for if term == "weak"}
    assert said == {("imbal", "problem"), ("shortcom",)}  # either phrase is enough, not both together


def test_rare_words_are_the_specific_ones() -> None:
    q = parse_question("How does blockchain help the traceability of weaknesses in Guizhou?")
    assert set(q.rare) == {"blockchain", "traceabl", "guizhou"}  # "weaknesses", "help": everyday English


def test_a_compound_stands_for_its_parts() -> None:
    q = parse_question("the e-commerce-for-agriculture project")
    assert ("ecommerceforagricultur", ("commerc", "agricultur")) in q.stands_for


def test_how_many_takes_the_figure_that_counts_what_is_asked() -> None:
    sentence = (
        'It will cultivate about 100 rural e-commerce "leading counties" '
        "and about 10000 rural e-commerce leaders."
    )
    assert _short("How many rural e-commerce leaders will be trained?", sentence) == "about 10000"
    assert _short("How many leading counties will be cultivated?", sentence) == "about 100"


def test_a_figure_goes_with_the_words_just_before_it() -> None:
    sentence = (
        "According to the Ministry of Commerce, rural online retail sales will exceed "
        "3 trillion yuan in 2025, "
        "and the online retail sales of agricultural products will reach 783.31 billion yuan."
    )
    question = "How much were online sales of agricultural products worth?"
    assert _short(question, sentence) == "783.31 billion yuan"
    assert _short("How much will rural online retail sales be in 2025?", sentence) == "3 trillion yuan"


def test_counts_in_words_answer_only_when_no_digits_do() -> None:
    text = "It will build three-tier logistics, one of the Ten Major Projects."
    found = [(c.type, c.text) for c in candidates(text)]
    assert ("countword", "three") in found
    assert not any(t == "countword" and text.lower() == "ten" for t, text in found)
    assert _short("How many tiers of logistics?", "It will build three-tier logistics.") == "three"
    assert _short("How many tiers of logistics?", "Five teams will build 3 tiers of logistics.") == "3"


def test_adding_asks_for_the_change() -> None:
    sentence = "Rural broadband users reached 192 million, with a net increase of 15.57 million in the year."
    assert _short("How many new rural broadband users did China add?", sentence) == "15.57 million"
    assert _short("How many rural broadband users were there?", sentence) == "192 million"


@pytest.mark.parametrize(
    ("question", "what"),
    [
        ("How many rural e-commerce leaders will be trained?", ("rural", "ecommerc", "commerc", "leader")),
        ("How many other departments signed on alongside the ministry?", ("depart",)),
        ("How many livestreams did platforms run?", ("livestream",)),
        ("How many live-stream sessions did platforms run?", ("livestream", "live", "stream")),
        ("How many of the counties were poor?", ()),
        ("number of rural online shops in 2023", ("rural", "onlin", "shop")),
        ("number of rural online shops / merchants, 2023", ("rural", "onlin", "shop")),
        ("What were the sales?", ()),
        # percentage points are a share's unit, not things counted
        ("How many percentage points faster did rural broadband users grow?", ()),
        ("How many rural online shops or merchants were operating?", ("rural", "onlin", "shop", "merchant")),
    ],
)
def test_what_a_how_many_question_counts(question: str, what: tuple[str, ...]) -> None:
    assert counted(question) == what


def test_a_short_name_standing_for_a_full_one_is_not_the_answer() -> None:
    sentence = (
        "The ministry issued the Implementation Opinions on Promoting Rural E-commerce "
        "(hereinafter referred to as the Opinions), setting a five-year goal."
    )
    assert _short("Which document set a five-year goal?", sentence) == (
        "the Implementation Opinions on Promoting Rural E-commerce"
    )


def test_a_person_is_named_by_title() -> None:
    found = [(c.type, c.text) for c in candidates("Minister Wang Wentao spoke to the Ministry of Commerce.")]
    assert ("person", "Minister Wang Wentao") in found
    assert ("org", "the Ministry of Commerce") in found
    assert _short("Who is the minister of commerce?", "Minister Wang Wentao spoke.") == "Minister Wang Wentao"


def test_what_year_is_answered_with_the_year_of_a_date() -> None:
    sentence = "In early November 2015, the State Council issued guiding opinions."
    assert _short("What year did the State Council issue the guiding opinions?", sentence) == "2015"
    assert _short("When did the State Council issue the guiding opinions?", sentence) == "early November 2015"


def test_names_start_at_no_1_and_leave_out_the_country_that_owns_them() -> None:
    text = "In 2014, China's Ministry of Finance cited that year's No. 1 Central Document to the end."
    found = [(c.type, c.text) for c in candidates(text)]
    assert ("org", "Ministry of Finance") in found
    assert ("doc", "No. 1 Central Document") in found


def test_a_question_is_read_once_for_what_it_counts_and_the_years_it_names() -> None:
    q = parse_question("How many rural e-commerce leaders were trained in 2023 compared with 2022?")
    assert q.counted == counted(q.text) == ("rural", "ecommerc", "commerc", "leader")
    assert q.years == ("2023", "2022")


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("Quick question for my report: how many measures?", "how many measures?"),
        ("For a fact-check: when did it happen?", "when did it happen?"),
        ("So what does it mean? I need a one-line definition for my slides.", "what does it mean?"),
        ("How should it be built? Please explain.", "How should it be built?"),
        (
            "I'm on deadline - what were sales in 2020, when the campaign ended?",
            "what were sales in 2020, when the campaign ended?",
        ),
        # nothing to strip: a question that is all question, and a lead-in that is part of it
        ("What were sales in 2023?", "What were sales in 2023?"),
        ("As a share of sales, how much was online?", "As a share of sales, how much was online?"),
    ],
)
def test_what_is_asked_leaves_out_who_asks_and_why(question: str, asked: str) -> None:
    assert asked_part(question) == asked


@pytest.mark.parametrize(
    ("question", "dates"),
    [
        ("The Economic Daily piece from March 2026 mentions it", {"march", "2026"}),
        ("How many measures do the 2024 implementation opinions contain?", {"2024"}),
        ("name of the policy (Economic Daily, 2024)", {"2024"}),
        ("the 2024 Economic Daily piece", {"2024"}),
        ("Economic Daily 2026 piece: rural online retail total for 2025?", {"2026"}),
        ("Economic Daily March 2026 article on talent", {"march", "2026"}),
        ("Economic Daily, March 2026: how fast did sales grow?", {"march", "2026"}),
        ("What did the ministries say in 2024 reports?", set()),
        # the time of a fact, not the date of a text
        ("How many users in 2024, according to the Economic Daily?", set()),
        ("What were the 2024 rural online retail sales?", set()),
    ],
)
def test_dates_naming_a_text(question: str, dates: set[str]) -> None:
    assert text_dates(question) == dates


def test_a_synonym_phrase_may_be_hyphenated() -> None:
    # synonyms.txt: "farm produce => agricultural products"; the user may join the words
    for question in ("farm produce online sales", "farm-produce online sales"):
        assert "agricultur" in parse_question(question).expansion


def test_a_date_naming_a_text_may_hold_its_month() -> None:
    assert text_dates("In the March 2026 Economic Daily piece, when were they released?") == {"march", "2026"}


def test_a_lead_in_before_a_colon_gives_the_kind_only_when_the_question_gives_none() -> None:
    led = parse_question(
        "Economic Daily piece on the endogenous driving force: when were the opinions released?"
    )
    assert led.kind == "when" and "endogen" in led.terms  # the lead-in still names the subject
    assert parse_question("I saw a growth figure for sales in 2025: what is it?").kind == "share"
