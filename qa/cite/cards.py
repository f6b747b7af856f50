"""What the CLI prints: result cards for a terminal, and citations as lines or JSON."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import Any

from qa.answers import read_as_note
from qa.cite.styles import STYLE_NAMES, cite_hit
from qa.documents.models import Answer, Citation, Hit


def format_answer_text(answer: Answer, under: Callable[[Hit], list[str]] | None = None) -> str:
    """Readable result cards for a terminal; ``under(hit)`` gives extra lines for each card."""
    lines = [f"Q: {answer.question}"]
    if answer.unsearched:
        lines.append(
            "PARTIAL: part of the index was unreachable; not searched: " + ", ".join(answer.unsearched)
        )
    if answer.read_as:
        lines.append(read_as_note(answer.read_as))
    if answer.abstained:
        lines.append(answer.message)
        return "\n".join(lines)
    if answer.short is not None:
        lines.append(f"A: {answer.short.text}   (quoted from result {answer.short_hit})")
    for hit in answer.hits:
        doc, chunk = hit.document, hit.chunk
        lines.append("")
        lines.append(f"{hit.rank}. {doc.title}")
        lines.append(
            f"   {doc.source or 'source not stated'} · {doc.date.isoformat()} · para. {chunk.paragraph}"
            + (f" · p. {chunk.page}" if chunk.page is not None else "")
        )
        lines.append(f"   id {chunk.id} · chars {chunk.start}-{chunk.end} · score {hit.score:.3f}")
        if hit.sentence is not None:
            lines.extend(
                textwrap.wrap(
                    f"» {hit.sentence.text}",
                    width=88,
                    initial_indent="   ",
                    subsequent_indent="     ",
                    break_on_hyphens=False,
                )
            )
        if hit.sentence is None or hit.sentence.text.strip() != chunk.text.strip():  # else said above
            lines.extend(
                textwrap.wrap(
                    chunk.text,
                    width=88,
                    initial_indent="   ",
                    subsequent_indent="   ",
                    break_on_hyphens=False,
                )
            )
        if under is not None:
            lines.extend(under(hit))
    return "\n".join(lines)


def format_citation(c: Citation, indent: str = "") -> list[str]:
    """A citation as lines: the reference, the in-text citation (or note) and the quote with its place."""
    label = "Note" if c.style == "chicago-note" else "In text"
    ref = c.reference.splitlines() or [""]
    if len(ref) == 1:
        lines = [f"{indent}{STYLE_NAMES[c.style]}: {ref[0]}"]
    else:  # a record (BibTeX, RIS, CSL-JSON): verbatim on its own lines, ready to copy
        lines = [f"{indent}{STYLE_NAMES[c.style]}:", *(indent + r for r in ref)]
    if c.in_text:
        lines.append(f"{indent}{label}: {c.in_text}")
    lines.append(f"{indent}Quote: “{c.quote}” ({c.locator})")
    return lines


def citation_to_dict(c: Citation) -> dict[str, Any]:
    """A citation as JSON."""
    return {
        "id": c.chunk_id,
        "doc_id": c.doc_id,
        "style": c.style,
        "reference": c.reference,
        "in_text": c.in_text,
        "quote": c.quote,
        "locator": c.locator,
        "paragraph": c.paragraph,
    }


def add_citations(out: dict[str, Any], answer: Answer, styles: tuple[str, ...]) -> dict[str, Any]:
    """The JSON answer with ``"citations": {style: reference}`` added to each hit (when styles are asked)."""
    if not styles:
        return out
    for hit_dict, hit in zip(out["hits"], answer.hits, strict=True):
        hit_dict["citations"] = {s: cite_hit(hit, s).reference for s in styles}
    return out
