"""The Ask page: a question, filters in the sidebar, result cards, and a timeline for "when" questions.

The search lives in the URL (see ``ui/search_state.py``): a copied link reopens it, and each new
search adds a browser history entry, so back and forward move between searches.

The heading and the question box are drawn first; only then are ``qa`` and the engine loaded
(ui/results.py, ui/engine.py), behind a spinner: on a cold server that import alone takes seconds.
"""

from __future__ import annotations

import json

import streamlit as st

from ui.render import escape_markdown
from ui.search_state import DEFAULT_K, Search, from_params, known_only, to_params

EXAMPLES = (
    "When were poverty counties fully covered?",
    "How much did rural online retail sales reach in 2023?",
    "Who wrote about boosting agriculture through e-commerce?",
)

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


def restore_from_url() -> list[str]:
    """Set the widgets from the URL when it changed (first load, shared link, back/forward); the
    link's documents are checked once the engine is loaded (:func:`drop_unknown_docs`)."""
    params = url_params()
    alive = W_Q in st.session_state  # widget state is dropped while another page shows
    if alive and st.session_state.get(URL_SEEN) == _fingerprint(params):
        return []
    if not params and not alive and LAST_SEARCH in st.session_state:
        search, problems = st.session_state[LAST_SEARCH], list[str]()  # back from the corpus page
    else:
        search, problems = from_params(params, None)
    _apply(search)
    st.session_state[URL_SEEN] = _fingerprint(params)
    return problems


def drop_unknown_docs(known_docs: list[str]) -> list[str]:
    """Keep only documents that exist in the document filter; a note for each dropped one."""
    kept, problems = known_only(st.session_state.get(W_DOCS) or [], known_docs)
    st.session_state[W_DOCS] = kept
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


def _ask_example(question: str) -> None:
    st.session_state[W_Q] = question


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


def main() -> None:
    """Render the Ask page: heading and question box at once, then the engine and the results."""
    st.title("Ask the documents")
    st.caption(
        "Every answer is a quoted passage with its source and date, or a plain “the corpus does not say”."
    )
    problems = restore_from_url()
    question_form()
    with st.spinner("Loading the documents…"):
        from ui.engine import get_engine, show_empty_corpus
        from ui.results import show_answer, sidebar

        engine = get_engine()
    if engine is None:
        return
    if not engine.documents:
        show_empty_corpus()
        return
    for problem in problems + drop_unknown_docs([d.id for d in engine.documents]):
        st.warning(escape_markdown(problem[:1].upper() + problem[1:]), icon="🔗")
    sidebar(engine)
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
