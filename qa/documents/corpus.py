"""Read and validate a corpus folder of Markdown files with YAML front matter."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from qa.documents.models import CorpusError, Document, Person

REQUIRED = ("title", "date")
_KNOWN = {
    "id", "title", "date", "source", "publisher", "outlet", "section", "authors", "editors",
    "keywords", "url", "language", "original_file",
}  # fmt: skip
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~10x faster


class _FrontMatterLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """Safe YAML that leaves dates as text, so an impossible date is reported, not crashed on."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_FRONT_RE = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?\n?", re.DOTALL | re.MULTILINE)


def default_corpus_dir() -> Path:
    """The shipped corpus: ``corpus/`` beside ``qa/`` in a clone, else the copy ``pip install``
    puts in ``<prefix>/share/qa/corpus`` (pyproject.toml's data-files)."""
    beside = Path(__file__).resolve().parents[2] / "corpus"
    installed = Path(sys.prefix) / "share" / "qa" / "corpus"
    return beside if beside.is_dir() or not installed.is_dir() else installed


def parse_date(value: Any, file: str, field: str = "date") -> dt.date:
    """An ISO 8601 date from YAML (a date, a datetime or a string) or a CorpusError."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        text = value.strip()
        try:
            return dt.date.fromisoformat(text[:10]) if len(text) >= 10 else dt.date.fromisoformat(text)
        except ValueError:
            pass
        raise CorpusError(file, f"{text!r} is not a date (expected YYYY-MM-DD)", field)
    if value is None or value == "":
        raise CorpusError(file, "missing (expected YYYY-MM-DD)", field)
    raise CorpusError(file, f"{value!r} is not a date (expected YYYY-MM-DD)", field)


def _text(meta: dict[str, Any], key: str, file: str) -> str:
    value = meta.get(key)
    if value is None:
        return ""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip()
    raise CorpusError(file, f"expected text, got {type(value).__name__}", key)


def _people(meta: dict[str, Any], key: str, file: str) -> tuple[Person, ...]:
    value = meta.get(key) or []
    if isinstance(value, (str, dict)):
        value = [value]
    if not isinstance(value, list):
        raise CorpusError(file, "expected a list of names", key)
    people = []
    for item in value:
        if isinstance(item, str) and item.strip():
            people.append(Person(item.strip()))
        elif isinstance(item, dict) and isinstance(item.get("name"), str) and item["name"].strip():
            role = item.get("role") or ""
            people.append(Person(item["name"].strip(), str(role).strip()))
        else:
            raise CorpusError(file, f"each entry needs a name, got {item!r}", key)
    return tuple(people)


def _keywords(meta: dict[str, Any], file: str) -> tuple[str, ...]:
    value = meta.get("keywords") or []
    if isinstance(value, str):
        value = [k for k in re.split(r"[;,]", value)]
    if not isinstance(value, list) or not all(isinstance(k, (str, int, float)) for k in value):
        raise CorpusError(file, "expected a list of words", "keywords")
    return tuple(str(k).strip() for k in value if str(k).strip())


def split_front_matter(text: str, file: str) -> tuple[dict[str, Any], str]:
    """(metadata, body) of a Markdown file; a file without front matter has empty metadata."""
    match = _FRONT_RE.match(text)
    if not match:
        if text.startswith("---"):
            raise CorpusError(file, "front matter is not closed by a '---' line", "front matter")
        return {}, text
    try:
        meta = yaml.load(match.group(1), Loader=_FrontMatterLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise CorpusError(file, f"broken YAML{line}: {problem}", "front matter") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise CorpusError(file, "front matter must be a mapping of fields", "front matter")
    return {str(k): v for k, v in meta.items()}, text[match.end() :]


def document_from_text(text: str, file: str, default_id: str = "") -> Document:
    """Parse and validate one corpus file's text into a Document."""
    meta, body = split_front_matter(text, file)
    for key in REQUIRED:
        if meta.get(key) in (None, ""):
            raise CorpusError(file, "missing", key)
    doc_id = _text(meta, "id", file) or default_id
    if not _ID_RE.match(doc_id):
        raise CorpusError(file, f"{doc_id!r} is not a valid id (lower-case letters, digits, . _ -)", "id")
    body = body.lstrip("\r\n").rstrip() + "\n"
    if not body.strip():
        raise CorpusError(file, "the document has no text", "body")
    title = _text(meta, "title", file)
    date = parse_date(meta.get("date"), file)
    extra = tuple(sorted(((k, v) for k, v in meta.items() if k not in _KNOWN), key=lambda kv: kv[0]))
    return Document(
        id=doc_id,
        title=title,
        date=date,
        body=body,
        source=_text(meta, "source", file) or _text(meta, "outlet", file) or _text(meta, "publisher", file),
        publisher=_text(meta, "publisher", file),
        outlet=_text(meta, "outlet", file),
        section=_text(meta, "section", file),
        authors=_people(meta, "authors", file),
        editors=_people(meta, "editors", file),
        keywords=_keywords(meta, file),
        url=_text(meta, "url", file),
        language=_text(meta, "language", file) or "en",
        original_file=_text(meta, "original_file", file),
        path=file,
        extra=extra,
    )


def load_document(path: Path) -> Document:
    """Read one corpus file; errors name the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CorpusError(str(path), "not UTF-8 text") from None
    except OSError as exc:
        raise CorpusError(str(path), exc.strerror or "cannot be read") from None
    return document_from_text(text, str(path), default_id=path.stem.lower())


def load_corpus(folder: Path | str | None = None) -> list[Document]:
    """Every ``*.md`` document of ``folder`` (default: the shipped corpus), sorted by date and id."""
    root = Path(folder) if folder is not None else default_corpus_dir()
    if not root.is_dir():
        raise CorpusError(str(root), "corpus folder does not exist")
    docs: list[Document] = []
    seen: dict[str, str] = {}
    for path in sorted(root.glob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        doc = load_document(path)
        if doc.id in seen:
            raise CorpusError(str(path), f"{doc.id!r} is already used by {seen[doc.id]}", "id")
        seen[doc.id] = str(path)
        docs.append(doc)
    return sorted(docs, key=lambda d: (d.date, d.id))
