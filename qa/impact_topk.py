"""Top-k selection for the fast BM25 engine, and the numba switch its kernels share.

With numba installed (the optional ``fast`` extra) every ``@jit`` function here and in
``qa/impact_kernel.py`` is compiled once and cached on disk; without it ``HAVE_NUMBA`` is false,
the functions stay plain Python and callers take the pure-numpy paths (``top_k``) instead.
Ranking order everywhere: higher score first, then lower document id.
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


def jit(func: F) -> F:
    """``numba.njit(cache=True, nogil=True)`` when numba is there, else ``func`` unchanged."""
    if HAVE_NUMBA:
        return cast(F, _njit(cache=True, nogil=True)(func))
    return func


@jit
def push_value(heap: Any, size: int, v: float) -> int:
    """Offer ``v`` to the min-heap ``heap`` (capacity ``len(heap)``) holding ``size`` values;
    returns the new size. The root is then the k-th largest value offered."""
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


@jit
def _worse(s1: float, d1: int, s2: float, d2: int) -> bool:
    return s1 < s2 or (s1 == s2 and d1 > d2)


@jit
def push_pair(hs: Any, hd: Any, size: int, v: float, d: int) -> int:
    """Offer (score ``v``, doc ``d``) to the heap (``hs``, ``hd``) whose root is its worst entry."""
    k = hs.shape[0]
    if size < k:
        c = size
        while c > 0:
            up = (c - 1) >> 1
            if _worse(hs[up], hd[up], v, d):
                break
            hs[c], hd[c] = hs[up], hd[up]
            c = up
        hs[c], hd[c] = v, d
        return size + 1
    if _worse(hs[0], hd[0], v, d):
        c = 0
        while True:
            left = 2 * c + 1
            if left >= k:
                break
            right = left + 1
            w = right if right < k and _worse(hs[right], hd[right], hs[left], hd[left]) else left
            if _worse(hs[w], hd[w], v, d):
                hs[c], hd[c] = hs[w], hd[w]
                c = w
            else:
                break
        hs[c], hd[c] = v, d
    return size


@jit
def _ranked(hs: Any, hd: Any, size: int) -> tuple[Any, Any]:
    first = np.argsort(hd[:size])  # by doc id, then stably by score: ties keep the lower doc first
    ids, vals = hd[:size][first], hs[:size][first]
    order = np.argsort(-vals, kind="mergesort")
    return ids[order], vals[order]


@jit
def top_of(acc: Any, ids: Any, n: int, k: int, live: Any) -> tuple[Any, Any]:
    """The best ``k`` of ``ids[:n]`` by ``acc``, best first, clearing ``acc`` and ``live`` for them
    as it goes (one pass)."""
    hs = np.empty(k)
    hd = np.empty(k, dtype=np.int64)
    size = 0
    for i in range(n):
        d = ids[i]
        v = acc[d]
        acc[d] = 0.0
        live[d] = 0
        if v > 0.0 and (size < k or v >= hs[0]):
            size = push_pair(hs, hd, size, v, d)
    return _ranked(hs, hd, size)


@jit
def top_dense(acc: Any, k: int) -> tuple[Any, Any]:
    """The best ``k`` positive scores of the whole of ``acc``, best first, zeroing ``acc`` (one pass)."""
    hs = np.empty(k)
    hd = np.empty(k, dtype=np.int64)
    size = 0
    low = 0.0  # what a document must beat: 0 until the heap is full, then its worst score
    for d in range(acc.shape[0]):
        v = acc[d]
        acc[d] = 0.0  # unconditional: a sequential store is cheaper than a branch
        if v > low:  # ascending ids: an equal score never displaces an earlier doc
            size = push_pair(hs, hd, size, v, d)
            if size == k:
                low = hs[0]
    return _ranked(hs, hd, size)


@jit
def prune(acc: Any, ids: Any, n: int, rest: float, theta: float, live: Any) -> int:
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


def top_k(scores: npt.NDArray[np.float64], k: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """numpy: the best ``k`` documents with a positive score, best first."""
    cand = np.flatnonzero(scores > 0.0)
    vals = scores[cand]
    if cand.shape[0] > k:
        theta = np.partition(vals, cand.shape[0] - k)[cand.shape[0] - k]
        keep = vals >= theta
        cand, vals = cand[keep], vals[keep]
    order = np.lexsort((cand, -vals))[:k]
    return cand[order], vals[order]
