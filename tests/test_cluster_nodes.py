"""A real two-node Ray cluster on this machine (``ray start --head`` and a second ``ray start``
joining it with a resource of its own), the sharded index spread over both nodes, and the
parity check run through it. The test stops exactly the processes it started: every one of
them carries a marker in its environment (Ray's daemons and workers inherit it)."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

RAY = [sys.executable, "-c", "import sys; from ray.scripts.scripts import main; sys.argv[0] = 'ray'; main()"]
MARK = "QA_TEST_RAY_CLUSTER"

DRIVER = """
import json, sys
import ray
import qa
from qa.cluster import open_sharded
from tests.test_cluster import random_corpus, same_hits
from qa.search.index import BM25Index

ray.init(address=sys.argv[1], log_to_driver=False, configure_logging=False)
nodes = {n["NodeID"]: n["Resources"] for n in ray.nodes() if n["Alive"]}
assert len(nodes) == 2, nodes
second = {"node2": 1.0}
# the shipped corpus: its shards wherever Ray puts them
one = qa.Engine.from_folder()
sharded = qa.Engine(one.documents, vocabulary=one.vocabulary, ray=sys.argv[1], shards=2)
where = [i["node"] for i in sharded.index.info()]
asked = 0
for question in ("When did the rural demonstration begin?", "Who wrote about tea?",
                 "Which spacecraft carried the zorblax quantum harmonica?"):
    got, want = qa.answer_to_dict(sharded.ask(question)), qa.answer_to_dict(one.ask(question))
    assert json.dumps(got) == json.dumps(want)
    asked += 1
chunks, tokens = random_corpus(11, 80, 250)
pinned = open_sharded(chunks, tokens, sys.argv[1], 2, resources={0: {"node1": 1.0}, 1: second})
info = pinned.info()
node1 = [n for n, r in nodes.items() if r.get("node1")][0]
node2 = [n for n, r in nodes.items() if r.get("node2")][0]
assert (info[0]["node"], info[1]["node"]) == (node1, node2), (info, node1, node2)
single = BM25Index(tokens)
vocab = sorted(single.vocabulary)
compared = 0
for i in range(60):
    query = [vocab[(i * 7 + j * 13) % len(vocab)] for j in range(1 + i % 4)]
    want = single.search(query, 10)
    same_hits(want, pinned.search(query, 10))
    compared += len(want)
print(json.dumps({"nodes": len(nodes), "shard_nodes": sorted({*where, *(i["node"] for i in info)}),
                  "questions": asked, "compared": compared}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _parents() -> dict[int, int]:
    """Every process's parent."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return parents


def _marked(mark: str, known: set[int] | None = None) -> set[int]:
    """Processes whose environment holds ``MARK=mark`` (Ray's daemons, started by this test's
    ``ray start``), their descendants (workers and agents, which rename themselves and so lose
    the marker), and those of ``known`` still alive."""
    needle = f"{MARK}={mark}".encode()
    found = set()
    parents = _parents()
    for pid in parents:
        if pid == os.getpid():
            continue
        try:
            if needle in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"):
                found.add(pid)
        except OSError:
            continue
    found |= {pid for pid in known or () if pid in parents}
    grew = True
    while grew:
        children = {pid for pid, parent in parents.items() if parent in found} - found
        grew = bool(children)
        found |= children
    return found


def _stop(mark: str) -> set[int]:
    """Stop this cluster's processes (TERM, then KILL what is left), and no one else's; returns
    the process ids it stopped."""
    seen: set[int] = set()
    for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 2.0)):
        seen |= _marked(mark, seen)
        for pid in _marked(mark, seen):
            with contextlib.suppress(OSError):
                os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while _marked(mark, seen) and time.monotonic() < deadline:
            time.sleep(0.1)
    return seen


@pytest.fixture
def two_nodes() -> Iterator[tuple[str, dict[str, str]]]:
    mark = secrets.token_hex(8)
    temp = tempfile.mkdtemp(prefix="qa-ray-", dir="/tmp")  # short: Ray's socket paths have a limit
    env = {
        **os.environ,
        MARK: mark,
        "RAY_AUTH_MODE": "token",
        "RAY_AUTH_TOKEN": secrets.token_hex(32),
        "RAY_USAGE_STATS_ENABLED": "0",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("QA_RAY_ADDRESS", None)
    port = _free_port()
    common = ["--num-cpus", "1", "--object-store-memory", str(100 * 1024 * 1024), "--disable-usage-stats"]
    common += ["--node-ip-address", "127.0.0.1"]
    try:
        head = [*RAY, "start", "--head", "--port", str(port), "--temp-dir", temp]
        head += ["--include-dashboard", "false", "--resources", '{"node1": 1}']
        subprocess.run([*head, *common], env=env, check=True, capture_output=True, timeout=120)
        join = [*RAY, "start", "--address", f"127.0.0.1:{port}", "--resources", '{"node2": 1}']
        subprocess.run([*join, *common], env=env, check=True, capture_output=True, timeout=120)
        yield f"127.0.0.1:{port}", env
    finally:
        stopped = _stop(mark)
        subprocess.run(["rm", "-rf", temp], check=False)
    assert len(stopped) >= 4  # the head's GCS and raylet, the second raylet, their workers
    assert not _marked(mark, stopped)


def test_parity_through_a_two_node_cluster(two_nodes: tuple[str, dict[str, str]]) -> None:
    import json

    address, env = two_nodes
    driver = [sys.executable, "-c", DRIVER, address]
    done = subprocess.run(driver, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["nodes"] == 2
    assert len(report["shard_nodes"]) == 2  # shards served from both nodes
    assert report["questions"] == 3 and report["compared"] > 100
