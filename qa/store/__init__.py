"""The data directory: the documents people add, kept safe, and what is computed from them.

- ``manifest``: who is in the directory (id, content hash, origin), and one ``add``'s bookkeeping;
- ``passages``: the passage cache (passages, token lists, named entities) as versioned JSON;
- ``vectors``: each passage's embedding, on disk as a memory-mapped array;
- ``directory``: ``Store``, which adds, removes and loads documents under a lock, atomically;
- ``manage``: the ``qa add``, ``qa remove`` and ``qa reindex`` commands.
"""

from qa.store.directory import Built, Store, default_data_dir
from qa.store.manifest import AddReport, Outcome

__all__ = ["AddReport", "Built", "Outcome", "Store", "default_data_dir"]
