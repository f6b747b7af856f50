"""Turn document text into safe Streamlit Markdown: text is data, never markup."""

from __future__ import annotations

import re
from collections.abc import Sequence

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^])")


def escape_markdown(text: str) -> str:
    """Backslash-escape every character Markdown, Streamlit directives or LaTeX could read."""
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


def highlighted(text: str, spans: Sequence[tuple[int, int]], style: str = "orange-background") -> str:
    """Escaped ``text`` with each (start, end) span wrapped in a Streamlit colour directive."""
    out: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        if start < pos:
            continue
        out.append(escape_markdown(text[pos:start]))
        out.append(f":{style}[{escape_markdown(text[start:end])}]")
        pos = end
    out.append(escape_markdown(text[pos:]))
    return "".join(out)
