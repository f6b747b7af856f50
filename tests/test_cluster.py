"""The sharded index on a real (local) Ray cluster gives one machine's passages and scores, to
1e-9, and one machine's answers, byte for byte; a killed shard actor is survived or reported."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

import qa
from qa.cli import cli
from qa.cluster import build_sharded, current_generation, open_sharded
from qa.cluster.layout import content_key
from qa.cluster.sharded import ShardedIndex
from qa.documents.models import Chunk
from qa.search.index import BM25Index

QUESTIONS = [
    "When did the rural demonstration begin?",
    "Who wrote about tea?",
    "What was the population of the town?",
    "Which spacecraft carried the zorblax quantum harmonica?",  # abstains: unknown names
    "How many members joined?",
]


def random_corpus(seed: int, docs: int, vocab: int) -> tuple[list[Chunk], list[list[str]]]:
    """Documents of 1-6 passages, words drawn Zipf-like (so some terms are in most passages,
    some in one), some passages empty or repeated."""
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(vocab)]
    weights = [1.0 / (i + 1) for i in range(vocab)]
    chunks: list[Chunk] = []
    tokens: list[list[str]] = []
    for d in range(docs):
        for p in range(rng.randint(1, 6)):
            roll = rng.random()
            if roll < 0.03:
                toks: list[str] = []
            elif roll < 0.08 and tokens:
                toks = list(rng.choice(tokens))
            else:
                toks = rng.choices(words, weights, k=rng.randint(1, 40))
            chunks.append(Chunk(f"d{d}:{p}", f"d{d}", p, p, 0, 1, " ".join(toks)))
            tokens.append(toks)
    return chunks, tokens


def same_hits(want: list[tuple[int, float]], got: list[tuple[int, float]]) -> None:
    """Same scores to 1e-9, same passages in the same order; passages whose scores tie (within
    1e-9: a shard adds a passage's term parts in its own order) may swap among themselves, and at
    the cut a tied passage may stand in for another of the same score."""
    assert len(got) == len(want)
    assert [s for _, s in got] == pytest.approx([s for _, s in want], rel=1e-9, abs=1e-12)
    for (wp, ws), (gp, _) in zip(want, got, strict=True):
        if wp != gp:
            tied = {p for p, s in want if abs(s - ws) <= 1e-9 * ws}
            assert gp in tied or abs(ws - want[-1][1]) <= 1e-9 * ws, (want, got)


@pytest.mark.parametrize(("seed", "shards"), [(1, 1), (2, 2), (3, 4)])
def test_sharded_search_is_the_single_machine_search(ray_local: Any, seed: int, shards: int) -> None:
    chunks, tokens = random_corpus(seed, 120, 300)
    single = BM25Index(tokens)
    sharded = open_sharded(chunks, tokens, "local", shards)
    assert sharded.shards == min(shards, 120)
    assert sharded.avgdl == single.avgdl
    assert sharded.vocabulary == single.vocabulary
    for term in [*sorted(single.vocabulary)[:50], "never-seen"]:
        assert sharded.idf(term) == single.idf(term)
        assert sharded.doc_freq(term) == single.doc_freq(term)
    rng = np.random.default_rng(seed)
    vocab = sorted(single.vocabulary)
    queries = [list(rng.choice(vocab, int(rng.integers(1, 7)))) for _ in range(150)]
    queries += [["never-seen"], [vocab[0], vocab[0], "never-seen"]]
    compared = 0
    for i, query in enumerate(queries):
        k = (1, 5, 10, 50)[i % 4]
        allowed = None if i % 3 else set(rng.choice(len(tokens), len(tokens) // 3, replace=False).tolist())
        want = single.search(query, k, allowed=allowed)
        got = sharded.search(query, k, allowed=allowed)
        same_hits(want, got)
        if allowed is not None:
            assert all(p in allowed for p, _ in got)
        compared += len(want)
    assert compared > 500
    batch = sharded.search_batch(queries[:20], 10)
    for query, got in zip(queries[:20], batch, strict=True):
        same_hits(single.search(query, 10), got)
    assert sharded.unreachable() == ()
    sharded.close()


@pytest.fixture(scope="module")
def shipped_pair(ray_local: Any) -> Iterator[tuple[qa.Engine, qa.Engine]]:
    corpus = qa.load_corpus()
    vocabulary = qa.load_vocabulary(qa.default_corpus_dir())
    sharded = qa.Engine(corpus, vocabulary=vocabulary, ray="local", shards=3)
    yield qa.Engine(corpus, vocabulary=vocabulary), sharded
    assert isinstance(sharded.index, ShardedIndex)
    sharded.index.close()


def test_shipped_corpus_answers_are_identical(shipped_pair: tuple[qa.Engine, qa.Engine]) -> None:
    one, sharded = shipped_pair
    assert isinstance(sharded.index, ShardedIndex) and sharded.index.shards == 3
    for term in one.index.vocabulary:
        assert sharded.index.idf(term) == one.index.idf(term)
    abstained = 0
    for question in QUESTIONS:
        a, b = one.ask(question), sharded.ask(question)
        assert json.dumps(qa.answer_to_dict(b)) == json.dumps(qa.answer_to_dict(a))
        assert [h.score for h in b.hits] == pytest.approx([h.score for h in a.hits], rel=1e-9)
        abstained += a.abstained
    assert 0 < abstained < len(QUESTIONS)
    # each term of the shipped corpus as a query
    for term in sorted(one.index.vocabulary):
        same_hits(one.index.search([term], 20), sharded.index.search([term], 20))


def test_filters_apply_in_each_shard(shipped_pair: tuple[qa.Engine, qa.Engine]) -> None:
    import datetime as dt

    one, sharded = shipped_pair
    docs = [d.id for d in one.documents]
    for question in QUESTIONS[:3]:
        for kwargs in ({"docs": docs[::2]}, {"since": dt.date(1900, 1, 1), "until": dt.date(1950, 1, 1)}):
            a, b = one.ask(question, **kwargs), sharded.ask(question, **kwargs)
            assert json.dumps(qa.answer_to_dict(b)) == json.dumps(qa.answer_to_dict(a))


def test_cli_json_is_byte_identical(ray_local: Any, tmp_path: Path) -> None:
    runner = CliRunner()
    data = ["--data-dir", str(tmp_path / "data")]
    on_ray = ["--ray", "local", "--shards", "3"]
    questions = tmp_path / "questions.txt"
    questions.write_text("\n".join(QUESTIONS) + "\n", encoding="utf-8")
    for asked in (["--batch", str(questions)], [QUESTIONS[0], "--format", "json"]):
        plain = runner.invoke(cli, [*data, "ask", *asked])
        ray = runner.invoke(cli, [*data, "ask", *asked, *on_ray])
        assert plain.exit_code == 0 and ray.exit_code == 0, (plain.output, ray.output)
        assert ray.stdout == plain.stdout
        assert '"partial"' not in ray.stdout
    lines = [
        json.loads(line)
        for line in runner.invoke(cli, [*data, "ask", "--batch", str(questions)]).stdout.splitlines()
    ]
    assert [a["question"] for a in lines] == QUESTIONS and any(a["abstained"] for a in lines)
    assert all(a["hits"] for a in lines if not a["abstained"])
    found = current_generation(tmp_path / "data" / "cache" / "shards")
    assert found is not None and len(found[1].bounds) == 3


def test_reindex_on_the_cluster_writes_the_shards_ask_then_serves(ray_local: Any, tmp_path: Path) -> None:
    runner = CliRunner()
    data = ["--data-dir", str(tmp_path / "data")]
    done = runner.invoke(cli, [*data, "reindex", "--ray", "local", "--shards", "2", "--progress"])
    assert done.exit_code == 0, done.output
    assert "2 shards on the cluster" in done.stdout
    assert "sharding" in done.stderr  # the progress bar of the shard builds
    root = tmp_path / "data" / "cache" / "shards"
    found = current_generation(root)
    assert found is not None
    generation = found[0]
    asked = runner.invoke(
        cli, [*data, "ask", QUESTIONS[0], "--format", "json", "--ray", "local", "--shards", "2"]
    )
    assert asked.exit_code == 0
    again = current_generation(root)
    assert again is not None and again[0] == generation  # served as built: not built again


def test_a_build_that_dies_halfway_leaves_the_last_good_index_serving(ray_local: Any, tmp_path: Path) -> None:
    chunks, tokens = random_corpus(7, 60, 200)
    root = tmp_path / "shards"
    good, stats = build_sharded(chunks, tokens, 3, root)

    def die(stage: str, done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt  # as a build killed after its second shard was written

    changed = [*tokens[:-1], ["w1", "w2", "w3"]]
    with pytest.raises(KeyboardInterrupt):
        build_sharded(chunks, changed, 3, root, progress=die)
    assert len(list(root.glob("g-*"))) == 2  # the dead build's generation, never made current
    found = current_generation(root)
    assert found is not None and found[0] == good and found[1].key == stats.key
    assert stats.key == content_key(chunks, tokens, 3) != content_key(chunks, changed, 3)
    serving = open_sharded(chunks, tokens, "local", 3, root)  # the old index, not rebuilt
    again = current_generation(root)
    assert again is not None and again[0] == good
    single = BM25Index(tokens)
    for term in ("w1", "w5", "w9"):
        same_hits(single.search([term], 10), serving.search([term], 10))


def _kill_on_first_call(monkeypatch: pytest.MonkeyPatch, index: ShardedIndex, no_restart: bool) -> list[str]:
    """Kill shard 1's actor while a question is being fanned out (after shard 0 was sent it)."""
    import ray

    actor = index.actors[1]
    killed: list[str] = []
    original = actor.search.remote

    before = ray.get(actor.info.remote())["pid"]

    class Killing:
        def remote(self, *args: Any) -> Any:
            if not killed:
                ray.kill(actor, no_restart=no_restart)
                killed.append("yes")
                for _ in range(100):  # until the kill has landed (it is asynchronous)
                    try:
                        if ray.get(actor.info.remote())["pid"] != before:
                            break
                    except ray.exceptions.RayActorError:
                        break
                    time.sleep(0.05)
            return original(*args)

    monkeypatch.setattr(actor, "search", Killing())
    return killed


@pytest.fixture
def own_shards(shipped_pair: tuple[qa.Engine, qa.Engine], tmp_path: Path) -> Iterator[qa.Engine]:
    """A sharded engine over the shipped corpus with actors of its own (to kill)."""
    sharded = qa.Engine(
        qa.load_corpus(), vocabulary=shipped_pair[0].vocabulary, ray="local", shards=3, shard_dir=tmp_path
    )
    assert isinstance(sharded.index, ShardedIndex)
    yield sharded
    sharded.index.close()


def test_a_killed_actor_is_restarted_and_the_question_retried(
    shipped_pair: tuple[qa.Engine, qa.Engine], own_shards: qa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, sharded = shipped_pair[0], own_shards
    assert isinstance(sharded.index, ShardedIndex)
    before = sharded.index.info()[1]["pid"]
    killed = _kill_on_first_call(monkeypatch, sharded.index, no_restart=False)
    question = QUESTIONS[0]
    answer = sharded.ask(question)
    assert killed == ["yes"]
    assert json.dumps(qa.answer_to_dict(answer)) == json.dumps(qa.answer_to_dict(one.ask(question)))
    assert answer.unsearched == ()
    after = sharded.index.info()[1]
    assert after["pid"] != before and after["restarted"]


def test_a_shard_that_stays_down_makes_the_answer_partial(
    own_shards: qa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    sharded = own_shards
    assert isinstance(sharded.index, ShardedIndex)
    lost = sharded.index.stats.shard_docs[1]
    killed = _kill_on_first_call(monkeypatch, sharded.index, no_restart=True)
    for question in (QUESTIONS[0], QUESTIONS[2]):  # the one it died in, and the next
        answer = sharded.ask(question)
        assert killed == ["yes"]
        assert answer.unsearched == lost
        out = qa.answer_to_dict(answer)
        assert out["partial"] is True and out["unsearched_documents"] == list(lost)
        lo, hi = sharded.index.stats.bounds[1]
        positions = {sharded.chunks.index(h.chunk) for h in answer.hits}
        assert not positions & set(range(lo, hi))
    from qa.cite.cards import format_answer_text  # the text form says so too

    assert "PARTIAL" in format_answer_text(answer) and lost[0] in format_answer_text(answer)


def test_the_page_honours_the_ray_setting_and_shows_a_partial_answer(
    ray_local: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT
    from ui import engine as page_engine

    question = QUESTIONS[0]

    def ask() -> AppTest:
        at = AppTest.from_file(str(ROOT / "ui" / "app.py"), default_timeout=120)
        at.run()
        at.text_input(key="ask_q").input(question)
        at.button(key="ask_submit").click().run()
        assert not at.exception
        return at

    def cards(at: AppTest) -> list[str]:
        return [m.value for m in at.markdown if m.value.startswith("**") and ". " in m.value[:6]]

    monkeypatch.delenv("QA_CORPUS", raising=False)
    monkeypatch.delenv("QA_RAY_ADDRESS", raising=False)
    st.cache_resource.clear()
    plain = cards(ask())
    monkeypatch.setenv("QA_RAY_ADDRESS", "local")
    monkeypatch.setenv("QA_SHARDS", "2")
    try:
        on_ray = ask()
        assert cards(on_ray) == plain and plain
        assert not [w for w in on_ray.warning if "Partial" in w.value]
        store = qa.Store()
        engine = page_engine._build(None, str(store.root), store.state(), "local")  # the page's own
        assert isinstance(engine.index, ShardedIndex) and engine.index.shards == 2
        lost = engine.index.stats.shard_docs[0]
        ray_local.kill(engine.index.actors[0], no_restart=True)
        partial = ask()
        notes = [w.value for w in partial.warning if "Partial answer" in w.value]
        assert len(notes) == 1 and all(doc in notes[0].replace("\\", "") for doc in lost)
        assert cards(partial) != plain
    finally:
        st.cache_resource.clear()
