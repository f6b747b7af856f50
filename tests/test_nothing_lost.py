"""The data directory keeps what a user put there: no overwrite of a stored document, no leftover
temporary files after a crash, no cache that shrinks because of a view (issue 16)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bench.kill_add import kill_round, make_inputs, temp_files
from qa.store.directory import Store
from tests.conftest import ROOT
from tests.docmaker import md


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


HAND_EDITS = {
    "broken date": lambda text: (
        text.replace("date: '2024-01-02'", "date: [2024-01-03") + "HAND EDIT: my own notes\n"
    ),
    "invalid utf-8": lambda text: text + "HAND EDIT: caf\udce9 notes\n",
    "other id inside": lambda text: text.replace("id: t2", "id: renamed") + "HAND EDIT: my own notes\n",
}


@pytest.mark.parametrize("edit", list(HAND_EDITS))
def test_a_hand_edited_document_survives_an_add_of_the_same_id(
    qa_run: Any, data: Path, tmp_path: Path, edit: str
) -> None:
    first = _write(tmp_path / "t2.md", md("First T2", "2024-01-02", "Apples grew in Yantai orchards."))
    assert qa_run("add", str(first))[0] == 0
    stored = data / "documents" / "t2.md"
    text = stored.read_text(encoding="utf-8")
    assert "date: '2024-01-02'" in text and "id: t2" in text  # the edits below change these lines
    stored.write_bytes(HAND_EDITS[edit](text).encode("utf-8", "surrogateescape"))
    edited = stored.read_bytes()
    other = _write(tmp_path / "other" / "t2.md", md("Other T2", "2024-01-05", "Pears grew in Laiyang."))
    code, out, err = qa_run("add", str(other))
    assert code == 0, err
    assert f"{other}: added as 't2-2': Other T2" in out
    assert stored.read_bytes() == edited  # the old one untouched
    assert "Pears grew in Laiyang" in (data / "documents" / "t2-2.md").read_text(encoding="utf-8")
    assert sorted(p.name for p in (data / "documents").iterdir()) == ["t2-2.md", "t2.md"]
    code, out, err = qa_run("docs", "--format", "json")
    assert code == 0 and "t2-2" in {row["id"] for row in json.loads(out)}


def test_the_next_write_clears_temporary_files_of_its_own_pattern_only(tmp_path: Path) -> None:
    store = Store(tmp_path / "data", on_warning=lambda m: None)
    first = _write(tmp_path / "in" / "a.md", md("A", "2024-01-01", "Alpha text."))
    assert store.add_paths([first]).ok
    stale = [
        store.docs_dir / ".note189.md.k2j4_x9q.tmp",
        store.root / ".manifest.json.abcdefgh.tmp",
        store.cache_path.parent / ".passages.json.0a1b2c3d.tmp",
    ]
    mine = [
        store.docs_dir / "notes.tmp",
        store.docs_dir / ".notes.tmp",
        store.docs_dir / ".a.md.short.tmp",
        store.root / "draft.md.abcdefgh.tmp",
    ]
    for path in stale + mine:
        path.write_text("x", encoding="utf-8")
    Store(tmp_path / "data", on_warning=lambda m: None).build(write=False)  # reading clears nothing
    assert all(p.exists() for p in stale)
    second = _write(tmp_path / "in" / "b.md", md("B", "2024-01-02", "Beta text."))
    assert store.add_paths([second]).ok
    assert [p for p in stale if p.exists()] == []
    assert all(p.exists() for p in mine)


KILL_ON_THIRD_DOCUMENT = """
import os, signal, sys, qa.store.passages
from qa.store.directory import Store
real, seen = os.replace, []
def die(src, dst):
    if str(dst).endswith(".md"):
        seen.append(dst)
        if len(seen) == 3:
            os.kill(os.getpid(), signal.SIGKILL)
    real(src, dst)
qa.store.passages.os.replace = die
Store(sys.argv[1]).add_paths([sys.argv[2]])
"""


def test_kill_9_while_writing_a_document_leaves_a_temp_file_the_next_add_clears(tmp_path: Path) -> None:
    data = tmp_path / "data"
    inputs = make_inputs(tmp_path, 6)
    command = [sys.executable, "-c", KILL_ON_THIRD_DOCUMENT, str(data), str(inputs)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=300, check=False)
    assert result.returncode == -9, result.stderr
    left = temp_files(data)
    assert [p.name.startswith(".note002.md.") for p in left] == [True]  # the file being written
    store = Store(data, include_shipped=False, on_warning=lambda m: None)
    assert [d.id for d in store.build(write=False).documents] == ["note000", "note001"]
    extra = _write(tmp_path / "extra.md", md("Extra", "2024-02-01", "One more note."))
    report = store.add_paths([inputs, extra])
    assert [o.status for o in report.outcomes] == ["duplicate"] * 2 + ["added"] * 5
    assert temp_files(data) == []
    assert len(store.added_documents()) == 7


def test_kill_9_at_a_random_moment_of_qa_add(tmp_path: Path) -> None:
    """bench/kill_add.py's rounds on a few files (the script runs 10 rounds of 300)."""
    rng = random.Random(16)
    inputs = make_inputs(tmp_path, 20)
    extra = _write(tmp_path / "extra.md", md("Extra", "2024-02-01", "One more note."))
    for n in range(2):
        result = kill_round(inputs, tmp_path / f"data{n}", rng.uniform(0, 0.5), extra)
        assert result.ok, result


def _cached_ids(store: Store) -> set[str]:
    return set(json.loads(store.cache_path.read_text(encoding="utf-8"))["documents"])


def test_a_view_without_the_shipped_corpus_never_shrinks_the_cache(qa_run: Any, tmp_path: Path) -> None:
    doc = _write(tmp_path / "in" / "cold.md", md("Cold", "2024-06-01", "Cold chain reached 321 warehouses."))
    assert qa_run("add", str(doc))[0] == 0
    store = Store(on_warning=lambda m: None)  # the qa_run fixture's QA_DATA_DIR
    everything = _cached_ids(store)
    assert "cold" in everything and len(everything) == 6
    for _ in range(2):
        code, out, err = qa_run("--no-shipped", "ask", "how many warehouses", "--format", "json")
        assert code == 0, err
        assert {h["doc_id"] for h in json.loads(out)["hits"]} == {"cold"}
        assert _cached_ids(store) == everything
        built = Store(on_warning=lambda m: None).build()  # the next normal run
        assert (built.processed, built.reused) == (0, 6)
    code, _out, err = qa_run("remove", "cold")
    assert code == 0, err
    assert _cached_ids(store) == everything - {"cold"}  # a removed document does leave the cache
