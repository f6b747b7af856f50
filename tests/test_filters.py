"""Document and date filters: applied before ranking, in the API and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

import qa
from tests.conftest import ROOT

QUESTION = "rural online retail sales"


def run_qa(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qa", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def _ids(answer: qa.Answer) -> list[str]:
    return [h.chunk.id for h in answer.hits]


def test_filtered_search_is_the_full_ranking_restricted_then_cut(engine: qa.Engine) -> None:
    full = engine.ask(QUESTION, k=len(engine.chunks))
    keep = {"rural-ecosystem", "poverty-alleviation"}
    expected = [h.chunk.id for h in full.hits if h.document.id in keep][:5]
    got = engine.ask(QUESTION, k=5, docs=sorted(keep))
    assert len(expected) == 5  # the filter still fills k from the allowed documents
    assert _ids(got) == expected
    assert [h.rank for h in got.hits] == [1, 2, 3, 4, 5]


def test_date_range_keeps_only_the_2026_document(engine: qa.Engine) -> None:
    answer = engine.ask(QUESTION, k=5, since=dt.date(2025, 1, 1), until=dt.date(2026, 12, 31))
    assert answer.hits
    assert {h.document.id for h in answer.hits} == {"endogenous-driving-force"}
    assert all(h.document.date == dt.date(2026, 3, 13) for h in answer.hits)


def test_since_and_until_are_inclusive(engine: qa.Engine) -> None:
    day = dt.date(2024, 2, 27)  # two documents carry this date
    answer = engine.ask("e-commerce", k=50, since=day, until=day)
    assert {h.document.id for h in answer.hits} == {"poverty-alleviation", "rural-demonstration"}
    before = engine.ask("e-commerce", k=50, until=dt.date(2024, 2, 26))
    assert {h.document.id for h in before.hits} == {"boosting-agriculture"}


def test_filter_with_no_passage_abstains(engine: qa.Engine) -> None:
    answer = engine.ask(QUESTION, since=dt.date(2030, 1, 1))
    assert answer.abstained and not answer.hits


def test_no_filter_gives_none_and_unchanged_results(engine: qa.Engine) -> None:
    assert qa.allowed_positions(engine) is None
    assert _ids(engine.ask(QUESTION)) == _ids(engine.ask(QUESTION, docs=None, since=None, until=None))
    everything = qa.allowed_positions(engine, docs=[d.id for d in engine.documents])
    assert everything == set(range(len(engine.chunks)))


def test_unknown_document_and_reversed_range_are_one_line_errors(engine: qa.Engine) -> None:
    with pytest.raises(qa.QAError, match="no document with id 'nope'"):
        engine.ask(QUESTION, docs=["nope"])
    with pytest.raises(qa.QAError, match="since 2025-01-01 is after until 2024-01-01"):
        engine.ask(QUESTION, since=dt.date(2025, 1, 1), until=dt.date(2024, 1, 1))


def test_cli_filters() -> None:
    result = run_qa("ask", QUESTION, "--since", "2025-01-01", "--until", "2026-12-31", "--format", "json")
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)["hits"]
    assert hits and {h["doc_id"] for h in hits} == {"endogenous-driving-force"}
    result = run_qa(
        "ask", QUESTION, "--doc", "rural-ecosystem", "--doc", "boosting-agriculture", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    docs = {h["doc_id"] for h in json.loads(result.stdout)["hits"]}
    assert docs and docs <= {"rural-ecosystem", "boosting-agriculture"}


def test_cli_bad_date_is_a_usage_error_and_unknown_doc_one_line() -> None:
    result = run_qa("ask", QUESTION, "--since", "2025-13-01")
    assert result.returncode == 2
    assert "Invalid value for '--since'" in result.stderr
    result = run_qa("ask", QUESTION, "--doc", "nope")
    assert result.returncode == 1
    assert result.stderr == "qa: error: no document with id 'nope'\n"
