"""BM25 engines side by side on a seeded synthetic Zipf corpus (issue 8).

Run: .venv/bin/python bench/bm25_bench.py [--docs 10000,100000,1000000]
        [--engines qa,rank-bm25,bm25s-numpy,bm25s-numba,tantivy] [--queries N] [--json FILE]

Corpus: a vocabulary of 100,000 terms with Zipf (s=1) frequencies; documents of about 100 tokens
(log-normal lengths, sigma 0.5, 5..1000); queries of 2-6 terms drawn the same way; all seeded, so
every engine sees the same tokens. Each (engine, size) runs in its own subprocess, which makes the
corpus (not timed), builds the index from the token lists (``build_s``), saves it (``index_bytes``
on disk), answers every query one at a time for top-10 (``qps``, ``p50_ms``, ``p99_ms``, after 20
warm-up queries) and then as a batch (``batch_qps``: the engine's own batch call on every core;
null where it has none); for qa, the same queries with a filter keeping a fixed 10% of the documents
(``filtered_qps``, ``filtered_p99_ms``), and reports its peak resident memory (``peak_rss_bytes``,
corpus included, plus the peak of its forked build workers: pages they share count twice;
``corpus_rss_bytes`` is the resident memory before the build). ``exact``: on every query, the
engine's i-th result has the i-th best exhaustive BM25 score (equal within 1e-6, so documents that
tie may swap), exhaustive BM25 being a separate scipy computation (the
``reference`` subprocess). tantivy's BM25 has k1 = 1.2 fixed and quantises document lengths to
one byte, so it is checked against exhaustive BM25 with k1 = 1.2 and its ``overlap_at_10`` and
``score_rel_diff`` (median relative difference of its scores from exhaustive ones) are reported.
rank-bm25 answers only the first 50 queries at 100k documents and 20 at 1M (2 s a query there).
For qa, a further subprocess loads the saved index (memory-mapped) and reports ``load_s`` and
``rss_after_load_bytes`` and the query speed from the mapped arrays.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bm25_engines as engines

VOCAB = 100_000
K = 10
WARMUP = 20
ENGINES = ("qa", "rank-bm25", "bm25s-numpy", "bm25s-numba", "tantivy")
RANK_BM25_QUERIES = {100_000: 50, 1_000_000: 20}


def zipf_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    p = 1.0 / np.arange(1, VOCAB + 1)
    cdf = np.cumsum(p / p.sum())
    return np.minimum(np.searchsorted(cdf, rng.random(n)), VOCAB - 1).astype(np.int32)


def make_corpus(n_docs: int, seed: int = 8) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    lengths = np.clip(np.rint(rng.lognormal(np.log(100) - 0.125, 0.5, n_docs)), 5, 1000).astype(np.int64)
    words = np.array([f"w{i}" for i in range(VOCAB)], dtype=object)
    corpus: list[list[str]] = []
    step = 100_000
    for lo in range(0, n_docs, step):
        lens = lengths[lo : lo + step]
        ids = words[zipf_ids(rng, int(lens.sum()))]
        ends = np.cumsum(lens).tolist()
        starts = [0, *ends[:-1]]
        corpus.extend(ids[s:e].tolist() for s, e in zip(starts, ends, strict=True))
    return corpus


def make_queries(n: int, seed: int = 88) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    sizes = rng.integers(2, 7, n)
    ids = zipf_ids(rng, int(sizes.sum())).tolist()
    out, at = [], 0
    for s in sizes.tolist():
        out.append([f"w{i}" for i in ids[at : at + s]])
        at += s
    return out


def rss_bytes() -> int:
    import psutil

    return int(psutil.Process().memory_info().rss)


def peak_rss_bytes() -> int:
    """This process's peak resident memory plus the largest of its children's (qa's build reads a
    large corpus in forked workers): an upper bound, as pages they share count twice."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(own + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) * 1024


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def time_queries(
    search: Callable[[list[str]], list[tuple[int, float]]], queries: list[list[str]]
) -> dict[str, Any]:
    for q in queries[:WARMUP]:
        search(q)
    results, times = [], []
    for q in queries:
        t0 = time.perf_counter()
        results.append(search(q))
        times.append(time.perf_counter() - t0)
    ms = np.array(times) * 1000
    return {
        "results": results,
        "qps": len(queries) / sum(times),
        "p50_ms": float(np.percentile(ms, 50)),
        "p99_ms": float(np.percentile(ms, 99)),
    }


def check(
    results: list[list[tuple[int, float]]], ref: dict[str, np.ndarray], tantivy: bool
) -> dict[str, Any]:
    """Exactness (see the module docstring) against the reference top-10 and its score lookup."""
    top_ids, top_scores = ref["tids" if tantivy else "ids"], ref["tscores" if tantivy else "scores"]
    exact, identical, overlap, rel = True, 0, [], []
    for qi, got in enumerate(results):
        want_ids = [int(i) for i in top_ids[qi] if i >= 0]
        want = [float(s) for s, i in zip(top_scores[qi], top_ids[qi], strict=True) if i >= 0]
        ids = [i for i, _ in got]
        ref_of = engines.reference_scores(ref, qi, ids, tantivy)
        same = len(ids) == len(want) and all(
            abs(a - b) <= 1e-6 * max(abs(b), 1e-12) for a, b in zip(ref_of, want, strict=True)
        )
        exact &= same
        identical += ids == want_ids
        overlap.append(len(set(ids) & set(want_ids)) / max(len(want_ids), 1))
        rel.extend(abs(s - r) / r for (_, s), r in zip(got, ref_of, strict=True) if r > 0)
    return {
        "exact": bool(exact),
        "identical_ids": identical / max(len(results), 1),
        "overlap_at_10": float(np.mean(overlap)) if overlap else None,
        "score_rel_diff": float(np.median(rel)) if rel else None,
    }


def worker(args: argparse.Namespace) -> dict[str, Any]:
    queries = make_queries(args.queries)
    row: dict[str, Any] = {"engine": args.worker, "docs": args.n}
    if args.worker == "qa-load":
        return {**row, **engines.qa_load(Path(args.workdir) / "qa-index", queries, time_queries)}
    corpus = make_corpus(args.n)
    row["corpus_rss_bytes"] = rss_bytes()
    if args.worker == "reference":
        engines.reference(corpus, queries, Path(args.workdir) / "reference.npz")
        return row
    if args.worker == "rank-bm25":
        queries = queries[: RANK_BM25_QUERIES.get(args.n, len(queries))]
        row["queries"] = len(queries)
    run = engines.RUNNERS[args.worker]
    out = Path(args.workdir) / f"{args.worker}-index"
    t0 = time.perf_counter()
    search, batch, save = run(corpus, out)
    row["build_s"] = time.perf_counter() - t0
    row["index_bytes"] = save()
    del corpus
    timed = time_queries(search, queries)
    row.update(qps=timed["qps"], p50_ms=timed["p50_ms"], p99_ms=timed["p99_ms"])
    row["batch_qps"] = None
    if batch is not None:
        batch(queries[:WARMUP])
        t0 = time.perf_counter()
        batch(queries)
        row["batch_qps"] = len(queries) / (time.perf_counter() - t0)
    ref = dict(np.load(Path(args.workdir) / "reference.npz"))
    row.update(check(timed["results"], ref, args.worker == "tantivy"))
    if "filtered" in engines.EXTRAS:  # a filter keeping 10% of the documents, the same queries
        ftimed = time_queries(engines.EXTRAS["filtered"], queries)
        row.update(filtered_qps=ftimed["qps"], filtered_p99_ms=ftimed["p99_ms"])
    if "segments" in engines.EXTRAS:
        row["segments"] = engines.EXTRAS["segments"]
    row["peak_rss_bytes"] = peak_rss_bytes()
    row.setdefault("queries", len(queries))
    return row


def run_one(engine: str, n: int, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--worker", engine, "--n", str(n), "--queries", str(args.queries)]
    cmd += ["--workdir", str(workdir)]
    print(f"# {engine} at {n:,} documents ...", file=sys.stderr, flush=True)
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        print(proc.stderr[-3000:], file=sys.stderr)
        return {"engine": engine, "docs": n, "error": proc.stderr.strip().splitlines()[-1:]}
    row: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return row


def fmt(value: Any, kind: str) -> str:
    if value is None:
        return "–"
    if kind == "gb":
        return f"{value / 2**30:.2f}"
    if kind == "mb":
        return f"{value / 2**20:,.0f}"
    if kind == "int":
        return f"{value:,.0f}"
    if kind == "f2":
        return f"{value:.2f}"
    return str(value)


def table(rows: list[dict[str, Any]]) -> str:
    cols = [
        ("engine", "engine", "str"),
        ("docs", "docs", "int"),
        ("build_s", "build s", "f2"),
        ("index_bytes", "index MiB", "mb"),
        ("peak_rss_bytes", "peak RSS GiB", "gb"),
        ("qps", "QPS", "int"),
        ("p50_ms", "p50 ms", "f2"),
        ("p99_ms", "p99 ms", "f2"),
        ("batch_qps", "batch QPS", "int"),
        ("filtered_qps", "10% filter QPS", "int"),
        ("exact", "exact top-10", "str"),
        ("overlap_at_10", "overlap@10", "f2"),
        ("queries", "queries", "int"),
    ]
    lines = ["| " + " | ".join(c[1] for c in cols) + " |", "|" + "---|" * len(cols)]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['engine']} | {r['docs']:,} | failed: {r['error']} |")
            continue
        lines.append("| " + " | ".join(fmt(r.get(key), kind) for key, _, kind in cols) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", default="10000,100000,1000000")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args)))
        return
    names = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = set(names) - set(ENGINES)
    if unknown:
        parser.error(f"unknown engines {sorted(unknown)}; choose from {', '.join(ENGINES)}")
    rows: list[dict[str, Any]] = []
    loads: list[dict[str, Any]] = []
    print(f"# {platform.python_version()}, {os.cpu_count()} CPUs, {args.queries} queries", file=sys.stderr)
    for n in [int(d) for d in args.docs.split(",")]:
        workdir = Path(tempfile.mkdtemp(prefix=f"bm25bench-{n}-"))
        try:
            run_one("reference", n, args, workdir)
            for name in names:
                rows.append(run_one(name, n, args, workdir))
                if name == "qa" and "error" not in rows[-1]:
                    loads.append(run_one("qa-load", n, args, workdir))
                shutil.rmtree(workdir / f"{name}-index", ignore_errors=True)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    print(table(rows))
    if loads:
        print("\n| qa index loaded (mmap) | docs | load s | RSS after load GiB | QPS | p99 ms | exact |")
        print("|---|---|---|---|---|---|---|")
        for r in loads:
            cells = [
                f"{r['docs']:,}",
                fmt(r.get("load_s"), "f2"),
                fmt(r.get("rss_after_load_bytes"), "gb"),
                fmt(r.get("qps"), "int"),
                fmt(r.get("p99_ms"), "f2"),
                str(r.get("exact")),
            ]
            print("| qa | " + " | ".join(cells) + " |")
    if args.json:
        args.json.write_text(json.dumps(rows + loads, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
