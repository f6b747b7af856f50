"""pyproject.toml states compatible ranges; constraints.txt pins the exact versions `make` installs.

A library pinned exactly in pyproject.toml would clash with anything else in a user's environment;
a clone installed without exact versions would not be the one CI tested. Both are checked here.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.conftest import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def requirements() -> list[Requirement]:
    extras = PROJECT["optional-dependencies"].values()
    return [Requirement(r) for r in [*PROJECT["dependencies"], *(r for group in extras for r in group)]]


def pins() -> dict[str, Version]:
    found: dict[str, Version] = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, _, version = line.partition("==")
        assert version, f"constraints.txt: {line!r} is not name==version"
        key = canonicalize_name(name)
        assert key not in found, f"constraints.txt pins {name} twice"
        found[key] = Version(version)
    return found


def test_runtime_dependencies_are_ranges_not_pins() -> None:
    for req in map(Requirement, PROJECT["dependencies"]):
        operators = {spec.operator for spec in req.specifier}
        assert operators, f"{req.name} has no version range"
        assert not operators & {"==", "==="}, f"{req.name} is pinned exactly in pyproject.toml: {req}"
        assert operators & {"<", "~="}, f"{req.name} has no upper bound: {req}"


def test_every_dependency_is_pinned_in_constraints_within_its_range() -> None:
    pinned = pins()
    for req in requirements():
        version = pinned.get(canonicalize_name(req.name))
        assert version is not None, f"constraints.txt does not pin {req.name}"
        assert req.specifier.contains(version, prereleases=True), f"{req.name}=={version} is outside {req}"


def test_make_installs_with_the_constraints() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = [line for line in makefile.splitlines() if "pip install" in line and "-e '." in line]
    assert installs
    assert all("-c constraints.txt" in line for line in installs), installs


def test_the_wheel_carries_every_file_of_the_shipped_corpus() -> None:
    data_files = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    globs = data_files["data-files"]["share/qa/corpus"]
    carried = {path for pattern in globs for path in ROOT.glob(pattern)}
    assert carried == set((ROOT / "corpus").iterdir())


def test_an_installed_qa_finds_its_corpus_under_the_prefix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import qa.documents.corpus as corpus

    installed = tmp_path / "prefix" / "share" / "qa" / "corpus"
    installed.mkdir(parents=True)
    assert corpus.default_corpus_dir() == ROOT / "corpus"  # a clone reads its own corpus/
    monkeypatch.setattr(corpus, "__file__", str(tmp_path / "site" / "qa" / "documents" / "corpus.py"))
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "prefix"))
    assert corpus.default_corpus_dir() == installed
