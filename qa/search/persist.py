"""Save and load the fast engine's index: ``.npy`` arrays plus ``header.json``, no pickle.

A saved index is a directory::

    header.json      format, format_version, k1, b, idf_rule, tokenizer_version, n_docs, n_terms,
                     n_postings, n_blocks, block and each array's dtype and shape
    indptr.npy       int64, n_terms + 1: term t has indptr[t+1] - indptr[t] postings
    doc_len.npy      int32, n_docs: tokens per document
    bptr.npy         int64, n_terms + 1: term t's blocks are [bptr[t], bptr[t+1])
    block_last.npy   int32, n_blocks: each block's last document id
    dbits.npy        uint8, n_blocks: bits per document-id gap in the block
    fbits.npy        uint8, n_blocks: bits per term frequency (minus one) in the block
    woff.npy         int64, n_blocks + 1: where each block starts in words
    words.npy        uint64: the bit-packed gaps and term frequencies (qa/search/codec.py)
    block_max.npy    float32, n_blocks: each block's largest tf part, rounded up (block-max pruning)
    dense_terms.npy  int64, n_dense: the terms in a quarter of the documents or more
    dense.npy        uint8, (n_dense, n_docs): their tf per document (255: 255 or more; 0: absent)
    vocab_bytes.npy  uint8: the terms, UTF-8, concatenated in id order
    vocab_offsets.npy int64, n_terms + 1: where each term starts and ends in vocab_bytes

Arrays load with ``mmap_mode="r"``: the operating system pages postings in as queries touch them.
Saving writes a temporary sibling directory, fsyncs it and renames it into place, so a reader
sees the old index or the new one, never half of one. Anything unexpected on load (missing or
truncated file, wrong dtype or shape, unknown format version) raises ``IndexFormatError``.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from qa.documents.models import QAError
from qa.search.codec import BLOCK, Packed
from qa.search.impact import IDF_RULE, ImpactIndex
from qa.search.tokenizer import TOKENIZER_VERSION

FORMAT = "qa-bm25-impact"
FORMAT_VERSION = 2  # 1: float64 tf parts and int32 ids per posting (qa before issue 18)
PACKED = tuple(f.name for f in fields(Packed))
ARRAYS = ("indptr", "doc_len", *PACKED, "vocab_bytes", "vocab_offsets")


class IndexFormatError(QAError):
    """A saved index that cannot be read: names the path and what is wrong with it."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"cannot read the index at {path}: {problem}")
        self.path = path
        self.problem = problem


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def save_index(index: ImpactIndex, path: Path | str, tokenizer_version: int = TOKENIZER_VERSION) -> None:
    """Write ``index`` to the directory ``path`` atomically (replacing what was there)."""
    path = Path(path)
    encoded = [t.encode("utf-8", "surrogatepass") for t in index.terms]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    arrays: dict[str, npt.NDArray[Any]] = {
        "indptr": index.indptr,
        "doc_len": index.doc_len,
        **{name: getattr(index.packed, name) for name in PACKED},
        "vocab_bytes": np.frombuffer(b"".join(encoded), dtype=np.uint8),
        "vocab_offsets": offsets,
    }
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "k1": index.k1,
        "b": index.b,
        "idf_rule": IDF_RULE,
        "tokenizer_version": tokenizer_version,
        "n_docs": index.size,
        "n_terms": len(index.terms),
        "n_postings": index.postings_count,
        "n_blocks": int(index.packed.block_last.shape[0]),
        "block": BLOCK,
        "arrays": {name: {"dtype": a.dtype.str, "shape": list(a.shape)} for name, a in arrays.items()},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.tmp-{uuid.uuid4().hex}"
    tmp.mkdir()
    try:
        for name, array in arrays.items():
            np.save(tmp / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)
            _fsync(tmp / f"{name}.npy")
        (tmp / "header.json").write_text(json.dumps(header, indent=2) + "\n", encoding="utf-8")
        _fsync(tmp / "header.json")
        _fsync(tmp)
        old = path.parent / f".{path.name}.old-{uuid.uuid4().hex}"
        if path.exists():
            path.rename(old)
        tmp.rename(path)
        _fsync(path.parent)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def read_header(path: Path) -> dict[str, Any]:
    """The header of the index at ``path``, checked for format and version."""
    try:
        header = json.loads((path / "header.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexFormatError(path, "no header.json (not a saved index)") from None
    except (OSError, ValueError) as exc:
        raise IndexFormatError(path, f"header.json is unreadable ({exc})") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise IndexFormatError(path, f"header.json does not describe a {FORMAT} index")
    if header.get("format_version") != FORMAT_VERSION:
        raise IndexFormatError(
            path,
            f"format version {header.get('format_version')!r}; this qa reads version {FORMAT_VERSION}"
            " (rebuild the index)",
        )
    if header.get("idf_rule") != IDF_RULE:
        raise IndexFormatError(path, f"idf rule {header.get('idf_rule')!r}, expected {IDF_RULE!r}")
    return header


def load_index(path: Path | str, tokenizer_version: int | None = None) -> ImpactIndex:
    """The index saved at ``path``, arrays memory-mapped read-only. With ``tokenizer_version``,
    an index built by another tokenizer is refused too."""
    path = Path(path)
    header = read_header(path)
    if tokenizer_version is not None and header.get("tokenizer_version") != tokenizer_version:
        raise IndexFormatError(
            path, f"built with tokenizer version {header.get('tokenizer_version')!r}, not {tokenizer_version}"
        )
    arrays: dict[str, npt.NDArray[Any]] = {}
    try:
        specs = header["arrays"]
        for name in ARRAYS:
            array = np.load(path / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            spec = specs[name]
            if array.dtype.str != spec["dtype"] or list(array.shape) != spec["shape"]:
                found = f"{array.dtype.str} {list(array.shape)}"
                raise IndexFormatError(path, f"{name}.npy is {found}, header.json says {spec}")
            arrays[name] = array
        n_docs, n_terms, n_postings = int(header["n_docs"]), int(header["n_terms"]), int(header["n_postings"])
        n_blocks = int(header["n_blocks"])
        if int(header["block"]) != BLOCK:
            raise IndexFormatError(path, f"blocks of {header['block']} postings; this qa reads {BLOCK}")
        k1, b = float(header["k1"]), float(header["b"])
    except IndexFormatError:
        raise
    except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:
        raise IndexFormatError(path, f"{type(exc).__name__}: {exc}") from None
    indptr, offsets = arrays["indptr"], arrays["vocab_offsets"]
    consistent = (
        indptr.shape == (n_terms + 1,)
        and offsets.shape == (n_terms + 1,)
        and arrays["doc_len"].shape == (n_docs,)
        and arrays["bptr"].shape == (n_terms + 1,)
        and all(arrays[name].shape == (n_blocks,) for name in ("block_last", "dbits", "fbits", "block_max"))
        and arrays["woff"].shape == (n_blocks + 1,)
        and arrays["dense"].shape == (arrays["dense_terms"].shape[0], n_docs)
        and bool(np.all((arrays["dense_terms"] >= 0) & (arrays["dense_terms"] < n_terms)))
        and int(indptr[0]) == 0
        and int(indptr[-1]) == n_postings
        and int(arrays["bptr"][-1]) == n_blocks
        and arrays["words"].shape == (int(arrays["woff"][-1]) + 2,)
        and int(offsets[-1]) == arrays["vocab_bytes"].shape[0]
    )
    if not consistent:
        raise IndexFormatError(path, "array sizes disagree with each other or with header.json")
    raw = arrays["vocab_bytes"].tobytes()
    bounds = offsets.tolist()
    try:
        terms = [raw[bounds[i] : bounds[i + 1]].decode("utf-8", "surrogatepass") for i in range(n_terms)]
    except UnicodeDecodeError as exc:
        raise IndexFormatError(path, f"vocabulary is not UTF-8 ({exc})") from None
    packed = Packed(*(arrays[name] for name in PACKED))
    return ImpactIndex(terms, indptr, packed, arrays["doc_len"], k1, b)
