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
from pathlib import Path

from qa.abstain import FAR, NO_MATCH, NOT_THEN, Abstention, figure_mismatch
from qa.asks import marked_share, markers
from qa.chunking import REFERS_BACK, chunk_corpus
from qa.corpus import load_corpus
from qa.extract import Candidate, candidates, nearest_candidate
from qa.index import DEFAULT_ENGINE, BM25Index
from qa.models import Answer, Chunk, Document, Hit, QAError, Span
from qa.query import Question, parse_question
from qa.semantic import Embedder, Similarity, load_embedder
from qa.settings import Settings
from qa.store import Progress, Store
from qa.text import YEAR, tokenize

#: What opens a passage that carries on the one before it: the next item of a list, the other hand.
CONTINUES = re.compile(
    r"^\W*(?:on the (?:one|other) hand|first(?:ly)?|second(?:ly)?|third(?:ly)?|fourth(?:ly)?|finally"
    r"|at the same time|in addition|moreover|furthermore|however)\b",
    re.IGNORECASE,
)

NOT_THEN_OPENING = NOT_THEN.split("{", 1)[0]  # how the "not about that year" reason opens

#: Span types too loose to rank by ("three" is a count only sometimes); they can still answer.
WEAK_TYPES = frozenset({"countword"})


@dataclass(frozen=True)
class _Scored:
    pos: int
    score: float
    sentence: Span
    types: tuple[Candidate, ...]
    asked: float = 0.0  # what the score holds for marking what an explanation asks (qa/asks.py)


def _described_by(doc: Document) -> tuple[str, ...]:
    """What a reader may call a document by: its title, keywords, source, outlet, publisher, authors
    and their roles ("according to Jin Guanping", "the Economic Daily piece"), and the initials of
    the longer names there ("CUFE" for "Central University of Finance and Economics")."""
    names = (doc.title, *doc.keywords, doc.source, doc.outlet, doc.publisher)
    names += tuple(part for p in doc.authors for part in (p.name, p.role))
    return names + tuple(_initials(n) for n in names)


def _initials(text: str) -> str:
    """Initials of each run of four or more capitalised words (small words between them allowed)."""
    runs = re.findall(r"[A-Z]\w*(?:(?:\s+(?:of|and|for|the|on))*\s+[A-Z]\w*){3,}", text)
    return " ".join("".join(w[0] for w in run.split() if w[0].isupper()) for run in runs)


def _strong(typed: Sequence[Candidate]) -> bool:
    """Whether ``typed`` holds a span firm enough to rank by (not only counts in words)."""
    return any(c.type not in WEAK_TYPES for c in typed)


def _window_density(tokens: list[str], wanted: set[str], at: int) -> float:
    """(terms + 1) / width of the smallest stretch around token ``at`` holding each matched term."""
    positions = [at]
    for term in wanted:
        places = [i for i, t in enumerate(tokens) if t == term]
        if places:
            positions.append(min(places, key=lambda i: abs(i - at)))
    width = max(positions) - min(positions) + 1
    return len(positions) / width


class Engine(Abstention):
    """The corpus, its passages and their BM25 index; built once, asked many times."""

    def __init__(
        self,
        documents: Sequence[Document],
        settings: Settings | None = None,
        prepared: tuple[Sequence[Chunk], Sequence[Sequence[str]]] | None = None,
        engine: str = DEFAULT_ENGINE,
        embedder: Embedder | None = None,
    ) -> None:
        """``prepared``: the passages of ``documents`` and their token lists, when already known
        (from the data directory's cache); otherwise they are computed here. ``engine``: the BM25
        engine, ``fast`` or ``rank-bm25`` (same scores; see ``qa/index.py``). ``embedder``: what
        scores meaning similarity (default: the shipped model, loaded on first need, if installed)."""
        self.settings = settings or Settings()
        self._embedder = embedder
        self._similarity: Similarity | None = None
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
        self._fields = {d.id: set(tokenize(" ".join(_described_by(d)))) for d in self.documents}
        self._named: set[str] = set().union(*self._fields.values())
        self._years = {d.id: frozenset({str(d.date.year), *re.findall(YEAR, d.title)}) for d in documents}
        self._published = {d.id: (str(d.date.year), tokenize(f"{d.date:%B}")[0]) for d in documents}
        self._dates_published = frozenset(self._published.values())

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

    # -- ranking --------------------------------------------------------------------------

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
        meaning = self._meaning(q, [sent.text for sent in sentences], self.settings.semantic_sentence_weight)
        best: tuple[Span, float, tuple[Candidate, ...]] | None = None
        previous: tuple[Candidate, ...] = ()
        before: Span | None = None
        for sent, sense in zip(sentences, meaning, strict=True):
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
            score += sense
            if best is None or score > best[1]:
                best = (shown, score, typed)
            previous, before = self._typed(sent, q), sent
        assert best is not None
        return best

    def _meaning(self, q: Question, texts: Sequence[str], weight: float) -> list[float]:
        """``weight`` × the meaning similarity of ``q`` to each of ``texts``, for a question that
        asks no fact type; zeros when it does, or when no embedder is installed."""
        embedder = (self._embedder or load_embedder()) if weight and not q.answer_types else None
        if embedder is None:
            return [0.0] * len(texts)
        if self._similarity is None:
            self._similarity = Similarity(embedder)
        return [weight * c for c in self._similarity(q.text, texts)]

    def _with_continuations(self, first: list[tuple[int, float]], share: float) -> list[tuple[int, float]]:
        """``first`` with each passage that carries on the one before it ("On the one hand, ...",
        "Third, ...") scored at least ``share`` of that one's BM25 score."""
        scores = dict(first)
        for pos, bm25 in first:
            nxt = pos + 1
            same_doc = nxt < len(self.chunks) and self.chunks[nxt].doc_id == self.chunks[pos].doc_id
            if same_doc and CONTINUES.match(self.chunks[nxt].text):
                scores[nxt] = max(scores.get(nxt, 0.0), share * bm25)
        return sorted(scores.items(), key=lambda x: (-x[1], x[0]))

    def _rank(self, q: Question, k: int, allowed: set[int] | None) -> tuple[list[_Scored], float | None]:
        """The ``k`` best passages, and the highest meaning similarity of the question to those
        re-ranked (None when it is not measured: a fact question, or no embedder installed)."""
        s = self.settings
        first = self.index.search(list(q.search_terms), max(k, s.rerank_depth), allowed=allowed)
        if not first:
            return [], None
        top_bm25 = first[0][1] or 1.0
        asked = () if q.answer_types else markers(q.text)  # what an explanation asks for
        if s.continues and asked:
            first = self._with_continuations(first, s.continues)
        years, head = set(q.years), q.counted[-1:]
        meaning = self._meaning(q, [self.chunks[pos].text for pos, _ in first], s.semantic_weight)
        measured = self._similarity is not None and bool(s.semantic_weight) and not q.answer_types
        closest = max(meaning) / s.semantic_weight if measured else None
        scored = []
        for (pos, bm25), sense in zip(first, meaning, strict=True):
            chunk = self.chunks[pos]
            sent, s_score, typed = self._sentence(chunk, q)
            score = bm25 / top_bm25 + s_score + sense
            marked = s.asks_weight * marked_share([x.text for x in chunk.sentences], asked) * bm25 / top_bm25
            score += marked
            if q.answer_types and not _strong(typed):
                score -= s.untyped_penalty * (s.weak_share if typed else 1.0)
            if s.counted_rank and head and not self._holds(q, sent.text, head[0]):
                score -= s.untyped_penalty * s.counted_rank
            scored.append(_Scored(pos, score, sent, typed, marked))
        scored.sort(key=lambda r: (-r.score, r.pos))
        if (
            years
            and q.answer_types
            and s.year_swap
            and not years <= self.dated_terms(scored[0].pos, scored[0].sentence)
        ):
            # a fact question naming a year: the best passage of that year that holds such a fact
            dated = next(
                (r for r in scored if years <= self.dated_terms(r.pos, r.sentence) and _strong(r.types)), None
            )
            if dated is not None and dated.score >= s.year_swap * scored[0].score:
                scored.remove(dated)
                scored.insert(0, dated)
        return scored[:k], closest

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
        ranked, closest = self._rank(q, k, allowed_positions(self, docs, since, until))
        if not ranked:
            return Answer(question, True, (), NO_MATCH, missing_terms=tuple(self.missing_words(question)))
        reason = self._abstain_reason(q, ranked[0].pos, ranked[0].sentence, ranked[0].types)
        named = q.named_dates  # "the 2026 Economic Daily piece": the text of that date answers
        if reason.startswith(NOT_THEN_OPENING) and named:
            own = next((r for r in ranked if named & self._years[self.chunks[r.pos].doc_id]), None)
            if own is not None and not self._abstain_reason(q, own.pos, own.sentence, own.types):
                ranked.remove(own)
                ranked.insert(0, own)
                reason = ""
        unmarked = max(ranked, key=lambda r: r.score - r.asked)  # hit 1 but for what is asked
        if reason and ranked[0].asked and unmarked is not ranked[0]:  # which passage, not whether
            reason = self._abstain_reason(q, unmarked.pos, unmarked.sentence, unmarked.types)
        if not reason and closest is not None and closest < self.settings.min_meaning:
            reason = FAR  # shares words with the texts, but is about something else
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
        if short is not None and (why := figure_mismatch(q, short, top.sentence, self.settings)):
            return Answer(question, True, (), why, missing_terms=tuple(self.missing_words(question)))
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
