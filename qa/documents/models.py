"""Frozen data classes that flow through the pipeline: Document -> Chunk -> Hit -> Answer."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any


@dataclass(frozen=True)
class Person:
    """An author or editor named by a document, with the role the text gives."""

    name: str
    role: str = ""


@dataclass(frozen=True)
class Document:
    """One source text: its cleaned body and the metadata its front matter holds."""

    id: str
    title: str
    date: dt.date
    body: str
    source: str = ""
    publisher: str = ""
    outlet: str = ""
    section: str = ""
    authors: tuple[Person, ...] = ()
    editors: tuple[Person, ...] = ()
    keywords: tuple[str, ...] = ()
    url: str = ""
    language: str = "en"
    original_file: str = ""
    path: str = ""
    extra: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Span:
    """A stretch of a document body: ``body[start:end] == text``."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Chunk:
    """A passage of a document: whole sentences inside one paragraph."""

    id: str
    doc_id: str
    ordinal: int
    paragraph: int
    start: int
    end: int
    text: str
    sentences: tuple[Span, ...] = ()
    page: int | None = None

    @classmethod
    def cut(
        cls,
        doc_id: str,
        body: str,
        where: tuple[int, int, int, int],
        sentences: tuple[Span, ...] = (),
        page: int | None = None,
    ) -> Chunk:
        """The passage ``doc_id:ordinal`` of ``body``; ``where`` = (ordinal, paragraph, start, end)."""
        ordinal, paragraph, start, end = where
        text = body[start:end]
        return cls(f"{doc_id}:{ordinal}", doc_id, ordinal, paragraph, start, end, text, sentences, page)

    def units(self) -> tuple[Span, ...]:
        """What an answer is read from: its sentences, or the whole passage when it has none."""
        return self.sentences or (Span(self.text, self.start, self.end),)

    @cached_property
    def pieces(self) -> tuple[tuple[int, Span], ...]:
        """What a question is matched against, each with the index of its unit (``units``): every
        unit, and after a unit of clauses joined by semicolons each of its clauses, since a question
        may ask about one of them only ("…, and strengthen storage; standardize live streaming
        sales"). Computed once per passage: the ranking reads it for every question."""
        return tuple((i, piece) for i, unit in enumerate(self.units()) for piece in (unit, *clauses(unit)))


_SEMICOLON = re.compile(r";\s+")
#: Words a clause needs to stand alone (shorter ones stay with the clause before them).
CLAUSE_WORDS = 4


def clauses(sentence: Span) -> tuple[Span, ...]:
    """The clauses of ``sentence`` cut at its semicolons; none when it has fewer than two."""
    out: list[Span] = []
    at = 0
    for cut in [m.end() for m in _SEMICOLON.finditer(sentence.text)] + [len(sentence.text)]:
        piece = sentence.text[at:cut].rstrip()
        if out and (len(piece.split()) < CLAUSE_WORDS or len(out[-1].text.split()) < CLAUSE_WORDS):
            start = out[-1].start
            end = sentence.start + at + len(piece)
            out[-1] = Span(sentence.text[start - sentence.start : end - sentence.start], start, end)
        elif piece:
            out.append(Span(piece, sentence.start + at, sentence.start + at + len(piece)))
        at = cut
    return tuple(out) if len(out) > 1 else ()


@dataclass(frozen=True)
class Hit:
    """A ranked passage returned for a question."""

    rank: int
    score: float
    chunk: Chunk
    document: Document
    matched_terms: tuple[str, ...] = ()
    sentence: Span | None = None


@dataclass(frozen=True)
class Answer:
    """What a question gets back: ranked hits, or an abstention with a message."""

    question: str
    abstained: bool
    hits: tuple[Hit, ...] = ()
    message: str = ""
    short: Span | None = None
    short_hit: int | None = None
    missing_terms: tuple[str, ...] = field(default=())
    reason: str = ""  # why it abstained: a value of qa.answers.Reason
    #: documents that could not be searched (a shard of a cluster was down): the hits are the
    #: best of the rest only. Empty on one machine and whenever every shard answered.
    unsearched: tuple[str, ...] = field(default=())
    #: names the question misspelt, each as asked and as read (the corpus's spelling), such as
    #: ("Celeron", "Céloron"); the answer is to the question as read.
    read_as: tuple[tuple[str, str], ...] = field(default=())


class QAError(Exception):
    """Base of every error this package raises on purpose; its message is one line."""


class CorpusError(QAError):
    """A corpus file is unreadable or invalid; names the file and the field."""

    def __init__(self, file: str, problem: str, field: str = "") -> None:
        self.file = file
        self.field = field
        self.problem = problem
        where = f"{file}: {field}: " if field else f"{file}: "
        super().__init__(where + problem)


@dataclass(frozen=True)
class Citation:
    """A passage cited in one style: the reference (bibliography entry, full note or record), the
    in-text citation, the exact quote and its locator. Italics are Markdown ``*...*``."""

    style: str
    reference: str
    in_text: str
    quote: str
    locator: str
    doc_id: str
    chunk_id: str
    paragraph: int
