"""The fast engine's compact postings: blocks of 128, delta-coded document ids and term
frequencies bit-packed at a width chosen per block, and each block's largest BM25 tf part.

A term's postings (document ids ascending, with their term frequencies) are cut into blocks of
``BLOCK`` postings; term ``t`` owns blocks ``bptr[t]:bptr[t+1]``. Block ``i`` stores, in the
``uint64`` array ``words`` from word ``woff[i]``: first its ``n`` id gaps minus one (``doc -
previous doc - 1``, the previous doc of a term's first posting being -1), each ``dbits[i]`` bits
wide, then, from the next word, its ``n`` term frequencies minus one, each ``fbits[i]`` bits
wide (a width is the bit length of the block's largest value: 0 for a block of consecutive
documents, or of tf 1 everywhere, which then takes no words at all). ``block_last[i]`` is the
block's last document id (where the next block's gaps start, and what a lookup searches),
``block_max[i]`` its largest tf part ``tf * (k1 + 1) / (tf + norm[d])``, as float32 rounded up.
The most frequent terms (in a quarter of the documents or more) also get a dense row of one uint8
tf per document (``dense``, ``dense_terms``): a lookup there is one load, and adding such a term
to every document a pass without decoding.
Two zero words end ``words`` so a reader may always load two words. Nothing about the scores is
stored: they are computed from tf and the document length when a query runs.

``pack`` lays the blocks out with numpy (``qa/search/pack.py``: the same, compiled, for large builds);
``unpack_term`` reads one term's (doc ids, tfs) back with numpy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

I64 = npt.NDArray[np.int64]
BLOCK = 128  # postings per block


@dataclass(frozen=True)
class Packed:
    """The compact postings (see the module docstring)."""

    bptr: I64
    block_last: npt.NDArray[np.int32]
    dbits: npt.NDArray[np.uint8]
    fbits: npt.NDArray[np.uint8]
    woff: I64
    words: npt.NDArray[np.uint64]
    block_max: npt.NDArray[np.float32]
    dense_terms: I64
    dense: npt.NDArray[np.uint8]


DENSE_SHARE = 4  # a term in at least 1/DENSE_SHARE of the documents also gets a dense row


def dense_rows(
    indptr: I64, docs: npt.NDArray[Any], tfs: npt.NDArray[Any], n_docs: int
) -> tuple[I64, npt.NDArray[np.uint8]]:
    """The terms found in at least 1/DENSE_SHARE of the documents, and for each a row of one
    uint8 per document: its tf there (255 for 255 or more: then read the blocks), 0 where absent."""
    df = np.diff(indptr)
    terms = np.flatnonzero(df * DENSE_SHARE >= max(n_docs, 1)).astype(np.int64)
    rows = np.zeros((terms.shape[0], n_docs), dtype=np.uint8)
    for r, t in enumerate(terms.tolist()):
        lo, hi = int(indptr[t]), int(indptr[t + 1])
        rows[r, docs[lo:hi]] = np.minimum(tfs[lo:hi], 255)
    return terms, rows


def block_starts(indptr: I64) -> tuple[I64, I64, I64]:
    """``bptr`` (blocks per term, cumulated), and each block's first posting and length."""
    df = np.diff(indptr)
    per_term = (df + BLOCK - 1) // BLOCK
    bptr = np.zeros(indptr.shape[0], dtype=np.int64)
    np.cumsum(per_term, out=bptr[1:])
    term = np.repeat(np.arange(df.shape[0], dtype=np.int64), per_term)
    start = indptr[:-1][term] + (np.arange(bptr[-1], dtype=np.int64) - bptr[:-1][term]) * BLOCK
    size = np.minimum(start + BLOCK, indptr[1:][term]) - start
    return bptr, start, size


def bit_length(values: npt.NDArray[Any]) -> npt.NDArray[np.uint8]:
    """Bits needed for each (non-negative, below 2**32) value: 0 for 0."""
    return np.frexp(values.astype(np.float64))[1].astype(np.uint8)


def round_up_f32(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float32]:
    """float32 values no smaller than ``values``."""
    out = values.astype(np.float32)
    low = out.astype(np.float64) < values
    out[low] = np.nextafter(out[low], np.float32(np.inf))
    return out


def pack(
    indptr: I64, docs: npt.NDArray[Any], tfs: npt.NDArray[Any], norm: npt.NDArray[np.float64], k1: float
) -> Packed:
    """Compact postings of CSR postings (``docs``/``tfs`` per term, ids ascending), in numpy."""
    bptr, start, size = block_starts(indptr)
    n_blocks = start.shape[0]
    gaps = docs.astype(np.int64) - np.concatenate(([-1], docs[:-1].astype(np.int64)))
    heads = indptr[:-1][np.diff(indptr) > 0]
    gaps[heads] = docs[heads].astype(np.int64) + 1
    gaps -= 1
    counts = tfs.astype(np.int64) - 1
    if n_blocks == 0:
        return Packed(
            bptr,
            np.zeros(0, np.int32),
            np.zeros(0, np.uint8),
            np.zeros(0, np.uint8),
            np.zeros(1, np.int64),
            np.zeros(2, np.uint64),
            np.zeros(0, np.float32),
            *dense_rows(indptr, docs, tfs, norm.shape[0]),
        )
    dbits = bit_length(np.maximum.reduceat(gaps, start))
    fbits = bit_length(np.maximum.reduceat(counts, start))
    dwords = (size * dbits + 63) // 64
    fwords = (size * fbits + 63) // 64
    woff = np.zeros(n_blocks + 1, dtype=np.int64)
    np.cumsum(dwords + fwords, out=woff[1:])
    words = np.zeros(int(woff[-1]) + 2, dtype=np.uint64)
    block = np.repeat(np.arange(n_blocks, dtype=np.int64), size)
    at = np.arange(docs.shape[0], dtype=np.int64) - start[block]
    for values, bits, base in ((gaps, dbits, woff[:-1]), (counts, fbits, woff[:-1] + dwords)):
        width = bits[block].astype(np.int64)
        pos = base[block] * 64 + at * width
        q, s = pos >> 6, (pos & 63).astype(np.uint64)
        v = values.astype(np.uint64)
        np.bitwise_or.at(words, q, v << s)
        over = (s.astype(np.int64) + width) > 64
        np.bitwise_or.at(words, q[over] + 1, v[over] >> (np.uint64(64) - s[over]))
    tf = tfs.astype(np.float64)
    parts = tf * (k1 + 1) / (tf + norm[docs])
    block_max = round_up_f32(np.maximum.reduceat(parts, start))
    block_last = docs[start + size - 1].astype(np.int32)
    return Packed(
        bptr, block_last, dbits, fbits, woff, words, block_max, *dense_rows(indptr, docs, tfs, norm.shape[0])
    )


def unpack_values(words: npt.NDArray[np.uint64], bitpos: I64, width: I64) -> I64:
    """The values of ``width`` bits starting at bit ``bitpos`` of ``words``, in numpy."""
    q, s = bitpos >> 6, (bitpos & 63).astype(np.uint64)
    q = np.minimum(q, words.shape[0] - 2)  # only width-0 values (masked to 0) sit past the last word
    v = (words[q] >> s) | ((words[q + 1] << np.uint64(1)) << (np.uint64(63) - s))
    mask = (np.uint64(1) << width.astype(np.uint64)) - np.uint64(1)
    out: I64 = (v & mask).astype(np.int64)
    return out


def unpack_term(p: Packed, indptr: I64, t: int) -> tuple[I64, I64]:
    """Term ``t``'s (document ids, term frequencies), in numpy."""
    lo, hi = int(indptr[t]), int(indptr[t + 1])
    blocks = np.arange(int(p.bptr[t]), int(p.bptr[t + 1]), dtype=np.int64)
    if hi == lo:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    size = np.minimum(BLOCK, hi - lo - (blocks - blocks[0]) * BLOCK)
    block = np.repeat(blocks, size)
    at = np.arange(hi - lo, dtype=np.int64) - (block - blocks[0]) * BLOCK
    dbits = p.dbits[block].astype(np.int64)
    fbits = p.fbits[block].astype(np.int64)
    base = p.woff[block]
    gaps = unpack_values(p.words, base * 64 + at * dbits, dbits) + 1
    fstart = base + (size[block - blocks[0]] * dbits + 63) // 64
    tfs = unpack_values(p.words, fstart * 64 + at * fbits, fbits) + 1
    return np.cumsum(gaps) - 1, tfs
