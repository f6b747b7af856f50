"""BibTeX, RIS and CSL-JSON read back by real parsers to the document's fields; the reference files."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
import rispy
from bibtexparser import middlewares as bm
from bibtexparser.entrypoint import parse_string

import qa

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# The CSL 1.0.2 item variables this project writes (csl-data.json in the CSL schema repository).
CSL_TYPES = {"webpage", "article-newspaper"}
CSL_KEYS = {
    "id",
    "type",
    "title",
    "author",
    "container-title",
    "publisher",
    "issued",
    "URL",
    "keyword",
    "language",
}


def _first_chunk(engine: qa.Engine, doc_id: str) -> qa.Chunk:
    return engine.chunks_of(doc_id)[0]


def _unbrace(text: str) -> str:
    return re.sub(r"(?<!\\)[{}]", "", text)


@pytest.mark.parametrize(
    "doc_id", [d for d in ("boosting-agriculture", "rural-demonstration", "rural-ecosystem")]
)
def test_bibtex_parses_back_to_the_same_fields(engine: qa.Engine, doc_id: str) -> None:
    doc = engine.document(doc_id)
    text = qa.cite_id(engine, _first_chunk(engine, doc_id).id, "bibtex").reference
    lib = parse_string(text, append_middleware=[bm.SeparateCoAuthors(), bm.SplitNameParts()])
    assert not lib.failed_blocks
    assert len(lib.entries) == 1
    entry = lib.entries[0]
    fields = {f.key: f.value for f in entry.fields}
    assert entry.key == doc.id
    assert entry.entry_type == ("article" if doc.outlet else "misc")
    assert _unbrace(fields["title"]) == doc.title
    assert fields["journal" if doc.outlet else "howpublished"] == (doc.outlet or doc.source)
    assert fields["year"] == str(doc.date.year)
    assert fields["month"] == MONTHS[doc.date.month - 1]
    assert fields["date"] == doc.date.isoformat()
    if doc.authors:
        names = fields["author"]
        assert [(n.last, n.first) for n in names] == [
            ([p.name.split()[0]], [p.name.split()[1]]) for p in doc.authors
        ]  # "Ouyang Rihui": last name Ouyang, first name Rihui
    else:
        assert "author" not in fields
    assert "url" not in fields  # the shipped corpus gives none, so none is written


def test_bibtex_escapes_latex_and_keeps_a_given_url() -> None:
    doc = qa.Document(
        id="x1", title="Profit & loss: 100% of R_D", date=qa.load_corpus()[0].date, body="Text.\n",
        source="Site", url="https://example.org/a_b?x=1%20", authors=(qa.Person("Smith, John"),),
    )  # fmt: skip
    text = qa.cite_passage(doc, qa.chunk_document(doc)[0], "bibtex").reference
    assert "title = {Profit \\& loss: 100\\% of {R\\_D}}," in text  # the acronym kept in braces
    fields = {f.key: f.value for f in parse_string(text).entries[0].fields}
    assert fields["url"] == "https://example.org/a_b?x=1%20"
    assert fields["author"] == "Smith, John"


@pytest.mark.parametrize("doc_id", ["boosting-agriculture", "rural-demonstration", "rural-ecosystem"])
def test_ris_parses_back_to_the_same_fields(engine: qa.Engine, doc_id: str) -> None:
    doc = engine.document(doc_id)
    text = qa.cite_id(engine, _first_chunk(engine, doc_id).id, "ris").reference
    (rec,) = rispy.loads(text)
    assert rec["type_of_reference"] == ("NEWS" if doc.outlet else "ELEC")
    assert rec["id"] == doc.id
    assert rec["title"] == doc.title
    assert rec["secondary_title"] == (doc.outlet or doc.source)
    assert rec["year"] == str(doc.date.year)
    assert rec["date"] == doc.date.strftime("%Y/%m/%d")
    assert rec.get("authors", []) == [", ".join(p.name.split(" ", 1)) for p in doc.authors]
    assert rec.get("keywords", []) == list(doc.keywords)
    assert "urls" not in rec
    if doc.publisher and doc.publisher != doc.outlet:
        assert rec["publisher"] == doc.publisher


def test_csl_json_is_structurally_valid(engine: qa.Engine) -> None:
    for doc in engine.documents:
        c = qa.cite_id(engine, _first_chunk(engine, doc.id).id, "csl-json")
        (item,) = json.loads(c.reference)
        assert set(item) <= CSL_KEYS, set(item) - CSL_KEYS
        assert item["id"] == doc.id
        assert item["type"] in CSL_TYPES
        assert item["type"] == ("article-newspaper" if doc.outlet else "webpage")
        assert item["title"] == doc.title
        assert item["container-title"] == (doc.outlet or doc.source)
        assert item["issued"] == {"date-parts": [[doc.date.year, doc.date.month, doc.date.day]]}
        for name in item.get("author", []):
            assert set(name) == {"family", "given"}
            assert all(isinstance(v, str) and v for v in name.values())
        assert [f"{n['family']} {n['given']}" for n in item.get("author", [])] == [
            p.name for p in doc.authors
        ]
        cite_item = json.loads(c.in_text)
        assert cite_item == {"id": doc.id, "locator": str(c.paragraph), "label": "paragraph"}


def _hits(engine: qa.Engine, ids: list[str]) -> list[qa.Hit]:
    hits = []
    for i, pid in enumerate(ids, start=1):
        chunk = engine.chunk(pid)
        hits.append(qa.Hit(i, 1.0, chunk, engine.document(chunk.doc_id)))
    return hits


IDS = ["rural-demonstration:8", "boosting-agriculture:4", "rural-ecosystem:2", "rural-demonstration:2"]


def test_bib_and_ris_files_hold_one_record_per_document(engine: qa.Engine) -> None:
    hits = _hits(engine, IDS)
    lib = parse_string(qa.references_file(hits, "bib"))
    assert not lib.failed_blocks
    assert [e.key for e in lib.entries] == ["rural-demonstration", "boosting-agriculture", "rural-ecosystem"]
    recs = rispy.loads(qa.references_file(hits, "ris"))
    assert [r["id"] for r in recs] == ["rural-demonstration", "boosting-agriculture", "rural-ecosystem"]


def test_md_and_csv_files_hold_one_row_per_passage(engine: qa.Engine) -> None:
    hits = _hits(engine, IDS)
    md = qa.references_file(hits, "md", "apa")
    assert md.startswith("# References (APA 7)\n\n- *E-commerce in rural areas comprehensive")
    assert md.count("\n- ") == 4
    assert "  > “In June 2018, China's government\u00a0proposed" in md
    assert "(para. 4) (*E-commerce in Rural Areas*, 2024, para. 4)" in md
    rows = list(csv.DictReader(io.StringIO(qa.references_file(hits, "csv", "mla"))))
    assert [r["passage_id"] for r in rows] == IDS
    assert rows[1]["authors"] == "Ouyang Rihui"
    assert rows[1]["reference"].startswith("Ouyang Rihui. “Understanding the ‘Boosting")
    assert rows[2]["paragraph"] == "2"
    for row, hit in zip(rows, hits, strict=True):
        assert row["quote"].removesuffix("…") in hit.document.body
        assert row["date"] == hit.document.date.isoformat()
        assert row["style"] == "mla"
    with pytest.raises(qa.QAError, match="unknown references file format 'doc'"):
        qa.references_file(hits, "doc")
