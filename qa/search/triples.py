"""A corpus's token lists as term ids and (term, doc, count) triples, on every core for large ones.

Documents are read ``BATCH_DOCS`` at a time. A batch's tokens become term ids through one dict in
one C-level pass (a term is hashed, never stemmed, here), and the batch is then reduced to (term,
doc, count) triples (one compiled pass, ``doc_term_counts``, or a vectorised sort without numba),
each document's distinct terms together, documents in order; its token lists are then dropped.

Mapping tokens to ids is Python work, bound to one core by the interpreter's lock. A corpus held
in memory (a sequence, not a stream) of ``PARALLEL_FROM`` documents or more is therefore cut into
as many consecutive slices as there are cores: this process reads the first, a forked worker each
of the others, with its own vocabulary, into memory shared with this process. Each worker's terms
are then numbered after the terms already seen, in the order the worker first met them, so the ids
are exactly those a single pass would give.
"""

from __future__ import annotations

import mmap
import multiprocessing
import os
from collections.abc import Callable, Sequence
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt

from qa.search.impact import want_numba

BATCH_DOCS = 20_000  # documents per vectorised batch (2M tokens, ~50 MB of temporaries, at 100 a document)
PARALLEL_FROM = 200_000  # documents held in memory: from this size up, read on every core

Part = tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], npt.NDArray[Any]]


def cores() -> int:
    """The cores this process may run on where it can fork workers (1 where it cannot: Windows)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def count_dtype(lens: npt.NDArray[np.int64]) -> type[np.unsignedinteger[Any]] | type[np.int32]:
    """The dtype of the counts of documents ``lens`` tokens long: a term occurs at most as often as
    its document is long, so 16 bits do unless a document has 65,536 tokens or more."""
    return np.int32 if lens.shape[0] and int(lens.max()) >= 1 << 16 else np.uint16


def head(part: Part, n: int) -> Part:
    """The first ``n`` triples of ``part`` (views)."""
    return (part[0][:n], part[1][:n], part[2][:n])


class _Vocabulary(dict[str, int]):
    """Term -> id; a term not seen before gets the next id as it is looked up, so looking up a
    whole batch is one C-level ``map`` (a Python call happens only for a new term)."""

    def __missing__(self, term: str) -> int:
        i = self[term] = len(self)
        return i


class Batches:
    """Turns batches of documents into (term, doc, count) arrays (``parts``), each document's
    distinct terms together, documents in order; ``vocab`` numbers the terms as first met."""

    def __init__(self, use_numba: bool | None = None, base: int = 0, out: Part | None = None) -> None:
        """``out``: arrays to write the triples into, one after another (at least as long as the
        documents have tokens; ``finish`` makes ``parts`` their written start); otherwise each
        batch gets arrays of its own."""
        self.vocab = _Vocabulary()
        self.base = base  # the id of the next document
        self.use_numba = use_numba
        #: (term, doc, count) arrays per batch; counts are uint16 unless a document is that long
        self.parts: list[Part] = []
        self.doc_len: list[npt.NDArray[np.int32]] = []
        self._scratch: tuple[npt.NDArray[Any], ...] = (np.zeros(0, dtype=np.int32),) * 3
        self._out = out
        self.written = 0  # triples written to ``out``

    def add(self, docs: Sequence[Sequence[str]]) -> None:
        """A batch of documents: their token ids in one pass, then their (term, doc, count) arrays."""
        if not docs:
            return
        lens = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
        n = int(lens.sum())
        ids = np.fromiter(map(self.vocab.__getitem__, chain.from_iterable(docs)), dtype=np.int64, count=n)
        self._reduce(ids, lens)

    def add_all(self, docs: Sequence[Sequence[str]], done: Callable[[int], None] | None = None) -> None:
        """``docs``, ``BATCH_DOCS`` at a time; ``done`` is told how many each batch held."""
        for lo in range(0, len(docs), BATCH_DOCS):
            batch = docs[lo : lo + BATCH_DOCS]
            self.add(batch)
            if done is not None:
                done(len(batch))

    def finish(self) -> None:
        """Free the workspaces; what was written to ``out`` becomes the one part."""
        self._scratch = (np.zeros(0, dtype=np.int32),) * 3
        if self._out is not None:
            self.parts = [head(self._out, self.written)]

    def _reduce(self, ids: npt.NDArray[np.int64], lens: npt.NDArray[np.int64]) -> None:
        out = self._out
        if want_numba(self.use_numba, self.base + lens.shape[0]):
            from qa.search.kernel import doc_term_counts  # imports numba: only for corpora that need it

            n = ids.shape[0]
            if out is not None:
                terms, docs, counts = (column[self.written :] for column in out)
            else:
                wide = count_dtype(lens)
                if self._scratch[0].shape[0] < n or self._scratch[2].dtype != wide:
                    # kept from batch to batch: its memory is mapped in
                    self._scratch = (np.zeros(n, np.int32), np.zeros(n, np.int32), np.zeros(n, wide))
                terms, docs, counts = self._scratch
            vocab = len(self.vocab)
            seen = np.full(vocab, -1, dtype=np.int64)
            pairs = doc_term_counts(ids, lens, seen, np.empty(vocab, dtype=np.int64), terms, docs, counts)
            docs[:pairs] += self.base
            part = (terms[:pairs], docs[:pairs], counts[:pairs])
            if out is None:  # the workspaces are reused: the batch's triples are copied out
                part = (part[0].copy(), part[1].copy(), part[2].copy())
        else:
            local = np.repeat(np.arange(lens.shape[0], dtype=np.int64), lens)
            keys, found = np.unique((local << 32) | ids, return_counts=True)  # by doc, then term
            part = (
                (keys & 0xFFFFFFFF).astype(np.int32),
                ((keys >> 32) + self.base).astype(np.int32),
                found.astype(np.int32),
            )
            pairs = part[0].shape[0]
            if out is not None:
                for column, values in zip(out, part, strict=True):
                    column[self.written : self.written + pairs] = values
        if out is not None:
            self.written += pairs
        else:
            self.parts.append(part)
        self.doc_len.append(lens.astype(np.int32))
        self.base += lens.shape[0]


def _shared(n: int, dtype: Any) -> npt.NDArray[Any]:
    """``n`` zeros in memory shared with processes forked after this call."""
    size = max(1, n * np.dtype(dtype).itemsize)
    return np.frombuffer(mmap.mmap(-1, size), dtype=dtype, count=n)


def _slice_worker(
    docs: Sequence[Sequence[str]], base: int, use_numba: bool, out: Part, done: Any, conn: Any
) -> None:
    """In a forked worker: ``docs`` (the ones from id ``base``) as triples into ``out`` (shared
    memory); the terms met, in the order met, and the number of triples go back through ``conn``."""
    try:
        batches = Batches(use_numba, base, out)
        batches.add_all(docs, lambda n: done.__setitem__(0, done[0] + n))
        conn.send((list(batches.vocab), batches.written))
    except BaseException as error:  # anything that stops the worker goes to the parent
        conn.send(error)
    finally:
        conn.close()


def read_parallel(
    corpus: Sequence[Sequence[str]],
    workers: int,
    use_numba: bool | None,
    done: Callable[[int], None] | None = None,
) -> Batches:
    """``corpus`` as one ``Batches``, its slices read at once by this process and ``workers - 1``
    forked ones; ``done`` hears of every batch read (this process's) and of the workers' progress."""
    lens = np.fromiter(map(len, corpus), dtype=np.int64, count=len(corpus))
    cuts = [len(corpus) * w // workers for w in range(workers + 1)]
    wide = count_dtype(lens)
    numba = want_numba(use_numba, len(corpus))  # the choice a single pass over the corpus would make

    def room(lo: int, hi: int, new: Callable[[int, Any], npt.NDArray[Any]]) -> Part:
        tokens = int(lens[lo:hi].sum())  # (term, doc) pairs are at most as many as tokens
        return (new(tokens, np.int32), new(tokens, np.int32), new(tokens, wide))

    forked = []
    context = multiprocessing.get_context("fork")
    for w in range(1, workers):
        lo, hi = cuts[w], cuts[w + 1]
        out, progress = room(lo, hi, _shared), _shared(1, np.int64)
        receive, send = context.Pipe(duplex=False)
        args = (corpus[lo:hi], lo, numba, out, progress, send)
        process = context.Process(target=_slice_worker, args=args)
        process.start()
        send.close()
        forked.append((process, receive, out, progress, lo, hi))
    batches = Batches(numba, 0, room(0, cuts[1], np.empty))  # pages untouched by triples stay unmapped
    reported = [0] * len(forked)

    def heard(n: int) -> None:
        if done is not None:
            news = [int(f[3][0]) for f in forked]
            done(n + sum(news) - sum(reported))
            reported[:] = news

    try:
        batches.add_all(corpus[: cuts[1]], heard)
        batches.finish()
        for i, (process, receive, out, _, lo, hi) in enumerate(forked):
            try:
                got = receive.recv()
            except EOFError:
                got = RuntimeError(f"an indexing worker stopped (exit code {process.exitcode})")
            process.join()
            if isinstance(got, BaseException):
                raise got
            terms, pairs = got
            remap = np.fromiter(map(batches.vocab.__getitem__, terms), dtype=np.int32, count=len(terms))
            part = head(out, pairs)
            np.take(remap, part[0], out=part[0])  # the worker's term ids -> the corpus's
            batches.parts.append(part)
            batches.doc_len.append(lens[lo:hi].astype(np.int32))
            batches.base = hi
            if done is not None:
                done(hi - lo - reported[i])
                reported[i] = hi - lo
    finally:
        for process, *_ in forked:
            if process.is_alive():
                process.kill()
            process.join()
    return batches
