"""Saving and loading the fast engine's index: memory-mapped, the same answers, no pickle, and a
clear error for anything that is not a complete index of this format."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from qa.documents.models import QAError
from qa.search.impact import ImpactIndex
from qa.search.index import BM25Index
from qa.search.persist import FORMAT_VERSION, IndexFormatError, load_index

CORPUS = [
    ["river", "bank", "loan"],
    ["bank", "bank", "money"],
    [],
    ["river", "fish"],
    ["loan", "rate", "bank"],
]
QUERIES = [["bank"], ["river", "loan"], ["bank", "bank", "money"], ["unknown"], []]


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    path = tmp_path / "index"
    BM25Index(CORPUS).save(path)
    return path


def test_round_trip_gives_the_same_answers(saved: Path) -> None:
    built, loaded = BM25Index(CORPUS), BM25Index.load(saved)
    assert loaded.size == built.size == 5 and loaded.engine == "fast"
    assert (loaded.k1, loaded.b) == (built.k1, built.b)
    assert loaded.vocabulary == built.vocabulary
    for q in QUERIES:
        assert loaded.search(q, 3) == built.search(q, 3)
        assert loaded.scores(q).tolist() == built.scores(q).tolist()
        assert loaded.search(q, 3, allowed={1, 4}) == built.search(q, 3, allowed={1, 4})
    assert loaded.idf("bank") == built.idf("bank") and loaded.doc_freq("bank") == 3


def test_arrays_are_memory_mapped(saved: Path) -> None:
    impl = load_index(saved)
    for array in (impl.packed.words, impl.packed.block_max, impl.indptr, impl.doc_len):
        assert isinstance(array.base, np.memmap) or isinstance(getattr(array.base, "base", None), np.memmap)
    header = json.loads((saved / "header.json").read_text(encoding="utf-8"))
    assert header["format_version"] == FORMAT_VERSION and header["idf_rule"] == "lucene"
    assert header["k1"] == 1.5 and header["b"] == 0.75 and header["n_docs"] == 5
    assert isinstance(header["tokenizer_version"], int)


def test_save_replaces_atomically(tmp_path: Path) -> None:
    path = tmp_path / "index"
    BM25Index(CORPUS).save(path)
    BM25Index([["other"]]).save(path)
    assert BM25Index.load(path).vocabulary == {"other"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index"]  # no temporary left behind


def test_unicode_terms_survive(tmp_path: Path) -> None:
    corpus = [["naïve", "東京", "a\x00b"], ["東京"]]
    BM25Index(corpus).save(tmp_path / "i")
    loaded = BM25Index.load(tmp_path / "i")
    assert loaded.vocabulary == {"naïve", "東京", "a\x00b"}
    assert [i for i, _ in loaded.search(["東京"], 2)] == [1, 0]


def problem(path: Path) -> str:
    with pytest.raises(IndexFormatError) as caught:
        BM25Index.load(path)
    assert isinstance(caught.value, QAError)
    assert str(path) in str(caught.value)
    return caught.value.problem


def test_missing_index(tmp_path: Path) -> None:
    assert "no header.json" in problem(tmp_path / "nothing-here")


def test_corrupt_header(saved: Path) -> None:
    (saved / "header.json").write_text("{not json", encoding="utf-8")
    assert "unreadable" in problem(saved)


def test_wrong_format_version(saved: Path) -> None:
    header = json.loads((saved / "header.json").read_text(encoding="utf-8"))
    header["format_version"] = FORMAT_VERSION + 1
    (saved / "header.json").write_text(json.dumps(header), encoding="utf-8")
    assert "format version" in problem(saved)


def test_an_index_of_the_previous_format_is_refused_with_advice(saved: Path) -> None:
    """A version-1 index (float64 tf parts per posting, before the compact postings) names both
    versions and says to rebuild."""
    header = json.loads((saved / "header.json").read_text(encoding="utf-8"))
    header["format_version"] = 1
    (saved / "header.json").write_text(json.dumps(header), encoding="utf-8")
    assert FORMAT_VERSION == 2
    assert problem(saved).endswith("format version 1; this qa reads version 2 (rebuild the index)")


def test_inconsistent_block_count(saved: Path) -> None:
    header = json.loads((saved / "header.json").read_text(encoding="utf-8"))
    header["n_blocks"] += 1
    (saved / "header.json").write_text(json.dumps(header), encoding="utf-8")
    assert "disagree" in problem(saved)


def test_other_tokenizer_is_refused_when_asked(saved: Path) -> None:
    with pytest.raises(IndexFormatError, match="tokenizer version"):
        load_index(saved, tokenizer_version=-1)


def test_truncated_array(saved: Path) -> None:
    data = (saved / "words.npy").read_bytes()
    (saved / "words.npy").write_bytes(data[: len(data) - 8])
    assert problem(saved)


def test_missing_array(saved: Path) -> None:
    (saved / "block_max.npy").unlink()
    assert "block_max.npy" in problem(saved)


def test_array_of_another_shape(saved: Path) -> None:
    np.save(saved / "block_last.npy", np.zeros(3, dtype=np.int32))
    assert "block_last.npy" in problem(saved)


def test_pickle_is_never_loaded(saved: Path) -> None:
    np.save(saved / "words.npy", np.array([{"x": 1}], dtype=object), allow_pickle=True)
    assert problem(saved)


def test_only_the_fast_engine_saves(tmp_path: Path) -> None:
    with pytest.raises(QAError, match="fast engine"):
        BM25Index(CORPUS, engine="rank-bm25").save(tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_unknown_engine() -> None:
    with pytest.raises(QAError, match="unknown BM25 engine"):
        BM25Index(CORPUS, engine="lucene")


def test_loaded_impl_is_an_impact_index(saved: Path) -> None:
    assert isinstance(load_index(saved), ImpactIndex)
