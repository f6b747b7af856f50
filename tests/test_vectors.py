"""Passage vectors on disk (qa/store/vectors.py): reused, rebuilt when damaged, never shrunk by a view."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from qa.documents.models import Chunk
from qa.search.semantic import Vectors
from qa.store.directory import Store
from qa.store.vectors import HEADER, load_vectors, save_vectors, text_key, update_vectors
from tests.conftest import ROOT
from tests.docmaker import md, write_corpus


class Fake:
    """A unit vector of 8 numbers drawn from each text's hash; records every text it encodes."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.seen.extend(texts)
        return np.stack([unit(t) for t in texts]) if texts else np.zeros((0, 8), np.float32)


@pytest.fixture(autouse=True)
def _embed(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the vectors builds keep: turn embedding back on (conftest.py)."""
    monkeypatch.setenv("QA_EMBED", "1")


def sentences(chunks: Sequence[Chunk]) -> list[str]:
    """What builds embed: each sentence of each passage (``Chunk.units``), in order."""
    return [u.text for c in chunks for _, u in c.pieces]


def unit(text: str) -> Vectors:
    seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
    row = np.random.default_rng(seed).standard_normal(8).astype(np.float32)
    return row / np.linalg.norm(row)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Fake:
    embedder = Fake()
    monkeypatch.setattr("qa.store.vectors.load_embedder", lambda: embedder)
    monkeypatch.setattr("qa.store.vectors.model_name", lambda: "fake-8")
    return embedder


def store(data: Path, shipped: bool = False) -> Store:
    return Store(data, include_shipped=shipped, on_warning=lambda m: None)


def header(data: Path) -> dict[str, object]:
    loaded: dict[str, object] = json.loads((data / "cache" / HEADER).read_text())
    return loaded


def test_saved_rows_come_back_memory_mapped(tmp_path: Path) -> None:
    texts = ["alpha", "beta", "gamma"]
    fake = Fake()
    update = update_vectors(texts, None, "fake-8", False, lambda: fake)
    assert update is not None and update.file is not None and update.embedded == 3
    save_vectors(tmp_path, "fake-8", *update.file)
    saved = load_vectors(tmp_path, "fake-8")
    assert saved is not None and isinstance(saved.rows, np.memmap) and saved.rows.dtype == np.float32
    assert saved.keys == tuple(text_key(t) for t in texts)
    assert np.array_equal(saved.rows, np.stack([unit(t) for t in texts]))
    assert not saved.rows.flags.writeable
    (data,) = tmp_path.glob("vectors-*.npy")
    assert json.loads((tmp_path / HEADER).read_text())["data"] == data.name
    again = update_vectors(texts, saved, "fake-8", False, lambda: None)  # nothing to embed: no model
    assert again is not None and again.file is None and again.embedded == 0
    assert isinstance(again.rows, np.memmap)


def test_only_new_passages_are_embedded(tmp_path: Path, fake: Fake) -> None:
    paths = write_corpus(tmp_path / "in", 6)
    assert store(tmp_path / "data").add_paths([tmp_path / "in"]).ok
    built = store(tmp_path / "data").build()
    texts = sentences(built.chunks)
    assert len(built.chunks) == 12 and len(texts) > 12
    assert sorted(fake.seen) == sorted(set(texts))  # each sentence once, at add time
    assert built.vectors is not None and isinstance(built.vectors, np.memmap)
    assert np.array_equal(built.vectors, np.stack([unit(t) for t in texts]))
    fake.seen.clear()
    paths[2].write_text(
        md("Changed", "2021-01-01", "New words: durian.\n\nA second paragraph about village 2.")
    )
    assert store(tmp_path / "data").add_paths([paths[2]]).ok
    assert fake.seen == ["New words: durian."]  # the other passage of doc-0002 kept its text
    built = store(tmp_path / "data").build()
    assert fake.seen == ["New words: durian."]
    assert built.vectors is not None
    assert np.array_equal(built.vectors, np.stack([unit(t) for t in sentences(built.chunks)]))
    assert header(tmp_path / "data")["rows"] == len(set(texts)) + 1  # a view drops no row


def test_views_never_shrink_the_file_and_a_removal_does(tmp_path: Path, fake: Fake) -> None:
    data = tmp_path / "data"
    write_corpus(tmp_path / "in", 3)
    assert store(data, shipped=True).add_paths([tmp_path / "in"]).ok
    everything = store(data, shipped=True).build()
    all_texts = sentences(everything.chunks)
    assert header(data)["rows"] == len(all_texts) and len(fake.seen) == len(set(all_texts))
    assert keys(data) == {text_key(t) for t in all_texts}  # a text said twice is embedded once
    before = header(data)
    own = store(data).build()  # only the added documents' rows, no rewrite
    assert own.vectors is not None and np.array_equal(
        own.vectors, np.stack([unit(t) for t in sentences(own.chunks)])
    )
    assert header(data) == before
    (tmp_path / "in" / "x.md").write_text(md("X", "2024-01-01", "Extra words."))
    assert store(data).add_paths([tmp_path / "in" / "x.md"]).ok  # embeds 1, keeps the shipped rows
    assert keys(data) == {text_key(t) for t in [*all_texts, "Extra words."]}
    assert fake.seen[-1] == "Extra words." and len(fake.seen) == len(set(all_texts)) + 1
    assert store(data, shipped=True).build().vectors is not None and len(fake.seen) == len(set(all_texts)) + 1
    store(data).remove("x")  # a partial view: the row stays until a whole view drops it
    assert text_key("Extra words.") in keys(data)
    kept = sentences([c for c in everything.chunks if c.doc_id != "doc-0000"])
    store(data, shipped=True).remove("doc-0000")
    assert keys(data) == {text_key(t) for t in kept} and len(fake.seen) == len(set(all_texts)) + 1


def keys(data: Path) -> set[object]:
    listed = header(data)["keys"]
    assert isinstance(listed, list)
    return set(listed)


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-100])


def _append(path: Path) -> None:
    path.write_bytes(path.read_bytes() + b"\0" * 32)


def _pickled(path: Path) -> None:
    np.save(path, np.array([{"a": 1}], dtype=object), allow_pickle=True)


def _header(change: dict[str, object]) -> object:
    def rewrite(path: Path) -> None:
        head = path.parent / HEADER
        head.write_text(json.dumps({**json.loads(head.read_text()), **change}))

    return rewrite


@pytest.mark.parametrize(
    ("damage", "warning"),
    [
        (_truncate, "unreadable (ValueError)"),
        (_append, "damaged (not the 3 x 8 float32 rows its header names)"),
        (_pickled, "unreadable (ValueError)"),
        (lambda p: p.unlink(), ".npy: missing"),
        (lambda p: (p.parent / HEADER).write_text('{"format": "qa-vec'), "unreadable (JSONDecodeError)"),
        (_header({"version": 0}), "format version 0, expected 1"),
        (_header({"model": "other"}), "vectors of another model ('other')"),
        (_header({"rows": 4}), "damaged header"),
        (_header({"data": "../passages.json"}), "damaged header"),
    ],
)
def test_a_damaged_vector_file_is_rebuilt(tmp_path: Path, fake: Fake, damage: object, warning: str) -> None:
    data = tmp_path / "data"
    write_corpus(tmp_path / "in", 1)
    assert store(data).add_paths([tmp_path / "in"]).ok
    saved = store(data).build().vectors
    assert saved is not None and len(fake.seen) == 3  # one passage of two sentences, one of one
    good = np.array(saved)  # a copy: the damage below is done in place, which qa never does
    (path,) = (data / "cache").glob("vectors-*.npy")
    damage(path)  # type: ignore[operator]
    again = store(data)
    built = again.build()
    assert [w for w in again.warnings if warning in w and "embedding the passages again" in w], again.warnings
    assert len(fake.seen) == 6 and built.vectors is not None and np.array_equal(built.vectors, good)
    assert store(data).build().vectors is not None and len(fake.seen) == 6  # saved again
    assert len(list((data / "cache").glob("vectors-*.npy"))) == 1


def test_no_vectors_without_the_semantic_extra_or_when_not_asked(
    tmp_path: Path, fake: Fake, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_corpus(tmp_path / "in", 2)
    assert store(tmp_path / "data").build(vectors=False).vectors is None  # no data dir yet: just no rows
    assert store(tmp_path / "data").add_paths([tmp_path / "in"]).ok
    (tmp_path / "data" / "cache" / HEADER).unlink()
    assert store(tmp_path / "data").build(vectors=False).vectors is None
    seen = len(fake.seen)
    monkeypatch.setattr("qa.store.vectors.load_embedder", lambda: None)  # the model cannot load
    built = store(tmp_path / "data").build()
    assert built.vectors is None and len(built.chunks) == 4
    monkeypatch.setattr("qa.store.vectors.model_name", lambda: None)  # the extra is not installed
    assert store(tmp_path / "data").build().vectors is None
    assert len(fake.seen) == seen and not (tmp_path / "data" / "cache" / HEADER).exists()


def test_a_warm_build_imports_neither_spacy_nor_the_embedding_model(tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_corpus(tmp_path / "in", 2)
    cold = store(data).add_paths([tmp_path / "in"])
    assert cold.ok and cold.processed == 2
    script = textwrap.dedent(
        f"""
        import sys
        from qa.store.directory import Store
        built = Store({str(data)!r}, include_shipped=False).build()
        heavy = [m for m in ("spacy", "torch", "tokenizers", "safetensors") if m in sys.modules]
        print(built.processed, type(built.vectors).__name__, built.vectors.shape, heavy)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "0 memmap (6, 384) []"  # 2 documents, 6 sentences


def test_a_warm_ask_never_imports_spacy(tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_corpus(tmp_path / "in", 1)
    assert store(data).add_paths([tmp_path / "in"]).ok
    store(data, shipped=True).build()
    script = textwrap.dedent(
        f"""
        import sys
        from qa.cli import main
        sys.argv = ["qa", "--data-dir", {str(data)!r}, "ask", "How many percent did parcels rise?"]
        try:
            main()
        except SystemExit:
            pass
        print("spacy" in sys.modules)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and "qa: warning" not in result.stderr, result.stderr
    assert "doc-0000" in result.stdout and result.stdout.split("\n")[-2] == "False"
