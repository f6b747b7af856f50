"""The answer engine's knobs (``Settings``): fusion weights and abstention thresholds, chosen on the
two development sets (the shipped gold and the shared SQuAD 2.0 set; docs/answers.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """Ranking weights and abstention thresholds."""

    depth: int = 50  # passages BM25 hands to the re-ranking
    bm25_weight: float = 0.5  # × a passage's BM25 score / the best one's
    sentence_weight: float = 1.0  # × its best sentence's share of the question's idf weight
    meaning_weight: float = 3.0  # × the cosine of question and passage (when the model is installed)
    meaning_facts: bool = False  # fuse meaning for fact questions too (else explanations only)
    type_weight: float = 0.5  # × how close a span of the asked type stands to the question's terms
    oov_weight: float = 0.2  # × the idf of an everyday word the corpus never uses, in coverage
    min_coverage: float = 0.2  # abstain below this share of the question's idf weight in hit 1
    min_meaning: float = 0.25  # abstain on a question asking no fact when no passage is this close
