"""Shared fixtures: the shipped corpus, one engine over it, and small corpora written on the fly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import qa

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def corpus() -> list[qa.Document]:
    return qa.load_corpus()


@pytest.fixture(scope="session")
def engine() -> qa.Engine:
    return qa.Engine.from_folder()


@pytest.fixture
def write_doc(tmp_path: Path) -> Callable[..., Path]:
    """Write a corpus file into tmp_path and return its path."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
