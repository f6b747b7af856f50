"""`qa add / remove / docs / reindex` as a user runs them: every bad input is one line, nothing lost."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.docmaker import make_image_pdf, make_pdf, md, write_corpus

Run = tuple[int, str, str]


# the data and qa_run fixtures are in conftest.py


def docs_json(qa_run: Any) -> list[dict[str, Any]]:
    code, out, err = qa_run("docs", "--format", "json")
    assert code == 0, err
    rows: list[dict[str, Any]] = json.loads(out)
    return rows


def ask_json(qa_run: Any, question: str) -> dict[str, Any]:
    code, out, err = qa_run("ask", question, "--format", "json", "--k", "3")
    assert code == 0, err
    answer: dict[str, Any] = json.loads(out)
    return answer


PDF_PAGES = [
    ["The board met in spring and reviewed the budget of the cooperative for the coming season."],
    ["Broadband reached 97 percent of administrative villages in Guizhou by the end of the year."],
]


def make_three(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / "report.pdf"
    created = dt.datetime(2023, 9, 14, tzinfo=dt.UTC)
    pdf.write_bytes(
        make_pdf(PDF_PAGES, title="Village Broadband Report", author="Wang Fang", created=created)
    )
    notes = folder / "notes.md"
    notes.write_text(
        md("Field notes from Lishui", "2024-04-11", "Sweet potato noodles sold 40,000 packs via livestream."),
        encoding="utf-8",
    )
    page = folder / "page.html"
    page.write_text(
        "<html><head><title>Honey co-op goes online</title>"
        '<meta name="date" content="2022-08-30"></head>'
        "<body><article><p>The honey cooperative shipped 12 tonnes of acacia honey.</p></article>"
        "</body></html>",
        encoding="utf-8",
    )
    return [pdf, notes, page]


def test_add_pdf_markdown_html_then_ask_finds_each(qa_run: Any, tmp_path: Path) -> None:
    paths = make_three(tmp_path / "in")
    code, out, err = qa_run("add", *map(str, paths))
    assert code == 0, err
    assert err == ""
    assert (
        out.splitlines()[-1]
        == "3 added, 0 updated, 0 skipped (already present), 0 refused; index: 8 processed, 0 reused"
    )
    broadband = ask_json(qa_run, "what share of villages had broadband in Guizhou")["hits"][0]
    assert (broadband["doc_id"], broadband["title"], broadband["date"], broadband["page"]) == (
        "report",
        "Village Broadband Report",
        "2023-09-14",
        2,
    )
    noodles = ask_json(qa_run, "how many packs of sweet potato noodles")["hits"][0]
    assert (noodles["title"], noodles["date"], "page" in noodles) == (
        "Field notes from Lishui",
        "2024-04-11",
        False,
    )
    honey = ask_json(qa_run, "how much acacia honey did the cooperative ship")["hits"][0]
    assert (honey["title"], honey["date"]) == ("Honey co-op goes online", "2022-08-30")
    code, out, _ = qa_run("ask", "broadband villages Guizhou")
    assert "p. 2" in out.split("\n\n")[1]
    rows = docs_json(qa_run)
    assert {r["id"] for r in rows if r["added"]} == {"report", "notes", "page"}
    assert len([r for r in rows if not r["added"]]) == 5
    code, out, _ = qa_run("docs")
    assert sum("[added]" in line for line in out.splitlines()) == 3


def bad_inputs(folder: Path) -> dict[str, tuple[Path, str]]:
    """Each bad input of the issue: (path, the reason its one line must give)."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, tuple[str, bytes, str]] = {
        "empty": ("empty.txt", b"", "empty file"),
        "binary": ("image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01", "binary file, not text"),
        "not utf-8": (
            "noise.txt",
            bytes(range(0x80, 0x100)) * 3,
            "not UTF-8, and no other text encoding fits",
        ),
        "broken yaml": ("broken.md", b"---\ntitle: [oops\ndate: 2024-01-01\n---\nBody\n", "broken YAML"),
        "missing date": ("nodate.md", b"---\ntitle: T\n---\nBody text.\n", "no date found"),
        "impossible date": (
            "feb30.md",
            md("T", "2024-02-30", "Body.").encode(),
            "'2024-02-30' is not a date",
        ),
        "too big": ("big.txt", b"many words here. " * 200, "is over the size limit"),
        "no text layer": ("scan.pdf", make_image_pdf(), "the PDF has no text layer"),
    }
    out = {}
    for key, (name, content, reason) in files.items():
        (folder / name).write_bytes(content)
        out[key] = (folder / name, reason)
    out["missing path"] = (folder / "nowhere.pdf", "no such file or folder")
    return out


CASES = ["empty", "binary", "not utf-8", "broken yaml", "missing date", "impossible date", "too big"]
CASES += ["no text layer", "missing path", "duplicate"]


@pytest.mark.parametrize("case", CASES)
def test_each_bad_input_is_one_line_exit_1_and_nothing_changes(
    qa_run: Any, tmp_path: Path, case: str
) -> None:
    good = make_three(tmp_path / "good")
    assert qa_run("add", *map(str, good))[0] == 0
    before = docs_json(qa_run)
    if case == "duplicate":
        path, reason = good[1], "already in the corpus as 'notes' (same content)"
    else:
        path, reason = bad_inputs(tmp_path / "bad")[case]
    code, _out, err = qa_run("add", "--max-size", "2KB", str(path))
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(("qa: error: ", "qa: skipped: "))
    assert f"{path}: " in lines[0] and reason in lines[0]
    assert docs_json(qa_run) == before
    hit = ask_json(qa_run, "how many packs of sweet potato noodles")["hits"][0]
    assert hit["doc_id"] == "notes"


def test_a_folder_with_bad_files_adds_the_good_ones_and_lists_the_bad_at_the_end(
    qa_run: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "mixed"
    bad = bad_inputs(folder)
    make_three(folder / "fine")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    code, out, err = qa_run("add", "--max-size", "2KB", str(folder))
    assert code == 1
    assert out.splitlines()[-1].startswith("3 added, 0 updated, 0 skipped (already present), 9 refused;")
    lines = err.splitlines()
    assert len(lines) == 9 and all(line.startswith("qa: error: ") for line in lines)
    for key, (path, reason) in bad.items():
        if key != "missing path":
            assert any(f"{path}: " in line and reason in line for line in lines), key
    assert any("photo.jpg: unsupported file type '.jpg'" in line for line in lines)
    assert {r["id"] for r in docs_json(qa_run) if r["added"]} == {"report", "notes", "page"}


def test_overrides_apply_to_one_file_only(qa_run: Any, tmp_path: Path) -> None:
    plain = tmp_path / "memo.txt"
    plain.write_text("The county opened 15 e-commerce service stations.\n", encoding="utf-8")
    code, _, err = qa_run("add", "--date", "2024-01-01", str(plain), str(plain))
    assert code == 2 and "apply to a single file only" in err
    code, _out, err = qa_run(
        "add", str(plain), "--date", "2019-03-04", "--title", "County memo", "--author", "Zhao Lei"
    )
    assert code == 0, err
    row = next(r for r in docs_json(qa_run) if r["id"] == "memo")
    assert (row["title"], row["date"]) == ("County memo", "2019-03-04")


def test_round_trip_add_ask_remove(qa_run: Any, tmp_path: Path) -> None:
    before = docs_json(qa_run)
    note = tmp_path / "kiwi.md"
    note.write_text(md("Kiwi fruit", "2024-10-01", "Kiwi growers in Zhouzhi sold 8,000 tonnes online."))
    assert qa_run("add", str(note))[0] == 0
    assert ask_json(qa_run, "kiwi growers Zhouzhi")["hits"][0]["doc_id"] == "kiwi"
    code, out, _ = qa_run("remove", "kiwi")
    assert code == 0 and out.strip() == "removed 'kiwi': Kiwi fruit"
    assert ask_json(qa_run, "kiwi growers Zhouzhi")["abstained"] is True
    assert docs_json(qa_run) == before
    code, _, err = qa_run("remove", "kiwi")
    assert code == 1 and err.strip() == "qa: error: no added document with id 'kiwi' (see qa docs)"


def test_progress_goes_to_stderr_and_json_stays_clean(qa_run: Any, tmp_path: Path) -> None:
    paths = make_three(tmp_path / "in")
    code, out, err = qa_run("add", "--progress", "--format", "json", *map(str, paths))
    assert code == 0
    report = json.loads(out)
    assert report["ok"] is True and report["processed"] == 8
    assert [f["status"] for f in report["files"]] == ["added"] * 3
    assert "reading" in err and "3/3" in err and "indexing" in err and "8/8" in err


def test_no_shipped_and_reindex(qa_run: Any, tmp_path: Path) -> None:
    make_three(tmp_path / "in")
    assert qa_run("add", str(tmp_path / "in"))[0] == 0
    assert [r["id"] for r in docs_json(qa_run) if not r["added"]]
    code, out, _ = qa_run("--no-shipped", "docs", "--format", "json")
    assert sorted(r["id"] for r in json.loads(out)) == ["notes", "page", "report"]
    code, out, _ = qa_run("reindex")
    assert (
        code == 0
        and out.startswith("reindexed 8 documents (3 added)")
        and out.strip().endswith("8 processed")
    )


def test_a_damaged_index_warns_on_stderr_and_still_answers(qa_run: Any, data: Path, tmp_path: Path) -> None:
    make_three(tmp_path / "in")
    assert qa_run("add", str(tmp_path / "in"))[0] == 0
    (data / "cache" / "passages.json").write_text('{"format": "qa-passages", "vers')
    code, out, err = qa_run("ask", "acacia honey", "--format", "json")
    assert code == 0
    assert err.startswith("qa: warning: ") and "unreadable" in err and "rebuilding" in err
    assert json.loads(out)["hits"][0]["doc_id"] == "page"


def run_qa(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QA_DATA_DIR": str(data)}
    command = [sys.executable, "-m", "qa", *args]
    return subprocess.run(
        command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=300, check=False
    )


def test_500_documents_then_one_changed_is_the_only_one_processed(tmp_path: Path) -> None:
    paths = write_corpus(tmp_path / "many", 500)
    data = tmp_path / "data"
    first = run_qa(data, "add", str(tmp_path / "many"))
    assert first.returncode == 0, first.stderr
    summary = "500 added, 0 updated, 0 skipped (already present), 0 refused; index: 505 processed, 0 reused"
    assert first.stdout.splitlines()[-1] == summary
    paths[123].write_text(md("Changed report", "2020-02-02", "Now about durian exports."), encoding="utf-8")
    second = run_qa(data, "add", str(paths[123]))
    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines() == [
        f"{paths[123]}: updated as 'doc-0123': Changed report (2020-02-02)",
        "0 added, 1 updated, 0 skipped (already present), 0 refused; index: 1 processed, 504 reused",
    ]
    asked = run_qa(data, "ask", "durian exports", "--format", "json")
    assert json.loads(asked.stdout)["hits"][0]["doc_id"] == "doc-0123"
