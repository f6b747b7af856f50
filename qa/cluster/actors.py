"""What runs on the cluster: the shard actor that serves one saved index, and the tasks that
build shards and prepare documents. The one module that imports Ray at import time; only the
rest of ``qa.cluster`` imports it, and only once a Ray setting is given."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import ray

from qa.documents.models import Document
from qa.search.impact import ImpactIndex
from qa.search.index import BM25Index
from qa.store.passages import Prepared, prepare_documents

#: A killed shard actor is started again this many times (Ray's max_restarts).
MAX_RESTARTS = 3


class Shard:
    """One shard's saved index, memory-mapped, searched with the whole corpus's statistics."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.index = BM25Index.load(Path(path))
        self.restarts = ray.get_runtime_context().was_current_actor_reconstructed

    def search(
        self,
        query: Sequence[str],
        k: int,
        allowed: npt.NDArray[np.uint8] | None,
        avgdl: float,
        idf: Mapping[str, float],
    ) -> list[tuple[int, float]]:
        """This shard's top ``k`` (local passage number, score) for ``query``."""
        return self.index.search(query, k, allowed, avgdl=avgdl, idf=idf)

    def search_batch(
        self, queries: Sequence[Sequence[str]], k: int, avgdl: float, idfs: Sequence[Mapping[str, float]]
    ) -> list[list[tuple[int, float]]]:
        """``search`` of each query (no filter), in order."""
        return [self.index.search(q, k, None, avgdl=avgdl, idf=i) for q, i in zip(queries, idfs, strict=True)]

    def info(self) -> dict[str, Any]:
        """Where this actor runs and what it serves: process id, node, restarted or not, size."""
        impl = self.index._impl
        nbytes = 0
        if isinstance(impl, ImpactIndex):
            arrays = [impl.indptr, impl.doc_len, *(getattr(impl.packed, f.name) for f in fields(impl.packed))]
            nbytes = int(sum(a.nbytes for a in arrays))
        return {
            "pid": os.getpid(),
            "node": ray.get_runtime_context().get_node_id(),
            "restarted": bool(self.restarts),
            "passages": self.index.size,
            "index_bytes": nbytes,
            "rss_bytes": _rss(),
        }


def _rss() -> int:
    """This process's resident memory in bytes (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


#: The actor class: no CPU held while idle; restarted by Ray when it dies, its calls retried by
#: ShardedIndex (qa/cluster/sharded.py), not by Ray.
ShardActor: Any = ray.remote(num_cpus=0, max_restarts=MAX_RESTARTS, max_task_retries=0)(Shard)


@ray.remote(num_cpus=1)
def build_shard(
    tokens: Sequence[Sequence[str]], path: str
) -> tuple[list[str], npt.NDArray[np.int64], int, int]:
    """Index one shard's token lists, save it (atomically) at ``path``; return its terms, their
    document frequencies, its total length and passage count (the parts of the global statistics)."""
    index = BM25Index(tokens, workers=1)  # a task a core already: no forking inside a Ray worker
    index.save(path)
    impl = index._impl
    assert isinstance(impl, ImpactIndex)
    df = np.diff(impl.indptr).astype(np.int64)
    return list(impl.terms), df, int(impl.doc_len.astype(np.int64).sum()), impl.size


@ray.remote(num_cpus=1)
def prepare_batch(docs: Sequence[Document]) -> list[Prepared]:
    """Chunk, tokenise and tag a batch of documents on a worker."""
    return list(prepare_documents(docs))
