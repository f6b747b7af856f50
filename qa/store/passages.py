"""The passage cache: each document's passages, token lists and named entities, as versioned JSON.

A document's entry is keyed by a hash of exactly what its passages depend on (id, body, page
starts); the file's header names the tokenizer version, chunking settings and entity model, so a
change to any rebuilds everything. Entities are kept per passage as ``[label, start, end]`` with
offsets in the document's body; spaCy is imported only when some entry is (re)built. Files are
written atomically: temporary file, fsync, rename.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, BinaryIO

from qa.documents.chunking import CHUNKING_VERSION, MAX_WORDS, chunk_document, page_starts
from qa.documents.models import Chunk, Document, QAError, Span
from qa.documents.ner import LABELS, PHRASES_VERSION, Entity, tag_passages
from qa.documents.ner import MODEL as NER_MODEL
from qa.documents.sentences import ABBREVIATIONS
from qa.search.tokenizer import TOKENIZER_VERSION, WORD_LISTS, tokenize

#: What :func:`write_atomic` names its temporary files: ``.<file name>.<8 random characters>.tmp``.
TEMP_RE = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
CACHE_FORMAT = "qa-passages"
CACHE_VERSION = 2  # 2: entities per passage


class CacheError(QAError):
    """A saved file is unreadable, damaged or of another format; it is rebuilt, never trusted."""


@dataclass(frozen=True)
class Prepared:
    """One document's passages, the token list and the named entities of each."""

    key: str
    chunks: tuple[Chunk, ...]
    tokens: tuple[tuple[str, ...], ...]
    entities: tuple[tuple[Entity, ...], ...]


def settings() -> dict[str, Any]:
    """What every cached passage depends on besides the document itself."""
    training = resources.files("qa").joinpath("data/punkt_training.txt").read_bytes()
    sentences = hashlib.sha256(training + "\n".join(sorted(ABBREVIATIONS)).encode()).hexdigest()[:16]
    words = b"".join(resources.files("qa").joinpath(f"data/{name}").read_bytes() for name in WORD_LISTS)
    return {
        "tokenizer": TOKENIZER_VERSION,
        "word_lists": hashlib.sha256(words).hexdigest()[:16],
        "chunking": CHUNKING_VERSION,
        "max_words": MAX_WORDS,
        "sentences": sentences,
        "entities": NER_MODEL,
        "phrases": PHRASES_VERSION,
    }


def document_key(doc: Document) -> str:
    """Hash of what a document's passages depend on: its id, body and page starts."""
    payload = json.dumps([doc.id, doc.body, page_starts(doc)], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def prepare_documents(docs: Sequence[Document]) -> Iterator[Prepared]:
    """Chunk, tokenise and tag documents (the expensive step the cache saves); the passages of all
    of ``docs`` go through the entity model together, as it runs faster on batches."""
    chunked = [tuple(chunk_document(doc)) for doc in docs]
    tagged = iter(tag_passages([c for chunks in chunked for c in chunks]))
    for doc, chunks in zip(docs, chunked, strict=True):
        tokens = tuple(tuple(tokenize(c.text)) for c in chunks)
        yield Prepared(document_key(doc), chunks, tokens, tuple(next(tagged) for _ in chunks))


def prepare_document(doc: Document) -> Prepared:
    """One document's passages, token lists and entities."""
    (prepared,) = prepare_documents([doc])
    return prepared


def write_atomic(path: Path, text: str, sync_dir: bool = True) -> None:
    """Write ``text`` so that ``path`` holds either the old or the whole new content, never a part;
    a failure is a QAError naming the file. ``sync_dir=False`` leaves the folder's fsync to the
    caller (one :func:`fsync_dir` after writing many files)."""
    write_atomic_with(path, lambda handle: handle.write(text.encode("utf-8")), sync_dir)


def write_atomic_with(path: Path, write: Callable[[BinaryIO], object], sync_dir: bool = True) -> None:
    """Like :func:`write_atomic`, with ``write`` filling the temporary file (opened in binary)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise QAError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise QAError(f"{path}: cannot be written ({exc.strerror or exc})") from None
        raise
    if sync_dir:
        fsync_dir(path.parent)


def remove_stale_temps(folder: Path) -> list[Path]:
    """Delete the temporary files :func:`write_atomic` left in ``folder`` when its process was
    killed (only names of its own pattern); call it only while holding the lock of every writer
    to ``folder``, so no temporary file of a write in progress is taken. Returns what it deleted."""
    removed: list[Path] = []
    try:
        names = [e.name for e in os.scandir(folder) if e.is_file(follow_symlinks=False)]
    except OSError:
        return removed
    for name in names:
        if TEMP_RE.match(name):
            with contextlib.suppress(OSError):
                (folder / name).unlink()
                removed.append(folder / name)
    return removed


def fsync_dir(folder: Path) -> None:
    """Make renames in ``folder`` durable (not possible on every OS; then a no-op)."""
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _encode(prepared: Prepared) -> dict[str, Any]:
    return {
        "key": prepared.key,
        "chunks": [
            [c.paragraph, c.start, c.end, c.page, [x for s in c.sentences for x in (s.start, s.end)]]
            for c in prepared.chunks
        ],
        "tokens": [list(t) for t in prepared.tokens],
        "entities": [[[e.label, e.start, e.end] for e in es] for es in prepared.entities],
    }


def dump_cache(entries: dict[str, Prepared], kept: dict[str, dict[str, Any]] | None = None) -> str:
    """The cache file's text for these documents (by id), and the ``kept`` entries as they were
    loaded (documents outside the current view, such as the shipped ones under --no-shipped)."""
    documents = {**(kept or {}), **{doc_id: _encode(p) for doc_id, p in entries.items()}}
    payload = {
        "format": CACHE_FORMAT,
        "version": CACHE_VERSION,
        "settings": settings(),
        "documents": dict(sorted(documents.items())),
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def load_cache(path: Path) -> dict[str, dict[str, Any]]:
    """The raw per-document entries of a cache file; CacheError when it is damaged or stale."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise CacheError(f"{path}: unreadable ({type(exc).__name__})") from None
    if not isinstance(payload, dict) or payload.get("format") != CACHE_FORMAT:
        raise CacheError(f"{path}: not a passage cache")
    if payload.get("version") != CACHE_VERSION:
        raise CacheError(f"{path}: format version {payload.get('version')!r}, expected {CACHE_VERSION}")
    if payload.get("settings") != settings():
        raise CacheError(f"{path}: built with other tokenizer, chunking or entity settings")
    documents = payload.get("documents")
    if not isinstance(documents, dict) or not all(isinstance(v, dict) for v in documents.values()):
        raise CacheError(f"{path}: damaged (no document table)")
    return documents


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise CacheError(f"expected a count, got {value!r}")
    return value


def decode_entry(doc: Document, entry: dict[str, Any]) -> Prepared:
    """One document's passages rebuilt from its cache entry; CacheError if anything is off."""
    chunks_raw, tokens_raw, entities_raw = entry.get("chunks"), entry.get("tokens"), entry.get("entities")
    if (
        not isinstance(chunks_raw, list)
        or not isinstance(tokens_raw, list)
        or not isinstance(entities_raw, list)
        or not len(chunks_raw) == len(tokens_raw) == len(entities_raw)
    ):
        raise CacheError(f"damaged entry for {doc.id!r}")
    chunks: list[Chunk] = []
    tokens: list[tuple[str, ...]] = []
    body = doc.body
    for ordinal, (raw, toks) in enumerate(zip(chunks_raw, tokens_raw, strict=True), start=1):
        if not isinstance(raw, list) or len(raw) != 5 or not isinstance(raw[4], list) or len(raw[4]) % 2:
            raise CacheError(f"damaged passage in entry for {doc.id!r}")
        paragraph, start, end = _int(raw[0]), _int(raw[1]), _int(raw[2])
        page = None if raw[3] is None else _int(raw[3])
        bounds = [_int(x) for x in raw[4]]
        if not start <= end <= len(body) or any(b > len(body) for b in bounds):
            raise CacheError(f"passage outside the text in entry for {doc.id!r}")
        if not isinstance(toks, list) or not all(isinstance(t, str) for t in toks):
            raise CacheError(f"damaged token list in entry for {doc.id!r}")
        sentences = tuple(Span(body[s:e], s, e) for s, e in zip(bounds[::2], bounds[1::2], strict=True))
        chunks.append(Chunk.cut(doc.id, body, (ordinal, paragraph, start, end), sentences, page))
        tokens.append(tuple(toks))
    entities = tuple(_entities(doc.id, c, raw) for c, raw in zip(chunks, entities_raw, strict=True))
    return Prepared(str(entry.get("key")), tuple(chunks), tuple(tokens), entities)


def _entities(doc_id: str, chunk: Chunk, raw: Any) -> tuple[Entity, ...]:
    """A passage's entities from their ``[label, start, end]`` triples, each inside the passage."""
    if not isinstance(raw, list):
        raise CacheError(f"damaged entity list in entry for {doc_id!r}")
    found: list[Entity] = []
    for triple in raw:
        label = triple[0] if isinstance(triple, list) and len(triple) == 3 else None
        if not isinstance(label, str) or label not in LABELS:
            raise CacheError(f"damaged entity in entry for {doc_id!r}")
        start, end = _int(triple[1]), _int(triple[2])
        if not chunk.start <= start < end <= chunk.end:
            raise CacheError(f"entity outside its passage in entry for {doc_id!r}")
        found.append(Entity(label, start, end))
    return tuple(found)


def flatten(
    prepared: Sequence[Prepared],
) -> tuple[tuple[Chunk, ...], tuple[tuple[str, ...], ...], tuple[tuple[Entity, ...], ...]]:
    """All passages, token lists and entity tuples, in document order."""
    return (
        tuple(c for p in prepared for c in p.chunks),
        tuple(t for p in prepared for t in p.tokens),
        tuple(e for p in prepared for e in p.entities),
    )
