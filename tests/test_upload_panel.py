"""The page's upload control, run headless: same code path and messages as `qa add`, and removal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import qa
from tests.conftest import ROOT
from tests.docmaker import make_image_pdf, make_pdf, md

APP = str(ROOT / "ui" / "app.py")


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    """The Corpus page, where the upload panel lives."""
    monkeypatch.setenv("QA_DATA_DIR", str(tmp_path / "data"))
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("corpus_page.py").run()
    yield at
    st.cache_resource.clear()


def _ask(question: str) -> AppTest:
    """The Ask page opened on ``question`` (a fresh session: it reads the same cached engine)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["q"] = question
    at.run()
    assert not at.exception
    return at


def _count(at: AppTest) -> str:
    return next(c.value for c in at.caption if " documents, " in c.value)


def _plain(values: list[str]) -> list[str]:
    return [v.replace("\\", "") for v in values]


def test_upload_adds_good_files_reports_bad_ones_and_remove_works(app: AppTest, tmp_path: Path) -> None:
    assert not app.exception
    assert _count(app).startswith("5 documents")
    pdf = make_pdf([["Tea farmers in Anxi sold 300 tonnes of oolong through livestreams."]], title="Tea")
    uploads = [
        ("tea.pdf", pdf, "application/pdf"),
        (
            "notes.md",
            md("Mushroom notes", "2024-03-03", "Shiitake growers formed a co-op.").encode(),
            "text/plain",
        ),
        ("scan.pdf", make_image_pdf(), "application/pdf"),
        ("empty.txt", b"", "text/plain"),
    ]
    app.file_uploader[0].set_value(uploads).run()
    next(b for b in app.button if b.label == "Add to the corpus").click().run()
    assert not app.exception
    assert _plain([s.value for s in app.success]) == [
        "tea.pdf: added as 'tea': Tea (2021-01-01)",
        "notes.md: added as 'notes': Mushroom notes (2024-03-03)",
    ]
    assert _plain([e.value for e in app.error]) == [
        "scan.pdf: the PDF has no text layer (2 pages of images?): run OCR on it first",
        "empty.txt: empty file",
    ]
    assert _count(app).startswith("7 documents")  # the engine was rebuilt with the new files
    ask = _ask("how much oolong did Anxi tea farmers sell")
    titles = [m.value for m in ask.markdown if m.value.startswith("**1.")]
    assert titles == ["**1. Tea**"]
    caption = next(c for c in _plain([m.value for m in ask.markdown]) if "tea:1" in c)
    assert "page 1" in caption and "2021-01-01" in caption
    assert [d.id for d in qa.Store(tmp_path / "data").added_documents()] == ["notes", "tea"]
    app.button(key="remove-tea").click().run()
    assert not app.exception
    assert _plain([s.value for s in app.success]) == ["Removed 'tea': Tea"]
    assert [d.id for d in qa.Store(tmp_path / "data").added_documents()] == ["notes"]
    assert _count(app).startswith("6 documents")
    ask = _ask("how much oolong did Anxi tea farmers sell")
    assert not any("tea:1" in m for m in _plain([m.value for m in ask.markdown]))


def test_uploading_the_same_file_twice_says_it_is_already_there(app: AppTest) -> None:
    data = md("Kiwi", "2024-01-01", "Kiwi text.").encode()
    for _ in range(2):
        app.file_uploader[0].set_value(("kiwi.md", data, "text/plain")).run()
        next(b for b in app.button if b.label == "Add to the corpus").click().run()
    assert _plain([w.value for w in app.warning]) == [
        "skipped: kiwi.md: already in the corpus as 'kiwi' (same content)"
    ]


def test_single_upload_takes_the_date_field(app: AppTest) -> None:
    app.file_uploader[0].set_value(("memo.txt", b"Memo about village roads.", "text/plain")).run()
    next(b for b in app.button if b.label == "Add to the corpus").click().run()
    assert "no date found" in app.error[0].value
    app.file_uploader[0].set_value(("memo.txt", b"Memo about village roads.", "text/plain")).run()
    app.text_input(key="upload_date").input("2023-02-01").run()
    next(b for b in app.button if b.label == "Add to the corpus").click().run()
    assert not app.error
    doc = qa.Store().added_documents()[0]
    assert (doc.id, doc.date) == ("memo", dt.date(2023, 2, 1))


def test_a_running_page_sees_a_document_added_from_the_command_line(app: AppTest, tmp_path: Path) -> None:
    assert _count(app).startswith("5 documents")
    note = tmp_path / "cli-note.md"
    note.write_text(md("Walnut notes", "2024-05-05", "Walnut growers in Yunnan sold 80 tonnes."))
    assert qa.Store(tmp_path / "data").add_paths([note]).ok  # what `qa add` does, outside the page
    app.run()
    assert not app.exception
    assert _count(app).startswith("6 documents")
    assert "Walnut notes" in [row for row in app.dataframe[0].value["title"]]
    assert qa.Store(tmp_path / "data").remove("cli-note") == "Walnut notes"
    app.run()
    assert _count(app).startswith("5 documents")


_calls: list[int] = []


@st.cache_resource
def _other_resource() -> int:
    """Stands for any other cached resource of the server (another session's, a model)."""
    _calls.append(1)
    return len(_calls)


def test_an_upload_or_a_removal_clears_no_other_cached_resource(app: AppTest) -> None:
    first = _other_resource()
    app.file_uploader[0].set_value(("fig.md", md("Figs", "2024-01-09", "Fig text.").encode(), "text/plain"))
    app.run()
    next(b for b in app.button if b.label == "Add to the corpus").click().run()
    assert not app.exception
    assert _count(app).startswith("6 documents")
    app.button(key="remove-fig").click().run()
    assert _count(app).startswith("5 documents")
    assert _other_resource() == first and len(_calls) == 1
