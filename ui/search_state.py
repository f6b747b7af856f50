"""A search as it lives in the URL: ``?q=...&docs=a,b&since=YYYY-MM-DD&until=...&k=5&timeline=1``.

Pure functions (no Streamlit), so a shared link is parsed and written the same way everywhere.
Bad values in a link are dropped with a one-line note each, never an error page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass

DEFAULT_K = 5
MAX_K = 20
PARAMS = ("q", "docs", "since", "until", "k", "timeline")


@dataclass(frozen=True)
class Search:
    """A question and its filters."""

    q: str = ""
    docs: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    k: int = DEFAULT_K
    timeline: bool = False

    @property
    def filtered(self) -> bool:
        """Whether any document or date filter is set."""
        return bool(self.docs) or self.since is not None or self.until is not None


def _date(value: str, name: str, problems: list[str]) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.append(f"ignored {name}={value!r} from the link: not a date (YYYY-MM-DD)")
        return None


def known_only(docs: Collection[str], known_docs: Collection[str] | None) -> tuple[list[str], list[str]]:
    """The documents of a link that exist (each once, in order; all when ``known_docs`` is None,
    not known yet), and a note for each that does not."""
    kept: list[str] = []
    problems: list[str] = []
    for doc in docs:
        doc = doc.strip()
        if not doc or doc in kept:
            continue
        if known_docs is None or doc in known_docs:
            kept.append(doc)
        else:
            problems.append(f"ignored docs={doc!r} from the link: no such document")
    return kept, problems


def from_params(params: Mapping[str, str], known_docs: Collection[str] | None) -> tuple[Search, list[str]]:
    """The search a URL's query parameters describe, and what was ignored in them
    (``known_docs`` None: the documents are checked later, with :func:`known_only`)."""
    q = params.get("q", "").strip()
    docs, problems = known_only(params.get("docs", "").split(","), known_docs)
    since = _date(params.get("since", ""), "since", problems)
    until = _date(params.get("until", ""), "until", problems)
    if since and until and since > until:
        problems.append(f"ignored since/until from the link: {since} is after {until}")
        since = until = None
    k = DEFAULT_K
    raw_k = params.get("k", "")
    if raw_k:
        if raw_k.isdigit() and 1 <= int(raw_k) <= MAX_K:
            k = int(raw_k)
        else:
            problems.append(f"ignored k={raw_k!r} from the link: not a number from 1 to {MAX_K}")
    timeline = params.get("timeline", "") in {"1", "true", "yes", "on"}
    return Search(q, tuple(docs), since, until, k, timeline), problems


def to_params(search: Search) -> dict[str, str]:
    """The query parameters for ``search``; defaults are left out to keep links short."""
    out: dict[str, str] = {}
    if search.q.strip():
        out["q"] = search.q.strip()
    if search.docs:
        out["docs"] = ",".join(search.docs)
    if search.since:
        out["since"] = search.since.isoformat()
    if search.until:
        out["until"] = search.until.isoformat()
    if search.k != DEFAULT_K:
        out["k"] = str(search.k)
    if search.timeline:
        out["timeline"] = "1"
    return out
