"""Split documents into passages that follow paragraph and sentence boundaries."""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Iterable

from qa.documents.models import Chunk, Document, Span
from qa.documents.sentences import sentence_spans

#: A passage grows sentence by sentence until it would pass this many words.
MAX_WORDS = 90
#: Bumped whenever the passages cut from the same text change.
CHUNKING_VERSION = 2

#: A sentence opening like this leans on the one before it ("In June 2018, ... proposed ...
#: It prioritized ..."): a passage never starts with it alone, it takes that sentence along.
REFERS_BACK = re.compile(r"^(It|This|These|That|Those|They|Such)\b")

_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")


def paragraph_spans(body: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph (text between blank lines), whitespace trimmed."""
    spans = []
    pos = 0
    for match in [*_BLANK_LINE.finditer(body), None]:
        end = match.start() if match else len(body)
        piece = body[pos:end]
        stripped = piece.strip()
        if stripped:
            start = pos + (len(piece) - len(piece.lstrip()))
            spans.append((start, start + len(stripped)))
        if match:
            pos = match.end()
    return spans


def sentences_in(body: str, start: int, end: int) -> list[Span]:
    """The sentences of ``body[start:end]`` with offsets into ``body``."""
    return [
        Span(body[start + s : start + e], start + s, start + e) for s, e in sentence_spans(body[start:end])
    ]


def _groups(sentences: list[Span], max_words: int) -> Iterable[list[Span]]:
    """Consecutive sentences in groups of about equal length, each under ``max_words``
    where the sentences allow; no tiny leftover group at the end of a paragraph."""
    counts = [len(s.text.split()) for s in sentences]
    total = sum(counts)
    if not sentences:
        return
    n_groups = max(1, math.ceil(total / max_words))
    target = total / n_groups
    group: list[Span] = []
    words = 0
    for sent, n in zip(sentences, counts, strict=True):
        # close the group when adding this sentence takes it further from the target
        if group and (words + n > max_words or abs(words + n - target) > abs(words - target)):
            yield group
            group, words = [], 0
        group.append(sent)
        words += n
    if group:
        yield group


def page_starts(doc: Document) -> list[int] | None:
    """Body offset where each page starts (front matter ``page_starts``, set for PDFs), or None."""
    value = dict(doc.extra).get("page_starts")
    if not isinstance(value, list) or not value or value[0] != 0:
        return None
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in value) or value != sorted(value):
        return None
    return value


def chunk_document(doc: Document, max_words: int = MAX_WORDS) -> list[Chunk]:
    """Passages of ``doc``: whole sentences of one paragraph, ids ``<doc id>:<ordinal>``;
    for a document with pages, each passage's 1-based page number. A passage that would open
    by referring back (``REFERS_BACK``) starts one sentence earlier, overlapping the one before."""
    chunks: list[Chunk] = []
    pages = page_starts(doc)
    for number, (p_start, p_end) in enumerate(paragraph_spans(doc.body), start=1):
        previous: list[Span] = []
        for group in _groups(sentences_in(doc.body, p_start, p_end), max_words):
            if previous and REFERS_BACK.match(group[0].text):
                group = [previous[-1], *group]  # one sentence of overlap keeps the referent
            previous = group
            start, end = group[0].start, group[-1].end
            ordinal = len(chunks) + 1
            page = bisect_right(pages, start) if pages else None
            chunks.append(Chunk.cut(doc.id, doc.body, (ordinal, number, start, end), tuple(group), page))
    return chunks


def chunk_corpus(docs: Iterable[Document], max_words: int = MAX_WORDS) -> list[Chunk]:
    """All passages of all documents, in document order."""
    return [chunk for doc in docs for chunk in chunk_document(doc, max_words)]
