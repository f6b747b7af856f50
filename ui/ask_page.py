"""The Ask page: a question, filters in the sidebar, result cards, and a timeline for "when" questions.

The search lives in the URL (see ``ui/search_state.py``): a copied link reopens it, and each new
search adds a browser history entry, so back and forward move between searches.
"""

from __future__ import annotations

import datetime as dt
import json

import streamlit as st

import qa
from ui.cite_panel import cite_controls, references_panel
from ui.engine import get_engine, show_empty_corpus
from ui.render import escape_markdown, highlighted
from ui.search_state import DEFAULT_K, MAX_K, Search, from_params, to_params
from ui.timeline_chart import show_timeline

EXAMPLES = (
    "When were poverty counties fully covered?",
    "How much did rural online retail sales reach in 2023?",
    "Who wrote about boosting agriculture through e-commerce?",
)
CORPUS_PAGE = "corpus_page.py"

# Widget keys (session state); the URL parameters are the names in ui/search_state.py.
W_Q, W_DOCS, W_SINCE, W_UNTIL, W_K, W_TIMELINE = (
    f"ask_{p}" for p in ("q", "docs", "since", "until", "k", "tl")
)
URL_SEEN = "_ask_url_seen"  # the query string the widgets were last set from, or last wrote
LAST_SEARCH = "_ask_last_search"  # the last search, to restore after a visit to another page


def url_params() -> dict[str, str]:
    """The page's query parameters (repeated ``docs`` values are joined with commas)."""
    out = {}
    for key in st.query_params:
        values = st.query_params.get_all(key)
        out[key] = ",".join(values) if key == "docs" else values[-1]
    return out


def _fingerprint(params: dict[str, str]) -> str:
    return json.dumps(params, sort_keys=True)


def _apply(search: Search) -> None:
    st.session_state[W_Q] = search.q
    st.session_state[W_DOCS] = list(search.docs)
    st.session_state[W_SINCE] = search.since
    st.session_state[W_UNTIL] = search.until
    st.session_state[W_K] = search.k
    st.session_state[W_TIMELINE] = search.timeline


def restore_from_url(known_docs: list[str]) -> list[str]:
    """Set the widgets from the URL when it changed (first load, shared link, back/forward)."""
    params = url_params()
    alive = W_Q in st.session_state  # widget state is dropped while another page shows
    if alive and st.session_state.get(URL_SEEN) == _fingerprint(params):
        return []
    if not params and not alive and LAST_SEARCH in st.session_state:
        search, problems = st.session_state[LAST_SEARCH], list[str]()  # back from the corpus page
    else:
        search, problems = from_params(params, known_docs)
    _apply(search)
    st.session_state[URL_SEEN] = _fingerprint(params)
    return problems


def current_search() -> Search:
    """The search the widgets hold."""
    k = st.session_state.get(W_K)
    return Search(
        q=(st.session_state.get(W_Q) or "").strip(),
        docs=tuple(st.session_state.get(W_DOCS) or ()),
        since=st.session_state.get(W_SINCE),
        until=st.session_state.get(W_UNTIL),
        k=k if isinstance(k, int) else DEFAULT_K,
        timeline=bool(st.session_state.get(W_TIMELINE)),
    )


def write_url(search: Search) -> None:
    """Put ``search`` in the URL (a new history entry) when it differs from what the URL holds."""
    params = to_params(search)
    if params != url_params():
        st.query_params.from_dict(params)
    st.session_state[URL_SEEN] = _fingerprint(params)
    st.session_state[LAST_SEARCH] = search


def _clear_filters() -> None:
    st.session_state[W_DOCS] = []
    st.session_state[W_SINCE] = None
    st.session_state[W_UNTIL] = None


def _ask_example(question: str) -> None:
    st.session_state[W_Q] = question


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


def question_form() -> None:
    """The question box: Enter (or the Ask button) submits; examples fill it in."""
    with st.form("ask", border=False, enter_to_submit=True):
        st.text_input(
            "Your question",
            key=W_Q,
            placeholder="e.g. " + EXAMPLES[0],
        )
        st.form_submit_button("Ask", type="primary", key="ask_submit")
    cols = st.columns(len(EXAMPLES))
    for col, example in zip(cols, EXAMPLES, strict=True):
        col.button(example, on_click=_ask_example, args=(example,), width="stretch")


def small(text: str) -> None:
    """``text`` (escaped) in small type at full text contrast (captions are a faded grey)."""
    st.markdown(":small[" + escape_markdown(text) + "]")


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


def main() -> None:
    """Render the Ask page."""
    st.title("Ask the documents")
    st.caption(
        "Every answer is a quoted passage with its source and date, or a plain “the corpus does not say”."
    )
    engine = get_engine()
    if engine is None:
        return
    if not engine.documents:
        show_empty_corpus()
        return
    for problem in restore_from_url([d.id for d in engine.documents]):
        st.warning(escape_markdown(problem[:1].upper() + problem[1:]), icon="🔗")
    sidebar(engine)
    question_form()
    search = current_search()
    write_url(search)
    if not search.q:
        st.info(
            f"{len(engine.documents)} documents, {len(engine.chunks)} passages. "
            "Type a question and press Enter."
        )
        return
    show_answer(engine, search)


if __name__ == "__main__":
    main()
