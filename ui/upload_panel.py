"""The upload control: add documents through the same code as ``qa add``, remove added ones.

Uses only ``qa``'s public API. Every message names the file and the reason, exactly as the
command line prints it; file names and titles are escaped (they are data, never markup).
The page's engine is keyed by the data directory's state (ui/engine.py), so a change made here
is seen without clearing any cache.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

import qa
from ui.render import escape_markdown

_MESSAGES = "upload_messages"
_ROUND = "upload_round"
_STAGES = {"reading": "Reading files", "indexing": "Indexing"}


def _store(data_dir: Path | str | None) -> qa.Store:
    warnings: list[str] = st.session_state.setdefault("upload_warnings", [])
    return qa.Store(data_dir, on_warning=warnings.append)


def _remove(data_dir: Path | str | None, doc_id: str) -> None:
    try:
        title = _store(data_dir).remove(doc_id)
        st.session_state[_MESSAGES] = [("success", f"Removed {doc_id!r}: {title}")]
    except qa.QAError as exc:
        st.session_state[_MESSAGES] = [("error", str(exc))]


def _add(data_dir: Path | str | None, files: list[tuple[str, bytes]], date: str) -> None:
    bar = st.progress(0.0, text="Reading files")

    def progress(stage: str, done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=f"{_STAGES.get(stage, stage)} {done}/{total}")

    overrides = qa.Overrides(date=date.strip()) if date.strip() and len(files) == 1 else None
    report = _store(data_dir).add_uploads(files, overrides, progress=progress)
    bar.empty()
    messages = [("success", o.message) for o in report.of("added", "updated")]
    messages += [("warning", "skipped: " + o.message) for o in report.of("duplicate")]
    messages += [("error", o.message) for o in report.of("failed")]
    if report.of("added", "updated"):
        messages.append(("info", f"Index: {report.processed} processed, {report.reused} reused."))
    st.session_state[_MESSAGES] = messages
    st.session_state[_ROUND] = st.session_state.get(_ROUND, 0) + 1  # empties the uploader


def show_messages() -> None:
    """The outcome of the last add or remove, one line per file."""
    for kind, text in st.session_state.get(_MESSAGES, []):
        getattr(st, kind)(escape_markdown(text))
    for text in st.session_state.pop("upload_warnings", []):
        st.warning(escape_markdown(text))


def upload_panel(data_dir: Path | str | None = None) -> None:
    """Upload .txt/.md/.html/.pdf files into the data directory; list and remove added documents."""
    kinds = [suffix.lstrip(".") for suffix in qa.SUPPORTED_SUFFIXES]
    files = st.file_uploader(
        "Add .txt, .md, .html or .pdf files",
        type=kinds,
        accept_multiple_files=True,
        key=f"uploader-{st.session_state.get(_ROUND, 0)}",
    )
    date = st.text_input(
        "Publication date (YYYY-MM-DD), for a single file that does not state one", key="upload_date"
    )
    if st.button("Add to the corpus", type="primary", disabled=not files):
        _add(data_dir, [(f.name, f.getvalue()) for f in files or []], date)
        st.rerun()
    show_messages()
    added = _store(data_dir).added_documents()
    if not added:
        st.caption("No documents added yet.")
        return
    st.caption(f"{len(added)} added documents")
    for doc in added:
        text, button = st.columns([5, 1])
        text.markdown(
            f"**{escape_markdown(doc.title)}**  \n"
            + escape_markdown(
                f"{doc.date.isoformat()} · {doc.id} · {dict(doc.extra).get('original_file', '')}"
            )
        )
        button.button("Remove", key=f"remove-{doc.id}", on_click=_remove, args=(data_dir, doc.id))
