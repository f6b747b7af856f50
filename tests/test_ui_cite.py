"""Citing on the page (AppTest): the Cite control, context, and the references panel's downloads."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
import rispy
import streamlit as st
from bibtexparser.entrypoint import parse_string
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "ui" / "app.py")


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The bytes each download button would serve, by file name (captured as Streamlit stores them)."""
    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def record(
        self: MemoryMediaFileStorage, path_or_data: Any, mimetype: str, kind: Any, filename: Any = None
    ) -> str:
        if filename and isinstance(path_or_data, bytes):
            files[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return files


@pytest.fixture
def app() -> Iterator[AppTest]:
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    yield at
    st.cache_resource.clear()


def _ask(at: AppTest, question: str) -> None:
    at.text_input(key="ask_q").input(question)
    at.button(key="ask_submit").click().run()
    assert not at.exception


def _add(at: AppTest, passage_id: str) -> None:
    at.button(key=f"cite-{passage_id}-add").click().run()
    assert not at.exception


def test_cite_control_shows_the_reference_in_the_chosen_style(app: AppTest) -> None:
    _ask(app, "when were poverty counties fully covered")
    codes = [c.value for c in app.code]
    assert (
        "*E-commerce in rural areas comprehensive demonstration project in China*. (2024, February 27). "
        "Policy Reference."
    ) in codes
    assert "(*E-commerce in Rural Areas*, 2024, para. 4)" in codes
    app.selectbox(key="cite-rural-demonstration:8-style").set_value("mla").run()
    codes = [c.value for c in app.code]
    assert (
        "“E-commerce in Rural Areas Comprehensive Demonstration Project in China.” *Policy Reference*, "
        "27 Feb. 2024." in codes
    )


def test_card_shows_paragraphs_around_and_the_whole_document(app: AppTest) -> None:
    _ask(app, "when were poverty counties fully covered")
    assert not any(m.value.startswith("¶ ") for m in app.markdown)  # context only when asked for
    app.toggle(key="cite-rural-demonstration:8-context").set_value(True).run()
    assert not app.exception
    paras = [m.value for m in app.markdown if m.value.startswith("¶ ")]
    around, whole = paras[:3], paras[3:]
    assert [p.split(" · ")[0] for p in around] == ["¶ 3", "¶ 4", "¶ 5"]
    passage = ":orange-background[In June 2018, China's government\u00a0proposed to continue"
    assert passage in around[1] and "In 2019, 215 new" in around[1]
    assert ":orange-background[" not in around[0] + around[2]
    assert len(whole) == 5  # the five paragraphs of the document, the passage highlighted in the fourth
    assert [i for i, p in enumerate(whole, start=1) if ":orange-background[" in p] == [4]
    assert all("<" not in p for p in paras)


def _add_first_of(at: AppTest, doc_ids: list[str]) -> str:
    """Add the first result card from a document not yet collected; its passage id."""
    keys = [b.key for b in at.button if b.key and b.key.startswith("cite-") and b.key.endswith("-add")]
    pid = next(
        p
        for p in (k.removeprefix("cite-").removesuffix("-add") for k in keys)
        if p.split(":")[0] not in doc_ids
    )
    _add(at, pid)
    doc_ids.append(pid.split(":")[0])
    return pid


def test_collect_three_references_and_download_them(app: AppTest, downloads: dict[str, bytes]) -> None:
    docs: list[str] = []
    _ask(app, "when were poverty counties fully covered")
    assert "My references (0)" in [h.value for h in app.subheader]
    first = _add_first_of(app, docs)
    assert app.button(key=f"cite-{first}-add").label == "In my references ✓"
    _ask(app, "Who wrote about boosting agriculture through e-commerce?")
    second = _add_first_of(app, docs)
    _ask(app, "How much did rural online retail sales reach in 2023?")
    _add_first_of(app, docs)
    assert len(set(docs)) == 3
    assert "My references (3)" in [h.value for h in app.subheader]
    assert [d.label for d in app.download_button] == [
        "Download .bib",
        "Download .ris",
        "Download .md",
        "Download .csv",
    ]

    lib = parse_string(downloads["references.bib"].decode("utf-8"))
    assert not lib.failed_blocks
    assert [e.key for e in lib.entries] == docs
    assert [r["id"] for r in rispy.loads(downloads["references.ris"].decode("utf-8"))] == docs
    md = downloads["references.md"].decode("utf-8")
    assert md.startswith("# References (APA 7)\n")
    assert md.count("\n- ") == 3
    rows = list(csv.DictReader(io.StringIO(downloads["references.csv"].decode("utf-8"))))
    assert [r["doc_id"] for r in rows] == docs
    assert rows[1]["passage_id"] == second

    app.button(key=f"refs-remove-{second}").click().run()
    assert "My references (2)" in [h.value for h in app.subheader]
    lib = parse_string(downloads["references.bib"].decode("utf-8"))
    assert [e.key for e in lib.entries] == [docs[0], docs[2]]
