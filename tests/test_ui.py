"""The page, run headless by Streamlit's AppTest."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from ui.render import plain

APP = str(ROOT / "ui" / "app.py")


@pytest.fixture
def app() -> Iterator[AppTest]:
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    yield at
    st.cache_resource.clear()


def _markdown(at: AppTest) -> str:
    return plain("\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption))


def test_page_opens_with_examples(app: AppTest) -> None:
    assert not app.exception
    assert app.title[0].value == "Ask the documents"
    labels = [b.label for b in app.button]
    assert "When were poverty counties fully covered?" in labels
    assert "5 documents" in app.info[0].value


def test_example_question_shows_2019_passage_with_date(app: AppTest) -> None:
    next(b for b in app.button if b.label.startswith("When were poverty")).click().run()
    assert not app.exception
    text = _markdown(app)
    assert "In 2019, 215 new comprehensive demonstration counties" in text
    first_card_caption = plain(app.caption[2].value)
    assert "2024-02-27" in first_card_caption
    assert "Policy Reference" in first_card_caption
    titles = [m.value.replace("\\", "") for m in app.markdown if m.value.startswith("**1.")]
    assert titles == ["**1. E-commerce in Rural Areas Comprehensive Demonstration Project in China**"]


def test_typed_question_without_match_says_so(app: AppTest) -> None:
    app.text_input(key="question").input("what is the capital of France").run()
    assert not app.exception
    assert "The corpus does not say" in plain(app.warning[0].value)
    assert "capital" in _markdown(app)


def test_document_text_is_escaped(app: AppTest) -> None:
    app.text_input(key="question").input("Internet Plus agricultural products").run()
    assert not app.exception
    bodies = [m.value for m in app.markdown if "Internet" in m.value]
    assert bodies
    assert all("<" not in b for b in bodies)
    assert any("\\(" in b for b in bodies)  # brackets in the text are escaped, not Markdown


def test_short_answer_and_best_sentence_are_shown(app: AppTest) -> None:
    app.text_input(key="question").input("when were poverty counties fully covered").run()
    assert not app.exception
    assert [m.value for m in app.markdown if m.value.startswith("### ")] == ["### 2019"]
    card = next(m.value for m in app.markdown if "full coverage of 832" in plain(m.value))
    assert ":blue-background[In 2019" in card.replace("\\", "")
