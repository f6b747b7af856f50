"""Rank passages for a question: BM25's best ``depth`` candidates re-scored by one fused score.

score = bm25_weight × BM25 / best BM25 + the best sentence's score, where a sentence scores
        sentence_weight × (its share of the question's idf weight, raised by type_weight × the
                           closeness of a span of the asked type to the question's terms)
      + meaning_weight × cosine(question, sentence)     (when the embedding model is installed)
and a sentence of clauses joined by semicolons scores as the best of itself and each clause. For a
question asking what something means, a sentence opening by defining the question's words ("X
involves …", qa/answers/meaning.py) counts as a span of the asked type at its closest.

The cost of a question is that of BM25's top-k plus ``depth`` passages, whatever the corpus size;
sentence vectors come from the cache (computed when passages are indexed) or are computed once
and kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from qa.answers.abstain import Reason
from qa.answers.defined import Definition
from qa.answers.meaning import defined_words
from qa.answers.question import Question
from qa.answers.settings import Settings
from qa.answers.spans import fit, nearness, typed
from qa.answers.timeline import find_dates, year_referred
from qa.documents.chunking import REFERS_BACK
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
    context: Span  # what the spans were read from: the sentence, or the one before and it
    coverage: float  # share of the question's idf weight the passage holds
    meaning: float | None  # the best sentence's cosine with the question, when measured


@lru_cache(maxsize=65536)
def terms_of(text: str) -> frozenset[str]:
    """The terms of a sentence or clause; kept, as the same passages' sentences are read by question
    after question."""
    return frozenset(tokenize(text))


def held_weight(
    held: frozenset[str] | set[str],
    q: Question,
    weights: Mapping[str, float],
    said: Sequence[tuple[str, tuple[str, ...]]],
) -> float:
    """Share of the question's idf weight that ``held`` terms carry (``said_in``)."""
    total = sum(weights.get(t, 0.0) for t in set(q.terms))
    if not total:
        return 0.0
    return sum(weights.get(t, 0.0) for t in said_in(held, q, said)) / total


def said_in(
    held: frozenset[str] | set[str], q: Question, said: Sequence[tuple[str, tuple[str, ...]]]
) -> set[str]:
    """The terms of ``q`` that ``held`` terms say: as they are, or where they hold all of what a
    synonym of the term says (``said``)."""
    terms = set(q.terms)
    return (terms & held) | {t for t, tokens in said if t in terms and held.issuperset(tokens)}


def defines(
    sentence: str, q: Question, weights: Mapping[str, float], said: Sequence[tuple[str, tuple[str, ...]]]
) -> float:
    """How far ``sentence`` opens by defining what ``q`` asks about ("X involves …"): the share of
    the question's weight it holds that is in the words it defines; 0 when it defines nothing."""
    subject = defined_words(sentence)
    if subject is None:
        return 0.0
    whole = held_weight(terms_of(sentence), q, weights, said)
    return held_weight(terms_of(subject), q, weights, said) / whole if whole else 0.0


def best_sentence(
    chunk: Chunk,
    entities: Sequence[Entity],
    q: Question,
    weights: Mapping[str, float],
    said: Sequence[tuple[str, tuple[str, ...]]],
    settings: Settings,
    meaning: Sequence[float] | None = None,
    defined: Sequence[Definition] = (),
) -> tuple[Span, float, tuple[Span, ...], Span, float | None]:
    """The sentence of ``chunk`` that best answers ``q``: the sentence, its score (words and typed
    spans, plus ``meaning_weight`` × its cosine with the question when ``meaning`` gives one per
    piece of ``chunk.pieces``), its typed spans, what they were read from and its cosine. A
    sentence of clauses scores as the best of itself and its clauses. A sentence that opens by
    referring back ("It prioritized …") and holds no span of the asked type has those of the
    sentence before it ("In June 2018, the government proposed …"). A sentence using a short name its
    document ``defined`` earlier ("the Opinions") holds the words of the long name too."""
    best: tuple[Span, float, tuple[Span, ...], Span, float | None] | None = None
    before: frozenset[str] = frozenset()
    previous: Span | None = None
    asks = bool(q.labels or q.named)  # whether typed spans can answer
    pieces: dict[int, list[tuple[int, Span]]] = {}  # each sentence's pieces with their rows in ``meaning``
    for j, (unit, piece) in enumerate(chunk.pieces):
        pieces.setdefault(unit, []).append((j, piece))
    for i, sent in enumerate(chunk.units()):
        context = sent
        spans = tuple(typed(entities, sent, q)) if asks else ()
        if not spans and asks and previous is not None and REFERS_BACK.match(sent.text):
            at = previous.start - chunk.start
            context = Span(chunk.text[at : sent.end - chunk.start], previous.start, sent.end)
            spans = tuple(typed(entities, context, q))
        near = settings.type_weight * max(
            (min(nearness(s, context, q), 2.0) + fit(s, context, q) for s in spans), default=0.0
        )
        if q.asks_meaning:  # "What is meant by X?": "X involves …" says it, as a span of the asked type
            near = max(near, settings.type_weight * 2.0 * defines(sent.text, q, weights, said))
        # a sentence scores as its best piece: itself, or one of its clauses (whose terms make up its own)
        uses = [d.terms for d in defined if d.start <= sent.start and d.used_in(sent.text)]
        named = frozenset().union(*uses)
        own = [(j, terms_of(piece.text) | named) for j, piece in pieces[i][1:]]
        held = frozenset().union(*(t for _, t in own)) if own else terms_of(sent.text) | named
        for j, words in [(pieces[i][0][0], held), *own]:
            # a sentence is read with the one before it ("Microsoft bought GitHub. It paid $7.5 billion.")
            cover = 0.5 * held_weight(words, q, weights, said) + 0.5 * held_weight(
                words | before, q, weights, said
            )
            score = settings.sentence_weight * cover * (1.0 + near)
            cos = meaning[j] if meaning is not None else None
            if cos is not None:
                score += settings.meaning_weight * cos
            if best is None or score > best[1]:
                best = (sent, score, spans, context, cos)
        before, previous = held, sent
    assert best is not None
    return best


def rerank(
    q: Question,
    first: Sequence[tuple[int, float]],
    chunks: Sequence[Chunk],
    entities: Sequence[Sequence[Entity]],
    held: Callable[[int], frozenset[str]],
    weights: Mapping[str, float],
    said: Callable[[int], Sequence[tuple[str, tuple[str, ...]]]],
    meaning: Sequence[Sequence[float]] | None,
    settings: Settings,
    defined: Callable[[int], Sequence[Definition]] = lambda pos: (),
) -> list[Scored]:
    """``first`` (position, BM25 score) re-scored and sorted best first (ties: lower position);
    ``meaning``: each candidate's sentences' cosines with the question, in order."""
    if not first:
        return []
    top = first[0][1] or 1.0
    out = []
    for i, (pos, bm25) in enumerate(first):
        cosines = meaning[i] if meaning is not None else None
        sent, s_score, spans, context, cos = best_sentence(
            chunks[pos], entities[pos], q, weights, said(pos), settings, cosines, defined(pos)
        )
        score = settings.bm25_weight * bm25 / top + s_score
        cover = held_weight(held(pos), q, weights, said(pos))
        out.append(Scored(pos, score, sent, spans, context, cover, cos))
    out.sort(key=lambda r: (-r.score, r.pos))
    return out


def first_holding(ranked: list[Scored], depth: int, holds: Callable[[Scored], bool]) -> list[Scored]:
    """``ranked`` with the first of its best ``depth`` passages for which ``holds`` is true moved to
    the top; empty when none of them does."""
    first = next((r for r in ranked[:depth] if holds(r)), None)
    return [] if first is None else [first, *(r for r in ranked if r is not first)]


def earliest_first(q: Question, ranked: list[Scored], settings: Settings) -> list[Scored]:
    """For a question asking when something first happened ("When was the scheme launched?"), the
    ranking with the passage whose answering sentence says the earliest date leading, among the best
    ``first_depth`` scoring at least ``first_margin`` of hit 1's; as it is when hit 1 says no date.
    Two texts may tell of a launch and of a later round in the same words."""
    if not q.asks_first or not ranked:
        return ranked

    days = [
        min((d.first for d in find_dates(r.context.text)), default=None)
        for r in ranked[: settings.first_depth]
    ]
    if days[0] is None:
        return ranked
    bar = settings.first_margin * ranked[0].score
    lead = ranked[
        min((day, i) for i, day in enumerate(days) if day is not None and ranked[i].score >= bar)[1]
    ]
    return [lead, *(r for r in ranked if r is not lead)]


def sentence_says(
    chunk: Chunk, r: Scored, q: Question, said: Sequence[tuple[str, tuple[str, ...]]] = ()
) -> set[str]:
    """The terms of ``q`` that ``r``'s answering sentence (with the one it was read with) says, a
    year it means by "that year" counting, and a term said as the vocabulary says it (``said``)."""
    says = said_in(terms_of(r.context.text), q, said)
    year = year_referred(chunk.text[: r.context.start - chunk.start], r.context.text)
    if year is not None and str(year) in q.terms:
        says.add(str(year))
    return says


def constrained(
    q: Question,
    ranked: list[Scored],
    chunks: Sequence[Chunk],
    settings: Settings,
    says_not: Callable[[int], bool],
    holds: Callable[[int, set[str]], bool],
    said: Callable[[int], Sequence[tuple[str, tuple[str, ...]]]] = lambda pos: (),
) -> tuple[list[Scored], tuple[Reason, list[str]] | None]:
    """The ranking with what the question requires of hit 1 enforced, or no ranking and why.
    A question asking what is not so needs one of the best ``negation_depth`` passages to say
    something is not (``says_not(position)``: only such a passage can be quoted as saying what is
    not); a question naming a figure ("in 2011") needs hit 1 to hold it (``holds(position, terms)``)
    or, within the best ``figure_depth``, a passage whose answering sentence says it ("In 2011 …",
    "… that year") and more of the question than hit 1's sentence (or as much, with a span of the
    asked type and as close in meaning). The first such passage becomes hit 1."""
    if q.negated:
        ranked = first_holding(ranked, settings.negation_depth, lambda r: says_not(r.pos))
        if not ranked:
            return [], (Reason.NEGATION_UNSAID, [])
    figures = set(q.figures)
    if figures:
        top = ranked[0]
        said_by_top = len(sentence_says(chunks[top.pos], top, q, said(top.pos)))

        def answers(r: Scored) -> bool:
            """Hit 1 holds the figure; a passage below it, only where its answering sentence says the
            figure and more of the question than hit 1's sentence does, or as much and a span of the
            asked type, as close in meaning."""
            if r is top:
                return holds(r.pos, figures)
            says = sentence_says(chunks[r.pos], r, q, said(r.pos))
            if not figures <= says or len(says) < said_by_top:
                return False
            # saying as much of the question, it answers when it holds a span of the asked type
            # and is at least as close in meaning
            return len(says) > said_by_top or (bool(r.spans) and (r.meaning or 0.0) >= (top.meaning or 0.0))

        ranked = first_holding(ranked, settings.figure_depth, answers)
        if not ranked:
            return [], (Reason.FIGURE_UNSAID, list(q.figures))
    return ranked, None
