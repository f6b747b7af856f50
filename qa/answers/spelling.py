"""A name the question misspells, read as the corpus spells it ("Celeron" as "Céloron").

A proper noun of the question that no passage holds is one edit (a letter dropped, added, changed,
or two swapped) from a term the corpus does hold: that term is most likely what the asker meant, as
a search engine's "did you mean" assumes. The rule is kept narrow so that it does not make up a
subject the corpus lacks: only a proper noun of five letters or more that is not an everyday English
word ("Night" is a word the texts lack, not a misspelling of "right"), and only a corpus term with
the same first letter (spelling slips rarely change it). Among several, the most frequent wins.
The cost is a few hundred set lookups per unknown name, whatever the corpus size.
"""

from __future__ import annotations

import dataclasses
import re
import string
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

from qa.answers.question import Question
from qa.search.tokenizer import tokenize

MIN_LENGTH = 5  # shorter names have too many neighbours one edit away
_LETTERS = string.ascii_lowercase


def one_edit(term: str) -> set[str]:
    """Every string one edit from ``term``: a letter deleted, swapped with the next, replaced or inserted."""
    splits = [(term[:i], term[i:]) for i in range(len(term) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    out |= {a + c + b for a, b in splits for c in _LETTERS}
    out.discard(term)
    return out


def respellings(
    q: Question, unknown: Iterable[str], vocabulary: Collection[str], doc_freq: Callable[[str], int]
) -> dict[str, str]:
    """For each ``unknown`` term of ``q`` that reads as a misspelt name, the corpus term meant."""
    fixes = {}
    for term in unknown:
        if len(term) < MIN_LENGTH or not term.isalpha():
            continue
        near = [t for t in one_edit(term) if t[0] == term[0] and t in vocabulary]
        if near and term not in q.everyday:  # (the word list loads only when a name is near)
            fixes[term] = max(near, key=lambda t: (doc_freq(t), t))
    return fixes


def respelt(q: Question, fixes: Mapping[str, str]) -> Question:
    """``q`` with its terms read through ``fixes``."""
    if not fixes:
        return q

    def fix(terms: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(fixes.get(t, t) for t in terms))

    return dataclasses.replace(
        q, terms=fix(q.terms), anchors=fix(q.anchors), counted=fix(q.counted), named=fix(q.named)
    )


_WORD = re.compile(r"[^\W_][\w'\u2019-]*")


def written(term: str, texts: Iterable[str]) -> str | None:
    """The first word of ``texts`` that gives ``term`` ("Céloron's" for ``celoron``), if any."""
    for text in texts:
        for match in _WORD.finditer(text):
            word = match.group(0)
            if term in tokenize(word):
                return word.removesuffix("'s").removesuffix("\u2019s")
    return None


def read_as_note(read_as: Iterable[tuple[str, str]]) -> str:
    """One line saying how misspelt names were read ("Read “Celeron” as “Céloron”."); "" for none."""
    pairs = [f"“{asked}” as “{read}”" for asked, read in read_as]
    return f"Read {', '.join(pairs)}." if pairs else ""


def read_as_written(
    question: str, fixes: Sequence[tuple[str, str]], texts: Sequence[str]
) -> tuple[tuple[str, str], ...]:
    """Each respelt name as the question wrote it and as ``texts`` (the best passages) write it."""
    return tuple((written(a, [question]) or a, written(b, texts) or b) for a, b in fixes)
