"""`qa eval FILE.json` on SQuAD 2.0: the loader's offsets, the official EM/F1 and the metrics by hand."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from pathlib import Path
from typing import Any

import pytest

from qa.answers import Engine
from qa.documents.models import Answer, Hit, Span
from qa.evaluation.squad import (
    PLACEHOLDER_DATE,
    best,
    evaluate_squad,
    exact,
    f1,
    load_squad,
    normalize_answer,
    sample,
)
from tests.test_cli import run_qa

NORMANS = [
    "The Normans were the people who in the 10th and 11th centuries gave their name to Normandy, "
    "a region in France. They were descended from Norse raiders led by Rollo.",
    "The Norman conquest of England began in 1066. William the Conqueror was crowned at Westminster.",
]
STEAM = [
    "A steam engine is a heat engine that performs mechanical work using steam as its working fluid.",
    "James Watt improved the Newcomen engine in 1769 with a separate condenser.",
]


def _qa(qid: str, question: str, context: str, answers: list[str]) -> dict[str, Any]:
    found = [{"text": a, "answer_start": context.index(a)} for a in answers]
    return {"id": qid, "question": question, "answers": found, "is_impossible": not answers}


def _article(
    title: str, paragraphs: list[str], qas: list[list[tuple[str, str, list[str]]]]
) -> dict[str, Any]:
    return {
        "title": title,
        "paragraphs": [
            {"context": c, "qas": [_qa(i, q, c, a) for i, q, a in qs]}
            for c, qs in zip(paragraphs, qas, strict=True)
        ],
    }


SQUAD = {
    "version": "v2.0",
    "data": [
        _article(
            "Normans",
            NORMANS,
            [
                [
                    ("n1", "In what country is Normandy located?", ["France", "in France"]),
                    ("n2", "When did the Normans give their name to Normandy?", ["10th and 11th centuries"]),
                    ("n3", "Who gave their name to Normandy in the 1000's and 1100's?", []),
                ],
                [
                    ("n4", "When did the Norman conquest of England begin?", ["1066"]),
                    ("n5", "Who was crowned at Westminster Abbey in 1492?", []),
                ],
            ],
        ),
        _article(
            "Steam_engine",
            STEAM,
            [
                [("s1", "What does a steam engine use as its working fluid?", ["steam"])],
                [("s2", "Who invented the separate condenser in 1712?", [])],
            ],
        ),
    ],
}


@pytest.fixture
def squad_file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny-squad.json"
    path.write_text(json.dumps(SQUAD), encoding="utf-8")
    return path


def test_loader_maps_answers_into_the_joined_bodies(squad_file: Path) -> None:
    docs, questions = load_squad(squad_file)
    assert [d.id for d in docs] == ["normans", "steam-engine"]
    assert [d.title for d in docs] == ["Normans", "Steam engine"]
    assert {d.date for d in docs} == {PLACEHOLDER_DATE} and {d.source for d in docs} == {"Wikipedia"}
    assert docs[0].body == NORMANS[0] + "\n\n" + NORMANS[1]
    assert [q.id for q in questions] == ["n1", "n2", "n3", "n4", "n5", "s1", "s2"]
    bodies = {d.id: d.body for d in docs}
    for q in questions:
        for a in q.answers:
            assert bodies[q.doc][a.start : a.end] == a.text
    n4 = questions[3]
    assert n4.answers[0].start == len(NORMANS[0]) + 2 + NORMANS[1].index("1066")  # second paragraph
    assert [q.answerable for q in questions] == [True, True, False, True, False, True, False]


@pytest.mark.parametrize(
    ("gold", "pred", "em", "f1_"),
    [
        ("The Normans", "Normans", 1, 1.0),
        ("10th and 11th centuries", "the 10th and 11th centuries.", 1, 1.0),
        ("An apple, a pear", "apple pear", 1, 1.0),
        # gold tokens: norman conquest of england (4); prediction: norman conquest (2); shared 2
        # precision 2/2, recall 2/4 -> F1 = 2 * 1 * 0.5 / 1.5 = 2/3
        ("the Norman conquest of England", "Norman conquest", 0, 2 / 3),
        # gold: 10th and 11th centuries (4); prediction: 10th century (2); shared 1 -> P 1/2, R 1/4, F1 1/3
        ("10th and 11th centuries", "the 10th century", 0, 1 / 3),
        ("France", "England", 0, 0.0),
        ("France", "", 0, 0.0),
    ],
)
def test_official_exact_match_and_f1(gold: str, pred: str, em: int, f1_: float) -> None:
    assert exact(gold, pred) == em
    assert f1(gold, pred) == pytest.approx(f1_)


def test_normalisation_and_the_empty_answer() -> None:
    assert normalize_answer("  The  Normans' (Norse) raiders! ") == "normans norse raiders"
    assert best([], "") == (1, 1.0)  # unanswerable: only the empty prediction is right
    assert best([], "Rollo") == (0, 0.0)
    assert best(["in France", "France"], "france") == (1, 1.0)  # the best gold answer counts
    em, f = best(["the Norman conquest of England", "conquest of Wales"], "Norman conquest")
    assert em == 0 and f == pytest.approx(2 / 3)  # beats "conquest of wales": P 1/2, R 1/3 -> F1 0.4


def test_sample_is_half_and_half_and_reproducible(squad_file: Path) -> None:
    _, questions = load_squad(squad_file)
    four = sample(questions, 4, seed=3)
    assert [q.answerable for q in four].count(True) == 2 and len(four) == 4
    assert four == sample(questions, 4, seed=3)
    assert len(sample(questions, 7, seed=1)) == 7  # 4 answerable + 3 unanswerable: all of them
    with pytest.raises(Exception, match="cannot sample 8"):
        sample(questions, 8, seed=1)


class Scripted(Engine):
    """The tiny articles' passages, with answers written by the test instead of the answer layer."""

    script: dict[str, tuple[bool, list[str], str | None]]

    def ask(
        self,
        question: str,
        k: int = 5,
        *,
        docs: Collection[str] | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> Answer:
        abstained, hits, short = self.script[question]
        made = []
        for rank, chunk_id in enumerate(hits, start=1):
            chunk = self.chunk(chunk_id)
            made.append(Hit(rank, 1.0 / rank, chunk, self.document(chunk.doc_id), (), chunk.sentences[0]))
        span = None
        if short is not None:
            body = self.document(made[0].chunk.doc_id).body
            span = Span(short, body.index(short), body.index(short) + len(short))
        return Answer(question, abstained, tuple(made), short=span)


def test_metrics_by_hand(squad_file: Path) -> None:
    docs, questions = load_squad(squad_file)
    engine = Scripted(docs)
    first = {d.id: engine.chunks_of(d.id) for d in docs}
    assert [len(c) for c in first.values()] == [2, 2]  # one passage per paragraph
    n0, n1 = (c.id for c in first["normans"])
    _, s1 = (c.id for c in first["steam-engine"])
    engine.script = {
        q.question: script
        for q, script in zip(
            questions,
            [
                (False, [n0], "France"),  # n1: rank 1, EM 1
                (False, [n1, n0], "11th centuries"),  # n2: rank 2, EM 0, F1 2/3
                (True, [n0], None),  # n3 unanswerable: abstains, EM 1
                (False, [n1], None),  # n4: rank 1, no short answer -> predicts '', EM 0
                (False, [n1], "William the Conqueror"),  # n5 unanswerable: a false answer, EM 0
                (True, [s1], None),  # s1: a false abstention, EM 0
                (True, [], None),  # s2 unanswerable: abstains, EM 1
            ],
            strict=True,
        )
    }
    report = evaluate_squad(engine, questions)
    m, c = report.metrics, report.counts
    assert c == {"questions": 7, "answerable": 4, "unanswerable": 3, "false_abstentions": 1,
                 "right_abstentions": 2, "false_answers": 1, "short_answers": 2,
                 "answers_across_passages": 0}  # fmt: skip
    assert m["em"] == pytest.approx(3 / 7)
    assert m["f1"] == pytest.approx((1 + 2 / 3 + 1 + 1) / 7)
    assert m["has_ans_em"] == pytest.approx(1 / 4) and m["has_ans_f1"] == pytest.approx((1 + 2 / 3) / 4)
    assert m["no_ans_em"] == pytest.approx(2 / 3)
    assert m["answered_short_em"] == pytest.approx(1 / 2) and m["short_answer_share"] == pytest.approx(2 / 4)
    assert m["recall@1"] == pytest.approx(2 / 4)  # n1 and n4; n2 at rank 2, s1 not in the hits
    assert m["mrr@10"] == pytest.approx((1 + 1 / 2 + 1 + 0) / 4)
    assert m["sentence_hit@1"] == pytest.approx(2 / 4)  # n1, n4 (the answer's sentence is the first)
    assert m["false_abstention_share"] == pytest.approx(1 / 4)
    assert m["abstention_recall"] == pytest.approx(2 / 3) and m["abstention_precision"] == pytest.approx(
        2 / 3
    )
    kinds = {(line.split("\t")[0], line.split("\t")[1]) for line in report.failures}
    assert {
        ("n2", "rank"),
        ("n5", "false answer"),
        ("s1", "false abstention"),
        ("n4", "short answer"),
    } <= kinds


def test_eval_cli_on_a_squad_file(squad_file: Path, tmp_path: Path) -> None:
    result = run_qa("eval", str(squad_file), "--format", "json")
    assert result.returncode == 0, result.stderr
    obj = json.loads(result.stdout)
    assert obj["counts"]["questions"] == 7 and obj["counts"]["answerable"] == 4
    assert {"em", "f1", "has_ans_em", "no_ans_em", "recall@1", "mrr@10", "sentence_hit@1"} <= set(
        obj["metrics"]
    )
    failing = run_qa("eval", str(squad_file), "--sample", "4", "--seed", "1", "--min", "em=1.01")
    assert failing.returncode == 1 and "quality below threshold: em = " in failing.stderr
    assert "(sample 4, seed 1, 4 questions)" in failing.stdout


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{not json", "not readable as JSON"),
        ('{"version": "v2.0", "data": {"title": "x"}}', "not a SQuAD 2.0 file: 'data' should be a list"),
        ('{"data": [{"title": "X", "paragraphs": [{"context": "abc", "qas": [{"id": "q", "question": "?", '
         '"answers": [{"text": "zz", "answer_start": 0}], "is_impossible": false}]}]}]}',
         "q: an answer's text and answer_start do not match its context"),
    ],
)  # fmt: skip
def test_eval_cli_bad_squad_file_is_one_line(tmp_path: Path, text: str, problem: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    result = run_qa("eval", str(bad))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"qa: error: {bad}: {problem}")
