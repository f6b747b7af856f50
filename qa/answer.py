"""Answer a question from the corpus: ranked hits with provenance, or an honest abstention."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from qa.chunking import chunk_corpus
from qa.corpus import load_corpus
from qa.index import BM25Index
from qa.models import Answer, Chunk, Document, Hit, QAError
from qa.text import stopwords, tokenize

NO_MATCH = "The corpus does not say: no passage matches the question."


class Engine:
    """The corpus, its passages and their BM25 index; built once, asked many times."""

    def __init__(self, documents: Sequence[Document]) -> None:
        self.documents: tuple[Document, ...] = tuple(documents)
        self._docs = {d.id: d for d in self.documents}
        self.chunks: tuple[Chunk, ...] = tuple(chunk_corpus(self.documents))
        self._chunk_pos = {c.id: i for i, c in enumerate(self.chunks)}
        self.index = BM25Index([tokenize(c.text) for c in self.chunks])

    @classmethod
    def from_folder(cls, folder: Path | str | None = None) -> Engine:
        """An engine over every document of ``folder`` (default: the shipped corpus)."""
        return cls(load_corpus(folder))

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

    def ask(
        self,
        question: str,
        k: int = 5,
        *,
        docs: Collection[str] | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> Answer:
        """The ``k`` best passages for ``question``, or an abstention when none matches.

        ``docs``, ``since`` and ``until`` restrict the search to those documents and to documents
        dated in that range (inclusive); they apply before ranking, so ``k`` fills from the rest.
        """
        terms = tokenize(question)
        allowed = allowed_positions(self, docs, since, until)
        ranked = self.index.search(terms, k, allowed=allowed)
        if not ranked:
            return Answer(question, True, (), NO_MATCH, missing_terms=tuple(self.missing_words(question)))
        query = set(terms)
        hits = []
        for rank, (pos, score) in enumerate(ranked, start=1):
            chunk = self.chunks[pos]
            matched = tuple(sorted(query & set(tokenize(chunk.text))))
            hits.append(Hit(rank, score, chunk, self._docs[chunk.doc_id], matched))
        return Answer(question, False, tuple(hits))


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
    }


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
