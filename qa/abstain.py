"""Whether the corpus says what a question asks: the checks behind "the corpus does not say".

``Abstention`` is a part of ``qa.answer.Engine``: it judges the best passage the engine found with
the engine's index, passages and settings. In order: a proper noun or number of the question
found nowhere; no year the question names in the passage; words the corpus never uses carrying
much of the question; too little of the question in the passage; "how many X" where the best
sentence counts no X; a fact question whose passage holds no fact of that kind.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from qa.dates import RECENT
from qa.extract import Candidate, candidates, rate_for_part
from qa.index import BM25Index
from qa.models import Chunk, Span
from qa.query import Question
from qa.settings import Settings
from qa.text import YEAR, stopwords, tokenize

NO_MATCH = "The corpus does not say: no passage matches the question."
FAR = "The corpus does not say: no passage is close in meaning to what the question asks."
NOT_IN_CORPUS = "The corpus does not say: it never mentions {words}."
NO_FACT = (
    "The corpus does not say: the closest passage holds no figure of the kind asked for, "
    "and the corpus never mentions {words}."
)
NOT_THEN = (
    "The corpus does not say: the passages that come closest are not about {years}, "
    "and none that is says this."
)
ELSEWHERE = (
    "The corpus does not say: the figure found is not for “{phrase}”; the texts give a figure for "
    "that only in another context."
)
OTHER_SUBJECT = "The corpus does not say: the figure it gives is for “{found}”, not “{asked}”."
NOT_A_BUSINESS = "The corpus does not say: the body it names, “{found}”, is not a {asked}."
RATE_NOT_PART = (
    "The corpus does not say: the figure it gives, “{figure}”, is a change (a growth rate or a gap "
    "between rates), not a share."
)
NOT_COUNTED = "The corpus does not say: the closest passage counts no “{what}”."
TOO_WEAK = "The corpus does not say: the closest passages share only general words with the question."


@lru_cache(maxsize=1)
def generic_terms() -> frozenset[str]:
    """Stems of everyday words (``qa/data/generic_words.txt``)."""
    text = resources.files("qa").joinpath("data/generic_words.txt").read_text(encoding="utf-8")
    words = [w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")]
    return frozenset(t for w in words for t in tokenize(w))


@lru_cache(maxsize=1)
def opposites() -> tuple[tuple[str, str], ...]:
    """(term, opposite term) from ``qa/data/opposites.txt``, each pair both ways round."""
    text = resources.files("qa").joinpath("data/opposites.txt").read_text(encoding="utf-8")
    pairs: list[tuple[str, str]] = []
    for line in text.splitlines():
        if "|" in line and not line.startswith("#"):
            a, b = (tokenize(w) for w in line.split("|", 1))
            if len(a) == 1 and len(b) == 1:
                pairs += [(a[0], b[0]), (b[0], a[0])]
    return tuple(pairs)


#: A question asking for a business ("which platform", "what company"), and a government body's name.
_ASKS_BUSINESS = re.compile(
    r"\b(?:which|what) (?:[\w-]+ ){0,2}?(platforms?|compan(?:y|ies)|firms?|enterprises?|apps?)\b", re.I
)
_GOVERNMENT = re.compile(
    r"\b(Ministry|Ministries|Council|Committee|Office|Department|Bureau|Administration|Commission|Party"
    r"|Government)\b"
)


def figure_mismatch(q: Question, short: Span, sentence: Span, settings: Settings) -> str:
    """Why the short answer ``short`` found in ``sentence`` does not answer ``q`` after all: its
    figure is qualified the opposite way, is a rate of change where a share is asked, or it is a
    government body where a business is asked ("which platform sold the most"); ""."""
    if settings.opposites and (why := other_subject(q, short, sentence)):
        return why
    if settings.rates and rate_for_part(q.text, short, sentence):
        return RATE_NOT_PART.format(figure=short.text)
    business = _ASKS_BUSINESS.search(q.text) if settings.bodies and q.kind == "organisation" else None
    if business and _GOVERNMENT.search(short.text):
        return NOT_A_BUSINESS.format(found=short.text, asked=business.group(1).lower())
    return ""


def other_subject(q: Question, short: Span, sentence: Span) -> str:
    """Why the figure ``short`` does not answer ``q`` when the words just before it qualify it
    the opposite way ("*rural* broadband users … 192 million" for "urban broadband users"); ""
    when they do not."""
    text = sentence.text[: short.start - sentence.start]
    before = _terms_before(sentence, short.start)
    for asked, found in opposites():
        if asked in q.terms and found not in q.terms and found in before and asked not in before:
            return OTHER_SUBJECT.format(
                found=_word_for(found, text, last=True), asked=_word_for(asked, q.text)
            )
    return ""


def _describes(sentence: Span, pair: tuple[str, str], types: Sequence[str]) -> bool:
    """Whether the two terms ``pair`` stand together among the eight terms before a figure of one
    of ``types`` in ``sentence`` ("sales of *agricultural products* will reach 783.31 billion")."""
    for c in candidates(sentence.text, sentence.start):
        if c.type in types and pair in itertools.pairwise(_terms_before(sentence, c.start)):
            return True
    return False


def _terms_before(sentence: Span, start: int) -> list[str]:
    """The eight terms of ``sentence`` just before offset ``start`` (a figure's): the words that
    say what the figure is of ("online retail sales of agricultural products will reach …")."""
    return tokenize(sentence.text[: start - sentence.start])[-8:]


def _word_for(term: str, text: str, last: bool = False) -> str:
    """The word of ``text`` that gives ``term`` (its first, or ``last``, one); ``term`` if none."""
    words = re.findall(r"[\w'-]+", text)
    return next((w for w in (reversed(words) if last else words) if term in tokenize(w)), term)


def _with_synonyms(q: Question, held: set[str]) -> set[str]:
    """``held`` tokens, and the question terms they hold in other words (all of what one of the
    term's synonym phrases, or a compound's parts, says)."""
    return held | {term for term, tokens in q.stands_for if held.issuperset(tokens)}


class Abstention:
    """The abstention checks of an engine holding these attributes."""

    settings: Settings
    index: BM25Index
    chunks: tuple[Chunk, ...]
    _tokens: list[list[str]]
    _chunk_pos: dict[str, int]
    _fields: dict[str, set[str]]  # per document, the words it is described by (title, authors, …)
    _named: set[str]  # those words over all documents
    _years: dict[str, frozenset[str]]  # per document, its year and the years in its title
    _published: dict[str, tuple[str, str]]  # per document, the terms of its year and month
    _dates_published: frozenset[tuple[str, str]]  # those (year, month) pairs, each once

    def missing_words(self, question: str) -> list[str]:
        """Words of the question (stopwords aside) that no passage contains."""
        vocab = self.index.vocabulary
        stop = stopwords()
        words = [w.strip(".,;:?!\"'()").lower() for w in question.split()]
        return [w for w in words if w and w not in stop and not (set(tokenize(w)) & vocab)]

    def _weight(self, terms: set[str]) -> float:
        return sum(self.index.idf(t) for t in terms)

    def coverage(self, q: Question, chunk: Chunk) -> float:
        """Share of the question's idf weight that ``chunk`` (with its title and keywords) holds;
        a question word counts as held where the passage holds all of what its synonym says."""
        terms = set(q.terms)
        if not terms:
            return 0.0
        held = self._held(q, chunk)
        generic, vocab = generic_terms(), self.index.vocabulary
        unknown = terms - vocab
        full = set(q.rare) if unknown - generic - set(q.asks) else set()  # unknown words weighing in full
        full |= self._said_otherwise(q) if self.settings.said_full else set()  # held in other words
        generic |= set(q.asks) - full  # words saying what is asked ("define") weigh as everyday ones

        # a joined word the texts never use ("online-commerce") is carried by its parts, terms too
        carried = {t for t, parts in q.stands_for if t not in vocab and terms.issuperset(parts)}

        def weight(t: str) -> float:
            if t in vocab:
                return self.index.idf(t)
            if t in carried:
                return 0.0
            if t in generic:
                return self.index.idf(t) * self.settings.generic_weight
            return self.index.idf(t) * (1.0 if t in full else self.settings.oov_weight)

        return sum(weight(t) for t in terms & held) / sum(weight(t) for t in terms)

    def _held(self, q: Question, chunk: Chunk) -> set[str]:
        """What ``chunk`` (with its title and keywords) holds, in the question's words too."""
        return _with_synonyms(q, set(self._tokens[self._chunk_pos[chunk.id]]) | self._fields[chunk.doc_id])

    @staticmethod
    def _holds(q: Question, text: str, term: str) -> bool:
        """Whether ``text`` holds ``term`` or all of what one of its synonyms says."""
        return term in _with_synonyms(q, set(tokenize(text)))

    def _said_otherwise(self, q: Question) -> set[str]:
        """Question terms the corpus holds in other words: all of their synonym's (or parts') tokens."""
        vocab = self.index.vocabulary
        return {term for term, tokens in q.stands_for if vocab.issuperset(tokens)}

    def _known_dates(self, q: Question, dates: frozenset[str]) -> set[str]:
        """Terms of the dates in ``q`` that the texts hold without writing them: the ``dates`` naming a
        text (``Question.named_dates``) that are a document's; a document's year, a time its text speaks of
        ("released in February this year"); its month and year together, its date ("the Economic
        Daily in April 2024")."""
        known = set(dates) if any(dates & years for years in self._years.values()) else set()
        terms = set(q.terms)
        for year, month in self._dates_published:
            known |= {year, month} if {year, month} <= terms else {year}
        return known

    def dated_terms(self, pos: int, sentence: Span) -> set[str]:
        """Terms of the passage at ``pos``, with its document's year when its best ``sentence`` dates
        what it tells by the text's own time ("recently jointly issued") and names no year."""
        held = set(self._tokens[pos])
        if RECENT.search(sentence.text) and not re.search(YEAR, sentence.text):
            held.add(self._published[self.chunks[pos].doc_id][0])
        return held

    def _unknown(self, q: Question, dated: set[str]) -> list[str]:
        """Question terms the corpus never uses (everyday words aside, and the ``dated`` terms of
        ``_known_dates``), unless a synonym of theirs is."""
        vocab, generic = self.index.vocabulary, generic_terms() | set(q.asks)
        known = self._said_otherwise(q) | dated
        named = self._named
        return [
            t
            for t in dict.fromkeys(q.terms)
            if t not in vocab and t not in generic and t not in known and t not in named
        ]

    def _naming(self, q: Question, terms: Sequence[str]) -> str:
        """The question's own words for ``terms`` that no passage holds, quoted ("“blockchain”");
        the terms themselves where no such word is left."""
        wanted = set(terms)
        words = [w for w in self.missing_words(q.text) if set(tokenize(w)) & wanted]
        return ", ".join(f"“{w}”" for w in words or terms)

    def _abstain_reason(self, q: Question, pos: int, sentence: Span, types: Sequence[Candidate]) -> str:
        """Why the corpus does not say what ``q`` asks, judged on its best passage (at ``pos``, with
        its best ``sentence`` and the ``types`` of fact found there); "" when it may say it."""
        vocab = self.index.vocabulary
        # the dates by which the question names a text ("the March 2026 piece"), when they are a
        # document's year or a year in its title: they date the text, not a fact, so the text's
        # passages need not hold them; nor need they hold a document's own year or date
        dates = q.named_dates
        dated = self._known_dates(q, dates)
        if self.settings.anchors:
            known = self._said_otherwise(q) | dated
            missing = [a for a in q.anchors if a not in vocab and a not in known and a not in self._named]
            if missing:
                return NOT_IN_CORPUS.format(words=self._naming(q, missing))
            held = self.dated_terms(pos, sentence)
            if dates & self._years[self.chunks[pos].doc_id]:
                held |= dates
            years = [a for a in q.years if a not in held]
            # of several years ("in 2023 compared with 2022") one is enough: "than the previous year"
            none_held = len(years) == len(q.years) or not self.settings.one_year
            if years and self.settings.year_in_passage and none_held:
                return NOT_THEN.format(years=", ".join(years))
        unknown = self._unknown(q, dated)
        weight = self._weight(set(q.terms)) or 1.0
        rare = [t for t in unknown if t in q.rare] if unknown else []
        if rare and self._weight(set(rare)) / weight >= self.settings.max_unknown:
            return NOT_IN_CORPUS.format(words=self._naming(q, rare))
        if unknown and self._weight(set(unknown)) / weight >= self.settings.max_common_unknown:
            return NOT_IN_CORPUS.format(words=self._naming(q, unknown))
        chunk = self.chunks[pos]
        content = set(q.terms) - generic_terms()
        held = self._held(q, chunk) & content
        if len(held) < min(self.settings.min_matched, len(content)):
            return TOO_WEAK
        if self.coverage(q, chunk) < self.settings.min_coverage:
            return TOO_WEAK
        head = q.counted[-1:]
        if self.settings.counted_in_sentence and head and not self._holds(q, sentence.text, head[0]):
            return NOT_COUNTED.format(what=_word_for(head[0], q.text))
        if q.answer_types and (unknown or self.settings.need_fact) and not types:
            return NO_FACT.format(words=self._naming(q, unknown))
        if self.settings.elsewhere and q.answer_types:
            return self._described_elsewhere(q, chunk, sentence)
        return ""

    def _described_elsewhere(self, q: Question, chunk: Chunk, sentence: Span) -> str:
        """Why the best ``sentence`` does not answer ``q`` when two words of the question that it
        lacks ("agricultural products"), or the texts' two words for one it lacks ("farm products" is
        said "agricultural products"), describe a figure of the asked type in another sentence
        ("online retail sales of agricultural products will reach 783.31 billion yuan"): the texts
        give that figure in another context (another year), and this one is for something else;
        "" otherwise. Words naming the passage's document (its title, outlet, ...) do not count."""
        held = _with_synonyms(q, set(tokenize(sentence.text))) | self._fields[chunk.doc_id]
        skip = held | generic_terms()
        # the question's own word pairs, and the texts' two-word phrases for a word it lacks
        # ("farm products" is said "agricultural products")
        own = [(x, y, False) for x, y in itertools.pairwise(q.terms)]
        said = [(t[0], t[1], True) for term, t in q.stands_for if len(t) == 2 and term not in held]
        for x, y, texts_words in own + said:
            if x in skip or y in skip or x.isdigit() or y.isdigit():
                continue
            for pos in sorted(self.index.matching([x]) & self.index.matching([y])):
                if (x, y) not in itertools.pairwise(self._tokens[pos]):  # not side by side here
                    continue
                for other in self.chunks[pos].sentences:
                    if other.start != sentence.start and _describes(other, (x, y), q.answer_types):
                        words = other.text if texts_words else q.text
                        return ELSEWHERE.format(phrase=f"{_word_for(x, words)} {_word_for(y, words)}")
        return ""
