"""The ``qa`` command, run as a user runs it: a subprocess, checked against the JSON schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

HIT_FIELDS = {
    "rank": int,
    "score": float,
    "id": str,
    "doc_id": str,
    "title": str,
    "date": str,
    "source": str,
    "paragraph": int,
    "start": int,
    "end": int,
    "text": str,
}


def run_qa(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qa", *args], capture_output=True, text=True, cwd=cwd, timeout=120, check=False
    )


def check_schema(obj: dict[str, Any], corpus_bodies: dict[str, str]) -> None:
    assert isinstance(obj["question"], str)
    assert isinstance(obj["abstained"], bool)
    assert isinstance(obj["hits"], list)
    for rank, hit in enumerate(obj["hits"], start=1):
        for field, kind in HIT_FIELDS.items():
            assert isinstance(hit[field], kind), (field, hit[field])
        assert hit["rank"] == rank
        assert len(hit["date"]) == 10 and hit["date"][4] == "-"
        assert corpus_bodies[hit["doc_id"]][hit["start"] : hit["end"]] == hit["text"]
        assert hit["id"].startswith(hit["doc_id"] + ":")
    scores = [h["score"] for h in obj["hits"]]
    assert scores == sorted(scores, reverse=True)


@pytest.fixture(scope="module")
def bodies() -> dict[str, str]:
    import qa

    return {d.id: d.body for d in qa.load_corpus()}


def test_ask_json_finds_the_2019_passage(bodies: dict[str, str]) -> None:
    result = run_qa("ask", "when were poverty counties fully covered", "--format", "json")
    assert result.returncode == 0, result.stderr
    obj = json.loads(result.stdout)
    check_schema(obj, bodies)
    assert obj["abstained"] is False
    top = obj["hits"][0]
    assert "In 2019, 215 new comprehensive demonstration counties" in top["text"]
    assert "full coverage of 832 national poverty-relief counties" in top["text"]
    assert top["title"] == "E-commerce in Rural Areas Comprehensive Demonstration Project in China"
    assert top["date"] == "2024-02-27"
    assert top["source"] == "Policy Reference"


def test_ask_off_topic_abstains() -> None:
    result = run_qa("ask", "what is the capital of France", "--format", "json")
    assert result.returncode == 0, result.stderr
    obj = json.loads(result.stdout)
    assert obj["abstained"] is True
    assert obj["hits"] == []


def test_ask_k_limits_hits(bodies: dict[str, str]) -> None:
    obj = json.loads(run_qa("ask", "rural e-commerce logistics", "--k", "2", "--format", "json").stdout)
    check_schema(obj, bodies)
    assert len(obj["hits"]) == 2


def test_ask_text_cards() -> None:
    result = run_qa("ask", "rural online retail sales 2023", "--k", "1")
    assert result.returncode == 0, result.stderr
    assert "1. Build a high-quality rural e-commerce ecosystem" in result.stdout
    assert "Economic Daily · 2024-04-02 · para." in result.stdout
    assert result.stdout.count("will reach 2.49 trillion yuan") == 2  # the sentence, then its passage


def test_a_one_sentence_passage_is_quoted_once() -> None:
    result = run_qa("ask", "How many rural e-commerce leaders will be trained?", "--k", "2")
    assert result.returncode == 0, result.stderr
    assert "id endogenous-driving-force:12" in result.stdout  # a passage of one sentence
    assert result.stdout.count("Continuously carry out rural e-commerce skills training") == 1


def test_batch_jsonl_in_order(tmp_path: Path, bodies: dict[str, str]) -> None:
    questions = [
        "what is the capital of France",
        "rural broadband users 2023",
        "",
        "No. 1 Central Document 2005",
    ]
    batch = tmp_path / "questions.txt"
    batch.write_text("\n".join(questions) + "\n", encoding="utf-8")
    result = run_qa("ask", "--batch", str(batch))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    objs = [json.loads(line) for line in lines]
    assert [o["question"] for o in objs] == [q for q in questions if q]
    for obj in objs:
        check_schema(obj, bodies)
    assert objs[0]["abstained"] is True
    assert "192 million" in objs[1]["hits"][0]["text"]


def test_docs_lists_the_corpus() -> None:
    result = run_qa("docs", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == 5
    by_id = {r["id"]: r for r in rows}
    assert by_id["rural-ecosystem"]["source"] == "Economic Daily"
    assert by_id["rural-ecosystem"]["date"] == "2024-04-02"
    assert all(r["chunks"] > 0 for r in rows)
    text = run_qa("docs").stdout
    assert "endogenous-driving-force" in text and "2026-03-13" in text


def test_bad_corpus_is_one_line_and_nonzero(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text("---\ntitle: T\ndate: 2024-02-30\n---\n\nText.\n", encoding="utf-8")
    result = run_qa("--corpus", str(tmp_path), "docs")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "bad.md" in lines[0] and "date" in lines[0] and "not a date" in lines[0]
    assert "Traceback" not in result.stderr


def test_usage_errors_exit_nonzero() -> None:
    result = run_qa("ask")
    assert result.returncode == 2
    assert "QUESTION" in result.stderr


def test_console_script_is_declared() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'qa = "qa.cli:main"' in text
