"""What a question searches: the passages its filters allow (documents, dates), and the words a
reader may call each document by ("the 2024 opinions"), which count as said by its passages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Protocol

from qa.documents.models import Chunk, Document, QAError


class Searched(Protocol):
    """The documents and passages a question is asked of (an ``Engine``)."""

    @property
    def documents(self) -> Sequence[Document]: ...

    @property
    def chunks(self) -> Sequence[Chunk]: ...

    def document(self, doc_id: str) -> Document: ...


#: Month names as dates are written in English, whatever the machine's locale.
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")  # fmt: skip


def described_by(doc: Document) -> str:
    """What a reader may call a document by: title, keywords, source, outlet, publisher, authors and
    the month and year it is dated ("the 2024 opinions", "the March 2026 piece")."""
    people = [part for p in (*doc.authors, *doc.editors) for part in (p.name, p.role)]
    called = (doc.title, *doc.keywords, doc.source, doc.outlet, doc.publisher, *people)
    return " ".join((*called, _MONTHS[doc.date.month - 1], str(doc.date.year)))


def allowed_positions(
    engine: Searched,
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
