"""Who is in the data directory: the manifest (id -> content hash, origin, file), written and
checked here, and the bookkeeping of one ``add`` (which inputs are new, updates, duplicates;
which ids are free)."""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa.documents.ingest import Ingested
from qa.documents.models import CorpusError, Document
from qa.store.passages import write_atomic

MANIFEST_FORMAT = "qa-manifest"
MANIFEST_VERSION = 1


def manifest_payload(docs: Sequence[Document]) -> dict[str, Any]:
    """The manifest's content for these added documents (derived from their front matter)."""
    table = {
        d.id: {
            "sha256": str(dict(d.extra).get("sha256", "")),
            "origin": str(dict(d.extra).get("origin", "")),
            "file": f"documents/{d.id}.md",
            "title": d.title,
        }
        for d in sorted(docs, key=lambda d: d.id)
    }
    return {"format": MANIFEST_FORMAT, "version": MANIFEST_VERSION, "documents": table}


def write_manifest(path: Path, docs: Sequence[Document]) -> None:
    """Write the manifest of these added documents, atomically."""
    write_atomic(path, json.dumps(manifest_payload(docs), ensure_ascii=False, indent=1))


def refresh_manifest(path: Path, docs: Sequence[Document]) -> bool:
    """Rewrite the manifest at ``path`` when it is missing, damaged or out of date; True when
    that is news to the user (there was one, or there are documents to list)."""
    expected = manifest_payload(docs)
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        found = None if docs else expected
    except (OSError, ValueError) as exc:
        found = {"damaged": type(exc).__name__}
    if found == expected:
        return False
    write_manifest(path, docs)
    return found is not None or bool(docs)


@dataclass(frozen=True)
class Outcome:
    """What happened to one input: status is "added", "updated", "duplicate" or "failed"."""

    file: str
    status: str
    message: str
    doc_id: str = ""


@dataclass
class AddReport:
    """The outcome of each input of one ``add``, and how many documents were (re)indexed."""

    outcomes: list[Outcome] = field(default_factory=list)
    processed: int = 0
    reused: int = 0

    def of(self, *statuses: str) -> list[Outcome]:
        """The outcomes with one of these statuses, in input order."""
        return [o for o in self.outcomes if o.status in statuses]

    @property
    def ok(self) -> bool:
        """True when every input was added or updated (a duplicate or failure makes it False)."""
        return not self.of("duplicate", "failed")


@dataclass
class Known:
    """Ids, content hashes and origins known while an ``add`` runs (shipped and added documents)."""

    taken: dict[str, str]
    by_sha: dict[str, str]
    by_origin: dict[str, str]
    documents: dict[str, Document]

    @classmethod
    def of(cls, added: Sequence[Document], shipped: dict[str, str], stored: Sequence[Path] = ()) -> Known:
        """From the added documents, the shipped ones (id -> file) and every file of the data
        directory's documents folder (``stored``): a file that does not parse (hand-edited, not
        UTF-8) still holds its name, so a new document never overwrites it."""
        known = cls(dict(shipped), {}, {}, {d.id: d for d in added})
        for file in stored:
            known.taken.setdefault(file.stem, str(file))
        for doc_id, path in shipped.items():
            with contextlib.suppress(OSError):
                known.by_sha.setdefault(hashlib.sha256(Path(path).read_bytes()).hexdigest(), doc_id)
        for doc in added:
            extra = dict(doc.extra)
            known.taken[doc.id] = doc.path
            if extra.get("sha256"):
                known.by_sha[str(extra["sha256"])] = doc.id
            if extra.get("origin"):
                known.by_origin[str(extra["origin"])] = doc.id
        return known

    def place(self, ingested: Ingested, file: str) -> tuple[str, str]:
        """(status, id) for a file about to be added: "duplicate" of a document with the same
        content, "updated" for new content from a known origin, else "added" under a free id
        (``-2``, ``-3`` … appended; an explicit front-matter id that is taken is refused)."""
        same = self.by_sha.get(ingested.sha256)
        if same is not None:
            return "duplicate", same
        doc_id = self.by_origin.get(ingested.origin)
        if doc_id is not None:
            return "updated", doc_id
        doc_id = ingested.document.id
        if doc_id in self.taken:
            if ingested.explicit_id:
                raise CorpusError(file, f"{doc_id!r} is already used by {self.taken[doc_id]}", "id")
            doc_id = next(f"{doc_id}-{n}" for n in range(2, 10**6) if f"{doc_id}-{n}" not in self.taken)
        return "added", doc_id

    def record(self, doc_id: str, ingested: Ingested, stored: Document) -> None:
        """Remember a document just written under ``doc_id``."""
        for sha, known in list(self.by_sha.items()):
            if known == doc_id:
                del self.by_sha[sha]
        self.documents[doc_id] = stored
        self.taken[doc_id] = stored.path
        self.by_sha[ingested.sha256] = doc_id
        self.by_origin[ingested.origin] = doc_id
