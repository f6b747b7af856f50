"""BM25 over token lists. The only module that imports the BM25 library.

Scores are those of ``rank_bm25.BM25Okapi`` (k1=1.5, b=0.75) except for the idf,
which is the Lucene/BM25+ form ``ln(1 + (N - n + 0.5) / (n + 0.5))``: always positive,
so a term found in most passages still counts a little and never subtracts, instead
of rank-bm25's default of flooring negative idf to ``epsilon * mean idf``.

Two engines give those scores. ``fast`` (the default; ``qa/search/impact.py``) keeps postings in
compressed sparse arrays and finds the top k with safe pruning; it can be saved and memory-mapped
back (``save``/``load``). ``rank-bm25`` is the library itself (with the idf above), kept as the
reference the fast engine is tested against and selectable with ``qa ask --engine rank-bm25``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
from rank_bm25 import BM25Okapi

from qa.documents.models import QAError
from qa.search.build import build_impact
from qa.search.impact import IDF_RULE, Allowed, ImpactIndex, lucene_idf, own_avgdl
from qa.search.persist import IndexFormatError, load_index, save_index

K1 = 1.5
B = 0.75
ENGINES = ("fast", "rank-bm25")
DEFAULT_ENGINE = "fast"

__all__ = ["DEFAULT_ENGINE", "ENGINES", "IDF_RULE", "K1", "B", "BM25Index", "IndexFormatError", "lucene_idf"]


class _LuceneIdfBM25(BM25Okapi):  # type: ignore[misc]
    """rank-bm25's Okapi scorer with the always-positive idf above."""

    def _calc_idf(self, nd: dict[str, int]) -> None:
        self.idf = {word: lucene_idf(self.corpus_size, freq) for word, freq in nd.items()}


class _Backend(Protocol):
    size: int
    avgdl: float

    @property
    def vocabulary(self) -> frozenset[str]: ...
    def doc_freq(self, term: str) -> int: ...
    def idf(self, term: str) -> float: ...
    def scores(self, query: Sequence[str]) -> np.ndarray: ...
    def matching(self, query: Sequence[str]) -> set[int]: ...
    def search(self, query: Sequence[str], k: int, allowed: set[int] | None) -> list[tuple[int, float]]: ...


class _RankBM25:
    """The reference engine: rank_bm25.BM25Okapi (Lucene idf) scoring every passage."""

    def __init__(self, corpus: Sequence[Sequence[str]], k1: float, b: float) -> None:
        self.size = len(corpus)
        self.avgdl = own_avgdl(np.array([len(t) for t in corpus], dtype=np.int32))
        self._bm25: _LuceneIdfBM25 | None = None
        self._postings: dict[str, set[int]] = {}
        for i, tokens in enumerate(corpus):
            for term in set(tokens):
                self._postings.setdefault(term, set()).add(i)
        if self.size and any(corpus):
            self._bm25 = _LuceneIdfBM25([list(t) for t in corpus], k1=k1, b=b)
        self._vocabulary = frozenset(self._postings)  # asked several times per question

    @property
    def vocabulary(self) -> frozenset[str]:
        return self._vocabulary

    def doc_freq(self, term: str) -> int:
        return len(self._postings.get(term, ()))

    def idf(self, term: str) -> float:
        return lucene_idf(self.size, self.doc_freq(term))

    def scores(self, query: Sequence[str]) -> np.ndarray:
        if self._bm25 is None:
            return np.zeros(self.size)
        return np.asarray(self._bm25.get_scores(list(query)), dtype=float)

    def matching(self, query: Sequence[str]) -> set[int]:
        found: set[int] = set()
        for term in set(query):
            found |= self._postings.get(term, set())
        return found

    def search(self, query: Sequence[str], k: int, allowed: set[int] | None) -> list[tuple[int, float]]:
        candidates = self.matching(query)
        if allowed is not None:
            candidates &= allowed
        if not candidates or k <= 0:
            return []
        scores = self.scores(query)
        ranked = sorted(candidates, key=lambda i: (-scores[i], i))
        return [(i, float(scores[i])) for i in ranked[:k]]


class BM25Index:
    """Ranks token lists (passages) against a tokenised query."""

    def __init__(
        self,
        corpus: Sequence[Sequence[str]],
        k1: float = K1,
        b: float = B,
        engine: str = DEFAULT_ENGINE,
        workers: int | None = None,
    ) -> None:
        """``workers``: processes that read a large corpus when building the fast engine (None:
        one a core)."""
        if engine not in ENGINES:
            raise QAError(f"unknown BM25 engine {engine!r}: choose one of {', '.join(ENGINES)}")
        self.k1 = k1
        self.b = b
        self.engine = engine
        self._impl: _Backend
        if engine == "fast":
            self._impl, _ = build_impact(corpus, k1, b, total=len(corpus), workers=workers)
        else:
            self._impl = _RankBM25(corpus, k1, b)
        self.size = self._impl.size

    @classmethod
    def load(cls, path: Path | str) -> BM25Index:
        """A fast-engine index saved with ``save``, its arrays memory-mapped (``IndexFormatError``
        if ``path`` holds no readable index)."""
        impl = load_index(path)
        index = cls.__new__(cls)
        index.k1, index.b, index.engine = impl.k1, impl.b, "fast"
        index._impl = impl
        index.size = impl.size
        return index

    def save(self, path: Path | str) -> None:
        """Write the index to the directory ``path`` (atomically; fast engine only)."""
        if not isinstance(self._impl, ImpactIndex):
            raise QAError("only the fast engine's index can be saved")
        save_index(self._impl, path)

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every term found in at least one passage."""
        return self._impl.vocabulary

    def doc_freq(self, term: str) -> int:
        """Number of passages holding ``term``."""
        return self._impl.doc_freq(term)

    def idf(self, term: str) -> float:
        """The idf of ``term`` (a term found nowhere gets the highest idf there is)."""
        return self._impl.idf(term)

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """BM25 score of every passage for ``query`` (zeros where nothing matches)."""
        return self._impl.scores(query)

    def matching(self, query: Sequence[str]) -> set[int]:
        """Passages sharing at least one term with ``query``."""
        return self._impl.matching(query)

    def search(
        self,
        query: Sequence[str],
        k: int = 5,
        allowed: Allowed = None,
        avgdl: float | None = None,
        idf: Mapping[str, float] | None = None,
    ) -> list[tuple[int, float]]:
        """Top ``k`` (passage number, score), best first; ties by passage order.

        Only passages that share a term with the query are returned, and only those in
        ``allowed`` (a set of passage numbers, or a bool/uint8 mask with one entry per passage)
        when it is given (filters apply before ranking, so ``k`` still fills).

        Global statistics (fast engine): ``avgdl`` replaces the index's average passage length and
        ``idf`` (term -> idf, positive) the idf of the terms it names, so an index over part of a
        corpus (a shard) gives the scores of an index over the whole corpus when given the whole
        corpus's average length and idfs (``lucene_idf(N, df)``)."""
        if isinstance(self._impl, ImpactIndex):
            return self._impl.search(query, k, allowed, avgdl, idf)
        if avgdl is not None or idf is not None:
            raise QAError("global statistics (avgdl, idf) need the fast engine")
        if isinstance(allowed, np.ndarray):
            allowed = set(np.flatnonzero(allowed).tolist())
        return self._impl.search(query, k, allowed)

    def search_batch(
        self,
        queries: Sequence[Sequence[str]],
        k: int = 5,
        allowed: Allowed = None,
        avgdl: float | None = None,
        idf: Mapping[str, float] | None = None,
    ) -> list[list[tuple[int, float]]]:
        """``search`` of each query, in order, using every core (fast engine; the same results)."""
        if isinstance(self._impl, ImpactIndex):
            return self._impl.search_batch(queries, k, allowed, avgdl, idf)
        return [self.search(q, k, allowed, avgdl, idf) for q in queries]

    @property
    def avgdl(self) -> float:
        """The average passage length (in tokens) this index scores with by default."""
        if isinstance(self._impl, ImpactIndex):
            return self._impl.avgdl
        return self._impl.avgdl
