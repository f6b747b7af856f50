"""Citations: each style checked against strings written by hand from its style guide.

The three documents: rural-demonstration (a web page in the Policy Reference section, no author),
boosting-agriculture (a web page by Ouyang Rihui, family name first) and rural-ecosystem (an
Economic Daily article by Jin Guanping). Paragraphs: rural-demonstration:8 is in paragraph 4,
boosting-agriculture:4 in paragraph 3, rural-ecosystem:2 in paragraph 2.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qa
from qa.cite.text import parse_name, sentence_case, short_title, title_case, trim_quote

RD, BA, RE = "rural-demonstration:8", "boosting-agriculture:4", "rural-ecosystem:2"
RD_TITLE = "E-commerce in Rural Areas Comprehensive Demonstration Project in China"
BA_TITLE_TC = (
    "Understanding the ‘Boosting Agriculture through E-commerce’ Project Mentioned in 2022's "
    "No. 1 Central Document"
)
BA_TITLE_SC = (
    'Understanding the "boosting agriculture through e-commerce" project mentioned in 2022\'s '
    "No. 1 Central Document"
)

# (style, passage id) -> (reference, in-text citation), written by hand from the guides.
EXPECTED = {
    ("apa", RD): (
        "*E-commerce in rural areas comprehensive demonstration project in China*. (2024, February 27). "
        "Policy Reference.",
        "(*E-commerce in Rural Areas*, 2024, para. 4)",
    ),
    ("apa", BA): (
        f"Ouyang, R. (2023, November 16). *{BA_TITLE_SC}*. Policy Reference.",
        "(Ouyang, 2023, para. 3)",
    ),
    ("apa", RE): (
        "Jin, G. (2024, April 2). Build a high-quality rural e-commerce ecosystem. *Economic Daily*.",
        "(Jin, 2024, para. 2)",
    ),
    ("mla", RD): (f"“{RD_TITLE}.” *Policy Reference*, 27 Feb. 2024.", "(“E-commerce in Rural Areas”)"),
    ("mla", BA): (f"Ouyang Rihui. “{BA_TITLE_TC}.” *Policy Reference*, 16 Nov. 2023.", "(Ouyang)"),
    ("mla", RE): (
        "Jin Guanping. “Build a High-Quality Rural E-commerce Ecosystem.” *Economic Daily*, 2 Apr. 2024.",
        "(Jin)",
    ),
    ("chicago-note", RD): (
        f"“{RD_TITLE}.” Policy Reference, February 27, 2024.",
        f"“{RD_TITLE},” Policy Reference, February 27, 2024, par. 4.",
    ),
    ("chicago-note", BA): (
        f"Ouyang Rihui. “{BA_TITLE_TC}.” Policy Reference, November 16, 2023.",
        f"Ouyang Rihui, “{BA_TITLE_TC},” Policy Reference, November 16, 2023, par. 3.",
    ),
    ("chicago-note", RE): (
        "Jin Guanping. “Build a High-Quality Rural E-commerce Ecosystem.” *Economic Daily*, April 2, 2024.",
        "Jin Guanping, “Build a High-Quality Rural E-commerce Ecosystem,” *Economic Daily*, April 2, 2024, "
        "par. 2.",
    ),
    ("chicago-date", RD): (
        f"“{RD_TITLE}.” 2024. Policy Reference, February 27, 2024.",
        "(“E-commerce in Rural Areas” 2024, par. 4)",
    ),
    ("chicago-date", BA): (
        f"Ouyang Rihui. 2023. “{BA_TITLE_TC}.” Policy Reference, November 16, 2023.",
        "(Ouyang 2023, par. 3)",
    ),
    ("chicago-date", RE): (
        "Jin Guanping. 2024. “Build a High-Quality Rural E-commerce Ecosystem.” *Economic Daily*, "
        "April 2, 2024.",
        "(Jin 2024, par. 2)",
    ),
    ("harvard", RD): (
        "*E-commerce in rural areas comprehensive demonstration project in China* (2024) Policy Reference, "
        "27 February.",
        "(*E-commerce in rural areas*, 2024, para. 4)",
    ),
    ("harvard", BA): (
        f"Ouyang, R. (2023) *{BA_TITLE_SC}*. Policy Reference, 16 November.",
        "(Ouyang, 2023, para. 3)",
    ),
    ("harvard", RE): (
        "Jin, G. (2024) ‘Build a high-quality rural e-commerce ecosystem’, *Economic Daily*, 2 April.",
        "(Jin, 2024, para. 2)",
    ),
    ("bibtex", RD): (
        "@misc{rural-demonstration,\n"
        "  title = {E-commerce in Rural Areas Comprehensive Demonstration Project in {China}},\n"
        "  howpublished = {Policy Reference},\n"
        "  year = {2024},\n"
        "  month = feb,\n"
        "  date = {2024-02-27},\n"
        "  keywords = {Rural Areas, Demonstration, E-commerce, Value Chain Development for Smallholders}\n"
        "}",
        "\\cite[para.~4]{rural-demonstration}",
    ),
    ("bibtex", RE): (
        "@article{rural-ecosystem,\n"
        "  author = {Jin, Guanping},\n"
        "  title = {Build a high-quality rural e-commerce ecosystem},\n"
        "  journal = {Economic Daily},\n"
        "  entrysubtype = {newspaper},\n"
        "  year = {2024},\n"
        "  month = apr,\n"
        "  date = {2024-04-02}\n"
        "}",
        "\\cite[para.~2]{rural-ecosystem}",
    ),
    ("ris", BA): (
        "TY  - ELEC\nID  - boosting-agriculture\nAU  - Ouyang, Rihui\n"
        'TI  - Understanding the "Boosting Agriculture Through E-commerce" Project Mentioned in 2022\'s '
        "No. 1 Central Document\nT2  - Policy Reference\nPY  - 2023\nDA  - 2023/11/16\n"
        "KW  - E-commerce\nKW  - No. 1 Central Document\nKW  - Rural Areas\nKW  - Value Chain\n"
        "LA  - en\nER  - ",
        "",
    ),
    ("ris", RE): (
        "TY  - NEWS\nID  - rural-ecosystem\nAU  - Jin, Guanping\n"
        "TI  - Build a high-quality rural e-commerce ecosystem\nT2  - Economic Daily\n"
        "PB  - CPC News Network\n"
        "PY  - 2024\nDA  - 2024/04/02\nLA  - en\nER  - ",
        "",
    ),
    ("markdown", RD): (
        "“In June 2018, China's government\u00a0proposed to continue the comprehensive demonstration "
        "project of…” — *E-commerce in Rural Areas Comprehensive Demonstration Project in China*, "
        "Policy Reference, 2024-02-27, para. 4",
        "",
    ),
    ("markdown", BA): (
        '“Driven by the implementation of the "boosting agriculture through e-commerce" project and '
        'part of…” — Ouyang Rihui, *Understanding the "Boosting Agriculture Through E-commerce" Project '
        "Mentioned in 2022's No. 1 Central Document*, Policy Reference, 2023-11-16, para. 3",
        "",
    ),
}


@pytest.mark.parametrize(("style", "pid"), sorted(EXPECTED))
def test_reference_and_in_text_match_the_hand_written_form(engine: qa.Engine, style: str, pid: str) -> None:
    c = qa.cite_id(engine, pid, style, max_quote=100)
    assert (c.reference, c.in_text) == EXPECTED[(style, pid)]
    assert c.style == style
    assert c.chunk_id == pid
    assert c.locator == f"para. {engine.chunk(pid).paragraph}"


def test_every_style_is_tested_with_a_named_author_and_without() -> None:
    for style in qa.STYLES:
        if style == "csl-json":
            continue  # checked structurally below
        cited = {pid for s, pid in EXPECTED if s == style}
        assert cited & {BA, RE}, f"{style}: no document with an author"
        assert cited & {RD} or style == "ris", f"{style}: no document without an author"
    assert ("ris", RE) in EXPECTED


def test_the_2019_sentence_is_quoted_with_its_paragraph(engine: qa.Engine) -> None:
    chunk = engine.chunk(RD)
    c = qa.cite_id(engine, RD, "apa", sentence=3)
    assert c.quote == (
        "In 2019, 215 new comprehensive demonstration counties for e-commerce were added, "
        "achieving full coverage of 832 national poverty-relief counties."
    )
    assert c.locator == "para. 4" == f"para. {chunk.paragraph}"
    hit = qa.Hit(1, 1.0, chunk, engine.document(chunk.doc_id), sentence=chunk.sentences[2])
    assert qa.cite_hit(hit, "apa") == c


def test_every_quote_is_in_the_document_body(engine: qa.Engine) -> None:
    for chunk in engine.chunks:
        body = engine.document(chunk.doc_id).body
        for max_quote in (0, 25, 80, 300):
            for sentence in (None, *chunk.sentences):
                hit = qa.Hit(1, 1.0, chunk, engine.document(chunk.doc_id), sentence=sentence)
                c = qa.cite_hit(hit, "markdown", max_quote)
                whole = sentence.text if sentence else chunk.text
                text = c.quote.removesuffix("…")
                assert text in body
                assert whole.startswith(text)
                if c.quote.endswith("…"):
                    assert len(text) <= max_quote < len(whole)
                    assert whole[len(text)] in " ,;:—-"  # cut at a word boundary
                else:
                    assert c.quote == whole


def test_trim_quote_cuts_at_a_word_boundary() -> None:
    assert trim_quote("In 2019, 215 new counties were added", 14) == "In 2019, 215…"
    assert trim_quote("In 2019, 215 new counties were added", 15) == "In 2019, 215…"
    assert trim_quote("In 2019, 215 new counties were added", 16) == "In 2019, 215 new…"
    assert trim_quote("short", 300) == "short"


def test_no_url_or_access_date_is_invented(engine: qa.Engine) -> None:
    for chunk in engine.chunks[::3]:
        for style in qa.STYLES:
            c = qa.cite_id(engine, chunk.id, style)
            for word in ("http", "www", "Accessed", "Retrieved", "URL", "UR  -", "Available at"):
                assert word not in c.reference, (style, chunk.id, word)


def _doc(**kw: object) -> qa.Document:
    base: dict[str, object] = {
        "id": "sample",
        "title": "Rural logistics: A review of county centres",
        "date": dt.date(2021, 9, 5),
        "body": "County centres grew.\n",
        "source": "Example Site",
        "section": "Example Site",
    }
    base.update(kw)
    return qa.Document(**base)  # type: ignore[arg-type]


def _cite(doc: qa.Document, style: str) -> qa.Citation:
    chunk = qa.chunk_document(doc)[0]
    return qa.cite_passage(doc, chunk, style)


def test_a_given_url_is_used_and_western_names_are_inverted() -> None:
    doc = _doc(
        url="https://example.org/rural",
        authors=(qa.Person("Mary Ann Smith"), qa.Person("Lee, Kwan")),
    )
    assert _cite(doc, "apa").reference == (
        "Smith, M. A., & Lee, K. (2021, September 5). *Rural logistics: A review of county centres*. "
        "Example Site. https://example.org/rural"
    )
    assert _cite(doc, "apa").in_text == "(Smith & Lee, 2021, para. 1)"
    assert _cite(doc, "mla").reference == (
        "Smith, Mary Ann, and Kwan Lee. “Rural Logistics: A Review of County Centres.” *Example Site*, "
        "5 Sept. 2021, https://example.org/rural."
    )
    assert _cite(doc, "chicago-note").in_text == (
        "Mary Ann Smith and Kwan Lee, “Rural Logistics: A Review of County Centres,” Example Site, "
        "September 5, 2021, par. 1, https://example.org/rural."
    )
    assert _cite(doc, "harvard").reference == (
        "Smith, M.A. and Lee, K. (2021) *Rural logistics: A review of county centres*. Example Site, "
        "5 September. Available at: https://example.org/rural."
    )
    assert "url = {https://example.org/rural}" in _cite(doc, "bibtex").reference
    assert "UR  - https://example.org/rural" in _cite(doc, "ris").reference


def test_an_organisation_is_the_author_when_no_person_is() -> None:
    doc = _doc(extra=(("organization", "Ministry of Commerce"),))
    assert _cite(doc, "apa").reference.startswith(
        "Ministry of Commerce. (2021, September 5). *Rural logistics"
    )
    assert _cite(doc, "apa").in_text == "(Ministry of Commerce, 2021, para. 1)"
    assert _cite(doc, "mla").reference.startswith("Ministry of Commerce. “Rural Logistics")
    assert "author = {{Ministry of Commerce}}" in _cite(doc, "bibtex").reference


def test_markdown_characters_in_metadata_are_escaped() -> None:
    doc = _doc(title="Rural *stars* and e_commerce")
    assert _cite(doc, "apa").reference.startswith("*Rural \\*stars\\* and e\\_commerce*. (2021")


@pytest.mark.parametrize(
    ("name", "family", "given", "apa", "mla"),
    [
        ("Ouyang Rihui", "Ouyang", "Rihui", "Ouyang, R.", "Ouyang Rihui"),
        ("Jin Guanping", "Jin", "Guanping", "Jin, G.", "Jin Guanping"),
        ("Mary Ann Smith", "Smith", "Mary Ann", "Smith, M. A.", "Smith, Mary Ann"),
        ("Kim, Min-jun", "Kim", "Min-jun", "Kim, M.-J.", "Kim, Min-jun"),
        ("Madonna", "Madonna", "", "Madonna", "Madonna"),
    ],
)
def test_names_are_split_and_inverted(name: str, family: str, given: str, apa: str, mla: str) -> None:
    n = parse_name(name)
    assert (n.family, n.given, n.initials, n.inverted) == (family, given, apa, mla)


def test_title_and_sentence_case() -> None:
    assert title_case("Build a high-quality rural e-commerce ecosystem") == (
        "Build a High-Quality Rural E-commerce Ecosystem"
    )
    assert title_case("gone with the wind: a study of year-on-year sales") == (
        "Gone with the Wind: A Study of Year-on-Year Sales"
    )
    body = "Demand grew in China. The Ministry of Commerce met. China's ministry reported. It cut a report."
    assert sentence_case("Demand in China and the Ministry of Commerce", body) == (
        "Demand in China and the Ministry of Commerce"
    )
    assert sentence_case("A Ministry Report on COVID-19: What Changed", body) == (
        "A ministry report on COVID-19: What changed"
    )
    assert short_title("E-commerce Poverty Alleviation Policies and Measures in China") == (
        "E-commerce Poverty Alleviation Policies"
    )
    assert short_title("Strengthening the Endogenous Driving Force of Rural E-commerce Development") == (
        "Strengthening the Endogenous Driving Force"
    )


def test_passage_context_gives_the_paragraphs_around(engine: qa.Engine) -> None:
    doc = engine.document("rural-demonstration")
    ctx = qa.passage_context(engine, RD, before=1, after=1)
    assert [n for n, _ in ctx] == [3, 4, 5]
    assert all(text in doc.body for _, text in ctx)
    assert engine.chunk(RD).text in ctx[1][1]
    first = qa.passage_context(engine, "rural-demonstration:1", before=2, after=0)
    assert [n for n, _ in first] == [1]
    assert first[0][1].startswith("The E-commerce in Rural Areas Comprehensive Demonstration in China refers")


def test_unknown_style_and_sentence_are_refused(engine: qa.Engine) -> None:
    with pytest.raises(qa.QAError, match="unknown citation style 'vancouver'"):
        qa.cite_id(engine, RD, "vancouver")
    with pytest.raises(qa.QAError, match="has 3 sentences, not 4"):
        qa.cite_id(engine, RD, "apa", sentence=4)
    with pytest.raises(qa.QAError, match="no passage with id"):
        qa.cite_id(engine, "nothing:1")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab ,.-"), max_size=60), st.integers(min_value=0, max_value=70))
def test_trim_quote_is_a_prefix_cut_at_a_space(text: str, max_chars: int) -> None:
    out = trim_quote(text, max_chars)
    whole = text.strip()
    if out.endswith("…") and out != whole:
        head = out.removesuffix("…")
        assert whole.startswith(head)
        assert len(head) <= max_chars
        rest = whole[len(head) :]
        assert rest[:1] in {" ", ",", "-", ""} or " " not in whole[: max_chars + 1]
    else:
        assert out == whole
