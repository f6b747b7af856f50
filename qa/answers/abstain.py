"""Why the corpus does not say: a few general signals, each an enum reason with its message.

The signals, in order: no passage shares a term with the question; a proper noun or number of
the question is in no passage and names no document; the best passage holds too little of the
question's idf weight; a fact question's best passage holds no span of the asked type; a question
asking no fact is close in meaning to no passage. Their thresholds are in ``Settings``, chosen on
the development sets (docs/answers.md). Code reads the reason, never the message.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence


class Reason(enum.Enum):
    """Why an answer abstains."""

    NO_MATCH = "no_match"
    UNKNOWN_NAME = "unknown_name"
    WEAK_MATCH = "weak_match"
    NO_FACT = "no_fact"
    FAR_IN_MEANING = "far_in_meaning"


_MESSAGES = {
    Reason.NO_MATCH: "no passage matches the question",
    Reason.UNKNOWN_NAME: "it never mentions {words}",
    Reason.WEAK_MATCH: "the closest passages share only part of what the question asks about",
    Reason.NO_FACT: "the closest passage holds no {what} of the kind asked for",
    Reason.FAR_IN_MEANING: "no passage is close in meaning to what the question asks",
}

#: What a fact of each kind is called in a message.
_FACTS = {
    "person": "person", "who": "person or organisation", "when": "date", "year": "year",
    "place": "place", "count": "number", "amount": "amount", "money": "sum of money",
    "percent": "percentage", "duration": "duration", "measure": "measure", "org": "organisation",
    "law": "law", "event": "event", "work": "title", "group": "group", "language": "language",
}  # fmt: skip


def message(reason: Reason, words: Sequence[str] = (), kind: str = "") -> str:
    """The one-line message for ``reason``; ``words`` are quoted, ``kind`` names the fact asked."""
    quoted = ", ".join(f"“{w}”" for w in words)
    text = _MESSAGES[reason].format(words=quoted or "a name of the question", what=_FACTS.get(kind, "fact"))
    return f"The corpus does not say: {text}."
