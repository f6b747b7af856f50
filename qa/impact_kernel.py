"""The inner loops of the fast BM25 engine, compiled with numba when it is installed.

``search_pruned`` answers one query exactly with term-at-a-time MaxScore pruning (see
``qa/impact.py``); ``csr_scatter`` lays postings out term by term for the build. Both are
written as plain loops: with numba (the optional ``fast`` extra) they are compiled once and
cached; without it ``HAVE_NUMBA`` is false and callers use the pure-numpy paths instead
(``dense_scores`` / ``top_k`` and a stable argsort), which give the same results.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt

F = TypeVar("F", bound=Callable[..., Any])

try:  # numba is optional: `pip install 'qa[fast]'`
    from numba import njit as _njit

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover - exercised where numba is absent
    HAVE_NUMBA = False

SLACK = 1.0 + 1e-9  # upper bounds are inflated by this factor so rounding can never prune a winner


def _jit(func: F) -> F:
    if HAVE_NUMBA:
        return cast(F, _njit(cache=True, nogil=True)(func))
    return func


@_jit
def _kth_largest(values: Any, n: int, k: int, floor: float) -> float:
    """The ``k``-th largest of ``values[:n]`` (``n >= k``), looking only at values >= ``floor``
    when at least ``k`` of them are (``floor`` is a known lower bound of the answer)."""
    buf = np.empty(n)
    m = 0
    for i in range(n):
        if values[i] >= floor:
            buf[m] = values[i]
            m += 1
    if m < k:  # the floor was too high to help: use everything
        m = n
        for i in range(n):
            buf[i] = values[i]
    part = np.partition(buf[:m], m - k)
    return float(part[m - k])


@_jit
def search_pruned(
    indptr: Any,
    docs: Any,
    tfs: Any,
    norm: Any,
    k1p1: float,
    terms: Any,
    weights: Any,
    counts: Any,
    ubs: Any,
    k: int,
    acc: Any,
    touched: Any,
) -> tuple[Any, Any]:
    """Exact top ``k`` (doc ids, scores) for the query terms ``terms`` sorted by upper bound ``ubs``
    (descending); ``acc`` (zeros, one per document) and ``touched`` are workspaces, left as found.

    Terms are added whole ("essential") while a document seen by none of them so far could still
    reach the top ``k``; once the ``k``-th best partial score beats the sum of the remaining terms'
    upper bounds, only documents already seen can win, and the remaining terms are looked up
    (binary search in their doc-sorted postings) for those candidates alone."""
    m = terms.shape[0]
    rest = np.zeros(m + 1)
    for j in range(m - 1, -1, -1):
        rest[j] = rest[j + 1] + ubs[j]
    n = 0
    theta = 0.0
    j = 0
    while j < m:
        if n >= k and theta > rest[j] * SLACK:
            break
        t = terms[j]
        w = weights[j]
        c = counts[j]
        for p in range(indptr[t], indptr[t + 1]):
            d = docs[p]
            tf = float(tfs[p])
            s = (w * (tf * k1p1 / (tf + norm[d]))) * c
            if acc[d] == 0.0:
                touched[n] = d
                n += 1
            acc[d] += s
        j += 1
        if n >= k and j < m and rest[0] - rest[j] > rest[j]:  # a break is possible: find theta
            vals = np.empty(n)
            for i in range(n):
                vals[i] = acc[touched[i]]
            theta = _kth_largest(vals, n, k, theta)
    # candidates: seen documents whose partial score plus what is left can still reach theta
    cand = np.empty(n, dtype=np.int64)
    score = np.empty(n)
    nc = 0
    for i in range(n):
        d = touched[i]
        if j == m or (acc[d] + rest[j]) * SLACK >= theta:
            cand[nc] = d
            score[nc] = acc[d]
            nc += 1
        acc[d] = 0.0
    order = np.argsort(cand[:nc])
    cand = cand[:nc][order]
    score = score[:nc][order]
    while j < m:  # the remaining (non-essential) terms, for the candidates only
        t = terms[j]
        w = weights[j]
        c = counts[j]
        lo = indptr[t]
        hi = indptr[t + 1]
        for i in range(nc):
            d = cand[i]
            a = lo
            b = hi
            while a < b:
                mid = (a + b) >> 1
                if docs[mid] < d:
                    a = mid + 1
                else:
                    b = mid
            lo = a
            if a < hi and docs[a] == d:
                tf = float(tfs[a])
                score[i] += (w * (tf * k1p1 / (tf + norm[d]))) * c
        j += 1
        if nc > k:  # drop candidates that can no longer reach the k-th best
            theta = _kth_largest(score, nc, k, theta)
            keep = 0
            for i in range(nc):
                if (score[i] + rest[j]) * SLACK >= theta:
                    cand[keep] = cand[i]
                    score[keep] = score[i]
                    keep += 1
            nc = keep
    return _select(cand[:nc], score[:nc], k)


@_jit
def _select(cand: Any, score: Any, k: int) -> tuple[Any, Any]:
    """The best ``k`` of (``cand``, ``score``) by score, ties by lower doc id, best first."""
    nc = cand.shape[0]
    if nc > k:
        theta = _kth_largest(score, nc, k, -np.inf)
        keep = score >= theta
        cand = cand[keep]
        score = score[keep]
    first = np.argsort(cand)  # by doc id, then stably by score: ties keep the lower doc first
    cand = cand[first]
    score = score[first]
    order = np.argsort(-score, kind="mergesort")[:k]
    return cand[order], score[order]


@_jit
def csr_scatter(term_ids: Any, indptr: Any, out_pos: Any) -> None:
    """``out_pos[i]``: where posting ``i`` goes so each term's postings keep their (doc) order."""
    nxt = indptr[:-1].copy()
    for i in range(term_ids.shape[0]):
        t = term_ids[i]
        out_pos[i] = nxt[t]
        nxt[t] += 1


def dense_scores(
    indptr: npt.NDArray[np.int64],
    docs: npt.NDArray[np.int32],
    tfs: npt.NDArray[Any],
    norm: npt.NDArray[np.float64],
    k1p1: float,
    terms: npt.NDArray[np.int64],
    weights: npt.NDArray[np.float64],
    counts: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    """Every document's score, adding the terms in the given order (as ``search_pruned`` does)."""
    acc = np.zeros(norm.shape[0])
    for t, w, c in zip(terms.tolist(), weights.tolist(), counts.tolist(), strict=True):
        lo, hi = int(indptr[t]), int(indptr[t + 1])
        d = docs[lo:hi]
        tf = tfs[lo:hi].astype(np.float64)
        acc[d] += (w * (tf * k1p1 / (tf + norm[d]))) * c  # a term's postings hold each doc once
    return acc


def top_k(scores: npt.NDArray[np.float64], k: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """The best ``k`` documents with a positive score, ties by lower doc id, best first."""
    cand = np.flatnonzero(scores > 0.0)
    vals = scores[cand]
    if cand.shape[0] > k:
        theta = np.partition(vals, cand.shape[0] - k)[cand.shape[0] - k]
        keep = vals >= theta
        cand, vals = cand[keep], vals[keep]
    order = np.lexsort((cand, -vals))[:k]
    return cand[order], vals[order]
