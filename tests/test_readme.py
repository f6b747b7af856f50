"""The README's commands run as shown, and the output it shows is what they print.

Every ```sh block is run, line by line, in a fresh folder holding the example files the README
names (notes.md, page.html, report.pdf, papers/, memo.txt) and with an empty data directory. A
block preceded by ``<!-- not run by tests/test_readme.py: REASON -->`` is skipped (the set-up
commands themselves). Every line of every ```text block must appear in what the commands printed.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.docmaker import make_pdf, md

README = (ROOT / "README.md").read_text(encoding="utf-8")
SKIP = re.compile(r"<!-- not run by tests/test_readme\.py: (?P<why>[^>]+?) -->\s*$")
FENCE = re.compile(r"^```(?P<lang>\w*)\n(?P<body>.*?)^```$", re.DOTALL | re.MULTILINE)


def blocks(lang: str) -> list[tuple[str, str | None]]:
    """(body, reason it is skipped or None) of each fenced block of language ``lang``."""
    found = []
    for m in FENCE.finditer(README):
        if m.group("lang") != lang:
            continue
        before = README[: m.start()].rstrip("\n").rsplit("\n", 1)[-1]
        skip = SKIP.search(before)
        found.append((m.group("body"), skip.group("why") if skip else None))
    return found


def commands() -> list[str]:
    lines = []
    for body, skipped in blocks("sh"):
        if skipped is None:
            lines += [line for line in body.splitlines() if line.strip() and not line.startswith("#")]
    return lines


def write_examples(folder: Path) -> None:
    memo = "The county memo decided to pave the road to the market in spring.\n"
    (folder / "memo.txt").write_text(memo, encoding="utf-8")
    notes = "Notes from the cooperative meeting: members agreed to share one cold store."
    (folder / "notes.md").write_text(md("Meeting notes", "2024-03-01", notes), encoding="utf-8")
    page = (
        '<html lang="en"><head><title>Village broadband</title>'
        '<meta name="date" content="2023-06-10"></head>'
        "<body><article><p>Every village in the district now has a broadband line.</p></article>"
        "</body></html>"
    )
    (folder / "page.html").write_text(page, encoding="utf-8")
    pdf = make_pdf(
        [["The annual report counts forty new parcel lockers in the county."]], title="Annual report"
    )
    (folder / "report.pdf").write_bytes(pdf)
    (folder / "papers").mkdir()
    for i, topic in enumerate(("tea exports", "solar pumps")):
        body = f"This paper studies {topic} in the hill villages."
        (folder / "papers" / f"paper-{i}.md").write_text(
            md(f"Paper on {topic}", "2022-05-0" + str(i + 1), body)
        )


def test_the_readme_is_short_and_shows_commands() -> None:
    assert len(README.splitlines()) < 200
    assert len(commands()) >= 15
    assert all(why.strip() for _, why in blocks("sh") if why is not None)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("readme")
    write_examples(folder)
    env = {**os.environ, "QA_DATA_DIR": str(folder / "data")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    out = []
    for line in commands():
        assert shlex.split(line)[0] == "qa", f"the README's command {line!r} is not a qa command"
        run = subprocess.run(
            line, shell=True, cwd=folder, env=env, capture_output=True, text=True, timeout=300
        )
        assert run.returncode == 0, f"{line!r} exited {run.returncode}: {run.stderr.strip()[-500:]}"
        out.append(run.stdout + run.stderr)
    return "\n".join(out)


def test_every_readme_command_runs(printed: str) -> None:
    assert "memo" in printed and "2019" in printed


def test_the_output_the_readme_shows_is_printed(printed: str) -> None:
    shown = [body for body, skipped in blocks("text") if skipped is None]
    assert shown, "the README shows no output"
    for body in shown:
        for line in body.splitlines():
            assert line.strip() in printed, f"the README shows {line.strip()!r}, which no command printed"


def test_every_relative_link_in_the_docs_resolves() -> None:
    tops = [ROOT / name for name in ("README.md", "CHANGELOG.md", "CONTRIBUTING.md")]
    pages = [*tops, *(ROOT / "docs").glob("*.md")]
    for page in pages:
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path = (page.parent / target.split("#", 1)[0]).resolve()
            assert path.exists(), f"{page.relative_to(ROOT)} links to {target}, which does not exist"
