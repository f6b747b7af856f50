"""The qa page (``streamlit run ui/app.py``): Ask (questions, filters, timeline) and Corpus (reader).

Each page is its own script: ``ui/ask_page.py`` and ``ui/corpus_page.py``.
"""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="qa: ask the documents", page_icon="🔎", layout="centered")
pages = [
    st.Page("ask_page.py", title="Ask", icon=":material/search:", default=True),
    st.Page("corpus_page.py", title="Corpus", icon=":material/library_books:", url_path="corpus"),
]
st.navigation(pages, position="top").run()
