"""Turn a user's file (.txt, .md, .html, .pdf) into a Document and its normalised Markdown.

The normalised Markdown (YAML front matter + body) is what the data directory keeps; it is
parsed back with :func:`qa.documents.corpus.document_from_text`, so an added document obeys exactly the
rules of a shipped one. The original file is only read, never changed.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from qa.documents.corpus import document_from_text, parse_date, split_front_matter
from qa.documents.formats import READERS, Extracted, iso_date_text
from qa.documents.models import CorpusError, Document, QAError

#: Default size limit of one added file (``qa add --max-size``), in bytes.
DEFAULT_MAX_BYTES = 20_000_000
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(READERS)
_SLUG_RE = re.compile(r"[^a-z0-9._-]+")


@dataclass(frozen=True)
class Overrides:
    """Metadata given on the command line; it wins over what the file states."""

    title: str | None = None
    date: str | None = None
    author: str | None = None
    publisher: str | None = None
    url: str | None = None

    def is_empty(self) -> bool:
        """True when no field is given."""
        return not any((self.title, self.date, self.author, self.publisher, self.url))

    def as_meta(self) -> dict[str, Any]:
        """The given fields as front-matter keys."""
        meta: dict[str, Any] = {}
        if self.title:
            meta["title"] = self.title.strip()
        if self.date:
            meta["date"] = self.date.strip()
        if self.author:
            meta["authors"] = [{"name": self.author.strip()}]
        if self.publisher:
            meta["publisher"] = self.publisher.strip()
        if self.url:
            meta["url"] = self.url.strip()
        return meta


@dataclass(frozen=True)
class Ingested:
    """One file made ready for the data directory."""

    document: Document
    markdown: str
    sha256: str
    origin: str
    explicit_id: bool = False
    notes: tuple[str, ...] = field(default=())


def sha256_of(data: bytes) -> str:
    """Hex SHA-256 of the bytes: the identity of a file's content."""
    return hashlib.sha256(data).hexdigest()


def slugify(name: str) -> str:
    """A document id from a file name: lower case, ``[a-z0-9._-]``, never empty."""
    slug = _SLUG_RE.sub("-", name.lower()).strip("-._")
    return slug[:80].rstrip("-._") or "document"


def render_markdown(meta: dict[str, Any], body: str) -> str:
    """YAML front matter (safe dump, keys in the given order) and the body."""
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100_000)
    return f"---\n{front}---\n\n{body.strip()}\n"


def _title_from_name(name: str) -> str:
    stem = Path(name).stem
    return " ".join(re.sub(r"[_]+", " ", stem).split()) or stem


def ingest_bytes(
    data: bytes, name: str, overrides: Overrides | None = None, origin: str = "", file: str = ""
) -> Ingested:
    """Read one file's bytes (``name`` gives its type and default id/title) into a Document and
    its normalised Markdown. ``file`` names it in errors (default ``name``); ``origin`` is where it
    came from (a path or ``upload:<name>``). Raises CorpusError naming the file and the problem."""
    file = file or name
    suffix = Path(name).suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        kinds = ", ".join(SUPPORTED_SUFFIXES)
        raise CorpusError(file, f"unsupported file type {suffix or '(no extension)'!r} (supported: {kinds})")
    if not data:
        raise CorpusError(file, "empty file")
    extracted: Extracted = reader(data, file)
    if not extracted.body.strip():
        raise CorpusError(file, "the file has no text")
    meta = dict(extracted.meta)
    given = (overrides or Overrides()).as_meta()
    if "date" in given:
        meta.pop("date_source", None)
    meta.update(given)
    explicit_id = bool(meta.get("id"))
    if not explicit_id:
        meta["id"] = slugify(Path(name).stem)
    if meta.get("title") in (None, ""):
        meta["title"] = _title_from_name(name)
    raw_date = meta.get("date")
    if raw_date in (None, ""):
        raise CorpusError(file, "no date found in the file; give it with --date YYYY-MM-DD", "date")
    try:
        date = parse_date(iso_date_text(raw_date) if isinstance(raw_date, str) else raw_date, file)
    except CorpusError as exc:
        raise CorpusError(file, f"{exc.problem}; give the right one with --date YYYY-MM-DD", "date") from None
    meta["date"] = date.isoformat()
    meta["original_file"] = Path(name).name
    digest = sha256_of(data)
    meta["sha256"] = digest
    meta["format"] = suffix.lstrip(".")
    meta["origin"] = origin or f"upload:{name}"
    meta.pop("page_starts", None)
    if extracted.page_starts is not None:
        meta["page_starts"] = extracted.page_starts
    first: dict[str, Any] = {key: meta.pop(key) for key in ("id", "title", "date") if key in meta}
    markdown = render_markdown({**first, **meta}, extracted.body)
    document = document_from_text(markdown, file, default_id=str(first["id"]))
    return Ingested(
        document, markdown, digest, origin or f"upload:{name}", explicit_id, tuple(extracted.notes)
    )


def with_id(ingested: Ingested, doc_id: str) -> Ingested:
    """The same file under another id (to keep ids unique in the data directory)."""
    meta, body = split_front_matter(ingested.markdown, ingested.document.path)
    meta["id"] = doc_id
    markdown = render_markdown(meta, body)
    document = document_from_text(markdown, ingested.document.path, default_id=doc_id)
    return Ingested(
        document, markdown, ingested.sha256, ingested.origin, ingested.explicit_id, ingested.notes
    )


def not_a_file(path: Path) -> str:
    """Why ``path`` cannot be read as a file: missing, a broken link or link loop, a folder, a
    named pipe, a socket or a device."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link loop (the link leads back to itself)"
        if path.is_symlink():
            with_target = ""
            with contextlib.suppress(OSError):
                with_target = f" to {os.readlink(path)}"
            return f"a broken symbolic link{with_target} (its target does not exist)"
        return "no such file or folder" if exc.errno == errno.ENOENT else exc.strerror or "cannot be read"
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
    )
    kind = next((name for test, name in kinds if test(mode)), "")
    return f"not a regular file ({kind})" if kind else "not a regular file"


def read_input(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A file's bytes, or a CorpusError: missing, not a file, over the size limit, unreadable."""
    file = str(path)
    try:
        if not path.is_file():
            raise CorpusError(file, not_a_file(path))
        size = path.stat().st_size
        if size > max_bytes:
            raise CorpusError(
                file, f"{_mb(size)} is over the size limit of {_mb(max_bytes)} (see --max-size)"
            )
        return path.read_bytes()
    except OSError as exc:
        raise CorpusError(file, exc.strerror or "cannot be read") from None


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size:,} bytes"


def ingest_file(
    path: Path | str, overrides: Overrides | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Ingested:
    """One file on disk made ready for the data directory (see :func:`ingest_bytes`)."""
    path = Path(path)
    data = read_input(path, max_bytes)
    return ingest_bytes(data, path.name, overrides, origin=str(path.resolve()), file=str(path))


def expand_paths(paths: Sequence[Path | str]) -> tuple[list[Path], list[QAError]]:
    """The files named or found (recursively, hidden ones skipped) under ``paths``, and one error
    for each path that does not exist or file in a folder whose type is not supported."""
    files: list[Path] = []
    errors: list[QAError] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            for found in _walk(path):
                if not found.is_file():
                    errors.append(CorpusError(str(found), not_a_file(found)))
                elif found.suffix.lower() in READERS:
                    files.append(found)
                else:
                    kinds = ", ".join(SUPPORTED_SUFFIXES)
                    suffix = found.suffix.lower() or "(no extension)"
                    errors.append(
                        CorpusError(str(found), f"unsupported file type {suffix!r} (supported: {kinds})")
                    )
        elif path.exists() or path.is_symlink():
            files.append(path)
        else:
            errors.append(CorpusError(str(path), not_a_file(path)))
    return list(dict.fromkeys(files)), errors


def _walk(folder: Path) -> Iterable[Path]:
    """Everything under ``folder`` but folders and hidden names: files, and also named pipes,
    broken links and the like, so that each of those is reported rather than passed over."""
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if not path.is_dir():
            yield path
