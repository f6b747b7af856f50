"""``pack`` of qa/search/codec.py with numba's compiled loops, for large builds (imports numba).

Its jitted functions call only each other, so numba's on-disk cache (keyed per file) stays valid.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from qa.search.codec import BLOCK, I64, Packed, block_starts, dense_rows, round_up_f32
from qa.search.kernel import jit


@jit
def _put(words: Any, pos: int, width: int, value: int) -> None:
    if width == 0:
        return
    q = pos >> 6
    s = pos & 63
    v = np.uint64(value)
    words[q] |= v << np.uint64(s)
    if s + width > 64:
        words[q + 1] |= v >> np.uint64(64 - s)


@jit
def pack_jit(
    indptr: Any,
    docs: Any,
    tfs: Any,
    norm: Any,
    k1: float,
    bptr: Any,
    woff: Any,
    dbits: Any,
    fbits: Any,
    block_last: Any,
    block_max: Any,
    words: Any,
    sizing: bool,
) -> None:
    """``pack``, compiled: with ``sizing`` it fills ``dbits``, ``fbits`` and the block sizes in
    ``woff[1:]`` (words); without, it writes ``words``, ``block_last`` and ``block_max``."""
    for t in range(indptr.shape[0] - 1):
        prev = -1
        for i in range(bptr[t], bptr[t + 1]):
            lo = indptr[t] + (i - bptr[t]) * BLOCK
            hi = min(lo + BLOCK, indptr[t + 1])
            if sizing:
                gmax = 0
                fmax = 0
                for p in range(lo, hi):
                    gmax = max(gmax, docs[p] - prev - 1)
                    fmax = max(fmax, tfs[p] - 1)
                    prev = docs[p]
                db = 0
                while (1 << db) <= gmax:
                    db += 1
                fb = 0
                while (1 << fb) <= fmax:
                    fb += 1
                dbits[i] = db
                fbits[i] = fb
                woff[i + 1] = ((hi - lo) * db + 63) // 64 + ((hi - lo) * fb + 63) // 64
                continue
            db = int(dbits[i])
            fb = int(fbits[i])
            base = woff[i] * 64
            fbase = (woff[i] + ((hi - lo) * db + 63) // 64) * 64
            best = 0.0
            for p in range(lo, hi):
                _put(words, base + (p - lo) * db, db, docs[p] - prev - 1)
                _put(words, fbase + (p - lo) * fb, fb, tfs[p] - 1)
                prev = docs[p]
                tf = np.float64(tfs[p])
                best = max(best, tf * (k1 + 1) / (tf + norm[docs[p]]))
            block_last[i] = prev
            block_max[i] = best


def pack_compiled(
    indptr: I64, docs: npt.NDArray[Any], tfs: npt.NDArray[Any], norm: npt.NDArray[np.float64], k1: float
) -> Packed:
    """``pack`` with the compiled loops (two passes: widths and sizes, then the words)."""
    bptr, start, _ = block_starts(indptr)
    n_blocks = start.shape[0]
    del start
    dbits = np.zeros(n_blocks, dtype=np.uint8)
    fbits = np.zeros(n_blocks, dtype=np.uint8)
    woff = np.zeros(n_blocks + 1, dtype=np.int64)
    block_last = np.zeros(n_blocks, dtype=np.int32)
    best = np.zeros(n_blocks, dtype=np.float64)
    words = np.zeros(1, dtype=np.uint64)
    pack_jit(indptr, docs, tfs, norm, k1, bptr, woff, dbits, fbits, block_last, best, words, True)
    np.cumsum(woff, out=woff)
    words = np.zeros(int(woff[-1]) + 2, dtype=np.uint64)
    pack_jit(indptr, docs, tfs, norm, k1, bptr, woff, dbits, fbits, block_last, best, words, False)
    dense = dense_rows(indptr, docs, tfs, norm.shape[0])
    return Packed(bptr, block_last, dbits, fbits, woff, words, round_up_f32(best), *dense)
