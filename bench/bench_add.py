"""Time `qa add` and engine start-up on generated corpora: cold, incremental, and from the cache.

Run: .venv/bin/python bench/bench_add.py [N ...]   (default 100 500 1000). Prints a Markdown table.
Documents are the shipped corpus's bodies (about 5,000 characters each) under new ids, so the
passages are of realistic length. Only this script measures time; the tests assert counts
(processed / reused), never durations.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa.answers import Engine
from qa.documents.corpus import load_corpus
from qa.store.directory import Store
from tests.docmaker import md

T = TypeVar("T")


def timed(action: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def quiet(data: Path) -> Store:
    return Store(data, on_warning=lambda m: None)


def row(n: int) -> str:
    bodies = [d.body for d in load_corpus()]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "in").mkdir()
        paths = []
        for i in range(n):
            path = root / "in" / f"doc-{i:05d}.md"
            text = md(f"Doc {i}", "2020-01-01", bodies[i % 5] + f"\n\nuniqword{i}")
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        store = quiet(root / "data")
        _, cold = timed(lambda: store.add_paths([root / "in"]))
        paths[n // 2].write_text(md("Changed", "2021-01-01", "New words: durian."), encoding="utf-8")
        report, one = timed(lambda: store.add_paths([paths[n // 2]]))
        _, cached = timed(lambda: Engine.from_store(quiet(root / "data")))
        fresh = quiet(root / "data")
        docs = [*fresh.shipped_documents(), *fresh.added_documents()]
        _, uncached = timed(lambda: Engine(docs))
        return (
            f"| {n} | {cold:.2f} s | {one:.2f} s | {report.processed} / {report.reused} "
            f"| {cached:.2f} s | {uncached:.2f} s |"
        )


def main(sizes: list[int]) -> None:
    print("| docs | add all (cold) | re-add 1 changed | processed / reused | engine from cache", end="")
    print(" | engine, chunking + tokenising all |")
    print("|---:|---:|---:|---|---:|---:|")
    for n in sizes:
        print(row(n), flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 500, 1000])
