"""Time `Engine.ask` with and without meaning similarity (qa/search/semantic.py), on corpora of growing size.

Run: .venv/bin/python bench/ask_latency.py [N ...]   (default 5 500 2000 documents). Prints a
Markdown table. Corpora beyond the shipped five are its documents repeated under new ids, so the
passages are of realistic length. Meaning similarity runs for every question, on the sentences
of the passages BM25 re-ranks (at most ``Settings.depth`` passages), each embedded once and kept, so
a question's cost should not grow with the corpus. The last column is the engine a data directory
gives (``qa add``, ``qa ask``, the page): every sentence's vector stored at index time, so a
question embeds only itself. "First ask" and the fact column are timed with the
answer layer's caches of sentence terms emptied before each question; "asked again" keeps them. Only
this script measures time.
"""

from __future__ import annotations

import dataclasses
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa.answers import Engine, Settings
from qa.answers.ranking import terms_of
from qa.answers.spans import word_positions
from qa.documents.corpus import load_corpus
from qa.documents.models import Document
from qa.search.semantic import Vectors, load_embedder
from qa.search.tokenizer import tokenize

EXPLAIN = [
    "What is the reasoning behind using online commerce to fight rural poverty?",
    "What does the idea of using e-commerce to boost farming involve?",
    "How should rural e-commerce talent be developed?",
    "What are the main obstacles holding back rural e-commerce?",
    "How is livestream selling changing how farm goods reach consumers?",
]
FACT = ["How many counties did the 2016 demonstration cover?", "when were poverty counties fully covered"]


def corpus(n: int) -> list[Document]:
    shipped = load_corpus()
    return (
        [
            dataclasses.replace(shipped[i % len(shipped)], id=f"{shipped[i % len(shipped)].id}-{i}")
            for i in range(n)
        ]
        if n > len(shipped)
        else shipped[:n]
    )


def forget() -> None:
    """Empty the answer layer's per-process caches of sentence terms and word positions: the corpora
    here repeat the same texts under new ids, which a real corpus does not, so a first ask is timed
    with none of its sentences read before."""
    terms_of.cache_clear()
    word_positions.cache_clear()


def ms(engine: Engine, questions: list[str], first: bool = True) -> float:
    """Median milliseconds per question; ``first``: each as if no sentence had been read before."""
    times = []
    for q in questions:
        if first:
            forget()
        start = time.perf_counter()
        engine.ask(q)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def stored(engine: Engine) -> Vectors:
    """The rows a data directory would hold for ``engine``'s passages: each sentence's or clause's
    unit vector, in order (each distinct text embedded once, as the store keys rows by text)."""
    embedder = load_embedder()
    assert embedder is not None
    texts = [u.text for c in engine.chunks for _, u in c.pieces]
    distinct = list(dict.fromkeys(texts))
    rows = dict(zip(distinct, embedder.encode(distinct), strict=True))
    return np.stack([rows[t] for t in texts])


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [5, 500, 2000]
    start = time.perf_counter()
    load_embedder()
    print(f"model load (once per process): {time.perf_counter() - start:.2f} s\n")
    print(
        "| documents | passages | explanatory, first ask (ms) | explanatory, asked again (ms) "
        "| explanatory, meaning off (ms) | fact question (ms) | fact question, vectors stored (ms) |"
    )
    print("|---|---|---|---|---|---|---|")
    for n in sizes:
        docs = corpus(n)
        on, off = Engine(docs), Engine(docs, Settings(meaning_weight=0.0))
        cold = ms(on, EXPLAIN)
        warm = ms(on, EXPLAIN, first=False)
        tokens = [tokenize(c.text) for c in on.chunks]
        kept = Engine(docs, prepared=(on.chunks, tokens), entities=on.entities, vectors=stored(on))
        print(
            f"| {n:,} | {len(on.chunks):,} | {cold:.0f} | {warm:.0f} | {ms(off, EXPLAIN):.0f} "
            f"| {ms(on, FACT):.0f} | {ms(kept, FACT):.0f} |"
        )


if __name__ == "__main__":
    main()
