"""``ShardedIndex``: the BM25 index of a corpus split over shard actors, with the methods of
``BM25Index`` the answer engine uses (``search``, ``idf``, ``doc_freq``, ``vocabulary``) and the
same results, to 1e-9.

Search is Elasticsearch's DFS query-then-fetch: the idfs and the average length come from the
whole corpus's statistics (held here), each shard ranks its own passages with them (filters
applied inside the shard, before ranking) and returns its top k; the exact global top k is the
best k of those, ties by global passage number. Ray is imported inside the methods only.

Faults: a call to a shard whose actor died is retried (Ray restarts the actor, up to
``MAX_RESTARTS`` times). A shard that stays down is left out and recorded: ``unreachable()``
names its documents, so an answer built on a partial top k says so.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from qa.cluster.layout import GlobalStats
from qa.search.impact import Allowed, lucene_idf

#: Calls to a shard before it counts as down (the first, then retries while Ray restarts it).
ATTEMPTS = 4
RETRY_PAUSE = 0.25


class ShardedIndex:
    """Shard actors behind the interface of ``BM25Index`` (global passage numbers)."""

    def __init__(self, stats: GlobalStats, actors: Sequence[Any]) -> None:
        if len(actors) != len(stats.bounds):
            raise ValueError("one actor per shard")
        self.stats = stats
        self.actors = list(actors)
        self.size = stats.n_docs
        self.engine = "fast"
        self._df = {t: int(f) for t, f in zip(stats.terms, stats.df.tolist(), strict=True)}
        self._vocabulary = frozenset(stats.terms)
        df = stats.df.astype(np.float64)
        # as ImpactIndex computes its own idfs, so that every idf is the single machine's, bit for bit
        idfs = np.log(1.0 + (self.size - df + 0.5) / (df + 0.5))
        self._idf = {t: float(v) for t, v in zip(stats.terms, idfs.tolist(), strict=True)}
        self.dead: set[int] = set()  # shards whose actor did not come back
        self._missed: set[int] = set()  # shards left out since unreachable() was last called

    @property
    def shards(self) -> int:
        """How many shards the corpus is split into."""
        return len(self.actors)

    @property
    def avgdl(self) -> float:
        """The whole corpus's average passage length."""
        return self.stats.avgdl

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every term of the whole corpus."""
        return self._vocabulary

    def doc_freq(self, term: str) -> int:
        """Passages of the whole corpus holding ``term``."""
        return self._df.get(term, 0)

    def idf(self, term: str) -> float:
        """The whole corpus's idf of ``term``."""
        found = self._idf.get(term)
        return lucene_idf(self.size, 0) if found is None else found

    def unreachable(self) -> tuple[str, ...]:
        """The documents of the shards left out of a search since the last call (none: ``()``),
        and forget them: call it before and after a question's searches."""
        missed, self._missed = self._missed, set()
        return tuple(d for s in sorted(missed) for d in self.stats.shard_docs[s])

    def _local(self, allowed: Allowed, shard: int) -> np.ndarray | bool | None:
        """The shard's own mask of ``allowed``; None for no filter, False when nothing passes."""
        if allowed is None:
            return None
        lo, hi = self.stats.bounds[shard]
        mask = np.zeros(hi - lo, dtype=np.uint8)
        if isinstance(allowed, np.ndarray):
            mask[:] = np.asarray(allowed[lo:hi], dtype=bool)
        else:
            picked = [p - lo for p in allowed if lo <= p < hi]
            mask[picked] = 1
        return mask if mask.any() else False

    def _call(self, shard: int, method: str, *args: Any) -> Any:
        """Call a shard's actor again, retrying while Ray restarts it; None when the shard stays
        down (it is then skipped by later searches and reported by ``unreachable``)."""
        import ray

        for attempt in range(ATTEMPTS):
            time.sleep(RETRY_PAUSE * attempt)
            try:
                return ray.get(getattr(self.actors[shard], method).remote(*args))
            except ray.exceptions.RayActorError:
                continue
        self.dead.add(shard)
        self._missed.add(shard)
        return None

    def search(
        self,
        query: Sequence[str],
        k: int = 5,
        allowed: Allowed = None,
        avgdl: float | None = None,
        idf: Mapping[str, float] | None = None,
    ) -> list[tuple[int, float]]:
        """The exact global top ``k`` (global passage number, score) of ``query``, as
        ``BM25Index.search`` over the whole corpus gives it; shards that stay down are left out
        (see ``unreachable``)."""
        if avgdl is not None or idf is not None:
            raise ValueError("a sharded index always scores with its own global statistics")
        if k <= 0:
            return []
        import ray

        weights = {t: self.idf(t) for t in query if t in self._vocabulary}
        if not weights:
            return []
        pending: dict[int, Any] = {}
        for shard, actor in enumerate(self.actors):
            local = self._local(allowed, shard)
            if local is not False and shard in self.dead:
                self._missed.add(shard)
            elif local is not False:
                pending[shard] = (local, actor.search.remote(list(query), k, local, self.avgdl, weights))
        merged: list[tuple[int, float]] = []
        for shard, (local, ref) in pending.items():
            try:
                found = ray.get(ref)
            except ray.exceptions.RayActorError:
                found = self._call(shard, "search", list(query), k, local, self.avgdl, weights)
            if found is None:
                continue
            lo = self.stats.bounds[shard][0]
            merged.extend((lo + pos, score) for pos, score in found)
        merged.sort(key=lambda hit: (-hit[1], hit[0]))
        return merged[:k]

    def search_batch(self, queries: Sequence[Sequence[str]], k: int = 5) -> list[list[tuple[int, float]]]:
        """``search`` of each query (no filter), one round trip per shard for the whole batch."""
        import ray

        idfs = [{t: self.idf(t) for t in q if t in self._vocabulary} for q in queries]
        refs = {
            s: a.search_batch.remote([list(q) for q in queries], k, self.avgdl, idfs)
            for s, a in enumerate(self.actors)
            if s not in self.dead
        }
        self._missed |= self.dead
        results: list[list[tuple[int, float]]] = [[] for _ in queries]
        for shard, ref in refs.items():
            try:
                found = ray.get(ref)
            except ray.exceptions.RayActorError:
                found = self._call(shard, "search_batch", [list(q) for q in queries], k, self.avgdl, idfs)
            if found is None:
                continue
            lo = self.stats.bounds[shard][0]
            for row, hits in zip(results, found, strict=True):
                row.extend((lo + pos, score) for pos, score in hits)
        return [sorted(r, key=lambda hit: (-hit[1], hit[0]))[:k] for r in results]

    def close(self) -> None:
        """Stop the shard actors (they stop too when this index is dropped)."""
        import ray

        for actor in self.actors:
            ray.kill(actor, no_restart=True)
        self.dead = set(range(self.shards))

    def info(self) -> list[dict[str, Any]]:
        """Each shard actor's ``info`` (process, node, size); a shard that is down gives ``{}``."""
        import ray

        found: list[dict[str, Any]] = []
        for actor in self.actors:
            try:
                found.append(ray.get(actor.info.remote()))
            except ray.exceptions.RayActorError:
                found.append({})
        return found
