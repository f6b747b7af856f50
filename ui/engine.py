"""The one engine per corpus folder and data directory state, shared by every page and session."""

from __future__ import annotations

import os

import streamlit as st

import qa
from ui.render import escape_markdown

CORPUS_ENV = "QA_CORPUS"
#: As for ``qa ask --ray``: a Ray cluster's address (or ``local``) to search the index sharded
#: over it (``QA_SHARDS`` shards, default 2). Unset: one process, nothing of Ray imported.
RAY_ENV = "QA_RAY_ADDRESS"


def corpus_folder() -> str | None:
    """The corpus folder the page serves: ``$QA_CORPUS`` when set (as in the CLI), else the shipped one."""
    return os.environ.get(CORPUS_ENV) or None


def ray_address() -> str | None:
    """The Ray cluster the page searches on: ``$QA_RAY_ADDRESS`` when set, else None (no Ray)."""
    return os.environ.get(RAY_ENV, "").strip() or None


@st.cache_resource(show_spinner="Building the index…", max_entries=4)
def _build(folder: str | None, data_dir: str, state: str, ray: str | None = None) -> qa.Engine:
    """The shipped (or ``$QA_CORPUS``) documents and those added to the data directory, as they
    are in ``state`` (the data directory's, see ``qa.Store.state``), on the Ray cluster ``ray``
    when given. The embedding model loads here too, behind the same spinner, so a page's first
    explanatory question does not wait for it."""
    engine = qa.Engine.from_store(qa.Store(data_dir, shipped=folder), ray=ray)
    engine.load_models()
    return engine


def get_engine() -> qa.Engine | None:
    """The engine (a spinner shows while it builds), or None after showing the error in one line.
    Keyed by the data directory's state: a document added or removed anywhere (``qa add``, an
    upload in another session) is seen at the next rerun, with nothing else of the cache cleared."""
    try:
        store = qa.Store(shipped=corpus_folder())
        return _build(corpus_folder(), str(store.root), store.state(), ray_address())
    except qa.QAError as exc:
        st.error("Cannot read the corpus: " + escape_markdown(str(exc)), icon="⚠️")
    except OSError as exc:
        st.error("Cannot read the corpus: " + escape_markdown(str(exc)), icon="⚠️")
    return None


def show_empty_corpus() -> None:
    """The state of a corpus folder without documents."""
    where = corpus_folder() or "the shipped corpus folder"
    st.info(
        "The corpus is empty: " + escape_markdown(where) + " holds no Markdown documents. "
        "Add `.md` files with a title and a date in their front matter, then reload.",
        icon="📭",
    )
