"""Read the text and metadata out of one file's bytes: plain text, Markdown, HTML, PDF.

Each reader returns an :class:`Extracted` (front-matter style metadata, a body whose paragraphs
are separated by blank lines, and for PDFs the body offset where each page starts) or raises a
CorpusError naming the file. Readers never guess a date; they report what the file states.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import io
import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bs4 import BeautifulSoup, Tag
from charset_normalizer import from_bytes

from qa.documents.corpus import split_front_matter
from qa.documents.models import CorpusError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_KEEP_CONTROLS = {"\n", "\t"}
_ISO_PREFIX = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


@dataclass
class Extracted:
    """What a reader found: metadata (front-matter keys), the body, page starts, notes for the user."""

    meta: dict[str, Any]
    body: str
    page_starts: list[int] | None = None
    notes: list[str] = field(default_factory=list)


def decode_text(data: bytes, file: str) -> tuple[str, str]:
    """(text, encoding): UTF-8 (or a BOM's encoding) as is; otherwise what charset-normalizer
    detects, preferring Windows-1252 when it is nearly as plausible as the top guess; refused
    as binary when the bytes hold NUL or control characters, or no text encoding fits."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _clean_controls(data.decode(encoding), file), encoding.replace("-sig", "")
            except UnicodeDecodeError:
                raise CorpusError(
                    file, f"starts with a {encoding} byte-order mark but is not {encoding}"
                ) from None
    if b"\x00" in data:
        raise CorpusError(file, "binary file, not text (it holds NUL bytes)")
    try:
        return _clean_controls(data.decode("utf-8"), file), "utf-8"
    except UnicodeDecodeError:
        pass
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise CorpusError(file, "not UTF-8, and no other text encoding fits it (binary data?)")
    encoding = best.encoding
    close = [m.encoding for m in matches if m.chaos <= best.chaos + 0.1]
    if "cp1252" in close:
        encoding = "cp1252"
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise CorpusError(file, f"not UTF-8, and it does not decode as {encoding} either") from None
    return _clean_controls(text, file), encoding


def _clean_controls(text: str, file: str) -> str:
    """Unix newlines; control characters (terminal escapes, form feeds) become spaces; mostly
    control characters means binary data."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for ch in text if ch not in _KEEP_CONTROLS and unicodedata.category(ch) == "Cc")
    if controls and controls > len(text) * 0.05:
        raise CorpusError(file, "binary file, not text (it holds control characters)")
    if controls:
        text = "".join(
            " " if ch not in _KEEP_CONTROLS and unicodedata.category(ch) == "Cc" else ch for ch in text
        )
    return text


def iso_date_text(value: str) -> str:
    """``2024/4/2``, ``2024.04.02`` or ``2024-04-02T08:00+08:00`` as ``2024-04-02``; other text unchanged."""
    match = _ISO_PREFIX.match(value)
    if not match:
        return value.strip()
    year, month, day = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _with_encoding_note(extracted: Extracted, encoding: str) -> Extracted:
    if encoding not in ("utf-8", "ascii"):
        extracted.meta["original_encoding"] = encoding
        extracted.notes.append(f"decoded from {encoding}")
    return extracted


def read_text(data: bytes, file: str) -> Extracted:
    """Plain text (front matter honoured when the file starts with one)."""
    text, encoding = decode_text(data, file)
    meta, body = split_front_matter(text, file)
    return _with_encoding_note(Extracted(meta, body), encoding)


def read_markdown(data: bytes, file: str) -> Extracted:
    """Markdown: front matter honoured; without a title, the first ``# heading`` is the title."""
    extracted = read_text(data, file)
    if not extracted.meta.get("title"):
        heading = re.search(r"^#[ \t]+(.+?)[ \t#]*$", extracted.body, re.MULTILINE)
        if heading:
            extracted.meta["title"] = heading.group(1).strip()
    return extracted


_DROP = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "svg")
_BLOCKS = (
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
    "blockquote", "pre", "dd", "dt", "dl", "figcaption", "table", "tr", "caption", "hr",
)  # fmt: skip
_DATE_META = (
    "article:published_time", "datepublished", "date", "dc.date", "dc.date.issued", "dcterms.date",
    "dcterms.created", "dcterms.issued", "pubdate", "publish-date", "publication_date",
    "citation_publication_date", "citation_date", "og:published_time",
)  # fmt: skip
_AUTHOR_META = ("author", "article:author", "dc.creator", "dcterms.creator", "citation_author")
_PUBLISHER_META = ("og:site_name", "publisher", "dc.publisher", "dcterms.publisher", "citation_publisher")


def _metas(soup: BeautifulSoup) -> dict[str, list[str]]:
    """Every ``<meta name|property|itemprop=... content=...>``, by lower-case key, in page order."""
    found: dict[str, list[str]] = {}
    for tag in soup.find_all("meta"):
        key = tag.get("name") or tag.get("property") or tag.get("itemprop")
        content = tag.get("content")
        if isinstance(key, str) and isinstance(content, str) and content.strip():
            found.setdefault(key.strip().lower(), []).append(" ".join(content.split()))
    return found


def _first(metas: dict[str, list[str]], keys: tuple[str, ...]) -> str:
    return next((metas[k][0] for k in keys if k in metas), "")


def _html_meta(soup: BeautifulSoup) -> dict[str, Any]:
    metas = _metas(soup)
    meta: dict[str, Any] = {}
    title_tag = soup.find("title")
    h1 = soup.find("h1")
    title = (
        _first(metas, ("og:title", "citation_title", "dc.title"))
        or (title_tag.get_text(" ", strip=True) if title_tag else "")
        or (h1.get_text(" ", strip=True) if h1 else "")
    )
    if title:
        meta["title"] = " ".join(title.split())
    date = _first(metas, _DATE_META)
    if not date:
        time = soup.find("time", attrs={"datetime": True})
        date = str(time.get("datetime") or "") if isinstance(time, Tag) else ""
    if date:
        meta["date"] = iso_date_text(date)
    authors = [a for k in _AUTHOR_META for a in metas.get(k, []) if not a.startswith("http")]
    if authors:
        meta["authors"] = [{"name": a} for a in dict.fromkeys(authors)]
    if publisher := _first(metas, _PUBLISHER_META):
        meta["publisher"] = publisher
    canonical = soup.find("link", attrs={"rel": "canonical"})
    url = canonical.get("href") if isinstance(canonical, Tag) else None
    url = url if isinstance(url, str) and url.strip() else _first(metas, ("og:url",))
    if url:
        meta["url"] = url.strip()
    if keywords := _first(metas, ("keywords", "news_keywords")):
        meta["keywords"] = [k.strip() for k in re.split(r"[;,]", keywords) if k.strip()]
    html = soup.find("html")
    lang = html.get("lang") if isinstance(html, Tag) else None
    if isinstance(lang, str) and re.match(r"^[A-Za-z]{2,3}\b", lang):
        meta["language"] = lang[:3].split("-")[0].split("_")[0].lower()
    return meta


def read_html(data: bytes, file: str) -> Extracted:
    """HTML: metadata from ``<title>`` and meta tags; the text of ``<article>``, ``<main>`` or
    ``<body>`` without scripts, navigation, headers, footers and forms, one paragraph per block."""
    text, encoding = decode_text(data, file)
    soup = BeautifulSoup(text, "html.parser")
    meta = _html_meta(soup)
    for tag in soup.find_all(_DROP):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.find("body") or soup
    assert isinstance(root, (Tag, BeautifulSoup))
    for br in root.find_all("br"):
        br.replace_with("\n")
    for block in root.find_all(_BLOCKS):
        block.insert_before("\n\n")
        block.insert_after("\n\n")
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", root.get_text())]
    body = "\n\n".join(p for p in paragraphs if p)
    return _with_encoding_note(Extracted(meta, body), encoding)


def _page_paragraphs(text: str) -> list[str]:
    """Paragraphs of one PDF page: blank lines, or a short line ending a sentence, end one;
    a word hyphenated at a line end is joined."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    width = max((len(line) for line in lines), default=0)
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        stripped = line.strip()
        if not stripped:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        if current.endswith("-") and stripped[:1].islower():
            current += stripped
        else:
            current = f"{current} {stripped}" if current else stripped
        if re.search(r"[.!?:;\"”’)]$", stripped) and len(line) < 0.8 * width:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return [" ".join(p.split()) for p in paragraphs]


def _pdf_meta(reader: Any) -> dict[str, Any]:
    """Title, authors and creation date from a PDF's document info; a field that cannot be read
    (malformed date, odd types) is left out rather than refusing a PDF whose text is fine."""
    meta: dict[str, Any] = {}
    try:
        info = reader.metadata
    except Exception:  # damaged info dictionary: the text may still be fine
        return meta
    if info is None:
        return meta
    with contextlib.suppress(Exception):
        title = info.title
        if isinstance(title, str) and title.strip():
            meta["title"] = " ".join(title.split())
    with contextlib.suppress(Exception):
        author = info.author
        if isinstance(author, str) and author.strip():
            meta["authors"] = [{"name": a.strip()} for a in author.split(";") if a.strip()]
    with contextlib.suppress(Exception):
        created = info.creation_date
        if isinstance(created, dt.datetime):
            meta["date"] = created.date().isoformat()
            meta["date_source"] = "PDF creation date"
    return meta


def read_pdf(data: bytes, file: str) -> Extracted:
    """PDF: the text layer page by page (pypdf), page starts kept; metadata from the document info."""
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise CorpusError(file, "the PDF is encrypted (it needs a password)")
        texts = [page.extract_text() or "" for page in reader.pages]
    except CorpusError:
        raise
    except Exception as exc:  # a damaged PDF can fail anywhere inside the parser
        raise CorpusError(file, f"not a readable PDF ({type(exc).__name__}: {exc})".splitlines()[0]) from None
    meta = _pdf_meta(reader)
    body_parts: list[str] = []
    starts: list[int] = []
    offset = 0
    for text in texts:
        paragraphs = _page_paragraphs(_clean_controls(text, file))
        starts.append(offset)
        if paragraphs:
            piece = "\n\n".join(paragraphs)
            body_parts.append(piece)
            offset += len(piece) + 2
    if not body_parts:
        pages = f"{len(texts)} page" + ("" if len(texts) == 1 else "s")
        raise CorpusError(file, f"the PDF has no text layer ({pages} of images?): run OCR on it first")
    # an empty page starts where the next page with text does, so a passage is never placed on it
    body_len = offset - 2
    starts = [min(s, body_len) for s in starts]
    extracted = Extracted(meta, "\n\n".join(body_parts), page_starts=starts)
    return extracted


READERS: dict[str, Callable[[bytes, str], Extracted]] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".pdf": read_pdf,
}
