"""Many questions on every core: ``ask_all`` answers a list of questions in order, in worker
processes forked from the one that holds the engine.

A question's cost is Python in the answer layer (re-ranking, sentence scores, spans) under the GIL,
so threads would not help; forked workers share the engine's arrays with the parent (copy on
write) and need no index of their own. Answers come back in the order asked, the same as asking
one at a time with BLAS on one thread as the workers have it (``tests/test_batch.py``; BLAS on more
threads may round a question's vector differently in the last bits, so a score's sixth decimal can
differ from a single ``qa ask``'s). Where ``fork`` is not available (Windows, macOS's default)
or a sharded index is in use (its Ray handles are not to be shared across processes), questions are
asked one at a time.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Collection, Iterator, Sequence

from qa.answers.engine import Engine
from qa.documents.models import Answer
from qa.search.index import BM25Index

#: Fewer questions than this per worker are not worth a process.
PER_WORKER = 8

_shared: tuple[Engine, dict[str, object]] | None = None  # the engine the forked workers use


def _one_thread() -> None:
    """A worker's BLAS on one thread: the workers already use every core, and OpenBLAS's own
    threads, forked, made two workers six times slower than one (bench/ask_batch.py)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


def _ask(question: str) -> Answer:
    assert _shared is not None
    engine, options = _shared
    return engine.ask(question, **options)  # type: ignore[arg-type]


def workers_for(engine: Engine, n_questions: int, workers: int | None = None) -> int:
    """How many processes to ask ``n_questions`` with: every core by default, one when forking is
    not possible or not worth it."""
    if "fork" not in multiprocessing.get_all_start_methods() or not isinstance(engine.index, BM25Index):
        return 1
    wanted = workers if workers is not None else (os.cpu_count() or 1)
    return max(1, min(wanted, n_questions // PER_WORKER))


def ask_all(
    engine: Engine,
    questions: Sequence[str],
    k: int = 5,
    *,
    docs: Collection[str] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    workers: int | None = None,
) -> Iterator[Answer]:
    """The answer to each of ``questions``, in order, asked on ``workers`` processes (default:
    every core)."""
    global _shared
    options: dict[str, object] = {"k": k, "docs": docs, "since": since, "until": until}
    n = workers_for(engine, len(questions), workers)
    if n == 1:
        for q in questions:
            yield engine.ask(q, k, docs=docs, since=since, until=until)
        return
    engine.load_models()  # once, before the fork, rather than once per worker
    _shared = (engine, options)
    try:
        with multiprocessing.get_context("fork").Pool(n, initializer=_one_thread) as pool:
            yield from pool.imap(_ask, questions, chunksize=max(1, len(questions) // (n * 4)))
    finally:
        _shared = None
