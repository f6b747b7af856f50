"""The gold set and `qa eval`: well-formed questions, metrics from ir-measures checked by hand."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

import qa
from qa.evaluation.gold import GoldQuestion, evaluate, load_gold, normalise_answer
from tests.conftest import ROOT
from tests.test_cli import run_qa

GOLD = ROOT / "tests" / "gold" / "questions.yaml"
BLIND = ROOT / "tests" / "gold" / "blind.yaml"


def _check_entries(gold: list[GoldQuestion], corpus: list[qa.Document]) -> None:
    answerable = [q for q in gold if q.answerable]
    assert len([q for q in gold if not q.answerable]) >= 10
    assert {q.doc for q in answerable} == {d.id for d in corpus}
    kinds = {q.kind for q in answerable}
    assert {"when", "what-year", "how-many", "how-much", "share", "organisation", "document"} <= kinds
    assert len({q.id for q in gold}) == len(gold)
    bodies = {d.id: d.body for d in corpus}
    for q in answerable:
        assert q.key in bodies[q.doc], q.id
        assert q.key.lower() not in q.question.lower(), f"{q.id} copies its key phrase"
        for a in q.answers:  # as written, or as written another way ("1016" for "1,016")
            plain = a.replace('"', "") in bodies[q.doc].replace('"', "")
            assert plain or normalise_answer(a) in normalise_answer(bodies[q.doc]), (q.id, a)


def test_gold_set_is_complete(corpus: list[qa.Document]) -> None:
    gold = load_gold(GOLD)
    assert len(gold) >= 60
    assert len([q for q in gold if not q.answerable]) >= 12
    assert {q.split for q in gold} == {"dev", "test"}
    _check_entries(gold, corpus)


def test_blind_sets_are_well_formed_and_apart_from_the_gold_set(corpus: list[qa.Document]) -> None:
    blind = load_gold(BLIND)
    splits = [f"blind{i}" for i in range(1, 32)]
    assert {q.split for q in blind} == set(splits)
    for split in splits:
        _check_entries([q for q in blind if q.split == split], corpus)
    assert not {q.id for q in blind} & {q.id for q in load_gold(GOLD)}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("1,016", "1016"),
        ("88.6 percent", "88.6%"),
        ("The Ministry of Commerce", "ministry of commerce"),
        ('"Plan (2024-2027)"', "plan (2024-2027)"),
        ("exceeding 20 million units", "20 million units"),
        ("not less than 30%", "30 percent"),
    ],
)
def test_normalise_answer(a: str, b: str) -> None:
    assert normalise_answer(a) == normalise_answer(b)


@pytest.mark.parametrize(
    ("a", "b"), [("20 million units", "20 million"), ("30%", "3%"), ("about 100", "10000")]
)
def test_normalise_answer_keeps_what_differs(a: str, b: str) -> None:
    assert normalise_answer(a) != normalise_answer(b)


def test_metrics_by_hand(engine: qa.Engine) -> None:
    """Two questions: one answered at rank 1, one whose passage is at rank 2 -> MRR (1 + 1/2) / 2."""
    gold = [
        GoldQuestion("a", "when were poverty counties fully covered", "dev", True,
                     "rural-demonstration", "full coverage of 832", ("2019",)),
        GoldQuestion("b", "when were poverty counties fully covered", "dev", True,
                     "rural-demonstration", "1,016 comprehensive demonstration counties", ()),
        GoldQuestion("c", "What is the capital of France?", "dev", False),
    ]  # fmt: skip
    ranks = [h.chunk.id for h in engine.ask(gold[0].question, k=10).hits]
    second = ranks.index("rural-demonstration:7") + 1  # where the 2018 passage ranks
    report = evaluate(engine, gold)
    m = report.metrics
    assert m["recall@1"] == pytest.approx(0.5)
    assert m["mrr@10"] == pytest.approx((1 + 1 / second) / 2)
    assert m["short_answer_em"] == 1.0
    assert m["abstention_precision"] == 1.0 and m["abstention_recall"] == 1.0
    assert report.counts["false_abstentions"] == 0 and report.counts["false_answers"] == 0
    assert any(line.startswith("b\trank\t") for line in report.failures)


def test_a_passage_found_to_answer_as_well_counts(engine: qa.Engine, tmp_path: Path) -> None:
    """``also`` adds the passages a review found to answer as fully: hit 1 and its sentence count."""
    path = tmp_path / "gold.yaml"
    path.write_text(
        "questions:\n"
        "  - {id: b, question: when were poverty counties fully covered, doc: rural-demonstration,\n"
        "     key: '1,016 comprehensive demonstration counties',\n"
        "     also: [{doc: rural-demonstration, key: full coverage of 832}]}\n",
        encoding="utf-8",
    )
    gold = load_gold(path)
    assert gold[0].keys == (("rural-demonstration", "1,016 comprehensive demonstration counties"),
                            ("rural-demonstration", "full coverage of 832"))  # fmt: skip
    m = evaluate(engine, gold).metrics
    assert m["recall@1"] == 1.0 and m["sentence_hit@1"] == 1.0
    m = evaluate(engine, [replace(gold[0], also=())]).metrics
    assert m["recall@1"] == 0.0 and m["sentence_hit@1"] == 0.0
    path.write_text("questions:\n  - {id: x, question: hi, doc: d, key: k, also: [k]}\n", encoding="utf-8")
    with pytest.raises(qa.QAError, match="'also' must be a list"):
        load_gold(path)


def test_eval_cli_json_and_thresholds(tmp_path: Path) -> None:
    result = run_qa("eval", str(GOLD), "--split", "dev", "--format", "json")
    assert result.returncode == 0, result.stderr
    obj = json.loads(result.stdout)
    assert set(obj["metrics"]) >= {"recall@1", "recall@3", "recall@5", "mrr@10", "ndcg@10",
                                   "sentence_hit@1", "short_answer_em", "abstention_precision",
                                   "abstention_recall"}  # fmt: skip
    failing = run_qa("eval", str(GOLD), "--split", "dev", "--min", "recall@1=1.01")
    assert failing.returncode == 1
    assert "quality below threshold: recall@1" in failing.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("questions:\n  - {id: x, question: hi}\n", encoding="utf-8")
    broken = run_qa("eval", str(bad))
    assert broken.returncode == 1 and "needs doc and key" in broken.stderr


def test_floors() -> None:
    from qa.evaluation.gold import Report, below_floors

    report = Report(metrics={"recall@1": 0.9}, counts={"false_answers": 1})
    assert below_floors(report, ("recall@1=0.9", "max_false_answers=1")) == []
    assert below_floors(report, ("recall@1=0.95", "max_false_answers=0")) == [
        "recall@1 = 0.900 < 0.95",
        "false_answers = 1 > 0",
    ]
    for bad in ("recall@1", "nope=1", "max_nope=1"):
        with pytest.raises(ValueError, match="--min"):
            below_floors(report, (bad,))
