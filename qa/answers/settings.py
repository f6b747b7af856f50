"""The answer engine's knobs (``Settings``): fusion weights and abstention thresholds, chosen on the
two development sets (the shipped gold and the shared SQuAD 2.0 set; docs/answers.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """Ranking weights and abstention thresholds."""

    depth: int = 50  # passages BM25 hands to the re-ranking
    bm25_weight: float = 0.25  # × a passage's BM25 score / the best one's
    sentence_weight: float = 1.0  # × a sentence's share of the question's idf weight
    meaning_weight: float = 1.0  # × the cosine of question and sentence (when the model is installed)
    type_weight: float = 0.5  # × how close a span of the asked type stands to the question's terms
    oov_weight: float = 0.2  # × the idf of an everyday word the corpus never uses, in coverage
    common_weight: float = 0.5  # × the idf of one of the most frequent words of English, in coverage
    min_coverage: float = 0.25  # abstain below this share of the question's idf weight in hit 1
    min_meaning: float = 0.25  # abstain when hit 1's best sentence is less close in meaning
    negation_depth: int = 1  # "what is not so": one of the best this many passages must say something is not
    first_depth: int = 3  # "when did X start": the earliest-dated of this many passages ...
    first_margin: float = 0.9  # ... scoring at least this share of hit 1's leads
    figure_depth: int = 2  # a question's figure ("in 2011"): hit 1, or a lower one of this many saying it
