"""The Ask page's results: the sidebar filters, result cards, timeline and no-match state.

Kept apart from ui/ask_page.py because it needs ``qa`` (a few seconds to import on a cold
server): the page draws its heading and question box first, then imports this behind a spinner.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

import qa
from ui.ask_page import W_DOCS, W_K, W_SINCE, W_TIMELINE, W_UNTIL
from ui.cite_panel import cite_controls, references_panel
from ui.render import escape_markdown, highlighted
from ui.search_state import MAX_K, Search
from ui.timeline_chart import show_timeline

CORPUS_PAGE = "corpus_page.py"


def _clear_filters() -> None:
    st.session_state[W_DOCS] = []
    st.session_state[W_SINCE] = None
    st.session_state[W_UNTIL] = None


def small(text: str) -> None:
    """``text`` (escaped) in small type at full text contrast (captions are a faded grey)."""
    st.markdown(":small[" + escape_markdown(text) + "]")


def sidebar(engine: qa.Engine) -> None:
    """Search controls: documents, date range, number of results, timeline."""
    titles = {d.id: f"{d.title} ({d.date.isoformat()})" for d in engine.documents}
    with st.sidebar:
        st.header("Search in")
        st.multiselect(
            "Documents",
            options=list(titles),
            key=W_DOCS,
            format_func=lambda doc_id: titles.get(doc_id, doc_id),
            placeholder="All documents",
            help="Only passages of these documents are ranked.",
        )
        lo, hi = qa_date_bounds(engine)
        st.date_input("Published from", key=W_SINCE, min_value=lo, max_value=hi, format="YYYY-MM-DD")
        st.date_input("Published until", key=W_UNTIL, min_value=lo, max_value=hi, format="YYYY-MM-DD")
        st.button("Clear filters", on_click=_clear_filters, width="stretch")
        st.slider("Number of results", min_value=1, max_value=MAX_K, key=W_K)
        st.toggle("Always show the timeline", key=W_TIMELINE, help="Shown anyway for “when” questions.")


def qa_date_bounds(engine: qa.Engine) -> tuple[dt.date, dt.date]:
    """Date picker bounds: wide enough for any link, and for every document date."""
    years = [d.date.year for d in engine.documents] or [dt.date.today().year]
    return dt.date(min(1900, *years), 1, 1), dt.date(max(2100, *years), 12, 31)


def show_hit(hit: qa.Hit, question: str, engine: qa.Engine) -> None:
    """One result card: the passage with its best sentence and the query terms highlighted, its
    provenance, a link to read it in the document, and the citation controls."""
    doc, chunk = hit.document, hit.chunk
    with st.container(border=True, key=f"qa-hit-{hit.rank}"):
        st.markdown(f"**{hit.rank}. {escape_markdown(doc.title)}**")
        small(
            f"{doc.source or 'Source not stated'} · {doc.date.isoformat()} · paragraph {chunk.paragraph}"
            + (f" · page {chunk.page}" if chunk.page is not None else "")
            + f" · score {hit.score:.2f} · {chunk.id}"
        )
        sentence = None
        if hit.sentence is not None:
            sentence = (hit.sentence.start - chunk.start, hit.sentence.end - chunk.start)
        st.markdown(highlighted(chunk.text, qa.highlight_spans(chunk.text, question), sentence=sentence))
        st.page_link(
            CORPUS_PAGE,
            label="Read it in the document",
            icon=":material/menu_book:",
            query_params={"doc": doc.id, "passage": chunk.id},
        )
        cite_controls(hit, f"cite-{chunk.id}", engine)


def show_answer(engine: qa.Engine, search: Search) -> None:
    """The results of ``search``: cards, timeline, or the no-match state."""
    try:
        answer = engine.ask(
            search.q, k=search.k, docs=search.docs or None, since=search.since, until=search.until
        )
    except qa.QAError as exc:
        st.error(escape_markdown(str(exc)), icon="⚠️")
        return
    if search.filtered:
        st.caption(escape_markdown(filter_summary(engine, search)))
    if answer.unsearched:
        st.warning(
            "Partial answer: part of the index (a shard of the cluster) is down, so these documents "
            "were not searched: " + escape_markdown(", ".join(answer.unsearched)) + ".",
            icon="⚠️",
        )
    if answer.read_as:
        st.caption(escape_markdown(qa.read_as_note(answer.read_as)))
    if answer.abstained:
        where = "No passage in the chosen documents and dates matches this question. "
        st.warning((where if search.filtered else "") + escape_markdown(answer.message))
        if answer.missing_terms:
            small("The corpus does not contain: " + ", ".join(answer.missing_terms) + ".")
        elif search.filtered:
            st.caption("Other documents may: clear the filters in the sidebar to search them all.")
        return
    if answer.short is not None and answer.short_hit is not None:
        st.markdown(f"### {escape_markdown(answer.short.text)}")
        small(f"Short answer, quoted from result {answer.short_hit} below (highlighted in blue).")
    if search.timeline or qa.asks_when(search.q):
        show_timeline(qa.dated_facts(answer.hits))
    for hit in answer.hits:
        show_hit(hit, search.q, engine)
    references_panel()


def filter_summary(engine: qa.Engine, search: Search) -> str:
    """One line naming the filters in force."""
    parts = []
    if search.docs:
        parts.append(f"{len(search.docs)} of {len(engine.documents)} documents")
    if search.since or search.until:
        since = search.since.isoformat() if search.since else "…"
        until = search.until.isoformat() if search.until else "…"
        parts.append(f"published {since} to {until}")
    return "Searching " + ", ".join(parts)
