"""Answer a question from the corpus: ranked hits with provenance, or an honest abstention."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qa.chunking import chunk_corpus
from qa.corpus import load_corpus
from qa.index import BM25Index
from qa.models import Answer, Chunk, Document, Hit, QAError
from qa.store import Progress, Store
from qa.text import stopwords, tokenize

NO_MATCH = "The corpus does not say: no passage matches the question."


class Engine:
    """The corpus, its passages and their BM25 index; built once, asked many times."""

    def __init__(
        self,
        documents: Sequence[Document],
        prepared: tuple[Sequence[Chunk], Sequence[Sequence[str]]] | None = None,
    ) -> None:
        """``prepared``: the passages of ``documents`` and their token lists, when already known
        (from the data directory's cache); otherwise they are computed here."""
        self.documents: tuple[Document, ...] = tuple(documents)
        self._docs = {d.id: d for d in self.documents}
        if prepared is None:
            self.chunks: tuple[Chunk, ...] = tuple(chunk_corpus(self.documents))
            tokens: Sequence[Sequence[str]] = [tokenize(c.text) for c in self.chunks]
        else:
            self.chunks, tokens = tuple(prepared[0]), prepared[1]
        self._chunk_pos = {c.id: i for i, c in enumerate(self.chunks)}
        self.index = BM25Index(tokens)

    @classmethod
    def from_folder(cls, folder: Path | str | None = None) -> Engine:
        """An engine over every document of ``folder`` (default: the shipped corpus)."""
        return cls(load_corpus(folder))

    @classmethod
    def from_store(cls, store: Store, progress: Progress | None = None) -> Engine:
        """An engine over the shipped corpus and the documents added to ``store``'s data directory,
        reusing the cached passages of unchanged documents."""
        built = store.build(progress=progress)
        return cls(built.documents, prepared=(built.chunks, built.tokens))

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

    def ask(self, question: str, k: int = 5) -> Answer:
        """The ``k`` best passages for ``question``, or an abstention when none matches."""
        terms = tokenize(question)
        ranked = self.index.search(terms, k)
        if not ranked:
            return Answer(question, True, (), NO_MATCH, missing_terms=tuple(self.missing_words(question)))
        query = set(terms)
        hits = []
        for rank, (pos, score) in enumerate(ranked, start=1):
            chunk = self.chunks[pos]
            matched = tuple(sorted(query & set(tokenize(chunk.text))))
            hits.append(Hit(rank, score, chunk, self._docs[chunk.doc_id], matched))
        return Answer(question, False, tuple(hits))


def hit_to_dict(hit: Hit) -> dict[str, Any]:
    """One hit in the public JSON schema (see README)."""
    chunk, doc = hit.chunk, hit.document
    return {
        "rank": hit.rank,
        "score": round(hit.score, 6),
        "id": chunk.id,
        "doc_id": doc.id,
        "title": doc.title,
        "date": doc.date.isoformat(),
        "source": doc.source,
        "paragraph": chunk.paragraph,
        "start": chunk.start,
        "end": chunk.end,
        "text": chunk.text,
    } | ({"page": chunk.page} if chunk.page is not None else {})


def answer_to_dict(answer: Answer) -> dict[str, Any]:
    """An answer in the public JSON schema (see README); stable, fields only ever added."""
    out: dict[str, Any] = {
        "question": answer.question,
        "abstained": answer.abstained,
        "hits": [hit_to_dict(h) for h in answer.hits],
    }
    if answer.message:
        out["message"] = answer.message
    return out
