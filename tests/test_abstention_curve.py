"""bench/abstention_curve.py: the offline sweep gives, at any thresholds, what the engine gives."""

from __future__ import annotations

import dataclasses
import statistics
import zlib
from collections.abc import Sequence

import numpy as np

import qa
from bench.abstention_curve import OFF, Record, Recorder, ask, choose, point, reason, thresholds_off
from qa.search.semantic import Vectors

QUESTIONS = [
    ("How many counties did the 2016 demonstration cover?", True),
    ("What is the reasoning behind China's policy of using online commerce to fight rural poverty?", True),
    ("How should rural e-commerce talent be developed?", True),
    ("What are the main obstacles holding back rural e-commerce?", True),
    ("Why do farmers sell their produce online?", True),
    ("How does blockchain help the traceability of farm produce?", False),
    ("What is the population of Shanghai?", False),
    ("What tax rate applies to rural online stores?", False),
    ("What salary do rural livestream hosts earn?", False),
    ("How is the weather in the mountains described?", False),
    ("xyzzy plugh frobnicate?", False),
    ("What did farmers never sell online?", False),
]


class Spread:
    """Unit vectors at an angle set by each text's checksum: cosines spread over [-1, 1], no torch."""

    def encode(self, texts: Sequence[str]) -> Vectors:
        angles = [zlib.crc32(t.encode()) / 2**32 * np.pi for t in texts]
        return np.asarray([[np.cos(a), np.sin(a)] for a in angles], dtype=np.float32)


def test_the_offline_sweep_gives_the_engines_reason_at_every_threshold(corpus: list[qa.Document]) -> None:
    today = qa.Settings()
    recorder = Recorder(corpus, thresholds_off(today), embedder=Spread())
    records = [ask(recorder, str(i), q, a, ()) for i, (q, a) in enumerate(QUESTIONS)]
    engine = qa.Engine(corpus, entities=recorder.entities, embedder=Spread())
    coverage = statistics.median(r.coverage for r in records if r.blocked is None)
    meaning = statistics.median(r.meaning for r in records if r.meaning is not None and r.blocked is None)
    seen = set()
    points = [(0.0, OFF), (coverage, OFF), (0.0, meaning), (coverage, meaning), (1.1, 1.1)]
    for c, m in [*points, (today.min_coverage, today.min_meaning)]:
        engine.settings = dataclasses.replace(qa.Settings(), min_coverage=c, min_meaning=m)
        for (question, _), r in zip(QUESTIONS, records, strict=True):
            expected = engine.ask(question).reason or None
            assert reason(r, c, m) == expected, (question, c, m)
            seen.add(expected)
    assert seen == {None, *(r.value for r in qa.Reason)}  # every outcome was compared at least once


def _r(answerable: bool, coverage: float, blocked: str | None = None) -> Record:
    return Record("q", answerable, blocked, coverage, None, True, answerable)


def test_point_counts_and_the_rule_keeps_false_abstentions_within_bounds() -> None:
    # 20 answerable SQuAD-like questions, one low (5% of them); 4 unanswerable ones spread out
    squad = [_r(True, 0.12)] + [_r(True, 0.3)] * 19 + [_r(False, c) for c in (0.05, 0.15, 0.25, 0.9)]
    gold = [_r(True, 0.28), _r(False, 0.22), _r(False, 0.5, blocked="unknown_name")]
    p = point(squad, 0.2, OFF)
    assert (p.false_abstentions, p.caught, p.false_answers, p.right_first) == (1, 2, 2, 19)
    assert point(gold, 0.2, OFF).caught == 1  # the unknown name
    # 0.3 would catch 3 on SQuAD but abstain on the gold answerable question; 0.25 and 0.2 catch 2
    # on SQuAD, and 0.25 one more on the gold set
    c, _, names = choose([squad], gold)
    assert (c, names) == (0.25, True)
    assert point(gold, c, OFF).false_abstentions == 0 and point(gold, c, OFF).caught == 2
    # an off-topic question whose hit 1 is 0.22 close in meaning must abstain: min_meaning above it
    off_topic = [Record("o", False, None, 0.9, 0.22, False, False)]
    assert choose([squad], gold, off_topic)[:2] == (0.25, 0.25)


def test_the_rule_keeps_recall_at_1_at_the_floor() -> None:
    # 100 answerable questions, 85 of them with a right hit 1 (recall@1 0.85), two of those right ones
    # low in coverage (2% false abstentions): abstaining on them would catch one more unanswerable
    # question but drop recall@1 under 0.85
    right = [_r(True, 0.15), _r(True, 0.18)] + [_r(True, 0.9)] * 83
    squad = right + [Record("w", True, None, 0.9, None, True, False)] * 15 + [_r(False, 0.17)]
    assert point(squad, 0.2, OFF).recall == 0.83 and point(squad, 0.1, OFF).recall == 0.85
    assert point(squad, 0.2, OFF).caught == 1
    c, _, _ = choose([squad], [])
    assert c == 0.15  # the highest that keeps both right hits; 0.2 would have caught one more


def test_a_false_abstention_no_point_moves_does_not_steer_the_rule() -> None:
    # the gold set's one false abstention is a figure the best passage lacks: no threshold and not the
    # unknown_name switch move it, so the rule picks as it would without it (before, it turned the
    # unknown_name signal off, the only way it saw to reach "no false abstention on the gold set")
    squad = [_r(True, 0.12)] + [_r(True, 0.3)] * 19 + [_r(False, c) for c in (0.05, 0.15, 0.25, 0.9)]
    squad += [_r(False, 0.9, blocked="unknown_name")]
    figure = _r(True, 0.9, blocked="figure_unsaid")
    gold = [_r(True, 0.28), _r(False, 0.22), _r(False, 0.5, blocked="unknown_name"), figure]
    assert reason(figure, 0.0, OFF, names=False) == "figure_unsaid"
    c, _, names = choose([squad], gold)
    assert (c, names) == (0.25, True)
    assert point(gold, c, OFF, names).false_abstentions == 1
