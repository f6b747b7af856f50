"""Citations: a passage cited in a style, with its exact quote and paragraph, ready to paste.

- ``text``: rules the styles share (the cited work, names, title case, dates, trimmed quotes);
- ``styles``: APA, MLA, Chicago, Harvard and Markdown lines, and ``cite_hit``/``cite_passage``;
- ``records``: machine-readable references (BibTeX, RIS, CSL-JSON);
- ``cards``: what the CLI prints (result cards, citations as lines or JSON).
"""

from qa.cite.styles import (
    MAX_QUOTE,
    STYLE_NAMES,
    STYLES,
    cite_hit,
    cite_id,
    cite_passage,
    passage_context,
    references_file,
)

__all__ = [
    "MAX_QUOTE",
    "STYLES",
    "STYLE_NAMES",
    "cite_hit",
    "cite_id",
    "cite_passage",
    "passage_context",
    "references_file",
]
