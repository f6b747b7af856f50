"""The public JSON form of an answer (`qa ask --format json`, documented in the README).

Fields are only ever added, never renamed or removed.
"""

from __future__ import annotations

from typing import Any

from qa.documents.models import Answer, Hit


def hit_to_dict(hit: Hit) -> dict[str, Any]:
    """One hit in the public JSON schema (see README)."""
    chunk, doc = hit.chunk, hit.document
    out: dict[str, Any] = {
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
    if chunk.page is not None:
        out["page"] = chunk.page
    if hit.sentence is not None:
        out["sentence"] = {"text": hit.sentence.text, "start": hit.sentence.start, "end": hit.sentence.end}
    return out


def answer_to_dict(answer: Answer) -> dict[str, Any]:
    """An answer in the public JSON schema (see README); stable, fields only ever added."""
    short = None
    if answer.short is not None and answer.short_hit is not None:
        s = answer.short
        short = {"text": s.text, "hit": answer.short_hit, "start": s.start, "end": s.end}
    out: dict[str, Any] = {
        "question": answer.question,
        "abstained": answer.abstained,
        "answer": short,
        "hits": [hit_to_dict(h) for h in answer.hits],
    }
    if answer.message:
        out["message"] = answer.message
    if answer.reason:
        out["reason"] = answer.reason
    if answer.read_as:  # only when the question misspelt a name the corpus holds
        out["read_as"] = [{"asked": a, "read": r} for a, r in answer.read_as]
    if answer.unsearched:  # only when a shard was down: a complete answer's JSON is unchanged
        out["partial"] = True
        out["unsearched_documents"] = list(answer.unsearched)
    return out
