"""The fast BM25 engine: compact postings, exact scores, pruned top-k, filters, batches.

Postings are stored compactly (``qa/search/codec.py``): per term, blocks of 128 bit-packed id
gaps and term frequencies with each block's last id and largest tf part, and for the most
frequent terms a dense row of one uint8 tf per document. A query computes each posting's BM25 tf
part ``tf * (k1 + 1) / (tf + norm[d])``, ``norm[d] = k1 * (1 - b + b * len(d) / avgdl)``, in
float64 with rank-bm25's own operations, and adds ``idf(t) * part`` for each of its terms (a
repeated term once per repeat, as in rank-bm25), so the scores are exhaustive BM25's, not an
approximation. ``avgdl`` and the idfs can be given from outside (a shard scored with the whole
corpus's statistics).

Top-k is safe MaxScore pruning, term at a time, with block maxima (``qa/search/kernel.py``):
each term's upper bound (its idf times its largest part) orders the query's terms, best first;
once the k-th best partial score exceeds what the remaining terms could add to an unseen
document, those terms are only looked up for the documents still able to reach the top k.
Without numba the same scores come from a dense numpy pass and a partial selection.
"""

from __future__ import annotations

import importlib.util
import math
import os
import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import fields
from typing import Any

import numpy as np
import numpy.typing as npt

from qa.search.codec import BLOCK, Packed, unpack_term

F64 = npt.NDArray[np.float64]
NUMBA_FROM = 5_000  # documents: below this numpy is as quick, and numba is not even imported


def numba_installed() -> bool:
    """Whether numba can be imported (without importing it: that alone takes a few tenths of a second)."""
    try:
        return importlib.util.find_spec("numba") is not None
    except (ImportError, ValueError):  # a stub or a None entry in sys.modules
        return False


def want_numba(use_numba: bool | None, n_docs: int) -> bool:
    """``use_numba`` if it is given (and numba is installed); by default, numba from NUMBA_FROM documents."""
    wanted = n_docs >= NUMBA_FROM if use_numba is None else use_numba
    return wanted and numba_installed()


IDF_RULE = "lucene"  # ln(1 + (N - n + 0.5) / (n + 0.5))


def lucene_idf(n_docs: int, doc_freq: int) -> float:
    """The idf used for every term: positive for any document frequency."""
    return math.log(1.0 + (n_docs - doc_freq + 0.5) / (doc_freq + 0.5))


def length_norm(doc_len: npt.NDArray[np.int32], k1: float, b: float, avgdl: float | None = None) -> F64:
    """``k1 * (1 - b + b * len / avgdl)`` per document, computed as rank-bm25 computes it (``avgdl``
    by default the documents' own average length)."""
    lengths = doc_len.astype(np.float64)
    if avgdl is None:
        avgdl = own_avgdl(doc_len)
    norm: F64 = k1 * (1 - b + b * lengths / avgdl)
    return norm


def own_avgdl(doc_len: npt.NDArray[np.int32]) -> float:
    """The average document length as rank-bm25 computes it (1 for a corpus without tokens)."""
    total = float(doc_len.astype(np.float64).sum())
    return total / doc_len.shape[0] if total > 0 else 1.0


def top_k(scores: npt.NDArray[np.float64], k: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """numpy: the best ``k`` documents with a positive score, best first, ties by lower id."""
    cand = np.flatnonzero(scores > 0.0)
    vals = scores[cand]
    if cand.shape[0] > k:
        theta = np.partition(vals, cand.shape[0] - k)[cand.shape[0] - k]
        keep = vals >= theta
        cand, vals = cand[keep], vals[keep]
    order = np.lexsort((cand, -vals))[:k]
    return cand[order], vals[order]


Allowed = set[int] | npt.NDArray[Any] | None  # a set of document numbers, or a mask (bool/uint8 per document)


class ImpactIndex:
    """Exact BM25 over compact postings; see the module docstring."""

    def __init__(
        self,
        terms: Sequence[str],
        indptr: npt.NDArray[np.int64],
        packed: Packed,
        doc_len: npt.NDArray[np.int32],
        k1: float,
        b: float,
        use_numba: bool | None = None,
    ) -> None:
        self.terms = list(terms)
        self.ids = {t: i for i, t in enumerate(self.terms)}
        # np.asarray: memory-mapped arrays (qa/search/persist.py) become plain views, as numba wants
        self.indptr, self.doc_len = np.asarray(indptr), np.asarray(doc_len)
        self.packed = Packed(*(np.asarray(getattr(packed, f.name)) for f in fields(Packed)))
        self.k1, self.b = k1, b
        self.size = int(doc_len.shape[0])
        self.avgdl = own_avgdl(self.doc_len)
        df = np.diff(self.indptr).astype(np.float64)
        self.idfs = np.log(1.0 + (self.size - df + 0.5) / (df + 0.5))
        self.max_parts = np.zeros(len(self.terms))  # per term, its largest stored block maximum
        held = np.flatnonzero(np.diff(self.packed.bptr) > 0)
        if held.shape[0]:
            self.max_parts[held] = np.maximum.reduceat(self.packed.block_max, self.packed.bptr[held])
        self.drow = np.full(len(self.terms), -1, dtype=np.int64)  # each term's dense row, or -1
        self.drow[self.packed.dense_terms] = np.arange(self.packed.dense_terms.shape[0])
        self.use_numba = want_numba(use_numba, self.size)
        self._norms: dict[float, F64] = {}
        self._nts: dict[float, F64] = {}
        self._local = threading.local()
        self._vocabulary: frozenset[str] | None = None

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every term found in at least one document."""
        if self._vocabulary is None:
            self._vocabulary = frozenset(self.terms)
        return self._vocabulary

    @property
    def postings_count(self) -> int:
        """Number of (term, document) postings."""
        return int(self.indptr[-1])

    def doc_freq(self, term: str) -> int:
        """Number of documents holding ``term``."""
        t = self.ids.get(term)
        return 0 if t is None else int(self.indptr[t + 1] - self.indptr[t])

    def idf(self, term: str) -> float:
        """The idf of ``term`` (a term found nowhere gets the highest idf there is)."""
        t = self.ids.get(term)
        return lucene_idf(self.size, 0) if t is None else float(self.idfs[t])

    def postings(self, term: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """The (document ids, term frequencies) of ``term``, decoded."""
        t = self.ids.get(term)
        if t is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return unpack_term(self.packed, self.indptr, t)

    def norm(self, avgdl: float | None = None) -> F64:
        """``k1 * (1 - b + b * len / avgdl)`` per document (kept for the last two ``avgdl``)."""
        key = self.avgdl if avgdl is None else float(avgdl)
        if key not in self._norms:
            if len(self._norms) >= 2:
                self._norms.pop(next(iter(self._norms)))
            self._norms[key] = length_norm(self.doc_len, self.k1, self.b, key)
        return self._norms[key]

    def _nt(self, avgdl: float | None) -> F64:
        """Per document, (norm, the tf part for tf 1), side by side: what the kernel reads."""
        key = self.avgdl if avgdl is None else float(avgdl)
        nt = self._nts.get(key)
        if nt is None:
            norm = self.norm(avgdl)
            nt = np.ascontiguousarray(np.stack([norm, (self.k1 + 1) / (1.0 + norm)], axis=1))
            self._nts = {key: nt}  # the last one only: 16 bytes a document
        return nt

    def _query(
        self, query: Sequence[str], avgdl: float | None, idf: Mapping[str, float] | None
    ) -> tuple[npt.NDArray[np.int64], F64, F64, F64]:
        """Known query terms with their idf, repeat count and upper bound, best bound first."""
        counts = Counter(self.ids[q] for q in query if q in self.ids)
        terms = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        reps = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        weights = self.idfs[terms]
        if idf:
            given = [
                (i, float(idf[self.terms[t]])) for i, t in enumerate(terms.tolist()) if self.terms[t] in idf
            ]
            if any(not v > 0.0 for _, v in given):
                raise ValueError("an idf override must be positive")
            for i, v in given:
                weights[i] = v
        # a smaller avgdl lengthens every document's norm... and a larger one can raise a tf part by
        # at most avgdl / own avgdl: the stored block maxima are scaled by that bound
        ubs = (weights * (self.max_parts[terms] * self._scale(avgdl))) * reps
        order = np.lexsort((terms, -ubs))
        return terms[order], weights[order], reps[order], ubs[order]

    def _scale(self, avgdl: float | None) -> float:
        return 1.0 if avgdl is None else max(1.0, float(avgdl) / self.avgdl)

    def scores(
        self, query: Sequence[str], avgdl: float | None = None, idf: Mapping[str, float] | None = None
    ) -> F64:
        """BM25 score of every document for ``query`` (zeros where nothing matches), in numpy."""
        terms, weights, reps, _ = self._query(query, avgdl, idf)
        norm, acc = self.norm(avgdl), np.zeros(self.size)
        for t, w, c in zip(terms.tolist(), weights.tolist(), reps.tolist(), strict=True):
            docs, tfs = unpack_term(self.packed, self.indptr, t)
            tf = tfs.astype(np.float64)
            acc[docs] += (w * (tf * (self.k1 + 1) / (tf + norm[docs]))) * c  # each doc once per term
        return acc

    def matching(self, query: Sequence[str]) -> set[int]:
        """Documents sharing at least one term with ``query``."""
        found: set[int] = set()
        for t in {self.ids[q] for q in query if q in self.ids}:
            found.update(unpack_term(self.packed, self.indptr, t)[0].tolist())
        return found

    def mask(self, allowed: Allowed) -> npt.NDArray[np.uint8]:
        """``allowed`` as one uint8 per document (empty: no filter)."""
        if allowed is None:
            return np.zeros(0, dtype=np.uint8)
        if isinstance(allowed, np.ndarray):
            if allowed.shape != (self.size,):
                raise ValueError(f"a filter mask needs one entry per document ({self.size})")
            return allowed.astype(np.uint8, copy=False)
        mask = np.zeros(self.size, dtype=np.uint8)
        mask[np.fromiter((i for i in allowed if 0 <= i < self.size), dtype=np.int64)] = 1
        return mask

    def _workspaces(self) -> tuple[Any, ...]:
        """This thread's workspaces for the kernel (zero between queries)."""
        if getattr(self._local, "ws", None) is None:
            self._local.ws = (
                np.zeros(self.size),
                np.zeros(self.size + 1, dtype=np.int32),  # +1: branch-free append
                np.zeros(self.size, dtype=np.uint8),
                np.zeros(BLOCK, dtype=np.int64),
                np.zeros(BLOCK, dtype=np.int64),
            )
        ws: tuple[Any, ...] = self._local.ws
        return ws

    def _ix(self, avgdl: float | None = None) -> tuple[Any, ...]:
        """What the kernel reads: the postings, the dense rows and the length norms."""
        p = self.packed
        arrays = (p.bptr, p.block_last, p.dbits, p.fbits, p.woff, p.words, p.block_max, p.dense, self.drow)
        return (self.indptr, *arrays, self.norm(avgdl))

    def top(
        self,
        query: Sequence[str],
        k: int,
        allowed: Allowed = None,
        avgdl: float | None = None,
        idf: Mapping[str, float] | None = None,
    ) -> tuple[npt.NDArray[np.int64], F64]:
        """The best ``k`` (doc ids, scores) among (allowed) documents sharing a term; ties by lower id."""
        terms, weights, reps, ubs = self._query(query, avgdl, idf)
        allow = self.mask(allowed)
        if k <= 0 or terms.shape[0] == 0 or (allowed is not None and not allow.any()):
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        if not self.use_numba:
            scores = self.scores(query, avgdl, idf)
            return top_k(scores if allowed is None else np.where(allow > 0, scores, 0.0), k)
        from qa.search.kernel import search_pruned  # imports numba: only for corpora that need it

        found: tuple[npt.NDArray[np.int64], F64] = search_pruned(
            self._ix(avgdl),
            self._nt(avgdl),
            self.k1 + 1,
            terms,
            weights,
            reps,
            ubs,
            self._scale(avgdl),
            allow,
            k,
            self._workspaces(),
        )
        return found

    def search(
        self,
        query: Sequence[str],
        k: int = 5,
        allowed: Allowed = None,
        avgdl: float | None = None,
        idf: Mapping[str, float] | None = None,
    ) -> list[tuple[int, float]]:
        """Top ``k`` (document number, score), best first; ties by document order.

        Only documents that share a term with the query are returned, and only those in
        ``allowed`` (a set of document numbers, or a mask) when it is given: the filter applies
        inside the pruned search, so ``k`` still fills. ``avgdl`` and ``idf`` (per term) replace
        the index's own statistics: a shard scored with the whole corpus's gives the whole
        corpus's scores (documents shorter or longer, terms rarer or commoner elsewhere)."""
        ids, vals = self.top(query, k, allowed, avgdl, idf)
        return list(zip(ids.tolist(), vals.tolist(), strict=True))

    def search_batch(
        self,
        queries: Sequence[Sequence[str]],
        k: int = 5,
        allowed: Allowed = None,
        avgdl: float | None = None,
        idf: Mapping[str, float] | None = None,
        threads: int | None = None,
    ) -> list[list[tuple[int, float]]]:
        """``search`` of each query, in order, on ``threads`` threads (default: every core). The
        compiled kernel runs without the GIL, one call per slice of the queries, so the results
        are those of one query at a time."""
        if not self.use_numba or k <= 0 or len(queries) < 2:
            return [self.search(q, k, allowed, avgdl, idf) for q in queries]
        from qa.search.kernel import search_many

        prepared = [self._query(q, avgdl, idf) for q in queries]
        allow = self.mask(allowed)
        if allowed is not None and not allow.any():
            return [[] for _ in queries]
        qptr = np.zeros(len(queries) + 1, dtype=np.int64)
        np.cumsum([p[0].shape[0] for p in prepared], out=qptr[1:])
        terms, weights, reps, ubs = (np.concatenate([p[i] for p in prepared]) for i in range(4))
        ids = np.zeros((len(queries), k), dtype=np.int64)
        vals = np.zeros((len(queries), k))
        found = np.zeros(len(queries), dtype=np.int64)
        ix, nt, scale = self._ix(avgdl), self._nt(avgdl), self._scale(avgdl)
        n_threads = max(1, min(threads or os.cpu_count() or 1, len(queries)))
        cuts = np.linspace(0, len(queries), n_threads * 4 + 1).astype(np.int64)  # 4 slices a thread

        def run(lo: int, hi: int) -> None:
            a, z = int(qptr[lo]), int(qptr[hi])
            search_many(
                ix,
                nt,
                self.k1 + 1,
                qptr[lo : hi + 1] - a,
                terms[a:z],
                weights[a:z],
                reps[a:z],
                ubs[a:z],
                scale,
                allow,
                k,
                self._workspaces(),
                ids[lo:hi],
                vals[lo:hi],
                found[lo:hi],
            )

        with ThreadPoolExecutor(n_threads) as pool:
            list(pool.map(run, cuts[:-1].tolist(), cuts[1:].tolist()))
        counts = found.tolist()
        return [
            list(zip(ids[q, : counts[q]].tolist(), vals[q, : counts[q]].tolist(), strict=True))
            for q in range(len(queries))
        ]
