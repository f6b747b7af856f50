"""The fast BM25 engine: postings in compressed sparse (CSR) form, exact scores, pruned top-k.

Each term owns a slice ``indptr[t]:indptr[t+1]`` of two parallel arrays: the ids (int32, ascending)
of the documents holding it, and its BM25 tf part there, ``tf * (k1 + 1) / (tf + norm[d])`` with
``norm[d] = k1 * (1 - b + b * len(d) / avgdl)``, computed once at build in float64 with rank-bm25's
own operations. A query adds ``idf(t) * part`` for each of its terms (a repeated term once per
repeat, as in rank-bm25), so the scores are exhaustive BM25's, not an approximation.

Top-k is safe MaxScore pruning, term at a time (``qa/impact_kernel.py``): each term's upper bound
(its idf times its largest part, stored per term) orders the query's terms, best first; once the
k-th best partial score exceeds what the remaining terms could add to an unseen document, those
terms are only looked up, by binary search, for the documents still able to reach the top k.
Without numba the same scores come from a dense numpy pass and a partial selection.
"""

from __future__ import annotations

import importlib.util
import math
import threading
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

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


def length_norm(doc_len: npt.NDArray[np.int32], k1: float, b: float) -> npt.NDArray[np.float64]:
    """``k1 * (1 - b + b * len / avgdl)`` per document, computed as rank-bm25 computes it."""
    lengths = doc_len.astype(np.float64)
    total = float(lengths.sum())
    avgdl = total / lengths.shape[0] if total > 0 else 1.0
    norm: npt.NDArray[np.float64] = k1 * (1 - b + b * lengths / avgdl)
    return norm


def tf_parts(
    counts: npt.NDArray[Any], doc_ids: npt.NDArray[np.int32], norm: npt.NDArray[np.float64], k1: float
) -> npt.NDArray[np.float64]:
    """Per posting, ``tf * (k1 + 1) / (tf + norm[d])``: the BM25 tf part, in float64, with
    rank-bm25's operations (a few million postings at a time, to bound the temporaries)."""
    out = np.empty(counts.shape[0])
    step = 1 << 22
    for lo in range(0, counts.shape[0], step):
        tf = counts[lo : lo + step].astype(np.float64)
        out[lo : lo + step] = tf * (k1 + 1) / (tf + norm[doc_ids[lo : lo + step]])
    return out


def max_parts_of(indptr: npt.NDArray[np.int64], parts: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Per term, its largest tf part (0 for a term without postings): with the idf, its upper bound."""
    out = np.zeros(indptr.shape[0] - 1)
    held = np.flatnonzero(np.diff(indptr) > 0)
    if held.shape[0]:
        out[held] = np.maximum.reduceat(parts, indptr[held])
    return out


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


class ImpactIndex:
    """Exact BM25 over CSR postings; see the module docstring."""

    def __init__(
        self,
        terms: Sequence[str],
        indptr: npt.NDArray[np.int64],
        docs: npt.NDArray[np.int32],
        parts: npt.NDArray[np.float64],
        doc_len: npt.NDArray[np.int32],
        k1: float,
        b: float,
        max_parts: npt.NDArray[np.float64] | None = None,
        use_numba: bool | None = None,
    ) -> None:
        self.terms = list(terms)
        self.ids = {t: i for i, t in enumerate(self.terms)}
        # np.asarray: memory-mapped arrays (qa/impact_store.py) become plain views, as numba wants
        self.indptr, self.docs = np.asarray(indptr), np.asarray(docs)
        self.parts, self.doc_len = np.asarray(parts), np.asarray(doc_len)
        self.k1, self.b = k1, b
        self.size = int(doc_len.shape[0])
        df = np.diff(self.indptr).astype(np.float64)
        self.idfs = np.log(1.0 + (self.size - df + 0.5) / (df + 0.5))
        self.max_parts = max_parts_of(self.indptr, self.parts) if max_parts is None else np.asarray(max_parts)
        self.use_numba = want_numba(use_numba, self.size)
        self._local = threading.local()
        self._vocabulary: frozenset[str] | None = None

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every term found in at least one document."""
        if self._vocabulary is None:
            self._vocabulary = frozenset(self.terms)
        return self._vocabulary

    def doc_freq(self, term: str) -> int:
        """Number of documents holding ``term``."""
        t = self.ids.get(term)
        return 0 if t is None else int(self.indptr[t + 1] - self.indptr[t])

    def idf(self, term: str) -> float:
        """The idf of ``term`` (a term found nowhere gets the highest idf there is)."""
        t = self.ids.get(term)
        return lucene_idf(self.size, 0) if t is None else float(self.idfs[t])

    def _query(self, query: Sequence[str]) -> tuple[npt.NDArray[np.int64], F64, F64, F64]:
        """Known query terms with their idf, repeat count and upper bound, best bound first."""
        counts = Counter(self.ids[q] for q in query if q in self.ids)
        terms = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        reps = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        weights = self.idfs[terms]
        ubs = (weights * self.max_parts[terms]) * reps
        order = np.lexsort((terms, -ubs))
        return terms[order], weights[order], reps[order], ubs[order]

    def scores(self, query: Sequence[str]) -> npt.NDArray[np.float64]:
        """BM25 score of every document for ``query`` (zeros where nothing matches)."""
        terms, weights, reps, _ = self._query(query)
        return dense_scores(self.indptr, self.docs, self.parts, self.size, terms, weights, reps)

    def matching(self, query: Sequence[str]) -> set[int]:
        """Documents sharing at least one term with ``query``."""
        found: set[int] = set()
        for t in {self.ids[q] for q in query if q in self.ids}:
            found.update(self.docs[self.indptr[t] : self.indptr[t + 1]].tolist())
        return found

    def top(self, query: Sequence[str], k: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """The best ``k`` (doc ids, scores) among documents sharing a term; ties by lower id."""
        terms, weights, reps, ubs = self._query(query)
        if k <= 0 or terms.shape[0] == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        if not self.use_numba:
            return top_k(self.scores(query), k)
        from qa.impact_kernel import search_pruned  # imports numba: only for corpora that need it

        if getattr(self._local, "acc", None) is None:  # per-thread workspaces, zero between queries
            self._local.acc = np.zeros(self.size)
            self._local.touched = np.zeros(self.size + 1, dtype=np.int32)  # +1: branch-free append
            self._local.live = np.zeros(self.size, dtype=np.uint8)
        found: tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]] = search_pruned(
            self.indptr,
            self.docs,
            self.parts,
            terms,
            weights,
            reps,
            ubs,
            k,
            self._local.acc,
            self._local.touched,
            self._local.live,
        )
        return found

    def search(
        self, query: Sequence[str], k: int = 5, allowed: set[int] | None = None
    ) -> list[tuple[int, float]]:
        """Top ``k`` (document number, score), best first; ties by document order.

        Only documents that share a term with the query are returned, and only those in
        ``allowed`` when it is given (filters apply before ranking, so ``k`` still fills)."""
        if allowed is None:
            ids, vals = self.top(query, k)
            return list(zip(ids.tolist(), vals.tolist(), strict=True))
        if k <= 0 or not allowed:
            return []
        scores = self.scores(query)
        mask = np.zeros(self.size, dtype=bool)
        mask[np.fromiter((i for i in allowed if 0 <= i < self.size), dtype=np.int64)] = True
        ids, vals = top_k(np.where(mask, scores, 0.0), k)
        return list(zip(ids.tolist(), vals.tolist(), strict=True))
