"""Build the fast engine's postings from token lists, in bounded memory.

The documents are first read into (term, doc, count) triples (``qa.search.triples``: a stream
batch by batch, a large corpus held in memory on every core), so memory holds the postings built
so far plus one batch. The triples are then laid out term by term (a counting sort,
``csr_scatter``, one range of terms at a time). Raw text goes through
``qa.search.tokenizer.tokenize``, whose stemmer caches each distinct word (``build_from_texts``).
A progress bar shows for large builds; the report gives the time, the size of the arrays and the
peak resident memory of this process and of its workers.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from itertools import islice

import numpy as np
from tqdm import tqdm

from qa.search.codec import Packed, pack
from qa.search.impact import ImpactIndex, length_norm, want_numba
from qa.search.tokenizer import tokenize
from qa.search.triples import BATCH_DOCS, PARALLEL_FROM, Batches, cores, head, read_parallel

GROUP_BITS = 8  # at most 2**8 term ranges when laying postings out (see _assemble)
PIECE = 2_000_000  # (term, doc, count) triples grouped by term range at a time (see _assemble)
PROGRESS_FROM = 100_000  # documents: show a progress bar from this size up (on a terminal)


@dataclass(frozen=True)
class BuildReport:
    """What a build cost."""

    docs: int
    terms: int
    postings: int
    seconds: float
    array_bytes: int  # the index's arrays in memory (and, within a few KB, on disk)
    peak_rss_bytes: int  # this process's peak resident memory when the build ended
    worker_peak_rss_bytes: int  # the largest peak of its worker processes so far (0: none)


def peak_rss_bytes() -> int:
    """This process's peak resident memory so far (Linux reports KiB)."""
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024


def worker_peak_rss_bytes() -> int:
    """The largest peak resident memory of this process's finished child processes (KiB on Linux);
    pages a child shares with this process count in both."""
    return int(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) * 1024


def build_impact(
    corpus: Iterable[Sequence[str]],
    k1: float,
    b: float,
    total: int | None = None,
    progress: bool | None = None,
    use_numba: bool | None = None,
    workers: int | None = None,
) -> tuple[ImpactIndex, BuildReport]:
    """The index of ``corpus`` (token lists, read once) and what building it cost.

    ``progress``: True/False force the bar on/off; None shows it on a terminal for
    ``total`` >= PROGRESS_FROM documents (or an unknown total). ``workers``: processes reading a
    corpus held in memory (a sequence) of PARALLEL_FROM documents or more; None: one a core."""
    started = time.perf_counter()
    show = progress if progress is not None else (total is None or total >= PROGRESS_FROM)
    workers = cores() if workers is None else max(1, workers)
    with tqdm(total=total, unit="doc", desc="indexing", disable=None if show else True) as bar:

        def done(n: int) -> None:
            bar.update(n)
            bar.set_postfix(peak_rss=f"{peak_rss_bytes() / 2**30:.2f} GiB", refresh=False)

        if isinstance(corpus, Sequence) and workers > 1 and len(corpus) >= PARALLEL_FROM:
            batches = read_parallel(corpus, workers, use_numba, done)
        else:
            batches = Batches(use_numba)
            docs = iter(corpus)
            while batch := list(islice(docs, BATCH_DOCS)):
                batches.add(batch)
                done(len(batch))
            batches.finish()
    terms = list(batches.vocab)
    index = _assemble(terms, batches, k1, b, use_numba)
    arrays = (index.indptr, index.doc_len, *(getattr(index.packed, f.name) for f in fields(Packed)))
    report = BuildReport(
        docs=index.size,
        terms=len(terms),
        postings=index.postings_count,
        seconds=time.perf_counter() - started,
        array_bytes=sum(int(a.nbytes) for a in arrays),
        peak_rss_bytes=peak_rss_bytes(),
        worker_peak_rss_bytes=worker_peak_rss_bytes(),
    )
    return index, report


def _assemble(terms: list[str], batches: Batches, k1: float, b: float, use_numba: bool | None) -> ImpactIndex:
    """Lay the batches' postings out term by term, each term's documents in ascending order.
    At the peak memory holds the batches and two int32 arrays of one entry per posting."""
    parts = batches.parts
    batches.parts = []
    total = sum(int(p[0].shape[0]) for p in parts)
    doc_len = np.concatenate(batches.doc_len) if batches.doc_len else np.zeros(0, dtype=np.int32)
    indptr = np.zeros(len(terms) + 1, dtype=np.int64)
    for term_ids, _, _ in parts:
        indptr[1:] += np.bincount(term_ids, minlength=len(terms))
    np.cumsum(indptr, out=indptr)
    docs = np.empty(total, dtype=np.int32)
    laid_counts = np.empty(total, dtype=np.result_type(np.uint16, *(p[2].dtype for p in parts)))
    docs.fill(0)  # the memory is mapped in now, in order: faulted in by scattered writes it is slow
    laid_counts.fill(0)
    norm = length_norm(doc_len, k1, b)
    if want_numba(use_numba, doc_len.shape[0]):
        # these import numba: only for corpora that need it
        from qa.search.kernel import bucket_order, csr_scatter
        from qa.search.pack import pack_compiled

        # Each batch grouped by term range first, then laid out one range at a time, all batches
        # in order: a few thousand write heads at a time instead of one per term.
        shift = max(0, len(terms).bit_length() - GROUP_BITS)
        # one worker's triples are one part: grouped a piece at a time, so the workspaces stay small
        parts = [head((t[i:], d[i:], c[i:]), PIECE) for t, d, c in parts for i in range(0, t.shape[0], PIECE)]
        groups = (len(terms) >> shift) + 1
        longest = max((p[0].shape[0] for p in parts), default=0)
        scratch = np.empty(longest, dtype=np.int32)
        scratch_counts = {dt: np.empty(longest, dtype=dt) for dt in {p[2].dtype for p in parts}}
        starts = []
        for part in parts:
            starts.append(np.zeros(groups + 1, dtype=np.int64))
            bucket_order(*part, shift, starts[-1], scratch, scratch_counts[part[2].dtype])
        del scratch, scratch_counts
        nxt = indptr[:-1].copy()
        for g in range(groups):
            for (term_ids, doc_ids, counts), at in zip(parts, starts, strict=True):
                lo, hi = at[g], at[g + 1]
                if hi > lo:
                    csr_scatter(term_ids[lo:hi], nxt, doc_ids[lo:hi], counts[lo:hi], docs, laid_counts)
        del parts
        packed = pack_compiled(indptr, docs, laid_counts, norm, k1)
    else:
        empty = np.zeros(0, dtype=np.int32)
        term_ids, doc_ids, counts = (np.concatenate([empty, *(p[c] for p in parts)]) for c in range(3))
        order = np.argsort(term_ids, kind="stable")
        docs[:] = doc_ids[order]
        laid_counts[:] = counts[order]
        del order, term_ids, doc_ids, counts
        packed = pack(indptr, docs, laid_counts, norm, k1)
    del docs, laid_counts
    return ImpactIndex(terms, indptr, packed, doc_len, k1, b, use_numba=use_numba)


def build_from_texts(
    texts: Iterable[str],
    k1: float,
    b: float,
    total: int | None = None,
    tokenizer: Callable[[str], list[str]] = tokenize,
    progress: bool | None = None,
) -> tuple[ImpactIndex, BuildReport]:
    """The index of raw texts, tokenised as the rest of qa does (each distinct word stemmed once:
    ``qa.search.tokenizer.stem`` is cached)."""
    return build_impact((tokenizer(t) for t in texts), k1, b, total=total, progress=progress)
