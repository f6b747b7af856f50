"""Citations for writing: a passage cited in APA 7, MLA 9, Chicago 17 (notes and author-date), Harvard
(Cite Them Right), BibTeX, RIS, CSL-JSON or a Markdown line, with the exact quote and its paragraph.

Reference texts mark italics Markdown's way, ``*...*``. Nothing is invented: no URL unless the
document's metadata gives one, never an access date."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence

from qa.answers import Engine
from qa.cite.records import bibtex, bibtex_cite, csl_cite, csl_json, ris
from qa.cite.text import (
    APA_MINOR_WORDS,
    MLA_MONTHS,
    MONTHS,
    Name,
    Work,
    curly_quotes,
    short_title,
    title_case,
    trim_quote,
    work_of,
)
from qa.documents.chunking import paragraph_spans
from qa.documents.models import Chunk, Citation, Document, Hit, QAError, Span

STYLES = ("apa", "mla", "chicago-note", "chicago-date", "harvard", "bibtex", "ris", "csl-json", "markdown")
STYLE_NAMES = {
    "apa": "APA 7",
    "mla": "MLA 9",
    "chicago-note": "Chicago 17 (note)",
    "chicago-date": "Chicago 17 (author-date)",
    "harvard": "Harvard (Cite Them Right)",
    "bibtex": "BibTeX",
    "ris": "RIS",
    "csl-json": "CSL-JSON",
    "markdown": "Markdown",
}
#: Quotes longer than this many characters are cut at a word boundary and end with "…".
MAX_QUOTE = 300


def _md(text: str) -> str:
    """Metadata text made literal in Markdown (the styles' own ``*`` marks italics)."""
    return "".join("\\" + c if c in "\\*_`" else c for c in text)


def _it(text: str) -> str:
    return f"*{_md(text)}*"


def _end(text: str) -> str:
    """``text`` closed by a full stop unless it already ends with . ? or !"""
    return text if text.endswith((".", "?", "!")) else text + "."


def _and_list(names: Sequence[str], conj: str = "and", serial: bool = True) -> str:
    if len(names) <= 2:
        return f" {conj} ".join(names)
    return ", ".join(names[:-1]) + ("," if serial else "") + f" {conj} " + names[-1]


def _families(authors: Sequence[Name], conj: str, serial: bool, et_al_from: int) -> str:
    fams = [a.family for a in authors]
    return f"{fams[0]} et al." if len(fams) >= et_al_from else _and_list(fams, conj, serial)


def _quoted_title(title: str, close: str = "") -> str:
    """A title in quotation marks, inner quotes made single, ``close`` (, or .) inside the marks."""
    inner = curly_quotes(_md(title), inner=True)
    return f"“{inner}{'' if close == '.' and inner.endswith(('?', '!')) else close}”"


def _url(work: Work, before: str = " ") -> str:
    return before + work.url if work.url else ""


def apa(work: Work, paragraph: int) -> tuple[str, str]:
    """APA 7 (10.16 newspaper article, 10.16 webpage; 8.28 counted paragraphs)."""
    date = f"({work.date.year}, {MONTHS[work.date.month - 1]} {work.date.day})"
    title = _it(work.sentence_title) if work.kind == "webpage" else _md(work.sentence_title)
    container = _it(work.container) if work.kind == "newspaper" else _md(work.container)
    if work.kind == "webpage" and work.authors and work.authors[0].family == work.container:
        container = ""
    tail = (_end(container) if container else "") + _url(work)
    year, para = work.date.year, f"para. {paragraph}"
    if work.authors:
        names = [a.initials for a in work.authors]
        who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1]
        ref = f"{_end(_md(who))} {date}. {_end(title)} {tail}"
        in_text = f"({_md(_families(work.authors, '&', False, 3))}, {year}, {para})"
    else:
        ref = f"{_end(title)} {date}. {tail}"
        short = short_title(title_case(work.title, APA_MINOR_WORDS))
        if work.kind == "webpage":
            in_text = f"({_it(short)}, {year}, {para})"
        else:
            in_text = f"({_quoted_title(short, ',')} {year}, {para})"
    return ref.strip(), in_text


def mla(work: Work, paragraph: int) -> tuple[str, str]:
    """MLA 9: the container italic, day month year; no paragraph number (MLA 6.21 forbids counting
    paragraphs a source does not number, so the in-text citation names the work only)."""
    d = work.date
    date = f"{d.day} {MLA_MONTHS[d.month - 1]} {d.year}"
    title = _quoted_title(title_case(work.title), ".")
    tail = f"{_it(work.container)}, {date}{_url(work, ', ')}."
    if work.authors:
        first = work.authors[0].inverted
        if len(work.authors) == 1:
            who = first
        elif len(work.authors) == 2:
            who = f"{first}, and {work.authors[1].natural}"
        else:
            who = f"{first}, et al"
        ref = f"{_end(_md(who))} {title} {tail}"
        cited = _md(_families(work.authors, "and", True, 3))
    else:
        ref = f"{title} {tail}"
        cited = _quoted_title(short_title(title_case(work.title)))
    return ref, f"({cited})"


def _chicago_parts(work: Work) -> tuple[str, str, str]:
    d = work.date
    date = f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
    container = _it(work.container) if work.kind == "newspaper" else _md(work.container)
    return date, container, title_case(work.title)


def _chicago_bib_names(authors: Sequence[Name]) -> str:
    names = [authors[0].inverted] + [a.natural for a in authors[1:]]
    return _end(_md(_and_list(names) if len(names) > 2 else ", and ".join(names)))


def chicago_note(work: Work, paragraph: int) -> tuple[str, str]:
    """Chicago 17 notes-bibliography: (bibliography entry, full footnote). Website names roman
    (14.206), newspaper names italic (14.191); family-first names are not inverted (8.14)."""
    date, container, title = _chicago_parts(work)
    where = f"{container}, {date}" if container else date
    if work.authors:
        names = [a.natural for a in work.authors]
        who = f"{names[0]} et al." if len(names) > 3 else _and_list(names)
        note = f"{_md(who)}, {_quoted_title(title, ',')} {where}, par. {paragraph}{_url(work, ', ')}."
        bib = f"{_chicago_bib_names(work.authors)} {_quoted_title(title, '.')} {where}{_url(work, '. ')}."
    else:
        note = f"{_quoted_title(title, ',')} {where}, par. {paragraph}{_url(work, ', ')}."
        bib = f"{_quoted_title(title, '.')} {where}{_url(work, '. ')}."
    return bib, note


def chicago_date(work: Work, paragraph: int) -> tuple[str, str]:
    """Chicago 17 author-date (15.9, 15.49): year after the author, the full date again later."""
    date, container, title = _chicago_parts(work)
    where = f"{container}, {date}" if container else date
    if work.authors:
        ref = f"{_chicago_bib_names(work.authors)} {work.date.year}. {_quoted_title(title, '.')} {where}"
        cited = _md(_families(work.authors, "and", True, 4))
    else:
        ref = f"{_quoted_title(title, '.')} {work.date.year}. {where}"
        cited = _quoted_title(short_title(title))
    return ref + _url(work, ". ") + ".", f"({cited} {work.date.year}, par. {paragraph})"


def harvard(work: Work, paragraph: int) -> tuple[str, str]:
    """Harvard as in Cite Them Right: year in brackets, web page title italic, newspaper article title
    in single quotes with the paper italic; 'Available at:' only with a known URL, no access date."""
    when = f"{work.date.day} {MONTHS[work.date.month - 1]}"
    if work.kind == "webpage":
        title = _it(work.sentence_title)
        tail = f"{_md(work.container)}, {when}" if work.container else when
    else:
        title = f"‘{curly_quotes(_md(work.sentence_title))}’"
        tail = f"{_it(work.container)}, {when}" if work.container else when
    url = f". Available at: {work.url}" if work.url else ""
    if work.authors:
        names = [a.initials_tight for a in work.authors]
        who = f"{names[0]} et al." if len(names) > 3 else _and_list(names, "and", False)
        sep = ". " if work.kind == "webpage" else ", "
        ref = f"{_md(who)} ({work.date.year}) {title}{sep}{tail}{url}."
        cited = _md(_families(work.authors, "and", False, 4))
    else:
        ref = f"{title} ({work.date.year}) {tail}{url}."
        short = short_title(work.sentence_title)
        cited = _it(short) if work.kind == "webpage" else f"‘{curly_quotes(_md(short))}’"
    return ref, f"({cited}, {work.date.year}, para. {paragraph})"


def markdown(work: Work, paragraph: int, quote: str) -> tuple[str, str]:
    """One Markdown line: “quote” — Author, *Title*, Source, date, para. N."""
    parts = [_md(", ".join(a.natural for a in work.authors))] if work.authors else []
    parts += [_it(work.title), _md(work.container), work.date.isoformat(), f"para. {paragraph}"]
    if work.url:
        parts.append(work.url)
    return f"“{_md(quote)}” — " + ", ".join(p for p in parts if p), ""


_TEXT_STYLES: dict[str, Callable[[Work, int], tuple[str, str]]] = {
    "apa": apa,
    "mla": mla,
    "chicago-note": chicago_note,
    "chicago-date": chicago_date,
    "harvard": harvard,
    "bibtex": lambda w, p: (bibtex(w), bibtex_cite(w, p)),
    "ris": lambda w, p: (ris(w), ""),
    "csl-json": lambda w, p: (csl_json(w), csl_cite(w, p)),
}


def check_style(style: str) -> str:
    """``style`` if it is one of STYLES, else a QAError naming the choices."""
    if style not in STYLES:
        raise QAError(f"unknown citation style {style!r} (choose from {', '.join(STYLES)})")
    return style


def cite_passage(
    document: Document,
    chunk: Chunk,
    style: str = "apa",
    sentence: Span | None = None,
    max_quote: int = MAX_QUOTE,
) -> Citation:
    """Cite a passage of ``document``, quoting ``sentence`` when given, else the passage."""
    check_style(style)
    work = work_of(document)
    quote = trim_quote(sentence.text if sentence is not None else chunk.text, max_quote)
    if style == "markdown":
        reference, in_text = markdown(work, chunk.paragraph, quote)
    else:
        reference, in_text = _TEXT_STYLES[style](work, chunk.paragraph)
    return Citation(
        style, reference, in_text, quote, f"para. {chunk.paragraph}", document.id, chunk.id, chunk.paragraph
    )


def cite_hit(hit: Hit, style: str = "apa", max_quote: int = MAX_QUOTE) -> Citation:
    """Cite a hit: its document, its paragraph and its best sentence (or the passage)."""
    return cite_passage(hit.document, hit.chunk, style, hit.sentence, max_quote)


def cite_id(
    engine: Engine,
    passage_id: str,
    style: str = "apa",
    max_quote: int = MAX_QUOTE,
    sentence: int | None = None,
) -> Citation:
    """Cite a passage by its id (``<doc_id>:<ordinal>``, as ``qa ask`` gives it), quoting the whole
    passage or its ``sentence``-th sentence (1-based)."""
    chunk = engine.chunk(passage_id)
    span = None
    if sentence is not None:
        if not 1 <= sentence <= len(chunk.sentences):
            raise QAError(f"passage {passage_id} has {len(chunk.sentences)} sentences, not {sentence}")
        span = chunk.sentences[sentence - 1]
    return cite_passage(engine.document(chunk.doc_id), chunk, style, span, max_quote)


def passage_context(
    engine: Engine, passage_id: str, before: int = 1, after: int = 1
) -> list[tuple[int, str]]:
    """(paragraph number, text) of the passage's paragraph and ``before``/``after`` paragraphs around it."""
    chunk = engine.chunk(passage_id)
    body = engine.document(chunk.doc_id).body
    spans = paragraph_spans(body)
    lo, hi = max(1, chunk.paragraph - max(before, 0)), min(len(spans), chunk.paragraph + max(after, 0))
    return [(n, body[spans[n - 1][0] : spans[n - 1][1]]) for n in range(lo, hi + 1)]


def _works(hits: Sequence[Hit]) -> list[Work]:
    seen: dict[str, Work] = {}
    for hit in hits:
        seen.setdefault(hit.document.id, work_of(hit.document))
    return list(seen.values())


def references_file(hits: Sequence[Hit], fmt: str, style: str = "apa", max_quote: int = MAX_QUOTE) -> str:
    """The text of a references file: ``bib`` and ``ris`` hold one record per document; ``md`` and ``csv``
    one row per cited passage, with its reference in ``style``, in-text citation, quote and paragraph."""
    if fmt == "bib":
        return "".join(bibtex(w) + "\n\n" for w in _works(hits))
    if fmt == "ris":
        return "".join(ris(w) + "\n\n" for w in _works(hits))
    cites = [cite_hit(h, style, max_quote) for h in hits]
    if fmt == "md":
        lines = [f"# References ({STYLE_NAMES[style]})", ""]
        for c in cites:
            lines.append(f"- {c.reference}")
            if style != "markdown":
                lines.append(f"  > “{_md(c.quote)}” ({c.locator}){' ' + c.in_text if c.in_text else ''}")
        return "\n".join(lines) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["passage_id", "doc_id", "authors", "title", "date", "source", "url", "paragraph",
                         "quote", "style", "reference", "in_text"])  # fmt: skip
        for h, c in zip(hits, cites, strict=True):
            doc = h.document
            authors = "; ".join(p.name for p in doc.authors)
            date = doc.date.isoformat()
            writer.writerow([c.chunk_id, doc.id, authors, doc.title, date, doc.source, doc.url, c.paragraph,
                             c.quote, style, c.reference, c.in_text])  # fmt: skip
        return out.getvalue()
    raise QAError(f"unknown references file format {fmt!r} (choose from bib, ris, md, csv)")
