"""Shared fixtures: the shipped corpus, one engine over it, and small corpora written on the fly."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import qa
from qa.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"

# Never touch the real per-user data directory: every test run (and every `qa` subprocess it
# starts, which inherits the environment) gets an empty data directory of its own. Tests that
# add documents pass their own tmp_path data directory on top of this.
os.environ["QA_DATA_DIR"] = tempfile.mkdtemp(prefix="qa-test-data-")
atexit.register(shutil.rmtree, os.environ["QA_DATA_DIR"], ignore_errors=True)
os.environ.pop("QA_NO_SHIPPED", None)
# Builds do not embed every passage with the real model (tests/test_vectors.py covers that, with
# QA_EMBED set per test): answers are the same, as the engine then embeds its candidates itself.
os.environ["QA_EMBED"] = "0"


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


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("QA_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def qa_run(data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Any:
    """Run ``qa ARGS`` in this process through the real entry point; (exit status, stdout, stderr).
    Its data directory is the ``data`` fixture's."""

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


@pytest.fixture(scope="session")
def ray_local() -> Any:
    """One small Ray cluster inside the test process for every cluster test (started at the first
    that asks, stopped at the end of the session). Imports Ray: tests that check Ray is *not*
    imported run in subprocesses."""
    import ray

    ray.init(
        num_cpus=2,
        include_dashboard=False,
        object_store_memory=200 * 1024 * 1024,
        log_to_driver=False,
        configure_logging=False,
    )
    yield ray
    ray.shutdown()
