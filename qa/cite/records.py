"""Machine-readable references: BibTeX, RIS and CSL-JSON records of a cited work."""

from __future__ import annotations

import json
import re
from typing import Any

from qa.cite.text import Name, Work

_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\^{}",
}
_LATEX_RE = re.compile("|".join(re.escape(c) for c in _LATEX_SPECIAL))
BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def latex_escape(text: str) -> str:
    """Text safe inside a BibTeX field: LaTeX's special characters escaped."""
    return _LATEX_RE.sub(lambda m: _LATEX_SPECIAL[m.group(0)], text)


def _bibtex_name(name: Name) -> str:
    if name.literal:
        return "{" + latex_escape(name.family) + "}"
    if not name.given:
        return latex_escape(name.family)
    return f"{latex_escape(name.family)}, {latex_escape(name.given)}"


def _protected_title(work: Work) -> str:
    """The title with the words that must keep their capitals (proper nouns, acronyms: those the
    sentence-case form keeps) in braces, so a BibTeX style that lower-cases titles leaves them alone."""
    words = work.title.split()
    lowered = work.sentence_title.split()
    out = []
    for i, word in enumerate(words):
        kept = len(lowered) == len(words) and lowered[i] == word
        if i > 0 and kept and any(c.isupper() for c in word):
            core = word.strip("\"'“”‘’,.:;!?()")
            at = word.index(core) if core else 0
            out.append(
                latex_escape(word[:at])
                + "{"
                + latex_escape(core)
                + "}"
                + latex_escape(word[at + len(core) :])
            )
        else:
            out.append(latex_escape(word))
    return " ".join(out)


def bibtex(work: Work) -> str:
    """A BibTeX entry: ``@article`` (newspaper) or ``@misc`` (web page), keyed by the document id."""
    kind = "article" if work.kind == "newspaper" else "misc"
    fields: list[tuple[str, str]] = []
    if work.authors:
        fields.append(("author", "{" + " and ".join(_bibtex_name(a) for a in work.authors) + "}"))
    fields.append(("title", "{" + _protected_title(work) + "}"))
    if work.container:
        fields.append(
            ("journal" if kind == "article" else "howpublished", "{" + latex_escape(work.container) + "}")
        )
    if kind == "article":
        fields.append(("entrysubtype", "{newspaper}"))
    fields.append(("year", "{" + str(work.date.year) + "}"))
    fields.append(("month", BIBTEX_MONTHS[work.date.month - 1]))
    fields.append(("date", "{" + work.date.isoformat() + "}"))
    if work.url:
        fields.append(("url", "{" + work.url + "}"))
    if work.keywords:
        fields.append(("keywords", "{" + latex_escape(", ".join(work.keywords)) + "}"))
    body = ",\n".join(f"  {k} = {v}" for k, v in fields)
    return f"@{kind}{{{work.key},\n{body}\n}}"


def bibtex_cite(work: Work, paragraph: int) -> str:
    """The LaTeX command citing the passage: ``\\cite[para.~4]{key}``."""
    return f"\\cite[para.~{paragraph}]{{{work.key}}}"


def _ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(value.split())}"


def _ris_name(name: Name) -> str:
    return name.family if name.literal or not name.given else f"{name.family}, {name.given}"


def ris(work: Work) -> str:
    """An RIS record: ``NEWS`` (newspaper article) or ``ELEC`` (web page)."""
    lines = [_ris_line("TY", "NEWS" if work.kind == "newspaper" else "ELEC"), _ris_line("ID", work.key)]
    lines += [_ris_line("AU", _ris_name(a)) for a in work.authors]
    lines.append(_ris_line("TI", work.title))
    if work.container:
        lines.append(_ris_line("T2", work.container))
    if work.publisher:
        lines.append(_ris_line("PB", work.publisher))
    lines.append(_ris_line("PY", str(work.date.year)))
    lines.append(_ris_line("DA", work.date.strftime("%Y/%m/%d")))
    if work.url:
        lines.append(_ris_line("UR", work.url))
    lines += [_ris_line("KW", k) for k in work.keywords]
    lines.append(_ris_line("LA", work.language))
    lines.append("ER  - ")
    return "\n".join(lines)


def csl_item(work: Work) -> dict[str, Any]:
    """A CSL-JSON item (the input of citeproc-js, citeproc-py, Zotero and Pandoc)."""
    item: dict[str, Any] = {
        "id": work.key,
        "type": "article-newspaper" if work.kind == "newspaper" else "webpage",
        "title": work.title,
    }
    if work.authors:
        item["author"] = [
            {"literal": a.family} if a.literal or not a.given else {"family": a.family, "given": a.given}
            for a in work.authors
        ]
    if work.container:
        item["container-title"] = work.container
    if work.publisher:
        item["publisher"] = work.publisher
    item["issued"] = {"date-parts": [[work.date.year, work.date.month, work.date.day]]}
    if work.url:
        item["URL"] = work.url
    if work.keywords:
        item["keyword"] = ", ".join(work.keywords)
    item["language"] = work.language
    return item


def csl_json(work: Work) -> str:
    """The CSL-JSON item as text (a list of one item, as CSL-JSON files hold)."""
    return json.dumps([csl_item(work)], ensure_ascii=False, indent=2)


def csl_cite(work: Work, paragraph: int) -> str:
    """The CSL cite-item for the passage: the item id with its paragraph locator."""
    return json.dumps({"id": work.key, "locator": str(paragraph), "label": "paragraph"}, ensure_ascii=False)
