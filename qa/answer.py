"""Answer a question from the corpus: ranked hits with provenance, or an honest abstention.

Ranking: BM25 (``qa/index.py``, the fast engine unless told otherwise) scores passages for the
question's terms (plus synonym terms); the best passages are then re-ranked with what their best
sentence holds (see ``Settings``). Each hit carries its best sentence; a short answer is taken
from hit 1's best sentence when the question asks for a fact of a known type (a year, a number,
...) and one is found there.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from qa.chunking import REFERS_BACK, chunk_corpus
from qa.corpus import load_corpus
from qa.extract import Candidate, candidates, nearest_candidate
from qa.index import DEFAULT_ENGINE, BM25Index
from qa.models import Answer, Chunk, Document, Hit, QAError, Span
from qa.query import Question, parse_question
from qa.store import Progress, Store
from qa.text import stopwords, tokenize

NO_MATCH = "The corpus does not say: no passage matches the question."
NOT_IN_CORPUS = "The corpus does not say: it never mentions {words}."
NO_FACT = (
    "The corpus does not say: the closest passage holds no figure of the kind asked for, "
    "and the corpus never mentions {words}."
)
NOT_THEN = (
    "The corpus does not say: the passages that come closest are not about {years}, "
    "and none that is says this."
)
NOT_COUNTED = "The corpus does not say: the closest passage counts no “{what}”."
#: Span types too loose to rank by ("three" is a count only sometimes); they can still answer.
WEAK_TYPES = frozenset({"countword"})
TOO_WEAK = "The corpus does not say: the closest passages share only general words with the question."


@dataclass(frozen=True)
class Settings:
    """Ranking and abstention choices; the defaults are those `qa eval` supported (see README)."""

    synonyms: bool = True  # expand questions with qa/data/synonyms.txt
    sentence_weight: float = 0.5  # best sentence's share of the question's idf weight
    type_weight: float = 2.0  # density of the window holding the question's terms and a typed span
    refer_back: float = 0.5  # weight of a typed span taken from the sentence before ("It ...")
    refer_back_span: bool = True  # the best "sentence" then covers both, so the fact is in what is quoted
    rerank_depth: int = 30  # passages re-ranked after BM25
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


@dataclass(frozen=True)
class _Scored:
    pos: int
    score: float
    sentence: Span
    types: tuple[Candidate, ...]


def _with_synonyms(q: Question, held: set[str]) -> set[str]:
    """``held`` tokens, and the question terms they hold in other words (all of what one of the
    term's synonym phrases, or a compound's parts, says)."""
    return held | {term for term, tokens in q.stands_for if held.issuperset(tokens)}


def _strong(typed: Sequence[Candidate]) -> bool:
    """Whether ``typed`` holds a span firm enough to rank by (not only counts in words)."""
    return any(c.type not in WEAK_TYPES for c in typed)


@lru_cache(maxsize=1)
def generic_terms() -> frozenset[str]:
    """Stems of everyday words (``qa/data/generic_words.txt``)."""
    text = resources.files("qa").joinpath("data/generic_words.txt").read_text(encoding="utf-8")
    words = [w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")]
    return frozenset(t for w in words for t in tokenize(w))


def _window_density(tokens: list[str], wanted: set[str], at: int) -> float:
    """(terms + 1) / width of the smallest stretch around token ``at`` holding each matched term."""
    positions = [at]
    for term in wanted:
        places = [i for i, t in enumerate(tokens) if t == term]
        if places:
            positions.append(min(places, key=lambda i: abs(i - at)))
    width = max(positions) - min(positions) + 1
    return len(positions) / width


class Engine:
    """The corpus, its passages and their BM25 index; built once, asked many times."""

    def __init__(
        self,
        documents: Sequence[Document],
        settings: Settings | None = None,
        prepared: tuple[Sequence[Chunk], Sequence[Sequence[str]]] | None = None,
        engine: str = DEFAULT_ENGINE,
    ) -> None:
        """``prepared``: the passages of ``documents`` and their token lists, when already known
        (from the data directory's cache); otherwise they are computed here. ``engine``: the BM25
        engine, ``fast`` or ``rank-bm25`` (same scores; see ``qa/index.py``)."""
        self.settings = settings or Settings()
        self.documents: tuple[Document, ...] = tuple(documents)
        self._docs = {d.id: d for d in self.documents}
        if prepared is None:
            self.chunks: tuple[Chunk, ...] = tuple(chunk_corpus(self.documents))
            tokens: Sequence[Sequence[str]] = [tokenize(c.text) for c in self.chunks]
        else:
            self.chunks, tokens = tuple(prepared[0]), prepared[1]
        self._chunk_pos = {c.id: i for i, c in enumerate(self.chunks)}
        self._tokens = [list(t) for t in tokens]
        self.index = BM25Index(self._tokens, engine=engine)
        self._fields = {d.id: set(tokenize(" ".join((d.title, *d.keywords)))) for d in self.documents}

    @classmethod
    def from_folder(cls, folder: Path | str | None = None, settings: Settings | None = None) -> Engine:
        """An engine over every document of ``folder`` (default: the shipped corpus)."""
        return cls(load_corpus(folder), settings)

    @classmethod
    def from_store(
        cls, store: Store, progress: Progress | None = None, engine: str = DEFAULT_ENGINE
    ) -> Engine:
        """An engine over the shipped corpus and the documents added to ``store``'s data directory,
        reusing the cached passages of unchanged documents."""
        built = store.build(progress=progress)
        return cls(built.documents, prepared=(built.chunks, built.tokens), engine=engine)

    def document(self, doc_id: str) -> Document:
        """The document with this id, or a QAError naming it."""
        try:
            return self._docs[doc_id]
        except KeyError:
            raise QAError(f"no document with id {doc_id!r}") from None

    def chunk(self, chunk_id: str) -> Chunk:
        """The passage with this id, or a QAError naming it."""
        try:
            return self.chunks[self._chunk_pos[chunk_id]]
        except KeyError:
            raise QAError(f"no passage with id {chunk_id!r}") from None

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        """The passages of one document, in order."""
        return [c for c in self.chunks if c.doc_id == doc_id]

    def missing_words(self, question: str) -> list[str]:
        """Words of the question (stopwords aside) that no passage contains."""
        vocab = self.index.vocabulary
        stop = stopwords()
        words = [w.strip(".,;:?!\"'()").lower() for w in question.split()]
        return [w for w in words if w and w not in stop and not (set(tokenize(w)) & vocab)]

    # -- ranking --------------------------------------------------------------------------

    def _weight(self, terms: set[str]) -> float:
        return sum(self.index.idf(t) for t in terms)

    def _typed(self, sent: Span, q: Question) -> tuple[Candidate, ...]:
        """Spans of ``sent`` of a type the question asks for, except those the question itself names."""
        asked = q.text.lower()
        return tuple(
            c
            for c in candidates(sent.text, sent.start)
            if c.type in q.answer_types and c.text.lower().removeprefix("the ") not in asked
        )

    def _sentence(self, chunk: Chunk, q: Question) -> tuple[Span, float, tuple[Candidate, ...]]:
        """The sentence of ``chunk`` that best answers ``q``, its score and its typed spans.

        A sentence that opens by referring back ("It ...", "This ...") may take its typed span
        from the sentence before it, at half weight: "In June 2018, ... proposed ... It prioritized";
        when it does, the span returned covers both sentences (the fact is in the first)."""
        wanted = set(q.terms)
        extra = set(q.expansion) - wanted
        total = self._weight(wanted) or 1.0
        sentences = chunk.sentences or (Span(chunk.text, chunk.start, chunk.end),)
        best: tuple[Span, float, tuple[Candidate, ...]] | None = None
        previous: tuple[Candidate, ...] = ()
        before: Span | None = None
        for sent in sentences:
            tokens = tokenize(sent.text)
            held = set(tokens)
            matched = self._weight(wanted & held) + 0.5 * self._weight(extra & held)
            typed = self._typed(sent, q)
            density = 0.0
            for c in typed:  # a typed span close to the question's terms is likely the answer
                if c.type in WEAK_TYPES:
                    continue
                at = len(tokenize(sent.text[: c.start - sent.start]))
                density = max(density, _window_density(tokens, (wanted | extra) & held, at))
            shown = sent
            if not typed and previous and before is not None and REFERS_BACK.match(sent.text):
                typed = previous
                density = self.settings.refer_back * _window_density(tokens, (wanted | extra) & held, 0)
                if self.settings.refer_back_span:
                    shown = Span(
                        chunk.text[before.start - chunk.start : sent.end - chunk.start],
                        before.start,
                        sent.end,
                    )
            density *= matched / total
            score = self.settings.sentence_weight * matched / total + self.settings.type_weight * density
            if best is None or score > best[1]:
                best = (shown, score, typed)
            previous, before = self._typed(sent, q), sent
        assert best is not None
        return best

    def _rank(self, q: Question, k: int, allowed: set[int] | None) -> list[_Scored]:
        s = self.settings
        first = self.index.search(list(q.search_terms), max(k, s.rerank_depth), allowed=allowed)
        if not first:
            return []
        top_bm25 = first[0][1] or 1.0
        years, head = set(q.years), q.counted[-1:]
        scored = []
        for pos, bm25 in first:
            chunk = self.chunks[pos]
            sent, s_score, typed = self._sentence(chunk, q)
            score = bm25 / top_bm25 + s_score
            if q.answer_types and not _strong(typed):
                score -= s.untyped_penalty * (s.weak_share if typed else 1.0)
            if s.counted_rank and head and not self._holds(q, sent.text, head[0]):
                score -= s.untyped_penalty * s.counted_rank
            scored.append(_Scored(pos, score, sent, typed))
        scored.sort(key=lambda r: (-r.score, r.pos))
        if years and q.answer_types and s.year_swap and not years.issubset(self._tokens[scored[0].pos]):
            # a fact question naming a year: the best passage of that year that holds such a fact
            dated = next(
                (r for r in scored if years.issubset(self._tokens[r.pos]) and _strong(r.types)), None
            )
            if dated is not None and dated.score >= s.year_swap * scored[0].score:
                scored.remove(dated)
                scored.insert(0, dated)
        return scored[:k]

    def coverage(self, q: Question, chunk: Chunk) -> float:
        """Share of the question's idf weight that ``chunk`` (with its title and keywords) holds;
        a question word counts as held where the passage holds all of what its synonym says."""
        terms = set(q.terms)
        if not terms:
            return 0.0
        held = self._held(q, chunk)
        generic, vocab = generic_terms(), self.index.vocabulary
        unknown = terms - vocab
        full = set(q.rare) if unknown - generic else set()  # unknown words that weigh in full
        full |= self._said_otherwise(q) if self.settings.said_full else set()  # held in other words

        def weight(t: str) -> float:
            if t in vocab:
                return self.index.idf(t)
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

    def _unknown(self, q: Question) -> list[str]:
        """Question terms the corpus never uses (everyday words aside), unless a synonym of theirs is."""
        vocab, generic, known = self.index.vocabulary, generic_terms(), self._said_otherwise(q)
        return [t for t in dict.fromkeys(q.terms) if t not in vocab and t not in generic and t not in known]

    def _naming(self, q: Question, terms: Sequence[str]) -> str:
        """The question's own words for ``terms`` that no passage holds, quoted ("“blockchain”");
        the terms themselves where no such word is left."""
        wanted = set(terms)
        words = [w for w in self.missing_words(q.text) if set(tokenize(w)) & wanted]
        return ", ".join(f"“{w}”" for w in words or terms)

    def _abstain_reason(self, q: Question, top: _Scored) -> str:
        vocab = self.index.vocabulary
        if self.settings.anchors:
            known = self._said_otherwise(q)
            missing = [a for a in q.anchors if a not in vocab and a not in known]
            if missing:
                return NOT_IN_CORPUS.format(words=self._naming(q, missing))
            held = set(self._tokens[top.pos])
            years = [a for a in q.years if a not in held]
            # of several years ("in 2023 compared with 2022") one is enough: "than the previous year"
            none_held = len(years) == len(q.years) or not self.settings.one_year
            if years and self.settings.year_in_passage and none_held:
                return NOT_THEN.format(years=", ".join(years))
        unknown = self._unknown(q)
        weight = self._weight(set(q.terms)) or 1.0
        rare = [t for t in unknown if t in q.rare] if unknown else []
        if rare and self._weight(set(rare)) / weight >= self.settings.max_unknown:
            return NOT_IN_CORPUS.format(words=self._naming(q, rare))
        if unknown and self._weight(set(unknown)) / weight >= self.settings.max_common_unknown:
            return NOT_IN_CORPUS.format(words=self._naming(q, unknown))
        chunk = self.chunks[top.pos]
        content = set(q.terms) - generic_terms()
        held = self._held(q, chunk) & content
        if len(held) < min(self.settings.min_matched, len(content)):
            return TOO_WEAK
        if self.coverage(q, chunk) < self.settings.min_coverage:
            return TOO_WEAK
        head = q.counted[-1:]
        if self.settings.counted_in_sentence and head and not self._holds(q, top.sentence.text, head[0]):
            word = next((w for w in re.findall(r"[\w'-]+", q.text) if head[0] in tokenize(w)), head[0])
            return NOT_COUNTED.format(what=word)
        if q.answer_types and (unknown or self.settings.need_fact) and not top.types:
            return NO_FACT.format(words=self._naming(q, unknown))
        return ""

    def ask(
        self,
        question: str,
        k: int = 5,
        *,
        docs: Collection[str] | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> Answer:
        """The ``k`` best passages for ``question``, or an abstention when the corpus does not say.

        ``docs``, ``since`` and ``until`` restrict the search to those documents and to documents
        dated in that range (inclusive); they apply before ranking, so ``k`` fills from the rest.
        """
        q = parse_question(question, self.settings.synonyms)
        ranked = self._rank(q, k, allowed_positions(self, docs, since, until))
        if not ranked:
            return Answer(question, True, (), NO_MATCH, missing_terms=tuple(self.missing_words(question)))
        reason = self._abstain_reason(q, ranked[0])
        if reason:
            return Answer(question, True, (), reason, missing_terms=tuple(self.missing_words(question)))
        query = set(q.search_terms)
        hits = []
        for rank, r in enumerate(ranked, start=1):
            chunk = self.chunks[r.pos]
            matched = tuple(sorted(query & set(self._tokens[r.pos])))
            hits.append(Hit(rank, r.score, chunk, self._docs[chunk.doc_id], matched, r.sentence))
        top = ranked[0]
        weights = {t: self.index.idf(t) for t in q.search_terms}
        short = nearest_candidate(top.types, top.sentence, q, weights)
        return Answer(question, False, tuple(hits), short=short, short_hit=1 if short else None)


def allowed_positions(
    engine: Engine,
    docs: Collection[str] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> set[int] | None:
    """Positions in ``engine.chunks`` of passages that pass the filters; None when none is set.

    An unknown document id, or ``since`` after ``until``, is a QAError naming it.
    """
    if docs is None and since is None and until is None:
        return None
    wanted = None if docs is None else {engine.document(d).id for d in docs}
    if since is not None and until is not None and since > until:
        raise QAError(f"since {since.isoformat()} is after until {until.isoformat()}")
    ok = {
        d.id
        for d in engine.documents
        if (wanted is None or d.id in wanted)
        and (since is None or d.date >= since)
        and (until is None or d.date <= until)
    }
    return {i for i, c in enumerate(engine.chunks) if c.doc_id in ok}
