"""The Corpus page: the documents in a table, and a reader that opens one, at a passage if asked.

``?doc=ID`` opens a document; ``&passage=CHUNK_ID`` (as the result cards link) highlights that
passage and scrolls to it.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

import qa
from ui.engine import get_engine, show_empty_corpus
from ui.render import escape_markdown, highlighted
from ui.results import small
from ui.upload_panel import upload_panel

W_DOC = "corpus_doc"
READING_WIDTH = 760  # px; narrower screens use their full width
URL_SEEN = "_corpus_url_seen"
TARGET_KEY = "qa-opened-passage"  # the opened passage's container: CSS class st-key-qa-opened-passage
# Our own fixed markup, no document text: scroll the opened passage into view and focus it.
# (No "<" inside the script: the HTML sanitizer drops a script whose text looks like a tag.)
SCROLL_SCRIPT = (
    "<script>(function(){var n=0;function go(){"
    f"var el=document.querySelector('.st-key-{TARGET_KEY}');"
    "if(el){el.scrollIntoView({block:'center'});el.setAttribute('tabindex','-1');"
    "el.focus({preventScroll:true});return;}"
    "if(++n>60){return;}setTimeout(go,100);}go();})();</script>"
)


def _people(people: tuple[qa.Person, ...]) -> str:
    return "; ".join(p.name for p in people)


def document_rows(engine: qa.Engine) -> list[dict[str, Any]]:
    """One row per document for the table."""
    return [
        {
            "title": d.title,
            "date": d.date.isoformat(),
            "source": d.source,
            "publisher": d.publisher,
            "authors": _people(d.authors),
            "passages": len(engine.chunks_of(d.id)),
            "keywords": ", ".join(d.keywords),
            "id": d.id,
        }
        for d in engine.documents
    ]


def _on_pick() -> None:
    doc_id = st.session_state.get(W_DOC)
    params = {"doc": doc_id} if doc_id else {}
    st.query_params.from_dict(params)
    st.session_state[URL_SEEN] = str(sorted(params.items()))


def pick_document(engine: qa.Engine) -> tuple[qa.Document | None, qa.Chunk | None]:
    """The document and passage the URL (or the picker) opens; a bad id is one warning line."""
    params = {k: st.query_params.get(k, "") for k in ("doc", "passage")}
    params = {k: v for k, v in params.items() if v}
    seen = str(sorted(params.items()))
    doc: qa.Document | None = None
    passage: qa.Chunk | None = None
    doc_id = params.get("doc", "")
    if doc_id:
        try:
            doc = engine.document(doc_id)
        except qa.QAError as exc:
            st.warning(escape_markdown(f"Cannot open the link: {exc}."), icon="🔗")
    if doc is not None and params.get("passage"):
        try:
            passage = engine.chunk(params["passage"])
        except qa.QAError as exc:
            st.warning(escape_markdown(f"Cannot open the link: {exc}."), icon="🔗")
        if passage is not None and passage.doc_id != doc.id:
            st.warning(escape_markdown(f"Passage {passage.id} is not in document {doc.id}."), icon="🔗")
            passage = None
    if W_DOC not in st.session_state or st.session_state.get(URL_SEEN) != seen:
        st.session_state[W_DOC] = doc.id if doc else None
        st.session_state[URL_SEEN] = seen
    titles = {d.id: f"{d.title} ({d.date.isoformat()})" for d in engine.documents}
    st.selectbox(
        "Read a document",
        options=list(titles),
        key=W_DOC,
        format_func=lambda i: titles.get(i, i),
        placeholder="Choose a document",
        on_change=_on_pick,
    )
    return doc, passage


def show_reader(doc: qa.Document, passage: qa.Chunk | None) -> None:
    """The document's metadata and body, paragraph by paragraph; the opened passage highlighted."""
    st.subheader(escape_markdown(doc.title))
    meta = [doc.date.isoformat(), doc.source or "source not stated"]
    if doc.publisher:
        meta.append(doc.publisher)
    if doc.authors:
        meta.append("by " + _people(doc.authors))
    small(" · ".join(meta))
    if doc.keywords:
        small("Keywords: " + ", ".join(doc.keywords))
    if passage is not None:
        small(f"Opened at passage {passage.id}, paragraph {passage.paragraph}.")
    for number, (start, end) in enumerate(qa.paragraph_spans(doc.body), start=1):
        text = doc.body[start:end]
        if passage is not None and start <= passage.start < end:
            with st.container(border=True, key=TARGET_KEY):
                st.caption(f"Paragraph {number} · the passage opened from a result is highlighted")
                st.markdown(
                    highlighted(text, [(passage.start - start, passage.end - start)], "blue-background")
                )
        else:
            st.markdown(escape_markdown(text))
    if passage is not None:
        st.html(SCROLL_SCRIPT, unsafe_allow_javascript=True)


def main() -> None:
    """Render the Corpus page."""
    st.set_page_config(page_title="qa: corpus", layout="wide")
    st.title("Corpus")
    engine = get_engine()
    if engine is None:
        return
    if not engine.documents:
        show_empty_corpus()
        with st.expander("Add your documents", expanded=True):
            upload_panel()
        return
    st.caption(f"{len(engine.documents)} documents, {len(engine.chunks)} passages.")
    st.dataframe(
        document_rows(engine),
        hide_index=True,
        width="stretch",
        column_config={
            "title": st.column_config.TextColumn("title", width="large"),
            "passages": st.column_config.NumberColumn("passages", width="small"),
        },
    )
    with st.expander("Add your documents (text, Markdown, HTML, PDF) or remove added ones"):
        upload_panel()
    with st.container(width=READING_WIDTH):  # a comfortable line length for reading
        doc, passage = pick_document(engine)
        if doc is not None:
            show_reader(doc, passage)


if __name__ == "__main__":
    main()
