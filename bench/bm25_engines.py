"""The engines of bench/bm25_bench.py, each as ``run(corpus, out) -> (search, batch, save)``,
and the exhaustive reference they are checked against."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

K = 10
K1, B = 1.5, 0.75
TANTIVY_K1 = 1.2  # fixed in tantivy
REF_DEPTH = 100  # reference results kept per query (to look up the score of whatever an engine returns)

Search = Callable[[list[str]], list[tuple[int, float]]]
Batch = Callable[[list[list[str]]], object] | None
Runner = Callable[[list[list[str]], Path], tuple[Search, Batch, Callable[[], int | None]]]
# What a runner reports beyond (search, batch, save): "filtered" (qa: a search restricted to a fixed
# 10% of the documents, a boolean mask built once), "segments" (tantivy), merged into its row.
EXTRAS: dict[str, Any] = {}
FILTER_SHARE = 0.10


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _top(scores: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray]:
    """Best ``depth`` positive scores (ties by lower id), padded with id -1."""
    cand = np.flatnonzero(scores > 0)
    if cand.shape[0] > depth:
        theta = np.partition(scores[cand], cand.shape[0] - depth)[cand.shape[0] - depth]
        cand = cand[scores[cand] >= theta]
    order = np.lexsort((cand, -scores[cand]))[:depth]
    ids = np.full(depth, -1, dtype=np.int64)
    vals = np.zeros(depth)
    ids[: order.shape[0]] = cand[order]
    vals[: order.shape[0]] = scores[cand[order]]
    return ids, vals


def reference(corpus: list[list[str]], queries: list[list[str]], path: Path) -> None:
    """Exhaustive BM25 (Lucene idf) of every query with scipy, k1 = 1.5 and (for tantivy) 1.2:
    the best REF_DEPTH documents and scores per query, saved to ``path``."""
    from scipy import sparse

    vocab: dict[str, int] = {}
    cols = np.fromiter((vocab.setdefault(t, len(vocab)) for d in corpus for t in d), dtype=np.int64)
    lengths = np.array([len(d) for d in corpus], dtype=np.float64)
    rows = np.repeat(np.arange(len(corpus)), lengths.astype(np.int64))
    tf = sparse.csc_matrix((np.ones(cols.shape[0]), (rows, cols)), shape=(len(corpus), len(vocab)))
    tf.sum_duplicates()
    del rows, cols
    n = len(corpus)
    df = np.diff(tf.indptr)
    idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
    avgdl = lengths.sum() / n
    out: dict[str, np.ndarray] = {}
    for key, k1 in (("", K1), ("t", TANTIVY_K1)):
        norm = k1 * (1 - B + B * lengths / avgdl)
        ids, vals = [], []
        for q in queries:
            scores = np.zeros(n)
            for term, reps in Counter(t for t in q if t in vocab).items():
                t = vocab[term]
                lo, hi = tf.indptr[t], tf.indptr[t + 1]
                d, f = tf.indices[lo:hi], tf.data[lo:hi]
                scores[d] += reps * (idf[t] * (f * (k1 + 1) / (f + norm[d])))
            i, v = _top(scores, REF_DEPTH)
            ids.append(i)
            vals.append(v)
        out[key + "ids"], out[key + "scores"] = np.array(ids)[:, :K], np.array(vals)[:, :K]
        out[key + "deep_ids"], out[key + "deep_scores"] = np.array(ids), np.array(vals)
    np.savez(path, **out)


def reference_scores(ref: dict[str, np.ndarray], qi: int, ids: list[int], tantivy: bool) -> list[float]:
    """Exhaustive scores of ``ids`` for query ``qi`` (-1 for a document outside the reference's depth)."""
    deep_ids = ref["tdeep_ids" if tantivy else "deep_ids"][qi].tolist()
    deep_scores = ref["tdeep_scores" if tantivy else "deep_scores"][qi].tolist()
    where = {d: s for d, s in zip(deep_ids, deep_scores, strict=True) if d >= 0}
    return [where.get(i, -1.0) for i in ids]


def run_qa(corpus: list[list[str]], out: Path) -> tuple[Search, Batch, Callable[[], int | None]]:
    from qa.search.index import BM25Index

    index = BM25Index(corpus, K1, B)
    keep = np.random.default_rng(10).random(len(corpus)) < FILTER_SHARE  # the filter, built once

    def search(q: list[str]) -> list[tuple[int, float]]:
        return index.search(q, K)

    def filtered(q: list[str]) -> list[tuple[int, float]]:
        return index.search(q, K, allowed=keep)

    def batch(qs: list[list[str]]) -> object:
        return index.search_batch(qs, K)  # every core (numba kernel without the GIL, one thread a core)

    def save() -> int:
        index.save(out)
        return dir_bytes(out)

    EXTRAS["filtered"] = filtered
    return search, batch, save


def qa_load(
    path: Path, queries: list[list[str]], time_queries: Callable[..., dict[str, Any]]
) -> dict[str, Any]:
    """Load a saved qa index (memory-mapped) in a fresh process: load time, RSS, query speed."""
    import time

    from bm25_bench import check, peak_rss_bytes, rss_bytes

    from qa.search.index import BM25Index

    before = rss_bytes()
    t0 = time.perf_counter()
    index = BM25Index.load(path)
    load_s = time.perf_counter() - t0
    after = rss_bytes()
    timed = time_queries(lambda q: index.search(q, K), queries)
    ref = dict(np.load(path.parent / "reference.npz"))
    row = {
        "load_s": load_s,
        "rss_before_load_bytes": before,
        "rss_after_load_bytes": after,
        "qps": timed["qps"],
        "p50_ms": timed["p50_ms"],
        "p99_ms": timed["p99_ms"],
        "peak_rss_bytes": peak_rss_bytes(),
        "rss_after_queries_bytes": rss_bytes(),
    }
    row.update(check(timed["results"], ref, False))
    return row


def run_rank_bm25(corpus: list[list[str]], out: Path) -> tuple[Search, Batch, Callable[[], int | None]]:
    from qa.search.index import _LuceneIdfBM25

    bm25 = _LuceneIdfBM25(corpus, k1=K1, b=B)

    def search(q: list[str]) -> list[tuple[int, float]]:
        ids, vals = _top(np.asarray(bm25.get_scores(q)), K)
        return [(int(i), float(v)) for i, v in zip(ids, vals, strict=True) if i >= 0]

    return search, None, lambda: None  # rank-bm25 has no on-disk form


def _bm25s(backend: str) -> Runner:
    def run(corpus: list[list[str]], out: Path) -> tuple[Search, Batch, Callable[[], int | None]]:
        import bm25s

        retriever = bm25s.BM25(k1=K1, b=B, method="lucene", backend=backend)
        retriever.index(corpus, show_progress=False)
        vocab = retriever.vocab_dict
        select = "numba" if backend == "numba" else "numpy"

        def known(q: list[str]) -> list[str]:
            return [t for t in q if t in vocab]

        def search(q: list[str]) -> list[tuple[int, float]]:
            toks = known(q)
            if not toks:
                return []
            # one query, serial (n_threads=0, bm25s's default), numba top-k selection: its fastest
            # single-query mode (README: the numba backend, new in 0.2.0)
            docs, scores = retriever.retrieve(
                [toks], k=min(K, len(corpus)), show_progress=False, n_threads=0, backend_selection=select
            )
            # bm25s's lucene scores leave out the constant factor k1 + 1: multiplied back here
            return [(int(d), float(s) * (K1 + 1)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

        def batch(qs: list[list[str]]) -> object:
            toks = [known(q) or ["<none>"] for q in qs]
            toks = [t if t != ["<none>"] else [next(iter(vocab))] for t in toks]
            return retriever.retrieve(toks, k=K, show_progress=False, n_threads=2, backend_selection=select)

        def save() -> int:
            retriever.save(str(out))
            return dir_bytes(out)

        return search, batch, save

    return run


def run_tantivy(corpus: list[list[str]], out: Path) -> tuple[Search, Batch, Callable[[], int | None]]:
    """tantivy as its authors advise for top-k: one segment (one writer thread, a 2 GB heap, one
    commit; the count is checked and reported), a BooleanQuery of SHOULD TermQuery (one per query
    token, so a repeated term counts twice, as in rank-bm25) built once per query, and
    ``searcher.search(query, K, count=False)``: with a count tantivy must visit every match and
    cannot use block-max WAND (tantivy PR #856)."""
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("body", stored=False, tokenizer_name="whitespace", index_option="freq")
    builder.add_unsigned_field("id", stored=True)
    schema = builder.build()
    out.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(schema, path=str(out))
    writer = index.writer(heap_size=2_000_000_000, num_threads=1)
    for i, doc in enumerate(corpus):
        writer.add_document(tantivy.Document(body=" ".join(doc), id=i))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    searcher = index.searcher()
    one_segment = searcher.num_segments == 1
    EXTRAS["segments"] = searcher.num_segments
    should = tantivy.Occur.Should

    def search(q: list[str]) -> list[tuple[int, float]]:
        terms = [(should, tantivy.Query.term_query(schema, "body", t)) for t in q]
        hits = searcher.search(tantivy.Query.boolean_query(terms), K, count=False).hits
        if one_segment:
            return [(int(a.doc), float(s)) for s, a in hits]
        return [(int(searcher.doc(a)["id"][0]), float(s)) for s, a in hits]

    return search, None, lambda: dir_bytes(out)


RUNNERS: dict[str, Runner] = {
    "qa": run_qa,
    "rank-bm25": run_rank_bm25,
    "bm25s-numpy": _bm25s("numpy"),
    "bm25s-numba": _bm25s("numba"),
    "tantivy": run_tantivy,
}
