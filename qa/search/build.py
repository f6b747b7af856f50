"""Build the fast engine's postings from a stream of token lists, in bounded memory.

Documents are read once, in order, ``BATCH_DOCS`` at a time. A batch's tokens become term ids
through one dict in one C-level pass (a term is hashed, never stemmed, here: raw text goes through
``qa.search.tokenizer.tokenize``, whose stemmer caches each distinct word, see
``build_from_texts``); the batch is then reduced to (term, doc, count) triples (one compiled pass,
``doc_term_counts``, or a vectorised sort without numba) and its token lists are dropped, so memory
holds the postings built so far plus one batch. The triples are then laid out term by term (a
counting sort, ``csr_scatter``, one range of terms at a time). A progress bar shows for large
builds; the report gives the time, the size of the arrays and the process's peak resident memory.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from itertools import chain, islice
from typing import Any

import numpy as np
import numpy.typing as npt
from tqdm import tqdm

from qa.search.codec import Packed, pack
from qa.search.impact import ImpactIndex, length_norm, want_numba
from qa.search.tokenizer import tokenize

GROUP_BITS = 8  # at most 2**8 term ranges when laying postings out (see _assemble)
BATCH_DOCS = 20_000  # documents per vectorised batch (2M tokens, ~50 MB of temporaries, at 100 a document)
PROGRESS_FROM = 100_000  # documents: show a progress bar from this size up (on a terminal)


@dataclass(frozen=True)
class BuildReport:
    """What a build cost."""

    docs: int
    terms: int
    postings: int
    seconds: float
    array_bytes: int  # the index's arrays in memory (and, within a few KB, on disk)
    peak_rss_bytes: int  # the process's peak resident memory when the build ended


def peak_rss_bytes() -> int:
    """This process's peak resident memory so far (Linux reports KiB)."""
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024


class _Vocabulary(dict[str, int]):
    """Term -> id; a term not seen before gets the next id as it is looked up, so looking up a
    whole batch is one C-level ``map`` (a Python call happens only for a new term)."""

    def __missing__(self, term: str) -> int:
        i = self[term] = len(self)
        return i


class _Batches:
    """Turns batches of documents into (term, doc, count) arrays, each document's distinct terms
    together, documents in order."""

    def __init__(self, use_numba: bool | None = None) -> None:
        self.vocab = _Vocabulary()
        self.base = 0
        self.use_numba = use_numba
        #: (term, doc, count) arrays per batch; counts are uint16 unless a document is that long
        self.parts: list[tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], npt.NDArray[Any]]] = []
        self.doc_len: list[npt.NDArray[np.int32]] = []
        self._scratch: tuple[npt.NDArray[Any], ...] = (np.zeros(0, dtype=np.int32),) * 3

    def add(self, docs: Sequence[Sequence[str]]) -> None:
        """A batch of documents: their token ids in one pass, then their (term, doc, count) arrays."""
        if not docs:
            return
        lens = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
        n = int(lens.sum())
        ids = np.fromiter(map(self.vocab.__getitem__, chain.from_iterable(docs)), dtype=np.int64, count=n)
        self._reduce(ids, lens)

    def finish(self) -> None:
        """Free the workspaces."""
        self._scratch = (np.zeros(0, dtype=np.int32),) * 3

    def _reduce(self, ids: npt.NDArray[np.int64], lens: npt.NDArray[np.int64]) -> None:
        if want_numba(self.use_numba, self.base + lens.shape[0]):
            from qa.search.kernel import doc_term_counts  # imports numba: only for corpora that need it

            n = ids.shape[0]
            # a term occurs at most as often as its document is long: 16 bits mostly do
            wide = np.int32 if lens.shape[0] and int(lens.max()) >= 1 << 16 else np.uint16
            if self._scratch[0].shape[0] < n or self._scratch[2].dtype != wide:
                # kept from batch to batch: its memory is mapped in
                self._scratch = (*(np.zeros(n, dtype=np.int32) for _ in range(2)), np.zeros(n, dtype=wide))
            terms, docs, counts = self._scratch
            vocab = len(self.vocab)
            seen = np.full(vocab, -1, dtype=np.int64)
            pairs = doc_term_counts(ids, lens, seen, np.empty(vocab, dtype=np.int64), terms, docs, counts)
            docs[:pairs] += self.base
            part = (terms[:pairs].copy(), docs[:pairs].copy(), counts[:pairs].copy())
        else:
            local = np.repeat(np.arange(lens.shape[0], dtype=np.int64), lens)
            keys, found = np.unique((local << 32) | ids, return_counts=True)  # by doc, then term
            part = (
                (keys & 0xFFFFFFFF).astype(np.int32),
                ((keys >> 32) + self.base).astype(np.int32),
                found.astype(np.int32),
            )
        self.parts.append(part)
        self.doc_len.append(lens.astype(np.int32))
        self.base += lens.shape[0]


def build_impact(
    corpus: Iterable[Sequence[str]],
    k1: float,
    b: float,
    total: int | None = None,
    progress: bool | None = None,
    use_numba: bool | None = None,
) -> tuple[ImpactIndex, BuildReport]:
    """The index of ``corpus`` (token lists, read once) and what building it cost.

    ``progress``: True/False force the bar on/off; None shows it on a terminal for
    ``total`` >= PROGRESS_FROM documents (or an unknown total)."""
    started = time.perf_counter()
    show = progress if progress is not None else (total is None or total >= PROGRESS_FROM)
    batches = _Batches(use_numba)
    docs = iter(corpus)
    with tqdm(total=total, unit="doc", desc="indexing", disable=None if show else True) as bar:
        while batch := list(islice(docs, BATCH_DOCS)):
            batches.add(batch)
            bar.update(len(batch))
            bar.set_postfix(peak_rss=f"{peak_rss_bytes() / 2**30:.2f} GiB", refresh=False)
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
    )
    return index, report


def _assemble(
    terms: list[str], batches: _Batches, k1: float, b: float, use_numba: bool | None
) -> ImpactIndex:
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
