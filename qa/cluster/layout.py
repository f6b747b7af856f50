"""Shards on disk and the corpus-wide statistics, with nothing of Ray (importable without it).

A sharded index is a directory::

    current.json          {"generation": NAME}: the generation that serves (written last)
    NAME/stats.json       the whole corpus's statistics and how its passages are split
    NAME/shard-000/ ...   each shard: the fast engine's saved index (qa/search/persist.py)

A build writes a new generation beside the one serving (each shard atomically, then
``stats.json``), and only then replaces ``current.json`` (temporary file + rename): a build that
dies halfway leaves ``current.json`` naming the last complete generation, which keeps serving.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from qa.documents.models import Chunk, QAError
from qa.search.tokenizer import TOKENIZER_VERSION

STATS_FORMAT = "qa-cluster-stats"
STATS_VERSION = 1


def split_bounds(doc_ids: Sequence[str], shards: int) -> list[tuple[int, int]]:
    """Split passages (in document order, ``doc_ids[i]`` the document of passage ``i``) into at
    most ``shards`` contiguous ranges ``[lo, hi)`` of about equal size, never splitting a document."""
    if shards < 1:
        raise QAError(f"--shards must be 1 or more, not {shards}")
    n = len(doc_ids)
    starts = [i for i in range(n) if i == 0 or doc_ids[i] != doc_ids[i - 1]]
    if not starts:
        return [(0, 0)]
    cuts = [0]
    for s in range(1, shards):
        target = s * n / shards
        best = min(starts, key=lambda b: (abs(b - target), b))
        if best > cuts[-1]:
            cuts.append(best)
    cuts.append(n)
    return list(itertools.pairwise(cuts))


def content_key(chunks: Sequence[Chunk], tokens: Sequence[Sequence[str]], shards: int) -> str:
    """A fingerprint of the passages, their token lists and the shard count: a saved sharded
    index serves only the corpus it was built from."""
    digest = hashlib.sha256(f"{TOKENIZER_VERSION}:{shards}:{len(chunks)}".encode())
    for chunk, toks in zip(chunks, tokens, strict=True):
        digest.update(chunk.id.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
        digest.update("\x01".join(toks).encode("utf-8", "surrogatepass"))
        digest.update(b"\x02")
    return digest.hexdigest()


@dataclass(frozen=True)
class GlobalStats:
    """The whole corpus's BM25 statistics (DFS): passage count, total length, document
    frequencies; plus each shard's passage range and documents."""

    n_docs: int
    total_len: int
    terms: tuple[str, ...]
    df: npt.NDArray[np.int64]
    bounds: tuple[tuple[int, int], ...]
    shard_docs: tuple[tuple[str, ...], ...]
    key: str = ""

    @property
    def avgdl(self) -> float:
        """The average length as the single-machine engine computes it (qa/search/impact.py)."""
        total = float(self.total_len)
        return total / self.n_docs if total > 0 else 1.0

    @classmethod
    def merge(
        cls,
        parts: Sequence[tuple[Sequence[str], npt.NDArray[np.int64], int, int]],
        bounds: Sequence[tuple[int, int]],
        shard_docs: Sequence[Sequence[str]],
        key: str = "",
    ) -> GlobalStats:
        """Sum each shard's (terms, document frequencies, total length, passage count)."""
        df: dict[str, int] = {}
        for terms, freqs, _, _ in parts:
            for term, f in zip(terms, freqs.tolist(), strict=True):
                df[term] = df.get(term, 0) + int(f)
        names = tuple(sorted(df))
        return cls(
            n_docs=sum(p[3] for p in parts),
            total_len=sum(p[2] for p in parts),
            terms=names,
            df=np.array([df[t] for t in names], dtype=np.int64),
            bounds=tuple((int(a), int(b)) for a, b in bounds),
            shard_docs=tuple(tuple(d) for d in shard_docs),
            key=key,
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON form written to ``stats.json``."""
        return {
            "format": STATS_FORMAT,
            "format_version": STATS_VERSION,
            "tokenizer_version": TOKENIZER_VERSION,
            "key": self.key,
            "n_docs": self.n_docs,
            "total_len": self.total_len,
            "bounds": [list(b) for b in self.bounds],
            "shard_docs": [list(d) for d in self.shard_docs],
            "terms": list(self.terms),
            "df": self.df.tolist(),
        }

    @classmethod
    def from_json(cls, data: Any, where: Path) -> GlobalStats:
        """Read ``to_json``'s form back; anything else is a QAError naming ``where``."""
        ok = isinstance(data, dict) and data.get("format") == STATS_FORMAT
        if not ok or data.get("format_version") != STATS_VERSION:
            raise QAError(f"{where}: not a {STATS_FORMAT} file of version {STATS_VERSION}")
        if data.get("tokenizer_version") != TOKENIZER_VERSION:
            raise QAError(f"{where}: built with another tokenizer version (rebuild: qa reindex --ray ...)")
        try:
            terms, df = tuple(str(t) for t in data["terms"]), np.array(data["df"], dtype=np.int64)
            bounds = tuple((int(a), int(b)) for a, b in data["bounds"])
            stats = cls(
                int(data["n_docs"]),
                int(data["total_len"]),
                terms,
                df,
                bounds,
                tuple(tuple(str(d) for d in docs) for docs in data["shard_docs"]),
                str(data["key"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise QAError(f"{where}: damaged ({type(exc).__name__}: {exc})") from None
        if len(terms) != df.shape[0] or len(bounds) != len(stats.shard_docs):
            raise QAError(f"{where}: damaged (sizes disagree)")
        return stats


def _write_json(path: Path, data: Any) -> None:
    """``path`` holds the old content or all of ``data``, never a part (temp file, fsync, rename)."""
    tmp = path.parent / f".{path.name}.tmp-{uuid.uuid4().hex}"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def new_generation(root: Path) -> Path:
    """A fresh, empty generation directory under ``root``."""
    path = root / f"g-{uuid.uuid4().hex[:12]}"
    path.mkdir(parents=True)
    return path


def shard_path(generation: Path, shard: int) -> Path:
    """Where shard number ``shard`` of a generation is saved."""
    return generation / f"shard-{shard:03d}"


def commit_generation(root: Path, generation: Path, stats: GlobalStats) -> None:
    """Write the statistics, then make ``generation`` the one serving; the one it replaces is
    removed (a build running beside this one keeps its own, unfinished generation)."""
    _write_json(generation / "stats.json", stats.to_json())
    try:
        previous = json.loads((root / "current.json").read_text(encoding="utf-8")).get("generation")
    except (OSError, ValueError, AttributeError):
        previous = None
    _write_json(root / "current.json", {"generation": generation.name})
    if isinstance(previous, str) and previous.startswith("g-") and previous != generation.name:
        shutil.rmtree(root / previous, ignore_errors=True)


def current_generation(root: Path) -> tuple[Path, GlobalStats] | None:
    """The generation serving under ``root`` and its statistics; None when there is none."""
    pointer = root / "current.json"
    if not pointer.exists():
        return None
    try:
        name = json.loads(pointer.read_text(encoding="utf-8"))["generation"]
        generation = root / str(name)
        stats = GlobalStats.from_json(
            json.loads((generation / "stats.json").read_text(encoding="utf-8")), generation
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise QAError(
            f"{root}: the sharded index is damaged ({exc}); rebuild it with qa reindex --ray"
        ) from None
    return generation, stats


def drop_unfinished(root: Path) -> None:
    """Remove generations a dead build left (any but the one serving; under the data directory's
    lock, so that no build is running)."""
    found = current_generation(root) if root.is_dir() else None
    keep = found[0].name if found else None
    for old in root.glob("g-*") if root.is_dir() else ():
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)
