"""Why the corpus does not say: a few general signals, each an enum reason with its message.

The signals, in order: no passage shares a term with the question; a proper noun or number of
the question is in no passage and names no document; the question asks what is not so ("Who
wasn't on the expedition?") and the best passage (the best ``negation_depth``) says nowhere that
anything is not, so it cannot be quoted as saying that (when a lower one of them does, it becomes
hit 1); the question names a figure ("in 2011") that the best passage holds neither in its text
nor in what its document is called by, and no passage just below it (the best ``figure_depth``)
has an answering sentence that says it and more of the question; the best passage holds too little
of the question's idf weight; the best passage's best sentence is not close in meaning to the
question. (A fact question whose best sentence holds no span of the asked type used to abstain too; on both
development sets that check was wrong about as often as right, so it was dropped: docs/answers.md.)
Their thresholds are in ``Settings``, chosen on the development sets (docs/answers.md). Code
reads the reason, never the message.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence


class Reason(enum.Enum):
    """Why an answer abstains."""

    NO_MATCH = "no_match"
    UNKNOWN_NAME = "unknown_name"
    WEAK_MATCH = "weak_match"
    FAR_IN_MEANING = "far_in_meaning"
    NEGATION_UNSAID = "negation_unsaid"
    FIGURE_UNSAID = "figure_unsaid"


_MESSAGES = {
    Reason.NO_MATCH: "no passage matches the question",
    Reason.UNKNOWN_NAME: "it never mentions {words}",
    Reason.WEAK_MATCH: "the closest passages share only part of what the question asks about",
    Reason.FAR_IN_MEANING: "no passage is close in meaning to what the question asks",
    Reason.NEGATION_UNSAID: "the question asks what is not so, and no passage close to it says that",
    Reason.FIGURE_UNSAID: "the best passage does not mention {words}",
}


def message(reason: Reason, words: Sequence[str] = ()) -> str:
    """The one-line message for ``reason``; ``words`` are quoted."""
    quoted = ", ".join(f"“{w}”" for w in words)
    text = _MESSAGES[reason].format(words=quoted or "a name of the question")
    return f"The corpus does not say: {text}."
