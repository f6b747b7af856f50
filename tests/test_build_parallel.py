"""A corpus held in memory is read on every core: the index must be the one a single pass builds."""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest

from qa.search.build import build_impact
from qa.search.codec import Packed
from qa.search.impact import ImpactIndex
from qa.search.triples import read_parallel
from tests.test_impact import PATHS, zipf_corpus


def assert_same_index(got: ImpactIndex, want: ImpactIndex) -> None:
    assert got.terms == want.terms  # the same ids: terms numbered in the order first met
    assert np.array_equal(got.indptr, want.indptr)
    assert np.array_equal(got.doc_len, want.doc_len)
    for f in fields(Packed):
        assert np.array_equal(getattr(got.packed, f.name), getattr(want.packed, f.name)), f.name


@pytest.mark.parametrize("use_numba", PATHS)
@pytest.mark.parametrize("workers", [2, 3])
def test_read_on_several_cores_builds_the_same_index(
    monkeypatch: pytest.MonkeyPatch, use_numba: bool, workers: int
) -> None:
    corpus = zipf_corpus(2_000, 300, 11)
    corpus[1_500] = ["only", "late", "words"]  # terms first met by a worker, not by this process
    serial, _ = build_impact(corpus, 1.2, 0.6, progress=False, use_numba=use_numba, workers=1)
    monkeypatch.setattr("qa.search.build.PARALLEL_FROM", 10)
    monkeypatch.setattr("qa.search.triples.BATCH_DOCS", 97)  # several batches in every slice
    monkeypatch.setattr("qa.search.build.PIECE", 500)  # and a worker's part laid out in pieces
    parallel, report = build_impact(corpus, 1.2, 0.6, progress=False, use_numba=use_numba, workers=workers)
    assert_same_index(parallel, serial)
    assert parallel.terms.index("only") > parallel.terms.index(corpus[0][0])
    assert report.worker_peak_rss_bytes > 0  # the workers' memory is reported too
    assert parallel.search(["late", "w0"], 1)[0][0] == 1_500


def test_progress_counts_every_document_once() -> None:
    corpus = zipf_corpus(1_000, 50, 3)
    heard: list[int] = []
    batches = read_parallel(corpus, 2, False, heard.append)
    assert sum(heard) == len(corpus) and all(n >= 0 for n in heard)
    assert batches.base == len(corpus)
    assert sum(int(p[0].shape[0]) for p in batches.parts) == sum(len(set(d)) for d in corpus)


def test_a_failing_worker_fails_the_build() -> None:
    bad: list[object] = ["a", ["not", "a", "token"]]
    corpus: list[list[object]] = [["a", "b"] for _ in range(100)]
    corpus[50] = bad
    with pytest.raises(TypeError, match="unhashable"):
        read_parallel(corpus, 2, False)  # type: ignore[arg-type]
