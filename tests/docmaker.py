"""Test documents made on the fly: PDFs with and without a text layer, HTML pages, corpora."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF


def make_pdf(
    pages: Sequence[Sequence[str]],
    title: str | None = None,
    author: str | None = None,
    created: dt.datetime | None = None,
) -> bytes:
    """A PDF with a text layer: one list of paragraphs per page (an empty list: a blank page)."""
    pdf = FPDF()
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    pdf.set_creation_date(created or dt.datetime(2021, 1, 1, tzinfo=dt.UTC))
    pdf.set_font("Helvetica", size=11)
    for paragraphs in pages:
        pdf.add_page()
        for paragraph in paragraphs:
            pdf.multi_cell(0, 5, paragraph)
            pdf.ln(5)
    return bytes(pdf.output())


def make_image_pdf(n_pages: int = 2) -> bytes:
    """A PDF whose pages hold only drawn shapes: no text layer, like a scan."""
    pdf = FPDF()
    pdf.set_creation_date(dt.datetime(2021, 1, 1, tzinfo=dt.UTC))
    for i in range(n_pages):
        pdf.add_page()
        pdf.set_fill_color(20 * i, 80, 120)
        pdf.rect(20, 20, 120, 160, style="F")
    return bytes(pdf.output())


def md(title: str, date: str, body: str, **extra: str) -> str:
    """A Markdown document with front matter."""
    lines = [f"title: {title}", f"date: {date}", *(f"{k}: {v}" for k, v in extra.items())]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


def write_corpus(folder: Path, n: int) -> list[Path]:
    """``n`` small Markdown documents, each with a word of its own (``uniqword<i>``)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"doc-{i:04d}.md"
        body = (
            f"Report number {i} describes uniqword{i} in county {i % 37}. "
            f"Parcels delivered rose by {i % 13} percent.\n\nA second paragraph about village {i}."
        )
        path.write_text(md(f"Generated report {i}", f"2020-01-{1 + i % 28:02d}", body), encoding="utf-8")
        paths.append(path)
    return paths
