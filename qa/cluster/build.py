"""Building the sharded index on the cluster and opening it for questions.

- ``prepare_on_cluster``: chunk, tokenise and tag batches of documents as Ray tasks (the data
  directory's ``Store`` calls it in place of doing it in this process);
- ``build_sharded``: split the passages by document, index and save each shard in a Ray task,
  then write the global statistics and switch to the new generation (qa/cluster/layout.py);
- ``open_sharded``: the serving generation if it was built from these passages (else a new
  build), one actor per shard, as a ``ShardedIndex``.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from qa.cluster.connect import connect
from qa.cluster.layout import (
    GlobalStats,
    commit_generation,
    content_key,
    current_generation,
    new_generation,
    shard_path,
    split_bounds,
)
from qa.cluster.sharded import ShardedIndex
from qa.documents.models import Chunk, Document
from qa.store.passages import Prepared

#: ``progress(stage, done, total)`` as the data directory's (qa/store/directory.py).
Progress = Callable[[str, int, int], None]


def prepare_on_cluster(batches: Sequence[Sequence[Document]]) -> Iterator[list[Prepared]]:
    """Each batch's prepared documents, in order, computed by tasks spread over the workers."""
    import ray

    from qa.cluster.actors import prepare_batch

    refs = [prepare_batch.remote(list(batch)) for batch in batches]
    for ref in refs:
        yield ray.get(ref)


def _shard_docs(doc_ids: Sequence[str], bounds: Sequence[tuple[int, int]]) -> list[list[str]]:
    out = []
    for lo, hi in bounds:
        docs: list[str] = []
        for doc in doc_ids[lo:hi]:
            if not docs or docs[-1] != doc:
                docs.append(doc)
        out.append(docs)
    return out


def build_sharded(
    chunks: Sequence[Chunk],
    tokens: Sequence[Sequence[str]],
    shards: int,
    root: Path,
    progress: Progress | None = None,
) -> tuple[Path, GlobalStats]:
    """Index the passages in ``shards`` shards under ``root`` (a new generation, made the serving
    one only once every shard and the statistics are written)."""
    key = content_key(chunks, tokens, shards)
    return build_shards([c.doc_id for c in chunks], tokens, shards, root, key, progress)


def build_shards(
    doc_ids: Sequence[str],
    tokens: Sequence[Sequence[str]],
    shards: int,
    root: Path,
    key: str,
    progress: Progress | None = None,
) -> tuple[Path, GlobalStats]:
    """``build_sharded`` given each passage's document id and the content key."""
    import ray

    from qa.cluster.actors import build_shard

    bounds = split_bounds(doc_ids, shards)
    generation = new_generation(root)
    refs = [
        build_shard.remote(tokens[lo:hi], str(shard_path(generation, shard)))
        for shard, (lo, hi) in enumerate(bounds)
    ]
    parts = []
    for done, ref in enumerate(refs, start=1):
        parts.append(ray.get(ref))
        if progress is not None:
            progress("sharding", done, len(refs))
    stats = GlobalStats.merge(parts, bounds, _shard_docs(doc_ids, bounds), key)
    commit_generation(root, generation, stats)
    return generation, stats


def start_actors(
    generation: Path, stats: GlobalStats, resources: Mapping[int, Mapping[str, float]] | None = None
) -> list[Any]:
    """One actor per shard of ``generation``; ``resources``: custom Ray resources a shard's actor
    needs (to place it on a given node), by shard number."""
    import ray

    from qa.cluster.actors import ShardActor

    actors = []
    for shard in range(len(stats.bounds)):
        needs = dict((resources or {}).get(shard, {}))
        options = {"resources": needs} if needs else {}
        actors.append(ShardActor.options(**options).remote(str(shard_path(generation, shard))))
    ray.get([a.info.remote() for a in actors])  # every shard loaded (or its error raised here)
    return actors


def _scratch() -> Path:
    path = Path(tempfile.mkdtemp(prefix="qa-shards-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def open_sharded(
    chunks: Sequence[Chunk],
    tokens: Sequence[Sequence[str]],
    address: str,
    shards: int,
    root: Path | None = None,
    resources: Mapping[int, Mapping[str, float]] | None = None,
    progress: Progress | None = None,
) -> ShardedIndex:
    """The sharded index of these passages on the cluster at ``address``: the one saved under
    ``root`` when it was built from the same passages and shard count, else built now (under
    ``root``, or a temporary directory without one)."""
    connect(address)
    root = root if root is not None else _scratch()
    found = current_generation(root) if root.is_dir() else None
    if found is None or found[1].key != content_key(chunks, tokens, shards):
        found = build_sharded(chunks, tokens, shards, root, progress)
    generation, stats = found
    cache_key = (str(generation.resolve()), stats.key, repr(sorted((resources or {}).items())))
    index = _serving.get(cache_key)
    if index is None or index.dead:
        index = _serving[cache_key] = ShardedIndex(stats, start_actors(generation, stats, resources))
    return index


#: The shard actors already serving a generation in this process (a page or a test opening the
#: same index again reuses them rather than starting new ones).
_serving: dict[tuple[str, str, str], ShardedIndex] = {}
