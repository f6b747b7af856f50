"""Answer a question from the corpus: ranked hits with provenance, or an honest abstention.

Stages: the question is read (``question.py``); BM25 gives candidates (with the corpus
vocabulary's synonyms, in that corpus's passages only); one fused score ranks them
(``ranking.py``); the abstention signals judge hit 1 (``abstain.py``); the short answer is the
typed span of hit 1's best sentence nearest the question's terms (``spans.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from qa.answers.abstain import Reason, message
from qa.answers.defined import definitions
from qa.answers.question import Question, parse_question, says_not
from qa.answers.ranking import Scored, constrained, earliest_first, rerank
from qa.answers.scope import allowed_positions, described_by
from qa.answers.settings import Settings
from qa.answers.short import named_term, short_answer
from qa.answers.spelling import read_as_written, respellings, respelt
from qa.answers.vocabulary import Vocabulary, load_vocabulary
from qa.answers.weights import question_weights
from qa.documents.chunking import chunk_corpus
from qa.documents.corpus import default_corpus_dir, load_corpus
from qa.documents.models import Answer, Chunk, Document, Hit, QAError
from qa.documents.ner import Entity, tag_passages
from qa.search.index import DEFAULT_ENGINE, BM25Index
from qa.search.semantic import Embedder, PassageMeaning, Vectors
from qa.search.tokenizer import stopwords, tokenize
from qa.store.directory import Built, Progress, Store

if TYPE_CHECKING:  # only for the type: qa.cluster (and Ray) load when a cluster is asked for
    from qa.cluster.sharded import ShardedIndex

#: The terms of the language the texts are read as.
_TEXT_LANGUAGE = frozenset(tokenize("English"))


class Engine:
    """The corpus, its passages and their BM25 index; built once, asked many times."""

    def __init__(
        self,
        documents: Iterable[Document],
        settings: Settings | None = None,
        prepared: tuple[Sequence[Chunk], Sequence[Sequence[str]]] | None = None,
        engine: str = DEFAULT_ENGINE,
        embedder: Embedder | None = None,
        *,
        entities: Sequence[Sequence[Entity]] | None = None,
        vectors: Vectors | None = None,
        vocabulary: Vocabulary | None = None,
        vocabulary_docs: Collection[str] | None = None,
        ray: str | None = None,
        shards: int | None = None,
        shard_dir: Path | None = None,
    ) -> None:
        """``prepared``: the passages and their token lists, when known (the data directory's
        cache); ``entities``: each passage's named entities, when known; ``vectors``: the unit vector
        of each piece of each passage (``Chunk.pieces``), in order, when known. ``vocabulary``
        applies to the documents ``vocabulary_docs`` (default: all).

        ``ray``: a Ray cluster's address (or ``local``) to search the passages split in ``shards``
        shards, one actor each (qa/cluster); the sharded index is kept in ``shard_dir`` (default:
        a temporary directory). Without it nothing of Ray is imported."""
        self.settings = settings or Settings()
        self.documents: tuple[Document, ...] = tuple(documents)
        self._docs = {d.id: d for d in self.documents}
        if prepared is None:
            self.chunks: tuple[Chunk, ...] = tuple(chunk_corpus(self.documents))
            tokens: Sequence[Sequence[str]] = [tokenize(c.text) for c in self.chunks]
        else:
            self.chunks, tokens = tuple(prepared[0]), prepared[1]
        self._chunk_pos = {c.id: i for i, c in enumerate(self.chunks)}
        self._tokens = [tuple(t) for t in tokens]
        self.entities = [tuple(e) for e in (entities if entities is not None else tag_passages(self.chunks))]
        self.index: BM25Index | ShardedIndex
        if ray is None:
            self.index = BM25Index(self._tokens, engine=engine)
        else:
            self.index = _sharded(self.chunks, self._tokens, engine, ray, shards, shard_dir)
        self.vocabulary = vocabulary or Vocabulary()
        own = set(self._docs) if vocabulary_docs is None else set(vocabulary_docs)
        self._in_vocabulary = {i for i, c in enumerate(self.chunks) if c.doc_id in own}
        #: The terms of what each document is called by, and of all of them.
        self._called = {d.id: frozenset(tokenize(described_by(d))) for d in self.documents}
        self._named = set().union(*self._called.values())
        self._meaning = PassageMeaning(self.chunks, vectors, embedder)

    @classmethod
    def from_folder(cls, folder: Path | str | None = None, settings: Settings | None = None) -> Engine:
        """An engine over every document of ``folder`` (default: the shipped corpus), with the
        folder's vocabulary."""
        folder = Path(folder) if folder is not None else default_corpus_dir()
        return cls(load_corpus(folder), settings, vocabulary=load_vocabulary(folder))

    @classmethod
    def from_store(
        cls,
        store: Store,
        progress: Progress | None = None,
        engine: str = DEFAULT_ENGINE,
        ray: str | None = None,
        shards: int | None = None,
    ) -> Engine:
        """An engine over the shipped corpus and the documents added to ``store``'s data directory,
        reusing the cached passages of unchanged documents; the shipped corpus's vocabulary applies
        to its documents only. ``ray``/``shards``: search on a Ray cluster (see ``__init__``)."""
        return cls.from_built(store.build(progress=progress), store, engine, ray, shards)

    @classmethod
    def from_built(
        cls,
        built: Built,
        store: Store,
        engine: str = DEFAULT_ENGINE,
        ray: str | None = None,
        shards: int | None = None,
    ) -> Engine:
        """An engine over what ``store.build()`` gave; the shipped corpus's vocabulary applies to
        its documents only. With ``ray``, the sharded index is kept in the data directory."""
        shipped = {d.id for d in built.documents if d.id not in built.added}
        return cls(
            built.documents,
            prepared=(built.chunks, built.tokens),
            engine=engine,
            entities=built.entities or None,
            vectors=built.vectors,
            vocabulary=load_vocabulary(store.shipped_dir) if store.include_shipped else None,
            vocabulary_docs=shipped,
            ray=ray,
            shards=shards,
            shard_dir=None if ray is None else store.cluster_dir,
        )

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

    # -- stages ---------------------------------------------------------------------------

    def _candidates(
        self, q: Question, extra: tuple[str, ...], allowed: set[int] | None
    ) -> list[tuple[int, float]]:
        """BM25's best ``depth`` passages; with the vocabulary's terms in its own passages."""
        depth = self.settings.depth
        first = self.index.search(list(q.terms), depth, allowed=allowed)
        if extra and self._in_vocabulary:
            own = self._in_vocabulary if allowed is None else self._in_vocabulary & allowed
            merged = dict(first)
            for pos, score in self.index.search([*q.terms, *extra], depth, allowed=own):
                merged[pos] = max(score, merged.get(pos, 0.0))
            first = sorted(merged.items(), key=lambda x: (-x[1], x[0]))[:depth]
        return first

    def _weights(
        self, q: Question, extra: tuple[str, ...], said: Sequence[tuple[str, tuple[str, ...]]] = ()
    ) -> dict[str, float]:
        """The weight of each of ``q``'s terms (qa/answers/weights.py)."""
        return question_weights(q, extra, said, self.index.idf, self.index.vocabulary, self.settings)

    def _meanings(self, q: Question, first: Sequence[tuple[int, float]]) -> list[list[float]] | None:
        """Each candidate's pieces' cosines with ``q``: for the vocabulary's documents, with ``q``
        reworded in their words (qa/answers/vocabulary.py)."""
        positions = [p for p, _ in first]
        reworded = self.vocabulary.reworded(q.text)
        own = [p in self._in_vocabulary for p in positions]
        if reworded == q.text or not any(own):
            return self._meaning(q.text, positions)
        said = self._meaning(reworded, positions)
        if all(own) or said is None:
            return said
        plain = self._meaning(q.text, positions)
        assert plain is not None
        return [s if o else p for s, p, o in zip(said, plain, own, strict=True)]

    def load_models(self) -> bool:
        """Load the embedding model now (else at the first question past the cheap signals);
        whether it is installed. For a long-lived process such as the page."""
        return self._meaning.load()

    def missing_words(self, question: str) -> list[str]:
        """Words of the question (stopwords aside) that no passage contains."""
        vocab, stop = self.index.vocabulary, stopwords()
        words = [w.strip(".,;:?!\"'()").lower() for w in question.split()]
        return [w for w in words if w and w not in stop and not (set(tokenize(w)) & vocab)]

    def _unknown(self, q: Question) -> list[str]:
        """The proper nouns and numbers of ``q`` that no passage holds, no document is named by and
        the corpus's vocabulary does not say otherwise. "English" is not one: the texts are read as
        English (stemmer, stopwords), so a question naming it ("in plain English", "the English
        title") names the language every passage is written in."""
        vocab, said = self.index.vocabulary, self.vocabulary.known(q.text)
        return [
            a for a in q.anchors
            if a not in vocab and a not in self._named and a not in said and a not in _TEXT_LANGUAGE
        ]  # fmt: skip

    def _respell(self, q: Question) -> tuple[Question, tuple[tuple[str, str], ...]]:
        """``q`` with the names it misspells read as the corpus spells them, and those names'
        terms (as asked, as read)."""
        fixes = respellings(q, self._unknown(q), self.index.vocabulary, self.index.doc_freq)
        return respelt(q, fixes), tuple(fixes.items())

    def _unknown_name(self, q: Question) -> tuple[Reason, list[str]] | None:
        """A proper noun or number of ``q`` that no passage holds and no document is named by."""
        unknown = self._unknown(q)
        if unknown:
            words = [w for w in self.missing_words(q.text) if set(tokenize(w)) & set(unknown)]
            return Reason.UNKNOWN_NAME, words or unknown
        return None

    def _says_not(self, pos: int) -> bool:
        """Whether passage ``pos`` says anywhere that something is not so."""
        return says_not(self.chunks[pos].text)

    def _held(self, pos: int) -> frozenset[str]:
        """The terms passage ``pos`` holds, counting what its document is called by ("the 2024
        opinions" names a document dated 2024 whose passages need not say 2024)."""
        return frozenset(self._tokens[pos]) | self._called[self.chunks[pos].doc_id]

    def _holds(self, pos: int, terms: set[str]) -> bool:
        """Whether passage ``pos`` holds all of ``terms`` (``_held``)."""
        return terms <= self._held(pos)

    def _judge(self, q: Question, top: Scored) -> tuple[Reason, list[str]] | None:
        """Why hit 1 does not answer ``q``, once ranked; None when it does."""
        s = self.settings
        if top.coverage < s.min_coverage:
            return Reason.WEAK_MATCH, []
        if top.meaning is not None and top.meaning < s.min_meaning:
            return Reason.FAR_IN_MEANING, []
        return None

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
        q, fixes = self._respell(parse_question(question))
        self._unreachable()
        extra = self.vocabulary.expansion(question, q.terms)
        first = self._candidates(q, extra, allowed_positions(self, docs, since, until))
        read_as = read_as_written(question, fixes, [self.chunks[p].text for p, _ in first[:3]])
        said = self.vocabulary.said_otherwise(question)
        if q.counted:  # "how many steps", where the texts count measures
            q = replace(q, counted_as=tuple(p[-1] for t, p in said if t == q.counted[-1]))
        # The signals that need no ranking come first, so no model loads for a question that
        # shares no term with the corpus or names something it never mentions.
        verdict = (Reason.NO_MATCH, []) if not first else self._unknown_name(q)
        ranked: list[Scored] = []
        if verdict is None:
            meaning = self._meanings(q, first) if self.settings.meaning_weight else None

            def says(pos: int) -> Sequence[tuple[str, tuple[str, ...]]]:
                return said if pos in self._in_vocabulary else ()

            ranked = rerank(
                q, first, self.chunks, self.entities, self._held, self._weights(q, extra, said),
                says, meaning, self.settings,
                lambda pos: definitions(self._docs[self.chunks[pos].doc_id].body),
            )  # fmt: skip
            ranked, verdict = constrained(
                q, ranked, self.chunks, self.settings, self._says_not, self._holds, says
            )
            if verdict is None:
                ranked = earliest_first(q, ranked, self.settings)
                verdict = self._judge(q, ranked[0])
        missing = self._unreachable()
        if verdict is not None:
            reason, words = verdict
            return Answer(
                question, True, (), message(reason, words), reason=reason.value,
                missing_terms=tuple(self.missing_words(question)), unsearched=missing, read_as=read_as,
            )  # fmt: skip
        query = set(q.terms) | set(extra)
        hits = []
        for rank, r in enumerate(ranked[:k], start=1):
            chunk = self.chunks[r.pos]
            matched = tuple(sorted(query & set(self._tokens[r.pos])))
            # a sentence referring back ("It prioritized …") is quoted with the one its answer is in
            quoted = r.context if r.spans and r.context != r.sentence else r.sentence
            hits.append(Hit(rank, r.score, chunk, self._docs[chunk.doc_id], matched, quoted))
        # the vocabulary's terms for the question's words count where its passages say them that way
        said_as = replace(q, terms=(*q.terms, *extra)) if ranked[0].pos in self._in_vocabulary else q
        short = named_term(ranked[0].sentence, q) or short_answer(ranked[0].spans, ranked[0].context, said_as)
        return Answer(
            question, False, tuple(hits), short=short, short_hit=1 if short else None,
            unsearched=missing, read_as=read_as,
        )  # fmt: skip

    def _unreachable(self) -> tuple[str, ...]:
        """Documents a sharded index could not search since last asked (a shard down); ``()``
        on one machine."""
        if isinstance(self.index, BM25Index):
            return ()
        return self.index.unreachable()


def _sharded(
    chunks: Sequence[Chunk],
    tokens: Sequence[Sequence[str]],
    engine: str,
    address: str,
    shards: int | None,
    shard_dir: Path | None,
) -> ShardedIndex:
    """The passages' index split over the Ray cluster at ``address`` (imports qa.cluster, Ray)."""
    if engine != "fast":
        raise QAError(f"a sharded index (--ray) uses the fast engine, not {engine!r}")
    from qa.cluster import open_sharded, shard_count

    return open_sharded(chunks, tokens, address, shard_count(shards), shard_dir)
