"""BM25 scores checked by hand, and the promise that a passage sharing no term is never returned."""

from __future__ import annotations

import math

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from qa.documents.models import QAError
from qa.search.index import BM25Index, lucene_idf

TOY = [
    ["rural", "ecommerc", "rural"],  # length 3
    ["poverti", "counti"],  # length 2
    ["rural", "counti", "cover", "full"],  # length 4
]


def test_idf_by_hand() -> None:
    # N = 3; "rural" is in 2 passages: ln(1 + (3 - 2 + 0.5) / (2 + 0.5)) = ln(1.6)
    assert lucene_idf(3, 2) == pytest.approx(math.log(1.6))
    # a term in every passage still has a positive idf
    assert lucene_idf(3, 3) == pytest.approx(math.log(1 + 0.5 / 3.5))
    assert lucene_idf(3, 3) > 0


def test_scores_by_hand() -> None:
    index = BM25Index(TOY)
    avgdl = 3.0  # (3 + 2 + 4) / 3
    k1, b = 1.5, 0.75
    idf_rural = math.log(1 + (3 - 2 + 0.5) / (2 + 0.5))
    idf_cover = math.log(1 + (3 - 1 + 0.5) / (1 + 0.5))

    def part(tf: int, dl: int) -> float:
        return tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))

    expected = [
        idf_rural * part(2, 3),  # passage 0: rural twice, no cover
        0.0,  # passage 1: neither term
        idf_rural * part(1, 4) + idf_cover * part(1, 4),
    ]
    assert index.scores(["rural", "cover"]).tolist() == pytest.approx(expected, rel=1e-12)
    # the figures themselves, so a change of constants cannot pass unnoticed
    assert expected[0] == pytest.approx(0.4700 * 5 / 3.5, abs=1e-4)  # 0.6714
    assert expected[2] == pytest.approx((0.4700 + 0.9808) * 2.5 / 2.875, abs=1e-3)  # 1.2616


def test_tf_part_equals_rank_bm25() -> None:
    """Only the idf differs from rank_bm25.BM25Okapi: dividing it out gives the same tf part."""
    ours = BM25Index(TOY)
    ref = BM25Okapi(TOY)
    for term in ["rural", "counti", "cover", "poverti"]:
        n = ours.doc_freq(term)
        ratio = lucene_idf(3, n) / ref.idf[term]
        assert ours.scores([term]).tolist() == pytest.approx((ref.get_scores([term]) * ratio).tolist())


def test_search_ranks_and_never_returns_non_matching() -> None:
    index = BM25Index(TOY)
    results = index.search(["rural", "cover"], k=10)
    assert [i for i, _ in results] == [2, 0]
    assert all(score > 0 for _, score in results)
    assert index.search(["absent"], k=10) == []
    assert index.search([], k=10) == []


def test_allowed_filter_applies_before_k() -> None:
    index = BM25Index(TOY)
    assert [i for i, _ in index.search(["counti"], k=1, allowed={1})] == [1]
    assert index.search(["counti"], k=5, allowed={0}) == []


def test_ties_break_by_passage_order() -> None:
    index = BM25Index([["a"], ["a"], ["a"]])
    assert [i for i, _ in index.search(["a"], k=3)] == [0, 1, 2]


def test_empty_corpus() -> None:
    index = BM25Index([])
    assert index.search(["a"], k=3) == []
    assert index.scores(["a"]).shape == (0,)


@pytest.mark.parametrize("engine", ["fast", "rank-bm25"])
def test_mask_filter_batch_and_avgdl_on_both_engines(engine: str) -> None:
    """A bool mask filters as the set of its true positions; search_batch returns what search
    does; avgdl is rank-bm25's (3 + 2 + 4) / 3 on both engines."""
    index = BM25Index(TOY, engine=engine)
    mask = np.array([True, False, True])
    assert index.search(["rural", "counti"], 5, allowed=mask) == index.search(
        ["rural", "counti"], 5, allowed={0, 2}
    )
    assert [i for i, _ in index.search(["counti"], 5, allowed=mask)] == [2]
    queries = [["rural"], ["counti", "cover"], [], ["absent"]]
    assert index.search_batch(queries, 2) == [index.search(q, 2) for q in queries]
    assert index.avgdl == 3.0


def test_global_statistics_need_the_fast_engine() -> None:
    index = BM25Index(TOY, engine="rank-bm25")
    with pytest.raises(QAError, match="fast engine"):
        index.search(["rural"], 2, avgdl=5.0)
    fast = BM25Index(TOY)
    # a longer average length than its own shortens every passage relative to it: scores rise
    assert fast.search(["rural"], 1, avgdl=6.0)[0][1] > fast.search(["rural"], 1)[0][1]
    assert fast.search(["rural"], 1, idf={"rural": 2.0})[0][1] == pytest.approx(
        2.0 * fast.search(["rural"], 1)[0][1] / fast.idf("rural"), rel=1e-12
    )
