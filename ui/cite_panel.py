"""Citing from the page: a "Cite" control and context on each result card, and the references panel.

Collected references live in ``st.session_state["references"]`` (passage id -> hit), so they survive
new questions. Citations are shown in ``st.code`` (plain text with a copy button) or ``st.text``;
document text elsewhere goes through ``ui.render`` escaping.
"""

from __future__ import annotations

import streamlit as st

import qa
from ui.render import highlighted

REFS_KEY = "references"
#: What each download holds and its media type.
DOWNLOADS = (
    ("bib", "BibTeX", "application/x-bibtex"),
    ("ris", "RIS", "application/x-research-info-systems"),
    ("md", "Markdown", "text/markdown"),
    ("csv", "CSV", "text/csv"),
)
#: Styles that read as text (for the .md and .csv downloads).
TEXT_STYLES = tuple(s for s in qa.STYLES if s not in ("bibtex", "ris", "csl-json"))


def collected() -> dict[str, qa.Hit]:
    """The references collected so far, in the order they were added."""
    refs: dict[str, qa.Hit] = st.session_state.setdefault(REFS_KEY, {})
    return refs


def _add(hit: qa.Hit) -> None:
    collected()[hit.chunk.id] = hit


def _remove(passage_id: str) -> None:
    collected().pop(passage_id, None)


def _style_name(style: str) -> str:
    return qa.STYLE_NAMES[style]


def cite_controls(hit: qa.Hit, key_prefix: str, engine: qa.Engine) -> None:
    """Under a result card: cite it in a chosen style (copy button), add it to the references, and read
    it in context (the paragraphs around, the whole document with the passage highlighted)."""
    chunk = hit.chunk
    with st.expander("Cite"):
        style = st.selectbox("Style", qa.STYLES, format_func=_style_name, key=f"{key_prefix}-style")
        c = qa.cite_hit(hit, style)
        st.code(c.reference, language=None, wrap_lines=True)
        if c.in_text:
            st.caption("Footnote" if style == "chicago-note" else "In-text citation")
            st.code(c.in_text, language=None, wrap_lines=True)
        st.caption(f"Quote ({c.locator})")
        st.code(f"“{c.quote}”", language=None, wrap_lines=True)
        if style not in ("bibtex", "ris", "csl-json"):
            st.caption("Text between single asterisks is set in italics.")
    added = chunk.id in collected()
    st.button(
        "In my references ✓" if added else "Add to my references",
        key=f"{key_prefix}-add",
        on_click=_add,
        args=(hit,),
        disabled=added,
    )
    if not st.toggle("Read in context", key=f"{key_prefix}-context"):
        return
    with st.expander("Paragraphs around", expanded=True):
        for number, text in qa.passage_context(engine, chunk.id, before=1, after=1):
            spans = []
            if number == chunk.paragraph:
                start = text.index(chunk.text)
                spans = [(start, start + len(chunk.text))]
            st.markdown(f"¶ {number} · {highlighted(text, spans)}")
    with st.expander("Whole document"):
        body = hit.document.body
        for number, (start, end) in enumerate(qa.paragraph_spans(body), start=1):
            inside = [(max(chunk.start, start) - start, min(chunk.end, end) - start)]
            text = highlighted(body[start:end], inside if start <= chunk.start < end else [])
            st.markdown(f"¶ {number} · {text}")


def references_panel() -> None:
    """The collected references: each with a Remove button, and downloads as .bib, .ris, .md and .csv."""
    refs = collected()
    st.subheader(f"My references ({len(refs)})")
    if not refs:
        st.caption("Use “Add to my references” on a result to collect it here.")
        return
    style = st.selectbox("Style for .md and .csv", TEXT_STYLES, format_func=_style_name, key="refs-style")
    for passage_id, hit in list(refs.items()):
        c = qa.cite_hit(hit, style)
        left, right = st.columns([6, 1])
        left.text(f"{c.reference}\n“{c.quote}” ({c.locator})")
        right.button("Remove", key=f"refs-remove-{passage_id}", on_click=_remove, args=(passage_id,))
    hits = list(refs.values())
    for col, (fmt, label, mime) in zip(st.columns(len(DOWNLOADS)), DOWNLOADS, strict=True):
        col.download_button(
            f"Download .{fmt}",
            data=qa.references_file(hits, fmt, style),
            file_name=f"references.{fmt}",
            mime=mime,
            key=f"refs-download-{fmt}",
            help=f"{label} file of the collected references",
        )
