"""The shipped corpus: metadata, cleaned bodies, and validation of bad files."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest

import qa
from tests.conftest import SEEDS

BOILERPLATE = [
    r"^Home\s*>",
    r"^CPC News Network >>",
    r"^Author:",
    r"^Related Links",
    r"^Related topics",
    r"Important comments",
    r"WeChat \"Scan\"",
    r"Editor in charge",
    r"^Edit:",
    r"^Source:",
    r"Special statement",
    r"^Original title:",
    r"^\d\d:\d\d, ",
    r"^(January|February|March|April|May|June|July|August|September|October|November|December)"
    r" \d+, \d{4}\s*$",
    r"^\d{4}-\d\d-\d\d$",
    r"^China's No\. 1 Central Document for 2022$",
    r"^Review of China's No\.1 Central Document",
    r"^Jin Guanping$",
]


def _by_id(corpus: list[qa.Document]) -> dict[str, qa.Document]:
    return {d.id: d for d in corpus}


def test_five_documents_one_per_seed(corpus: list[qa.Document]) -> None:
    assert len(corpus) == 5
    assert sorted(d.original_file for d in corpus) == sorted(p.name for p in SEEDS.glob("*.txt"))


@pytest.mark.parametrize(
    ("doc_id", "date", "source", "authors", "keywords"),
    [
        ("boosting-agriculture", "2023-11-16", "Policy Reference", ["Ouyang Rihui"], 4),
        ("rural-demonstration", "2024-02-27", "Policy Reference", [], 4),
        ("poverty-alleviation", "2024-02-27", "Policy Reference", [], 4),
        ("rural-ecosystem", "2024-04-02", "Economic Daily", ["Jin Guanping"], 0),
        ("endogenous-driving-force", "2026-03-13", "Economic Daily", [], 0),
    ],
)
def test_metadata(
    corpus: list[qa.Document], doc_id: str, date: str, source: str, authors: list[str], keywords: int
) -> None:
    doc = _by_id(corpus)[doc_id]
    assert doc.date == dt.date.fromisoformat(date)
    assert doc.source == source
    assert [a.name for a in doc.authors] == authors
    assert len(doc.keywords) == keywords
    assert doc.language == "en"
    assert doc.url == ""  # no URL is stated in any seed, so none is invented


def test_named_people_and_outlets(corpus: list[qa.Document]) -> None:
    docs = _by_id(corpus)
    assert docs["rural-ecosystem"].publisher == "CPC News Network"
    assert [e.name for e in docs["rural-ecosystem"].editors] == ["Huang Jin", "Wan Peng"]
    assert [e.name for e in docs["endogenous-driving-force"].editors] == ["He Chuanning", "Su Suiyue"]
    assert docs["endogenous-driving-force"].publisher == "Outlook New Era"
    assert "Central University of Finance and Economics" in docs["boosting-agriculture"].authors[0].role
    assert docs["boosting-agriculture"].keywords == (
        "E-commerce",
        "No. 1 Central Document",
        "Rural Areas",
        "Value Chain",
    )


def _seed_for(doc: qa.Document) -> str:
    return (SEEDS / doc.original_file).read_text(encoding="utf-8")


def _article_lines(doc: qa.Document) -> list[str]:
    """Lines of the seed that are neither boilerplate nor metadata (title, keywords)."""
    keep = []
    for line in _seed_for(doc).splitlines():
        text = line.strip()
        if not text or text == doc.title or (";" in text and len(text) < 120):
            continue
        if any(re.search(p, text) for p in BOILERPLATE):
            continue
        keep.append(text.removesuffix(" (New Society)"))
    return keep


def test_every_article_sentence_survives(corpus: list[qa.Document]) -> None:
    for doc in corpus:
        lines = _article_lines(doc)
        assert lines, doc.id
        for line in lines:
            for s, e in qa.sentence_spans(line):
                assert line[s:e] in doc.body, (doc.id, line[s:e][:80])


def test_no_boilerplate_in_bodies(corpus: list[qa.Document]) -> None:
    for doc in corpus:
        for line in doc.body.splitlines():
            for pattern in BOILERPLATE:
                assert not re.search(pattern, line.strip()), (doc.id, pattern, line[:60])
        assert "Learning Power" not in doc.body
        assert "lwxsd@" not in doc.body
        assert doc.title not in doc.body


def test_body_words_all_come_from_the_seed(corpus: list[qa.Document]) -> None:
    """Nothing is invented: every paragraph of a body is a verbatim stretch of its seed."""
    for doc in corpus:
        seed = _seed_for(doc)
        for s, e in qa.paragraph_spans(doc.body):
            assert doc.body[s:e] in seed, (doc.id, doc.body[s : s + 60])


GOOD = "---\nid: x\ntitle: A title\ndate: 2024-01-02\n---\n\nSome text here.\n"


@pytest.mark.parametrize(
    ("text", "field", "fragment"),
    [
        ("---\nid: x\ndate: 2024-01-02\n---\n\nText.\n", "title", "missing"),
        ("---\nid: x\ntitle: T\n---\n\nText.\n", "date", "missing"),
        ("---\nid: x\ntitle: T\ndate: 2024-13-45\n---\n\nText.\n", "date", "not a date"),
        ("---\nid: x\ntitle: T\ndate: yesterday\n---\n\nText.\n", "date", "not a date"),
        ("---\nid: x\ntitle: [unclosed\ndate: 2024-01-02\n---\n\nText.\n", "front matter", "broken YAML"),
        (
            "---\nid: x\ntitle: T\ndate: 2024-01-02\n\nText without closing line.\n",
            "front matter",
            "not closed",
        ),
        ("---\nid: x\ntitle: T\ndate: 2024-01-02\n---\n\n   \n", "body", "no text"),
        ("---\nid: Bad Id!\ntitle: T\ndate: 2024-01-02\n---\n\nText.\n", "id", "not a valid id"),
        ("---\n- a list\n---\n\nText.\n", "front matter", "mapping"),
    ],
)
def test_bad_files_name_file_and_field(
    write_doc: Callable[[str, str], Path], text: str, field: str, fragment: str
) -> None:
    path = write_doc("bad.md", text)
    with pytest.raises(qa.CorpusError) as info:
        qa.load_corpus(path.parent)
    message = str(info.value)
    assert str(path) in message
    assert f": {field}: " in message
    assert fragment in message
    assert "\n" not in message
    assert info.value.field == field


def test_good_file_loads_and_duplicate_id_is_refused(write_doc: Callable[[str, str], Path]) -> None:
    first = write_doc("a.md", GOOD)
    docs = qa.load_corpus(first.parent)
    assert [(d.id, d.date.isoformat(), d.body) for d in docs] == [("x", "2024-01-02", "Some text here.\n")]
    write_doc("b.md", GOOD)
    with pytest.raises(qa.CorpusError, match=r"b\.md: id: 'x' is already used"):
        qa.load_corpus(first.parent)


def test_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(qa.CorpusError, match="does not exist"):
        qa.load_corpus(tmp_path / "nope")


def test_not_utf8_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "latin.md").write_bytes(GOOD.replace("Some", "S\xe9me").encode("latin-1"))
    with pytest.raises(qa.CorpusError, match=r"latin\.md: not UTF-8"):
        qa.load_corpus(tmp_path)
