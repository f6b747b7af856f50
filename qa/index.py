"""BM25 over token lists. The only module that imports the BM25 library.

Scores are those of ``rank_bm25.BM25Okapi`` (k1=1.5, b=0.75) except for the idf,
which is the Lucene/BM25+ form ``ln(1 + (N - n + 0.5) / (n + 0.5))``: always positive,
so a term found in most passages still counts a little and never subtracts, instead
of rank-bm25's default of flooring negative idf to ``epsilon * mean idf``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from rank_bm25 import BM25Okapi

K1 = 1.5
B = 0.75
IDF_RULE = "lucene"  # ln(1 + (N - n + 0.5) / (n + 0.5))


def lucene_idf(n_docs: int, doc_freq: int) -> float:
    """The idf used for every term: positive for any document frequency."""
    return math.log(1.0 + (n_docs - doc_freq + 0.5) / (doc_freq + 0.5))


class _LuceneIdfBM25(BM25Okapi):  # type: ignore[misc]
    """rank-bm25's Okapi scorer with the always-positive idf above."""

    def _calc_idf(self, nd: dict[str, int]) -> None:
        self.idf = {word: lucene_idf(self.corpus_size, freq) for word, freq in nd.items()}


class BM25Index:
    """Ranks token lists (passages) against a tokenised query."""

    def __init__(self, corpus: Sequence[Sequence[str]], k1: float = K1, b: float = B) -> None:
        self.k1 = k1
        self.b = b
        self.size = len(corpus)
        self._bm25: _LuceneIdfBM25 | None = None
        self._postings: dict[str, set[int]] = {}
        for i, tokens in enumerate(corpus):
            for term in set(tokens):
                self._postings.setdefault(term, set()).add(i)
        if self.size and any(corpus):
            self._bm25 = _LuceneIdfBM25([list(t) for t in corpus], k1=k1, b=b)

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every term found in at least one passage."""
        return frozenset(self._postings)

    def doc_freq(self, term: str) -> int:
        """Number of passages holding ``term``."""
        return len(self._postings.get(term, ()))

    def idf(self, term: str) -> float:
        """The idf of ``term`` (a term found nowhere gets the highest idf there is)."""
        return lucene_idf(self.size, self.doc_freq(term))

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """BM25 score of every passage for ``query`` (zeros where nothing matches)."""
        if self._bm25 is None:
            return np.zeros(self.size)
        return np.asarray(self._bm25.get_scores(list(query)), dtype=float)

    def matching(self, query: Sequence[str]) -> set[int]:
        """Passages sharing at least one term with ``query``."""
        found: set[int] = set()
        for term in set(query):
            found |= self._postings.get(term, set())
        return found

    def search(
        self, query: Sequence[str], k: int = 5, allowed: set[int] | None = None
    ) -> list[tuple[int, float]]:
        """Top ``k`` (passage number, score), best first; ties by passage order.

        Only passages that share a term with the query are returned, and only those in
        ``allowed`` when it is given (filters apply before ranking, so ``k`` still fills).
        """
        candidates = self.matching(query)
        if allowed is not None:
            candidates &= allowed
        if not candidates or k <= 0:
            return []
        scores = self.scores(query)
        ranked = sorted(candidates, key=lambda i: (-scores[i], i))
        return [(i, float(scores[i])) for i in ranked[:k]]
