"""The fast engine against rank-bm25 (the reference): same scores, same top k, on random corpora,
on edge cases and on the shipped corpus; the pruned kernel against exhaustive scoring."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa.documents.chunking import chunk_corpus
from qa.documents.corpus import load_corpus
from qa.search.build import build_impact
from qa.search.codec import Packed
from qa.search.impact import ImpactIndex
from qa.search.index import BM25Index
from qa.search.kernel import HAVE_NUMBA, search_pruned
from qa.search.tokenizer import tokenize
from tests.conftest import ROOT

PATHS = [False, True] if HAVE_NUMBA else [False]  # numpy fallback, and numba where installed

words = st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "h"])
corpora = st.lists(st.lists(words, max_size=12), min_size=1, max_size=40)
queries = st.lists(st.one_of(words, st.just("unknown")), max_size=7)


def fast(corpus: Sequence[Sequence[str]], use_numba: bool) -> BM25Index:
    index = BM25Index(corpus, engine="fast")
    assert isinstance(index._impl, ImpactIndex)
    index._impl.use_numba = use_numba
    return index


def same(got: list[tuple[int, float]], want: list[tuple[int, float]]) -> bool:
    """The same passages in the same order, scores within 1e-9 (relative)."""
    return [i for i, _ in got] == [i for i, _ in want] and [s for _, s in got] == pytest.approx(
        [s for _, s in want], rel=1e-9
    )


def assert_same_ranking(got: list[tuple[int, float]], ref: BM25Index, query: list[str], k: int) -> None:
    """``got`` is rank-bm25's top ``k``: the same length, each score within 1e-6 (relative) of the
    reference's, and the reference score of the i-th document equal to the reference's i-th score
    (documents whose reference scores tie within 1e-12 may come in either order; ours then go by
    passage number, checked separately)."""
    want = ref.search(query, k)
    scores = ref.scores(query)
    assert len(got) == len(want)
    for (i, s), (_, ws) in zip(got, want, strict=True):
        assert s == pytest.approx(scores[i], rel=1e-6)
        assert scores[i] == pytest.approx(ws, rel=1e-12)


@settings(max_examples=150, deadline=None)
@given(corpus=corpora, query=queries, k=st.integers(1, 12))
def test_random_corpora_match_rank_bm25(corpus: list[list[str]], query: list[str], k: int) -> None:
    ref = BM25Index(corpus, engine="rank-bm25")
    for use_numba in PATHS:
        index = fast(corpus, use_numba)
        assert index.scores(query).tolist() == pytest.approx(ref.scores(query).tolist(), rel=1e-6, abs=1e-12)
        got = index.search(query, k)
        assert_same_ranking(got, ref, query, k)
        assert [s for _, s in got] == sorted((s for _, s in got), reverse=True)
        for (i, s), (j, t) in itertools.pairwise(got):
            assert s > t or i < j  # ties by passage number
        assert index.matching(query) == ref.matching(query)
        assert index.vocabulary == ref.vocabulary
        for term in [*query, "a"]:
            assert index.doc_freq(term) == ref.doc_freq(term)
            assert index.idf(term) == pytest.approx(ref.idf(term), rel=1e-12)


@settings(max_examples=80, deadline=None)
@given(corpus=corpora, query=queries, k=st.integers(1, 12), allowed=st.sets(st.integers(0, 45)))
def test_allowed_filter_matches_rank_bm25(
    corpus: list[list[str]], query: list[str], k: int, allowed: set[int]
) -> None:
    ref = BM25Index(corpus, engine="rank-bm25").search(query, k, allowed=allowed)
    got = fast(corpus, HAVE_NUMBA).search(query, k, allowed=allowed)
    assert [i for i, _ in got] == [i for i, _ in ref]
    assert [s for _, s in got] == pytest.approx([s for _, s in ref], rel=1e-6)


def zipf_corpus(n_docs: int, vocab: int, seed: int) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    p = 1.0 / np.arange(1, vocab + 1)
    lengths = rng.integers(0, 60, n_docs)
    ids = rng.choice(vocab, size=int(lengths.sum()), p=p / p.sum())
    out, at = [], 0
    for n in lengths.tolist():
        out.append([f"w{i}" for i in ids[at : at + n]])
        at += n
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_pruned_top_k_equals_exhaustive_on_zipf_corpora(seed: int) -> None:
    """Zipf corpora large enough for every path of the kernel (essential terms, binary search and
    scan of the rest, the dense finish): top k equals sorting the exhaustive scores, bit for bit."""
    corpus = zipf_corpus(3000, 2000, seed)
    rng = np.random.default_rng(seed + 10)
    p = 1.0 / np.arange(1, 2001)
    indexes = [fast(corpus, use_numba) for use_numba in PATHS]
    for _ in range(150):
        query = [f"w{i}" for i in rng.choice(2000, size=int(rng.integers(1, 8)), p=p / p.sum())]
        scores = indexes[0].scores(query)
        ranked = sorted(np.flatnonzero(scores > 0).tolist(), key=lambda i: (-scores[i], i))
        for k in (1, 10, 30):
            want = [(i, float(scores[i])) for i in ranked[:k]]
            for index in indexes:
                assert index.search(query, k) == want


@pytest.mark.parametrize(("n_docs", "vocab", "zipf"), [(400, 300, False), (3000, 2000, True)])
def test_python_kernel_agrees_with_compiled(n_docs: int, vocab: int, zipf: bool) -> None:
    """The kernel's own logic, run as plain Python (numba's py_func when compiled), on corpora where
    each of its paths runs (checked once with a line tracer): the same results as exhaustive scoring."""
    corpus = zipf_corpus(n_docs, vocab, 7)
    index = fast(corpus, False)
    impl = index._impl
    assert isinstance(impl, ImpactIndex)
    kernel = getattr(search_pruned, "py_func", search_pruned)
    rng = np.random.default_rng(3)
    p = 1.0 / np.arange(1, vocab + 1)
    for _ in range(40):
        size = int(rng.integers(1, 6))
        ids = rng.choice(vocab, size, p=p / p.sum()) if zipf else rng.integers(0, vocab, size)
        query = [f"w{i}" for i in ids]
        terms, weights, reps, ubs = impl._query(query, None, None)
        if not terms.shape[0]:
            continue
        ws = (
            np.zeros(impl.size),
            np.zeros(impl.size + 1, np.int32),
            np.zeros(impl.size, np.uint8),
            np.zeros(128, np.int64),
            np.zeros(128, np.int64),
        )
        none = np.zeros(0, np.uint8)
        found = kernel(impl._ix(None), impl._nt(None), 2.5, terms, weights, reps, ubs, 1.0, none, 5, ws)
        assert list(zip(found[0].tolist(), found[1].tolist(), strict=True)) == index.search(query, 5)
        assert not ws[0].any() and not ws[2].any()  # workspaces left as found


@pytest.mark.parametrize("use_numba", PATHS)
def test_edge_cases(use_numba: bool) -> None:
    one = fast([["solo", "solo", "x"]], use_numba)
    ref = BM25Index([["solo", "solo", "x"]], engine="rank-bm25")
    assert same(one.search(["solo"], 3), ref.search(["solo"], 3))
    assert len(one.search(["solo"], 3)) == 1
    assert one.search([], 3) == []
    assert one.search(["unknown"], 3) == []
    assert one.search(["solo"], 0) == []
    assert one.scores([]).tolist() == [0.0]
    with_empty = [[], ["a", "b"], [], ["a"]]
    index, ref = fast(with_empty, use_numba), BM25Index(with_empty, engine="rank-bm25")
    assert index.scores(["a", "b"]).tolist() == pytest.approx(ref.scores(["a", "b"]).tolist(), rel=1e-9)
    assert [i for i, _ in index.search(["a", "a", "b"], 10)] == [1, 3]
    empties: list[list[list[str]]] = [[], [[], []]]
    for corpus in empties:
        empty = fast(corpus, use_numba)
        assert empty.search(["a"], 3) == []
        assert empty.scores(["a"]).shape == (len(corpus),)
        assert empty.vocabulary == frozenset()


@pytest.mark.parametrize("use_numba", PATHS)
def test_repeated_query_terms_count_once_per_repeat(use_numba: bool) -> None:
    corpus = [["a", "b"], ["a"], ["b", "b", "c"]]
    index, ref = fast(corpus, use_numba), BM25Index(corpus, engine="rank-bm25")
    once, twice = index.scores(["a", "b"]), index.scores(["a", "a", "b"])
    assert twice.tolist() == pytest.approx(ref.scores(["a", "a", "b"]).tolist(), rel=1e-9)
    assert twice[1] == pytest.approx(2 * once[1])
    assert same(index.search(["a", "a", "b"], 3), ref.search(["a", "a", "b"], 3))


def test_ties_break_by_passage_order_at_the_cut() -> None:
    corpus = [["x", "y"], ["x"], ["x"], ["x"], ["y"]]
    for use_numba in PATHS:
        assert [i for i, _ in fast(corpus, use_numba).search(["x"], 2)] == [1, 2]


@pytest.mark.parametrize("use_numba", PATHS)
def test_multi_batch_build_equals_one_batch(monkeypatch: pytest.MonkeyPatch, use_numba: bool) -> None:
    """Documents streamed from a generator in many small batches give the same index (with either
    layout: numba's counting sort, laid out in many term ranges, or numpy's stable argsort)."""
    corpus = zipf_corpus(500, 200, 4)
    whole, report = build_impact(corpus, 1.5, 0.75, total=len(corpus), progress=False, use_numba=False)
    monkeypatch.setattr("qa.search.build.BATCH_DOCS", 7)
    monkeypatch.setattr("qa.search.build.GROUP_BITS", 2)
    streamed, _ = build_impact((d for d in corpus), 1.5, 0.75, progress=False, use_numba=use_numba)
    assert streamed.use_numba == use_numba
    assert streamed.terms == whole.terms
    assert np.array_equal(streamed.indptr, whole.indptr)
    for f in fields(Packed):  # the same compact postings from numpy's packing and numba's
        assert np.array_equal(getattr(streamed.packed, f.name), getattr(whole.packed, f.name)), f.name
    assert report.docs == 500 and report.postings == sum(len(set(d)) for d in corpus)
    assert report.terms == len({t for d in corpus for t in d}) and report.peak_rss_bytes > 0


def shipped_tokens() -> list[list[str]]:
    return [tokenize(c.text) for c in chunk_corpus(load_corpus())]


def test_shipped_corpus_matches_rank_bm25() -> None:
    import yaml

    tokens = shipped_tokens()
    ref = BM25Index(tokens, engine="rank-bm25")
    gold = yaml.safe_load((ROOT / "tests" / "gold" / "questions.yaml").read_text(encoding="utf-8"))
    questions = [tokenize(q["question"]) for q in gold["questions"]]
    assert len(questions) > 20
    for use_numba in PATHS:
        index = fast(tokens, use_numba)
        for query in questions:
            assert index.scores(query).tolist() == pytest.approx(
                ref.scores(query).tolist(), rel=1e-6, abs=1e-12
            )
            assert_same_ranking(index.search(query, 30), ref, query, 30)


def test_small_corpora_do_not_import_numba() -> None:
    """The shipped corpus is answered by numpy: numba's import (a few tenths of a second) is spared."""
    script = "import sys; from qa.answers import Engine; Engine.from_folder().ask('poverty counties'); "
    script += "print('numba' in sys.modules)"
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert proc.stdout.strip() == "False"


def test_without_numba_the_numpy_paths_serve(tmp_path: Path) -> None:
    """In a process where numba cannot be imported: no compiled kernel, same answers."""
    script = """
import sys
sys.modules["numba"] = None  # import numba now raises ImportError
from qa.search.build import build_impact
from qa.search.kernel import HAVE_NUMBA
from qa.search.index import BM25Index
forced, _ = build_impact([["x"]], 1.5, 0.75, use_numba=True)  # asked for, not there: numpy
assert not forced.use_numba and forced.search(["x"], 1) == [(0, forced.idf("x") * 1.0)]
index = BM25Index([["a", "b"], ["a"], ["b", "b", "c"], []])
index.save(sys.argv[1])
print(HAVE_NUMBA, index.search(["a", "b", "b"], 2), BM25Index.load(sys.argv[1]).search(["c"], 5))
"""
    proc = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "i")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    ref = BM25Index([["a", "b"], ["a"], ["b", "b", "c"], []], engine="rank-bm25")
    flag, rest = proc.stdout.split(" ", 1)
    assert flag == "False"
    want = f"{ref.search(['a', 'b', 'b'], 2)} {ref.search(['c'], 5)}"
    got_ids = [int(x) for x in re.findall(r"\((\d+),", rest)]
    assert got_ids == [int(x) for x in re.findall(r"\((\d+),", want)] == [0, 2, 2]


@pytest.mark.skipif(not HAVE_NUMBA, reason="the compiled build needs numba (the fast extra)")
def test_a_term_said_more_than_65535_times_keeps_its_count() -> None:
    """Counts are kept in 16 bits while no document is that long; a longer one widens them."""
    corpus = [["echo"] * 70_000 + ["alpha"], *zipf_corpus(300, 50, 5)]
    compiled, _ = build_impact(corpus, 1.5, 0.75, progress=False, use_numba=True)
    plain, _ = build_impact(corpus, 1.5, 0.75, progress=False, use_numba=False)
    for f in fields(Packed):
        assert np.array_equal(getattr(compiled.packed, f.name), getattr(plain.packed, f.name)), f.name
    norm = 1.5 * (1 - 0.75 + 0.75 * 70_001 / compiled.avgdl)
    idf = compiled.idf("echo")
    ((doc, score),) = compiled.search(["echo"], 1)
    assert doc == 0 and score == pytest.approx(idf * 70_000 * 2.5 / (70_000 + norm), rel=1e-9)
