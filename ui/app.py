"""The qa page: ask the corpus a question, read the passages that answer it."""

from __future__ import annotations

import streamlit as st

import qa
from ui.cite_panel import cite_controls, references_panel
from ui.render import escape_markdown, highlighted
from ui.upload_panel import upload_panel

EXAMPLES = (
    "When were poverty counties fully covered?",
    "How much did rural online retail sales reach in 2023?",
    "Who wrote about boosting agriculture through e-commerce?",
)


@st.cache_resource(show_spinner="Building the index…")
def get_engine() -> qa.Engine:
    """The engine over the shipped corpus and the added documents (data directory), built once per
    server; the upload panel clears this cache after an add or a removal."""
    return qa.Engine.from_store(qa.Store())


def _ask_example(question: str) -> None:
    st.session_state["question"] = question


def show_hit(hit: qa.Hit, question: str) -> None:
    """One result card: passage with query terms highlighted, and its provenance."""
    doc, chunk = hit.document, hit.chunk
    with st.container(border=True):
        st.markdown(f"**{hit.rank}. {escape_markdown(doc.title)}**")
        st.caption(
            escape_markdown(
                f"{doc.source or 'Source not stated'} · {doc.date.isoformat()} · paragraph {chunk.paragraph}"
                + (f" · page {chunk.page}" if chunk.page is not None else "")
                + f" · score {hit.score:.2f} · {chunk.id}"
            )
        )
        sentence = None
        if hit.sentence is not None:
            sentence = (hit.sentence.start - chunk.start, hit.sentence.end - chunk.start)
        st.markdown(highlighted(chunk.text, qa.highlight_spans(chunk.text, question), sentence=sentence))
        cite_controls(hit, f"cite-{chunk.id}", get_engine())


def main() -> None:
    """Render the page."""
    st.set_page_config(page_title="qa: ask the documents", page_icon="🔎", layout="centered")
    st.title("Ask the documents")
    st.caption(
        "Every answer is a quoted passage with its source and date, or a plain “the corpus does not say”."
    )
    engine = get_engine()
    cols = st.columns(len(EXAMPLES))
    for col, example in zip(cols, EXAMPLES, strict=True):
        col.button(example, on_click=_ask_example, args=(example,), use_container_width=True)
    question = st.text_input("Your question", key="question", placeholder="e.g. " + EXAMPLES[0])
    if not question.strip():
        st.info(
            f"{len(engine.documents)} documents, {len(engine.chunks)} passages. "
            "Type a question and press Enter."
        )
        return
    answer = engine.ask(question, k=5)
    if answer.abstained:
        st.warning(escape_markdown(answer.message))
        if answer.missing_terms:
            st.caption("Not in the corpus: " + escape_markdown(", ".join(answer.missing_terms)))
        return
    if answer.short is not None and answer.short_hit is not None:
        st.markdown(f"### {escape_markdown(answer.short.text)}")
        st.caption(f"Short answer, quoted from result {answer.short_hit} below.")
    for hit in answer.hits:
        show_hit(hit, question)
    references_panel()


main()
with st.expander("Add your documents"):
    upload_panel()
