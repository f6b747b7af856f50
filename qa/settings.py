"""The answer engine's ranking and abstention choices (``Settings``), kept or dropped by `qa eval`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """Ranking and abstention choices; the defaults are those `qa eval` supported (see README)."""

    synonyms: bool = True  # expand questions with qa/data/synonyms.txt
    sentence_weight: float = 0.5  # best sentence's share of the question's idf weight
    type_weight: float = 2.0  # density of the window holding the question's terms and a typed span
    refer_back: float = 0.5  # weight of a typed span taken from the sentence before ("It ...")
    refer_back_span: bool = True  # the best "sentence" then covers both, so the fact is in what is quoted
    rerank_depth: int = 30  # passages re-ranked after BM25
    semantic_weight: float = (
        2.0  # weight of a passage's meaning similarity (qa/semantic.py), no-fact questions
    )
    min_meaning: float = 0.25  # abstain on a no-fact question when no re-ranked passage is this close
    semantic_sentence_weight: float = 0.5  # the same for a sentence, in choosing the best sentence
    asks_weight: float = 2.0  # × share of a passage's sentences marking what an explanation asks (qa/asks.py)
    continues: float = 1.0  # share of the passage before's BM25 that one carrying it on ("Third, ...") gets
    untyped_penalty: float = 1.0  # taken off a passage with no span of the type a factual question asks for
    year_swap: float = (
        0.8  # a passage holding the question's year goes first if it scores this share of hit 1's
    )
    counted_in_sentence: bool = True  # abstain when "how many X" finds no X in the best sentence
    oov_weight: float = 0.2  # weight of a common English word the corpus never uses, in coverage
    max_common_unknown: float = 0.55  # abstain when such words carry this share of the question
    min_matched: int = 2  # abstain when the best passage holds fewer of the question's own words
    one_year: bool = True  # of several years the question names, the best passage needs one
    said_full: bool = True  # a word the corpus says in other words weighs in full in coverage
    weak_share: float = 0.5  # share of that penalty for a passage with only counts in words
    counted_rank: float = 0.5  # share of that penalty for a sentence that counts no X ("how many X")
    need_fact: bool = True  # abstain on a factual question whose best passage holds no fact of its type
    min_coverage: float = 0.30  # abstain below this share of the question's idf weight matched
    max_unknown: float = 0.5  # abstain when rare words the corpus never uses carry this share of it
    generic_weight: float = 0.2  # weight of a missing everyday word (qa/data/generic_words.txt)
    anchors: bool = True  # abstain when a proper noun or number of the question is in no passage
    year_in_passage: bool = True  # abstain when a year the question names is not in the best passage
    elsewhere: bool = True  # abstain when words the best sentence lacks describe a figure elsewhere
    opposites: bool = True  # abstain when the figure is qualified the opposite way (rural for urban)
    bodies: bool = True  # abstain when "which platform/company" finds only a government body
    rates: bool = True  # abstain when "what share of X" finds only a growth rate or a gap in points
