"""Search: one tokenizer, BM25 scores, the top k passages of a query.

- ``tokenizer``: the one tokenizer for index and query (stems, stopwords, equivalent forms);
- ``index``: ``BM25Index``, the scores of ``rank_bm25`` with Lucene's idf, from either engine;
- the fast engine: ``impact`` (postings, exact pruned top k, filters, batches), ``codec`` (compact
  bit-packed postings), ``kernel`` (its loops, compiled with numba when installed), ``pack``
  (numba packing for large builds), ``triples`` (token lists to term ids and (term, doc, count)
  triples, on every core for a large corpus), ``build`` (bounded-memory build) and ``persist`` (saved as
  ``.npy`` arrays and a versioned JSON header, memory-mapped back);
- ``semantic``: similarity in meaning (a small sentence-embedding model), for questions that ask
  no fact type.
"""

from qa.search.index import DEFAULT_ENGINE, ENGINES, BM25Index, IndexFormatError
from qa.search.tokenizer import highlight_spans, stopwords, tokenize

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "BM25Index",
    "IndexFormatError",
    "highlight_spans",
    "stopwords",
    "tokenize",
]
