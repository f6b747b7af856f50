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
    live: Any,
) -> tuple[Any, Any]:
    """Exact top ``k`` (doc ids, scores) for the query terms ``terms`` sorted by upper bound ``ubs``
    (descending). ``acc`` (float64 zeros), ``touched`` (int32) and ``live`` (uint8 zeros), one
    entry per document, are workspaces, left as found.

    Terms are added whole ("essential") while a document seen by none of them so far could still
    reach the top ``k``; once the ``k``-th best partial score beats the sum of the remaining terms'
    upper bounds, only documents already seen can win, and the remaining terms are added for those
    candidates alone: by binary search in the term's doc-sorted postings when the candidates are
    few, by a scan of the postings otherwise."""
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
        if (n + indptr[t + 1] - indptr[t]) * 2 > acc.shape[0]:  # most documents in play: add all, scan once
            for i in range(j, m):
                _add_all(indptr, docs, tfs, norm, k1p1, terms[i], weights[i], counts[i], acc)
            return _top_dense(acc, k)
        w = weights[j]
        c = counts[j]
        for p in range(indptr[t], indptr[t + 1]):
            d = docs[p]
            tf = float(tfs[p])
            touched[n] = d  # branch-free: kept only if d is new
            n += acc[d] == 0.0
            acc[d] += (w * (tf * k1p1 / (tf + norm[d]))) * c
        j += 1
        if n >= k and j < m and rest[0] - rest[j] > rest[j]:  # a break is possible: find theta
            theta = _kth_of(acc, touched, n, k, theta)
    nc = n
    if j < m:  # candidates (kept at the front of touched): seen documents that can still reach theta
        nc = _prune(acc, touched, n, rest[j], theta, live)
    while j < m:  # the remaining (non-essential) terms, for the candidates only
        t = terms[j]
        w = weights[j]
        c = counts[j]
        lo = indptr[t]
        hi = indptr[t + 1]
        if nc * 24 < hi - lo:
            for i in range(nc):
                d = touched[i]
                a = lo
                b = hi
                while a < b:
                    mid = (a + b) >> 1
                    if docs[mid] < d:
                        a = mid + 1
                    else:
                        b = mid
                if a < hi and docs[a] == d:
                    tf = float(tfs[a])
                    acc[d] += (w * (tf * k1p1 / (tf + norm[d]))) * c
        else:
            for p in range(lo, hi):
                d = docs[p]
                if live[d]:
                    tf = float(tfs[p])
                    acc[d] += (w * (tf * k1p1 / (tf + norm[d]))) * c
        j += 1
        if nc > k:  # drop candidates that can no longer reach the k-th best
            theta = _kth_of(acc, touched, nc, k, theta)
            nc = _prune(acc, touched, nc, rest[j], theta, live)
    found = _select(acc, touched, nc, k)
    for i in range(nc):  # leave the workspaces as found
        d = touched[i]
        acc[d] = 0.0
        live[d] = 0
    return found


@_jit
def _prune(acc: Any, ids: Any, n: int, rest: float, theta: float, live: Any) -> int:
    """Keep at the front of ``ids[:n]`` the documents whose score plus ``rest`` can reach ``theta``
    (marked in ``live``); clear the others from ``acc`` and ``live``. Returns how many are kept."""
    keep = 0
    for i in range(n):
        d = ids[i]
        if (acc[d] + rest) * SLACK >= theta:
            ids[keep] = d
            keep += 1
            live[d] = 1
        else:
            acc[d] = 0.0
            live[d] = 0
    return keep


@_jit
def _push(heap: Any, size: int, v: float) -> int:
    """Offer ``v`` to the min-heap ``heap`` (capacity ``len(heap)``) holding ``size`` values."""
    k = heap.shape[0]
    if size < k:  # sift up
        c = size
        while c > 0 and heap[(c - 1) >> 1] > v:
            heap[c] = heap[(c - 1) >> 1]
            c = (c - 1) >> 1
        heap[c] = v
        return size + 1
    if v > heap[0]:  # replace the root, sift down
        c = 0
        while True:
            left = 2 * c + 1
            if left >= k:
                break
            right = left + 1
            small = right if right < k and heap[right] < heap[left] else left
            if heap[small] >= v:
                break
            heap[c] = heap[small]
            c = small
        heap[c] = v
    return size


@_jit
def _kth_of(acc: Any, ids: Any, n: int, k: int, floor: float) -> float:
    """The ``k``-th largest of ``acc[ids[:n]]`` (``n >= k``), known to be at least ``floor``:
    one pass keeping the best ``k`` in a min-heap (cheaper than a partition for small ``k``)."""
    heap = np.empty(k)
    size = 0
    for i in range(n):
        v = acc[ids[i]]
        if v >= floor and (size < k or v > heap[0]):
            size = _push(heap, size, v)
    return float(heap[0]) if size == k else floor


@_jit
def _select(acc: Any, ids: Any, n: int, k: int) -> tuple[Any, Any]:
    """The best ``k`` of ``ids[:n]`` by ``acc``, ties by lower doc id, best first."""
    theta = _kth_of(acc, ids, n, k, -np.inf) if n > k else -np.inf
    m = 0
    for i in range(n):
        m += acc[ids[i]] >= theta
    cand = np.empty(m, dtype=np.int64)
    score = np.empty(m)
    m = 0
    for i in range(n):
        d = ids[i]
        if acc[d] >= theta:
            cand[m] = d
            score[m] = acc[d]
            m += 1
    first = np.argsort(cand)  # by doc id, then stably by score: ties keep the lower doc first
    cand = cand[first]
    score = score[first]
    order = np.argsort(-score, kind="mergesort")[:k]
    return cand[order], score[order]


@_jit
def _add_all(indptr: Any, docs: Any, tfs: Any, norm: Any, k1p1: float, t: int, w: float, c: float, acc: Any) -> None:
    """Add term ``t`` to every document holding it."""
    for p in range(indptr[t], indptr[t + 1]):
        d = docs[p]
        tf = float(tfs[p])
        acc[d] += (w * (tf * k1p1 / (tf + norm[d]))) * c


@_jit
def _top_dense(acc: Any, k: int) -> tuple[Any, Any]:
    """The best ``k`` positive scores of ``acc`` (ties: lower doc first), zeroing ``acc`` on the way.
    One sequential pass with a min-heap of (score, doc); a later doc never displaces an equal score."""
    hs = np.empty(k)
    hd = np.empty(k, dtype=np.int64)
    size = 0
    low = 0.0  # the heap's worst score once full; a document must beat it strictly
    for d in range(acc.shape[0]):
        v = acc[d]
        if v > low:
            acc[d] = 0.0
            if size < k:  # sift up: worse = lower score, or equal score and higher doc
                c = size
                size += 1
                while c > 0:
                    up = (c - 1) >> 1
                    if hs[up] < v or (hs[up] == v and hd[up] > d):
                        break
                    hs[c], hd[c] = hs[up], hd[up]
                    c = up
                hs[c], hd[c] = v, d
            else:  # replace the root, sift down
                c = 0
                while True:
                    left = 2 * c + 1
                    if left >= k:
                        break
                    r = left + 1
                    s = r if r < k and (hs[r] < hs[left] or (hs[r] == hs[left] and hd[r] > hd[left])) else left
                    if hs[s] > v or (hs[s] == v and hd[s] < d):
                        break
                    hs[c], hd[c] = hs[s], hd[s]
                    c = s
                hs[c], hd[c] = v, d
            if size == k:
                low = hs[0]
        elif v != 0.0:
            acc[d] = 0.0
    first = np.argsort(hd[:size])  # by doc id, then stably by score (best first)
    ids, vals = hd[:size][first], hs[:size][first]
    order = np.argsort(-vals, kind="mergesort")
    return ids[order], vals[order]


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
