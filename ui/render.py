"""Turn document text into safe Streamlit Markdown: text is data, never markup."""

from __future__ import annotations

import re
from collections.abc import Sequence

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^])")


def escape_markdown(text: str) -> str:
    """Backslash-escape every character Markdown, Streamlit directives or LaTeX could read."""
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


def _marked(text: str, spans: Sequence[tuple[int, int]], style: str) -> str:
    out: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        if start < pos:
            continue
        out.append(escape_markdown(text[pos:start]))
        out.append(f"{style}{escape_markdown(text[start:end])}{style}" if style == "**" else "")
        if style != "**":
            out[-1] = f":{style}[{escape_markdown(text[start:end])}]"
        pos = end
    out.append(escape_markdown(text[pos:]))
    return "".join(out)


def highlighted(
    text: str,
    spans: Sequence[tuple[int, int]],
    style: str = "orange-background",
    sentence: tuple[int, int] | None = None,
) -> str:
    """Escaped ``text`` with each (start, end) span marked by a Streamlit colour directive.

    With ``sentence`` (offsets into ``text``), that sentence gets a blue background and the
    spans inside it are set in bold instead (directives do not nest)."""
    if sentence is None:
        return _marked(text, spans, style)
    s_start, s_end = sentence
    before = [(a, b) for a, b in spans if b <= s_start]
    inside = [(a - s_start, b - s_start) for a, b in spans if a >= s_start and b <= s_end]
    after = [(a - s_end, b - s_end) for a, b in spans if a >= s_end]
    return (
        _marked(text[:s_start], before, style)
        + f":blue-background[{_marked(text[s_start:s_end], inside, '**')}]"
        + _marked(text[s_end:], after, style)
    )


def plain(markdown: str) -> str:
    """The text a reader sees in Markdown made by this module (for tests and copy)."""
    text = re.sub(r":[a-z]+-background\[", "", markdown).replace("**", "")
    text = re.sub(r"(?<!\\)\]", "", text)
    return re.sub(r"\\(.)", r"\1", text).replace("  \n", "\n")
