"""Beyond one machine: the BM25 index split into shards served by Ray actors, with the scores of
one machine (global statistics, as Elasticsearch's DFS query-then-fetch).

- ``layout``: shards and global statistics on disk, generations switched atomically (no Ray);
- ``connect``: ``--ray ADDRESS`` / ``$QA_RAY_ADDRESS`` and ``--shards N`` / ``$QA_SHARDS``;
- ``sharded``: ``ShardedIndex``, the fan-out and exact merge, retries and partial answers;
- ``actors``: the shard actor and the build tasks (the one module importing Ray at import time);
- ``build``: building shards on the cluster, preparing documents as tasks, opening the index.

Importing this package imports nothing of Ray: only asking for a cluster does.
"""

from qa.cluster.build import build_sharded, open_sharded, prepare_on_cluster
from qa.cluster.connect import ADDRESS_ENV, SHARDS_ENV, connect, ray_address, shard_count
from qa.cluster.layout import GlobalStats, current_generation, drop_unfinished
from qa.cluster.sharded import ShardedIndex

__all__ = [
    "ADDRESS_ENV",
    "SHARDS_ENV",
    "GlobalStats",
    "ShardedIndex",
    "build_sharded",
    "connect",
    "current_generation",
    "drop_unfinished",
    "open_sharded",
    "prepare_on_cluster",
    "ray_address",
    "shard_count",
]
