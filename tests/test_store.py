"""The data directory: incremental index, damaged files rebuilt, crashes and concurrent runs survived."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import qa.search.tokenizer
from qa.answers import Engine
from qa.documents.models import QAError
from qa.store.directory import Store, StoreWarning
from tests.conftest import ROOT
from tests.docmaker import md, write_corpus

NEW_TEXT = "Cold chain logistics reached 321 new county warehouses in Zhenyuan."


def quiet_store(data: Path, **kwargs: object) -> Store:
    return Store(data, on_warning=lambda m: None, **kwargs)  # type: ignore[arg-type]


def add_one(store: Store, folder: Path, name: str = "cold.md", body: str = NEW_TEXT) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(md("Cold chain", "2024-06-01", body), encoding="utf-8")
    report = store.add_paths([path])
    assert report.ok, report.outcomes
    return path


def test_added_document_is_searchable_with_the_shipped_corpus(tmp_path: Path) -> None:
    store = quiet_store(tmp_path / "data")
    add_one(store, tmp_path / "in")
    engine = Engine.from_store(store)
    assert {d.id for d in engine.documents} >= {"cold", "rural-demonstration"}
    top = engine.ask("how many county warehouses did cold chain logistics reach", k=1).hits[0]
    assert top.chunk.doc_id == "cold" and "321" in top.chunk.text
    only_added = quiet_store(tmp_path / "data", include_shipped=False).build()
    assert [d.id for d in only_added.documents] == ["cold"]


def test_cached_passages_equal_freshly_computed_ones(tmp_path: Path) -> None:
    store = quiet_store(tmp_path / "data")
    add_one(store, tmp_path / "in")
    first = store.build()
    again = quiet_store(tmp_path / "data").build()
    assert (again.processed, again.reused) == (0, len(first.documents))
    fresh = Engine(list(again.documents))
    assert again.chunks == fresh.chunks
    assert [list(t) for t in again.tokens] == [qa.tokenize(c.text) for c in fresh.chunks]


def test_only_the_changed_document_is_processed_again(tmp_path: Path) -> None:
    store = quiet_store(tmp_path / "data", include_shipped=False)
    paths = write_corpus(tmp_path / "in", 12)
    report = store.add_paths([tmp_path / "in"])
    assert (report.processed, report.reused, len(report.of("added"))) == (12, 0, 12)
    paths[3].write_text(md("Changed", "2021-01-01", "Entirely new words: zanzibar."), encoding="utf-8")
    report = store.add_paths([paths[3]])
    assert [o.status for o in report.outcomes] == ["updated"]
    assert (report.processed, report.reused) == (1, 11)
    engine = Engine.from_store(store)
    assert engine.ask("zanzibar").hits[0].chunk.doc_id == "doc-0003"
    assert engine.ask("uniqword3").abstained


def test_duplicates_collisions_and_explicit_ids(tmp_path: Path) -> None:
    store = quiet_store(tmp_path / "data")
    first = add_one(store, tmp_path / "a")
    copy = tmp_path / "b" / "cold.md"
    copy.parent.mkdir()
    copy.write_bytes(first.read_bytes())
    report = store.add_paths([copy, first])
    assert [o.status for o in report.outcomes] == ["duplicate", "duplicate"]
    assert report.outcomes[0].message == f"{copy}: already in the corpus as 'cold' (same content)"
    assert not report.ok and report.processed == 0
    other = add_one(store, tmp_path / "b", body="Different cold text.")  # same file name, other folder
    assert sorted(d.id for d in store.added_documents()) == ["cold", "cold-2"]
    shipped = (ROOT / "corpus" / "rural-ecosystem.md").read_bytes()
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "copy.md").write_bytes(shipped)
    (tmp_path / "c" / "own-id.md").write_text(md("T", "2024-01-01", "Body.", id="rural-ecosystem"))
    report = store.add_paths([tmp_path / "c"])
    assert [o.message for o in report.outcomes] == [
        f"{tmp_path / 'c' / 'copy.md'}: already in the corpus as 'rural-ecosystem' (same content)",
        f"{tmp_path / 'c' / 'own-id.md'}: id: 'rural-ecosystem' is already used by "
        f"{ROOT / 'corpus' / 'rural-ecosystem.md'}",
    ]
    assert other.exists()


def test_remove(tmp_path: Path) -> None:
    store = quiet_store(tmp_path / "data")
    add_one(store, tmp_path / "in")
    assert store.remove("cold") == "Cold chain"
    assert "cold" not in {d.id for d in store.build().documents}
    manifest = json.loads(store.manifest_path.read_text())
    assert manifest["documents"] == {}
    cache = json.loads(store.cache_path.read_text())
    assert "cold" not in cache["documents"] and "rural-ecosystem" in cache["documents"]
    with pytest.raises(QAError, match="'rural-ecosystem' is a shipped document"):
        store.remove("rural-ecosystem")
    with pytest.raises(QAError, match=r"no added document with id '\.\./x'"):
        store.remove("../x")


def test_damaged_cache_is_rebuilt_with_a_warning(tmp_path: Path) -> None:
    store = quiet_store(tmp_path / "data")
    add_one(store, tmp_path / "in")
    n_docs = len(store.build().documents)
    good = store.cache_path.read_text()
    payload = json.loads(good)
    old_format = json.dumps({**payload, "version": 0})
    wrong_entry = json.loads(good)
    wrong_entry["documents"]["cold"]["chunks"][0][2] = 10**9
    for damaged, expected in [
        (good[: len(good) // 2], "unreadable"),
        ("", "unreadable"),
        ("[1, 2]", "not a passage cache"),
        (old_format, "format version 0, expected 2"),
        (json.dumps(wrong_entry), "passage outside the text"),
    ]:
        store.cache_path.write_text(damaged)
        fresh = Store(tmp_path / "data")
        with pytest.warns(StoreWarning, match=expected):
            built = fresh.build()
        assert len(built.documents) == n_docs
        assert Engine.from_store(fresh).ask("county warehouses Zhenyuan").hits[0].chunk.doc_id == "cold"
        assert quiet_store(tmp_path / "data").build().processed == 0  # rebuilt and saved


def test_tokenizer_change_rebuilds_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = quiet_store(tmp_path / "data")
    add_one(store, tmp_path / "in")
    monkeypatch.setattr("qa.store.passages.TOKENIZER_VERSION", qa.search.tokenizer.TOKENIZER_VERSION + 1)
    rebuilt = Store(tmp_path / "data", on_warning=lambda m: None)
    built = rebuilt.build()
    assert built.processed == len(built.documents) and built.reused == 0
    assert "built with other tokenizer, chunking or entity settings" in rebuilt.warnings[0]


def test_damaged_manifest_and_document_files(tmp_path: Path) -> None:
    store = quiet_store(tmp_path / "data")
    add_one(store, tmp_path / "in")
    add_one(store, tmp_path / "in", "warm.md", "Warm text.")
    store.manifest_path.write_text("{not json")
    (store.docs_dir / "warm.md").write_text("---\ntitle: [broken\n---\nx\n")
    fresh = quiet_store(tmp_path / "data")
    ids = {d.id for d in fresh.build().documents}
    assert "cold" in ids and "warm" not in ids
    assert any("broken YAML" in w and "not searchable" in w for w in fresh.warnings)
    assert any("manifest.json: damaged or out of date" in w for w in fresh.warnings)
    assert set(json.loads(fresh.manifest_path.read_text())["documents"]) == {"cold"}
    assert (store.docs_dir / "warm.md").exists()  # never deleted


@pytest.mark.parametrize("fail_on", ["documents", "manifest.json", "passages.json"])
def test_crash_while_writing_leaves_the_old_index_loadable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail_on: str
) -> None:
    store = quiet_store(tmp_path / "data")
    add_one(store, tmp_path / "in")
    before = {p.name: p.read_bytes() for p in (store.cache_path, store.manifest_path)}
    real_replace = os.replace

    def crash(src: str, dst: str) -> None:
        if fail_on in str(dst):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr("qa.store.passages.os.replace", crash)
    warm = tmp_path / "in" / "warm.md"
    warm.write_text(md("Warm", "2024-06-02", "Warm weather logistics text."), encoding="utf-8")
    if fail_on == "documents":
        report = store.add_paths([warm])
        assert [o.status for o in report.outcomes] == ["failed"]
        assert report.outcomes[0].message.endswith("warm.md: cannot be written (No space left on device)")
    else:
        with pytest.raises(QAError, match=f"{fail_on}: cannot be written \\(No space left on device\\)"):
            store.add_paths([warm])
    monkeypatch.undo()
    assert list((tmp_path / "data").rglob("*.tmp")) == []
    assert store.cache_path.read_bytes() == before["passages.json"]
    if fail_on != "passages.json":
        assert store.manifest_path.read_bytes() == before["manifest.json"]
    fresh = quiet_store(tmp_path / "data")
    engine = Engine.from_store(fresh)
    assert engine.ask("county warehouses Zhenyuan").hits[0].chunk.doc_id == "cold"
    warm_saved = (store.docs_dir / "warm.md").exists()
    assert warm_saved == (fail_on != "documents")
    assert ("warm" in {d.id for d in engine.documents}) == warm_saved


def test_killed_in_the_middle_of_writing_the_cache(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = quiet_store(data)
    add_one(store, tmp_path / "in")
    old_cache = store.cache_path.read_bytes()
    script = textwrap.dedent(
        f"""
        import os, signal, qa.store.passages
        from qa.store.directory import Store
        real = os.replace
        def die(src, dst):
            if str(dst).endswith("passages.json"):
                os.kill(os.getpid(), signal.SIGKILL)
            real(src, dst)
        qa.store.passages.os.replace = die
        path = {str(tmp_path / "in" / "warm.md")!r}
        open(path, "w").write("---\\ntitle: Warm\\ndate: 2024-01-01\\n---\\nWarm weather logistics.\\n")
        Store({str(data)!r}).add_paths([path])
        """
    )
    command = [sys.executable, "-c", script]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=120, check=False)
    assert result.returncode == -9, result.stderr
    assert store.cache_path.read_bytes() == old_cache  # the rename never happened
    fresh = quiet_store(data)
    built = fresh.build()
    assert {"cold", "warm"} <= {d.id for d in built.documents}
    assert built.processed == 1  # only the new document; the old cache was intact


def test_two_adds_at_once_do_not_corrupt_the_directory(tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_corpus(tmp_path / "one", 25)
    for i, path in enumerate(write_corpus(tmp_path / "two", 25)):
        text = md(f"Second batch {i}", "2022-02-02", f"Batch two text secondword{i}.")
        path.write_text(text, encoding="utf-8")
    env = {**os.environ, "QA_DATA_DIR": str(data)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "qa", "add", str(tmp_path / folder)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
        )
        for folder in ("one", "two")
    ]
    outputs = [p.communicate(timeout=300)[0].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    fresh = Store(data, include_shipped=False)
    built = fresh.build()
    assert fresh.warnings == []
    assert len(built.documents) == 50 and built.processed == 0
    assert len(json.loads(fresh.manifest_path.read_text())["documents"]) == 50


def test_a_busy_lock_does_not_block_reading(tmp_path: Path) -> None:
    store = quiet_store(tmp_path / "data")
    add_one(store, tmp_path / "in")
    store.cache_path.unlink()
    with store.locked():
        other = quiet_store(tmp_path / "data")
        assert other.build().processed > 0  # built in memory, not saved while the lock is held
        assert not other.cache_path.exists()
        with pytest.raises(QAError, match="another qa command"):
            other.lock_timeout = 0.1
            other.remove("cold")
    assert quiet_store(tmp_path / "data").build().documents


def test_plain_reading_keeps_its_cache_and_nothing_else(tmp_path: Path) -> None:
    """Passages are tagged (and embedded) once: a first question saves the cache, so the next
    does not redo that work; it adds no document and no documents folder."""
    store = quiet_store(tmp_path / "fresh")
    assert len(Engine.from_store(store).documents) == 5
    assert store.cache_path.is_file() and not store.docs_dir.exists()
    again = quiet_store(tmp_path / "fresh").build()
    assert again.processed == 0 and again.reused == 5


def test_default_data_dir_is_per_user_unless_the_environment_says(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import platformdirs

    from qa.store.directory import default_data_dir

    monkeypatch.setenv("QA_DATA_DIR", "/somewhere/else")
    assert default_data_dir() == Path("/somewhere/else")
    monkeypatch.delenv("QA_DATA_DIR")
    assert default_data_dir() == Path(platformdirs.user_data_dir("qa", appauthor=False))
    assert default_data_dir().name == "qa"
