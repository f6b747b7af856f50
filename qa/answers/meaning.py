"""Questions that ask what something means, and the sentences that say what a thing is.

"What is meant by X?", "Define X", "What is the idea of X?", "What is X really about?" ask for a
definition. In general English a definition opens with the thing defined and a defining verb:
"X involves …", "X means …", "X refers to …", "X is defined as …", "X is a …". Such a sentence,
opening with the question's words, answers better than one that only mentions X on the way to
something else ("Driven by the X project, …"): ranking scores it as a span of the asked type
(qa/answers/ranking.py).
"""

from __future__ import annotations

import re

#: The wordings of a question asking what something means.
_ASKS = re.compile(
    r"\bwhat\s+(?:is|are|was|were)\s+(?:\w+\s+)?(?:meant|understood)\s+by\b"
    r"|\bwhat\s+(?:does|do|did)\b[^?]*?\b(?:mean|stand\s+for|involve|entail|refer\s+to)\b"
    r"|\b(?:definition|meaning)\s+of\b|\bdefine\b"
    r"|\b(?:idea|concept|notion)\s+(?:of|behind)\b"
    r"|\bwhat\s+(?:is|are|was|were)\b[^?]*?\babout\b(?![ \t]+\w)",
    re.I,
)
#: A defining verb: what follows it says what the words before it are.
_DEFINING = re.compile(
    r"\b(?:means|refers?\s+to|involves|denotes|entails|consists\s+of|stands\s+for"
    r"|(?:is|are)\s+(?:defined|understood|described)\s+as|(?:is|are)\s+(?:a|an)\b)",
    re.I,
)
#: At most this many words before the defining verb: the sentence opens with what it defines.
MAX_DEFINED_WORDS = 12


def asks_meaning(question: str) -> bool:
    """Whether ``question`` asks what something means or is ("What is meant by X?")."""
    return _ASKS.search(question) is not None


def defined_words(sentence: str) -> str | None:
    """The words a sentence opens by defining ("Boosting agriculture through e-commerce" in
    "Boosting agriculture through e-commerce involves …"); None when it does not open so (no
    defining verb, or more than ``MAX_DEFINED_WORDS`` words or a clause before it)."""
    verb = _DEFINING.search(sentence)
    if verb is None:
        return None
    subject = sentence[: verb.start()]
    if not subject.strip() or re.search(r"[,;:]", subject) or len(subject.split()) > MAX_DEFINED_WORDS:
        return None
    return subject
