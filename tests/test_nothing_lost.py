"""The data directory keeps what a user put there: no overwrite of a stored document, no leftover
temporary files after a crash, no cache that shrinks because of a view (issue 16)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from qa.cli import main
from tests.docmaker import md


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("QA_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def qa_run(data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Any:
    """Run ``qa ARGS`` through the real entry point; (exit status, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["qa", *args])
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return run


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
