"""The data directory: added documents, their manifest, the passage cache and a lock.

Layout (see README, "Adding documents")::

    <data dir>/documents/<id>.md     each added document as normalised Markdown (the source of truth)
    <data dir>/manifest.json         id -> content hash of the original, origin, file (derived, rebuildable)
    <data dir>/cache/passages.json   passages, token lists, entities per document (derived, rebuildable)
    <data dir>/cache/vectors.json    passage vectors: header, and the .npy it names (qa/store/vectors.py)
    <data dir>/cache/shards/         the sharded index of a Ray cluster, when one is used (qa/cluster)
    <data dir>/qa.lock               held while a command changes the directory

Only new or changed documents are chunked, tokenised and tagged; a damaged manifest or cache is rebuilt
from the documents with a warning. Nothing here ever deletes a document but ``remove``.
"""

from __future__ import annotations

import contextlib
import os
import re
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

import platformdirs
from filelock import FileLock, Timeout

from qa.documents.corpus import default_corpus_dir, document_from_text, load_corpus
from qa.documents.ingest import (
    DEFAULT_MAX_BYTES,
    Ingested,
    Overrides,
    expand_paths,
    ingest_bytes,
    ingest_file,
    with_id,
)
from qa.documents.models import Chunk, CorpusError, Document, QAError
from qa.documents.ner import Entity
from qa.search.semantic import Vectors
from qa.store.manifest import AddReport, Known, Outcome, refresh_manifest, write_manifest
from qa.store.passages import (
    CacheError,
    Prepared,
    decode_entry,
    document_key,
    dump_cache,
    flatten,
    fsync_dir,
    load_cache,
    prepare_documents,
    remove_stale_temps,
    write_atomic,
)
from qa.store.vectors import passage_vectors, save_vectors

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")

#: ``progress(stage, done, total)``: stage is "reading" (files), "indexing" (documents) or
#: "embedding" (passages).
Progress = Callable[[str, int, int], None]


#: ``prepare(batches)``: each batch of documents prepared (chunked, tokenised, tagged), in order;
#: by default here, one batch after another; a cluster spreads them over its workers.
Preparer = Callable[[Sequence[Sequence[Document]]], Iterator[Sequence[Prepared]]]


def prepare_here(batches: Sequence[Sequence[Document]]) -> Iterator[Sequence[Prepared]]:
    """Prepare each batch in this process."""
    for batch in batches:
        yield list(prepare_documents(batch))


#: Documents prepared together: the entity model tags their passages in one batch.
_BATCH = 32


class StoreWarning(UserWarning):
    """Something in the data directory was damaged or out of date and has been rebuilt."""


def default_data_dir() -> Path:
    """``$QA_DATA_DIR`` if set, else the per-user data directory (platformdirs)."""
    env = os.environ.get("QA_DATA_DIR", "").strip()
    return Path(env) if env else Path(platformdirs.user_data_dir("qa", appauthor=False))


@dataclass(frozen=True)
class Built:
    """Documents (shipped and added), their passages, token lists and named entities (one tuple
    per passage, offsets in the document's body), ready for an Engine."""

    documents: tuple[Document, ...]
    chunks: tuple[Chunk, ...]
    tokens: tuple[tuple[str, ...], ...]
    added: frozenset[str] = frozenset()
    processed: int = 0
    reused: int = 0
    entities: tuple[tuple[Entity, ...], ...] = ()
    #: Unit vector of each piece of each passage (``Chunk.pieces``, in order; float32, n x dim;
    #: memory-mapped when read from the cache), None without the semantic extra or when the caller
    #: asked for none.
    vectors: Vectors | None = None


class Store:
    """A data directory of added documents, searched together with the shipped corpus."""

    def __init__(
        self,
        data_dir: Path | str | None = None,
        shipped: Path | str | None = None,
        include_shipped: bool = True,
        on_warning: Callable[[str], None] | None = None,
        lock_timeout: float = 600.0,
        embed: bool | None = None,
        prepare: Preparer | None = None,
    ) -> None:
        self.root = Path(data_dir) if data_dir is not None else default_data_dir()
        self.shipped_dir = Path(shipped) if shipped is not None else default_corpus_dir()
        self.include_shipped = include_shipped
        self.docs_dir = self.root / "documents"
        self.manifest_path = self.root / "manifest.json"
        self.cache_dir = self.root / "cache"
        self.cache_path = self.cache_dir / "passages.json"
        self.cluster_dir = self.cache_dir / "shards"
        #: how new or changed documents are prepared (``prepare_here``, or on a cluster)
        self.prepare: Preparer = prepare or prepare_here
        self.lock_path = self.root / "qa.lock"
        self.lock_timeout = lock_timeout
        #: whether builds embed sentences (the semantic extra); ``QA_EMBED=0`` turns it off, and
        #: questions then embed their candidates' sentences when asked
        self.embed = embed if embed is not None else os.environ.get("QA_EMBED", "1").strip() != "0"
        self.warnings: list[str] = []
        self._on_warning = on_warning
        self._lock: FileLock | None = None

    def warn(self, message: str) -> None:
        """Record a warning and pass it on (``on_warning`` or Python's warnings)."""
        self.warnings.append(message)
        if self._on_warning is not None:
            self._on_warning(message)
        else:
            warnings.warn(message, StoreWarning, stacklevel=3)

    @contextlib.contextmanager
    def locked(self, blocking: bool = True) -> Iterator[bool]:
        """Hold the directory's lock (re-entrant); yields False if not blocking and it is busy.
        Taking it clears the temporary files a killed writer left (no other writer can be running)."""
        self.root.mkdir(parents=True, exist_ok=True)
        if self._lock is None:
            self._lock = FileLock(str(self.lock_path), timeout=self.lock_timeout)
        try:
            self._lock.acquire(timeout=self.lock_timeout if blocking else 0)
        except Timeout:
            if blocking:
                raise QAError(f"{self.lock_path}: another qa command is still changing the data") from None
            yield False
            return
        try:
            if self._lock.lock_counter == 1:
                for folder in (self.root, self.docs_dir, self.cache_path.parent):
                    remove_stale_temps(folder)
            yield True
        finally:
            self._lock.release()

    def state(self) -> str:
        """A token that changes whenever a command changes the data directory: the manifest's
        identity (every write replaces it: new inode, size, time); "" while there is none.
        A running page keys its engine by it, so it sees a ``qa add`` made elsewhere."""
        try:
            info = self.manifest_path.stat()
        except OSError:
            return ""
        return f"{info.st_ino}:{info.st_size}:{info.st_mtime_ns}"

    # reading

    def shipped_documents(self) -> list[Document]:
        """The shipped corpus (empty when turned off)."""
        return load_corpus(self.shipped_dir) if self.include_shipped else []

    def _shipped_ids(self) -> dict[str, str]:
        if not self.shipped_dir.is_dir():
            return {}
        return {d.id: d.path for d in load_corpus(self.shipped_dir)}

    def added_documents(self) -> list[Document]:
        """Every readable document of the data directory; a damaged one is reported and left alone."""
        docs: list[Document] = []
        if not self.docs_dir.is_dir():
            return docs
        for path in sorted(self.docs_dir.glob("*.md")):
            if path.name.startswith("."):
                continue
            try:
                docs.append(document_from_text(path.read_text(encoding="utf-8"), str(path), path.stem))
            except (OSError, UnicodeDecodeError) as exc:
                self.warn(f"{path}: cannot be read ({exc}); left as it is, not searchable")
            except QAError as exc:
                self.warn(f"{exc}; left as it is, not searchable until fixed or removed")
        return docs

    def _stored_files(self) -> list[Path]:
        """Every document file of the data directory, readable or not."""
        if not self.docs_dir.is_dir():
            return []
        return sorted(p for p in self.docs_dir.glob("*.md") if not p.name.startswith("."))

    def build(
        self,
        write: bool = True,
        use_cache: bool = True,
        progress: Progress | None = None,
        added_documents: Sequence[Document] | None = None,
        vectors: bool | None = None,
    ) -> Built:
        """All documents with their passages: cached ones reused, new or changed ones chunked,
        tokenised and tagged, and (``vectors``, default ``self.embed``) every passage's vector, new passages'
        embedded. The caches are saved (when ``write`` and the data directory exists).
        ``added_documents``: the data directory's documents when the caller has just read them."""
        shipped = self.shipped_documents()
        shipped_ids = {d.id for d in shipped}
        added = []
        for doc in self.added_documents() if added_documents is None else added_documents:
            if doc.id in shipped_ids:
                self.warn(f"{doc.path}: id {doc.id!r} is also a shipped document's; not searchable")
            else:
                added.append(doc)
        docs = sorted([*shipped, *added], key=lambda d: (d.date, d.id))
        cached, cache_ok = self._cached_entries() if use_cache else ({}, False)
        prepared: dict[str, Prepared] = {}
        todo: list[Document] = []
        for doc in docs:
            entry = cached.get(doc.id)
            if entry is not None and entry.get("key") == document_key(doc):
                try:
                    prepared[doc.id] = decode_entry(doc, entry)
                except CacheError as exc:
                    self.warn(f"{self.cache_path}: {exc}; re-indexing that document")
                    cache_ok = False
            if doc.id not in prepared:
                todo.append(doc)
        reused, processed = len(prepared), len(todo)
        if progress is not None and reused:
            progress("indexing", reused, len(docs))
        batches = [todo[first : first + _BATCH] for first in range(0, len(todo), _BATCH)]
        done = reused
        for batch, ready in zip(batches, self.prepare(batches), strict=True):
            prepared.update(zip((d.id for d in batch), ready, strict=True))
            done += len(batch)
            if progress is not None:
                progress("indexing", done, len(docs))
        kept = self._out_of_view(cached, prepared)
        stale = processed or not cache_ok or set(cached) != set(prepared) | set(kept)
        if write and stale:  # the caches are what the data directory is for: made when first needed
            with self.locked(blocking=False) as got:
                if got:
                    write_atomic(self.cache_path, dump_cache(prepared, kept))
                    if refresh_manifest(self.manifest_path, added):
                        self.warn(f"{self.manifest_path}: damaged or out of date; rebuilt from the documents")
        chunks, tokens, entities = flatten([prepared[d.id] for d in docs])
        embed = self.embed if vectors is None else vectors
        rows = self._vectors(chunks, write, use_cache, progress) if embed else None
        ids = frozenset(d.id for d in added)
        return Built(tuple(docs), chunks, tokens, ids, processed, reused, entities, rows)

    def _vectors(
        self, chunks: Sequence[Chunk], write: bool, use_cache: bool, progress: Progress | None
    ) -> Vectors | None:
        """Saved rows reused, new passages embedded; a partial view (no shipped) never drops rows."""
        report = None if progress is None else partial(progress, "embedding")
        keep = not self.include_shipped
        texts = [u.text for c in chunks for _, u in c.pieces]
        update = passage_vectors(self.cache_dir, texts, use_cache, keep, self.warn, report)
        if update is not None and update.file is not None and write:
            with self.locked(blocking=False) as got:
                if got:
                    save_vectors(self.cache_dir, update.model, *update.file)
        return None if update is None else update.rows

    def _out_of_view(
        self, cached: dict[str, dict[str, Any]], prepared: dict[str, Prepared]
    ) -> dict[str, dict[str, Any]]:
        """Cached entries of shipped documents this view leaves out (--no-shipped): kept as they
        are, so that a view never shrinks the cache and the next full run re-indexes nothing."""
        if self.include_shipped or not set(cached) - set(prepared):
            return {}
        try:
            shipped = self._shipped_ids()
        except QAError:
            return {}
        return {i: e for i, e in cached.items() if i in shipped and i not in prepared}

    def _cached_entries(self) -> tuple[dict[str, dict[str, Any]], bool]:
        if not self.cache_path.exists():
            return {}, False
        try:
            return load_cache(self.cache_path), True
        except CacheError as exc:
            self.warn(f"{exc}; rebuilding the index from the documents")
            return {}, False

    # changing

    def add_paths(
        self,
        paths: Sequence[Path | str],
        overrides: Overrides | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        progress: Progress | None = None,
    ) -> AddReport:
        """Add files and folders (recursively); see :meth:`_add`."""
        files, errors = expand_paths(paths)
        report = AddReport([Outcome(getattr(e, "file", ""), "failed", str(e)) for e in errors])
        items = [(str(f), partial(ingest_file, f, overrides, max_bytes)) for f in files]
        return self._add(items, report, progress)

    def add_uploads(
        self,
        uploads: Sequence[tuple[str, bytes]],
        overrides: Overrides | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        progress: Progress | None = None,
    ) -> AddReport:
        """Add files given as (name, bytes), as the page's upload control does."""
        items = [(name, partial(_ingest_upload, name, data, overrides, max_bytes)) for name, data in uploads]
        return self._add(items, AddReport(), progress)

    def _add(
        self,
        items: Sequence[tuple[str, Callable[[], Ingested]]],
        report: AddReport,
        progress: Progress | None,
    ) -> AddReport:
        """Read each input; skip duplicates (same content hash); replace a document added before
        from the same origin; write each new document atomically; then reindex what changed."""
        if not items:
            return report
        with self.locked():
            state = Known.of(self.added_documents(), self._shipped_ids(), self._stored_files())
            for done, (file, read) in enumerate(items, start=1):
                try:
                    report.outcomes.append(self._place(read(), file, state))
                except QAError as exc:
                    report.outcomes.append(Outcome(file, "failed", str(exc)))
                if progress is not None:
                    progress("reading", done, len(items))
            if report.of("added", "updated"):
                fsync_dir(self.docs_dir)
                docs = sorted(state.documents.values(), key=lambda d: d.id)
                write_manifest(self.manifest_path, docs)
                built = self.build(progress=progress, added_documents=docs)
                report.processed, report.reused = built.processed, built.reused
        return report

    def _place(self, ingested: Ingested, file: str, known: Known) -> Outcome:
        status, doc_id = known.place(ingested, file)
        if status == "duplicate":
            return Outcome(
                file, status, f"{file}: already in the corpus as {doc_id!r} (same content)", doc_id
            )
        if doc_id != ingested.document.id:
            ingested = with_id(ingested, doc_id)
        stored = self.docs_dir / f"{doc_id}.md"
        write_atomic(stored, ingested.markdown, sync_dir=False)
        known.record(doc_id, ingested, replace(ingested.document, path=str(stored)))
        doc = ingested.document
        notes = "".join(f"; {n}" for n in ingested.notes)
        message = f"{file}: {status} as {doc_id!r}: {doc.title} ({doc.date.isoformat()}{notes})"
        return Outcome(file, status, message, doc_id)

    def remove(self, doc_id: str) -> str:
        """Delete one added document (its Markdown file); returns its title. Shipped ones are refused."""
        with self.locked():
            path = self.docs_dir / f"{doc_id}.md"
            if not _ID_RE.match(doc_id) or not path.is_file():
                if doc_id in self._shipped_ids():
                    raise QAError(
                        f"{doc_id!r} is a shipped document, not an added one (hide those with --no-shipped)"
                    )
                raise QAError(f"no added document with id {doc_id!r} (see qa docs)")
            title = doc_id
            with contextlib.suppress(OSError, UnicodeDecodeError, QAError):
                title = document_from_text(path.read_text(encoding="utf-8"), str(path), doc_id).title
            path.unlink()
            write_manifest(self.manifest_path, self.added_documents())
            self.build()
        return title

    def reindex(self, progress: Progress | None = None) -> Built:
        """Rebuild manifest and passage cache from the documents, ignoring what was saved."""
        with self.locked():
            built = self.build(use_cache=False, progress=progress)
            write_manifest(self.manifest_path, [d for d in built.documents if d.id in built.added])
        return built


def _ingest_upload(name: str, data: bytes, overrides: Overrides | None, max_bytes: int) -> Ingested:
    if len(data) > max_bytes:
        raise CorpusError(name, f"{len(data):,} bytes is over the size limit of {max_bytes:,} bytes")
    return ingest_bytes(data, name, overrides, origin=f"upload:{name}")
