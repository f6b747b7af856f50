"""The page run headless by AppTest: page logic (tests/test_browser.py covers what only a browser shows)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from ui.corpus_page import SCROLL_SCRIPT
from ui.render import plain

APP = str(ROOT / "ui" / "app.py")
WHEN = "when were poverty counties fully covered"
PASSAGE_2019 = "In 2019, 215 new comprehensive demonstration counties"


@pytest.fixture(autouse=True)
def _fresh_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("QA_CORPUS", raising=False)
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def _open(query: dict[str, str] | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if page:
        at.run()
        at.switch_page(page)
    at.query_params.clear()
    at.query_params.update(query or {})
    at.run()
    assert not at.exception
    return at


@pytest.fixture
def app() -> AppTest:
    return _open()


def _text(at: AppTest) -> str:
    """Markdown and captions with the escaping backslashes removed (what a reader sees)."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    return "\n".join(parts).replace("\\", "")


def _cards(at: AppTest) -> list[str]:
    return [
        m.value.replace("\\", "") for m in at.markdown if m.value.startswith("**") and ". " in m.value[:6]
    ]


def _ask(at: AppTest, question: str) -> AppTest:
    at.text_input(key="ask_q").input(question)
    at.button(key="ask_submit").click().run()
    assert not at.exception
    return at


def test_page_opens_with_examples(app: AppTest) -> None:
    assert app.title[0].value == "Ask the documents"
    labels = [b.label for b in app.button]
    assert "When were poverty counties fully covered?" in labels
    assert "5 documents" in app.info[0].value
    assert dict(app.query_params) == {}


def test_example_question_shows_2019_passage_with_source_and_date(app: AppTest) -> None:
    next(b for b in app.button if b.label.startswith("When were poverty")).click().run()
    assert not app.exception
    text = _text(app)
    assert PASSAGE_2019 in text
    captions = [m.value.replace("\\", "") for m in app.markdown]
    assert any(
        "rural-demonstration:8" in c and "2024-02-27" in c and "Policy Reference" in c for c in captions
    )
    assert len(_cards(app)) == 5


def test_shared_link_restores_the_search_without_a_click() -> None:
    at = _open({"q": WHEN})
    assert at.text_input(key="ask_q").value == WHEN
    assert PASSAGE_2019 in _text(at)
    assert dict(at.query_params) == {"q": WHEN}


def test_link_with_filters_and_k_restores_every_control() -> None:
    query = {
        "q": "rural sales",
        "docs": "rural-ecosystem,poverty-alleviation",
        "k": "3",
        "since": "2024-01-01",
    }
    at = _open(query)
    assert at.multiselect(key="ask_docs").value == ["rural-ecosystem", "poverty-alleviation"]
    assert at.slider(key="ask_k").value == 3
    assert str(at.date_input(key="ask_since").value) == "2024-01-01"
    assert len(_cards(at)) == 3
    assert {c.split(". ", 1)[1] for c in _cards(at)} <= {
        "Build a high-quality rural e-commerce ecosystem**",
        "E-commerce Poverty Alleviation Policies and Measures in China**",
    }
    assert dict(at.query_params) == query


def test_bad_link_values_are_ignored_with_a_note() -> None:
    at = _open({"q": "rural sales", "docs": "nope", "since": "2024-13-01", "k": "99"})
    notes = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "docs='nope'" in notes and "since='2024-13-01'" in notes and "k='99'" in notes
    assert len(_cards(at)) == 5  # the search still runs, unfiltered, with the default k
    assert dict(at.query_params) == {"q": "rural sales"}  # the URL is cleaned


def test_new_search_and_filters_go_into_the_url(app: AppTest) -> None:
    _ask(app, "rural online retail sales")
    assert dict(app.query_params) == {"q": "rural online retail sales"}
    app.multiselect(key="ask_docs").select("rural-ecosystem").run()
    app.slider(key="ask_k").set_value(2).run()
    assert dict(app.query_params) == {"q": "rural online retail sales", "docs": "rural-ecosystem", "k": "2"}
    assert _cards(app) == [
        "**1. Build a high-quality rural e-commerce ecosystem**",
        "**2. Build a high-quality rural e-commerce ecosystem**",
    ]


def test_date_filter_leaves_only_the_2026_document() -> None:
    at = _open({"q": "rural online retail sales", "since": "2025-01-01", "until": "2026-12-31"})
    cards = _cards(at)
    assert len(cards) == 5
    assert all("Strengthening the endogenous driving force" in c for c in cards)
    dates = [m.value for m in at.markdown if " · paragraph " in m.value]
    assert dates and all("2026\\-03\\-13" in d for d in dates)
    assert "published 2025-01-01 to 2026-12-31" in _text(at)


def test_filter_without_match_says_so() -> None:
    at = _open({"q": "poverty-relief", "docs": "endogenous-driving-force"})
    assert "No passage in the chosen documents and dates matches" in at.warning[0].value
    assert "clear the filters" in _text(at)


def test_typed_question_without_match_names_the_missing_words(app: AppTest) -> None:
    _ask(app, "what is the capital of France")
    assert "The corpus does not say" in app.warning[0].value
    assert "no passage matches the question" in app.warning[0].value
    assert "The corpus does not contain: capital, france." in _text(app)


def _timeline_rows(at: AppTest) -> list[dict[str, Any]]:
    (chart,) = at.get("vega_lite_chart")
    blobs = [chart.proto.data.data] + [d.data.data for d in chart.proto.datasets]
    rows: list[dict[str, Any]] = []
    for blob in blobs:
        if blob:  # Streamlit sends the chart's data as Arrow IPC, beside the spec
            rows.extend(pa.ipc.open_stream(blob).read_all().to_pylist())
    rows.extend(json.loads(chart.proto.spec).get("data", {}).get("values", []))
    return rows


def test_when_question_shows_the_timeline_with_the_2019_sentence() -> None:
    at = _open({"q": WHEN})
    rows = _timeline_rows(at)
    row = next(r for r in rows if r["when"] == "2019")
    assert "full coverage of 832" in row["sentence"]
    assert row["source"] == "Policy Reference"
    assert {"2016-11", "2018"} <= {r["when"] for r in rows}  # beside the other dated facts of the hits
    listed = next(e for e in at.expander if e.label.startswith("Dated facts"))
    assert "full coverage of 832" in listed.markdown[0].value.replace("\\", "")


def test_timeline_only_for_when_questions_or_on_demand() -> None:
    at = _open({"q": "rural online retail sales"})
    assert not at.get("vega_lite_chart")
    at.toggle(key="ask_tl").set_value(True).run()
    assert at.get("vega_lite_chart")
    assert at.query_params["timeline"] == "1"


def test_document_text_is_escaped(app: AppTest) -> None:
    _ask(app, "Internet Plus agricultural products")
    bodies = [m.value for m in app.markdown if "Internet" in m.value]
    assert bodies
    assert all("<" not in b for b in bodies)
    assert any("\\(" in b for b in bodies)  # brackets in the text are escaped, not Markdown


def test_result_cards_link_to_the_passage_in_the_corpus_view() -> None:
    at = _open({"q": WHEN})
    links = at.get("page_link")
    assert len(links) == 5
    assert {link.proto.page for link in links} == {"corpus"}
    assert "doc=rural-demonstration&passage=rural-demonstration%3A8" in [
        link.proto.query_string for link in links
    ]


def test_corpus_view_lists_documents() -> None:
    at = _open(page="corpus_page.py")
    assert at.title[0].value == "Corpus"
    (table,) = at.dataframe
    rows = table.value.to_dict("records")
    assert [r["id"] for r in rows][-1] == "endogenous-driving-force"
    eco = next(r for r in rows if r["id"] == "rural-ecosystem")
    assert eco["publisher"] == "CPC News Network"
    assert eco["authors"] == "Jin Guanping"
    assert eco["passages"] == len(qa_engine().chunks_of("rural-ecosystem"))
    assert "Rural Areas" in next(r for r in rows if r["id"] == "rural-demonstration")["keywords"]


def qa_engine() -> Any:
    import qa

    return qa.Engine.from_folder()


def test_corpus_reader_opens_at_the_passage_and_highlights_it() -> None:
    at = _open({"doc": "rural-demonstration", "passage": "rural-demonstration:8"}, page="corpus_page.py")
    assert at.selectbox(key="corpus_doc").value == "rural-demonstration"
    highlighted = [m.value for m in at.markdown if ":blue-background[" in m.value]
    assert len(highlighted) == 1
    inner = highlighted[0].split(":blue-background[", 1)[1].replace("\\", "")
    assert inner.startswith("In June 2018") and "It prioritized" in inner and "full coverage of 832" in inner
    # the only HTML on the page is our fixed scroll script: no document text goes through it
    assert [h.proto.body for h in at.get("html")] == [SCROLL_SCRIPT]


def test_corpus_reader_bad_link_is_one_warning() -> None:
    at = _open({"doc": "nope"}, page="corpus_page.py")
    assert [w.value.replace("\\", "") for w in at.warning] == [
        "Cannot open the link: no document with id 'nope'."
    ]
    assert not at.get("html")


@pytest.fixture
def corpus_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[dict[str, str]], Path]:
    def make(files: dict[str, str]) -> Path:
        for name, text in files.items():
            (tmp_path / name).write_text(text, encoding="utf-8")
        monkeypatch.setenv("QA_CORPUS", str(tmp_path))
        return tmp_path

    return make


def test_empty_corpus_state(corpus_dir: Callable[[dict[str, str]], Path]) -> None:
    folder = corpus_dir({})
    for page in (None, "corpus_page.py"):
        at = _open(page=page)
        assert "The corpus is empty" in at.info[0].value
        assert str(folder).replace("\\", "") in at.info[0].value.replace("\\", "")


def test_broken_corpus_file_is_one_line_error_not_a_traceback(
    corpus_dir: Callable[[dict[str, str]], Path],
) -> None:
    corpus_dir({"bad.md": "---\ntitle: T\n---\nbody\n"})
    at = _open({"q": WHEN})
    assert not at.exception
    (error,) = at.error
    message = error.value.replace("\\", "")
    assert message.startswith("Cannot read the corpus: ") and "bad.md" in message and "date" in message
    assert "\n" not in message


def test_markup_in_a_document_is_shown_as_text(corpus_dir: Callable[[dict[str, str]], Path]) -> None:
    body = "Evil <script>alert(1)</script> and **bold** and [link](http://x) in 2019."
    corpus_dir({"evil.md": f"---\ntitle: <b>T</b>\ndate: 2024-01-01\n---\n{body}\n"})
    at = _open({"q": "evil script bold link", "timeline": "1"})
    shown = [m.value.replace(":orange-background[", "") for m in at.markdown if "alert" in m.value]
    assert len(shown) == 2  # the card and the timeline's list
    assert all(not re.search(r"(?<!\\)[<>]", m) for m in shown)  # every angle bracket escaped
    assert all(body in plain(m) for m in shown)  # the text as written, markup characters and all
    reader = _open({"doc": "evil", "passage": "evil:1"}, page="corpus_page.py")
    assert not reader.warning
    assert [h.proto.body for h in reader.get("html")] == [SCROLL_SCRIPT]
    assert all("<script>" not in m.value for m in reader.markdown)


def test_short_answer_and_best_sentence_are_shown(app: AppTest) -> None:
    _ask(app, "when were poverty counties fully covered")
    assert [m.value for m in app.markdown if m.value.startswith("### ")] == ["### 2019"]
    card = next(m.value for m in app.markdown if ":blue-background[" in m.value and "832" in m.value)
    assert ":blue-background[In 2019" in card.replace("\\", "")
    assert "**counties**" in card  # the question's words, in bold inside the sentence


def test_the_heading_and_question_box_need_no_engine(corpus_dir: Callable[[dict[str, str]], Path]) -> None:
    """Drawn before the engine loads: shown even when the corpus cannot be read."""
    corpus_dir({"bad.md": "---\ntitle: T\n---\nbody\n"})
    at = _open({"q": WHEN})
    assert at.title[0].value == "Ask the documents"
    assert at.text_input(key="ask_q").value == WHEN
    assert at.error[0].value.startswith("Cannot read the corpus")


def test_the_ask_page_draws_before_importing_qa() -> None:
    """Importing qa takes seconds on a cold server; the Ask page's own module must not need it,
    so its heading and question box reach the browser first (tests/test_browser.py waits 5 s)."""
    code = (
        "import sys, ui.ask_page; print(sorted(m for m in sys.modules if m == 'qa' or m.startswith('qa.')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_misspelt_name_is_read_as_the_corpus_spells_it(
    corpus_dir: Callable[[dict[str, str]], Path],
) -> None:
    body = "Pierre-Joseph Céloron led 200 soldiers down the Ohio River in 1749."
    corpus_dir({"ohio.md": f"---\ntitle: Ohio\ndate: 2024-01-01\n---\n{body}\n"})
    at = _open({"q": "How many soldiers did Celoran lead?"})
    assert not at.warning
    assert "Read “Celoran” as “Céloron”." in _text(at)
    assert [m.value for m in at.markdown if m.value.startswith("### ")] == ["### 200"]
