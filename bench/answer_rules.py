"""What each answer rule buys: every gold question set, with today's settings and with one rule undone.

    python bench/answer_rules.py

Prints one row per variant: recall@1, sentence hit@1 and short-answer exact match over all the
questions of tests/gold/questions.yaml and tests/gold/blind.yaml, and the counts of false
abstentions and false answers. These are the "without: …" figures of the README's table of what
the evaluation kept and dropped. Every set has been tuned on or looked at since its first run, so
the figures compare rules; they do not measure quality (the README's first-run table does).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qa.answer import Engine
from qa.corpus import load_corpus
from qa.evaluate import evaluate, load_gold
from qa.settings import Settings

ROOT = Path(__file__).resolve().parent.parent

#: (what is undone, the settings that undo it)
VARIANTS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("today's settings", {}),
    ("no penalty for a passage without the asked-for type", {"untyped_penalty": 0.0}),
    ("no year swap for fact questions", {"year_swap": 0.0}),
    ("no abstention when the best sentence counts no X", {"counted_in_sentence": False}),
    ("referring-back sentence shown alone", {"refer_back_span": False}),
    ("everyday unknown words weigh in full, no 55% rule", {"oov_weight": 1.0, "max_common_unknown": 1.01}),
    ("no 55% rule for everyday unknown words", {"max_common_unknown": 1.01}),
    ("one question word in the best passage is enough", {"min_matched": 1}),
    ("every year the question names must be in the passage", {"one_year": False}),
    ("a word said in other words weighs 0.2", {"said_full": False}),
    ("a count in words is no fact", {"weak_share": 1.0}),
    ("no penalty for a sentence that counts no X", {"counted_rank": 0.0}),
    ("no abstention for a missing fact when every word is known", {"need_fact": False}),
    (
        "no meaning similarity (passages or sentences)",
        {"semantic_weight": 0.0, "semantic_sentence_weight": 0.0},
    ),
    ("no meaning similarity for passages", {"semantic_weight": 0.0}),
    ("no meaning similarity for sentences", {"semantic_sentence_weight": 0.0}),
    ("no markers of what an explanation asks for", {"asks_weight": 0.0}),
    ("a passage carrying on the one before keeps its own BM25", {"continues": 0.0}),
    ("no abstention for a no-fact question far in meaning", {"min_meaning": 0.0}),
    ("no abstention for a figure described elsewhere", {"elsewhere": False}),
    ("no abstention for a growth rate where a share is asked", {"rates": False}),
    ("no abstention for a government body where a business is asked", {"bodies": False}),
)


def main() -> None:
    documents = load_corpus()
    gold = load_gold(ROOT / "tests/gold/questions.yaml") + load_gold(ROOT / "tests/gold/blind.yaml")
    print(f"{len(gold)} questions\n")
    print("| variant | recall@1 | sentence hit@1 | short-answer EM | false abstentions | false answers |")
    print("|---|---|---|---|---|---|")
    for name, changes in VARIANTS:
        report = evaluate(Engine(documents, Settings(**changes)), gold)
        m, c = report.metrics, report.counts
        print(
            f"| {name} | {m['recall@1']:.3f} | {m['sentence_hit@1']:.3f} | {m['short_answer_em']:.3f} "
            f"| {c['false_abstentions']} | {c['false_answers']} |"
        )


if __name__ == "__main__":
    main()
