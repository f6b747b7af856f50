"""The JSON that `qa ask` and `qa add` print matches docs/answer.schema.json and docs/add.schema.json.

Real output is validated (through the `qa` entry point and through ``qa.answer_to_dict``), and
mutated copies must fail, so the schemas can neither drift from the code nor accept anything.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

import qa
from tests.conftest import ROOT

ANSWERED = "when were poverty counties fully covered"
NO_MATCH = "who wrote about blockchain"
#: What turns an answer into an abstention (with its hits left in, unless a test empties them).
ABSTAINED = {"abstained": True, "answer": None, "message": "m", "reason": "no_match"}


def _validator(name: str) -> Any:
    schema = json.loads((ROOT / "docs" / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def answers() -> Any:
    return _validator("answer.schema.json")


@pytest.fixture(scope="module")
def adds() -> Any:
    return _validator("add.schema.json")


@pytest.fixture(scope="module")
def answered(engine: qa.Engine) -> dict[str, Any]:
    out: dict[str, Any] = qa.answer_to_dict(engine.ask(ANSWERED, k=3))
    return out


def _errors(validator: Any, obj: Any) -> list[str]:
    return [e.message for e in validator.iter_errors(obj)]


def test_an_answer_from_the_api_is_valid(answers: Any, answered: dict[str, Any]) -> None:
    assert not answered["abstained"] and answered["answer"] is not None
    assert _errors(answers, answered) == []


def test_an_abstention_from_the_api_is_valid(answers: Any, engine: qa.Engine) -> None:
    out = qa.answer_to_dict(engine.ask(NO_MATCH))
    assert out["abstained"] and out["reason"] == "no_match"
    assert _errors(answers, out) == []


def test_every_reason_is_in_the_schema(answers: Any) -> None:
    assert set(answers.schema["properties"]["reason"]["enum"]) == {r.value for r in qa.Reason}


def test_every_citation_style_is_in_the_schema(answers: Any) -> None:
    citations = answers.schema["$defs"]["hit"]["properties"]["citations"]
    assert set(citations["propertyNames"]["enum"]) == set(qa.STYLES)


def test_qa_ask_json_with_citations_is_valid(answers: Any, qa_run: Any) -> None:
    code, out, err = qa_run("ask", ANSWERED, "--k", "2", "--format", "json", "--cite", "apa", "--cite", "ris")
    assert code == 0, err
    obj = json.loads(out)
    assert _errors(answers, obj) == []
    assert all(set(h["citations"]) == {"apa", "ris"} for h in obj["hits"])


def test_qa_ask_batch_lines_are_valid(answers: Any, qa_run: Any, tmp_path: Path) -> None:
    batch = tmp_path / "questions.txt"
    batch.write_text(f"{ANSWERED}\n\n{NO_MATCH}\n", encoding="utf-8")
    code, out, err = qa_run("ask", "--batch", str(batch), "--k", "1")
    assert code == 0, err
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert [line["abstained"] for line in lines] == [False, True]
    for line in lines:
        assert _errors(answers, line) == []


def test_qa_add_json_is_valid(adds: Any, qa_run: Any, tmp_path: Path) -> None:
    good = tmp_path / "memo.md"
    good.write_text("---\ntitle: A memo\ndate: 2024-05-06\n---\n\nThe county opened a depot.\n", "utf-8")
    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    code, out, err = qa_run("add", str(good), str(bad), "--format", "json")
    assert code == 1, err  # one file refused
    obj = json.loads(out)
    assert [f["status"] for f in obj["files"]] == ["added", "failed"]
    assert _errors(adds, obj) == []


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda o: o.pop("hits"), "a missing hits"),
        (lambda o: o.update(ABSTAINED, hits=[], reason="bored"), "a bad reason"),
        (lambda o: o.update(ABSTAINED), "hits on abstaining"),
        (lambda o: o.update(reason="no_match"), "a reason without abstaining"),
        (lambda o: o["hits"][0].pop("text"), "a hit without its text"),
        (lambda o: o["hits"][0].update(date="2024-02-30"), "an impossible date"),
        (lambda o: o["hits"][0].update(paragraph=0), "paragraph 0"),
        (lambda o: o["hits"][0].update(citations={"vancouver": "x"}), "an unknown style"),
        (lambda o: o.update(answer={"text": "2019", "hit": 1}), "a short answer without offsets"),
        (lambda o: o.update(extra=1), "an undocumented field"),
    ],
)
def test_a_mutated_answer_fails(answers: Any, answered: dict[str, Any], change: Any, why: str) -> None:
    obj = copy.deepcopy(answered)
    assert _errors(answers, obj) == []
    change(obj)
    assert _errors(answers, obj), f"{why} was accepted"


def test_a_mutated_add_report_fails(adds: Any) -> None:
    report = {"ok": True, "processed": 1, "reused": 0, "files": [{"file": "a.md", "status": "added"}]}
    assert _errors(adds, report)  # no id, no message
    report["files"] = [{"file": "a.md", "status": "lost", "id": "a", "message": "a.md: lost"}]
    assert _errors(adds, report)


def test_a_partial_answer_is_valid_and_names_what_was_not_searched(answers: Any, engine: qa.Engine) -> None:
    whole = engine.ask(ANSWERED)
    partial = qa.answer_to_dict(dataclasses.replace(whole, unsearched=("rural-ecosystem",)))
    assert partial["partial"] is True and partial["unsearched_documents"] == ["rural-ecosystem"]
    assert _errors(answers, partial) == []
    assert _errors(answers, {**partial, "unsearched_documents": []})  # partial names at least one
    assert _errors(answers, {k: v for k, v in partial.items() if k != "unsearched_documents"})


def test_a_respelt_answer_is_valid_and_says_each_name_as_asked_and_read(
    answers: Any, engine: qa.Engine
) -> None:
    whole = engine.ask(ANSWERED)
    assert "read_as" not in qa.answer_to_dict(whole)  # only when a name was respelt
    respelt = qa.answer_to_dict(dataclasses.replace(whole, read_as=(("Celoran", "Céloron"),)))
    assert respelt["read_as"] == [{"asked": "Celoran", "read": "Céloron"}]
    assert _errors(answers, respelt) == []
    assert _errors(answers, {**respelt, "read_as": []})
    assert _errors(answers, {**respelt, "read_as": [{"asked": "Celoran"}]})
