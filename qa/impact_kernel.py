"""The inner loops of the fast BM25 engine (compiled by numba when it is installed, see
``qa/impact_topk.py``): exact top-k with MaxScore pruning, the build's counting sort, and the
pure-numpy scoring used without numba.

A term adds ``(idf * part) * repeats`` to each document it is in, where ``part``, stored per
posting, is ``tf * (k1 + 1) / (tf + norm[d])`` (float64, computed at build as rank-bm25 computes
it); the terms are always added in the same order, so every path gives the same bits.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from qa.impact_topk import HAVE_NUMBA, SLACK, jit, prune, push_value, top_dense, top_k, top_of

__all__ = ["HAVE_NUMBA", "csr_scatter", "dense_scores", "search_pruned", "top_k"]


@jit
def search_pruned(
    indptr: Any,
    docs: Any,
    parts: Any,
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
    (descending). ``acc`` (float64 zeros), ``touched`` (int32, one more than the documents) and
    ``live`` (uint8 zeros) are workspaces, left as found.

    Terms are added whole ("essential") while a document seen by none of them so far could still
    reach the top ``k``. ``theta``, a lower bound of the k-th best score, is kept up to date from
    the documents each term touches. Once ``theta`` beats the sum of the remaining terms' upper
    bounds, only documents already seen can win: the others are dropped, and each remaining term is
    added for the candidates alone (binary search in its doc-sorted postings when they are few, a
    scan otherwise), dropping those that fall out of reach. A query whose next term would bring in
    most documents is finished by adding every term and one pass over all documents."""
    m = terms.shape[0]
    rest = np.zeros(m + 1)
    for j in range(m - 1, -1, -1):
        rest[j] = rest[j + 1] + ubs[j]
    heap = np.empty(k)
    n = 0
    theta = 0.0
    j = 0
    while j < m:
        t = terms[j]
        heavy = (n + indptr[t + 1] - indptr[t]) * 2 > acc.shape[0]
        if n >= k and theta > rest[j] * SLACK and not (heavy and n * 24 > indptr[t + 1] - indptr[t]):
            break
        if heavy:  # most documents in play and pruning would not spare many
            for i in range(j, m):
                _add_all(indptr, docs, parts, terms[i], weights[i], counts[i], acc)
            return top_dense(acc, k)
        w = weights[j]
        c = counts[j]
        size = 0
        for p in range(indptr[t], indptr[t + 1]):
            d = docs[p]
            touched[n] = d  # branch-free: kept only if d is new
            n += acc[d] == 0.0
            v = acc[d] + (w * parts[p]) * c
            acc[d] = v
            if size < k or v > heap[0]:
                size = push_value(heap, size, v)
        if size == k and heap[0] > theta:
            theta = heap[0]
        j += 1
    nc = n
    if j < m:  # candidates (kept at the front of touched): seen documents that can still reach theta
        nc = prune(acc, touched, n, rest[j], theta, live)
    while j < m:  # the remaining (non-essential) terms, for the candidates only
        t = terms[j]
        w = weights[j]
        c = counts[j]
        lo = indptr[t]
        hi = indptr[t + 1]
        size = 0
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
                    v = acc[d] + (w * parts[a]) * c
                    acc[d] = v
                    if size < k or v > heap[0]:
                        size = push_value(heap, size, v)
        else:
            for p in range(lo, hi):
                d = docs[p]
                if live[d]:
                    v = acc[d] + (w * parts[p]) * c
                    acc[d] = v
                    if size < k or v > heap[0]:
                        size = push_value(heap, size, v)
        if size == k and heap[0] > theta:
            theta = heap[0]
        j += 1
        if nc > k:  # drop candidates that can no longer reach the k-th best
            nc = prune(acc, touched, nc, rest[j], theta, live)
    return top_of(acc, touched, nc, k, live)


@jit
def _add_all(indptr: Any, docs: Any, parts: Any, t: int, w: float, c: float, acc: Any) -> None:
    """Add term ``t`` to every document holding it."""
    for p in range(indptr[t], indptr[t + 1]):
        acc[docs[p]] += (w * parts[p]) * c


@jit
def csr_scatter(term_ids: Any, indptr: Any, doc_ids: Any, counts: Any, docs: Any, laid: Any) -> None:
    """Counting sort: posting ``i`` (``doc_ids[i]``, ``counts[i]``) goes to the next free place of
    term ``term_ids[i]``'s slice of ``docs``/``laid``, so each term's documents keep their order."""
    nxt = indptr[:-1].copy()
    for i in range(term_ids.shape[0]):
        t = term_ids[i]
        docs[nxt[t]] = doc_ids[i]
        laid[nxt[t]] = counts[i]
        nxt[t] += 1


def dense_scores(
    indptr: npt.NDArray[np.int64],
    docs: npt.NDArray[np.int32],
    parts: npt.NDArray[np.float64],
    n_docs: int,
    terms: npt.NDArray[np.int64],
    weights: npt.NDArray[np.float64],
    counts: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    """numpy: every document's score, adding the terms in the given order (as the kernel does)."""
    acc = np.zeros(n_docs)
    for t, w, c in zip(terms.tolist(), weights.tolist(), counts.tolist(), strict=True):
        lo, hi = int(indptr[t]), int(indptr[t + 1])
        acc[docs[lo:hi]] += (w * parts[lo:hi]) * c  # a term's postings hold each doc once
    return acc
