"""`qa ask` gives the same answers with the fast engine (the default) and with rank-bm25."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from qa.answers import Engine
from tests.conftest import ROOT
from tests.test_cli import run_qa


def gold_questions() -> list[str]:
    gold = yaml.safe_load((ROOT / "tests" / "gold" / "questions.yaml").read_text(encoding="utf-8"))
    return [q["question"] for q in gold["questions"]]


def without_scores(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: without_scores(v) for k, v in obj.items() if k != "score"}
    if isinstance(obj, list):
        return [without_scores(v) for v in obj]
    return obj


def scores(obj: dict[str, Any]) -> list[float]:
    return [hit["score"] for hit in obj["hits"]]


def test_ask_json_is_the_same_with_both_engines(tmp_path: Path) -> None:
    questions = gold_questions()[::4]
    assert len(questions) >= 8
    batch = tmp_path / "questions.txt"
    batch.write_text("\n".join(questions) + "\n", encoding="utf-8")
    runs = {}
    for engine in ("fast", "rank-bm25"):
        proc = run_qa("ask", "--batch", str(batch), "--k", "5", "--engine", engine)
        assert proc.returncode == 0, proc.stderr
        runs[engine] = [json.loads(line) for line in proc.stdout.splitlines()]
    fast, ref = runs["fast"], runs["rank-bm25"]
    assert len(fast) == len(ref) == len(questions)
    assert sum(bool(a["hits"]) for a in fast) >= len(questions) // 2  # the comparison is not empty
    for a, b in zip(fast, ref, strict=True):
        assert without_scores(a) == without_scores(b)
        assert scores(a) == pytest.approx(scores(b), rel=1e-6, abs=1.5e-6)  # JSON: 6 decimals


def test_default_engine_is_fast(engine: Engine) -> None:
    assert engine.index.engine == "fast"
    proc = run_qa("ask", "--help")
    assert "--engine [fast|rank-bm25]" in proc.stdout and "default: fast" in proc.stdout


def test_unknown_engine_is_a_usage_error() -> None:
    proc = run_qa("ask", "--engine", "lucene", "anything")
    assert proc.returncode == 2 and "lucene" in proc.stderr


def test_engine_answers_agree_in_process(corpus: list[Any]) -> None:
    fast, ref = Engine(corpus), Engine(corpus, engine="rank-bm25")
    assert ref.index.engine == "rank-bm25"
    for question in gold_questions()[1::5]:
        a, b = fast.ask(question, k=5), ref.ask(question, k=5)
        assert [h.chunk.id for h in a.hits] == [h.chunk.id for h in b.hits]
        assert [h.score for h in a.hits] == pytest.approx([h.score for h in b.hits], rel=1e-6)
        assert a.abstained == b.abstained and a.short == b.short
