"""What an explanatory question asks for (measures, problems, reasons, a definition, the future)
and how much of a passage gives it, from the marker words of ``qa/data/asks.txt``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from qa.text import tokenize

#: What may open a sentence before an instruction: "On the one hand, constantly improve ...".
_OPENING = r"^\W*(?:(?:on the (?:one|other) hand|first(?:ly)?|second(?:ly)?|third(?:ly)?|finally|"
_OPENING += r"meanwhile|at the same time|in addition)\W+)?(?:\w+ly\s+)?"


def _pattern(words: str, opening: bool) -> re.Pattern[str]:
    """One regex for ``a | b* | ^c``: whole words, ``*`` any ending, ``^`` opening a sentence."""
    parts = []
    for word in (w.strip() for w in words.split("|")):
        body = r"\s+".join(
            r"[^?]*?" if w == "*" else re.escape(w).replace(r"\*", r"\w*") for w in word.lstrip("^").split()
        )
        if word.startswith("^") and opening:
            parts.append(_OPENING + body + r"\b")
        else:
            parts.append(r"\b" + body + r"\b")
    return re.compile("|".join(parts), re.IGNORECASE)


@lru_cache(maxsize=1)
def asks() -> tuple[tuple[re.Pattern[str], re.Pattern[str]], ...]:
    """(question words, passage markers) for each kind of explanation in ``qa/data/asks.txt``."""
    text = resources.files("qa").joinpath("data/asks.txt").read_text(encoding="utf-8")
    pairs = []
    for line in text.splitlines():
        if "=>" in line and not line.startswith("#"):
            left, right = line.split("=>", 1)
            pairs.append((_pattern(left, opening=False), _pattern(right, opening=True)))
    return tuple(pairs)


def markers(question: str) -> tuple[re.Pattern[str], ...]:
    """Marker patterns of each kind of explanation ``question`` asks for."""
    return tuple(right for left, right in asks() if left.search(question))


def ask_terms(question: str) -> tuple[str, ...]:
    """Terms of the words in ``question`` that say what kind of explanation it asks ("define",
    "bottlenecks"): they name what to look for, not a subject the corpus must hold."""
    found = (m.group(0) for left, _ in asks() for m in left.finditer(question))
    return tuple(dict.fromkeys(t for words in found for t in tokenize(words)))


def marked_share(sentences: Sequence[str], wanted: Sequence[re.Pattern[str]]) -> float:
    """Share of ``sentences`` holding a marker of what is asked (0 when nothing is asked)."""
    if not wanted or not sentences:
        return 0.0
    return sum(any(m.search(s) for m in wanted) for s in sentences) / len(sentences)
