"""Meaning similarity (qa/search/semantic.py): what it adds to a passage's score, when, and the real model."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

import qa
from qa.search.semantic import Similarity, Vectors, load_embedder

REASONING = "What is the reasoning behind China's policy of using online commerce to fight rural poverty?"


class Fake:
    """Texts holding ``marker`` point one way, every other text another; questions between."""

    def __init__(self, marker: str = "policy logic") -> None:
        self.seen: list[str] = []
        self.marker = marker

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.seen.extend(texts)
        rows = []
        for t in texts:
            if t.endswith("?"):
                rows.append([0.8, 0.6])
            elif self.marker in t:
                rows.append([1.0, 0.0])
            else:
                rows.append([0.0, 1.0])
        return np.asarray(rows, dtype=np.float32)


def _scores(answer: qa.Answer) -> dict[str, float]:
    return {h.chunk.id: h.score for h in answer.hits}


class Level(Fake):
    """Every text at the same angle to every question: cosine 0.6 everywhere."""

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.seen.extend(texts)
        return np.asarray([[0.8, 0.6] if t.endswith("?") else [0.0, 1.0] for t in texts], dtype=np.float32)


def test_meaning_adds_weight_times_cosine_to_each_passage(corpus: list[qa.Document]) -> None:
    with_meaning = qa.Engine(corpus, qa.Settings(meaning_weight=2.0), embedder=Level())
    without = qa.Engine(corpus, qa.Settings(meaning_weight=0.0))
    a, b = with_meaning.ask(REASONING, k=30), without.ask(REASONING, k=30)
    assert {h.chunk.id for h in a.hits} == {h.chunk.id for h in b.hits} and len(a.hits) > 5
    plain = {h.chunk.id: h for h in b.hits}
    for hit in a.hits:
        assert hit.score - plain[hit.chunk.id].score == pytest.approx(2.0 * 0.6, abs=1e-6), hit.chunk.id
        assert hit.sentence == plain[hit.chunk.id].sentence  # the same cosine everywhere picks nothing


def test_the_sentence_closest_in_meaning_is_the_one_a_hit_is_read_from(corpus: list[qa.Document]) -> None:
    fused = qa.Engine(corpus, qa.Settings(meaning_weight=5.0), embedder=Fake()).ask(REASONING, k=30)
    logic = [h for h in fused.hits if "policy logic" in h.chunk.text]
    assert logic and all(h.sentence is not None and "policy logic" in h.sentence.text for h in logic)
    assert fused.hits[0].chunk.id == logic[0].chunk.id  # cosine 0.8 against 0.6 everywhere else


def test_sentence_vectors_given_are_used_not_recomputed(corpus: list[qa.Document]) -> None:
    fake = Fake()
    plain = qa.Engine(corpus, qa.Settings(meaning_weight=2.0), embedder=Fake())
    rows = Fake().encode([u.text for c in plain.chunks for _, u in c.pieces])
    given = qa.Engine(corpus, qa.Settings(meaning_weight=2.0), embedder=fake, vectors=rows)
    assert _scores(given.ask(REASONING, k=30)) == pytest.approx(_scores(plain.ask(REASONING, k=30)))
    assert fake.seen == [REASONING]  # only the question was embedded
    with pytest.raises(qa.QAError, match="vectors for"):
        qa.Engine(corpus, embedder=fake, vectors=rows[:-1])


def test_a_question_asking_for_a_fact_is_ranked_with_meaning_too(corpus: list[qa.Document]) -> None:
    fake = Fake()
    question = "How many counties did the 2016 demonstration cover?"
    with_meaning = qa.Engine(corpus, qa.Settings(meaning_weight=2.0), embedder=fake)
    without = qa.Engine(corpus, qa.Settings(meaning_weight=0.0))
    assert _scores(with_meaning.ask(question)) != _scores(without.ask(question))
    assert question in fake.seen


def test_each_text_and_question_is_embedded_once() -> None:
    fake = Fake()
    similarity = Similarity(fake)
    assert similarity("q?", ["policy logic one", "two"]) == pytest.approx([0.8, 0.6])
    assert similarity("q?", ["two", "three", "policy logic one"]) == pytest.approx([0.6, 0.6, 0.8])
    assert similarity("other?", ["two"]) == pytest.approx([0.6])
    assert fake.seen == ["policy logic one", "two", "q?", "three", "other?"]


def test_the_shipped_model_puts_a_paraphrase_closer_than_an_unrelated_fact() -> None:
    model = load_embedder()
    assert model is not None, "the semantic extra (make install) is missing"
    rows = model.encode(
        [
            "Why does the government use online shops to fight poverty?",
            "The policy logic of e-commerce poverty alleviation includes connecting production and sales.",
            "Rural broadband users reached 192 million by the end of 2023.",
        ]
    )
    assert rows.shape == (3, 384)
    assert np.linalg.norm(rows, axis=1) == pytest.approx([1.0, 1.0, 1.0], abs=1e-5)
    assert rows[0] @ rows[1] > rows[0] @ rows[2] + 0.2


def test_a_no_fact_question_no_passage_is_close_to_in_meaning_abstains(corpus: list[qa.Document]) -> None:
    # the fake gives a question cosine 0.8 with passages holding the marker and 0.6 with the rest
    def engine(marker: str) -> qa.Engine:
        return qa.Engine(corpus, qa.Settings(min_meaning=0.7, meaning_weight=5.0), embedder=Fake(marker))

    far = engine("no passage says this").ask(REASONING)
    assert far.abstained and far.reason == qa.Reason.FAR_IN_MEANING.value
    assert not engine("policy logic").ask(REASONING).abstained  # 0.8 >= 0.7
    # nor is any question judged by meaning when it is not measured
    assert not qa.Engine(corpus, qa.Settings(min_meaning=0.7, meaning_weight=0.0)).ask(REASONING).abstained


@pytest.mark.parametrize(
    "question",
    [
        "How do I apply to extend a Chinese tourist visa?",
        "How do I set up live streaming on my phone to broadcast video games to my friends?",
    ],
)
def test_an_off_topic_question_sharing_words_with_the_text_abstains(engine: qa.Engine, question: str) -> None:
    answer = engine.ask(question)
    assert answer.abstained and answer.reason == qa.Reason.FAR_IN_MEANING.value
    assert not qa.Engine(engine.documents, qa.Settings(min_meaning=0.0)).ask(question).abstained


def test_a_question_naming_what_the_corpus_never_mentions_abstains_before_any_model(
    corpus: list[qa.Document],
) -> None:
    fake = Fake()
    engine = qa.Engine(corpus, qa.Settings(meaning_weight=2.0), embedder=fake)
    answer = engine.ask("Why did Zanzibar's traders turn to rural e-commerce?")
    assert answer.abstained and answer.reason == "unknown_name"
    assert fake.seen == []  # the cheap signal decided: nothing was embedded, no model was loaded
    assert not engine.ask(REASONING).abstained and REASONING in fake.seen


class Diluted(Fake):
    """A text of several clauses points away from every question; a clause alone as ``Fake`` says."""

    def encode(self, texts: Sequence[str]) -> Vectors:
        rows = super().encode(texts)
        rows[[";" in t for t in texts]] = [0.0, 1.0]
        return rows


def test_a_sentence_is_as_close_in_meaning_as_its_closest_clause() -> None:
    import datetime as dt

    from qa.documents.models import clauses

    text = (
        "The plan builds storage and sorting sites in the producing areas of every province; "
        "the policy logic of the plan is to link farms to buyers.\n\n"
        "The storage plan was debated by the provincial councils for a year."
    )
    doc = qa.Document("plan", "Plan", dt.date(2024, 1, 1), text, source="Test")
    question = "What is the policy logic of linking farms to buyers?"
    first = qa.Engine([doc], qa.Settings(meaning_weight=1.0), embedder=Diluted()).ask(question, k=2)
    long_sentence = text.split("\n\n")[0]
    assert first.hits[0].sentence is not None and first.hits[0].sentence.text == long_sentence
    chunk = first.hits[0].chunk
    assert [p.text for _, p in chunk.pieces][1:] == [c.text for c in clauses(chunk.units()[0])]
    assert len(chunk.pieces) == 3 and "policy logic" in chunk.pieces[2][1].text
    # with every piece at cosine 0.6, the passage scores less: its clause's 0.8 counted, not the whole's 0.6
    level = qa.Engine([doc], qa.Settings(meaning_weight=1.0), embedder=Level()).ask(question, k=2)
    assert _scores(first)[chunk.id] > _scores(level)[chunk.id]
