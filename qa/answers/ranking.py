"""Rank passages for a question: BM25's best ``depth`` candidates re-scored by one fused score.

score = bm25_weight × BM25 / best BM25
      + sentence_weight × the best sentence's share of the question's idf weight
      + meaning_weight × cosine(question, passage)       (when the embedding model is installed)
      + type_weight × closeness of a span of the asked type to the question's terms in that sentence

The cost of a question is that of BM25's top-k plus ``depth`` passages, whatever the corpus size;
passage vectors come from the cache (computed when passages are indexed) or are computed once
and kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from qa.answers.question import Question
from qa.answers.settings import Settings
from qa.answers.spans import closeness, typed
from qa.documents.models import Chunk, Span
from qa.documents.ner import Entity
from qa.search.tokenizer import tokenize


@dataclass(frozen=True)
class Scored:
    """A re-ranked passage: its position, fused score, best sentence and that sentence's typed spans."""

    pos: int
    score: float
    sentence: Span
    spans: tuple[Span, ...]
    coverage: float  # share of the question's idf weight the passage holds
    meaning: float | None  # cosine with the question, when measured


def held_weight(
    held: set[str], q: Question, weights: Mapping[str, float], said: Sequence[tuple[str, tuple[str, ...]]]
) -> float:
    """Share of the question's idf weight that ``held`` terms carry; a question term counts as held
    where the terms hold all of what a synonym of it says (``said``)."""
    terms = set(q.terms)
    total = sum(weights.get(t, 0.0) for t in terms)
    if not total:
        return 0.0
    present = (terms & held) | {t for t, tokens in said if t in terms and held.issuperset(tokens)}
    return sum(weights.get(t, 0.0) for t in present) / total


def best_sentence(
    chunk: Chunk,
    entities: Sequence[Entity],
    q: Question,
    weights: Mapping[str, float],
    said: Sequence[tuple[str, tuple[str, ...]]],
    settings: Settings,
) -> tuple[Span, float, tuple[Span, ...]]:
    """The sentence of ``chunk`` that best answers ``q``, its score and its typed spans."""
    sentences = chunk.sentences or (Span(chunk.text, chunk.start, chunk.end),)
    best: tuple[Span, float, tuple[Span, ...]] | None = None
    before: set[str] = set()
    for sent in sentences:
        held = set(tokenize(sent.text))
        # a sentence is read with the one before it ("Microsoft bought GitHub. It paid $7.5 billion.")
        cover = 0.5 * held_weight(held, q, weights, said) + 0.5 * held_weight(held | before, q, weights, said)
        spans = tuple(typed(entities, sent, q)) if q.labels else ()
        near = max((closeness(s, sent, q) for s in spans), default=0.0)
        score = cover + settings.type_weight * min(near, 2.0) * cover if spans else cover
        if best is None or score > best[1]:
            best = (sent, score, spans)
        before = held
    assert best is not None
    return best


def rerank(
    q: Question,
    first: Sequence[tuple[int, float]],
    chunks: Sequence[Chunk],
    entities: Sequence[Sequence[Entity]],
    tokens: Sequence[Sequence[str]],
    weights: Mapping[str, float],
    said: Callable[[int], Sequence[tuple[str, tuple[str, ...]]]],
    meaning: Sequence[float] | None,
    settings: Settings,
) -> list[Scored]:
    """``first`` (position, BM25 score) re-scored and sorted best first (ties: lower position)."""
    if not first:
        return []
    top = first[0][1] or 1.0
    out = []
    for i, (pos, bm25) in enumerate(first):
        sent, s_score, spans = best_sentence(chunks[pos], entities[pos], q, weights, said(pos), settings)
        cos = meaning[i] if meaning is not None else None
        score = settings.bm25_weight * bm25 / top + settings.sentence_weight * s_score
        if cos is not None:
            score += settings.meaning_weight * cos
        cover = held_weight(set(tokens[pos]), q, weights, said(pos))
        out.append(Scored(pos, score, sent, spans, cover, cos))
    out.sort(key=lambda r: (-r.score, r.pos))
    return out
