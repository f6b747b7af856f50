"""Build the fast engine's postings from a stream of token lists, in bounded memory.

Documents are read once, in order. Tokens become term ids through one dict (a term is hashed,
never stemmed, here: raw text goes through ``qa.search.tokenizer.tokenize``, whose stemmer caches each
distinct word, see ``build_from_texts``). Every ``BATCH_TOKENS`` tokens the batch is reduced to
(doc, term, count) triples with one vectorised sort and the Python lists are dropped, so memory
holds the postings built so far plus one batch. The triples are then laid out term by term
(a counting sort: ``csr_scatter``). A progress bar shows for large builds; the report gives the
time, the size of the arrays and the process's peak resident memory.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt
from tqdm import tqdm

from qa.search.codec import Packed, pack
from qa.search.impact import ImpactIndex, length_norm, want_numba
from qa.search.tokenizer import tokenize

BATCH_TOKENS = 1 << 22  # ~4M tokens per vectorised batch (~100 MB of temporaries)
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


class _Batches:
    """Accumulates token ids, then turns each full batch into sorted (term, doc, count) arrays."""

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self.flat: list[int] = []
        self.lengths: list[int] = []
        self.base = 0
        self.parts: list[tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], npt.NDArray[np.int32]]] = []
        self.doc_len: list[npt.NDArray[np.int32]] = []

    def add(self, doc: Sequence[str]) -> None:
        start = len(self.flat)
        try:
            self.flat.extend(map(self.vocab.__getitem__, doc))
        except KeyError:  # a new term: the slow path, for this document only
            del self.flat[start:]
            vocab = self.vocab
            for term in doc:
                i = vocab.get(term)
                if i is None:
                    i = vocab[term] = len(vocab)
                self.flat.append(i)
        self.lengths.append(len(self.flat) - start)
        if len(self.flat) >= BATCH_TOKENS:
            self.flush()

    def flush(self) -> None:
        if not self.lengths:
            return
        ids = np.array(self.flat, dtype=np.int64)
        lens = np.array(self.lengths, dtype=np.int64)
        self.flat, self.lengths = [], []
        local = np.repeat(np.arange(lens.shape[0], dtype=np.int64), lens)
        keys, counts = np.unique((local << 32) | ids, return_counts=True)  # by doc, then term
        self.parts.append(
            (
                (keys & 0xFFFFFFFF).astype(np.int32),
                ((keys >> 32) + self.base).astype(np.int32),
                counts.astype(np.int32),
            )
        )
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
    batches = _Batches()
    seen = 0
    with tqdm(total=total, unit="doc", desc="indexing", disable=None if show else True) as bar:
        for doc in corpus:
            batches.add(doc)
            seen += 1
            if seen % 10_000 == 0:
                bar.update(10_000)
                bar.set_postfix(peak_rss=f"{peak_rss_bytes() / 2**30:.2f} GiB", refresh=False)
        bar.update(seen - bar.n)
    batches.flush()
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


def _concat(parts: list[tuple[npt.NDArray[np.int32], ...]], column: int, total: int) -> npt.NDArray[np.int32]:
    """One column of the batches in one array, each batch's copy freed as soon as it is copied."""
    out = np.empty(total, dtype=np.int32)
    at = 0
    for i, part in enumerate(parts):
        size = part[column].shape[0]
        out[at : at + size] = part[column]
        parts[i] = (*part[:column], np.zeros(0, dtype=np.int32), *part[column + 1 :])
        at += size
    return out


def _assemble(
    terms: list[str], batches: _Batches, k1: float, b: float, use_numba: bool | None
) -> ImpactIndex:
    """Lay the batches' postings out term by term, each term's documents in ascending order.
    At the peak memory holds five int32 arrays of one entry per posting."""
    parts: list[tuple[npt.NDArray[np.int32], ...]] = list(batches.parts)
    batches.parts = []
    total = sum(int(p[0].shape[0]) for p in parts)
    term_ids, doc_ids, counts = (_concat(parts, column, total) for column in range(3))
    del parts
    doc_len = np.concatenate(batches.doc_len) if batches.doc_len else np.zeros(0, dtype=np.int32)
    indptr = np.zeros(len(terms) + 1, dtype=np.int64)
    np.cumsum(np.bincount(term_ids, minlength=len(terms)), out=indptr[1:])
    docs = np.empty(total, dtype=np.int32)
    laid_counts = np.empty(total, dtype=np.int32)
    norm = length_norm(doc_len, k1, b)
    if want_numba(use_numba, doc_len.shape[0]):
        from qa.search.kernel import csr_scatter  # imports numba: only for corpora that need it
        from qa.search.pack import pack_compiled

        csr_scatter(term_ids, indptr, doc_ids, counts, docs, laid_counts)
        del term_ids, doc_ids, counts
        packed = pack_compiled(indptr, docs, laid_counts, norm, k1)
    else:
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
