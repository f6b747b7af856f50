"""A corpus's own vocabulary: what its readers call the things its texts name otherwise.

It is data of one corpus folder (``vocabulary.yaml`` beside its documents), never of the package,
and it applies only to that folder's documents: an added document, or another corpus, gets none
of it. The format (one example; see the README)::

    version: 1
    synonyms:                      # a reader's phrase: [what the texts say, ...]
      heart attack: [myocardial infarction]
      DOE: [Department of Energy]

A question holding a phrase on the left is also searched, in that corpus's passages, with the
phrases on the right; the phrase is matched as whole words, its words apart or hyphenated. Its
closeness in meaning to those passages is measured with the question reworded, each such phrase
replaced by the first on its right ("the 14th FYP" read "the 14th five-year plan"), as the
embedding model knows the texts' words and may not know a reader's abbreviation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from qa.documents.models import QAError
from qa.search.tokenizer import HYPHEN, tokenize

FILE_NAME = "vocabulary.yaml"


@dataclass(frozen=True)
class Rule:
    """A reader's phrase (as a pattern on lower-cased text), the texts' phrases it means (the first
    as written) and each of those phrases' tokens."""

    pattern: re.Pattern[str]
    first: str
    tokens: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Vocabulary:
    """Synonym rules, in the file's order."""

    rules: tuple[Rule, ...] = ()

    def expansion(self, question: str, terms: tuple[str, ...]) -> tuple[str, ...]:
        """Tokens the texts' phrases add to a question holding a reader's phrase."""
        lowered = question.lower()
        extra: list[str] = []
        for rule in self.rules:
            if rule.pattern.search(lowered):
                extra.extend(t for p in rule.tokens for t in p if t not in terms and t not in extra)
        return tuple(extra)

    def reworded(self, question: str) -> str:
        """``question`` lower-cased with each reader's phrase replaced by the texts' first phrase for
        it, rule by rule in the file's order; ``question`` itself when it holds none."""
        lowered = question.lower()
        out = lowered
        for rule in self.rules:
            out = rule.pattern.sub(rule.first.replace("\\", "\\\\"), out)  # the phrase as written
        return question if out == lowered else out

    def known(self, question: str) -> frozenset[str]:
        """Tokens of the reader's phrases the question holds: the corpus names those things, in its
        own words, so they are not names it never mentions."""
        return frozenset(term for term, _ in self.said_otherwise(question))

    def said_otherwise(self, question: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """(question term, tokens of a text phrase saying it): a passage holding all of those
        tokens holds what the question's word means."""
        lowered = question.lower()
        pairs: list[tuple[str, tuple[str, ...]]] = []
        for rule in self.rules:
            match = rule.pattern.search(lowered)
            if match:
                pairs.extend((term, p) for term in tokenize(match.group(0)) for p in rule.tokens)
        return tuple(pairs)


def load_vocabulary(folder: Path | str | None) -> Vocabulary:
    """The vocabulary of a corpus folder; empty when it has no ``vocabulary.yaml``. A file that
    does not parse, or is not of this shape, is a QAError naming the file and the problem."""
    if folder is None:
        return Vocabulary()
    path = Path(folder) / FILE_NAME
    if not path.is_file():
        return Vocabulary()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise QAError(f"{path}: cannot read the vocabulary: {str(exc).splitlines()[0]}") from None
    synonyms = data.get("synonyms", {}) if isinstance(data, dict) else None
    if not isinstance(synonyms, dict):
        raise QAError(f"{path}: expected a mapping with a 'synonyms' mapping")
    rules = []
    for said, meant in synonyms.items():
        phrases = meant if isinstance(meant, list) else [meant]
        if not isinstance(said, str) or not all(isinstance(p, str) for p in phrases):
            raise QAError(f"{path}: synonyms: {said!r}: expected a phrase and a list of phrases")
        words = rf"(?:\s+|{HYPHEN})".join(re.escape(w) for w in said.lower().split())
        tokens = tuple(tuple(tokenize(p)) for p in phrases if tokenize(p))
        if words and tokens:
            pattern = re.compile(rf"(?<![\w-]){words}(?!\w)")
            rules.append(Rule(pattern, " ".join(phrases[0].lower().split()), tokens))
    return Vocabulary(tuple(rules))
