"""The compact postings (bit-packed blocks), global statistics for shards, filters as masks inside
the pruned search, and the batch call on every core: each against exhaustive scoring."""

from __future__ import annotations

from collections import Counter
from dataclasses import fields

import numpy as np
import pytest

from qa.search.build import build_impact
from qa.search.codec import BLOCK, Packed, pack, unpack_term
from qa.search.impact import ImpactIndex, length_norm, lucene_idf
from qa.search.index import BM25Index
from qa.search.kernel import HAVE_NUMBA
from tests.test_impact import PATHS, fast, zipf_corpus


def exhaustive(corpus: list[list[str]], query: list[str], avgdl: float, idf: dict[str, float]) -> np.ndarray:
    """rank-bm25's formula, written out: sum over query tokens of idf * tf * 2.5 / (tf + norm)."""
    lengths = np.array([len(d) for d in corpus], dtype=np.float64)
    norm = 1.5 * (1 - 0.75 + 0.75 * lengths / avgdl)
    tfs = [Counter(d) for d in corpus]
    out = np.zeros(len(corpus))
    for q in query:
        if q in idf:
            f = np.array([c[q] for c in tfs], dtype=np.float64)
            out += idf[q] * (f * 2.5 / (f + norm))
    return out


def best(scores: np.ndarray, k: int, keep: np.ndarray | None = None) -> list[int]:
    ids = np.flatnonzero((scores > 0) & (keep if keep is not None else True))
    return [int(i) for i in ids[np.lexsort((ids, -scores[ids]))][:k]]


def test_pack_round_trips_large_tfs_and_gaps() -> None:
    """Term frequencies and id gaps of any size (1 bit to 20 bits here) come back exactly, with
    numpy's packing and numba's giving the same bytes."""
    corpus = [["a"] * 300, ["b"], ["a", "b"] * 2] + [["c"]] * 500 + [["a"] * 70_000, ["c", "a"]]
    corpus += [["d"]] * (BLOCK * 2 + 3)
    for use_numba in PATHS:
        index, _ = build_impact(corpus, 1.5, 0.75, progress=False, use_numba=use_numba)
        docs, tfs = index.postings("a")
        assert docs.tolist() == [0, 2, 503, 504] and tfs.tolist() == [300, 2, 70_000, 1]
        docs, tfs = index.postings("c")
        assert docs.tolist() == [*range(3, 503), 504] and set(tfs.tolist()) == {1}
        assert index.postings("d")[0].tolist() == list(range(505, 505 + BLOCK * 2 + 3))
        assert index.packed.dbits.max() >= 8 and index.packed.fbits.max() == 17  # 69,999 < 2**17
        assert np.array_equal(index.packed.bptr[1:] - index.packed.bptr[:-1], [1, 1, 4, 3])
    numpy_packed, _ = build_impact(corpus, 1.5, 0.75, progress=False, use_numba=False)
    for f in fields(Packed):
        assert np.array_equal(getattr(numpy_packed.packed, f.name), getattr(index.packed, f.name)), f.name


def test_block_maxima_bound_every_tf_part() -> None:
    corpus = zipf_corpus(3000, 500, 11)
    index, _ = build_impact(corpus, 1.5, 0.75, progress=False, use_numba=False)
    norm = length_norm(index.doc_len, 1.5, 0.75)
    p = index.packed
    for t in range(0, len(index.terms), 7):
        docs, tfs = unpack_term(p, index.indptr, t)
        parts = tfs * 2.5 / (tfs + norm[docs])
        for i, b in enumerate(range(int(p.bptr[t]), int(p.bptr[t + 1]))):
            chunk = parts[i * BLOCK : (i + 1) * BLOCK]
            assert p.block_max[b] >= chunk.max() and p.block_max[b] <= np.float32(chunk.max()) * (1 + 1e-6)
            assert p.block_last[b] == docs[min((i + 1) * BLOCK, docs.shape[0]) - 1]


def test_pack_without_postings() -> None:
    empty = pack(np.zeros(1, dtype=np.int64), np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0), 1.5)
    assert empty.words.shape == (2,) and empty.block_last.shape == (0,)


@pytest.mark.parametrize("use_numba", PATHS)
def test_a_half_corpus_with_whole_statistics_scores_as_the_whole(use_numba: bool) -> None:
    """A shard (here: the even documents) searched with the whole corpus's average length and idfs
    gives the whole index's scores for its documents (to 1e-9), and its own top k is the whole
    index's top k restricted to the shard."""
    corpus = zipf_corpus(1200 if not use_numba else 8000, 400, 5)
    whole = fast(corpus, use_numba)
    half_ids = list(range(0, len(corpus), 2))
    half = fast([corpus[i] for i in half_ids], use_numba)
    assert half.avgdl != whole.avgdl
    assert whole.avgdl == BM25Index(corpus, engine="rank-bm25").avgdl == sum(map(len, corpus)) / len(corpus)
    rng = np.random.default_rng(2)
    p = 1.0 / np.arange(1, 401)
    for _ in range(60):
        query = [f"w{i}" for i in rng.choice(400, int(rng.integers(1, 6)), p=p / p.sum())]
        idf = {t: whole.idf(t) for t in query if t in whole.vocabulary}
        assert all(v == lucene_idf(whole.size, whole.doc_freq(t)) for t, v in idf.items())
        want = whole.scores(query)[half_ids]
        assert isinstance(half._impl, ImpactIndex)
        assert half._impl.scores(query, whole.avgdl, idf) == pytest.approx(want, rel=1e-9, abs=0)
        assert want == pytest.approx(
            exhaustive([corpus[i] for i in half_ids], query, whole.avgdl, idf), rel=1e-9
        )
        got = half.search(query, 10, avgdl=whole.avgdl, idf=idf)
        keep = np.zeros(len(corpus), dtype=bool)
        keep[half_ids] = True
        ref = whole.search(query, 10, allowed=keep)
        assert [half_ids[i] for i, _ in got] == [i for i, _ in ref]
        assert [s for _, s in got] == pytest.approx([s for _, s in ref], rel=1e-9)


def test_idf_overrides_must_be_positive() -> None:
    index = fast([["a", "b"], ["a"]], False)
    with pytest.raises(ValueError, match="positive"):
        index.search(["a"], 2, idf={"a": 0.0})


@pytest.mark.parametrize("share", [0.1, 0.001])
def test_a_mask_filter_inside_the_pruned_search_is_exact(share: float) -> None:
    """A filter keeping 10% (or 0.1%) of the documents, as a mask and as a set: the exhaustive top
    k of the allowed documents, on the compiled kernel and on numpy."""
    corpus = zipf_corpus(8000, 600, 9)
    keep = np.random.default_rng(4).random(len(corpus)) < share
    allowed = set(np.flatnonzero(keep).tolist())
    rng = np.random.default_rng(6)
    p = 1.0 / np.arange(1, 601)
    indexes = [fast(corpus, u) for u in PATHS]
    for _ in range(60):
        query = [f"w{i}" for i in rng.choice(600, int(rng.integers(1, 6)), p=p / p.sum())]
        scores = indexes[0].scores(query)
        want = best(scores, 10, keep)
        for index in indexes:
            by_mask, by_set = index.search(query, 10, allowed=keep), index.search(query, 10, allowed=allowed)
            assert by_mask == by_set and [i for i, _ in by_mask] == want
            assert [s for _, s in by_mask] == [float(scores[i]) for i in want]


def test_a_mask_of_the_wrong_size_is_refused() -> None:
    index = fast([["a"], ["a", "b"]], False)
    with pytest.raises(ValueError, match="one entry per document"):
        index.search(["a"], 2, allowed=np.ones(3, dtype=bool))
    assert index.search(["a"], 2, allowed=np.zeros(2, dtype=bool)) == []


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_batch_gives_the_results_of_one_at_a_time(threads: int) -> None:
    corpus = zipf_corpus(6000, 500, 3)
    index = fast(corpus, HAVE_NUMBA)
    assert isinstance(index._impl, ImpactIndex)
    rng = np.random.default_rng(8)
    p = 1.0 / np.arange(1, 501)
    queries = [[f"w{i}" for i in rng.choice(500, int(rng.integers(0, 6)), p=p / p.sum())] for _ in range(200)]
    queries.append(["unknown"])
    keep = np.random.default_rng(1).random(len(corpus)) < 0.1
    one = [index.search(q, 7) for q in queries]
    assert index._impl.search_batch(queries, 7, threads=threads) == one
    assert index.search_batch(queries, 7, allowed=keep) == [index.search(q, 7, allowed=keep) for q in queries]
    assert sum(len(r) for r in one) > 1000 and one[-1] == []


@pytest.mark.parametrize("use_numba", PATHS)
def test_dense_rows_of_frequent_terms_keep_exact_tfs(use_numba: bool) -> None:
    """A term in a quarter of the documents or more also has a dense row; a tf of 255 or more is
    read back from its blocks: the same scores and top k as exhaustive scoring."""
    rng = np.random.default_rng(12)
    corpus = [[f"w{i}" for i in rng.integers(0, 40, int(rng.integers(1, 30)))] for _ in range(6000)]
    for d, tf in ((5, 254), (17, 300), (400, 253), (401, 1000)):
        corpus[d] = ["w0"] * tf + corpus[d]
    index = fast(corpus, use_numba)
    impl = index._impl
    assert isinstance(impl, ImpactIndex)
    row = int(impl.drow[impl.ids["w0"]])
    tfs = dict(zip(*(a.tolist() for a in impl.postings("w0")), strict=True))
    assert row >= 0 and all(tfs[d] == corpus[d].count("w0") for d in (5, 17, 400, 401))
    assert [int(impl.packed.dense[row, d]) for d in (5, 17, 400, 401)] == [
        min(tfs[d], 255) for d in (5, 17, 400, 401)
    ]
    assert tfs[17] > 255 and tfs[401] > 255 and tfs[400] < 255
    for query in (["w0"], ["w0", "w1"], ["w39", "w0", "w0"], ["w3", "w7", "w0", "w11"]):
        scores = index.scores(query)
        want = best(scores, 10)
        got = index.search(query, 10)
        assert [i for i, _ in got] == want and [s for _, s in got] == [float(scores[i]) for i in want]
