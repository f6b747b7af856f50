"""How much each of a question's terms weighs in a passage's share of the question: its idf, less
for words that say little of the passage asked for (``question_weights``)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from qa.answers.question import Question
from qa.answers.settings import Settings


def question_weights(
    q: Question,
    extra: Sequence[str],
    said: Sequence[tuple[str, tuple[str, ...]]],
    idf: Callable[[str], float],
    vocabulary: Collection[str],
    settings: Settings,
) -> dict[str, float]:
    """Each term's idf (``extra``: the vocabulary's terms for the question's words). An everyday word
    the corpus (whose terms are ``vocabulary``) never uses weighs ``oov_weight`` of it, and one of the
    most frequent words of English ("good", "time", "make") ``common_weight``: its rarity in a small
    corpus overstates what it tells of the passage asked for. A word the corpus never uses but its
    vocabulary says otherwise (``said``: "reasoning", said "logic") weighs as the rarest way it is
    said, each way by its most common word. A hyphenated word read as one
    ("boost-agriculture-via-e-commerce") that the corpus never writes weighs nothing: its parts carry
    what it says."""
    weights = {t: idf(t) for t in (*q.terms, *extra)}
    said_as: dict[str, float] = {}
    for t, tokens in said:
        if t not in vocabulary and tokens:
            said_as[t] = max(said_as.get(t, 0.0), min(idf(x) for x in tokens))
    weights.update(said_as)
    for t in set(q.terms) - set(said_as):
        if t not in vocabulary and t in q.joined:  # its parts say it
            weights[t] = 0.0
        elif t not in vocabulary and t in q.everyday:
            weights[t] *= settings.oov_weight
        elif t in q.common:
            weights[t] *= settings.common_weight
    return weights
