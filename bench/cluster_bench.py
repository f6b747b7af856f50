"""The sharded index on a local Ray cluster (issue 19): 1, 2 and 4 shards of the same corpus.

Run: .venv/bin/python bench/cluster_bench.py [--docs 1000000] [--shards 1,2,4] [--queries 1000]
        [--cpus 2] [--json FILE]

Corpus and queries: bench/bm25_bench.py's seeded Zipf generator (imported, not copied), each
passage its own document. One machine's engine (``BM25Index``, in this process) is built first:
its build time and query speed are the baseline row, and its top 10 is the reference every
sharded run is checked against (same passages, scores within 1e-9; tied passages may swap).
For each shard count, on one local Ray cluster (``ray.init(num_cpus=--cpus)``): ``build_s`` is
the wall time of ``build_shards`` (token lists sent to Ray tasks, one per shard, each indexing and
saving its shard; then the global statistics), ``open_s`` the time to start the actors and map the
shards; then every query one at a time through ``ShardedIndex.search`` (top 10, after 20 warm-up
queries): QPS, p50, p99; and each shard actor's resident memory and index size.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bm25_bench import K, make_corpus, make_queries
from bm25_bench import time_queries as timed

from qa.search.index import BM25Index

GIB = 1024**3


def same(want: list[tuple[int, float]], got: list[tuple[int, float]]) -> bool:
    """Same scores (1e-9) and passages; passages of tied scores may swap (as tests/test_cluster.py)."""
    if len(want) != len(got):
        return False
    for (wp, ws), (gp, gs) in zip(want, got, strict=True):
        if abs(ws - gs) > 1e-9 * abs(ws):
            return False
        if wp != gp and not any(p == gp and abs(s - ws) <= 1e-9 * ws for p, s in want) and ws != want[-1][1]:
            return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--shards", default="1,2,4")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--cpus", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    load = os.getloadavg()
    t0 = time.perf_counter()
    corpus = make_corpus(args.docs)
    queries = make_queries(args.queries)
    print(f"corpus of {args.docs:,} passages made in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    t0 = time.perf_counter()
    single = BM25Index(corpus)
    single_build = time.perf_counter() - t0
    base = timed(lambda q: single.search(q, K), queries)
    rows: list[dict[str, Any]] = [
        {
            "setup": "one machine (BM25Index, in process)",
            "shards": 0,
            "docs": args.docs,
            "build_s": single_build,
            "open_s": None,
            "qps": base["qps"],
            "p50_ms": base["p50_ms"],
            "p99_ms": base["p99_ms"],
            "shard_rss_gib": None,
            "shard_index_mib": None,
            "parity": None,
        }
    ]
    print(f"one machine: build {single_build:.1f} s, {base['qps']:.0f} QPS", file=sys.stderr)

    import ray

    from qa.cluster.build import build_shards, start_actors
    from qa.cluster.sharded import ShardedIndex

    ray.init(num_cpus=args.cpus, include_dashboard=False, log_to_driver=False, configure_logging=False)
    doc_ids = [str(i) for i in range(args.docs)]
    try:
        for shards in [int(s) for s in args.shards.split(",")]:
            with tempfile.TemporaryDirectory(prefix="qa-cluster-bench-") as root:
                t0 = time.perf_counter()
                generation, stats = build_shards(doc_ids, corpus, shards, Path(root), key="bench")
                build_s = time.perf_counter() - t0
                t0 = time.perf_counter()
                index = ShardedIndex(stats, start_actors(generation, stats))
                open_s = time.perf_counter() - t0
                run = timed(lambda q, index=index: index.search(q, K), queries)
                exact = sum(same(w, g) for w, g in zip(base["results"], run["results"], strict=True))
                info = index.info()
                rows.append(
                    {
                        "setup": f"{shards} shard{'s' if shards > 1 else ''} (local Ray cluster)",
                        "shards": shards,
                        "docs": args.docs,
                        "build_s": build_s,
                        "open_s": open_s,
                        "qps": run["qps"],
                        "p50_ms": run["p50_ms"],
                        "p99_ms": run["p99_ms"],
                        "shard_rss_gib": [i["rss_bytes"] / GIB for i in info],
                        "shard_index_mib": [i["index_bytes"] / 1024**2 for i in info],
                        "parity": f"{exact}/{len(queries)}",
                    }
                )
                print(
                    f"{shards} shards: build {build_s:.1f} s, {run['qps']:.0f} QPS, parity {exact}",
                    file=sys.stderr,
                )
                index.close()
    finally:
        ray.shutdown()
    print(table(rows, load, args.cpus))
    if args.json:
        args.json.write_text(json.dumps({"loadavg": load, "rows": rows}, indent=2) + "\n")


def table(rows: list[dict[str, Any]], load: tuple[float, float, float], cpus: int) -> str:
    """The Markdown table, captioned with the machine's load."""
    uptime = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    lines = [
        f"Machine: {os.cpu_count()} cores, Ray local cluster num_cpus={cpus}; load at start "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, at end: `{uptime}`",
        "",
        "| setup | passages | build s | open s | QPS | p50 ms | p99 ms | RSS per shard GiB "
        "| index per shard MiB | same top 10 as one machine |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]

    def many(values: list[float] | None, fmt: str) -> str:
        return "–" if values is None else " / ".join(format(v, fmt) for v in values)

    for r in rows:
        open_s = "–" if r["open_s"] is None else f"{r['open_s']:.1f}"
        lines.append(
            f"| {r['setup']} | {r['docs']:,} | {r['build_s']:.1f} | {open_s} | {r['qps']:,.0f} | "
            f"{r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {many(r['shard_rss_gib'], '.2f')} | "
            f"{many(r['shard_index_mib'], '.0f')} | {r['parity'] or 'reference'} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
