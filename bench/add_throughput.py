"""Time `qa add` with named entities, with and without passage vectors, and the first build of the
shipped corpus in a fresh data directory (issue 17).

Run: .venv/bin/python bench/add_throughput.py [N ...]   (default 50 100). Prints Markdown tables.
Each of the N generated documents has four paragraphs of two or three sentences naming people,
places, organisations, sums and dates, so spaCy has entities to find; every passage's text is
distinct (the vector file is keyed by text, so repeated texts would be embedded once). spaCy and
the embedding model are loaded before the clock starts (their load times are printed on their
own); "without vectors" is a build as without the semantic extra. The tests assert counts, never
durations: only this script measures time.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa.documents.ner import entities
from qa.search.semantic import load_embedder
from qa.store.directory import Store
from tests.docmaker import md

PEOPLE = ["Li Wei", "Zhang Min", "Wang Fang", "Chen Jie", "Liu Yang", "Huang Lei", "Zhao Hui", "Sun Li"]
PLACES = ["Guizhou", "Yunnan", "Gansu", "Sichuan", "Hunan", "Shaanxi", "Guangxi", "Jiangxi", "Anhui"]
ORGS = ["the Ministry of Commerce", "Alibaba", "JD.com", "the State Council", "Pinduoduo", "China Post"]


def document(rng: random.Random, i: int) -> str:
    paragraphs = []
    for p in range(4):
        person, place, org = rng.choice(PEOPLE), rng.choice(PLACES), rng.choice(ORGS)
        year, count, money = rng.randint(2012, 2024), rng.randint(3, 900), rng.randint(2, 95)
        sentences = [
            f"In {year}, {person} of {org} opened {count} county warehouses in {place} (report {i}.{p}).",
            f"The programme cost {money} million yuan and trained {count * 7} sellers by March {year + 1}.",
        ]
        if rng.random() < 0.5:
            sentences.append(f"Parcels from {place} rose by {rng.randint(5, 60)} percent within a year.")
        paragraphs.append(" ".join(sentences))
    return md(f"Report {i}", f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}", "\n\n".join(paragraphs))


def add(n: int, with_vectors: bool) -> tuple[int, int, float]:
    rng = random.Random(n)
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        if not with_vectors:
            patch.setattr("qa.store.vectors.model_name", lambda: None)
        folder = Path(tmp) / "in"
        folder.mkdir()
        for i in range(n):
            (folder / f"report-{i:04d}.md").write_text(document(rng, i), encoding="utf-8")
        store = Store(Path(tmp) / "data", include_shipped=False, on_warning=lambda m: None)
        start = time.perf_counter()
        report = store.add_paths([folder])
        seconds = time.perf_counter() - start
        built = store.build()
        assert report.processed == n and (built.vectors is not None) == with_vectors
        return n, len(built.chunks), seconds


COLD = """
import time
start = time.perf_counter()
from qa.store.directory import Store
built = Store().build()
cold = time.perf_counter() - start
start = time.perf_counter()
again = Store().build()
warm = time.perf_counter() - start
print(len(built.documents), len(built.chunks), built.vectors.shape[1], f"{cold:.1f}", f"{warm:.2f}")
"""


def cold_shipped() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "data").mkdir()
        env = {**os.environ, "QA_DATA_DIR": str(Path(tmp) / "data")}
        root = Path(__file__).resolve().parent.parent
        out = subprocess.run([sys.executable, "-c", COLD], cwd=root, env=env, capture_output=True, text=True)
        docs, passages, dim, cold, warm = out.stdout.split()
        return f"| {docs} | {passages} | {dim} | {cold} s | {warm} s |"


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [50, 100]
    start = time.perf_counter()
    entities(["Li Wei went to Guizhou."])  # loads spaCy
    loaded_ner = time.perf_counter() - start
    start = time.perf_counter()
    embedder = load_embedder()
    assert embedder is not None, "the semantic extra is missing"
    embedder.encode(["warm up"])
    print(
        f"loading spaCy: {loaded_ner:.1f} s; loading the embedding model: {time.perf_counter() - start:.1f} s"
    )
    print()
    print("| docs | passages | vectors | seconds | docs/s | passages/s |")
    print("|---|---|---|---|---|---|")
    for n in sizes:
        for with_vectors in (False, True):
            docs, passages, seconds = add(n, with_vectors)
            flag, rates = "yes" if with_vectors else "no", f"{docs / seconds:.1f} | {passages / seconds:.1f}"
            print(f"| {docs} | {passages} | {flag} | {seconds:.1f} | {rates} |")
    print()
    print("First build of the shipped corpus in a fresh data directory (new process, models not loaded):")
    print()
    print("| documents | passages | dimension | cold build | warm build |")
    print("|---|---|---|---|---|")
    print(cold_shipped())


if __name__ == "__main__":
    main()
