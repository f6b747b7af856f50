"""The fast BM25 engine's loops, compiled with numba when it is installed: exact top-k with
MaxScore pruning (``search_pruned``), its heaps, and the build's counting sort (``csr_scatter``).

With numba (the optional ``fast`` extra) every ``@jit`` function is compiled once and cached on
disk; they all live in this one file because numba keys a cached function on its own file, so a
helper edited in another module would leave a stale compiled caller behind. Without numba
``HAVE_NUMBA`` is false, the functions stay plain Python and callers take the numpy paths in
``qa/search/impact.py`` instead. A term adds ``(idf * part) * repeats`` to each document it is in, where
``part``, computed from the posting's tf and the document's norm as the query runs, is
``tf * (k1 + 1) / (tf + norm[d])``; terms are always added in the same order, so every path gives
the same bits. Ranking: higher score first, then lower document id.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numpy as np

from qa.search.codec import BLOCK

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


@jit
def _unpack(words: Any, bitpos: int, n: int, width: Any, out: Any) -> None:
    """``out[:n]``: the ``n`` values of ``width`` bits from bit ``bitpos`` of ``words``."""
    if width == 0:
        out[:n] = 0
        return
    mask = (np.uint64(1) << np.uint64(width)) - np.uint64(1)
    for i in range(n):
        p = bitpos + i * width
        q = p >> 6
        s = np.uint64(p & 63)
        v = (words[q] >> s) | ((words[q + 1] << np.uint64(1)) << (np.uint64(63) - s))
        out[i] = np.int64(v & mask)


@jit
def _ids(ix: Any, t: int, i: int, dbuf: Any) -> Any:
    """Decode the doc ids of block ``i`` of term ``t`` into ``dbuf``; returns the block's size."""
    indptr, bptr, block_last, dbits, woff, words = ix[0], ix[1], ix[2], ix[3], ix[5], ix[6]
    n = min(BLOCK, indptr[t + 1] - (indptr[t] + (i - bptr[t]) * BLOCK))
    _unpack(words, woff[i] * 64, n, np.int64(dbits[i]), dbuf)
    prev = np.int64(block_last[i - 1]) if i > bptr[t] else np.int64(-1)
    for j in range(n):
        prev += dbuf[j] + 1
        dbuf[j] = prev
    return n


@jit
def _tfs(ix: Any, i: int, n: int, at: int, count: int, fbuf: Any) -> None:
    """Decode ``count`` term frequencies of block ``i`` (of ``n`` postings) from the ``at``-th on."""
    dbits, fbits, woff, words = ix[3], ix[4], ix[5], ix[6]
    fb = np.int64(fbits[i])
    _unpack(words, (woff[i] + (n * np.int64(dbits[i]) + 63) // 64) * 64 + at * fb, count, fb, fbuf)


@jit
def _block(ix: Any, t: int, i: int, dbuf: Any, fbuf: Any) -> Any:
    """Decode block ``i`` of term ``t``: doc ids into ``dbuf``, tfs - 1 into ``fbuf``; returns its size."""
    n = _ids(ix, t, i, dbuf)
    _tfs(ix, i, n, 0, n, fbuf)
    return n


@jit
def _find(ix: Any, t: int, d: int) -> Any:
    """The block of term ``t`` that would hold document ``d`` (its first block whose last id is at
    least ``d``), or ``bptr[t + 1]`` if none."""
    bptr, block_last = ix[1], ix[2]
    a = bptr[t]
    e = bptr[t + 1]
    while a < e:
        mid = (a + e) >> 1
        if block_last[mid] < d:
            a = mid + 1
        else:
            e = mid
    return a


@jit
def _tf_in(ix: Any, t: int, a: int, d: int, dbuf: Any, fbuf: Any) -> Any:
    """tf - 1 of document ``d`` in block ``a`` of term ``t``, or -1 if it is not there."""
    nb = _ids(ix, t, a, dbuf)
    for p in range(nb):
        if dbuf[p] >= d:
            if dbuf[p] == d:
                _tfs(ix, a, nb, p, 1, fbuf)
                return fbuf[0]
            return -1
    return -1


@jit
def _dense_tf(ix: Any, r: int, t: int, d: int, dbuf: Any, fbuf: Any) -> Any:
    """tf - 1 of document ``d`` from term ``t``'s dense row ``r`` (-1: absent; 255 means 255 or
    more, read from the blocks)."""
    g = np.int64(ix[8][r, d])
    if g < 255:
        return g - 1
    return _tf_in(ix, t, _find(ix, t, d), d, dbuf, fbuf)


@jit
def _part(nt: Any, d: int, f: Any, k1p1: float) -> float:
    """The tf part ``tf * k1p1 / (tf + norm[d])`` for tf = ``f + 1`` (``nt[d, 1]`` holds it for tf 1:
    the same operations, so the same bits)."""
    if f == 0:
        return float(nt[d, 1])
    tf = np.float64(f + 1)
    return float(tf * k1p1 / (tf + nt[d, 0]))


@jit
def search_pruned(
    ix: Any,
    nt: Any,
    k1p1: float,
    terms: Any,
    weights: Any,
    counts: Any,
    ubs: Any,
    bscale: float,
    allow: Any,
    k: int,
    ws: Any,
) -> tuple[Any, Any]:
    """Exact top ``k`` (doc ids, scores) for the query terms ``terms`` sorted by upper bound ``ubs``
    (descending), over the compact postings ``ix`` (qa/search/codec.py). A posting's score is
    ``(weight * (tf * k1p1 / (tf + norm[d]))) * count``, ``nt[d]`` holding ``norm[d]`` and the
    part for tf 1 (one cache line). ``allow``: a uint8 per document (only
    those with 1 count), or empty for no filter. ``bscale`` scales the stored block maxima (for an
    average document length other than the index's own). ``ws``: workspaces (acc float64 zeros,
    touched int32 of one more than the documents, live uint8 zeros, two int64 buffers of BLOCK),
    left as found.

    Terms are added whole ("essential") while a document seen by none of them so far could still
    reach the top ``k``; ``theta``, a lower bound of the k-th best score, is kept up to date. Once
    ``theta`` beats the sum of the remaining terms' upper bounds, only documents already seen can
    win: the others are dropped, and each remaining term is added for the candidates alone, either
    looked up one by one (its block found by binary search over the blocks' last ids; skipped, and
    the candidate dropped, when the block's maximum cannot lift it to ``theta``: block-max
    pruning) or, when the candidates are many, by decoding the term. A query whose next term would
    bring in most documents is finished by adding every term and one pass over all documents."""
    acc, touched, live, dbuf, fbuf = ws
    indptr, bptr, block_max, drow = ix[0], ix[1], ix[7], ix[9]
    filtered = allow.shape[0] > 0
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
        df = indptr[t + 1] - indptr[t]
        heavy = (n + df) * 2 > acc.shape[0]
        if n >= k and theta > rest[j] * SLACK and not (heavy and n * 24 > df):
            break
        if heavy:  # most documents in play and pruning would not spare many
            for i in range(j, m):
                _add_all(ix, nt, k1p1, terms[i], weights[i], counts[i], allow, acc, dbuf, fbuf)
            return top_dense(acc, k)
        w = weights[j]
        c = counts[j]
        size = 0
        # add-and-push is written out in each loop on purpose: as a jitted helper it measured slower
        # (issue 8's benchmark, at commit 777e3cf)
        for b in range(bptr[t], bptr[t + 1]):
            nb = _block(ix, t, b, dbuf, fbuf)
            for p in range(nb):
                d = dbuf[p]
                if filtered and allow[d] == 0:
                    continue
                touched[n] = d  # branch-free: kept only if d is new
                n += acc[d] == 0.0
                v = acc[d] + (w * _part(nt, d, fbuf[p], k1p1)) * c
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
        first = bptr[t]
        last = bptr[t + 1]
        size = 0
        r = drow[t]
        if r >= 0:  # a dense row: one load per candidate
            for i in range(nc):
                d = touched[i]
                f = _dense_tf(ix, r, t, d, dbuf, fbuf)
                if f >= 0:
                    v = acc[d] + (w * _part(nt, d, f, k1p1)) * c
                    acc[d] = v
                    if size < k or v > heap[0]:
                        size = push_value(heap, size, v)
        elif nc * 24 < indptr[t + 1] - indptr[t]:
            for i in range(nc):
                d = touched[i]
                a = _find(ix, t, d)
                if a == last:
                    continue
                if (acc[d] + (w * (block_max[a] * bscale)) * c + rest[j + 1]) * SLACK < theta:
                    acc[d] = -np.inf  # cannot reach the top k: dropped by the next prune
                    continue
                f = _tf_in(ix, t, a, d, dbuf, fbuf)
                if f >= 0:
                    v = acc[d] + (w * _part(nt, d, f, k1p1)) * c
                    acc[d] = v
                    if size < k or v > heap[0]:
                        size = push_value(heap, size, v)
        else:
            for b in range(first, last):
                nb = _ids(ix, t, b, dbuf)
                for p in range(nb):
                    d = dbuf[p]
                    if live[d]:
                        _tfs(ix, b, nb, p, 1, fbuf)
                        v = acc[d] + (w * _part(nt, d, fbuf[0], k1p1)) * c
                        acc[d] = v
                        if size < k or v > heap[0]:
                            size = push_value(heap, size, v)
        if size == k and heap[0] > theta:
            theta = heap[0]
        j += 1
        nc = prune(acc, touched, nc, rest[j], theta, live)
    return top_of(acc, touched, nc, k, live)


@jit
def _add_all(
    ix: Any, nt: Any, k1p1: float, t: int, w: float, c: float, allow: Any, acc: Any, dbuf: Any, fbuf: Any
) -> None:
    """Add term ``t`` to every (allowed) document holding it."""
    bptr = ix[1]
    filtered = allow.shape[0] > 0
    r = ix[9][t]
    if r >= 0:  # a dense row: one pass, no decoding
        row = ix[8][r]
        if filtered:
            for d in range(row.shape[0]):
                g = row[d]
                if g != 0 and allow[d] != 0:
                    f = np.int64(g) - 1 if g < 255 else _dense_tf(ix, r, t, d, dbuf, fbuf)
                    acc[d] += (w * _part(nt, d, f, k1p1)) * c
            return
        norm = ix[10]  # contiguous, so that this loop vectorises
        for d in range(row.shape[0]):  # branch-free: tf 0 (and 255, added below) adds 0.0, a no-op
            g = row[d]
            tf = np.float64(g) if g != 255 else 0.0
            acc[d] += (w * (tf * k1p1 / (tf + norm[d]))) * c
        for d in range(row.shape[0]):  # tf of 255 or more, read from the blocks
            if row[d] == 255:
                acc[d] += (w * _part(nt, d, _dense_tf(ix, r, t, d, dbuf, fbuf), k1p1)) * c
        return
    for b in range(bptr[t], bptr[t + 1]):
        nb = _block(ix, t, b, dbuf, fbuf)
        for p in range(nb):
            d = dbuf[p]
            if filtered and allow[d] == 0:
                continue
            acc[d] += (w * _part(nt, d, fbuf[p], k1p1)) * c


@jit
def search_many(
    ix: Any,
    nt: Any,
    k1p1: float,
    qptr: Any,
    terms: Any,
    weights: Any,
    counts: Any,
    ubs: Any,
    bscale: float,
    allow: Any,
    k: int,
    ws: Any,
    out_ids: Any,
    out_scores: Any,
    out_n: Any,
) -> None:
    """``search_pruned`` for each query ``q`` (its terms at ``qptr[q]:qptr[q+1]``), into row ``q``
    of ``out_ids``/``out_scores`` (``out_n[q]`` results): one call per thread, without the GIL."""
    for q in range(qptr.shape[0] - 1):
        lo = qptr[q]
        hi = qptr[q + 1]
        if hi == lo:
            out_n[q] = 0
            continue
        ids, vals = search_pruned(
            ix, nt, k1p1, terms[lo:hi], weights[lo:hi], counts[lo:hi], ubs[lo:hi], bscale, allow, k, ws
        )
        out_n[q] = ids.shape[0]
        out_ids[q, : ids.shape[0]] = ids
        out_scores[q, : ids.shape[0]] = vals


@jit
def csr_scatter(term_ids: Any, nxt: Any, doc_ids: Any, counts: Any, docs: Any, laid: Any) -> None:
    """Counting sort: posting ``i`` (``doc_ids[i]``, ``counts[i]``) goes to the next free place
    ``nxt[t]`` of term ``t = term_ids[i]``'s slice of ``docs``/``laid``, which then moves on, so each
    term's documents keep their order. Called once per batch, with the same ``nxt``."""
    for i in range(term_ids.shape[0]):
        t = term_ids[i]
        docs[nxt[t]] = doc_ids[i]
        laid[nxt[t]] = counts[i]
        nxt[t] += 1


@jit
def doc_term_counts(ids: Any, lens: Any, seen: Any, slot: Any, terms: Any, docs: Any, counts: Any) -> int:
    """Each document's distinct terms and how often each occurs, in one pass over the token ids
    (``ids``, documents of ``lens`` tokens one after another): document ``d``'s distinct terms land
    in ``terms``/``counts`` in the order they first occur, with ``docs`` = ``d``. ``seen`` (one
    entry per term, all -1 on entry, and left as the last document to use each term) and ``slot``
    are workspaces. Returns the number of (document, term) pairs written."""
    n = 0
    at = 0
    for d in range(lens.shape[0]):
        for i in range(at, at + lens[d]):
            t = ids[i]
            if seen[t] != d:
                seen[t] = d
                slot[t] = n
                terms[n] = t
                docs[n] = d
                counts[n] = 1
                n += 1
            else:
                counts[slot[t]] += 1
        at += lens[d]
    return n


@jit
def _by_group(column: Any, terms: Any, shift: int, starts: Any, scratch: Any) -> None:
    """``column`` reordered as ``bucket_order`` lays it out (``starts`` already computed)."""
    pos = starts[:-1].copy()
    for i in range(terms.shape[0]):
        g = terms[i] >> shift
        scratch[pos[g]] = column[i]
        pos[g] += 1
    column[:] = scratch[: terms.shape[0]]


@jit
def bucket_order(
    terms: Any, docs: Any, counts: Any, shift: int, starts: Any, scratch: Any, scratch_counts: Any
) -> None:
    """Reorder one batch's postings (stable) so those of terms ``0 .. 2**shift - 1`` come first, then
    those of the next ``2**shift`` terms, and so on; ``starts[g]`` is where group ``g`` begins
    (``starts`` zero on entry, one more entry than there are groups; ``scratch`` and
    ``scratch_counts``: workspaces at least as long as the batch, of the dtypes of ``docs`` and
    ``counts``). Laid out group by group, the counting sort then writes to only a
    few thousand places at a time, which stay in the processor's cache."""
    for i in range(terms.shape[0]):
        starts[(terms[i] >> shift) + 1] += 1
    for g in range(1, starts.shape[0]):
        starts[g] += starts[g - 1]
    _by_group(docs, terms, shift, starts, scratch)
    _by_group(counts, terms, shift, starts, scratch_counts)
    _by_group(terms, terms.copy(), shift, starts, scratch)
